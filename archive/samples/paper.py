"""Turning a written sheet into a scan: paper tone, ink colours, wear, blur, noise, rotation.

Layers are laid on the paper by multiplication, as ink is: black writing stays black
under a red seal and red print shows through thin ink. All randomness comes from the
seeded generator (`Random.randbytes` for noise), never from Pillow's own noise functions,
so the same seed gives the same pixels.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from archive.samples.writing import Box, Line, Sheet

CLEAN = "clean"
DEGRADED = "degraded"
RED_FRAME = "red-frame"
HAND = "hand"
CONDITIONS = (CLEAN, DEGRADED, RED_FRAME, HAND)

Colour = tuple[int, int, int]

LAYER_COLOURS: dict[str, Colour] = {
    "red": (200, 58, 46),
    "stamp": (70, 122, 96),
    "postmark": (72, 64, 86),
    "print": (40, 48, 96),
    "ink": (32, 27, 24),
    "seal": (206, 40, 50),
}

PAPER_TONES: tuple[Colour, ...] = (
    (238, 228, 204),
    (232, 219, 188),
    (241, 234, 214),
    (226, 210, 176),
)


@dataclass(frozen=True)
class Wear:
    """How worn a condition makes a page."""

    tone_spread: int
    grain: int
    blur: float
    fade: float
    stains: int
    max_angle: float


WEAR = {
    CLEAN: Wear(tone_spread=5, grain=0, blur=0.0, fade=1.0, stains=0, max_angle=0.0),
    DEGRADED: Wear(tone_spread=26, grain=26, blur=1.4, fade=0.5, stains=3, max_angle=3.0),
    RED_FRAME: Wear(tone_spread=10, grain=6, blur=0.6, fade=1.0, stains=0, max_angle=1.0),
    HAND: Wear(tone_spread=12, grain=6, blur=0.9, fade=0.95, stains=1, max_angle=2.0),
}


@dataclass(frozen=True)
class Scan:
    """The finished page image and its ground truth in the image's own coordinates."""

    image: Image.Image
    lines: list[Line]
    marks: list[Line]
    rotation: float


def noise(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """Uniform random grey levels from the seeded generator (reproducible, unlike Pillow's)."""
    return Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))


def _shade(size: tuple[int, int], grain: int, rng: random.Random) -> Image.Image:
    """Paper unevenness: a smooth wash, fibres, and scanner grain, centred on grey 128."""
    third = (size[0] // 3, size[1] // 3)
    smooth = noise(rng, (5, 7)).resize(third, Image.Resampling.BICUBIC)
    shade = Image.blend(smooth, noise(rng, third), 0.25).resize(size, Image.Resampling.BILINEAR)
    if grain:
        speckle = noise(rng, size).point([v * grain // 128 for v in range(256)])
        shade = ImageChops.add(shade, speckle, 1.0, -grain)
    return shade


def _fading(size: tuple[int, int], least: float, rng: random.Random) -> Image.Image:
    """Ink that faded unevenly: a smooth field from `least` (faded) to 1 (fresh)."""
    field = noise(rng, (4, 5)).resize((size[0] // 4, size[1] // 4), Image.Resampling.BICUBIC)
    low = round(255 * least)
    field = field.point([low + v * (255 - low) // 255 for v in range(256)])
    return field.resize(size, Image.Resampling.BILINEAR)


def _stains(size: tuple[int, int], count: int, rng: random.Random) -> Image.Image:
    small = (max(1, size[0] // 8), max(1, size[1] // 8))
    mask = Image.new("L", small, 0)
    draw = ImageDraw.Draw(mask)
    for _ in range(count):
        cx, cy = rng.uniform(0, small[0]), rng.uniform(0, small[1])
        rx, ry = rng.uniform(6, 30), rng.uniform(6, 30)
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=rng.randint(40, 90))
    return mask.filter(ImageFilter.GaussianBlur(4)).resize(size, Image.Resampling.BILINEAR)


def _lay(bands: list[Image.Image], mask: Image.Image, colour: Colour) -> None:
    """Multiply one colour's ink into the paper's bands, only where the mask has ink.

    Done band by band on greyscale images (rather than compositing RGB images) because it
    is several times faster, which matters for 1,000-page benchmark corpora.
    """
    bbox = mask.getbbox()
    if bbox is None:
        return
    region = mask.crop(bbox)
    for i, c in enumerate(colour):
        factor = region.point([255 - v * (255 - c) // 255 for v in range(256)])
        bands[i].paste(ImageChops.multiply(bands[i].crop(bbox), factor), bbox)


def rotate_box(box: Box, angle: float, size: tuple[int, int]) -> Box:
    """The axis-aligned box around `box` after rotating the page `angle` degrees anticlockwise."""
    cx, cy = size[0] / 2, size[1] / 2
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    x, y, w, h = box
    xs, ys = [], []
    for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)):
        dx, dy = px - cx, py - cy
        xs.append(cx + dx * cos + dy * sin)
        ys.append(cy - dx * sin + dy * cos)
    left, top = max(0, math.floor(min(xs))), max(0, math.floor(min(ys)))
    right, bottom = min(size[0], math.ceil(max(xs))), min(size[1], math.ceil(max(ys)))
    return left, top, right - left, bottom - top


def scan(sheet: Sheet, condition: str, rng: random.Random, tone: Colour | None = None) -> Scan:
    """Lay the sheet's ink on paper and wear it as `condition` says; boxes follow the rotation."""
    wear = WEAR[condition]
    size = (sheet.width, sheet.height)
    base = tone if tone is not None else rng.choice(PAPER_TONES)
    shade = _shade(size, wear.grain, rng)
    spread = wear.tone_spread
    bands = [
        shade.point([max(0, min(255, c + (v - 128) * spread // 128)) for v in range(256)])
        for c in base
    ]
    if wear.stains:
        _lay(bands, _stains(size, rng.randint(1, wear.stains), rng), (150, 108, 58))
    for name, colour in LAYER_COLOURS.items():
        mask = sheet.layers.get(name)
        if mask is None:
            continue
        if name == "ink" and wear.fade < 1.0:
            mask = ImageChops.multiply(mask, _fading(size, wear.fade, rng))
        if wear.blur and name == "ink":
            mask = mask.filter(ImageFilter.BoxBlur(wear.blur))
        _lay(bands, mask, colour)
    image = Image.merge("RGB", bands)
    angle = round(rng.uniform(-wear.max_angle, wear.max_angle), 2) if wear.max_angle else 0.0
    lines, marks = list(sheet.lines), list(sheet.marks)
    if angle:
        image = image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=base)
        lines = [Line(li.text, rotate_box(li.box, angle, size), li.direction) for li in lines]
        marks = [Line(m.text, rotate_box(m.box, angle, size), m.direction) for m in marks]
    return Scan(image, lines, marks, angle)
