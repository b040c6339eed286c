"""Shared fixtures for the IIIF tests: a real master image, an app with the router mounted."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from iiif import ImageSource, image_api_router

MASTER_SIZE = (1200, 900)
PUBLISHED = "letter-0001"
UNPUBLISHED = "draft-0002"


def draw_master(path: Path, size: tuple[int, int] = MASTER_SIZE) -> Path:
    """A colour master with four coloured quadrants, so crops and rotations can be checked."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((0, 0, w // 2 - 1, h // 2 - 1), fill=(255, 0, 0))
    draw.rectangle((w // 2, 0, w - 1, h // 2 - 1), fill=(0, 255, 0))
    draw.rectangle((0, h // 2, w // 2 - 1, h - 1), fill=(0, 0, 255))
    draw.rectangle((w // 2, h // 2, w - 1, h - 1), fill=(255, 255, 0))
    image.save(path)
    return path


def sha256(path: Path) -> str:
    """The hex sha256 of a file, to prove masters are never modified."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def master(tmp_path: Path) -> Path:
    """A PNG master on disk."""
    return draw_master(tmp_path / "master.png")


@pytest.fixture
def source(master: Path) -> ImageSource:
    """The master as an `ImageSource`."""
    return ImageSource(master, *MASTER_SIZE, fingerprint=sha256(master))


@pytest.fixture
def resolve(source: ImageSource) -> Callable[[str], ImageSource | None]:
    """A resolver that knows the published image; the unpublished one resolves to None."""
    images = {PUBLISHED: source, UNPUBLISHED: None}
    return lambda identifier: images.get(identifier)


@pytest.fixture
def client(resolve: Callable[[str], ImageSource | None], tmp_path: Path) -> TestClient:
    """An app with the Image API mounted at /iiif/3, as the archive mounts it."""
    app = FastAPI()
    router = image_api_router(resolve, derivative_dir=tmp_path / "derivatives")
    app.include_router(router, prefix="/iiif/3")
    return TestClient(app)
