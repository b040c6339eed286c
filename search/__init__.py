"""Chinese-aware full-text search: normalisation, index documents, backends, queries.

The public surface (everything else is internal):

- `IndexDocument`, `PageText`, `FACETS`: what the archive hands in for a published item.
- `SearchBackend` and `open_search_backend(url, index_dir=...)`: `embedded` (tantivy in a
  directory) or `http(s)://host:port` (Elasticsearch behind an alias).
- `SearchRequest` → `SearchResponse` (`Hit`, `Highlight`, `FacetCount`), paged by offset
  or, as deep as the results go, by cursor (`CURSOR_START`, then `next_cursor`); `QueryError`
  (bad request: HTTP 400) and `BackendUnavailable` (engine down: HTTP 503 / retry).
- `fold`: the normaliser's folding (NFKC, width, 繁→简, case), for callers comparing text.
- `default_gazetteer()`: places and their variants (台山 = Toishan = 新寧 ...).
"""

from search.backend import SearchBackend, open_search_backend
from search.document import FACETS, FacetName, IndexDocument, PageText
from search.gazetteer import Gazetteer, Place, default_gazetteer
from search.models import (
    CURSOR_START,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    MAX_RESULT_WINDOW,
    BackendUnavailable,
    FacetCount,
    Highlight,
    Hit,
    QueryError,
    SearchRequest,
    SearchResponse,
)
from search.normalise import fold

__all__ = [
    "CURSOR_START",
    "FACETS",
    "MAX_PAGE_SIZE",
    "MAX_QUERY_LENGTH",
    "MAX_RESULT_WINDOW",
    "BackendUnavailable",
    "FacetCount",
    "FacetName",
    "Gazetteer",
    "Highlight",
    "Hit",
    "IndexDocument",
    "PageText",
    "Place",
    "QueryError",
    "SearchBackend",
    "SearchRequest",
    "SearchResponse",
    "default_gazetteer",
    "fold",
    "open_search_backend",
]
