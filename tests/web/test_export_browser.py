"""A static export served by a plain file server opens in Chromium: Mirador shows its tiles."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response, expect
from sqlalchemy import select

from archive.catalogue.models import Item
from archive.context import Archive
from archive.export_static import export_static
from tests.web.browser import _free_port, screenshot
from tests.web.conftest import TAISHAN_ITEM

pytestmark = pytest.mark.slow
TILE = re.compile(r"/iiif/3/[^/]+/[^/]+/[^/]+/0/default\.jpg$")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output clean."""


@pytest.fixture
def kiosk(web_archive: Archive, tmp_path: Path) -> Iterator[str]:
    with web_archive.catalogue.reader() as session:
        item = session.scalars(select(Item).where(Item.identifier == TAISHAN_ITEM)).one()
        slug = item.collections[0].slug
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    export_static(web_archive, slug, tmp_path / "kiosk", base_url=base)
    handler = functools.partial(_Quiet, directory=str(tmp_path / "kiosk"))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base
    server.shutdown()
    server.server_close()


def test_exported_site_shows_tiles_in_mirador(page: Page, kiosk: str) -> None:
    def is_tile(response: Response) -> bool:
        return bool(TILE.search(response.url)) and response.ok and response.url.startswith(kiosk)

    page.goto(f"{kiosk}/index.html")
    with page.expect_response(is_tile, timeout=30_000) as tile:
        page.locator("[data-manifest]").first.click()
    assert tile.value.headers["content-type"] == "image/jpeg"
    expect(page.locator("#viewer canvas").first).to_be_visible()
    page.wait_for_timeout(1_000)
    screenshot(page, "static-export")
