"""Cursors for paging deep into results: opaque, URL-safe tokens saying where the next page
starts, made and read by the backend that answered (each knows its own position).

A cursor also names the sort it was made for, so one used with another sort is refused, and
how many hits came before it (the embedded engine's offset). Backends fetch one hit more than
a page holds to know whether another page follows: counting against the total would skip hits
when the index changes between pages.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from search.models import CURSOR_START, QueryError, SearchRequest


@dataclass(frozen=True, slots=True)
class Position:
    """Where a cursor-paged search stands: hits already shown, and the sort values of the
    last of them (for engines that page by them)."""

    seen: int
    after: tuple[float | int | str, ...] = ()


def refused_cursor() -> QueryError:
    """The error for a cursor this search did not give (garbled, or for another sort)."""
    return QueryError(
        f"cursor is not one this archive gave for this search: start again with cursor "
        f"{CURSOR_START}"
    )


def read_cursor(request: SearchRequest) -> Position:
    """The position a request's cursor names (the start for CURSOR_START); raises
    QueryError for a cursor this search did not give."""
    token = request.cursor
    if token is None or token == CURSOR_START:
        return Position(0)
    try:
        value = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
    except (UnicodeError, binascii.Error, ValueError):
        raise refused_cursor() from None
    if not isinstance(value, dict) or value.get("sort") != request.sort:
        raise refused_cursor()
    seen, after = value.get("seen"), value.get("after", [])
    valid_after = isinstance(after, list) and all(
        isinstance(v, int | float | str) and not isinstance(v, bool) for v in after
    )
    if type(seen) is not int or seen < 0 or not valid_after:
        raise refused_cursor()
    return Position(seen, tuple(after))


def next_cursor(request: SearchRequest, position: Position) -> str:
    """The cursor of the page after one ending at `position`."""
    value = {"sort": request.sort, "seen": position.seen, "after": list(position.after)}
    return base64.urlsafe_b64encode(json.dumps(value).encode("utf-8")).decode("ascii")
