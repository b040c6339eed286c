"""Pages for visitors and scholars: home, collection, item, search and its exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from itertools import groupby
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy import select

from archive.api.deps import ArchiveDep, SessionDep, UserDep
from archive.api.visibility import base_url, get_visible_item, visible_items
from archive.catalogue.items import is_public
from archive.catalogue.models import (
    Collection,
    CollectionItem,
    Exhibit,
    Item,
    Page,
    Visibility,
)
from archive.catalogue.transcriptions import current_text
from archive.search_service import build_request
from archive.web import geography
from archive.web.i18n import BY_TAG, LANGUAGE_COOKIE, Language, request_language
from archive.web.present import (
    citation,
    gregorian,
    in_script,
    is_vertical,
    item_description,
    item_title,
    localised,
    page_still,
    written_and_gregorian,
)
from archive.web.rendering import KIOSK_COOKIE, Pages
from search import (
    CURSOR_START,
    FACETS,
    MAX_RESULT_WINDOW,
    BackendUnavailable,
    FacetName,
    IndexDocument,
    Place,
    QueryError,
    SearchResponse,
)

PAGE_SIZE = 20
REGION = re.compile(r"\d{1,6},\d{1,6},\d{1,6},\d{1,6}")
EXPORT_PAGE = 100
"""Results fetched per search while an export streams."""


def thumbnail(page: Page, size: int = 400) -> str:
    """The IIIF Image API URL of a page's thumbnail (best fit in a square)."""
    return f"/iiif/3/{page.public_id}/full/!{size},{size}/0/default.jpg"


def build_router(pages: Pages) -> APIRouter:
    """The public page routes, rendering with `pages`."""
    router = APIRouter(include_in_schema=False)

    @router.get("/", response_class=HTMLResponse)
    def home(request: Request, session: SessionDep, user: UserDep) -> HTMLResponse:
        """Home: collections and featured items."""
        language = request_language(request)
        query = select(Collection).order_by(Collection.title)
        if user is None:
            query = query.where(Collection.visibility == Visibility.published)
        collections = []
        for collection in session.scalars(query):
            members = _collection_items(session, collection, user)
            cover = next((i.pages[0] for i in members if i.pages), None)
            collections.append(
                {
                    "slug": collection.slug,
                    "title": in_script(collection.title, language),
                    "count": len(members),
                    "thumbnail": thumbnail(cover) if cover else None,
                }
            )
        exhibits = session.scalars(
            select(Exhibit).where(Exhibit.visibility == Visibility.published).order_by(Exhibit.id)
        ).all()
        featured = session.scalars(
            visible_items(user).where(Item.pages.any()).order_by(Item.id.desc()).limit(6)
        ).all()
        return pages.render(
            request,
            "home.html",
            collections=collections,
            featured=[_card(i, language) for i in featured],
            exhibits=[_exhibit_card(session, e, language) for e in exhibits],
        )

    @router.get("/language/{tag}")
    def switch_language(tag: str, next: str = "/") -> RedirectResponse:
        """Remember the reader's interface language and go back to the page they were on."""
        if tag not in BY_TAG:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no language {tag!r}")
        target = next if next.startswith("/") and not next.startswith("//") else "/"
        response = RedirectResponse(target, status.HTTP_303_SEE_OTHER)
        response.set_cookie(LANGUAGE_COOKIE, tag, max_age=365 * 86400, samesite="lax")
        return response

    @router.get("/kiosk")
    def kiosk(on: bool = True) -> RedirectResponse:
        """Turn kiosk mode on (full screen, large touch targets, back home when idle) or off."""
        response = RedirectResponse("/", status.HTTP_303_SEE_OTHER)
        if on:
            response.set_cookie(KIOSK_COOKIE, "1", max_age=365 * 86400, samesite="lax")
        else:
            response.delete_cookie(KIOSK_COOKIE)
        return response

    @router.get("/collections/{slug}", response_class=HTMLResponse)
    def collection_page(
        slug: str, request: Request, session: SessionDep, user: UserDep
    ) -> HTMLResponse:
        """A collection as a grid of thumbnails."""
        found = session.scalar(select(Collection).where(Collection.slug == slug))
        if found is None or (user is None and found.visibility != Visibility.published):
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no collection {slug!r}")
        language = request_language(request)
        return pages.render(
            request,
            "collection.html",
            collection=found,
            title=in_script(found.title, language),
            description=in_script(found.description, language),
            items=[_card(i, language) for i in _collection_items(session, found, user)],
        )

    @router.get("/items/{identifier}", response_class=HTMLResponse)
    def item_page(
        identifier: str,
        request: Request,
        session: SessionDep,
        user: UserDep,
        q: Annotated[str, Query(max_length=200)] = "",
        page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    ) -> HTMLResponse:
        """An item: the viewer, its metadata, transcriptions beside the image, a citation."""
        item = get_visible_item(session, identifier, user)
        language = request_language(request)
        base = base_url(request)
        manifest = f"{base}/iiif/items/{item.identifier}/manifest"
        permalink = f"{base}/items/{item.identifier}"
        texts = []
        for each in item.pages:
            version = current_text(session, each)
            text = version.text if version else ""
            texts.append(
                {
                    "label": each.label or each.public_id,
                    "text": text,
                    "vertical": is_vertical(item, text),
                    "by_curator": bool(version and version.kind.value == "curator"),
                }
            )
        canvas = min(page, max(len(item.pages), 1))
        return pages.render(
            request,
            "item.html",
            item=item,
            title=item_title(item, language),
            description=item_description(item, language),
            date=written_and_gregorian(item, language),
            metadata=_metadata(item, language, pages, request),
            texts=texts,
            manifest=manifest if item.pages else "",
            canvas=f"{base}/iiif/items/{item.identifier}/canvas/p{canvas}",
            page_number=canvas,
            still=page_still(item.pages[canvas - 1]) if item.pages else None,
            search_query=q,
            permalink=permalink,
            citation=citation(item, language, permalink, dt.date.today()),
        )

    @router.get("/timeline", response_class=HTMLResponse)
    def timeline(request: Request, session: SessionDep, user: UserDep) -> HTMLResponse:
        """The dated items by decade, oldest first."""
        language = request_language(request)
        dated = session.scalars(
            visible_items(user)
            .where(Item.date_start.is_not(None))
            .order_by(Item.date_start, Item.identifier)
        ).all()
        decades = [
            (decade, [_card(i, language) for i in members])
            for decade, members in groupby(dated, key=_decade)
        ]
        return pages.render(request, "timeline.html", decades=decades)

    @router.get("/map", response_class=HTMLResponse)
    def letter_map(request: Request, session: SessionDep, user: UserDep) -> HTMLResponse:
        """Where the letters were sent from and to, on an SVG map, with a table of routes."""
        language = request_language(request)
        pairs = session.execute(
            visible_items(user)
            .with_only_columns(Item.sending_place, Item.receiving_place)
            .where(Item.sending_place != "", Item.receiving_place != "")
        ).all()
        found = geography.routes((a, b) for a, b in pairs)

        def place_name(place: Place) -> str:
            return localised(place.name, language, place.id)

        world, inset = geography.views(found, place_name)
        return pages.render(
            request, "map.html", routes=found, world=world, inset=inset, place_name=place_name
        )

    @router.get("/exhibits/{slug}", response_class=HTMLResponse)
    def exhibit_page(
        slug: str, request: Request, session: SessionDep, user: UserDep
    ) -> HTMLResponse:
        """An exhibit: a narrative in sections, each with a featured image or image region."""
        found = session.scalar(select(Exhibit).where(Exhibit.slug == slug))
        if found is None or (user is None and found.visibility != Visibility.published):
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no exhibit {slug!r}")
        language = request_language(request)
        sections = []
        for section in found.sections:
            item = session.get(Item, section.item_id) if section.item_id else None
            visible = item is not None and (user is not None or is_public(item))
            page = session.get(Page, section.page_id) if section.page_id else None
            if visible and item is not None and page is None and item.pages:
                page = item.pages[0]
            sections.append(
                {
                    "heading": localised(section.heading, language, ""),
                    "body": localised(section.body, language, ""),
                    "item": _card(item, language) if visible and item is not None else None,
                    "image": _region_url(page, section.region) if visible and page else None,
                }
            )
        return pages.render(
            request,
            "exhibit.html",
            title=localised(found.title, language, found.slug),
            summary=localised(found.summary, language, ""),
            sections=sections,
            draft=found.visibility != Visibility.published,
        )

    @router.get("/search", response_class=HTMLResponse)
    def search_page(
        request: Request,
        archive: ArchiveDep,
        q: Annotated[str, Query(max_length=500)] = "",
        date_from: Annotated[str, Query(max_length=100)] = "",
        date_to: Annotated[str, Query(max_length=100)] = "",
        page: Annotated[int, Query(ge=1, le=MAX_RESULT_WINDOW // PAGE_SIZE)] = 1,
    ) -> HTMLResponse:
        """Full-text search with facets, date range, highlighted snippets and paging."""
        language = request_language(request)
        filters = _filters(request)
        error = ""
        response: SearchResponse | None = None
        try:
            response = archive.search.search(
                build_request(
                    q,
                    filters=filters,
                    date_from=date_from or None,
                    date_to=date_to or None,
                    page=page,
                    size=PAGE_SIZE,
                )
            )
        except (QueryError, BackendUnavailable) as exc:
            error = str(exc)
        hits = []
        if response is not None:
            for hit in response.hits:
                first_page = next((h.page for h in hit.highlights if h.page), 1)
                hits.append(
                    {
                        "id": hit.id,
                        "title": localised(hit.document.titles, language, hit.id),
                        "date": _hit_date(hit.document, language),
                        "snippets": [h.fragment for h in hit.highlights],
                        "url": f"/items/{hit.id}?"
                        + urlencode({"q": q, "page": first_page} if q else {}),
                    }
                )
        total = response.total if response else 0
        params = _params_without(request, "page")
        return pages.render(
            request,
            "search.html",
            status_code=400 if error else 200,
            q=q,
            date_from=date_from,
            date_to=date_to,
            error=error,
            total=total,
            hits=hits,
            facets=_facet_view(response, filters, request),
            page=page,
            # Numbered pages stop at the result window; past it, the export has them all.
            pages_total=max(1, -(-min(total, MAX_RESULT_WINDOW) // PAGE_SIZE)),
            more_than_pages=f"{MAX_RESULT_WINDOW:,}" if total > MAX_RESULT_WINDOW else "",
            page_link=lambda n: "/search?" + urlencode([*params, ("page", str(n))]),
            export_query=urlencode(params),
        )

    @router.get("/search/export.{extension}")
    def export(
        extension: str,
        request: Request,
        archive: ArchiveDep,
        q: Annotated[str, Query(max_length=500)] = "",
        date_from: Annotated[str, Query(max_length=100)] = "",
        date_to: Annotated[str, Query(max_length=100)] = "",
    ) -> Response:
        """Every result of a search as CSV or JSON, for a scholar's own tools: paged through
        with a cursor and streamed, so a result set of any size comes whole."""
        if extension not in ("csv", "json"):
            raise HTTPException(status.HTTP_404_NOT_FOUND, "export as .csv or .json")
        base = base_url(request)
        filters = _filters(request)

        def fetch(cursor: str) -> SearchResponse:
            wanted = build_request(
                q,
                filters=filters,
                date_from=date_from or None,
                date_to=date_to or None,
                size=EXPORT_PAGE,
                cursor=cursor,
            )
            return archive.search.search(replace(wanted, facets=(), highlight=False))

        try:
            # The first page before answering, so a bad query or an outage gets its status.
            first = fetch(CURSOR_START)
        except QueryError as exc:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, str(exc)) from exc
        except BackendUnavailable as exc:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc)) from exc

        def pages() -> Iterator[list[dict[str, Any]]]:
            response = first
            while True:
                yield [_export_row(hit, base) for hit in response.hits]
                if response.next_cursor is None:
                    return
                response = fetch(response.next_cursor)

        disposition = {"Content-Disposition": f'attachment; filename="qiaopi-search.{extension}"'}
        if extension == "json":
            return StreamingResponse(
                _json_array(pages()), media_type="application/json", headers=disposition
            )
        return StreamingResponse(
            _csv_table(pages()), media_type="text/csv; charset=utf-8", headers=disposition
        )

    return router


_EXPORT_FIELDS = (
    "id",
    "title_zh_hant",
    "title_zh_hans",
    "title_en",
    "date",
    "type",
    "sender",
    "recipient",
    "sending_place",
    "receiving_place",
    "url",
    "manifest",
)


def _json_array(pages: Iterator[list[dict[str, Any]]]) -> Iterator[str]:
    """A JSON array of the rows, a page at a time."""
    yield "["
    separator = "\n"
    for rows in pages:
        for row in rows:
            yield separator + json.dumps(row, ensure_ascii=False)
            separator = ",\n"
    yield "\n]\n"


def _csv_table(pages: Iterator[list[dict[str, Any]]]) -> Iterator[str]:
    """A CSV table of the rows, a page at a time; the byte order mark tells spreadsheet
    programs the text is UTF-8, so Chinese shows as written."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(_EXPORT_FIELDS))
    out.write("\ufeff")
    writer.writeheader()
    for rows in pages:
        writer.writerows(rows)
        yield out.getvalue()
        out.seek(0)
        out.truncate()


def _export_row(hit: Any, base: str) -> dict[str, Any]:
    document = hit.document
    return {
        "id": hit.id,
        "title_zh_hant": document.titles.get("zh-Hant", ""),
        "title_zh_hans": document.titles.get("zh-Hans", ""),
        "title_en": document.titles.get("en", ""),
        "date": document.fields.get("date", ""),
        "type": document.type or "",
        "sender": document.sender or "",
        "recipient": document.recipient or "",
        "sending_place": document.sending_place or "",
        "receiving_place": document.receiving_place or "",
        "url": f"{base}/items/{hit.id}",
        "manifest": f"{base}/iiif/items/{hit.id}/manifest",
    }


def _region_url(page: Page, region: str) -> str:
    """A IIIF URL of a page region (`x,y,w,h`, or the full image when none is given),
    at most 1000 px on its long side and never upscaled (level 2 servers refuse that)."""
    if REGION.fullmatch(region):
        width, height = (int(n) for n in region.split(",")[2:])
    else:
        region, width, height = "full", page.width, page.height
    size = "!1000,1000" if max(width, height) > 1000 else "max"
    return f"/iiif/3/{page.public_id}/{region}/{size}/0/default.jpg"


def _exhibit_card(session: SessionDep, exhibit: Exhibit, language: Language) -> dict[str, Any]:
    items = (session.get(Item, s.item_id) for s in exhibit.sections if s.item_id is not None)
    cover = next((i.pages[0] for i in items if i is not None and is_public(i) and i.pages), None)
    return {
        "slug": exhibit.slug,
        "title": localised(exhibit.title, language, exhibit.slug),
        "summary": localised(exhibit.summary, language, ""),
        "thumbnail": thumbnail(cover) if cover else None,
    }


def _hit_date(document: IndexDocument, language: Language) -> str:
    written = document.fields.get("date", "")
    reading = gregorian(document.date_start, document.date_end, language)
    return f"{written} ({reading})" if written and reading else written or reading


def _collection_items(session: SessionDep, collection: Collection, user: UserDep) -> list[Item]:
    query = (
        visible_items(user)
        .join(CollectionItem, CollectionItem.item_id == Item.id)
        .where(CollectionItem.collection_id == collection.id)
        .order_by(Item.date_start, Item.identifier)
    )
    return list(session.scalars(query))


def _card(item: Item, language: Language) -> dict[str, Any]:
    return {
        "identifier": item.identifier,
        "title": item_title(item, language),
        "date": written_and_gregorian(item, language),
        "thumbnail": thumbnail(item.pages[0]) if item.pages else None,
        "visibility": item.visibility.value,
    }


def _metadata(
    item: Item, language: Language, pages: Pages, request: Request
) -> list[tuple[str, str]]:
    tr = pages.gettext
    rows = [
        (tr(request, "Identifier"), item.identifier),
        (tr(request, "Date"), written_and_gregorian(item, language)),
        (tr(request, "Sender"), item.sender),
        (tr(request, "Recipient"), item.recipient),
        (tr(request, "Sent from"), item.sending_place),
        (tr(request, "Sent to"), item.receiving_place),
        (tr(request, "Amount"), " ".join(filter(None, [item.amount_text, item.currency_text]))),
        (tr(request, "Remittance house"), item.remittance_house),
        (tr(request, "Physical description"), item.physical_description),
        (tr(request, "Provenance"), item.provenance),
        (tr(request, "Accession number"), item.accession_number),
        (tr(request, "Rights"), item.rights),
    ]
    return [(label, value) for label, value in rows if value]


def _filters(request: Request) -> dict[FacetName, list[str]]:
    return {
        name: [v[:200] for v in request.query_params.getlist(name)][:20]
        for name in FACETS
        if request.query_params.getlist(name)
    }


def _params_without(request: Request, *names: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.query_params.multi_items() if k not in names]


def _facet_view(
    response: SearchResponse | None, filters: dict[FacetName, list[str]], request: Request
) -> list[dict[str, Any]]:
    if response is None:
        return []
    view = []
    for name, counts in response.facets.items():
        if not counts:
            continue
        chosen = filters.get(name, [])
        view.append(
            {
                "name": name,
                "values": [
                    {"value": c.value, "count": c.count, "checked": c.value in chosen}
                    for c in counts
                ],
            }
        )
    return view


def _decade(item: Item) -> int:
    assert item.date_start is not None
    return item.date_start.year // 10 * 10
