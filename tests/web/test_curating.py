"""Curator pages for collections and exhibits: CSRF, sign-in, messages beside the fields,
nothing saved on error, escaping, and what visitors then see."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from archive.catalogue.models import (
    AuditEntry,
    Collection,
    CollectionItem,
    Exhibit,
    Item,
    Job,
    JobStatus,
)
from archive.context import Archive
from archive.jobs.worker import run_until_empty
from tests.web.conftest import DRAFT_ITEM, TAISHAN_ITEM
from tests.web.helpers import HTML, csrf_of, sign_in

PREFIX = "t-curating-"


def audit_count(archive: Archive) -> int:
    with archive.catalogue.reader() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def error_beside(html: str, key: str) -> str:
    """The message shown beside the field `key`."""
    assert f'id="e-{key}"' in html, f"no message beside {key}"
    return html.split(f'id="e-{key}">', 1)[1].split("</p>", 1)[0]


@pytest.fixture(autouse=True)
def remove_what_the_test_made(web_archive: Archive) -> Iterator[None]:
    """The shared archive gets back to what the other web tests expect."""
    yield
    with web_archive.catalogue.session() as session:
        for model in (Collection, Exhibit):
            for found in session.scalars(select(model).where(model.slug.startswith(PREFIX))):
                session.delete(found)
    run_until_empty(web_archive, kinds=["index"])


@pytest.fixture
def english(client: TestClient) -> TestClient:
    client.get("/language/en")
    return client


def page_of(client: TestClient, path: str) -> str:
    response = client.get(path, headers=HTML)
    assert response.status_code == 200, response.text
    return response.text


def create_collection(client: TestClient, token: str, title: str, slug: str) -> str:
    response = client.post(
        "/curator/collections",
        data={"title": title, "slug": slug, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/curator/collections/{slug}?saved=1"
    return slug


def create_exhibit(client: TestClient, token: str, slug: str) -> str:
    response = client.post(
        "/curator/exhibits",
        data={
            "title_zh_hant": "金山來信",
            "title_en": "Letters from Gold Mountain",
            "summary_en": "Letters sent home.",
            "slug": slug,
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return slug


def page_size(archive: Archive, identifier: str) -> tuple[int, int]:
    with archive.catalogue.reader() as session:
        item = session.scalars(select(Item).where(Item.identifier == identifier)).one()
        return item.pages[0].width, item.pages[0].height


def section_ids(archive: Archive, slug: str) -> list[int]:
    with archive.catalogue.reader() as session:
        exhibit = session.scalars(select(Exhibit).where(Exhibit.slug == slug)).one()
        return [s.id for s in exhibit.sections]


def test_the_dashboard_links_to_collections_and_exhibits(client: TestClient) -> None:
    sign_in(client)
    dashboard = page_of(client, "/curator")
    assert 'href="/curator/collections"' in dashboard
    assert 'href="/curator/exhibits"' in dashboard


@pytest.mark.parametrize(
    ("page", "path", "data"),
    [
        ("/curator/collections", "/curator/collections", {"title": "Anonymous"}),
        (
            "/curator/collections/xinhui-letters",
            "/curator/collections/xinhui-letters/visibility",
            {"visibility": "draft"},
        ),
        (
            "/curator/collections/xinhui-letters",
            "/curator/collections/xinhui-letters/delete",
            {"confirm": "yes"},
        ),
        ("/curator/exhibits", "/curator/exhibits", {"title_en": "Anonymous"}),
        (
            "/curator/exhibits/letters-home",
            "/curator/exhibits/letters-home/visibility",
            {"visibility": "draft"},
        ),
        (
            "/curator/exhibits/letters-home",
            "/curator/exhibits/letters-home/sections",
            {"heading_en": "Anonymous"},
        ),
    ],
)
def test_visitors_are_sent_to_sign_in_and_nothing_changes(
    client: TestClient, web_archive: Archive, page: str, path: str, data: dict[str, str]
) -> None:
    shown = client.get(page, headers=HTML, follow_redirects=False)
    assert shown.status_code == 303
    assert shown.headers["location"] == f"/curator/sign-in?next={page}"
    token = csrf_of(page_of(client, "/curator/sign-in"))  # a visitor's own, valid token
    before = audit_count(web_archive)
    response = client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/curator/sign-in?next=")
    assert audit_count(web_archive) == before


@pytest.mark.parametrize(
    "path",
    [
        "/curator/collections",
        "/curator/collections/xinhui-letters",
        "/curator/collections/xinhui-letters/items",
        "/curator/collections/xinhui-letters/visibility",
        "/curator/exhibits",
        "/curator/exhibits/letters-home",
        "/curator/exhibits/letters-home/sections",
        "/curator/exhibits/letters-home/visibility",
        "/curator/exhibits/letters-home/delete",
    ],
)
def test_a_forged_post_without_the_token_changes_nothing(
    client: TestClient, web_archive: Archive, path: str
) -> None:
    sign_in(client)
    before = audit_count(web_archive)
    data = {
        "title": "Forged",
        "title_en": "Forged",
        "visibility": "draft",
        "confirm": "yes",
        "identifiers": DRAFT_ITEM,
        "heading_en": "Forged",
    }
    assert client.post(path, data=data).status_code == 403
    assert client.post(path, data={**data, "csrf_token": "guess"}).status_code == 403
    assert audit_count(web_archive) == before


def test_a_curator_builds_a_collection(client: TestClient, web_archive: Archive) -> None:
    token = sign_in(client)
    slug = create_collection(client, token, "Remittance slips 批單", PREFIX + "slips")
    listing = page_of(client, "/curator/collections")
    assert f'href="/curator/collections/{slug}"' in listing
    with TestClient(client.app) as visitor:
        assert visitor.get(f"/collections/{slug}", headers=HTML).status_code == 404

    found = page_of(client, f"/curator/collections/{slug}?q=qp-1932")
    assert f'value="{TAISHAN_ITEM}"' in found
    added = client.post(
        f"/curator/collections/{slug}/items",
        data={"item": TAISHAN_ITEM, "identifiers": f"{DRAFT_ITEM},", "csrf_token": token},
        follow_redirects=False,
    )
    assert added.status_code == 303
    with web_archive.catalogue.reader() as session:
        queued = set(
            session.scalars(
                select(Job.target).where(Job.kind == "index", Job.status == JobStatus.queued)
            )
        )
    assert {TAISHAN_ITEM, DRAFT_ITEM} <= queued
    members = page_of(client, f"/curator/collections/{slug}")
    assert f"/curator/collections/{slug}/items/{DRAFT_ITEM}/remove" in members

    client.post(
        f"/curator/collections/{slug}/visibility",
        data={"visibility": "published", "csrf_token": token},
    )
    with TestClient(client.app) as visitor:
        public = visitor.get(f"/collections/{slug}", headers=HTML)
        assert public.status_code == 200
        assert f"/items/{TAISHAN_ITEM}" in public.text and f"/items/{DRAFT_ITEM}" not in public.text
        assert visitor.get(f"/iiif/collections/{slug}").status_code == 200

    refused = client.post(
        f"/curator/collections/{slug}/delete", data={"confirm": "yes", "csrf_token": token}
    )
    assert refused.status_code == 409
    client.post(
        f"/curator/collections/{slug}/visibility", data={"visibility": "draft", "csrf_token": token}
    )
    unconfirmed = client.post(f"/curator/collections/{slug}/delete", data={"csrf_token": token})
    assert unconfirmed.status_code == 422 and 'id="e-delete"' in unconfirmed.text
    client.post(
        f"/curator/collections/{slug}/items/{DRAFT_ITEM}/remove", data={"csrf_token": token}
    )
    deleted = client.post(
        f"/curator/collections/{slug}/delete",
        data={"confirm": "yes", "csrf_token": token},
        follow_redirects=False,
    )
    assert deleted.headers["location"] == "/curator/collections?deleted=1"
    with web_archive.catalogue.reader() as session:
        assert session.scalar(select(Collection).where(Collection.slug == slug)) is None
        assert session.scalar(select(Item).where(Item.identifier == TAISHAN_ITEM)) is not None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "Required."),
        ({"title": "x" * 301}, "title", "at most 300 characters"),
        ({"title": "Fine", "description": "x" * 10_001}, "description", "at most 10000"),
        ({"title": "Fine", "slug": "Not a slug!"}, "slug", "lower-case letters"),
        ({"title": "Taishan", "slug": "xinhui-letters"}, "slug", "already used"),
    ],
)
def test_bad_collection_fields_get_a_message_beside_them(
    english: TestClient, web_archive: Archive, data: dict[str, str], field: str, message: str
) -> None:
    token = sign_in(english)
    before = audit_count(web_archive)
    response = english.post("/curator/collections", data={**data, "csrf_token": token})
    assert response.status_code == 422
    assert message in error_beside(response.text, field)
    assert "Nothing was saved" in response.text
    assert audit_count(web_archive) == before


def test_unknown_identifiers_add_nothing(english: TestClient, web_archive: Archive) -> None:
    token = sign_in(english)
    slug = create_collection(english, token, "Unknowns", PREFIX + "unknowns")
    before = audit_count(web_archive)
    response = english.post(
        f"/curator/collections/{slug}/items",
        data={"item": TAISHAN_ITEM, "identifiers": "qp-nope <b>x</b>", "csrf_token": token},
    )
    assert response.status_code == 422
    message = error_beside(response.text, "identifiers")
    assert "qp-nope" in message and "&lt;b&gt;x&lt;/b&gt;" in message
    assert audit_count(web_archive) == before
    with web_archive.catalogue.reader() as session:
        collection = session.scalars(select(Collection).where(Collection.slug == slug)).one()
        assert (
            session.scalar(
                select(func.count()).where(CollectionItem.collection_id == collection.id)
            )
            == 0
        )
    nothing = english.post(f"/curator/collections/{slug}/items", data={"csrf_token": token})
    assert "at least one item" in error_beside(nothing.text, "identifiers")


def test_markup_in_titles_is_shown_escaped(client: TestClient) -> None:
    token = sign_in(client)
    attack = '<script>alert("x")</script>'
    slug = create_collection(client, token, attack, PREFIX + "attack")
    for path in ("/curator/collections", f"/curator/collections/{slug}"):
        html = page_of(client, path)
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    exhibit = client.post(
        "/curator/exhibits",
        data={"title_en": attack, "slug": PREFIX + "attack", "csrf_token": token},
        follow_redirects=False,
    )
    assert exhibit.status_code == 303
    html = page_of(client, f"/curator/exhibits/{PREFIX}attack")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_a_curator_writes_orders_and_publishes_an_exhibit(
    client: TestClient, web_archive: Archive
) -> None:
    token = sign_in(client)
    slug = create_exhibit(client, token, PREFIX + "gold-mountain")
    width, height = page_size(web_archive, TAISHAN_ITEM)
    region = f"0,0,{width // 2},{height // 2}"
    for heading, item, where in (("The envelope", TAISHAN_ITEM, region), ("Home", "", "")):
        added = client.post(
            f"/curator/exhibits/{slug}/sections",
            data={
                "heading_en": heading,
                "body_en": f"About {heading}.",
                "item": item,
                "region": where,
                "csrf_token": token,
            },
            follow_redirects=False,
        )
        assert added.status_code == 303, added.text
    first, second = section_ids(web_archive, slug)
    editor = page_of(client, f"/curator/exhibits/{slug}")
    assert f"/iiif/3/{TAISHAN_ITEM}-p1/{region}/" in editor
    assert f"{width} × {height}" in editor
    with TestClient(client.app) as visitor:
        assert visitor.get(f"/exhibits/{slug}", headers=HTML).status_code == 404
        assert visitor.get(f"/api/exhibits/{slug}").status_code == 404
    assert "exhibit-draft" in page_of(client, f"/exhibits/{slug}")  # curators preview drafts

    client.post(
        f"/curator/exhibits/{slug}/sections/{second}/move",
        data={"direction": "up", "csrf_token": token},
    )
    assert section_ids(web_archive, slug) == [second, first]
    client.post(
        f"/curator/exhibits/{slug}/visibility",
        data={"visibility": "published", "csrf_token": token},
    )
    with TestClient(client.app) as visitor:
        visitor.get("/language/en")
        public = visitor.get(f"/exhibits/{slug}", headers=HTML).text
        assert public.index("About Home.") < public.index("About The envelope.")
        assert "exhibit-draft" not in public
        assert f"/iiif/3/{TAISHAN_ITEM}-p1/{region}/" in public
    client.post(f"/curator/exhibits/{slug}/sections/{second}/remove", data={"csrf_token": token})
    assert section_ids(web_archive, slug) == [first]
    client.post(
        f"/curator/exhibits/{slug}/visibility", data={"visibility": "draft", "csrf_token": token}
    )
    with TestClient(client.app) as visitor:
        assert visitor.get(f"/exhibits/{slug}", headers=HTML).status_code == 404
    deleted = client.post(
        f"/curator/exhibits/{slug}/delete",
        data={"confirm": "yes", "csrf_token": token},
        follow_redirects=False,
    )
    assert deleted.headers["location"] == "/curator/exhibits?deleted=1"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"item": "qp-nope"}, "item", "No item with identifier qp-nope"),
        ({"item": TAISHAN_ITEM, "region": "0,0,{w1},10"}, "region", "does not fit"),
        ({"item": TAISHAN_ITEM, "region": "0,0,10"}, "region", "x,y,w,h"),
        ({"item": TAISHAN_ITEM, "region": "a,b,c,d"}, "region", "x,y,w,h"),
        ({"item": TAISHAN_ITEM, "page": "99"}, "page", "no page 99"),
        ({"item": TAISHAN_ITEM, "page": "two"}, "page", "Not a page number"),
        ({"item": "", "region": "0,0,5,5"}, "item", "needs an item"),
        ({"heading_en": ""}, "heading", "a heading, a text or an item"),
        ({"heading_en": "x" * 301}, "heading_en", "at most 300"),
    ],
)
def test_bad_sections_get_a_message_beside_the_field(
    english: TestClient, web_archive: Archive, data: dict[str, str], field: str, message: str
) -> None:
    token = sign_in(english)
    slug = create_exhibit(english, token, PREFIX + "bad-sections")
    width, _ = page_size(web_archive, TAISHAN_ITEM)
    sent = {k: v.format(w1=width + 1) for k, v in data.items()}
    before = audit_count(web_archive)
    added = english.post(f"/curator/exhibits/{slug}/sections", data={**sent, "csrf_token": token})
    assert added.status_code == 422
    assert message in error_beside(added.text, f"new-{field}")
    assert audit_count(web_archive) == before and section_ids(web_archive, slug) == []

    if field == "heading":
        return  # with an item, a section needs no heading: nothing more to refuse
    english.post(
        f"/curator/exhibits/{slug}/sections",
        data={"heading_en": "Kept", "item": TAISHAN_ITEM, "csrf_token": token},
    )
    (section,) = section_ids(web_archive, slug)
    before = audit_count(web_archive)
    edited = english.post(
        f"/curator/exhibits/{slug}/sections/{section}",
        data={"heading_en": "Kept", "item": TAISHAN_ITEM, **sent, "csrf_token": token},
    )
    assert edited.status_code == 422
    assert message in error_beside(edited.text, f"s{section}-{field}")
    assert audit_count(web_archive) == before


def test_an_exhibit_needs_a_title_and_a_free_address(
    client: TestClient, web_archive: Archive
) -> None:
    token = sign_in(client)
    before = audit_count(web_archive)
    with web_archive.catalogue.reader() as session:
        exhibits = session.scalar(select(func.count()).select_from(Exhibit))
    untitled = client.post(
        "/curator/exhibits", data={"summary_en": "No title", "csrf_token": token}
    )
    assert untitled.status_code == 422
    assert "請至少用一種語言填寫標題" in error_beside(untitled.text, "title")
    taken = client.post(
        "/curator/exhibits", data={"title_en": "Again", "slug": "letters-home", "csrf_token": token}
    )
    assert taken.status_code == 422 and "letters-home" in error_beside(taken.text, "slug")
    assert audit_count(web_archive) == before
    with web_archive.catalogue.reader() as session:
        assert session.scalar(select(func.count()).select_from(Exhibit)) == exhibits
