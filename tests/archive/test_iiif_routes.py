"""IIIF in the archive: manifests, collections, images and Content Search of published items
only; every document produced is valid against the Presentation 3 schema."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

import ocr
from archive.api.app import create_app
from archive.catalogue.models import Page
from archive.catalogue.transcriptions import add_machine_text
from archive.catalogue.users import add_user
from archive.context import Archive
from archive.ingest.run import ingest
from archive.jobs.worker import run_until_empty
from tests.archive.test_ingest import corpus

SCHEMA_PATH = (
    Path(__file__).resolve().parents[2].parent / "shared/iiif/presentation-3.0.schema.json"
)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(SCHEMA_PATH.read_text()))


def machine_text(lines: list[tuple[str, tuple[int, int, int, int]]]) -> ocr.PageResult:
    """A recognised page as an engine would return it: vertical lines with boxes."""
    built = tuple(
        ocr.Line(text, ocr.Box(*box), 0.95, ocr.Direction.VERTICAL) for text, box in lines
    )
    region = ocr.Region(ocr.Box(0, 0, 320, 480), ocr.Direction.VERTICAL, built)
    return ocr.PageResult(320, 480, (region,), ocr.Provenance("test", "1", "hand-made"))


@pytest.fixture
def client(archive: Archive, tmp_path: Path) -> Iterator[TestClient]:
    root = corpus(tmp_path / "corpus")
    ingest(archive, [root / "items"], metadata=root / "items.csv")
    result = machine_text(
        [("父親大人膝下", (280, 20, 30, 200)), ("兒在臺山平安", (240, 20, 30, 200))]
    )
    with archive.catalogue.session() as session:
        page = session.scalars(select(Page).where(Page.public_id == "qp-1932-0001-p2")).one()
        add_machine_text(
            session,
            page,
            text=result.text,
            page_xml=ocr.to_page_xml(result).decode(),
            engine="test",
        )
    with TestClient(create_app(archive.settings, archive=archive)) as test_client:
        yield test_client


def valid(document: dict[str, Any], validator: jsonschema.Draft7Validator) -> dict[str, Any]:
    errors = [e.message for e in validator.iter_errors(document)]
    assert errors == []
    return document


def test_manifest_of_a_published_item(
    client: TestClient, validator: jsonschema.Draft7Validator
) -> None:
    response = client.get("/api/items/qp-1932-0001")
    manifest_url = response.json()["manifest"]
    manifest = valid(client.get(manifest_url).json(), validator)
    assert manifest["id"] == manifest_url
    assert manifest["label"]["zh-Hant"] == ["黃國興家書"]
    assert manifest["viewingDirection"] == "right-to-left"
    assert len(manifest["items"]) == 3
    canvas = manifest["items"][1]
    service = canvas["items"][0]["items"][0]["body"]["service"][0]
    assert service["id"] == "http://testserver/iiif/3/qp-1932-0001-p2"
    supplementing = canvas["annotations"][0]["items"]
    assert [a["motivation"] for a in supplementing] == ["supplementing"] * 2
    assert supplementing[0]["target"].endswith("#xywh=280,20,30,200")
    info = client.get(f"{service['id']}/info.json")
    assert info.status_code == 200 and info.json()["width"] == 320
    tile = client.get(f"{service['id']}/full/max/0/default.jpg")
    assert tile.status_code == 200 and tile.headers["content-type"] == "image/jpeg"
    alto = client.get(canvas["seeAlso"][0]["id"])
    assert alto.status_code == 200 and "臺山" in alto.text


def test_collections(client: TestClient, validator: jsonschema.Draft7Validator) -> None:
    top = valid(client.get("/iiif/collection").json(), validator)
    assert [m["id"] for m in top["items"]] == ["http://testserver/iiif/collections/taishan-letters"]
    collection = valid(client.get(top["items"][0]["id"]).json(), validator)
    assert [m["id"] for m in collection["items"]] == [
        "http://testserver/iiif/items/qp-1932-0001/manifest"
    ]


def test_content_search_finds_simplified_in_traditional(client: TestClient) -> None:
    answer = client.get("/iiif/items/qp-1932-0001/search/1", params={"q": "台山"}).json()
    hits = answer["resources"]
    assert len(hits) == 1
    assert hits[0]["on"].startswith("http://testserver/iiif/items/qp-1932-0001/canvas/p2#xywh=")
    answer2 = client.get("/iiif/items/qp-1932-0001/search/2", params={"q": "父亲"}).json()
    assert len(answer2["items"]) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/iiif/items/qp-1933-0002/manifest",
        "/iiif/3/qp-1933-0002-p1/info.json",
        "/iiif/3/qp-1933-0002-p1/full/max/0/default.jpg",
        "/iiif/items/qp-1933-0002/search/1?q=李",
        "/api/pages/qp-1933-0002-p1/text",
        "/iiif/items/no-such-item/manifest",
        "/iiif/3/no-such-page/info.json",
        "/iiif/3/..%2F..%2Fetc%2Fpasswd/info.json",
        "/iiif/collections/no-such-collection",
    ],
)
def test_unpublished_and_unknown_answer_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code in (400, 404)


def test_derive_then_tiles_come_from_the_pyramid(client: TestClient, archive: Archive) -> None:
    assert run_until_empty(archive, kinds=["derive"]) == (5, 0)
    assert any(archive.settings.derivative_dir.rglob("*.tif"))
    tile = client.get("/iiif/3/qp-1932-0001-p1/0,0,256,256/256,/0/default.jpg")
    assert tile.status_code == 200


def test_signed_in_curators_see_draft_images_uncached(client: TestClient, archive: Archive) -> None:
    with archive.catalogue.session() as session:
        add_user(session, "mei", "a long curator password", actor="test")
    draft = "/iiif/3/qp-1933-0002-p1/info.json"
    assert client.get(draft).status_code == 404
    signed_in = client.post(
        "/api/auth/session", json={"username": "mei", "password": "a long curator password"}
    )
    assert signed_in.status_code == 200
    answer = client.get(draft)
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "private, no-store"
    assert client.get("/iiif/items/qp-1933-0002/manifest").status_code == 200
    client.delete("/api/auth/session")
    assert client.get(draft).status_code == 404


def test_three_text_layers_of_a_page(client: TestClient, archive: Archive) -> None:
    with archive.catalogue.session() as session:
        page = session.scalars(select(Page).where(Page.public_id == "qp-1932-0001-p3")).one()
        add_machine_text(session, page, text="兒爲家計稟告", page_xml="", engine="test")
    url = "/api/pages/qp-1932-0001-p3/text"
    assert client.get(url).text == "兒爲家計稟告"  # diplomatic: as written
    assert client.get(url, params={"format": "normalised"}).text == "兒為家計稟告"
    assert client.get(url, params={"format": "key"}).text == "儿为家计禀告"
