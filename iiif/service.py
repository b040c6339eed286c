"""The Image API pipeline without HTTP: resolve → parse → resolve sizes → cache or render.

`ImageService` is what the router calls and what the derivative job and the static export
use, so all three agree on cache layout: `<derivative_dir>/<h[:2]>/<h>/pyramid.tif` and
pre-cut files at `<derivative_dir>/<h[:2]>/<h>/<canonical request path>`, where `h` hashes
the identifier and the master's fingerprint (never the identifier as a path).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iiif.errors import NotFound
from iiif.identifiers import check_identifier, storage_key
from iiif.info import image_info, is_standard, standard_sizes, standard_tiles
from iiif.parameters import (
    Format,
    ImageLimits,
    ImageRequest,
    PixelRegion,
    Quality,
    Rotation,
    parse_request,
    resolve_request,
)
from iiif.pyramid import build_pyramid
from iiif.source import ImageSource
from iiif.transforms import render

Resolver = Callable[[str], ImageSource | None]


@dataclass(frozen=True)
class RenderedImage:
    """The answer to an image request: the encoded bytes, pre-cut or freshly rendered."""

    request: ImageRequest
    etag: str
    data: bytes

    @property
    def media_type(self) -> str:
        """The Content-Type of the image."""
        return self.request.format.media_type


class ImageService:
    """Serves Image API requests for the images `resolve` knows, keeping derivatives on disk."""

    def __init__(
        self, resolve: Resolver, derivative_dir: Path, limits: ImageLimits | None = None
    ) -> None:
        self._resolve = resolve
        self.derivative_dir = derivative_dir
        self.limits = limits or ImageLimits()
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def source(self, identifier: str, resolve: Resolver | None = None) -> ImageSource:
        """The source for `identifier`, or `NotFound` (also for unpublished images).

        `resolve` replaces the service's resolver for this call (e.g. one that only looks in a
        cache and raises `LookupError` rather than wait for a database).
        """
        found = (resolve or self._resolve)(check_identifier(identifier))
        if found is None:
            raise NotFound(f"no image has the identifier {identifier!r}")
        return found

    def info(self, identifier: str, image_id: str) -> tuple[dict[str, Any], str]:
        """The info.json document (with `id` = `image_id`) and its ETag."""
        source = self.source(identifier)
        document = image_info(image_id, source.width, source.height, self.limits)
        return document, _etag(storage_key(identifier, source.fingerprint), image_id)

    def prepare(
        self,
        identifier: str,
        region: str,
        size: str,
        rotation: str,
        quality_format: str,
        resolve: Resolver | None = None,
    ) -> tuple[ImageSource, ImageRequest, str]:
        """Parse and resolve an image request without rendering it; returns its ETag too.

        Lets the router answer If-None-Match with 304 before any pixel is touched. `resolve`
        is as for `source`.
        """
        requested = parse_request(region, size, rotation, quality_format)
        source = self.source(identifier, resolve)
        request = resolve_request(requested, source.width, source.height, self.limits)
        return (
            source,
            request,
            _etag(storage_key(identifier, source.fingerprint), request.canonical),
        )

    def image(self, identifier: str, source: ImageSource, request: ImageRequest) -> RenderedImage:
        """Serve `request`: from the pre-cut file if there is one, else cut from the pyramid.

        Only standard tiles and sizes have pre-cut files (written after their first
        rendering), so other requests go straight to the pyramid.
        """
        precut = self.precut_image(identifier, source, request)
        if precut is not None:
            return precut
        key = storage_key(identifier, source.fingerprint)
        data = render(self.pyramid(identifier, source), request, source.width)
        if is_standard(request, source.width, source.height, self.limits):
            _write_atomically(self._folder(key) / request.canonical, data)
        return RenderedImage(request, _etag(key, request.canonical), data=data)

    def precut_image(
        self, identifier: str, source: ImageSource, request: ImageRequest
    ) -> RenderedImage | None:
        """The pre-cut file for `request` if there is one, else None; never renders.

        Pre-cut files are small (tiles, listed sizes), so they are read whole: a read quick
        enough to make without leaving an event loop.
        """
        if not is_standard(request, source.width, source.height, self.limits):
            return None
        key = storage_key(identifier, source.fingerprint)
        try:
            data = (self._folder(key) / request.canonical).read_bytes()
        except FileNotFoundError:
            return None
        return RenderedImage(request, _etag(key, request.canonical), data=data)

    def pyramid(self, identifier: str, source: ImageSource) -> Path:
        """The pyramidal TIFF of this image, built now if the derivative job has not yet."""
        key = storage_key(identifier, source.fingerprint)
        path = self._folder(key) / "pyramid.tif"
        if path.is_file():
            return path
        with self._lock(key):
            if not path.is_file():
                build_pyramid(source, path)
        return path

    def precut(self, identifier: str, source: ImageSource) -> list[ImageRequest]:
        """Build the pyramid and every standard tile and size as JPEG (the derivative job).

        Returns the requests that now have pre-cut files, e.g. for a static export.
        """
        requests = list(standard_requests(source, self.limits))
        for request in requests:
            self.image(identifier, source, request)
        return requests

    def cached_file(self, identifier: str, source: ImageSource, request: ImageRequest) -> Path:
        """Where the pre-cut file for `request` lives (it may not exist yet)."""
        return self._folder(storage_key(identifier, source.fingerprint)) / request.canonical

    def _folder(self, key: str) -> Path:
        return self.derivative_dir / key[:2] / key

    def _lock(self, key: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(key, threading.Lock())


def standard_requests(source: ImageSource, limits: ImageLimits) -> Iterator[ImageRequest]:
    """Every grid tile and listed size of `source`, as default-quality JPEG requests."""
    plain = Rotation()
    full = PixelRegion(0, 0, source.width, source.height)
    for w, h in standard_sizes(source.width, source.height, limits):
        yield ImageRequest(full, w, h, plain, Quality.DEFAULT, Format.JPG, full_region=True)
    for x, y, w, h, out_w, out_h in standard_tiles(source.width, source.height):
        region = PixelRegion(x, y, w, h)
        whole = region == full
        yield ImageRequest(region, out_w, out_h, plain, Quality.DEFAULT, Format.JPG, whole)


def _etag(key: str, variant: str) -> str:
    """A strong ETag for one representation of one master."""
    return '"' + hashlib.sha256(f"{key}\0{variant}".encode()).hexdigest()[:32] + '"'


def _write_atomically(path: Path, data: bytes) -> None:
    """Write a cache file so readers never see a partial one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
