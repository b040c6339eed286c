"""Decoded-tile cache and regions assembled from tiles: same pixels as libvips, bounded memory."""

from __future__ import annotations

from pathlib import Path

import pytest
import pyvips  # type: ignore[import-untyped]
from PIL import Image

from iiif import ImageSource, build_pyramid
from iiif.tiles import TileCache, open_level, read_region

from .conftest import draw_master, sha256

TILE_BYTES = 256 * 256 * 3


def tile(shade: int) -> Image.Image:
    """A full 256-px RGB tile of one grey shade."""
    return Image.new("RGB", (256, 256), (shade, shade, shade))


def test_cache_drops_the_least_recently_used_tile_beyond_its_budget() -> None:
    cache = TileCache(budget_bytes=2 * TILE_BYTES)
    first, second, third = ("p", 1, 0, 0, 0), ("p", 1, 0, 1, 0), ("p", 1, 0, 2, 0)
    cache.put(first, tile(1))
    cache.put(second, tile(2))
    assert cache.get(first) is not None  # now the most recently used
    cache.put(third, tile(3))
    assert cache.get(second) is None
    assert cache.get(first) is not None and cache.get(third) is not None
    assert cache.used_bytes == 2 * TILE_BYTES


def test_putting_a_key_again_does_not_count_it_twice() -> None:
    cache = TileCache(budget_bytes=10 * TILE_BYTES)
    cache.put(("p", 1, 0, 0, 0), tile(1))
    cache.put(("p", 1, 0, 0, 0), tile(2))
    assert cache.used_bytes == TILE_BYTES


@pytest.fixture(scope="module")
def pyramid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pyramid of a 1000x700 master: 4x3 tiles at full size, with partial edge tiles."""
    folder = tmp_path_factory.mktemp("tiles")
    master = draw_master(folder / "m.png", (1000, 700))
    source = ImageSource(master, 1000, 700, fingerprint=sha256(master))
    return build_pyramid(source, folder / "pyramid.tif")


@pytest.mark.parametrize(
    "box",
    [
        (300, 200, 40, 30),  # inside one tile
        (200, 100, 400, 300),  # across six tiles
        (700, 500, 300, 200),  # up to the right and bottom edges (partial tiles)
        (0, 0, 1000, 700),  # the whole level
    ],
)
def test_regions_have_the_pixels_libvips_reads(pyramid: Path, box: tuple[int, ...]) -> None:
    level = open_level(str(pyramid), 0, pyramid.stat().st_mtime_ns)
    left, top, width, height = box
    region = read_region(level, left, top, width, height)
    expected = pyvips.Image.new_from_file(str(pyramid), page=0).crop(left, top, width, height)
    assert region.size == (width, height)
    assert region.tobytes() == expected.write_to_memory()
