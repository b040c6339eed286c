"""Searching the archive: HTTP/CLI parameters → a `SearchRequest`, and reindexing."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import select

from archive.catalogue.models import Item, Visibility
from archive.context import Archive
from archive.indexing import index_document
from archive.steps.index import page_texts
from search import FacetName, IndexDocument, QueryError, SearchRequest, SearchResponse
from search.query import date_bound


def build_request(
    q: str,
    *,
    filters: Mapping[FacetName, Sequence[str]],
    date_from: str | None = None,
    date_to: str | None = None,
    sort: str = "relevance",
    page: int = 1,
    size: int = 20,
    cursor: str | None = None,
) -> SearchRequest:
    """A validated search request; raises QueryError saying what to change."""
    if page < 1:
        raise QueryError(f"page {page} is out of range: pages start at 1")
    if cursor is not None and page != 1:
        raise QueryError("page with either `page` or `cursor`, not both")
    return SearchRequest(
        q=q,
        filters={name: tuple(values) for name, values in filters.items() if values},
        date_from=date_bound(date_from, end=False) if date_from else None,
        date_to=date_bound(date_to, end=True) if date_to else None,
        sort=sort,  # type: ignore[arg-type]
        offset=(page - 1) * size,
        limit=size,
        cursor=cursor,
    )


def response_json(response: SearchResponse, base: str) -> dict[str, Any]:
    """The JSON shape of `GET /api/search` and `qiaopi search --json`."""
    return {
        "total": response.total,
        "next_cursor": response.next_cursor,
        "hits": [
            {
                "id": hit.id,
                "score": hit.score,
                "titles": hit.document.titles,
                "date": hit.document.fields.get("date", ""),
                "type": hit.document.type,
                "url": f"{base}/api/items/{hit.id}",
                "manifest": f"{base}/iiif/items/{hit.id}/manifest",
                "highlights": [
                    {"field": h.field, "page": h.page, "fragment": h.fragment}
                    for h in hit.highlights
                ],
            }
            for hit in response.hits
        ],
        "facets": {
            name: [{"value": f.value, "count": f.count} for f in counts]
            for name, counts in response.facets.items()
        },
    }


def published_documents(archive: Archive) -> Iterator[IndexDocument]:
    """The index document of every published item, for a full reindex."""
    with archive.catalogue.reader() as session:
        items = session.scalars(
            select(Item).where(Item.visibility == Visibility.published).order_by(Item.id)
        )
        for item in items:
            yield index_document(item, page_texts(session, item))


def published_count(archive: Archive) -> int:
    """How many items a full reindex will index."""
    with archive.catalogue.reader() as session:
        return len(
            session.scalars(select(Item.id).where(Item.visibility == Visibility.published)).all()
        )


def reindex(archive: Archive, on_document: Callable[[], None] | None = None) -> int:
    """Rebuild the whole index from the catalogue and swap it in; returns how many."""

    def counted() -> Iterator[IndexDocument]:
        for document in published_documents(archive):
            yield document
            if on_document:
                on_document()

    return archive.search.reindex(counted())
