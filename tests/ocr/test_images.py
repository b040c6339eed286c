"""Opening scans: decompression bombs, tiny and broken files, CMYK and 16-bit inputs."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ocr import OcrError, open_image, recognize
from ocr.images import to_8bit


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` (the pixel data is tiny)."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1), 255).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = bytes(data[12:29])  # b"IHDR" + 13 bytes of header fields
    ihdr = ihdr[:4] + struct.pack(">II", width, height) + ihdr[12:]
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(ihdr))
    return bytes(data)


def test_20000_square_scan_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    path.write_bytes(_png_claiming(20_000, 20_000))
    with pytest.raises(OcrError, match=r"huge\.png: too large to decode safely.*downscale"):
        open_image(path)


def test_scan_above_our_limit_but_below_pillows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(_png_claiming(12_000, 12_000))  # 144 MP: Pillow only warns
    with pytest.raises(OcrError, match="144 megapixels, above the limit of 100"):
        open_image(path, max_pixels=100_000_000)


def test_huge_image_in_memory_is_refused_by_recognize() -> None:
    huge = Image.new("1", (20_000, 20_000), 1)
    with pytest.raises(OcrError, match="400 megapixels"):
        recognize(huge, "tesseract")


def test_one_pixel_image_is_refused() -> None:
    with pytest.raises(OcrError, match="1×1 pixels is too small"):
        recognize(Image.new("RGB", (1, 1), "white"))


def test_not_an_image_and_truncated_image_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OcrError, match="not a readable image"):
        open_image(b"%PDF-1.4 not an image")
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), "white").save(buffer, "JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(buffer.getvalue()[:300])
    with pytest.raises(OcrError, match=r"cut\.jpg"):
        open_image(path)


def test_cmyk_jpeg_becomes_rgb(tmp_path: Path) -> None:
    path = tmp_path / "cmyk.jpg"
    image = Image.new("CMYK", (64, 64), (0, 0, 0, 0))
    image.paste((0, 255, 255, 0), (0, 0, 32, 64))  # red on the left half
    image.save(path, "JPEG", quality=95)
    rgb = to_8bit(open_image(path))
    assert rgb.mode == "RGB"
    red, _, blue = rgb.getpixel((10, 10))  # type: ignore[misc]
    assert red > 200 and blue < 60
    assert rgb.getpixel((50, 10)) > (230, 230, 230)  # type: ignore[operator]


def test_16_bit_tiff_is_rescaled_not_clipped(tmp_path: Path) -> None:
    data = np.full((64, 64), 60_000, dtype=np.uint16)
    data[20:40, 20:40] = 4_000  # dark ink
    path = tmp_path / "scan16.tif"
    Image.fromarray(data).save(path)
    opened = open_image(path)
    assert opened.mode.startswith("I;16")
    grey = np.asarray(to_8bit(opened))
    assert grey[30, 30] < 20 and grey[5, 5] > 235
