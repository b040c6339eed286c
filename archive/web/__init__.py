"""The web pages: server-rendered Jinja2 templates from `viewer/`, in three languages.

`mount(app)` adds the page routes and the static files to the app built by `create_app`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from archive.web import curating, curator, public
from archive.web.rendering import VIEWER_DIR, Pages


def mount(app: FastAPI) -> None:
    """Add the web pages, their static files and HTML error pages to the app."""
    pages = Pages(VIEWER_DIR)
    app.state.web_pages = pages
    static = GZipMiddleware(CachedStaticFiles(directory=VIEWER_DIR / "static"), minimum_size=1024)
    app.mount("/static", static, name="static")
    app.include_router(public.build_router(pages))
    app.include_router(curator.build_router(pages))
    app.include_router(curating.build_router(pages))

    @app.exception_handler(curator.SignInRequired)
    async def to_sign_in(request: Request, exc: curator.SignInRequired) -> Response:
        return RedirectResponse(f"/curator/sign-in?next={exc.next_path}", 303)

    @app.exception_handler(StarletteHTTPException)
    async def error_page(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_html(request):
            return pages.render(
                request, "error.html", status_code=exc.status_code, detail=str(exc.detail)
            )
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )


class CachedStaticFiles(StaticFiles):
    """Static files that browsers may keep for a day (the viewer bundle is 2 MB)."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        """The file, with a Cache-Control header."""
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response


def _wants_html(request: Request) -> bool:
    """API and IIIF clients get JSON errors; the pages get an HTML page."""
    path = request.url.path
    if path.startswith(("/api/", "/iiif/", "/docs", "/openapi")):
        return False
    return "text/html" in request.headers.get("accept", "") or request.method == "POST"
