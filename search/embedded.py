"""The embedded backend: a tantivy index in a local directory, no server needed.

tantivy is fed our normaliser's token streams through its `whitespace` tokenizer, so it
indexes exactly the terms Elasticsearch does. A reindex builds a new generation directory
and then points `CURRENT` at it (an atomic rename), so searches never see a half index.
"""

from __future__ import annotations

import datetime
import os
import shutil
import threading
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

import tantivy

from search.backend import FacetThreads, finish, shown_hits
from search.cursor import Position, next_cursor, read_cursor, refused_cursor
from search.document import FACETS, FacetName, IndexDocument
from search.fields import facet_field, index_fields, read_source
from search.models import BackendUnavailable, SearchRequest, SearchResponse
from search.plan import AllOf, AnyOf, DateRange, Keyword, Match, MatchAll, Node
from search.query import keyword_field, request_plan

WRITER_HEAP = 64_000_000
WRITER_WAIT = 10.0
"""Seconds to wait for another process's write lock before giving up."""
CURRENT = "CURRENT"
FACET_MARGIN = 50
"""Extra facet buckets fetched so ties at the cut are ordered by us, not the engine."""
LOOKAROUND = 10
"""How far from a cursor's offset its last hit is looked for: as many hits deleted or added
before it between two pages shift nothing (see `EmbeddedBackend._cursor_page`)."""


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    for name in ("all_bi", "title_bi"):
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    for name in ("all_uni", "title_uni"):
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    for facet in FACETS:
        builder.add_text_field(
            facet_field(facet), tokenizer_name="raw", fast=True, index_option="basic"
        )
        builder.add_text_field(keyword_field(facet), tokenizer_name="raw", index_option="basic")
    builder.add_date_field("date_start", indexed=True, fast=True)
    builder.add_date_field("date_end", indexed=True, fast=True)
    builder.add_integer_field("date_asc", fast=True)
    builder.add_integer_field("date_desc", fast=True)
    builder.add_bytes_field("source", stored=True)
    return builder.build()


def _datetime(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)


def _document(document: IndexDocument) -> tantivy.Document:
    fields = index_fields(document)
    doc = tantivy.Document()
    for name, value in fields.items():
        if value is None:
            continue
        if name == "source":
            for item in value:
                doc.add_bytes(name, item.encode("utf-8"))
        elif name in ("date_start", "date_end"):
            doc.add_date(name, _datetime(value))
        elif name in ("date_asc", "date_desc"):
            doc.add_integer(name, value)
        elif isinstance(value, list):
            for item in value:
                doc.add_text(name, item)
        elif value:
            doc.add_text(name, value)
    return doc


class EmbeddedBackend:
    """`SearchBackend` on a tantivy index stored under `directory`."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._schema = _schema()
        self._lock = threading.Lock()
        directory.mkdir(parents=True, exist_ok=True)
        current = directory / CURRENT
        if not current.exists():
            self._switch("generation-1")
        self._generation = current.read_text("utf-8").strip()
        self._index = self._open(self._generation)
        self._facet_threads = FacetThreads()

    def _open(self, generation: str) -> tantivy.Index:
        path = self._directory / generation
        path.mkdir(exist_ok=True)
        return tantivy.Index(self._schema, path=str(path), reuse=True)

    def _switch(self, generation: str) -> None:
        staged = self._directory / f"{CURRENT}.new"
        staged.write_text(generation, "utf-8")
        os.replace(staged, self._directory / CURRENT)

    def _current(self) -> tantivy.Index:
        """The index CURRENT names, reopened if another process swapped generations."""
        generation = (self._directory / CURRENT).read_text("utf-8").strip()
        if generation != self._generation:
            self._index, self._generation = self._open(generation), generation
        return self._index

    def _writer(self, index: tantivy.Index) -> tantivy.IndexWriter:
        """A writer, waiting a while if another process holds the index's write lock."""
        deadline = time.monotonic() + WRITER_WAIT
        while True:
            try:
                return index.writer(WRITER_HEAP, 1)
            except ValueError as error:
                if "Lock" not in str(error) or time.monotonic() > deadline:
                    raise BackendUnavailable(
                        f"the embedded index {self._directory} is being written by another "
                        f"process ({error}); retry when it is done"
                    ) from error
                time.sleep(0.1)

    def _write(
        self,
        index: tantivy.Index,
        documents: Iterable[IndexDocument] = (),
        deleted: Iterable[str] = (),
    ) -> int:
        writer = self._writer(index)
        count = 0
        try:
            for doc_id in deleted:
                writer.delete_documents_by_term("id", doc_id)
            for document in documents:
                writer.delete_documents_by_term("id", document.id)
                writer.add_document(_document(document))
                count += 1
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        index.reload()
        return count

    def index(self, documents: Iterable[IndexDocument]) -> int:
        """Add or replace documents by id, committed and searchable on return."""
        with self._lock:
            return self._write(self._current(), documents)

    def delete(self, ids: Iterable[str]) -> None:
        """Remove documents by id, committed on return."""
        with self._lock:
            self._write(self._current(), deleted=ids)

    def count(self) -> int:
        """Documents in the index."""
        return int(self._current().searcher().num_docs)

    def reindex(self, documents: Iterable[IndexDocument]) -> int:
        """Build a new generation from `documents`, then swap it in and drop the old one."""
        with self._lock:
            old = (self._directory / CURRENT).read_text("utf-8").strip()
            new = f"generation-{int(old.rsplit('-', 1)[1]) + 1}"
            shutil.rmtree(self._directory / new, ignore_errors=True)
            index = self._open(new)
            try:
                count = self._write(index, documents)
            except BaseException:
                shutil.rmtree(self._directory / new, ignore_errors=True)
                raise
            self._switch(new)
            self._index, self._generation = index, new
            shutil.rmtree(self._directory / old, ignore_errors=True)
            return count

    def close(self) -> None:
        """Stop the facet-counting threads; tantivy closes files when the index is dropped."""
        self._facet_threads.close()

    def _query(self, node: Node) -> tantivy.Query:
        if isinstance(node, Match):
            if len(node.tokens) == 1:
                return tantivy.Query.term_query(self._schema, node.index_field, node.tokens[0])
            return tantivy.Query.phrase_query(self._schema, node.index_field, list(node.tokens))
        if isinstance(node, Keyword):
            sets = [
                tantivy.Query.term_set_query(self._schema, name, list(node.values))
                for name in node.fields
            ]
            either = tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in sets])
            return tantivy.Query.const_score_query(either, 0.0)
        if isinstance(node, DateRange):
            clauses = [tantivy.Query.exists_query("date_start")]
            if node.end is not None:
                clauses.append(self._range("date_start", None, node.end))
            if node.start is not None:
                clauses.append(self._range("date_end", node.start, None))
            both = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in clauses])
            return tantivy.Query.const_score_query(both, 0.0)
        if isinstance(node, MatchAll):
            return tantivy.Query.all_query()
        if isinstance(node, AnyOf):
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, self._query(child)) for child in node.children]
            )
        assert isinstance(node, AllOf)
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, self._query(child)) for child in node.must]
            + [(tantivy.Occur.MustNot, self._query(child)) for child in node.must_not]
        )

    def _range(
        self, field: str, low: datetime.date | None, high: datetime.date | None
    ) -> tantivy.Query:
        return tantivy.Query.range_query(
            self._schema,
            field,
            tantivy.FieldType.Date,
            _datetime(low) if low else None,
            _datetime(high) if high else None,
        )

    def search(self, request: SearchRequest) -> SearchResponse:
        """Run a request: plan → tantivy query, top hits, facet counts, highlights."""
        plan = request_plan(request)
        query = self._query(plan)
        searcher = self._current().searcher()
        sort: dict[str, Any] = {}
        if request.sort != "relevance":
            ascending = request.sort == "date"
            sort = {
                "order_by_field": "date_asc" if ascending else "date_desc",
                "order": tantivy.Order.Asc if ascending else tantivy.Order.Desc,
            }
        counting = None
        if request.facets:
            size = request.facet_size + FACET_MARGIN
            spec = {
                name: {"terms": {"field": facet_field(name), "size": size}}
                for name in request.facets
            }
            # Counted while this thread collects the top hits (phrase + facets + dates on
            # 100,000 letters: 8.9 → 7.2 ms).
            counting = self._facet_threads.submit(partial(searcher.aggregate, query, spec))
        if request.cursor is None:
            result = searcher.search(
                query, request.limit, count=True, offset=request.offset, **sort
            )
            page, at = result.hits, request.offset
        else:
            result, page, at = self._cursor_page(searcher, query, request, sort)
        found = []
        for key, address in page[: request.limit]:
            stored = read_source([bytes(v) for v in searcher.doc(address)["source"]])
            found.append((float(key) if request.sort == "relevance" else 0.0, stored))
        shown = shown_hits(request, plan, found)
        buckets: dict[FacetName, list[tuple[str, int]]] = {}
        if counting is not None:
            aggregated = counting.result()
            for name in request.facets:
                buckets[name] = [
                    (str(b["key"]), int(b["doc_count"])) for b in aggregated[name]["buckets"]
                ]
        # The stub of tantivy's SearchResult omits `count`, which count=True fills in.
        total: int = getattr(result, "count", 0) or 0
        cursor = None
        if request.cursor is not None and len(page) > len(found):
            last = (found[-1][1].document.id,)
            cursor = next_cursor(request, Position(at + len(found), last))
        return finish(request, total, shown, buckets, cursor)

    def _cursor_page(
        self,
        searcher: tantivy.Searcher,
        query: tantivy.Query,
        request: SearchRequest,
        sort: dict[str, Any],
    ) -> tuple[Any, list[tuple[Any, tantivy.DocAddress]], int]:
        """A cursor page: the search result, the hits from the page's first on (one more
        than the page when another follows) and the page's offset.

        tantivy cannot start after a hit, so a cursor holds the offset of the next page
        and the id of the hit before it. That hit is looked for within LOOKAROUND places
        of the offset, and the page starts after it, so a few hits deleted or added before
        it between two pages move nothing; should it be gone, the page starts at the
        offset. At the size an embedded index serves, deep pages stay fast (see
        scripts/bench_search.py).
        """
        position = read_cursor(request)
        if len(position.after) > 1 or not all(isinstance(v, str) for v in position.after):
            raise refused_cursor()
        seen = min(position.seen, searcher.num_docs)  # no page starts past the index
        first = max(0, seen - LOOKAROUND) if position.after else seen
        wanted = seen - first + LOOKAROUND + request.limit + 1
        result = searcher.search(query, wanted, count=True, offset=first, **sort)
        hits = result.hits
        start = seen - first
        if position.after:
            # Nearest the expected place first: where it is unless the index changed.
            nearby = sorted(
                range(min(len(hits), start + LOOKAROUND)), key=lambda i: abs(start - 1 - i)
            )
            for index in nearby:
                if searcher.doc(hits[index][1])["id"][0] == position.after[0]:
                    start = index + 1
                    break
        return result, hits[start : start + request.limit + 1], first + start
