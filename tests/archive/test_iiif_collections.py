"""IIIF collections of exhibits and heritage sites, and the top collection listing them:
members in order, visitors see published items only, curators see drafts too, and every
document is valid against the Presentation 3 schema."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from archive.catalogue.models import Item, Place, Visibility
from archive.context import Archive
from tests.archive.test_collections_api import (
    DRAFT,
    PUBLISHED,
    archive,
    auth,
    client,
    template,
)
from tests.archive.test_iiif_routes import valid, validator

__all__ = ["archive", "auth", "client", "template", "validator"]
OBJECT = "obj-1"  # published below, so visitors see two items
BASE = "http://testserver"
TITLE = {"zh-Hant": "金山來信", "zh-Hans": "金山来信", "en": "Letters from Gold Mountain"}


def manifest(identifier: str) -> str:
    return f"{BASE}/iiif/items/{identifier}/manifest"


def members(document: dict[str, Any]) -> list[str]:
    return [member["id"] for member in document["items"]]


def publish_object(archive: Archive) -> None:
    with archive.catalogue.session() as session:
        item = session.scalars(select(Item).where(Item.identifier == OBJECT)).one()
        item.visibility = Visibility.published


def new_exhibit(
    client: TestClient, auth: dict[str, str], items: list[str], *, publish: bool, slug: str
) -> str:
    body = {"title": TITLE, "summary": {"en": "Sent home."}, "slug": slug}
    made = client.post("/api/exhibits", json=body, headers=auth)
    assert made.status_code == 201, made.text
    for identifier in items:
        added = client.post(
            f"/api/exhibits/{slug}/sections",
            json={"heading": {"en": identifier}, "item": identifier},
            headers=auth,
        )
        assert added.status_code == 201, added.text
    if publish:
        published = client.patch(
            f"/api/exhibits/{slug}", json={"visibility": "published"}, headers=auth
        )
        assert published.status_code == 200, published.text
    return slug


@pytest.fixture
def places(archive: Archive) -> dict[str, int]:
    """台山 (with its names per language) above 端芬; the published letter was sent to 端芬,
    the draft from 台山; 開平 has only the draft object; 赤坎 has nothing."""
    with archive.catalogue.session() as session:
        taishan = Place(
            name="台山",
            variants=[
                {"name": "臺山", "source": "zh-Hant"},
                {"name": "台山", "source": "zh-Hans"},
                {"name": "Taishan", "source": "en"},
                {"name": "Toishan", "source": "local"},
            ],
        )
        session.add(taishan)
        session.flush()
        duanfen = Place(name="端芬", variants=[{"name": "Duanfen", "source": "pinyin"}])
        duanfen.parent_id = taishan.id
        kaiping = Place(name="開平", variants=[])
        chikan = Place(name="赤坎", variants=[])
        session.add_all([duanfen, kaiping, chikan])
        session.flush()
        by_identifier = {i.identifier: i for i in session.scalars(select(Item))}
        by_identifier[PUBLISHED].receiving_place_id = duanfen.id
        by_identifier[DRAFT].sending_place_id = taishan.id
        by_identifier[OBJECT].sending_place_id = kaiping.id
        return {
            "taishan": taishan.id,
            "duanfen": duanfen.id,
            "kaiping": kaiping.id,
            "chikan": chikan.id,
        }


def test_an_exhibit_lists_its_items_once_in_section_order(
    client: TestClient,
    auth: dict[str, str],
    archive: Archive,
    validator: jsonschema.Draft7Validator,
) -> None:
    publish_object(archive)
    slug = new_exhibit(
        client, auth, [OBJECT, DRAFT, PUBLISHED, OBJECT], publish=True, slug="gold-mountain"
    )
    url = f"/iiif/exhibits/{slug}"
    seen = valid(client.get(url).json(), validator)
    assert seen["id"] == f"{BASE}{url}"
    assert seen["label"] == {key: [value] for key, value in TITLE.items()}
    assert seen["summary"] == {"en": ["Sent home."]}
    assert members(seen) == [manifest(OBJECT), manifest(PUBLISHED)]
    assert {member["type"] for member in seen["items"]} == {"Manifest"}
    as_curator = valid(client.get(url, headers=auth).json(), validator)
    assert members(as_curator) == [manifest(OBJECT), manifest(DRAFT), manifest(PUBLISHED)]


def test_a_draft_exhibit_or_one_without_visible_items_is_not_found(
    client: TestClient, auth: dict[str, str], validator: jsonschema.Draft7Validator
) -> None:
    draft = new_exhibit(client, auth, [PUBLISHED], publish=False, slug="unfinished")
    assert client.get(f"/iiif/exhibits/{draft}").status_code == 404
    valid(client.get(f"/iiif/exhibits/{draft}", headers=auth).json(), validator)
    only_drafts = client.post(
        "/api/exhibits", json={"title": {"en": "Drafts only"}}, headers=auth
    ).json()["id"]
    client.post(
        f"/api/exhibits/{only_drafts}/sections",
        json={"heading": {"en": "draft"}, "item": DRAFT},
        headers=auth,
    )
    client.patch(f"/api/exhibits/{only_drafts}", json={"visibility": "published"}, headers=auth)
    empty = client.get(f"/iiif/exhibits/{only_drafts}")
    assert empty.status_code == 404
    assert "no published item" in empty.json()["detail"]
    assert client.get("/iiif/exhibits/no-such-exhibit").status_code == 404


def test_a_site_lists_items_linked_to_it_and_to_places_beneath_it(
    client: TestClient,
    auth: dict[str, str],
    places: dict[str, int],
    validator: jsonschema.Draft7Validator,
) -> None:
    url = f"/iiif/sites/{places['taishan']}"
    seen = valid(client.get(url).json(), validator)
    assert seen["id"] == f"{BASE}{url}"
    assert seen["label"] == {"zh-Hant": ["臺山"], "zh-Hans": ["台山"], "en": ["Taishan"]}
    assert members(seen) == [manifest(PUBLISHED)]
    as_curator = valid(client.get(url, headers=auth).json(), validator)
    assert members(as_curator) == [manifest(PUBLISHED), manifest(DRAFT)]
    town = valid(client.get(f"/iiif/sites/{places['duanfen']}").json(), validator)
    assert town["label"] == {"none": ["端芬"]}
    assert members(town) == [manifest(PUBLISHED)]


def test_unknown_places_and_sites_without_visible_items_are_not_found(
    client: TestClient,
    auth: dict[str, str],
    places: dict[str, int],
    validator: jsonschema.Draft7Validator,
) -> None:
    assert client.get(f"/iiif/sites/{places['chikan']}").status_code == 404
    draft_only = f"/iiif/sites/{places['kaiping']}"
    assert client.get(draft_only).status_code == 404
    valid(client.get(draft_only, headers=auth).json(), validator)
    assert client.get(f"/iiif/sites/{max(places.values()) + 1}").status_code == 404


def test_the_top_collection_lists_collections_then_exhibits_then_sites(
    client: TestClient,
    auth: dict[str, str],
    places: dict[str, int],
    validator: jsonschema.Draft7Validator,
) -> None:
    exhibit = new_exhibit(client, auth, [PUBLISHED], publish=True, slug="shown")
    new_exhibit(client, auth, [PUBLISHED], publish=False, slug="unfinished")
    top = valid(client.get("/iiif/collection").json(), validator)
    assert members(top) == [
        f"{BASE}/iiif/collections/taishan-letters",
        f"{BASE}/iiif/exhibits/{exhibit}",
        f"{BASE}/iiif/sites/{places['taishan']}",
        f"{BASE}/iiif/sites/{places['duanfen']}",
    ]
    assert {member["type"] for member in top["items"]} == {"Collection"}
    assert top["items"][1]["label"]["zh-Hant"] == ["金山來信"]
    for member in top["items"]:
        valid(client.get(member["id"]).json(), validator)


def test_a_place_that_is_its_own_parent_is_still_listed_once(
    client: TestClient, archive: Archive, places: dict[str, int]
) -> None:
    with archive.catalogue.session() as session:
        looped = session.get(Place, places["taishan"])
        assert looped is not None
        looped.parent_id = looped.id
    listed = members(client.get("/iiif/collection").json())
    assert listed.count(f"{BASE}/iiif/sites/{places['taishan']}") == 1
    assert listed[-1] == f"{BASE}/iiif/sites/{places['duanfen']}"
    site = client.get(f"/iiif/sites/{places['taishan']}").json()
    assert members(site) == [manifest(PUBLISHED)]
