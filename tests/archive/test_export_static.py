"""Static export: a folder that a plain file server serves as a complete level-0 IIIF site."""

from __future__ import annotations

import functools
import json
import socket
import threading
import urllib.request
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest

from archive.context import Archive
from archive.export_static import ExportError, export_static
from archive.ingest.run import ingest
from tests.archive.test_iiif_routes import SCHEMA_PATH
from tests.archive.test_ingest import corpus


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(archive: Archive, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = corpus(tmp_path / "corpus")
    ingest(archive, [root / "items"], metadata=root / "items.csv")
    out = tmp_path / "kiosk"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    export_static(archive, "taishan-letters", out, base_url=base)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base, out
    server.shutdown()
    server.server_close()


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return bytes(response.read())


def test_a_plain_file_server_serves_manifests_and_tiles(served: tuple[str, Path]) -> None:
    base, out = served
    collection = json.loads(get(f"{base}/iiif/collections/taishan-letters"))
    assert [m["id"] for m in collection["items"]] == [f"{base}/iiif/items/qp-1932-0001/manifest"]
    manifest = json.loads(get(collection["items"][0]["id"]))
    schema = jsonschema.Draft7Validator(json.loads(SCHEMA_PATH.read_text()))
    assert [e.message for e in schema.iter_errors(manifest)] == []
    assert "service" not in manifest  # no Content Search on a static host
    for canvas in manifest["items"]:
        service = canvas["items"][0]["items"][0]["body"]["service"][0]["id"]
        info = json.loads(get(f"{service}/info.json"))
        assert info["id"] == service and info["profile"] == "level0"
        assert get(f"{service}/full/max/0/default.jpg")[:2] == b"\xff\xd8"
        width = info["sizes"][0]["width"]
        assert get(f"{service}/full/{width},/0/default.jpg")[:2] == b"\xff\xd8"
    assert b"qp-1932-0001" in get(f"{base}/index.html")
    assert not list(out.rglob("*qp-1933-0002*"))  # the draft is not exported


def test_bad_exports_are_refused(archive: Archive, tmp_path: Path) -> None:
    root = corpus(tmp_path / "corpus")
    ingest(archive, [root / "items"], metadata=root / "items.csv")
    with pytest.raises(ExportError, match="no public collection"):
        export_static(archive, "nope", tmp_path / "a", base_url="http://x")
    with pytest.raises(ExportError, match="absolute"):
        export_static(archive, "taishan-letters", tmp_path / "b", base_url="kiosk")
    (tmp_path / "c").mkdir()
    (tmp_path / "c/keep.txt").write_text("mine")
    with pytest.raises(ExportError, match="not empty"):
        export_static(archive, "taishan-letters", tmp_path / "c", base_url="http://x")
    assert (tmp_path / "c/keep.txt").read_text() == "mine"
