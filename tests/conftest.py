"""Fixtures shared by every test package."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import settings
from PIL import Image

# No per-example deadline: on a shared 2-core CI machine the first example of a property test
# also pays for lazy loads (OpenCC, the romanisation libraries), which says nothing about the
# property. Hypothesis still reports examples that hang.
settings.register_profile("qiaopi", deadline=None)
settings.load_profile("qiaopi")


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
