"""Image requests as a bare ASGI app: the request a viewer makes hundreds of times a page.

Serving a pre-cut tile is one file read. Through the web framework it cost about 1.1 ms of CPU,
most of it request objects, parameter handling and middleware, and a warm IIPImage served tiles
faster than we did. Here an image request is read straight from the ASGI scope and answered with
two `send` calls. Given a resolver that can answer from memory (`quick_resolve`), a pre-cut tile
is served without leaving the event loop; anything that may block (a database lookup, cutting
pixels from the pyramid) runs in one worker-thread hop, which alone cost a third of a tile's time.
Starlette offers no lighter way to answer a request, so this is written against the ASGI
interface itself.

`ImageEndpoint` is the route the Image API router mounts. `ImageFastPath` is middleware that lets
an application answer image requests before the rest of its middleware, for the requests it says
need nothing from it (the archive: visitors who are not signed in).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote

import anyio.to_thread

from iiif.errors import IIIFError
from iiif.info import LEVEL2_PROFILE_URI
from iiif.service import ImageService, Resolver

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CORS = (b"access-control-allow-origin", b"*")
_PROFILE_LINK = f'<{LEVEL2_PROFILE_URI}>;rel="profile"'
_ERROR_HEADERS = [
    (b"content-type", b"text/plain; charset=utf-8"),
    CORS,
    (b"cache-control", b"no-store"),
]
Answer = tuple[int, list[tuple[bytes, bytes]], bytes]
ImagePath = tuple[str, str, str, str, str]
"""identifier, region, size, rotation, quality.format: the five segments of an image request."""


class ImageEndpoint:
    """Answers `{identifier}/{region}/{size}/{rotation}/{quality}.{format}` requests (GET, HEAD).

    Mounted as a route, it takes the five segments from the route's path parameters.
    `quick_resolve` answers like the service's resolver when it can do so at once, and raises
    `LookupError` when it would have to wait; with it, pre-cut files are served inline.
    """

    def __init__(
        self,
        service: ImageService,
        *,
        cache_control: str,
        public_base_url: str | None,
        quick_resolve: Resolver | None = None,
    ) -> None:
        self.service = service
        self._quick_resolve = quick_resolve
        self._cache_control = cache_control.encode()
        self._public_base_url = public_base_url.rstrip("/") if public_base_url else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        params = scope["path_params"]
        await self.respond(
            scope,
            send,
            (
                params["identifier"],
                params["region"],
                params["size"],
                params["rotation"],
                params["quality_format"],
            ),
        )

    async def respond(self, scope: Scope, send: Send, path: ImagePath) -> None:
        """Serve one image request: the image, 304 if the client has it, or a plain-text error."""
        etags = _header(scope, b"if-none-match")
        try:
            answer = self._quick_answer(scope, path, etags)
            if answer is None:
                answer = await anyio.to_thread.run_sync(self._answer, scope, path, etags)
            status, headers, body = answer
        except IIIFError as error:
            status, headers, body = error.status, _ERROR_HEADERS, (error.message + "\n").encode()
        headers = [*headers, (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        head = scope["method"] == "HEAD"
        await send({"type": "http.response.body", "body": b"" if head else body})

    def _quick_answer(self, scope: Scope, path: ImagePath, etags: str | None) -> Answer | None:
        """The answer, if it can be given without blocking: None when it must wait."""
        if self._quick_resolve is None:
            return None
        try:
            return self._answer(scope, path, etags, self._quick_resolve)
        except LookupError:
            return None

    def _answer(
        self, scope: Scope, path: ImagePath, etags: str | None, quick: Resolver | None = None
    ) -> Answer:
        """Status, headers and body; with `quick`, raises `LookupError` rather than block."""
        identifier, region, size, rotation, quality_format = path
        source, wanted, etag = self.service.prepare(
            identifier, region, size, rotation, quality_format, quick
        )
        headers = [CORS, (b"etag", etag.encode()), (b"cache-control", self._cache_control)]
        if etags is not None and etag_matches(etags, etag):
            return 304, headers, b""
        if quick is None:
            rendered = self.service.image(identifier, source, wanted)
        else:
            precut = self.service.precut_image(identifier, source, wanted)
            if precut is None:
                raise LookupError("not pre-cut")
            rendered = precut
        suffix = f"/{region}/{size}/{rotation}/{quality_format}"
        base = service_id(scope, identifier, suffix, self._public_base_url)
        canonical = f"{base}/{wanted.canonical}"
        link = f'<{canonical}>;rel="canonical", {_PROFILE_LINK}'
        headers += [(b"content-type", rendered.media_type.encode()), (b"link", link.encode())]
        return 200, headers, rendered.data


class ImageFastPath:
    """Middleware answering image requests under `prefix` with `endpoint` when `applies(scope)`.

    Every other request, and image requests `applies` turns down, go on to the application
    unchanged; paths that are not exactly five segments under `prefix` are left to its router.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        endpoint: ImageEndpoint,
        prefix: str,
        applies: Callable[[Scope], bool],
    ) -> None:
        self.app = app
        self._endpoint = endpoint
        self._prefix = prefix.rstrip("/") + "/"
        self._applies = applies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            path = self._image_path(scope)
            if path is not None and self._applies(scope):
                await self._endpoint.respond(scope, send, path)
                return
        await self.app(scope, receive, send)

    def _image_path(self, scope: Scope) -> ImagePath | None:
        path: str = scope["path"]
        root = scope.get("root_path", "")
        if root and path.startswith(root + "/"):
            path = path[len(root) :]
        if not path.startswith(self._prefix):
            return None
        segments = path[len(self._prefix) :].split("/")
        if len(segments) != 5 or not all(segments):
            return None
        identifier, region, size, rotation, quality_format = segments
        return identifier, region, size, rotation, quality_format


def service_id(scope: Scope, identifier: str, suffix: str, public_base_url: str | None) -> str:
    """The image service's base URI: `public_base_url` + identifier when set, else as the client
    addressed it (the request path without `/{identifier}{suffix}`, root_path included)."""
    if public_base_url is not None:
        return f"{public_base_url.rstrip('/')}/{quote(identifier, safe='')}"
    base_path = scope["path"].removesuffix(suffix).removesuffix(f"/{identifier}")
    return f"{_origin(scope)}{quote(base_path)}/{quote(identifier, safe='')}"


def _header(scope: Scope, name: bytes) -> str | None:
    """The first value of a request header, decoded as Latin-1 (as HTTP headers are)."""
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def etag_matches(header: str, etag: str) -> bool:
    """True when an If-None-Match header already names this representation."""
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags


def _origin(scope: Scope) -> str:
    """scheme://host[:port] as the client addressed the server (the Host header, else the
    server's own address, leaving out the scheme's default port)."""
    scheme = scope.get("scheme", "http")
    host = _header(scope, b"host")
    if host is None:
        server_host, port = scope.get("server") or ("localhost", None)
        default = {"http": 80, "https": 443}.get(scheme)
        host = server_host if port in (None, default) else f"{server_host}:{port}"
    return f"{scheme}://{host}"
