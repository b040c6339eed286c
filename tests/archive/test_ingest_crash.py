"""A kill mid-ingest leaves no half item, and running the ingest again completes it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from archive.catalogue.db import Catalogue
from archive.catalogue.models import Item, Page
from tests.conftest import make_scan

ITEMS, PAGES = 20, 3


def qiaopi(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "QIAOPI_DATA_DIR": str(data_dir)}
    return subprocess.Popen(
        [sys.executable, "-m", "archive.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scans")
    for n in range(ITEMS):
        for p in range(PAGES):
            make_scan(root / f"item-{n:02d}/{p:02d}_page.png", seed=n * 10 + p, size=(800, 1000))
    return root


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [2, 11])
def test_kill_leaves_whole_items_only(scans: Path, tmp_path: Path, kill_after: int) -> None:
    data = tmp_path / "data"
    process = qiaopi(data, "ingest", str(scans), "--json")
    assert process.stdout is not None
    for _ in range(kill_after):
        assert json.loads(process.stdout.readline())["status"] == "created"
    process.send_signal(signal.SIGKILL)
    process.wait()

    catalogue = Catalogue(f"sqlite:///{data / 'catalogue.db'}")
    with catalogue.reader() as session:
        per_item = session.execute(
            select(Item.identifier, func.count(Page.id)).outerjoin(Page).group_by(Item.id)
        ).all()
    assert len(per_item) >= kill_after
    assert all(pages == PAGES for _, pages in per_item), per_item

    rerun = qiaopi(data, "ingest", str(scans), "--json")
    out, errors = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, errors
    statuses = [json.loads(line)["status"] for line in out.splitlines()]
    assert statuses.count("unchanged") == len(per_item)
    assert statuses.count("created") == ITEMS - len(per_item)
    with catalogue.reader() as session:
        assert session.scalar(select(func.count(Page.id))) == ITEMS * PAGES
    catalogue.dispose()
