"""Requests and responses of a search, shared by every backend."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal

from search.document import FACETS, FacetName, IndexDocument

MAX_QUERY_LENGTH = 1_000
MAX_PAGE_SIZE = 100
MAX_RESULT_WINDOW = 10_000
"""offset + limit may not pass this: deeper pages are reached with a cursor."""
CURSOR_START = "*"
"""The `cursor` of a cursor-paged search's first page."""
MAX_CURSOR_LENGTH = 500
MAX_FACET_SIZE = 100

Sort = Literal["relevance", "date", "-date"]


class QueryError(ValueError):
    """The request cannot be run as given; the message says what to change (HTTP 400)."""


@dataclass(frozen=True)
class SearchRequest:
    """One search: query text in user syntax, facet filters, dates, sort, page, facets.

    `filters` maps a facet name to accepted values (any of them; facets are ANDed).
    Invalid values raise `QueryError` at construction, before any backend is touched.
    """

    q: str = ""
    filters: dict[FacetName, tuple[str, ...]] = field(default_factory=dict)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: Sort = "relevance"
    offset: int = 0
    limit: int = 20
    facets: tuple[FacetName, ...] = FACETS
    facet_size: int = 20
    highlight: bool = True
    cursor: str | None = None
    """Cursor paging, as deep as the results go: CURSOR_START for the first page, then each
    response's `next_cursor` (offset paging stops at MAX_RESULT_WINDOW)."""

    def __post_init__(self) -> None:
        if len(self.q) > MAX_QUERY_LENGTH:
            raise QueryError(
                f"query is {len(self.q)} characters long; shorten it to at most {MAX_QUERY_LENGTH}"
            )
        if not 1 <= self.limit <= MAX_PAGE_SIZE:
            raise QueryError(f"page size {self.limit} is out of range: use 1 to {MAX_PAGE_SIZE}")
        if self.offset < 0:
            raise QueryError(f"offset {self.offset} is negative: use 0 or more")
        if self.cursor is not None and self.offset:
            raise QueryError("page with either an offset or a cursor, not both")
        if self.cursor is not None and len(self.cursor) > MAX_CURSOR_LENGTH:
            raise QueryError(
                f"cursor is not one this archive gave: start again with {CURSOR_START}"
            )
        if self.cursor is None and self.offset + self.limit > MAX_RESULT_WINDOW:
            raise QueryError(
                f"results past {MAX_RESULT_WINDOW} cannot be paged to by offset "
                f"(offset {self.offset}): page with a cursor ({CURSOR_START} for the first "
                "page), or narrow the search with filters or a date range"
            )
        if self.sort not in ("relevance", "date", "-date"):
            raise QueryError(f"unknown sort {self.sort!r}: use relevance, date or -date")
        unknown = [name for name in (*self.filters, *self.facets) if name not in FACETS]
        if unknown:
            raise QueryError(f"unknown facet {unknown[0]!r}: use one of {', '.join(FACETS)}")
        if not 1 <= self.facet_size <= MAX_FACET_SIZE:
            raise QueryError(
                f"facet size {self.facet_size} is out of range: use 1 to {MAX_FACET_SIZE}"
            )
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise QueryError(
                f"date range ends ({self.date_to}) before it starts ({self.date_from}): "
                "swap the two dates"
            )


@dataclass(frozen=True)
class Highlight:
    """Where a hit matched, on the original text: an HTML fragment with <mark> tags and
    the matched spans as [start, end) offsets into that field's (or page's) text."""

    field: str
    fragment: str
    spans: tuple[tuple[int, int], ...]
    page: int | None = None


@dataclass(frozen=True)
class Hit:
    """One result: the document, its score (0 when sorted by date) and highlights."""

    id: str
    score: float
    document: IndexDocument
    highlights: tuple[Highlight, ...] = ()


@dataclass(frozen=True)
class FacetCount:
    """One facet value and how many matching documents carry it."""

    value: str
    count: int


@dataclass(frozen=True)
class SearchResponse:
    """Total matches, one page of hits, and facet counts over all matches; for a cursor-paged
    search, the cursor of the next page (None after the last)."""

    total: int
    hits: tuple[Hit, ...]
    facets: dict[FacetName, tuple[FacetCount, ...]]
    next_cursor: str | None = None


class BackendUnavailable(RuntimeError):
    """The search engine cannot be reached; retry later (HTTP 503, job requeued)."""
