"""The Elasticsearch backend: the official `elasticsearch` 9 client, for scale.

Documents are indexed as our normaliser tokenised them; the mapping analyses the token
fields with the `whitespace` analyzer only, so Elasticsearch sees exactly the terms the
embedded engine sees. Searches go to an alias; `reindex` fills a new index and moves the
alias in one atomic step, so searches never see a half-built index.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers

from search.backend import FacetThreads, finish, shown_hits
from search.cursor import Position, next_cursor, read_cursor, refused_cursor
from search.document import FACETS, FacetName, IndexDocument
from search.fields import facet_field, index_fields, read_source
from search.models import BackendUnavailable, SearchRequest, SearchResponse, Sort
from search.plan import AllOf, AnyOf, DateRange, Keyword, Match, MatchAll, Node
from search.query import keyword_field, request_plan

FACET_ORDER = [{"_count": "desc"}, {"_key": "asc"}]
"""Facet buckets by count, ties by value: the order `finish` shows them in. Keys are
keywords, compared as UTF-8 bytes, which is code point order like Python's, and the index
has one shard, so the engine's top `facet_size` buckets are exactly the ones we show and
no spare buckets need fetching and sorting."""
HIT_FIELDS = ["hits.total.value", "hits.hits._score", "hits.hits._source.source"]
FACET_FIELDS = [
    "hits.total.value",
    "aggregations.*.buckets.key",
    "aggregations.*.buckets.doc_count",
]
CURSOR_FIELDS = [*HIT_FIELDS, "hits.hits.sort"]
"""`filter_path`s: only what `search` reads comes back, so less JSON to send and decode."""
SORTS: dict[Sort, list[dict[str, str]]] = {
    "relevance": [{"_score": "desc"}],
    "date": [{"date_asc": "asc"}],
    "-date": [{"date_desc": "desc"}],
}
"""The engine's sort for each of ours; cursor paging adds the id, so that the order is total
and a page can start after its last hit (`search_after`)."""
BULK_CHUNK = 500


def mappings() -> dict[str, Any]:
    """Field mappings: whitespace-analysed token streams, keyword facets, dates."""
    properties: dict[str, Any] = {
        "id": {"type": "keyword"},
        "all_bi": {"type": "text", "analyzer": "whitespace"},
        "title_bi": {"type": "text", "analyzer": "whitespace"},
        "all_uni": {"type": "text", "analyzer": "whitespace", "index_options": "freqs"},
        "title_uni": {"type": "text", "analyzer": "whitespace", "index_options": "freqs"},
        "date_start": {"type": "date", "format": "strict_date"},
        "date_end": {"type": "date", "format": "strict_date"},
        "date_asc": {"type": "long", "index": False},
        "date_desc": {"type": "long", "index": False},
        "source": {"type": "keyword", "index": False, "doc_values": False},
    }
    for facet in FACETS:
        properties[facet_field(facet)] = {"type": "keyword"}
        properties[keyword_field(facet)] = {"type": "keyword"}
    return {
        "dynamic": "strict",
        "_source": {"excludes": ["all_bi", "all_uni", "title_bi", "title_uni"]},
        "properties": properties,
    }


def _search_after(request: SearchRequest) -> list[float | int | str]:
    """The sort values a request's cursor says its page starts after (none on the first
    page); raises QueryError for a cursor this engine did not make for this sort."""
    after = list(read_cursor(request).after)
    if not after:
        return after
    first = int | float if request.sort == "relevance" else int
    if len(after) != 2 or not isinstance(after[0], first) or not isinstance(after[1], str):
        raise refused_cursor()
    return after


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


class ElasticsearchBackend:
    """`SearchBackend` on an Elasticsearch cluster; searches go through alias `index_name`."""

    def __init__(self, url: str, *, index_name: str = "qiaopi", replicas: int = 0) -> None:
        self._client = Elasticsearch(url, request_timeout=30, retry_on_timeout=True)
        self._alias = index_name
        self._replicas = replicas
        self._facet_threads = FacetThreads()
        self._guard(self._setup)

    def _guard(self, action: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a client call, turning an unreachable cluster into `BackendUnavailable`."""
        try:
            return action(*args, **kwargs)
        except TransportError as error:
            raise BackendUnavailable(f"Elasticsearch is unreachable: {error}") from error

    def _setup(self) -> None:
        self._client.indices.put_index_template(
            name=f"{self._alias}-template",
            index_patterns=[f"{self._alias}.gen-*"],
            template={
                "settings": {"number_of_shards": 1, "number_of_replicas": self._replicas},
                "mappings": mappings(),
            },
        )
        if not self._client.indices.exists_alias(name=self._alias):
            physical = self._new_index()
            try:
                self._client.indices.put_alias(index=physical, name=self._alias)
            except ApiError:
                self._client.indices.delete(index=physical)
                raise

    def _new_index(self) -> str:
        name = f"{self._alias}.gen-{time.time_ns()}"
        self._client.indices.create(index=name)
        return name

    def _actions(self, index: str, documents: Iterable[IndexDocument]) -> Iterator[dict[str, Any]]:
        for document in documents:
            fields = {name: _json(value) for name, value in index_fields(document).items()}
            yield {"_index": index, "_id": document.id, "_source": fields}

    def _bulk(self, index: str, documents: Iterable[IndexDocument]) -> int:
        count, _ = helpers.bulk(
            self._client, self._actions(index, documents), chunk_size=BULK_CHUNK, refresh=True
        )
        return count

    def index(self, documents: Iterable[IndexDocument]) -> int:
        """Add or replace documents by id; refreshed, so searchable on return."""
        return int(self._guard(self._bulk, self._alias, documents))

    def delete(self, ids: Iterable[str]) -> None:
        """Remove documents by id (unknown ids ignored); refreshed on return."""
        actions = ({"_op_type": "delete", "_index": self._alias, "_id": i} for i in ids)
        self._guard(helpers.bulk, self._client, actions, refresh=True, ignore_status=(404,))

    def count(self) -> int:
        """Documents behind the alias."""
        return int(self._guard(self._client.count, index=self._alias)["count"])

    def reindex(self, documents: Iterable[IndexDocument]) -> int:
        """Fill a new index, then move the alias to it atomically and drop the old ones."""
        return int(self._guard(self._reindex, documents))

    def _reindex(self, documents: Iterable[IndexDocument]) -> int:
        old = list(self._client.indices.get_alias(name=self._alias).body)
        new = self._new_index()
        try:
            count = self._bulk(new, documents)
        except BaseException:
            self._client.indices.delete(index=new)
            raise
        actions: list[dict[str, Any]] = [
            {"remove": {"index": name, "alias": self._alias}} for name in old
        ]
        actions.append({"add": {"index": new, "alias": self._alias}})
        self._client.indices.update_aliases(actions=actions)
        for name in old:
            self._client.indices.delete(index=name)
        return count

    def drop(self) -> None:
        """Delete the alias, its indices and the template (tests, uninstall)."""
        try:
            indices = list(self._client.indices.get_alias(name=self._alias).body)
        except NotFoundError:
            indices = []
        for name in indices:
            self._client.indices.delete(index=name)
        self._client.indices.delete_index_template(name=f"{self._alias}-template")

    def close(self) -> None:
        """Stop the facet threads and close the client's connections."""
        self._facet_threads.close()
        self._client.close()

    def query(self, node: Node) -> dict[str, Any]:
        """The Elasticsearch query for a plan node (public for the benchmark's raw runs)."""
        if isinstance(node, Match):
            if len(node.tokens) == 1:
                return {"term": {node.index_field: node.tokens[0]}}
            return {"match_phrase": {node.index_field: " ".join(node.tokens)}}
        if isinstance(node, Keyword):
            either = [{"terms": {name: list(node.values)}} for name in node.fields]
            should = {"bool": {"should": either, "minimum_should_match": 1}}
            return {"constant_score": {"filter": should, "boost": 0.0}}
        if isinstance(node, DateRange):
            clauses: list[dict[str, Any]] = [{"exists": {"field": "date_start"}}]
            if node.end is not None:
                clauses.append({"range": {"date_start": {"lte": node.end.isoformat()}}})
            if node.start is not None:
                clauses.append({"range": {"date_end": {"gte": node.start.isoformat()}}})
            return {"constant_score": {"filter": {"bool": {"filter": clauses}}, "boost": 0.0}}
        if isinstance(node, MatchAll):
            return {"match_all": {}}
        if isinstance(node, AnyOf):
            children = [self.query(child) for child in node.children]
            return {"bool": {"should": children, "minimum_should_match": 1}}
        assert isinstance(node, AllOf)
        return {
            "bool": {
                "must": [self.query(child) for child in node.must],
                "must_not": [self.query(child) for child in node.must_not],
            }
        }

    def requests(
        self, request: SearchRequest, plan: Node
    ) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """What `search` passes to the client's `search`: the request for the page of hits,
        and the one counting facets and the total (None if no facets are asked for: then
        the hits request counts). Public so the benchmark's raw runs send the same."""
        query = self.query(plan)
        hits: dict[str, Any] = {
            "index": self._alias,
            "filter_path": HIT_FIELDS,
            "query": query,
            "from": request.offset,
            "size": request.limit,
            "track_total_hits": True,
            "_source": ["source"],
        }
        if request.sort != "relevance":
            hits["sort"] = SORTS[request.sort]
        if request.cursor is not None:
            after = _search_after(request)
            sort = [*SORTS[request.sort], {"id": "asc"}]
            # One hit more than the page: whether it comes says whether another page follows.
            hits.update(filter_path=CURSOR_FIELDS, sort=sort, size=request.limit + 1)
            if after:
                hits["search_after"] = after
        if not request.facets:
            return hits, None
        order, size = FACET_ORDER, request.facet_size
        aggregations = {
            name: {"terms": {"field": facet_field(name), "size": size, "order": order}}
            for name in request.facets
        }
        facets = {
            "index": self._alias,
            "filter_path": FACET_FIELDS,
            "query": query,
            "size": 0,
            "track_total_hits": True,
            "aggs": aggregations,
        }
        # The facet request visits every match anyway, so it counts them; the hits request
        # then needs only the top ones, and the engine may skip the rest.
        hits["track_total_hits"] = False
        return hits, facets

    def search(self, request: SearchRequest) -> SearchResponse:
        """Run a request: plan → query DSL, hits, facet counts, highlights.

        Facets and the total are counted by a request of their own, sent from a facet thread
        while this one fetches, decodes and highlights the top hits, which then needs no
        count: the node works on both at once, and our decoding overlaps its counting. With
        no hits in it, the counting request is one the node's shard request cache keeps, so
        paging through a search counts once.
        """
        plan = request_plan(request)
        hits, facets = self.requests(request, plan)
        counting = self._facet_threads.submit(partial(self._count, facets)) if facets else None
        response = self._guard(self._client.search, **hits)
        # filter_path drops what is empty: no hits (and no total when not counted) at all.
        fetched = response.get("hits", {}).get("hits", [])
        page = fetched[: request.limit]
        found = []
        for hit in page:
            source = hit["_source"]["source"]
            score = float(hit["_score"]) if request.sort == "relevance" else 0.0
            found.append((score, read_source([source] if isinstance(source, str) else source)))
        shown = shown_hits(request, plan, found)
        buckets: dict[FacetName, list[tuple[str, int]]] = {}
        if counting is None:
            total = int(response["hits"]["total"]["value"])
        else:
            total, buckets = counting.result()
        cursor = None
        if request.cursor is not None and len(fetched) > len(page):
            seen = read_cursor(request).seen + len(page)
            cursor = next_cursor(request, Position(seen, tuple(page[-1]["sort"])))
        return finish(request, total, shown, buckets, cursor)

    def _count(self, facets: dict[str, Any]) -> tuple[int, dict[FacetName, list[tuple[str, int]]]]:
        """How many documents match, and the facet buckets: value and count, most first."""
        response = self._guard(self._client.search, **facets)
        buckets: dict[FacetName, list[tuple[str, int]]] = {
            name: [(str(b["key"]), int(b["doc_count"])) for b in agg.get("buckets", ())]
            for name, agg in response.get("aggregations", {}).items()
        }
        return int(response["hits"]["total"]["value"]), buckets
