"""Search through the archive: published items only, indexed after commit, clear 400s."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from archive.api.app import create_app
from archive.catalogue.users import add_user
from archive.context import Archive
from archive.ingest.run import ingest
from archive.jobs import queue
from archive.jobs.worker import run_until_empty
from archive.search_service import reindex
from archive.settings import load_settings
from search.elastic import ElasticsearchBackend
from tests import services
from tests.archive.test_ingest import corpus

PASSWORD = "a long curator password"


@pytest.fixture(params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.service)])
def search_url(request: pytest.FixtureRequest) -> str:
    if request.param == "embedded":
        return "embedded"
    return services.require_env(services.ELASTICSEARCH_URL, "Elasticsearch")


@pytest.fixture
def indexed(tmp_path: Path, search_url: str) -> Iterator[Archive]:
    settings = load_settings({}, data_dir=tmp_path / "data", search_url=search_url)
    opened = Archive.open(settings)
    if search_url != "embedded":
        # A unique alias per test, so tests never see each other's documents.
        opened._search = ElasticsearchBackend(
            search_url, index_name=f"qiaopi-test-{uuid.uuid4().hex[:12]}"
        )
    root = corpus(tmp_path / "corpus")
    ingest(opened, [root / "items"], metadata=root / "items.csv")
    assert run_until_empty(opened, kinds=["index"]) == (3, 0)
    yield opened
    if isinstance(opened.search, ElasticsearchBackend):
        opened.search.drop()
    opened.close()


@pytest.fixture
def client(indexed: Archive) -> Iterator[TestClient]:
    with indexed.catalogue.session() as session:
        add_user(session, "mei", PASSWORD, actor="test")
    with TestClient(create_app(indexed.settings, archive=indexed)) as test_client:
        yield test_client


def ids(client: TestClient, **params: str) -> list[str]:
    response = client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return [hit["id"] for hit in response.json()["hits"]]


def test_finds_published_items_in_either_script(client: TestClient) -> None:
    assert ids(client, q="黃國興") == ["qp-1932-0001"]
    assert ids(client, q="黄国兴") == ["qp-1932-0001"]  # simplified finds traditional
    body = client.get("/api/search", params={"q": "家書"}).json()
    assert body["total"] == 1  # the draft 李氏家書 is never indexed
    assert "<mark>" in body["hits"][0]["highlights"][0]["fragment"]
    assert body["hits"][0]["manifest"].endswith("/iiif/items/qp-1932-0001/manifest")
    assert {"value": "qiaopi", "count": 1} in body["facets"]["type"]


def test_cursor_pages_through_every_result(client: TestClient, indexed: Archive) -> None:
    token = client.post("/api/auth/token", json={"username": "mei", "password": PASSWORD})
    auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
    client.patch("/api/items/qp-1933-0002", json={"visibility": "published"}, headers=auth)
    run_until_empty(indexed, kinds=["index"])
    first = client.get("/api/search", params={"cursor": "*", "size": "1", "sort": "date"}).json()
    assert first["total"] == 2 and first["next_cursor"]
    params = {"cursor": first["next_cursor"], "size": "1", "sort": "date"}
    second = client.get("/api/search", params=params).json()
    assert second["next_cursor"] is None
    seen = [hit["id"] for hit in first["hits"] + second["hits"]]
    assert seen == ["qp-1932-0001", "qp-1933-0002"]
    assert client.get("/api/search").json()["next_cursor"] is None


def test_date_as_written_and_facet_filter(client: TestClient) -> None:
    assert ids(client, date_from="民國二十一年", date_to="民國二十一年") == ["qp-1932-0001"]
    assert ids(client, date_from="1933-01-01") == []
    assert ids(client, type="qiaopi") == ["qp-1932-0001"]
    assert ids(client, type="heritage_object") == []


def test_publishing_and_unpublishing_reach_the_index(client: TestClient, indexed: Archive) -> None:
    token = client.post("/api/auth/token", json={"username": "mei", "password": PASSWORD})
    auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
    client.patch("/api/items/qp-1933-0002", json={"visibility": "published"}, headers=auth)
    run_until_empty(indexed, kinds=["index"])
    assert ids(client, q="李氏") == ["qp-1933-0002"]
    client.patch("/api/items/qp-1933-0002", json={"visibility": "draft"}, headers=auth)
    run_until_empty(indexed, kinds=["index"])
    assert ids(client, q="李氏") == []


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": "黃", "size": "1000000000"},
        {"q": "黃", "page": "-1"},
        {"q": "黃", "page": "0"},
        {"date_from": "1933-01-01", "date_to": "1932-01-01"},
        {"date_from": "民國二十一年二月三十日"},
        {"sort": "sideways"},
        {"cursor": "not-a-cursor"},
        {"cursor": "*", "page": "2"},
        {"cursor": "x" * 10_000},
    ],
)
def test_bad_requests_answer_400_with_a_reason(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 400, response.text
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "q", ["", '"unbalanced', "title:(a OR", "黃\x00\x07國興", "OR OR -", ")))"]
)
def test_odd_syntax_is_read_literally_not_a_500(client: TestClient, q: str) -> None:
    response = client.get("/api/search", params={"q": q})
    assert response.status_code in (200, 400), response.text


def test_reindex_rebuilds_from_the_catalogue(indexed: Archive) -> None:
    assert reindex(indexed) == 1
    assert indexed.search.count() == 1


def test_a_search_outage_loses_no_update(tmp_path: Path) -> None:
    down = load_settings({}, data_dir=tmp_path / "data", search_url="http://127.0.0.1:9")
    archive = Archive.open(down)
    root = corpus(tmp_path / "corpus")
    ingest(archive, [root / "items"], metadata=root / "items.csv")  # saves succeed
    done, failed = run_until_empty(archive, kinds=["index"])
    assert (done, failed) == (0, 3)
    assert queue.counts(archive.catalogue)["index"] == {"failed": 3}
    archive.close()
    back = Archive.open(down.model_copy(update={"search_url": "embedded"}))
    assert queue.retry_failed(back.catalogue, "index") == 3
    assert run_until_empty(back, kinds=["index"]) == (3, 0)
    assert back.search.count() == 1
    back.close()
