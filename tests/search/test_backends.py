"""Backend specifics outside the shared contract: the factory, persistence, outages."""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path
from typing import Any

import pytest

from search import BackendUnavailable, IndexDocument, SearchRequest, open_search_backend
from search.fields import index_fields
from tests.search.conftest import BACKENDS, close_backend, open_backend
from tests.search.corpus import CORPUS


def test_unknown_backend_url_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown search backend URL 'solr://x'"):
        open_search_backend("solr://x", index_dir=tmp_path)


def test_embedded_index_persists_across_opens(tmp_path: Path) -> None:
    first = open_search_backend("embedded", index_dir=tmp_path)
    first.index(CORPUS)
    first.reindex(CORPUS[:3])
    first.close()
    again = open_search_backend("embedded", index_dir=tmp_path)
    assert again.count() == 3
    assert [hit.id for hit in again.search(SearchRequest(q="雪梨")).hits] == ["L2"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CURRENT", "generation-2"]


def test_a_second_process_sees_writes_and_swaps(tmp_path: Path) -> None:
    writer = open_search_backend("embedded", index_dir=tmp_path)
    reader = open_search_backend("embedded", index_dir=tmp_path)
    writer.index(CORPUS)
    writer.reindex(CORPUS[:2])
    assert reader.count() == 2
    assert [hit.id for hit in reader.search(SearchRequest(q="雪梨")).hits] == ["L2"]


def test_a_forked_process_counts_facets_with_threads_of_its_own(tmp_path: Path) -> None:
    backend = open_search_backend("embedded", index_dir=tmp_path)
    backend.index(CORPUS)
    request = SearchRequest(q="雪梨", facets=("type",))
    expected = backend.search(request)
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through its exit status
        signal.alarm(20)  # a deadlock on the parent's (absent) threads ends the child
        os._exit(0 if backend.search(request) == expected else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    backend.close()


def test_unreachable_elasticsearch_is_reported_as_unavailable(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(BackendUnavailable, match="Elasticsearch is unreachable"):
        open_search_backend(f"http://127.0.0.1:{port}", index_dir=tmp_path)


@pytest.mark.service
def test_facets_cut_at_ties_agree_across_backends(tmp_path: Path) -> None:
    # Elasticsearch returns exactly `facet_size` buckets, ties ordered by value as we show them.
    senders = ["丁", "乙", "甲", "Wong", "wong", "Lee", "丙", "丙"]
    documents = [
        IndexDocument(id=f"T{n}", description="寄銀", sender=name) for n, name in enumerate(senders)
    ]
    request = SearchRequest(q="寄銀", facets=("sender",), facet_size=3)
    facets = []
    for kind in ("embedded", "elasticsearch"):
        backend = open_backend(kind, tmp_path / kind)
        try:
            backend.index(documents)
            facets.append(backend.search(request).facets["sender"])
        finally:
            close_backend(backend)
    assert [(f.value, f.count) for f in facets[1]] == [("丙", 2), ("Lee", 1), ("Wong", 1)]
    assert facets[0] == facets[1]


@pytest.mark.parametrize("kind", BACKENDS)
def test_an_index_stored_without_folded_texts_still_highlights(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Indices built before the folded texts were stored hold the document alone (one
    # value: a string in Elasticsearch, one bytes value in tantivy) until `qiaopi reindex`.
    module = "search.embedded" if kind == "embedded" else "search.elastic"

    def stored_before(document: IndexDocument) -> dict[str, Any]:
        fields = index_fields(document)
        source = fields["source"]
        return {**fields, "source": source[:1] if kind == "embedded" else source[0]}

    request = SearchRequest(q="台山 OR Sydney OR 平安")
    backend = open_backend(kind, tmp_path)
    try:
        backend.index(CORPUS)
        expected = backend.search(request)
        assert sum(len(hit.highlights) for hit in expected.hits) > 3
        monkeypatch.setattr(f"{module}.index_fields", stored_before)
        backend.reindex(CORPUS)
        assert backend.search(request) == expected
    finally:
        close_backend(backend)
