"""The public surface of `search`, and the layering rule that it never imports archive."""

from __future__ import annotations

import ast
from pathlib import Path

import search


def test_public_surface_is_what_we_meant() -> None:
    assert set(search.__all__) == {
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
    }
    assert all(hasattr(search, name) for name in search.__all__)


def test_search_never_imports_archive() -> None:
    for path in Path(search.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n == "archive" or n.startswith("archive.") for n in names), path
