"""Preprocessing steps: red drop-out with seal mask, deskew, downscale, Otsu."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from ocr import OcrError
from ocr.model import Box, Direction
from ocr.preprocess import WORKING_LONG_SIDE, otsu_threshold, preprocess, skew_angle
from ocr.synthetic import RED, render_page

from .conftest import LETTER


def test_red_dropout_removes_frame_keeps_ink_and_finds_the_seal() -> None:
    page = render_page(LETTER, Direction.VERTICAL, red_frame=True)
    ImageDraw.Draw(page).ellipse((40, 300, 140, 400), fill=RED)  # a round seal
    prepared = preprocess(page, ("red_dropout",))
    grey = np.asarray(prepared.image)
    rgb = np.asarray(page)
    red_print = (rgb[:, :, 0] > 150) & (rgb[:, :, 1] < 80)
    ink = rgb.sum(axis=2) < 150
    assert grey[red_print].min() >= 200
    assert np.median(grey[ink]) < 60
    assert len(prepared.seals) == 1
    seal = prepared.seals[0]
    assert abs(seal.x - 40) <= 8 and abs(seal.y - 300) <= 8 and abs(seal.w - 100) <= 16
    assert dict(prepared.steps[0].params)["seals"] == "1"


def test_deskew_finds_the_rotation_and_maps_boxes_back() -> None:
    page = render_page(LETTER, Direction.VERTICAL).convert("L")
    tilted = page.rotate(-3, resample=Image.Resampling.BICUBIC, fillcolor=255, expand=False)
    assert skew_angle(tilted) == pytest.approx(3, abs=0.3)
    prepared = preprocess(tilted, ("deskew",))
    assert float(dict(prepared.steps[0].params)["angle"]) == pytest.approx(3, abs=0.3)
    centre = Box(prepared.image.width // 2, prepared.image.height // 2, 1, 1)
    mapped = prepared.box_to_original(centre)
    assert abs(mapped.x - centre.x) <= 2 and abs(mapped.y - centre.y) <= 2


def test_downscale_bounds_the_working_size_and_maps_back() -> None:
    prepared = preprocess(Image.new("L", (6000, 3000), 255), ("downscale",))
    assert max(prepared.image.size) == WORKING_LONG_SIDE
    assert prepared.box_to_original(Box(100, 100, 10, 10)) == Box(250, 250, 25, 25)
    small = preprocess(Image.new("L", (600, 300), 255), ("downscale",))
    assert small.image.size == (600, 300)  # never upscaled


def test_otsu_threshold_separates_two_levels() -> None:
    grey = np.array([30] * 100 + [220] * 300, dtype=np.uint8)
    assert 30 <= otsu_threshold(grey) < 220
    prepared = preprocess(Image.fromarray(grey.reshape(20, 20)), ("otsu",))
    assert set(np.unique(np.asarray(prepared.image))) == {0, 255}


def test_blank_and_black_pages_pass_through() -> None:
    for colour in (255, 0):
        prepared = preprocess(Image.new("L", (300, 400), colour), ("red_dropout", "deskew", "otsu"))
        assert prepared.image.size == (300, 400)


def test_unknown_step_is_refused() -> None:
    with pytest.raises(OcrError, match="unknown preprocessing step"):
        preprocess(Image.new("L", (10, 10)), ("sharpen",))
