"""The knowledge API: curator suggestions and the correspondence network (with visibility)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import networkx as nx  # type: ignore[import-untyped]
import pytest
from fastapi.testclient import TestClient

from archive.api.app import create_app
from archive.catalogue.models import Visibility
from archive.catalogue.users import add_user
from archive.context import Archive
from tests.archive.test_knowledge_fixtures import ENVELOPE, LETTER, REPLY, SLIP, make_letter

PASSWORD = "a long curator password"


@pytest.fixture
def client(archive: Archive) -> Iterator[TestClient]:
    with archive.catalogue.session() as session:
        add_user(session, "mei", PASSWORD, actor="test")
        make_letter(
            session,
            "qp-1932-0001",
            [ENVELOPE, LETTER, SLIP, REPLY],
            sender="梅富錦",
            recipient="梅坤耀",
            sending_place="紐約",
            receiving_place="新會縣會城篁莊村",
            date_text="民國廿一年三月初五日",
        )
        make_letter(
            session,
            "qp-1932-0002",
            [REPLY],
            type="reply",
            sender="梅坤耀",
            recipient="梅富錦",
            receiving_place="紐約",
            date_text="民國廿一年五月十日",
        )
        make_letter(
            session,
            "qp-1935-0003",
            [],
            sender="梅富錦",
            recipient="梅坤耀",
            sending_place="紐約",
            date_text="民國廿四年",
        )
        make_letter(
            session,
            "qp-1936-0004",
            [],
            visibility=Visibility.draft,
            sender="黃國興",
            recipient="黃門李氏",
        )
    with TestClient(create_app(archive.settings, archive=archive)) as test_client:
        yield test_client


@pytest.fixture
def auth(client: TestClient) -> dict[str, str]:
    response = client.post("/api/auth/token", json={"username": "mei", "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_suggestions_need_a_curator(client: TestClient) -> None:
    assert client.get("/api/items/qp-1932-0001/suggestions").status_code == 401
    assert client.post("/api/items/qp-1932-0001/suggestions/1/accept").status_code == 401


def test_curator_accepts_and_rejects_suggestions(client: TestClient, auth: dict[str, str]) -> None:
    listed = client.get("/api/items/qp-1933-9999/suggestions", headers=auth)
    assert listed.status_code == 404
    response = client.get("/api/items/qp-1932-0001/suggestions", headers=auth)
    assert response.status_code == 200, response.text
    suggestions = response.json()
    amount = next(s for s in suggestions if s["field"] == "amount")
    assert amount["page"] == "qp-1932-0001-p1" and amount["status"] == "pending"
    assert amount["source_text"] == "港銀六十元" and 0 < amount["confidence"] < 1
    assert all(s["field"] != "sender" for s in suggestions)  # already in the record
    url = f"/api/items/qp-1932-0001/suggestions/{amount['id']}"
    accepted = client.post(f"{url}/accept", headers=auth)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["changes"]["currency_code"] == ["", "HKD"]
    assert client.get("/api/items/qp-1932-0001").json()["currency_code"] == "HKD"
    again = client.post(f"{url}/reject", headers=auth)
    assert again.status_code == 409 and "already accepted" in again.json()["detail"]
    missing = client.post("/api/items/qp-1932-0001/suggestions/999999/accept", headers=auth)
    assert missing.status_code == 404


def test_curator_links_names_and_unknown_places_are_flagged(
    client: TestClient, auth: dict[str, str]
) -> None:
    assert client.post("/api/items/qp-1932-0001/link").status_code == 401
    response = client.post("/api/items/qp-1932-0001/link", headers=auth)
    assert response.status_code == 200, response.text
    outcomes = {o["field"]: o for o in response.json()}
    assert outcomes["receiving_place"]["flagged"] is True  # no places seeded yet
    assert outcomes["receiving_place"]["written"] == "新會縣會城篁莊村"
    assert client.get("/api/items/qp-1932-0001").json()["receiving_place"] == "新會縣會城篁莊村"


def test_network_links_a_family_and_its_replies(client: TestClient) -> None:
    response = client.get("/api/network", params={"q": "梅"})
    assert response.status_code == 200, response.text
    body = response.json()
    wrote = {(e["source"], e["target"]): e for e in body["edges"] if e["relation"] == "wrote_to"}
    forward = wrote[("person:梅富锦", "person:梅坤耀")]
    assert forward["count"] == 2
    assert forward["first"] == "1932-04-10" and forward["last"] == "1935-12-31"
    assert wrote[("person:梅坤耀", "person:梅富锦")]["items"] == ["qp-1932-0002"]
    series = body["series"][0]
    assert series["items"] == ["qp-1932-0001", "qp-1932-0002", "qp-1935-0003"]


def test_anonymous_network_counts_only_published_letters(
    client: TestClient, auth: dict[str, str]
) -> None:
    anonymous = client.get("/api/network").json()
    assert all("黃國興" not in n["label"] for n in anonymous["nodes"])
    curator = client.get("/api/network", headers=auth).json()
    assert any(n["label"] == "黃國興" for n in curator["nodes"])


def test_network_exports_for_gephi(client: TestClient) -> None:
    graphml = client.get("/api/network", params={"format": "graphml"})
    assert graphml.status_code == 200
    assert graphml.headers["content-type"].startswith("application/graphml+xml")
    graph = nx.parse_graphml(graphml.text)
    assert graph.nodes["person:梅富锦"]["label"] == "梅富錦"
    table = client.get("/api/network", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert {"Source", "Target", "Weight"} <= set(rows[0])
    assert any(r["Source"] == "梅富錦" and r["Weight"] == "2" for r in rows)


def test_bad_network_requests_are_refused(client: TestClient) -> None:
    bad = client.get("/api/network", params={"format": "xlsx"})
    assert bad.status_code == 422 and "graphml" in bad.json()["detail"]
    unknown = client.get("/api/network", params={"collection": "no-such"})
    assert unknown.status_code == 404
    long = client.get("/api/network", params={"q": "梅" * 500})
    assert long.status_code == 422
