"""Collections over the API: curators create, edit, publish, fill and delete them; visitors
see only published ones, in the API, the pages and IIIF; bad input changes nothing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from archive.api.app import create_app
from archive.catalogue.models import AuditEntry, Collection, Job, JobStatus
from archive.catalogue.users import add_user
from archive.context import Archive
from archive.ingest.run import ingest
from archive.jobs.worker import run_until_empty
from archive.settings import load_settings
from tests.archive.test_ingest import corpus

PASSWORD = "a long curator password"
PUBLISHED = "qp-1932-0001"
DRAFT = "qp-1933-0002"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the test corpus ingested, indexed and a curator: built once, copied."""
    root = tmp_path_factory.mktemp("template")
    opened = Archive.open(load_settings({}, data_dir=root / "data"))
    try:
        corpus_dir = corpus(root / "corpus")
        ingest(opened, [corpus_dir / "items"], metadata=corpus_dir / "items.csv")
        with opened.catalogue.session() as session:
            add_user(session, "mei", PASSWORD, actor="test")
        run_until_empty(opened, kinds=["index"])
    finally:
        opened.close()
    return root / "data"


@pytest.fixture
def archive(template: Path, tmp_path: Path) -> Iterator[Archive]:
    """A fresh copy of the template archive for one test."""
    shutil.copytree(template, tmp_path / "data")
    opened = Archive.open(load_settings({}, data_dir=tmp_path / "data"))
    yield opened
    opened.close()


@pytest.fixture
def client(archive: Archive) -> Iterator[TestClient]:
    with TestClient(create_app(archive.settings, archive=archive)) as test_client:
        yield test_client


@pytest.fixture
def auth(client: TestClient) -> dict[str, str]:
    response = client.post("/api/auth/token", json={"username": "mei", "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def audit_count(archive: Archive) -> int:
    with archive.catalogue.reader() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def queued_index_jobs(archive: Archive) -> set[str]:
    with archive.catalogue.reader() as session:
        return set(
            session.scalars(
                select(Job.target).where(Job.kind == "index", Job.status == JobStatus.queued)
            )
        )


def create(client: TestClient, auth: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/api/collections", json=body, headers=auth)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def test_a_new_collection_is_a_draft_hidden_from_visitors_until_published(
    client: TestClient, auth: dict[str, str], archive: Archive
) -> None:
    made = create(client, auth, title="Remittances to Kaiping", description="Slips and letters.")
    assert made["id"] == "remittances-to-kaiping"
    assert made["visibility"] == "draft" and made["items"] == []
    slug = made["id"]
    assert client.get(f"/api/collections/{slug}").status_code == 404
    assert slug not in [c["id"] for c in client.get("/api/collections").json()]
    assert client.get(f"/iiif/collections/{slug}").status_code == 404
    assert client.get(f"/collections/{slug}", headers={"accept": "text/html"}).status_code == 404
    assert client.get(f"/api/collections/{slug}", headers=auth).json()["visibility"] == "draft"

    client.post(f"/api/collections/{slug}/items", json={"items": [PUBLISHED]}, headers=auth)
    published = client.patch(
        f"/api/collections/{slug}", json={"visibility": "published"}, headers=auth
    )
    assert published.status_code == 200 and published.json()["visibility"] == "published"
    assert client.get(f"/api/collections/{slug}").status_code == 200
    assert client.get(f"/iiif/collections/{slug}").status_code == 200
    top = client.get("/iiif/collection").json()
    assert any(m["id"].endswith(f"/iiif/collections/{slug}") for m in top["items"])

    client.patch(f"/api/collections/{slug}", json={"visibility": "draft"}, headers=auth)
    assert client.get(f"/iiif/collections/{slug}").status_code == 404
    top = client.get("/iiif/collection").json()
    assert not any(m["id"].endswith(f"/iiif/collections/{slug}") for m in top["items"])
    with archive.catalogue.reader() as session:
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity == "collection", AuditEntry.entity_id == slug)
            .order_by(AuditEntry.id)
        ).all()
    assert actions == ["create", "add-items", "update", "update"]


def test_a_chinese_title_gets_a_slug_and_a_duplicate_is_refused(
    client: TestClient, auth: dict[str, str], archive: Archive
) -> None:
    made = create(client, auth, title="開平碉樓")
    assert made["id"].startswith("collection-")
    before = audit_count(archive)
    again = client.post("/api/collections", json={"title": "開平碉樓"}, headers=auth)
    assert again.status_code == 409
    assert "already exists" in again.json()["detail"]
    chosen = client.post(
        "/api/collections", json={"title": "Other", "slug": made["id"]}, headers=auth
    )
    assert chosen.status_code == 409
    assert audit_count(archive) == before


@pytest.mark.parametrize(
    "body",
    [
        {"title": ""},
        {"title": "   "},
        {"title": "x" * 301},
        {"title": "Fine", "description": "x" * 10_001},
        {"title": "Fine", "slug": "Not A Slug!"},
        {"title": "Fine", "colour": "red"},
    ],
)
def test_bad_collection_fields_are_refused(
    client: TestClient, auth: dict[str, str], archive: Archive, body: dict[str, str]
) -> None:
    before = audit_count(archive)
    response = client.post("/api/collections", json=body, headers=auth)
    assert response.status_code == 422, response.text
    assert audit_count(archive) == before
    with archive.catalogue.reader() as session:
        assert session.scalar(select(func.count()).select_from(Collection)) == 1


def test_markup_in_a_title_is_kept_as_text(client: TestClient, auth: dict[str, str]) -> None:
    attack = '<script>alert("x")</script>'
    made = create(client, auth, title=attack, slug="attack")
    assert made["title"] == attack
    client.patch("/api/collections/attack", json={"visibility": "published"}, headers=auth)
    page = client.get("/collections/attack", headers={"accept": "text/html"}).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_adding_items_is_all_or_nothing_and_reindexes_them(
    client: TestClient, auth: dict[str, str], archive: Archive
) -> None:
    slug = create(client, auth, title="Gold Mountain")["id"]
    before = audit_count(archive)
    unknown = client.post(
        f"/api/collections/{slug}/items", json={"items": [PUBLISHED, "qp-nope"]}, headers=auth
    )
    assert unknown.status_code == 422
    assert "'qp-nope'" in unknown.json()["detail"]
    assert client.get(f"/api/collections/{slug}", headers=auth).json()["items"] == []
    assert audit_count(archive) == before
    assert queued_index_jobs(archive) == set()

    client.patch(f"/api/collections/{slug}", json={"visibility": "published"}, headers=auth)
    added = client.post(
        f"/api/collections/{slug}/items", json={"items": [PUBLISHED, DRAFT]}, headers=auth
    )
    assert added.status_code == 200
    assert [i["id"] for i in added.json()["items"]] == [PUBLISHED, DRAFT]
    assert [i["id"] for i in client.get(f"/api/collections/{slug}").json()["items"]] == [PUBLISHED]
    assert queued_index_jobs(archive) == {PUBLISHED, DRAFT}
    run_until_empty(archive, kinds=["index"])
    found = client.get("/api/search", params={"collection": "Gold Mountain"}).json()
    assert [h["id"] for h in found["hits"]] == [PUBLISHED]

    removed = client.delete(f"/api/collections/{slug}/items/{PUBLISHED}", headers=auth)
    assert [i["id"] for i in removed.json()["items"]] == [DRAFT]
    assert queued_index_jobs(archive) == {PUBLISHED}
    run_until_empty(archive, kinds=["index"])
    assert client.get("/api/search", params={"collection": "Gold Mountain"}).json()["total"] == 0
    assert client.get(f"/api/items/{PUBLISHED}").status_code == 200  # the item stays
    again = client.delete(f"/api/collections/{slug}/items/{PUBLISHED}", headers=auth)
    assert again.status_code == 404 and "is not in collection" in again.json()["detail"]


def test_renaming_reindexes_the_members(
    client: TestClient, auth: dict[str, str], archive: Archive
) -> None:
    run_until_empty(archive, kinds=["index"])
    renamed = client.patch(
        "/api/collections/taishan-letters", json={"title": "台山僑批"}, headers=auth
    )
    assert renamed.json()["title"] == "台山僑批"
    assert queued_index_jobs(archive) == {PUBLISHED, DRAFT}
    unchanged_before = audit_count(archive)
    client.patch("/api/collections/taishan-letters", json={"title": "台山僑批"}, headers=auth)
    assert audit_count(archive) == unchanged_before  # nothing changed, nothing recorded


def test_only_a_draft_collection_can_be_deleted_and_its_items_stay(
    client: TestClient, auth: dict[str, str], archive: Archive
) -> None:
    refused = client.delete("/api/collections/taishan-letters", headers=auth)
    assert refused.status_code == 409 and "unpublish it" in refused.json()["detail"]
    client.patch("/api/collections/taishan-letters", json={"visibility": "draft"}, headers=auth)
    assert client.delete("/api/collections/taishan-letters", headers=auth).status_code == 204
    assert client.get("/api/collections/taishan-letters", headers=auth).status_code == 404
    assert client.get(f"/api/items/{PUBLISHED}").json()["collections"] == []
    assert client.get(f"/api/items/{DRAFT}", headers=auth).status_code == 200
    with archive.catalogue.reader() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "delete").order_by(AuditEntry.id.desc())
        ).first()
    assert entry is not None and entry.actor == "mei"
    assert entry.changes["items"] == [PUBLISHED, DRAFT]


def test_anonymous_writes_are_refused(client: TestClient, archive: Archive) -> None:
    before = audit_count(archive)
    forged = {"Authorization": "Bearer forged-token"}
    for headers in ({}, forged):
        calls = [
            client.post("/api/collections", json={"title": "x"}, headers=headers),
            client.patch("/api/collections/taishan-letters", json={"title": "x"}, headers=headers),
            client.post(
                "/api/collections/taishan-letters/items", json={"items": [DRAFT]}, headers=headers
            ),
            client.delete(f"/api/collections/taishan-letters/items/{PUBLISHED}", headers=headers),
            client.delete("/api/collections/taishan-letters", headers=headers),
        ]
        assert [r.status_code for r in calls] == [401] * 5
    assert audit_count(archive) == before


def test_the_write_routes_are_in_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/collections"])
    assert {"get", "patch", "delete"} <= set(paths["/api/collections/{slug}"])
    assert "post" in paths["/api/collections/{slug}/items"]


def test_a_draft_collection_stays_out_of_public_item_records_and_search_facets(
    client: TestClient, auth: dict[str, str], archive: Archive
) -> None:
    slug = create(client, auth, title="Unannounced acquisitions")["id"]
    client.post(f"/api/collections/{slug}/items", json={"items": [PUBLISHED]}, headers=auth)
    run_until_empty(archive, kinds=["index"])

    assert slug not in client.get(f"/api/items/{PUBLISHED}").json()["collections"]
    assert slug in client.get(f"/api/items/{PUBLISHED}", headers=auth).json()["collections"]
    facet = client.get("/api/search", params={"q": ""}).json()["facets"]["collection"]
    assert "Unannounced acquisitions" not in [bucket["value"] for bucket in facet]

    client.patch(f"/api/collections/{slug}", json={"visibility": "published"}, headers=auth)
    run_until_empty(archive, kinds=["index"])
    assert slug in client.get(f"/api/items/{PUBLISHED}").json()["collections"]
    facet = client.get("/api/search", params={"q": ""}).json()["facets"]["collection"]
    assert "Unannounced acquisitions" in [bucket["value"] for bucket in facet]
