"""Content Search 1.0 and 2.0 over HTTP: a FastAPI router the application mounts.

Routes, relative to where it is mounted (e.g. `/iiif/items`):
`/{item_id}/search/1`, `/{item_id}/autocomplete/1`, `/{item_id}/search/2`,
`/{item_id}/autocomplete/2`, each taking `q` (and `page` for search).
`search_services` gives the matching URLs for the manifest.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from iiif.content_search import (
    Normaliser,
    SearchableItem,
    autocomplete_v1,
    autocomplete_v2,
    search_v1,
    search_v2,
)
from iiif.errors import IIIFError, NotFound
from iiif.identifiers import check_identifier
from iiif.presentation import SearchServices

ItemLoader = Callable[[str], SearchableItem | None]
CORS = {"Access-Control-Allow-Origin": "*"}


def search_services(item_base_url: str) -> SearchServices:
    """The service URLs of an item whose IIIF base is `item_base_url` (router mounted there)."""
    return SearchServices(
        search1=f"{item_base_url}/search/1",
        autocomplete1=f"{item_base_url}/autocomplete/1",
        search2=f"{item_base_url}/search/2",
        autocomplete2=f"{item_base_url}/autocomplete/2",
    )


def content_search_router(load: ItemLoader, normalise: Normaliser) -> APIRouter:
    """Build the Content Search router.

    `load` returns an item's searchable text, or None when it is unknown or not visible to
    the caller (both 404). `normalise` is the search package's normaliser (臺山 = 台山).
    """
    router = APIRouter(tags=["IIIF Content Search"])

    def answer(item_id: str, build: Callable[[SearchableItem], dict[str, Any]]) -> Response:
        try:
            item = load(check_identifier(item_id))
            if item is None:
                raise NotFound(f"no item has the identifier {item_id!r}")
            document = build(item)
        except IIIFError as error:
            return PlainTextResponse(error.message + "\n", error.status, headers=CORS)
        body = json.dumps(document, ensure_ascii=False)
        return Response(body, media_type="application/ld+json", headers=CORS)

    def here(request: Request) -> str:
        return str(request.url.replace(query=""))

    @router.get("/{item_id}/search/1")
    def search1(request: Request, item_id: str, q: str = "", page: int = 0) -> Response:
        """Content Search 1.0 (Mirador, Universal Viewer)."""
        return answer(
            item_id,
            lambda item: search_v1(item, q, normalise, service_url=here(request), page=page),
        )

    @router.get("/{item_id}/search/2")
    def search2(request: Request, item_id: str, q: str = "", page: int = 0) -> Response:
        """Content Search 2.0 (Clover)."""
        return answer(
            item_id,
            lambda item: search_v2(item, q, normalise, service_url=here(request), page=page),
        )

    @router.get("/{item_id}/autocomplete/1")
    def autocomplete1(request: Request, item_id: str, q: str = "") -> Response:
        """Content Search 1.0 autocomplete."""
        search_url = here(request).replace("/autocomplete/1", "/search/1")
        return answer(
            item_id,
            lambda item: autocomplete_v1(
                item, q, normalise, service_url=here(request), search_url=search_url
            ),
        )

    @router.get("/{item_id}/autocomplete/2")
    def autocomplete2(request: Request, item_id: str, q: str = "") -> Response:
        """Content Search 2.0 autocomplete."""
        return answer(
            item_id, lambda item: autocomplete_v2(item, q, normalise, service_url=here(request))
        )

    return router
