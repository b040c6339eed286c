"""The HTTP API: public reads of published items only, curator writes, clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from archive.api.app import create_app
from archive.catalogue.models import AuditEntry
from archive.catalogue.users import add_user
from archive.context import Archive
from archive.ingest.run import ingest
from tests.archive.bad_files import png_bomb
from tests.archive.test_ingest import corpus

PASSWORD = "a long curator password"


@pytest.fixture
def client(archive: Archive, tmp_path: Path) -> Iterator[TestClient]:
    root = corpus(tmp_path / "corpus")
    ingest(archive, [root / "items"], metadata=root / "items.csv")
    with archive.catalogue.session() as session:
        add_user(session, "mei", PASSWORD, actor="test")
    with TestClient(create_app(archive.settings, archive=archive)) as test_client:
        yield test_client


@pytest.fixture
def auth(client: TestClient) -> dict[str, str]:
    response = client.post("/api/auth/token", json={"username": "mei", "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_health(client: TestClient) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_published_item_with_pages_and_manifest(client: TestClient) -> None:
    response = client.get("/api/items/qp-1932-0001")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "qp-1932-0001"
    assert body["title_zh_hant"] == "黃國興家書"
    assert body["manifest"] == "http://testserver/iiif/items/qp-1932-0001/manifest"
    assert [p["label"] for p in body["pages"]] == ["envelope front", "letter p1", "letter p2"]
    assert body["pages"][0]["image_service"] == "http://testserver/iiif/3/qp-1932-0001-p1"
    assert body["collections"] == ["taishan-letters"]


def test_anonymous_users_see_only_published_items(client: TestClient, auth: dict[str, str]) -> None:
    draft = client.get("/api/items/qp-1933-0002")
    assert draft.status_code == 404  # not 403: its existence does not leak
    assert client.get("/api/items/qp-1933-0002/pages").status_code == 404
    assert client.get("/api/items/no-such-item").status_code == 404
    listed = client.get("/api/items").json()
    assert [i["id"] for i in listed["items"]] == ["qp-1932-0001"] and listed["total"] == 1
    members = client.get("/api/collections/taishan-letters").json()["items"]
    assert [i["id"] for i in members] == ["qp-1932-0001"]
    assert client.get("/api/items/qp-1933-0002", headers=auth).status_code == 200
    assert client.get("/api/items", headers=auth).json()["total"] == 3


def test_writes_need_a_curator(client: TestClient) -> None:
    new = {"identifier": "qp-new", "title_en": "New"}
    assert client.post("/api/items", json=new).status_code == 401
    assert client.patch("/api/items/qp-1932-0001", json={"title_en": "x"}).status_code == 401
    assert client.delete("/api/items/qp-1932-0001").status_code == 401
    bad = {"Authorization": "Bearer forged-token"}
    assert client.post("/api/items", json=new, headers=bad).status_code == 401
    assert client.get("/api/items/qp-1932-0001").json()["title_en"] == "Letter of Wong"


def test_wrong_password_is_refused(client: TestClient) -> None:
    response = client.post(
        "/api/auth/token", json={"username": "mei", "password": "nope nope nope"}
    )
    assert response.status_code == 401


def test_curator_creates_changes_publishes_and_deletes(
    client: TestClient, auth: dict[str, str], archive: Archive
) -> None:
    created = client.post(
        "/api/items", json={"identifier": "qp-1940-0003", "title_zh_hant": "回批"}, headers=auth
    )
    assert created.status_code == 201, created.text
    assert client.get("/api/items/qp-1940-0003").status_code == 404
    changed = client.patch(
        "/api/items/qp-1940-0003", json={"visibility": "published"}, headers=auth
    )
    assert changed.status_code == 200 and changed.json()["visibility"] == "published"
    assert client.get("/api/items/qp-1940-0003").status_code == 200
    assert (
        client.post("/api/items", json={"identifier": "qp-1940-0003"}, headers=auth).status_code
        == 409
    )
    assert client.delete("/api/items/qp-1940-0003", headers=auth).status_code == 204
    assert client.get("/api/items/qp-1940-0003", headers=auth).status_code == 404
    with archive.catalogue.reader() as session:
        log = session.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == "qp-1940-0003").order_by(AuditEntry.id)
        ).all()
    assert [(e.actor, e.action) for e in log] == [
        ("mei", "create"),
        ("mei", "update"),
        ("mei", "delete"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"visibility": "public"},
        {"date_start": "1932-05-01", "date_end": "1932-01-01"},
        {"amount_value": "-5"},
        {"no_such_field": "x"},
        {"title_en": "x" * 5000},
    ],
)
def test_invalid_changes_are_refused_and_change_nothing(
    client: TestClient, auth: dict[str, str], body: dict[str, str]
) -> None:
    before = client.get("/api/items/qp-1932-0001", headers=auth).json()
    response = client.patch("/api/items/qp-1932-0001", json=body, headers=auth)
    assert response.status_code == 422
    assert client.get("/api/items/qp-1932-0001", headers=auth).json() == before


def test_upload_a_page(client: TestClient, auth: dict[str, str], scan_bytes: bytes) -> None:
    response = client.post(
        "/api/items/qp-1932-0001/pages?label=reply",
        files={"file": ("reply.jpg", scan_bytes, "image/jpeg")},
        headers=auth,
    )
    assert response.status_code == 201, response.text
    assert response.json()["id"] == "qp-1932-0001-p4"
    pages = client.get("/api/items/qp-1932-0001").json()["pages"]
    assert [p["label"] for p in pages][-1] == "reply"
    again = client.post(
        "/api/items/qp-1932-0001/pages",
        files={"file": ("reply.jpg", scan_bytes, "image/jpeg")},
        headers=auth,
    )
    assert again.status_code == 409


def test_bad_uploads_are_refused(
    client: TestClient, auth: dict[str, str], tmp_path: Path, archive: Archive
) -> None:
    url = "/api/items/qp-1932-0001/pages"
    cases = [
        (("notes.jpg", b"just some text", "image/jpeg"), 422, "not a readable image"),
        (("scan.pdf", b"%PDF-1.4", "application/pdf"), 415, "unsupported file type"),
        (("bomb.png", png_bomb(tmp_path / "bomb.png").read_bytes(), "image/png"), 422, "bomb"),
        (("empty.jpg", b"", "image/jpeg"), 422, "empty"),
    ]
    for file, code, message in cases:
        response = client.post(url, files={"file": file}, headers=auth)
        assert response.status_code == code, response.text
        assert message in response.json()["detail"]
    assert client.post(url, files={"file": cases[0][0]}).status_code == 401
    assert len(client.get(url.removesuffix("/pages")).json()["pages"]) == 3


def test_huge_upload_is_refused_before_reading(
    archive: Archive, auth: dict[str, str], client: TestClient
) -> None:
    small = archive.settings.model_copy(update={"max_upload_bytes": 1000})
    archive.settings = small
    response = client.post(
        "/api/items/qp-1932-0001/pages",
        files={"file": ("big.jpg", b"\xff" * 200_000, "image/jpeg")},
        headers=auth,
    )
    assert response.status_code == 413


def test_openapi_is_served(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/items/{identifier}", "/api/auth/token", "/api/health"} <= set(paths)


def test_cookie_writes_need_the_session_csrf_token(client: TestClient, archive: Archive) -> None:
    signed_in = client.post("/api/auth/session", json={"username": "mei", "password": PASSWORD})
    assert signed_in.status_code == 200
    token = signed_in.json()["csrf_token"]
    assert client.get("/api/auth/me").json()["csrf_token"] == token
    change = {"title_en": "Changed by a forged request"}

    forged = client.patch("/api/items/qp-1932-0001", json=change)
    assert forged.status_code == 403
    assert "X-CSRF-Token" in forged.json()["detail"]
    wrong = client.patch(
        "/api/items/qp-1932-0001", json=change, headers={"X-CSRF-Token": token + "x"}
    )
    assert wrong.status_code == 403
    assert client.get("/api/items/qp-1932-0001").json()["title_en"] != change["title_en"]

    allowed = client.patch("/api/items/qp-1932-0001", json=change, headers={"X-CSRF-Token": token})
    assert allowed.status_code == 200, allowed.text
    assert client.get("/api/items/qp-1932-0001").json()["title_en"] == change["title_en"]


def test_bearer_writes_and_cookie_reads_need_no_csrf_token(
    client: TestClient, auth: dict[str, str]
) -> None:
    change = {"title_en": "Changed with a bearer token"}
    assert client.patch("/api/items/qp-1932-0001", json=change, headers=auth).status_code == 200
    assert client.get("/api/auth/me", headers=auth).json()["csrf_token"] is None
    client.post("/api/auth/session", json={"username": "mei", "password": PASSWORD})
    assert client.get("/api/items/qp-1933-0002").status_code == 200  # a draft, read by cookie
