"""Fixtures shared by every test package."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image


def make_scan(path: Path, *, seed: int, size: tuple[int, int] = (320, 480)) -> Path:
    """Write a small, unique JPEG/PNG/TIFF scan (chosen by suffix) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, (230, 215 - seed % 50, 180))
    image.putpixel((seed % size[0], (seed // size[0]) % size[1]), (0, 0, 0))
    image.save(path)
    return path


@pytest.fixture
def scan_bytes() -> bytes:
    """The bytes of a small valid JPEG."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 96), (200, 180, 150)).save(buffer, "JPEG")
    return buffer.getvalue()
