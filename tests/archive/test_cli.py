"""The `qiaopi` command: JSON output, exit codes that mean something, one-line reasons."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archive.cli import exits
from archive.cli.main import app
from tests.archive.bad_files import png_bomb
from tests.archive.test_ingest import corpus


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    # The CLI is the one place that reads the process environment; point it at a temp dir.
    monkeypatch.setenv("QIAOPI_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


def test_ingest_prints_one_json_object_per_item(run: CliRunner, tmp_path: Path) -> None:
    root = corpus(tmp_path)
    result = run.invoke(
        app, ["ingest", str(root / "items"), "--metadata", str(root / "items.csv"), "--json"]
    )
    assert result.exit_code == exits.OK, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(line["id"] for line in lines) == ["obj-1", "qp-1932-0001", "qp-1933-0002"]
    assert "3 new" in result.stderr


def test_refused_ingest_exits_65_and_names_the_file(run: CliRunner, tmp_path: Path) -> None:
    root = corpus(tmp_path)
    png_bomb(root / "items/qp-a/05_bomb.png")
    result = run.invoke(app, ["ingest", str(root / "items")])
    assert result.exit_code == exits.DATA_ERROR
    assert "05_bomb.png" in result.stderr and "nothing was stored" in result.stderr


def test_users_add_and_sign_in(run: CliRunner) -> None:
    result = run.invoke(app, ["users", "add", "mei", "--password-stdin"], input="a long password\n")
    assert result.exit_code == exits.OK, result.output
    again = run.invoke(app, ["users", "add", "mei", "--password-stdin"], input="a long password\n")
    assert again.exit_code == exits.DATA_ERROR and "already exists" in again.stderr
    short = run.invoke(app, ["users", "add", "lee", "--password-stdin"], input="short\n")
    assert short.exit_code == exits.DATA_ERROR and "at least" in short.stderr


def test_fixity_finds_a_corrupted_and_a_missing_master(run: CliRunner, tmp_path: Path) -> None:
    root = corpus(tmp_path)
    assert run.invoke(app, ["ingest", str(root / "items")]).exit_code == exits.OK
    assert run.invoke(app, ["fixity"]).exit_code == exits.OK
    blobs = sorted(p for p in (tmp_path / "data/blobs").rglob("*") if p.is_file())
    corrupt, missing = blobs[0], blobs[1]
    os.chmod(corrupt, stat.S_IRUSR | stat.S_IWUSR)
    data = bytearray(corrupt.read_bytes())
    data[len(data) // 2] ^= 0xFF
    corrupt.write_bytes(bytes(data))
    missing.chmod(stat.S_IRUSR | stat.S_IWUSR)
    missing.unlink()
    result = run.invoke(app, ["fixity"])
    assert result.exit_code == exits.FAILURE
    assert "MISMATCH" in result.stderr and corrupt.name in result.stderr
    assert "MISSING" in result.stderr and missing.name in result.stderr
    assert "2 problem(s)" in result.stderr


def test_serve_get_answers_one_request(run: CliRunner, tmp_path: Path) -> None:
    root = corpus(tmp_path)
    run.invoke(app, ["ingest", str(root / "items"), "--metadata", str(root / "items.csv")])
    result = run.invoke(app, ["serve", "--get", "/api/items/qp-1932-0001"])
    assert result.exit_code == exits.OK
    assert json.loads(result.stdout)["title_zh_hant"] == "黃國興家書"
    hidden = run.invoke(app, ["serve", "--get", "/api/items/qp-1933-0002"])
    assert hidden.exit_code == exits.FAILURE


def test_unreachable_database_exits_69(run: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIAOPI_DATABASE_URL", "postgresql://nobody:x@127.0.0.1:1/none")
    result = run.invoke(app, ["fixity"])
    assert result.exit_code == exits.UNAVAILABLE
    assert "cannot reach the catalogue database" in result.stderr


def test_production_without_secret_key_is_refused(
    run: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QIAOPI_ENVIRONMENT", "production")
    result = run.invoke(app, ["fixity"])
    assert result.exit_code == exits.USAGE
    assert "QIAOPI_SECRET_KEY" in result.stderr


@pytest.mark.slow
def test_work_runs_every_job_in_worker_processes(run: CliRunner, tmp_path: Path) -> None:
    root = corpus(tmp_path)
    run.invoke(app, ["ingest", str(root / "items"), "--metadata", str(root / "items.csv")])
    result = run.invoke(app, ["work", "--workers", "2"])
    assert result.exit_code == exits.OK, result.output
    assert "0 failed" in result.stderr
    health = run.invoke(app, ["serve", "--get", "/api/health"])
    jobs = json.loads(health.stdout)["jobs"]
    assert all(set(states) == {"done"} for states in jobs.values()), jobs


def test_search_prints_hits_and_pages_through_all_of_them(run: CliRunner, tmp_path: Path) -> None:
    root = corpus(tmp_path)
    run.invoke(app, ["ingest", str(root / "items"), "--metadata", str(root / "items.csv")])
    assert run.invoke(app, ["work", "--workers", "1"]).exit_code == exits.OK
    found = run.invoke(app, ["search", "黄国兴", "--json"])
    assert found.exit_code == exits.OK, found.output
    assert [json.loads(line)["id"] for line in found.stdout.splitlines()] == ["qp-1932-0001"]
    listed = run.invoke(app, ["search", "", "--all", "--size", "1"])
    assert listed.exit_code == exits.OK, listed.output
    assert "1 item(s) found" in listed.stderr
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == ["qp-1932-0001"]
    bad = run.invoke(app, ["search", "date:1939..1930"])
    assert bad.exit_code == exits.USAGE and "1930" in bad.stderr
