"""The application factory: everything is built from the settings passed in."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from starlette.middleware.sessions import SessionMiddleware

from archive.api.routes import (
    auth,
    collections,
    exhibits,
    health,
    iiif,
    items,
    knowledge,
    pages,
    search,
)
from archive.api.visibility import base_url, request_base, request_user_id
from archive.context import Archive
from archive.jobs.worker import WorkerPool
from archive.settings import Settings, load_settings
from archive.web import mount as mount_web


def create_app(
    settings: Settings, *, archive: Archive | None = None, workers: bool = False
) -> FastAPI:
    """Build the HTTP app; with `workers`, a background pool runs queued jobs while it serves."""
    opened = archive or Archive.open(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = WorkerPool(settings, settings.workers if workers else 0)
        pool.start()
        try:
            yield
        finally:
            pool.stop()

    app = FastAPI(
        title="Qiaopi Archive",
        summary="Qiaopi (僑批) letters and Kaiping Diaolou heritage objects.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.archive = opened

    # Registered before the session middleware, so it runs inside it and sees the session.
    @app.middleware("http")
    async def remember_request(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request_base.set(base_url(request))
        user_id = request.session.get("user_id")
        request_user_id.set(user_id if isinstance(user_id, int) else None)
        response = await call_next(request)
        if user_id is not None and request.url.path.startswith("/iiif/"):
            # A signed-in curator may see drafts: never let a shared cache keep the answer.
            response.headers["Cache-Control"] = "private, no-store"
        return response

    iiif.add_image_fast_path(app, opened)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret(),
        session_cookie="qiaopi_session",
        same_site="lax",
        https_only=settings.environment == "production",
    )
    for module in (health, auth, items, collections, exhibits, search, pages, knowledge):
        app.include_router(module.router)
    iiif.mount(app, opened)
    mount_web(app)

    return app


def app_from_environment() -> FastAPI:
    """The app of one HTTP process of `qiaopi serve --http-workers N` (uvicorn's factory).

    Configured from the QIAOPI_* variables the serve command passed down; it runs no jobs, since
    the serve command keeps one job worker pool for all HTTP processes.
    """
    return create_app(load_settings(os.environ))
