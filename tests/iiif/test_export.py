"""Static export: a plain file server answers every URL a viewer derives from info.json."""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from PIL import Image

from iiif import ImageSource
from iiif.export import derive, export_image_service, write_document

from .conftest import draw_master, sha256


class QuietHandler(SimpleHTTPRequestHandler):
    """A static file handler that does not log to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        """Stay silent."""


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Path, ImageSource]:
    """A 700x500 image exported as a level-0 service."""
    master = draw_master(tmp_path / "m.png", (700, 500))
    source = ImageSource(master, 700, 500, fingerprint=sha256(master))
    export_image_service(
        "kiosk-1",
        source,
        derivative_dir=tmp_path / "derivatives",
        out_dir=tmp_path / "out" / "iiif" / "3",
        base_url="http://127.0.0.1:PORT/iiif/3",
    )
    return tmp_path / "out", source


@pytest.fixture
def static_server(exported: tuple[Path, ImageSource]) -> Iterator[str]:
    """Python's plain static file server over the export, on a free loopback port."""
    handler = partial(QuietHandler, directory=str(exported[0]))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def viewer_urls(info: dict[str, object], base: str) -> list[str]:
    """The tile and size URLs OpenSeadragon asks a level-0 IIIF 3 service for."""
    width, height = int(str(info["width"])), int(str(info["height"]))
    urls = [f"{base}/full/max/0/default.jpg"]
    tiles = info["tiles"]
    assert isinstance(tiles, list)
    for factor in tiles[0]["scaleFactors"]:
        span = 256 * factor
        level_w, level_h = math.ceil(width / factor), math.ceil(height / factor)
        if level_w <= 256 and level_h <= 256:
            urls.append(f"{base}/full/{level_w},/0/default.jpg")
            continue
        for y in range(0, height, span):
            for x in range(0, width, span):
                w, h = min(span, width - x), min(span, height - y)
                size = f"{math.ceil(w / factor)},{math.ceil(h / factor)}"
                urls.append(f"{base}/{x},{y},{w},{h}/{size}/0/default.jpg")
    sizes = info["sizes"]
    assert isinstance(sizes, list)
    urls += [f"{base}/full/{s['width']},{s['height']}/0/default.jpg" for s in sizes]
    return urls


def test_static_server_answers_every_viewer_request(static_server: str) -> None:
    base = f"{static_server}/iiif/3/kiosk-1"
    info = httpx.get(f"{base}/info.json").json()
    assert info["profile"] == "level0"
    assert info["id"] == "http://127.0.0.1:PORT/iiif/3/kiosk-1"
    assert "extraFeatures" not in info
    urls = viewer_urls(info, base)
    assert len(urls) > 10
    for url in urls:
        response = httpx.get(url)
        assert response.status_code == 200, url
        Image.open(io.BytesIO(response.content)).verify()
    assert httpx.get(f"{base}/full/pct:50/0/default.jpg").status_code == 404


def test_derive_is_idempotent_and_leaves_the_master_alone(tmp_path: Path) -> None:
    master = draw_master(tmp_path / "m.png", (300, 300))
    source = ImageSource(master, 300, 300, fingerprint=sha256(master))
    first = derive("x", source, tmp_path / "d")
    files = sorted(p for p in (tmp_path / "d").rglob("*") if p.is_file())
    assert derive("x", source, tmp_path / "d") == first
    assert sorted(p for p in (tmp_path / "d").rglob("*") if p.is_file()) == files
    assert sha256(master) == source.fingerprint


@pytest.mark.parametrize("path", ["../escape.json", "/etc/passwd", "a/../../x.json", "."])
def test_documents_cannot_be_written_outside_the_export(tmp_path: Path, path: str) -> None:
    with pytest.raises(ValueError, match="outside"):
        write_document({"id": "x"}, tmp_path / "out", path)
    assert not (tmp_path / "escape.json").exists()


def test_export_refuses_path_like_identifiers(tmp_path: Path, source: ImageSource) -> None:
    with pytest.raises(Exception, match="looks like a path"):
        export_image_service(
            "..", source, derivative_dir=tmp_path / "d", out_dir=tmp_path / "o", base_url="http://x"
        )
