"""Decoded pyramid tiles in one least-recently-used cache per process; regions cut from them.

Decoding a 256-px JPEG tile costs about 1.5 ms of CPU (a noisy scan at Q90), copying pixels
out of a decoded one a few microseconds, so what decides the speed of random regions is how
often a tile is decoded again. One byte budget shared by every level of every pyramid (as
IIPImage's `MAX_IMAGE_CACHE_SIZE`) keeps a whole 6000x8000 pyramid (~190 MiB decoded) in
memory once viewed; the earlier per-level libvips `tilecache` of 512 tiles could not hold the
768 tiles of that image's full-resolution level and kept decoding a third of them again.
Tiles are decoded by libvips from the TIFF (only the tile asked for) and kept as Pillow
images, so a region is a few `paste` calls (C loops, no Python per pixel).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

import pyvips  # type: ignore[import-untyped]
from PIL import Image

from iiif.info import TILE_SIZE

# Per process; a decoded RGB tile is 192 KiB, so this holds ~2,700 tiles.
TILE_CACHE_BYTES = 512 * 2**20
OPEN_LEVELS = 64
_MODES = {1: "L", 3: "RGB"}

TileKey = tuple[str, int, int, int, int]


class TileCache:
    """Decoded tiles by (pyramid, version, page, column, row), least recently used out first.

    Thread-safe. Two threads missing the same tile at once both decode it (rare, and cheaper
    than making every reader wait on a per-tile lock).
    """

    def __init__(self, budget_bytes: int) -> None:
        self.budget_bytes = budget_bytes
        self.used_bytes = 0
        self._tiles: OrderedDict[TileKey, Image.Image] = OrderedDict()
        self._guard = threading.Lock()

    def get(self, key: TileKey) -> Image.Image | None:
        """The tile, marked as just used, or None if it is not cached."""
        with self._guard:
            tile = self._tiles.get(key)
            if tile is not None:
                self._tiles.move_to_end(key)
            return tile

    def put(self, key: TileKey, tile: Image.Image) -> None:
        """Keep `tile`, dropping the least recently used tiles to stay within the budget."""
        size = _bytes(tile)
        with self._guard:
            previous = self._tiles.pop(key, None)
            if previous is not None:
                self.used_bytes -= _bytes(previous)
            self._tiles[key] = tile
            self.used_bytes += size
            while self.used_bytes > self.budget_bytes and len(self._tiles) > 1:
                _, dropped = self._tiles.popitem(last=False)
                self.used_bytes -= _bytes(dropped)


@dataclass(frozen=True)
class Level:
    """One level of a pyramidal TIFF, opened once; its size is read once (vips lookups cost)."""

    pyramid: str
    version: int
    page: int
    image: pyvips.Image
    width: int
    height: int
    mode: str


TILES = TileCache(TILE_CACHE_BYTES)


@lru_cache(maxsize=OPEN_LEVELS)
def open_level(pyramid: str, page: int, version: int) -> Level:
    """Level `page` of `pyramid` (`version` = the file's mtime, so a rebuilt file opens afresh)."""
    image = pyvips.Image.new_from_file(pyramid, page=page, access="random")
    return Level(pyramid, version, page, image, image.width, image.height, _MODES[image.bands])


@lru_cache(maxsize=OPEN_LEVELS)
def page_count(pyramid: str, version: int) -> int:
    """How many levels the pyramid has."""
    top = pyvips.Image.new_from_file(pyramid, access="random")
    return int(top.get("n-pages")) if top.get_typeof("n-pages") else 1


def read_region(level: Level, left: int, top: int, width: int, height: int) -> Image.Image:
    """The pixels of one rectangle of `level` (inside it), assembled from cached tiles."""
    first_col, first_row = left // TILE_SIZE, top // TILE_SIZE
    last_col, last_row = (left + width - 1) // TILE_SIZE, (top + height - 1) // TILE_SIZE
    if first_col == last_col and first_row == last_row:
        x, y = first_col * TILE_SIZE, first_row * TILE_SIZE
        tile = _tile(level, first_col, first_row)
        return tile.crop((left - x, top - y, left - x + width, top - y + height))
    # Every pixel is pasted over, so the canvas needs no initial fill (color=None).
    canvas = Image.new(level.mode, (width, height), None)
    for row in range(first_row, last_row + 1):
        for col in range(first_col, last_col + 1):
            canvas.paste(_tile(level, col, row), (col * TILE_SIZE - left, row * TILE_SIZE - top))
    return canvas


def _tile(level: Level, col: int, row: int) -> Image.Image:
    """One decoded tile (edge tiles are smaller), from the cache or decoded now."""
    key = (level.pyramid, level.version, level.page, col, row)
    tile = TILES.get(key)
    if tile is None:
        x, y = col * TILE_SIZE, row * TILE_SIZE
        size = (min(TILE_SIZE, level.width - x), min(TILE_SIZE, level.height - y))
        pixels = pyvips.Region.new(level.image).fetch(x, y, *size)
        tile = Image.frombytes(level.mode, size, pixels)
        TILES.put(key, tile)
    return tile


def _bytes(tile: Image.Image) -> int:
    """Memory a decoded tile takes."""
    return tile.width * tile.height * len(tile.getbands())
