"""`qiaopi dates parse`, `places seed`, `suggest`, `link`, `network` from the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archive.catalogue.models import Visibility
from archive.cli import exits
from archive.cli.main import app
from archive.context import Archive
from archive.settings import load_settings
from tests.archive.test_knowledge_fixtures import ENVELOPE, SLIP, make_letter


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    # The CLI is the one place that reads the process environment; point it at a temp dir.
    monkeypatch.setenv("QIAOPI_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


@pytest.fixture
def letter(tmp_path: Path) -> str:
    opened = Archive.open(load_settings({}, data_dir=tmp_path / "data"))
    with opened.catalogue.session() as session:
        make_letter(
            session,
            "qp-1932-0001",
            [ENVELOPE, SLIP],
            visibility=Visibility.draft,
            receiving_place="烏有鄉",
            sending_place="Toishan",
        )
    opened.close()
    return "qp-1932-0001"


def test_dates_parse_prints_iso_certainty_and_calendar(run: CliRunner) -> None:
    result = run.invoke(app, ["dates", "parse", "民國廿一年三月初五日"])
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\t")[:3] == ["1932-04-10", "exact", "lunar"]
    partial = run.invoke(app, ["dates", "parse", "光緒三十年"])
    assert partial.stdout.startswith("1904-02-16/1905-02-03\trange\tlunar")


def test_impossible_date_exits_65_with_the_reason(run: CliRunner) -> None:
    result = run.invoke(app, ["dates", "parse", "民國二十一年二月三十日"])
    assert result.exit_code == exits.DATA_ERROR
    assert "1932-02 has 29 days" in result.output


def test_places_seed_is_idempotent(run: CliRunner) -> None:
    first = run.invoke(app, ["places", "seed"])
    assert first.exit_code == 0, first.output
    second = run.invoke(app, ["places", "seed"])
    assert "0 created" in second.output
    listed = run.invoke(app, ["places", "list", "--json"])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    kaiping = next(r for r in rows if r["name"] == "開平")
    assert "Hoiping" in kaiping["variants"] and kaiping["parent"] is not None


def test_suggest_and_decide_from_the_terminal(run: CliRunner, letter: str) -> None:
    result = run.invoke(app, ["suggest", letter, "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    recipient = max((r for r in rows if r["field"] == "recipient"), key=lambda r: r["confidence"])
    assert recipient["value"] == {"recipient": "梅坤耀"}
    accepted = run.invoke(app, ["suggestions", "accept", letter, str(recipient["id"])])
    assert accepted.exit_code == 0, accepted.output
    assert "梅坤耀" in accepted.stdout
    twice = run.invoke(app, ["suggestions", "reject", letter, str(recipient["id"])])
    assert twice.exit_code == exits.DATA_ERROR and "already accepted" in twice.output
    missing = run.invoke(app, ["suggest", "qp-0000-0000"])
    assert missing.exit_code == exits.NO_INPUT


def test_link_flags_unknown_places_and_merge_into_itself_fails(run: CliRunner, letter: str) -> None:
    run.invoke(app, ["places", "seed"])
    result = run.invoke(app, ["link", letter])
    assert result.exit_code == 0, result.output
    assert "receiving_place\t烏有鄉\tUNKNOWN (flagged)" in result.stdout
    assert "sending_place\tToishan\t#" in result.stdout
    itself = run.invoke(app, ["places", "merge", "1", "1"])
    assert itself.exit_code == exits.DATA_ERROR and "into itself" in itself.output


def test_network_export_needs_a_known_format(run: CliRunner, letter: str, tmp_path: Path) -> None:
    bad = run.invoke(app, ["network", str(tmp_path / "graph.xlsx")])
    assert bad.exit_code == exits.USAGE and ".graphml" in bad.output
    out = tmp_path / "graph.graphml"
    good = run.invoke(app, ["network", str(out)])
    assert good.exit_code == 0, good.output
    assert out.read_text(encoding="utf-8").startswith("<?xml")
