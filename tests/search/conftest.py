"""Fixtures: every backend, each on a fresh empty index of its own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from search import SearchBackend, open_search_backend
from search.elastic import ElasticsearchBackend
from tests.search.corpus import CORPUS
from tests.services import ELASTICSEARCH_URL, require_env

BACKENDS = ["embedded", pytest.param("elasticsearch", marks=pytest.mark.service)]


def open_backend(kind: str, tmp_path: Path) -> SearchBackend:
    """A backend of `kind` on a new, uniquely named, empty index."""
    if kind == "embedded":
        return open_search_backend("embedded", index_dir=tmp_path / "index")
    url = require_env(ELASTICSEARCH_URL, "Elasticsearch")
    return open_search_backend(
        url, index_dir=tmp_path / "unused", index_name=f"qiaopi-test-{uuid.uuid4().hex[:12]}"
    )


def close_backend(backend: SearchBackend) -> None:
    """Close, and for Elasticsearch delete the test's indices and template."""
    if isinstance(backend, ElasticsearchBackend):
        backend.drop()
    backend.close()


@pytest.fixture(params=BACKENDS)
def empty_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    """An empty index on each backend."""
    backend = open_backend(request.param, tmp_path)
    yield backend
    close_backend(backend)


@pytest.fixture
def fresh_backend(empty_backend: SearchBackend) -> SearchBackend:
    """Each backend holding the shared corpus, for tests that change the index."""
    empty_backend.index(CORPUS)
    return empty_backend


@pytest.fixture(scope="module", params=BACKENDS)
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchBackend]:
    """Each backend holding the shared corpus, shared by a module's read-only tests."""
    backend = open_backend(request.param, tmp_path_factory.mktemp("search"))
    backend.index(CORPUS)
    yield backend
    close_backend(backend)
