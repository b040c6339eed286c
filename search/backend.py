"""The `SearchBackend` interface, the steps every backend shares, and the factory."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Protocol, TypeVar

from search.document import FacetName, IndexDocument
from search.fields import Stored
from search.highlight import Highlighter
from search.models import FacetCount, Hit, SearchRequest, SearchResponse
from search.plan import Node, positive_matches

T = TypeVar("T")


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


class FacetThreads:
    """Threads that count a search's facets while the calling thread fetches and shows its
    top hits, so a search with facets takes the longer of the two instead of their sum.

    Both engines release the GIL while they work (tantivy in Rust, Elasticsearch over a
    socket). Made per process, because a thread pool does not survive `fork`: a forked
    child gets its own. `close` shuts them down.
    """

    def __init__(self) -> None:
        self._pool: tuple[int, ThreadPoolExecutor] | None = None
        self._guard = threading.Lock()

    def submit(self, call: Callable[[], T]) -> Future[T]:
        """Run `call` on a facet thread of this process."""
        with self._guard:
            if self._pool is None or self._pool[0] != os.getpid():
                pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="search-facets")
                self._pool = (os.getpid(), pool)
            return self._pool[1].submit(call)

    def close(self) -> None:
        """Stop this process's threads (a forked child's copy of the parent's is dropped)."""
        with self._guard:
            if self._pool is not None and self._pool[0] == os.getpid():
                self._pool[1].shutdown(wait=False)
            self._pool = None


def shown_hits(
    request: SearchRequest, plan: Node, found: Sequence[tuple[float, Stored]]
) -> tuple[Hit, ...]:
    """Hits as every backend shows them, highlighted on the original text. `found` holds
    each hit's score and what its `source` stored (`search.fields.read_source`)."""
    highlighter = Highlighter.for_matches(positive_matches(plan)) if request.highlight else None
    return tuple(
        Hit(
            stored.document.id,
            score,
            stored.document,
            highlighter(*stored) if highlighter else (),
        )
        for score, stored in found
    )


def finish(
    request: SearchRequest,
    total: int,
    hits: tuple[Hit, ...],
    buckets: Mapping[FacetName, Iterable[tuple[str, int]]],
    next_cursor: str | None = None,
) -> SearchResponse:
    """The response, built the same way for every backend: facets ordered by count then
    value and cut to the requested size."""
    facets: dict[FacetName, tuple[FacetCount, ...]] = {}
    for name in request.facets:
        # Empty buckets sort last, so cutting before dropping them shows the same ones.
        shown = sorted(buckets.get(name, ()), key=_by_count)[: request.facet_size]
        facets[name] = tuple(FacetCount(value, count) for value, count in shown if count > 0)
    return SearchResponse(total, hits, facets, next_cursor)


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
