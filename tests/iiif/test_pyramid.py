"""The derivative builder: pyramidal tiled TIFFs from masters given as paths or streams."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import pyvips  # type: ignore[import-untyped]
from PIL import Image

from iiif import DerivativeError, ImageLimits, ImageService, ImageSource, build_pyramid
from iiif.info import standard_sizes, standard_tiles

from .conftest import MASTER_SIZE, draw_master, sha256


def test_pyramid_has_256px_jpeg_tiles_and_halving_levels(
    source: ImageSource, tmp_path: Path
) -> None:
    pyramid = build_pyramid(source, tmp_path / "out" / "pyramid.tif")
    top = pyvips.Image.new_from_file(str(pyramid))
    assert (top.width, top.height) == MASTER_SIZE
    assert top.get("n-pages") >= 3
    second = pyvips.Image.new_from_file(str(pyramid), page=1)
    assert (second.width, second.height) == (600, 450)
    with Image.open(pyramid) as tiff:
        assert tiff.info["compression"] == "jpeg"
        assert (tiff.tag_v2[322], tiff.tag_v2[323]) == (256, 256)  # TileWidth, TileLength
    assert not list((tmp_path / "out").glob("*.part"))


def test_master_from_a_stream_with_alpha(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (300, 200), (10, 20, 30, 0)).save(buffer, "PNG")
    data = buffer.getvalue()
    source = ImageSource(lambda: io.BytesIO(data), 300, 200, fingerprint="abc")
    pyramid = build_pyramid(source, tmp_path / "p.tif")
    image = pyvips.Image.new_from_file(str(pyramid))
    assert (image.width, image.height, image.bands) == (300, 200, 3)


def test_declared_size_must_match_the_master(master: Path, tmp_path: Path) -> None:
    wrong = ImageSource(master, 100, 100, fingerprint=sha256(master))
    with pytest.raises(DerivativeError, match="declared 100x100"):
        build_pyramid(wrong, tmp_path / "p.tif")
    assert not (tmp_path / "p.tif").exists()


def test_unreadable_master_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 not really a jpeg")
    with pytest.raises(DerivativeError, match="cannot be read"):
        build_pyramid(ImageSource(broken, 10, 10, "f"), tmp_path / "p.tif")


def test_precut_writes_every_standard_tile_and_size(tmp_path: Path) -> None:
    master = draw_master(tmp_path / "m.png", (600, 300))
    source = ImageSource(master, 600, 300, fingerprint=sha256(master))
    service = ImageService(lambda _: source, tmp_path / "d", ImageLimits())
    requests = service.precut("item", source)
    expected = len(standard_sizes(600, 300, ImageLimits())) + len(standard_tiles(600, 300))
    assert len(requests) == expected
    for request in requests:
        path = service.cached_file("item", source, request)
        with Image.open(path) as tile:
            assert tile.size == (request.width, request.height)
    assert sha256(master) == source.fingerprint


def test_image_source_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="positive size"):
        ImageSource(Path("x.png"), 0, 10, "f")
    with pytest.raises(ValueError, match="fingerprint"):
        ImageSource(Path("x.png"), 10, 10, "")
