"""The backend-neutral query plan: what to match, whatever engine runs it.

The parser produces these nodes; each backend translates them one-to-one into its own
queries, so the embedded engine and Elasticsearch score the same clauses the same way.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

TextField = Literal["all", "title"]
Stream = Literal["bi", "uni"]


@dataclass(frozen=True, slots=True)
class Match:
    """Consecutive tokens in a text field's stream: one token is a term, more a phrase."""

    field: TextField
    stream: Stream
    tokens: tuple[str, ...]

    @property
    def index_field(self) -> str:
        """The name of the indexed field holding this stream."""
        return f"{self.field}_{self.stream}"


@dataclass(frozen=True, slots=True)
class Keyword:
    """A facet filter: any of `fields` holds any of the folded `values`. Scores nothing."""

    fields: tuple[str, ...]
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DateRange:
    """Items whose date range overlaps [start, end] (either side open). Scores nothing."""

    start: datetime.date | None
    end: datetime.date | None


@dataclass(frozen=True, slots=True)
class MatchAll:
    """Every document (browsing with filters only)."""


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one child matches; scores add up."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class AllOf:
    """Every `must` matches, no `must_not` matches; scores of `must` add up."""

    must: tuple[Node, ...]
    must_not: tuple[Node, ...] = ()


Node = Match | Keyword | DateRange | MatchAll | AnyOf | AllOf


def positive_matches(node: Node) -> list[Match]:
    """The text matches a hit may contain (for highlighting); exclusions left out."""
    if isinstance(node, Match):
        return [node]
    if isinstance(node, AnyOf):
        return [m for child in node.children for m in positive_matches(child)]
    if isinstance(node, AllOf):
        return [m for child in node.must for m in positive_matches(child)]
    return []


def count_matches(node: Node) -> int:
    """How many text clauses a plan has (to refuse plans too large to run quickly)."""
    if isinstance(node, Match):
        return 1
    if isinstance(node, AnyOf):
        return sum(count_matches(child) for child in node.children)
    if isinstance(node, AllOf):
        return sum(count_matches(child) for child in (*node.must, *node.must_not))
    return 0
