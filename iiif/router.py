"""The Image API 3.0 over HTTP: a FastAPI router the application mounts (e.g. at /iiif/3)."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Route

from iiif.asgi import ImageEndpoint, etag_matches, service_id
from iiif.errors import IIIFError
from iiif.info import IMAGE_CONTEXT, LEVEL2_PROFILE_URI
from iiif.parameters import ImageLimits
from iiif.service import ImageService, Resolver

DEFAULT_CACHE_CONTROL = "public, max-age=3600"
CORS = {"Access-Control-Allow-Origin": "*"}


def image_api_router(
    resolve: Resolver,
    *,
    derivative_dir: Path,
    limits: ImageLimits | None = None,
    public_base_url: str | None = None,
    cache_control: str = DEFAULT_CACHE_CONTROL,
) -> APIRouter:
    """Build the router serving `/{identifier}/info.json`, images, and the base-URI redirect.

    `resolve` maps an identifier to its `ImageSource`, or None when the image is unknown or
    must not be shown (unpublished, restricted): both give the same 404, so existence does
    not leak. The `id` in info.json is the request URL without `/info.json` (scheme and host as
    the server saw them, root_path included; run uvicorn with `--proxy-headers` behind a
    proxy), unless `public_base_url` fixes it, e.g. `https://archive.example/iiif/3`.
    """
    service = ImageService(resolve, derivative_dir, limits)
    router = APIRouter(tags=["IIIF Image API 3"])

    def own_id(request: Request, identifier: str, suffix: str) -> str:
        """The image service's base URI, as the client addressed it."""
        return service_id(request.scope, identifier, suffix, public_base_url)

    def headers(etag: str, *links: str) -> dict[str, str]:
        """Headers every successful answer carries."""
        found = {**CORS, "ETag": etag, "Cache-Control": cache_control}
        if links:
            found["Link"] = ", ".join(links)
        return found

    @router.api_route("/{identifier}", methods=["GET", "HEAD"], include_in_schema=False)
    def base_uri(request: Request, identifier: str) -> Response:
        """Redirect the image's base URI to its info.json, as the spec asks."""
        target = own_id(request, identifier, "") + "/info.json"
        return RedirectResponse(target, status_code=303, headers=CORS)

    @router.get("/{identifier}/info.json")
    def info(request: Request, identifier: str) -> Response:
        """The image information document (info.json)."""
        try:
            document, etag = service.info(identifier, own_id(request, identifier, "/info.json"))
        except IIIFError as error:
            return _error(error)
        profile = f'<{LEVEL2_PROFILE_URI}>;rel="profile"'
        if _not_modified(request, etag):
            return Response(status_code=304, headers=headers(etag))
        if "application/ld+json" in request.headers.get("accept", ""):
            media_type = f'application/ld+json;profile="{IMAGE_CONTEXT}"'
        else:
            media_type = "application/json"
        body = json.dumps(document, ensure_ascii=False)
        return Response(body, media_type=media_type, headers=headers(etag, profile))

    # HEAD answers like GET; kept out of the OpenAPI schema so operation ids stay unique.
    router.add_api_route("/{identifier}/info.json", info, methods=["HEAD"], include_in_schema=False)
    # Image requests are the hot path: a bare ASGI endpoint (see iiif/asgi.py), outside the
    # OpenAPI schema; the Image API spec documents them.
    router.routes.append(
        Route(
            "/{identifier}/{region}/{size}/{rotation}/{quality_format}",
            ImageEndpoint(service, cache_control=cache_control, public_base_url=public_base_url),
            methods=["GET", "HEAD"],
            include_in_schema=False,
        )
    )
    return router


def _not_modified(request: Request, etag: str) -> bool:
    """True when the client's If-None-Match already names this representation."""
    header = request.headers.get("if-none-match")
    return header is not None and etag_matches(header, etag)


def _error(error: IIIFError) -> Response:
    """A plain-text error with the status the exception carries (and CORS, for viewers)."""
    return PlainTextResponse(
        error.message + "\n",
        status_code=error.status,
        headers={**CORS, "Cache-Control": "no-store"},
    )
