"""Manifests and collections: the official schema plus the checks the schema misses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from iiif.presentation import (
    CollectionMember,
    CollectionView,
    EmptyDocument,
    ItemView,
    Link,
    MetadataEntry,
    PageView,
    SearchServices,
    TextLine,
    build_collection,
    build_manifest,
)

REPO = Path(__file__).resolve().parents[2]
SCHEMA_PATH = REPO.parent / "shared" / "iiif" / "presentation-3.0.schema.json"
BASE = "https://qiaopi.example/iiif"
ITEM = f"{BASE}/items/QP-1932-001"
IMAGES = "https://qiaopi.example/iiif/3"
RIGHTS = "http://rightsstatements.org/vocab/InC-EDU/1.0/"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    """The official Presentation 3 schema, as the IIIF validator uses it."""
    return jsonschema.Draft7Validator(load_schema())


def load_schema() -> dict[str, Any]:
    """The schema document; parts of it are addressed as `#/classes/<name>`."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def letter(**changes: Any) -> ItemView:
    """A two-page vertical letter with OCR on the first page."""
    pages = [
        PageView(
            image_service=f"{IMAGES}/QP-1932-001-p1",
            width=2400,
            height=3300,
            label={"zh-Hant": ["第一頁"], "en": ["Page 1"]},
            lines=[
                TextLine("父親大人膝下", 2100, 200, 120, 1400),
                TextLine("臺山縣城", 1900, 200, 120, 900),
            ],
            see_also=[
                Link(
                    f"{ITEM}/pages/1/alto.xml",
                    "application/xml",
                    {"en": ["ALTO"]},
                    profile="http://www.loc.gov/standards/alto/v4/alto.xsd",
                ),
                Link(f"{ITEM}/pages/1/hocr.html", "text/vnd.hocr+html", {"en": ["hOCR"]}),
            ],
        ),
        PageView(f"{IMAGES}/QP-1932-001-p2", 2400, 3300, {"en": ["Envelope"]}),
    ]
    values: dict[str, Any] = {
        "base_url": ITEM,
        "label": {"zh-Hant": ["僑批：父親大人"], "zh-Hans": ["侨批：父亲大人"], "en": ["Letter"]},
        "pages": pages,
        "summary": {"en": ["A letter from San Francisco to Taishan."]},
        "metadata": [MetadataEntry({"en": ["Sender"]}, {"zh-Hant": ["黃家駒"], "en": ["Wong"]})],
        "nav_date": date(1932, 3, 1),
        "rights": RIGHTS,
        "required_statement": MetadataEntry({"en": ["Attribution"]}, {"en": ["Jiangmen"]}),
        "right_to_left": True,
        "rendering": [
            Link(f"{ITEM}/text.txt", "text/plain", {"en": ["Transcription"]}, kind="Text")
        ],
        "search": SearchServices(
            f"{ITEM}/search/1",
            f"{ITEM}/autocomplete/1",
            f"{ITEM}/search/2",
            f"{ITEM}/autocomplete/2",
        ),
        "part_of": [f"{BASE}/collections/jiangmen"],
    }
    values.update(changes)
    return ItemView(**values)


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a document."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def check_our_rules(document: dict[str, Any]) -> None:
    """What the schema does not check: empty items, motivation case, ids under our base."""
    for node in walk(document):
        if "items" in node:
            assert node["items"], f"empty items in {node.get('id')}"
        motivation = node.get("motivation")
        if motivation is not None:
            assert motivation in {"painting", "supplementing"}, motivation
        identifier = node.get("id")
        if isinstance(identifier, str) and node.get("type") != "Dataset":
            assert identifier.startswith("https://qiaopi.example/"), identifier


def test_letter_manifest_is_valid(validator: jsonschema.Draft7Validator) -> None:
    manifest = build_manifest(letter())
    errors = sorted(validator.iter_errors(manifest), key=str)
    assert not errors, errors[0].message
    check_our_rules(manifest)
    assert manifest["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert manifest["id"] == f"{ITEM}/manifest"
    assert manifest["label"]["zh-Hans"] == ["侨批：父亲大人"]
    assert manifest["viewingDirection"] == "right-to-left"
    assert manifest["navDate"] == "1932-03-01T00:00:00Z"
    assert manifest["rights"] == RIGHTS
    assert [c["id"] for c in manifest["items"]] == [f"{ITEM}/canvas/p1", f"{ITEM}/canvas/p2"]
    assert manifest["rendering"][0]["format"] == "text/plain"
    assert {s.get("type", s.get("@type")) for s in manifest["service"]} == {
        "SearchService1",
        "SearchService2",
    }


def test_pages_paint_the_image_service_and_carry_ocr(validator: jsonschema.Draft7Validator) -> None:
    canvas = build_manifest(letter())["items"][0]
    painting = canvas["items"][0]["items"][0]
    assert painting["motivation"] == "painting"
    assert painting["body"]["service"][0] == {
        "id": f"{IMAGES}/QP-1932-001-p1",
        "type": "ImageService3",
        "profile": "level2",
    }
    assert canvas["thumbnail"][0]["id"] == f"{IMAGES}/QP-1932-001-p1/full/150,207/0/default.jpg"
    lines = canvas["annotations"][0]["items"]
    assert [a["motivation"] for a in lines] == ["supplementing", "supplementing"]
    assert lines[1]["body"] == {
        "type": "TextualBody",
        "value": "臺山縣城",
        "format": "text/plain",
        "language": "zh-Hant",
    }
    assert lines[0]["target"] == f"{ITEM}/canvas/p1#xywh=2100,200,120,1400"
    assert [link["format"] for link in canvas["seeAlso"]] == [
        "application/xml",
        "text/vnd.hocr+html",
    ]
    annotation_schema = {**load_schema(), "$ref": "#/classes/annotation"}
    for annotation in lines:
        jsonschema.validate(annotation, annotation_schema, cls=jsonschema.Draft7Validator)


def test_left_to_right_and_minimal_items_are_valid(validator: jsonschema.Draft7Validator) -> None:
    manifest = build_manifest(
        ItemView(ITEM, {"en": ["Diaolou door"]}, [PageView(f"{IMAGES}/d", 300, 200, {"en": ["1"]})])
    )
    assert not list(validator.iter_errors(manifest))
    assert manifest["viewingDirection"] == "left-to-right"
    assert "annotations" not in manifest["items"][0]
    check_our_rules(manifest)


def test_items_without_pages_are_refused() -> None:
    with pytest.raises(EmptyDocument, match="no pages"):
        build_manifest(letter(pages=[]))


def test_empty_labels_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one language"):
        build_manifest(letter(label={"en": []}))


@pytest.mark.parametrize("kind", ["collection", "exhibit", "site"])
def test_collections_of_every_kind_are_valid(
    validator: jsonschema.Draft7Validator, kind: str
) -> None:
    view = CollectionView(
        id=f"{BASE}/{kind}s/one",
        label={"zh-Hant": ["開平碉樓"], "en": ["Kaiping Diaolou"]},
        members=[
            CollectionMember(f"{ITEM}/manifest", {"en": ["Letter"]}, thumbnail=f"{IMAGES}/a/t.jpg"),
            CollectionMember(f"{BASE}/items/QP-2/manifest", {"zh-Hant": ["批封"]}),
        ],
        summary={"en": [f"A {kind}"]},
        rights=RIGHTS,
        required_statement=MetadataEntry({"en": ["Held by"]}, {"en": ["Kaiping"]}),
    )
    collection = build_collection(view)
    assert not list(validator.iter_errors(collection))
    check_our_rules(collection)
    assert [m["type"] for m in collection["items"]] == ["Manifest", "Manifest"]
    assert collection["type"] == "Collection"


def test_top_collection_lists_collections(validator: jsonschema.Draft7Validator) -> None:
    top = build_collection(
        CollectionView(
            f"{BASE}/collection/top",
            {"en": ["Qiaopi Archive"]},
            [
                CollectionMember(f"{BASE}/collections/c1", {"en": ["Letters"]}, "Collection"),
                CollectionMember(f"{BASE}/exhibits/e1", {"en": ["Exhibit"]}, "Collection"),
            ],
        )
    )
    assert not list(validator.iter_errors(top))
    check_our_rules(top)
    assert {m["type"] for m in top["items"]} == {"Collection"}


def test_empty_collections_are_refused() -> None:
    with pytest.raises(EmptyDocument, match="lists nothing"):
        build_collection(CollectionView(f"{BASE}/collections/x", {"en": ["X"]}, []))


def test_schema_check_can_fail(validator: jsonschema.Draft7Validator) -> None:
    manifest = build_manifest(letter())
    del manifest["label"]
    assert list(validator.iter_errors(manifest))
    with pytest.raises(AssertionError):
        check_our_rules({"id": f"{ITEM}/manifest", "items": []})
    with pytest.raises(AssertionError):
        check_our_rules({"motivation": "Painting"})
