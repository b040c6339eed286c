"""The `SearchBackend` interface, the steps every backend shares, and the factory."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from search.document import FacetName, IndexDocument
from search.highlight import Highlighter
from search.models import FacetCount, Hit, SearchRequest, SearchResponse
from search.plan import Node, positive_matches


class SearchBackend(Protocol):
    """A full-text index of `IndexDocument`s: the embedded engine or Elasticsearch."""

    def index(self, documents: Iterable[IndexDocument]) -> int:
        """Add or replace documents (by id); visible to searches on return. Returns how many."""
        ...

    def delete(self, ids: Iterable[str]) -> None:
        """Remove documents by id (unknown ids are ignored); visible on return."""
        ...

    def search(self, request: SearchRequest) -> SearchResponse:
        """Run a search; raises `QueryError` for requests that cannot be run."""
        ...

    def count(self) -> int:
        """How many documents the index holds."""
        ...

    def reindex(self, documents: Iterable[IndexDocument]) -> int:
        """Build a fresh index from `documents` and swap it in whole; searches keep being
        answered from the old index until the swap. Returns how many were indexed."""
        ...

    def close(self) -> None:
        """Release files and connections."""
        ...


def finish(
    request: SearchRequest,
    plan: Node,
    total: int,
    found: Sequence[tuple[str, float, IndexDocument, str | None]],
    buckets: Mapping[FacetName, Iterable[tuple[str, int]]],
) -> SearchResponse:
    """Build the response the same way for every backend: highlights on the original
    text, facets ordered by count then value and cut to the requested size.

    `found` holds each hit's id, score, document and stored folded texts (None if the
    index has none: see `search.fields.read_source`)."""
    highlighter = Highlighter.for_matches(positive_matches(plan)) if request.highlight else None
    hits = tuple(
        Hit(doc_id, score, document, highlighter(document, folded) if highlighter else ())
        for doc_id, score, document, folded in found
    )
    facets: dict[FacetName, tuple[FacetCount, ...]] = {}
    for name in request.facets:
        # Empty buckets sort last, so cutting before dropping them shows the same ones.
        shown = sorted(buckets.get(name, ()), key=_by_count)[: request.facet_size]
        facets[name] = tuple(FacetCount(value, count) for value, count in shown if count > 0)
    return SearchResponse(total, hits, facets)


def _by_count(bucket: tuple[str, int]) -> tuple[int, str]:
    """Facet order: most documents first, ties by value."""
    return -bucket[1], bucket[0]


def open_search_backend(url: str, *, index_dir: Path, index_name: str = "qiaopi") -> SearchBackend:
    """Open the backend a settings URL names: `embedded` (a tantivy index under
    `index_dir`) or `http(s)://host:port` (Elasticsearch, alias `index_name`)."""
    if url == "embedded":
        from search.embedded import EmbeddedBackend

        return EmbeddedBackend(index_dir)
    if url.startswith(("http://", "https://")):
        from search.elastic import ElasticsearchBackend

        return ElasticsearchBackend(url, index_name=index_name)
    raise ValueError(f"unknown search backend URL {url!r}: use 'embedded' or http(s)://host:9200")
