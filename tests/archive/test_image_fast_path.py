"""Visitors' image requests skip the app's middleware and cache which pages are public, yet an
unpublished page stops being served at once, and curators still get their uncached drafts."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select, update

from archive.api.app import create_app
from archive.api.public_images import CachedImages
from archive.catalogue.changes import ChangeStamp
from archive.catalogue.items import find_item
from archive.catalogue.models import Item, Page, Visibility
from archive.catalogue.users import add_user
from archive.context import Archive
from archive.ingest.run import ingest
from archive.jobs.queue import enqueue
from iiif import ImageSource
from tests.archive.test_ingest import corpus

TILE = "/iiif/3/qp-1932-0001-p1/0,0,256,256/256,/0/default.jpg"
DRAFT_TILE = "/iiif/3/qp-1933-0002-p1/full/max/0/default.jpg"


@pytest.fixture
def client(archive: Archive, tmp_path: Path) -> Iterator[TestClient]:
    root = corpus(tmp_path / "corpus")
    ingest(archive, [root / "items"], metadata=root / "items.csv")
    with TestClient(create_app(archive.settings, archive=archive)) as test_client:
        yield test_client


def set_visibility(archive: Archive, identifier: str, visibility: Visibility) -> None:
    with archive.catalogue.session() as session:
        item = find_item(session, identifier)
        assert item is not None
        item.visibility = visibility


def queries(archive: Archive) -> list[str]:
    """Every SQL statement the catalogue runs from now on (appended as they run)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(archive.catalogue.engine, "before_cursor_execute", record)
    return seen


def test_a_viewers_tiles_cost_one_catalogue_query(client: TestClient, archive: Archive) -> None:
    first = client.get(TILE)
    assert first.status_code == 200 and first.headers["content-type"] == "image/jpeg"
    assert first.headers["cache-control"] == "public, max-age=3600"
    seen = queries(archive)
    for path in (TILE, TILE.replace("0,0,256,256", "256,0,64,256").replace("256,/", "64,/")):
        again = client.get(path)
        assert again.status_code == 200
        assert again.headers["link"].startswith("<http://testserver/iiif/3/qp-1932-0001-p1/")
    assert seen == []


def test_unpublishing_stops_the_tiles_at_once(client: TestClient, archive: Archive) -> None:
    assert client.get(TILE).status_code == 200
    set_visibility(archive, "qp-1932-0001", Visibility.draft)
    answer = client.get(TILE)
    assert answer.status_code == 404
    assert answer.text == "no image has the identifier 'qp-1932-0001-p1'\n"
    set_visibility(archive, "qp-1932-0001", Visibility.published)
    assert client.get(TILE).status_code == 200


def test_drafts_stay_hidden_from_visitors_and_shown_to_curators(
    client: TestClient, archive: Archive
) -> None:
    assert client.get(DRAFT_TILE).status_code == 404
    with archive.catalogue.session() as session:
        add_user(session, "mei", "a long curator password", actor="test")
    credentials = {"username": "mei", "password": "a long curator password"}
    assert client.post("/api/auth/session", json=credentials).status_code == 200
    answer = client.get(DRAFT_TILE)
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "private, no-store"
    assert client.get(TILE).headers["cache-control"] == "private, no-store"
    client.delete("/api/auth/session")
    assert client.get(DRAFT_TILE).status_code == 404


def test_fast_path_answers_errors_and_leaves_other_paths_to_the_router(
    client: TestClient,
) -> None:
    bad = client.get("/iiif/3/qp-1932-0001-p1/full/max/361/default.jpg")
    assert bad.status_code == 400 and "over 360" in bad.text
    assert bad.headers["access-control-allow-origin"] == "*"
    assert client.get("/iiif/3/a%2Fb/full/max/0/default.jpg").status_code == 404
    assert client.head(TILE).content == b""
    assert client.post(TILE).status_code == 405


def test_commits_writing_items_or_pages_bump_the_stamp(archive: Archive, tmp_path: Path) -> None:
    ingest(archive, [corpus(tmp_path / "corpus") / "items"])
    changes = archive.catalogue.changes
    assert changes is not None
    before = changes.read()
    with archive.catalogue.session() as session:
        enqueue(session, "derive", "qp-a-p1", redo=True)
    assert changes.read() == before
    with archive.catalogue.session() as session:
        session.execute(update(Item).where(Item.identifier == "qp-a").values(title_en="A letter"))
    bulk = changes.read()
    assert bulk != before
    with archive.catalogue.session() as session:
        page = session.scalars(select(Page).where(Page.public_id == "qp-a-p1")).one()
        page.width += 1
    assert changes.read() != bulk


def test_an_answer_read_across_a_change_is_not_kept(tmp_path: Path) -> None:
    stamp = ChangeStamp(tmp_path / "changes")
    source = ImageSource(tmp_path / "master.jpg", 10, 10, fingerprint="f")
    calls: list[str] = []

    def lookup(identifier: str) -> ImageSource | None:
        calls.append(identifier)
        if len(calls) == 1:
            stamp.bump()  # the catalogue changed while this answer was being read
        return source

    images = CachedImages(lookup, stamp)
    assert images("p1") is source
    assert images("p1") is source
    assert images("p1") is source
    assert calls == ["p1", "p1"]


def test_a_change_recorded_by_another_process_is_seen(tmp_path: Path) -> None:
    stamp = ChangeStamp(tmp_path / "changes")
    assert stamp.read() == 0
    bump = "from archive.catalogue.changes import ChangeStamp; import sys; "
    bump += "[ChangeStamp(__import__('pathlib').Path(sys.argv[1])).bump() for _ in range(3)]"
    subprocess.run([sys.executable, "-c", bump, str(stamp.path)], check=True)
    assert stamp.read() == 3
