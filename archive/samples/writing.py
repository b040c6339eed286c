"""Writing text onto a sheet: vertical columns and horizontal rows, printed or hand-like.

Characters are drawn one at a time (Pillow's vertical layout needs libraqm and gives no
per-character control), which also lets "hand" pages jitter each character's size,
position and angle. Every call returns the ground-truth line: the exact text drawn and
the box around its ink.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from typing import TypedDict

from PIL import Image, ImageDraw

from archive.samples.fonts import FontFace, load

VERTICAL = "vertical"
HORIZONTAL = "horizontal"

Box = tuple[int, int, int, int]


class TruthLine(TypedDict):
    """A ground-truth line as stored in JSON: text, box [x, y, w, h], direction."""

    text: str
    box: list[int]
    direction: str


@dataclass(frozen=True)
class Line:
    """One ground-truth line: its text in reading order, ink box (x, y, w, h), direction."""

    text: str
    box: Box
    direction: str

    def as_dict(self) -> TruthLine:
        """The JSON form used in ground-truth files."""
        return {"text": self.text, "box": list(self.box), "direction": self.direction}


@dataclass(frozen=True)
class Hand:
    """How much a hand-like line wobbles: size, offset (fractions of size) and angle."""

    size: float = 0.15
    offset: float = 0.09
    angle: float = 6.0
    drift: float = 0.03


@dataclass(frozen=True)
class Pen:
    """The font, character size, advance (pitch) and jitter used to write a line."""

    face: FontFace
    size: int
    pitch: int
    hand: Hand | None = None
    intensity: int = 255


@dataclass
class Sheet:
    """A blank page as ink masks, one per colour layer, plus what was written on it."""

    width: int
    height: int
    layers: dict[str, Image.Image] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    marks: list[Line] = field(default_factory=list)

    def layer(self, name: str) -> Image.Image:
        """The ink mask of one colour layer (0 = no ink, 255 = full ink), created on demand."""
        if name not in self.layers:
            self.layers[name] = Image.new("L", (self.width, self.height), 0)
        return self.layers[name]

    def draw(self, name: str) -> ImageDraw.ImageDraw:
        """An ImageDraw on one layer's mask, for frames, rulings and shapes."""
        return ImageDraw.Draw(self.layer(name))


@functools.lru_cache(maxsize=8192)
def _glyph(face: FontFace, size: int, char: str, angle: int) -> tuple[Image.Image, int, int]:
    """The glyph's ink mask, cropped, and the offset of its top-left from the cell centre."""
    span = size * 2
    image = Image.new("L", (span, span), 0)
    ImageDraw.Draw(image).text((size, size), char, fill=255, font=load(face, size), anchor="mm")
    if angle:
        image = image.rotate(angle, resample=Image.Resampling.BILINEAR)
    bbox = image.getbbox()
    if bbox is None:
        return image.crop((0, 0, 1, 1)), 0, 0
    return image.crop(bbox), bbox[0] - size, bbox[1] - size


def _union(boxes: list[tuple[int, int, int, int]]) -> Box:
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[2] for b in boxes)
    bottom = max(b[3] for b in boxes)
    return left, top, right - left, bottom - top


def _write(
    mask: Image.Image,
    text: str,
    origin: tuple[float, float],
    pen: Pen,
    rng: random.Random,
    direction: str,
) -> Line:
    if not text:
        raise ValueError("cannot write an empty line")
    x, y = origin
    drift = 0.0
    boxes: list[tuple[int, int, int, int]] = []
    for char in text:
        size, dx, dy, angle = pen.size, 0.0, 0.0, 0
        if pen.hand is not None:
            hand = pen.hand
            size = round(pen.size * (1 + rng.uniform(-hand.size, hand.size)))
            drift = max(-0.25, min(0.25, drift + rng.uniform(-hand.drift, hand.drift)))
            dx = (rng.uniform(-hand.offset, hand.offset) + drift) * pen.size
            dy = rng.uniform(-hand.offset, hand.offset) * pen.size
            angle = round(rng.uniform(-hand.angle, hand.angle))
        glyph, ox, oy = _glyph(pen.face, size, char, angle)
        if direction == VERTICAL:
            cx, cy = x + dx, y + pen.pitch / 2 + dy
            y += pen.pitch
        else:
            cx, cy = x + pen.pitch / 2 + dx, y + dy
            x += pen.pitch
        left, top = round(cx) + ox, round(cy) + oy
        right, bottom = left + glyph.width, top + glyph.height
        if char.strip():
            mask.paste(pen.intensity, (left, top, right, bottom), glyph)
            boxes.append((left, top, right, bottom))
    return Line(text, _union(boxes), direction)


def write_column(
    sheet: Sheet, layer: str, text: str, x: float, top: float, pen: Pen, rng: random.Random
) -> Line:
    """Write `text` top to bottom in a column centred on `x`, starting at `top`."""
    line = _write(sheet.layer(layer), text, (x, top), pen, rng, VERTICAL)
    sheet.lines.append(line)
    return line


def write_row(
    sheet: Sheet, layer: str, text: str, left: float, y: float, pen: Pen, rng: random.Random
) -> Line:
    """Write CJK `text` left to right on a row centred on `y`, starting at `left`."""
    line = _write(sheet.layer(layer), text, (left, y), pen, rng, HORIZONTAL)
    sheet.lines.append(line)
    return line


def write_latin(
    sheet: Sheet, layer: str, text: str, left: float, baseline: float, pen: Pen
) -> Line:
    """Write a typed Latin-script line (an English address) with proportional spacing."""
    draw = sheet.draw(layer)
    font = load(pen.face, pen.size)
    draw.text((left, baseline), text, fill=pen.intensity, font=font, anchor="ls")
    x0, y0, x1, y1 = (
        round(v) for v in draw.textbbox((left, baseline), text, font=font, anchor="ls")
    )
    line = Line(text, (x0, y0, x1 - x0, y1 - y0), HORIZONTAL)
    sheet.lines.append(line)
    return line
