"""Exhibits over the API: curators write exhibits and their sections (item, page, region),
reorder and publish them; visitors see only published exhibits; bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from archive.catalogue.models import AuditEntry, Item
from archive.context import Archive
from tests.archive.test_collections_api import (
    DRAFT,
    PUBLISHED,
    archive,
    audit_count,
    auth,
    client,
    template,
)

__all__ = ["archive", "auth", "client", "template"]  # the same archive copy as collections
HTML = {"accept": "text/html"}
TITLE = {"zh-Hant": "金山來信", "zh-Hans": "金山来信", "en": "Letters from Gold Mountain"}


def page_size(archive: Archive, identifier: str, position: int) -> tuple[int, int]:
    with archive.catalogue.reader() as session:
        item = session.scalars(select(Item).where(Item.identifier == identifier)).one()
        page = item.pages[position - 1]
        return page.width, page.height


def new_exhibit(client: TestClient, auth: dict[str, str], **extra: Any) -> dict[str, Any]:
    response = client.post("/api/exhibits", json={"title": TITLE, **extra}, headers=auth)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def add(client: TestClient, auth: dict[str, str], slug: str, **section: Any) -> Any:
    return client.post(f"/api/exhibits/{slug}/sections", json=section, headers=auth)


def test_an_exhibit_is_written_then_published_and_only_then_seen_by_visitors(
    client: TestClient, auth: dict[str, str], archive: Archive
) -> None:
    made = new_exhibit(client, auth, summary={"en": "Letters sent home.", "zh-Hant": ""})
    slug = made["id"]
    assert slug == "letters-from-gold-mountain"
    assert made["visibility"] == "draft" and made["sections"] == []
    assert made["summary"] == {"en": "Letters sent home."}  # empty languages are dropped
    width, height = page_size(archive, PUBLISHED, 2)
    section = add(
        client,
        auth,
        slug,
        heading={"en": "The letter"},
        body={"en": "Written in Taishan."},
        item=PUBLISHED,
        page=2,
        region=f"10,20,{width - 10},{height - 20}",
    )
    assert section.status_code == 201, section.text
    stored = section.json()["sections"][0]
    assert (stored["item"], stored["page"], stored["position"]) == (PUBLISHED, 2, 1)
    assert stored["image_service"].endswith(f"/iiif/3/{PUBLISHED}-p2")
    assert client.get(f"/api/exhibits/{slug}").status_code == 404
    assert slug not in [e["id"] for e in client.get("/api/exhibits").json()]
    assert client.get(f"/exhibits/{slug}", headers=HTML).status_code == 404

    published = client.patch(
        f"/api/exhibits/{slug}", json={"visibility": "published"}, headers=auth
    )
    assert published.json()["visibility"] == "published"
    assert client.get(f"/api/exhibits/{slug}").json()["sections"][0]["item"] == PUBLISHED
    page = client.get(f"/exhibits/{slug}", headers=HTML)
    assert page.status_code == 200 and "Written in Taishan." in page.text
    assert f"/iiif/3/{PUBLISHED}-p2/10,20,{width - 10},{height - 20}/" in page.text

    client.patch(f"/api/exhibits/{slug}", json={"visibility": "draft"}, headers=auth)
    assert client.get(f"/api/exhibits/{slug}").status_code == 404
    with archive.catalogue.reader() as session:
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity == "exhibit", AuditEntry.entity_id == slug)
            .order_by(AuditEntry.id)
        ).all()
    assert actions == ["create", "add-section", "update", "update"]


def test_visitors_do_not_see_a_draft_item_in_a_published_exhibit(
    client: TestClient, auth: dict[str, str]
) -> None:
    slug = new_exhibit(client, auth)["id"]
    add(client, auth, slug, heading={"en": "Draft letter"}, item=DRAFT)
    client.patch(f"/api/exhibits/{slug}", json={"visibility": "published"}, headers=auth)
    section = client.get(f"/api/exhibits/{slug}").json()["sections"][0]
    assert section["heading"] == {"en": "Draft letter"}
    assert section["item"] is None and section["image_service"] is None
    assert client.get(f"/api/exhibits/{slug}", headers=auth).json()["sections"][0]["item"] == DRAFT


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"item": "qp-nope"}, "no item with identifier 'qp-nope'"),
        ({"item": PUBLISHED, "page": 9}, "has no page 9"),
        ({"item": PUBLISHED, "region": "0,0,{w1},{h}"}, "does not fit page 1"),
        ({"item": PUBLISHED, "region": "0,{h},10,10"}, "does not fit page 1"),
        ({"item": PUBLISHED, "region": "5,5,0,10"}, "w and h above 0"),
        ({"item": PUBLISHED, "region": "1,2,3"}, "string_pattern_mismatch"),
        ({"item": PUBLISHED, "region": "-1,0,5,5"}, "string_pattern_mismatch"),
        ({"item": PUBLISHED, "region": "<b>1,2,3,4</b>"}, "string_pattern_mismatch"),
        ({"region": "0,0,5,5"}, "needs an item"),
        ({}, "needs a heading, a text or an item"),
        ({"heading": {"en": "x" * 301}}, "string_too_long"),
        ({"body": {"en": "x" * 20_001}}, "string_too_long"),
        ({"heading": {"fr": "Lettres"}}, "literal_error"),
        ({"heading": {"en": "A"}, "colour": "red"}, "extra_forbidden"),
    ],
)
def test_bad_sections_are_refused_and_change_nothing(
    client: TestClient,
    auth: dict[str, str],
    archive: Archive,
    section: dict[str, Any],
    message: str,
) -> None:
    slug = new_exhibit(client, auth)["id"]
    width, height = page_size(archive, PUBLISHED, 1)
    if "region" in section:
        section["region"] = section["region"].format(w1=width + 1, h=height)
    before = audit_count(archive)
    response = add(client, auth, slug, **section)
    assert response.status_code == 422, response.text
    assert message in response.text
    assert client.get(f"/api/exhibits/{slug}", headers=auth).json()["sections"] == []
    assert audit_count(archive) == before


def test_an_edit_that_breaks_a_section_changes_nothing(
    client: TestClient, auth: dict[str, str], archive: Archive
) -> None:
    slug = new_exhibit(client, auth)["id"]
    stored = add(client, auth, slug, heading={"en": "One"}, item=PUBLISHED, region="0,0,10,10")
    section_id = stored.json()["sections"][0]["id"]
    before = audit_count(archive)
    moved = client.patch(
        f"/api/exhibits/{slug}/sections/{section_id}",
        json={"heading": {"en": "Changed"}, "item": "obj-1"},  # a 10,10 region fits obj-1 too
        headers=auth,
    )
    assert moved.status_code == 200 and moved.json()["sections"][0]["item"] == "obj-1"
    broken = client.patch(
        f"/api/exhibits/{slug}/sections/{section_id}",
        json={"heading": {"en": "Lost"}, "region": "0,0,999999,10"},
        headers=auth,
    )
    assert broken.status_code == 422
    kept = client.get(f"/api/exhibits/{slug}", headers=auth).json()["sections"][0]
    assert kept["heading"] == {"en": "Changed"} and kept["region"] == "0,0,10,10"
    assert audit_count(archive) == before + 1
    cleared = client.patch(
        f"/api/exhibits/{slug}/sections/{section_id}",
        json={"item": None, "region": ""},
        headers=auth,
    )
    assert cleared.json()["sections"][0]["item"] is None
    assert (
        client.patch(f"/api/exhibits/{slug}/sections/99999", json={}, headers=auth).status_code
        == 404
    )


def test_sections_are_reordered_and_removed(
    client: TestClient, auth: dict[str, str], archive: Archive
) -> None:
    slug = new_exhibit(client, auth)["id"]
    for heading in ("One", "Two", "Three"):
        add(client, auth, slug, heading={"en": heading})
    ids = [s["id"] for s in client.get(f"/api/exhibits/{slug}", headers=auth).json()["sections"]]
    before = audit_count(archive)
    for bad in ([ids[0], ids[1]], [ids[0], ids[0], ids[1]], [*ids, 99999]):
        refused = client.put(
            f"/api/exhibits/{slug}/sections/order", json={"order": bad}, headers=auth
        )
        assert refused.status_code == 422 and "every section id" in refused.json()["detail"]
    assert audit_count(archive) == before
    reordered = client.put(
        f"/api/exhibits/{slug}/sections/order", json={"order": ids[::-1]}, headers=auth
    ).json()["sections"]
    assert [(s["heading"]["en"], s["position"]) for s in reordered] == [
        ("Three", 1),
        ("Two", 2),
        ("One", 3),
    ]
    left = client.delete(f"/api/exhibits/{slug}/sections/{ids[1]}", headers=auth).json()
    assert [(s["heading"]["en"], s["position"]) for s in left["sections"]] == [
        ("Three", 1),
        ("One", 2),
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"title": {}},
        {"title": {"en": "  "}},
        {"title": {"en": "x" * 301}},
        {"title": {"en": "Fine"}, "summary": {"en": "x" * 5_001}},
        {"title": {"xx": "Fine"}},
        {"title": "Fine"},
        {"title": {"en": "Fine"}, "slug": "../etc"},
    ],
)
def test_bad_exhibit_fields_are_refused(
    client: TestClient, auth: dict[str, str], archive: Archive, body: dict[str, Any]
) -> None:
    before = audit_count(archive)
    assert client.post("/api/exhibits", json=body, headers=auth).status_code == 422
    assert audit_count(archive) == before


def test_a_duplicate_slug_and_an_emptied_title_are_refused(
    client: TestClient, auth: dict[str, str], archive: Archive
) -> None:
    slug = new_exhibit(client, auth)["id"]
    before = audit_count(archive)
    again = client.post("/api/exhibits", json={"title": TITLE}, headers=auth)
    assert again.status_code == 409 and "already exists" in again.json()["detail"]
    emptied = client.patch(f"/api/exhibits/{slug}", json={"title": {"en": ""}}, headers=auth)
    assert emptied.status_code == 422
    assert client.get(f"/api/exhibits/{slug}", headers=auth).json()["title"] == TITLE
    assert audit_count(archive) == before


def test_markup_in_texts_is_shown_escaped(client: TestClient, auth: dict[str, str]) -> None:
    attack = '<script>alert("x")</script>'
    slug = new_exhibit(client, auth, summary={"en": attack})["id"]
    add(client, auth, slug, heading={"en": attack}, body={"en": attack})
    client.patch(f"/api/exhibits/{slug}", json={"visibility": "published"}, headers=auth)
    page = client.get(f"/exhibits/{slug}", headers={**HTML, "accept-language": "en"}).text
    assert "<script>alert" not in page
    assert page.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") == 3


def test_only_a_draft_exhibit_can_be_deleted(client: TestClient, auth: dict[str, str]) -> None:
    slug = new_exhibit(client, auth)["id"]
    add(client, auth, slug, heading={"en": "One"}, item=PUBLISHED)
    client.patch(f"/api/exhibits/{slug}", json={"visibility": "published"}, headers=auth)
    refused = client.delete(f"/api/exhibits/{slug}", headers=auth)
    assert refused.status_code == 409 and "unpublish it" in refused.json()["detail"]
    client.patch(f"/api/exhibits/{slug}", json={"visibility": "draft"}, headers=auth)
    assert client.delete(f"/api/exhibits/{slug}", headers=auth).status_code == 204
    assert client.get(f"/api/exhibits/{slug}", headers=auth).status_code == 404
    assert client.get(f"/api/items/{PUBLISHED}").status_code == 200


def test_anonymous_writes_are_refused(
    client: TestClient, auth: dict[str, str], archive: Archive
) -> None:
    slug = new_exhibit(client, auth)["id"]
    section_id = add(client, auth, slug, heading={"en": "One"}).json()["sections"][0]["id"]
    before = audit_count(archive)
    calls = [
        client.post("/api/exhibits", json={"title": {"en": "x"}}),
        client.patch(f"/api/exhibits/{slug}", json={"visibility": "published"}),
        client.delete(f"/api/exhibits/{slug}"),
        client.post(f"/api/exhibits/{slug}/sections", json={"heading": {"en": "x"}}),
        client.patch(f"/api/exhibits/{slug}/sections/{section_id}", json={}),
        client.delete(f"/api/exhibits/{slug}/sections/{section_id}"),
        client.put(f"/api/exhibits/{slug}/sections/order", json={"order": [section_id]}),
    ]
    assert [r.status_code for r in calls] == [401] * len(calls)
    assert audit_count(archive) == before
