"""Preprocessing as named, composable steps; each records what it did in the result.

Findings from the benchmark (issue 3): dropping red print by keeping only the red channel
and deskewing by projection profile help every engine most; Otsu binarisation helps
Tesseract but hurts the PP-OCR models (they are trained on greyscale); upscaling never
helps. Each engine names its own default pipeline (``OcrEngine.preprocessing``).

Orientation (Tesseract OSD) is available as a step for batches of sideways scans.

Steps work on a ``Prepared`` value, which also carries the affine map from the pixels the
engine sees back to the original scan, so boxes can always be reported in scan coordinates.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pytesseract
from PIL import Image

from ocr.errors import OcrError
from ocr.images import to_8bit
from ocr.model import Box, Step

WORKING_LONG_SIDE = 2400  # pixels; larger scans are reduced to this before recognition
SEAL_REDNESS = 60  # red minus max(green, blue) above which a pixel is red print or a seal
Affine = tuple[float, float, float, float, float, float]  # x' = a x + b y + c; y' = d x + e y + f


@dataclass(frozen=True)
class Prepared:
    """An image on its way to an engine, with the map back to the scan and the steps taken."""

    image: Image.Image
    to_original: Affine
    steps: tuple[Step, ...] = ()
    seal_mask: Image.Image | None = None  # "1" image in working pixels, set by red_dropout
    seals: tuple[Box, ...] = field(default=())  # in original pixels

    def box_to_original(self, box: Box) -> Box:
        """Map a box from the engine's pixels to the original scan's pixels."""
        corners = [(box.x, box.y), (box.right, box.y), (box.x, box.bottom), (box.right, box.bottom)]
        return Box.from_points([_apply(self.to_original, x, y) for x, y in corners])


StepFunction = Callable[[Prepared], Prepared]


def _apply(m: Affine, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + b * y + c, d * x + e * y + f


def _compose(outer: Affine, inner: Affine) -> Affine:
    """The affine ``outer ∘ inner`` (apply ``inner`` first)."""
    a1, b1, c1, d1, e1, f1 = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (
        a1 * a2 + b1 * d2,
        a1 * b2 + b1 * e2,
        a1 * c2 + b1 * f2 + c1,
        d1 * a2 + e1 * d2,
        d1 * b2 + e1 * e2,
        d1 * c2 + e1 * f2 + f1,
    )


def _record(prepared: Prepared, name: str, **params: object) -> tuple[Step, ...]:
    version = STEPS[name][0]
    return (*prepared.steps, Step(name, version, tuple((k, str(v)) for k, v in params.items())))


def downscale(prepared: Prepared) -> Prepared:
    """Reduce the long side to ``WORKING_LONG_SIDE`` (never upscale: it does not help)."""
    image = prepared.image
    factor = WORKING_LONG_SIDE / max(image.size)
    if factor >= 1:
        return replace(prepared, steps=_record(prepared, "downscale", factor=1))
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    back = (image.width / size[0], 0.0, 0.0, 0.0, image.height / size[1], 0.0)
    return replace(
        prepared,
        image=image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0),
        to_original=_compose(prepared.to_original, back),
        steps=_record(prepared, "downscale", factor=round(factor, 4)),
    )


def red_dropout(prepared: Prepared) -> Prepared:
    """Keep only the red channel, whitening red print: frames and seals vanish, ink stays.

    Seals and stamps are told from printed frames and rulings by shape: a seal is a compact,
    well-filled blob, a frame line is long and thin. Seal boxes are kept in the result.
    """
    image = prepared.image
    if image.mode != "RGB":
        return replace(prepared, steps=_record(prepared, "red_dropout", applied="no (not colour)"))
    rgb = np.asarray(image, dtype=np.int16)
    red = rgb[:, :, 0]
    redness = red - np.maximum(rgb[:, :, 1], rgb[:, :, 2])
    mask = (redness > SEAL_REDNESS) & (red > 120)
    seals = tuple(prepared.box_to_original(b) for b in _blobs(mask) if _is_seal(b, mask))
    return replace(
        prepared,
        image=Image.fromarray(np.where(mask, 255, red).astype(np.uint8), mode="L"),
        seal_mask=Image.fromarray(mask),
        seals=seals,
        steps=_record(prepared, "red_dropout", red_pixels=int(mask.sum()), seals=len(seals)),
    )


def _blobs(mask: np.ndarray, cell: int = 16) -> list[Box]:
    """Bounding boxes of connected blobs of a mask, found on a coarse grid of ``cell`` pixels.

    Hand-written (a flood fill over at most a few hundred thousand cells) to keep the
    library free of OpenCV/SciPy for this one use.
    """
    h, w = mask.shape
    gh, gw = -(-h // cell), -(-w // cell)
    padded = np.zeros((gh * cell, gw * cell), dtype=bool)
    padded[:h, :w] = mask
    # a cell counts when red print fills much of it: thin frame lines and rules do not
    grid = padded.reshape(gh, cell, gw, cell).mean(axis=(1, 3)) > 0.4
    seen = np.zeros_like(grid)
    boxes: list[Box] = []
    for start in zip(*np.nonzero(grid), strict=True):
        if seen[start]:
            continue
        stack = [start]
        seen[start] = True
        rows: list[int] = []
        cols: list[int] = []
        while stack:
            r, c = stack.pop()
            rows.append(int(r))
            cols.append(int(c))
            for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if 0 <= nr < gh and 0 <= nc < gw and grid[nr, nc] and not seen[nr, nc]:
                    seen[nr, nc] = True
                    stack.append((nr, nc))
        top, left = min(rows) * cell, min(cols) * cell
        boxes.append(Box(left, top, (max(cols) + 1) * cell - left, (max(rows) + 1) * cell - top))
    return boxes


def _is_seal(box: Box, mask: np.ndarray) -> bool:
    if min(box.w, box.h) < 16 or max(box.w, box.h) > 4 * min(box.w, box.h):
        return False
    fill = float(mask[box.y : box.bottom, box.x : box.right].mean())
    return fill > 0.15


def otsu_threshold(grey: np.ndarray) -> int:
    """Otsu's threshold of 8-bit greyscale: ink is ``<=`` it (hand-written, a dozen lines)."""
    hist = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    weight_low = np.cumsum(hist)
    mean_low = np.cumsum(hist * np.arange(256))
    weight_high = total - weight_low
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean_low[-1] * weight_low / total - mean_low) ** 2 / (weight_low * weight_high)
    return int(np.nanargmax(np.nan_to_num(between, nan=-1.0)))


def _grey(image: Image.Image) -> Image.Image:
    return image if image.mode == "L" else image.convert("L")


def otsu(prepared: Prepared) -> Prepared:
    """Binarise with Otsu's global threshold (helps Tesseract, not PP-OCR)."""
    grey = np.asarray(_grey(prepared.image))
    threshold = otsu_threshold(grey)
    binary = np.where(grey > threshold, 255, 0).astype(np.uint8)
    return replace(
        prepared,
        image=Image.fromarray(binary, mode="L"),
        steps=_record(prepared, "otsu", threshold=threshold),
    )


def grey(prepared: Prepared) -> Prepared:
    """Convert to 8-bit greyscale (luma)."""
    return replace(prepared, image=_grey(prepared.image), steps=_record(prepared, "grey"))


def skew_angle(image: Image.Image, limit: float = 6.0) -> float:
    """The rotation (degrees, counter-clockwise) that makes text lines straightest.

    Projection-profile method: rotate the ink and keep the angle whose row and column
    profiles are the most peaked (text lines and columns give sharp profiles when straight).
    """
    small = _grey(image).copy()
    small.thumbnail((800, 800))
    arr = np.asarray(small)
    ink = Image.fromarray(np.where(arr <= otsu_threshold(arr), 255, 0).astype(np.uint8), mode="L")
    if not np.asarray(ink).any():
        return 0.0

    def score(angle: float) -> float:
        rotated = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float64)
        return float((rotated.sum(axis=1) ** 2).sum() + (rotated.sum(axis=0) ** 2).sum())

    coarse = max(np.arange(-limit, limit + 0.01, 0.5), key=score)
    return float(max(np.arange(coarse - 0.4, coarse + 0.41, 0.1), key=score))


def deskew(prepared: Prepared) -> Prepared:
    """Rotate the page so its lines or columns are straight (projection-profile skew)."""
    angle = round(skew_angle(prepared.image), 2)
    if abs(angle) < 0.2:
        return replace(prepared, steps=_record(prepared, "deskew", angle=0))
    image = prepared.image
    fill: int | tuple[int, int, int] = 255 if image.mode == "L" else (255, 255, 255)
    rotated = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=fill)
    # PIL turns the page counter-clockwise by `angle` about its centre; map points back.
    t = math.radians(angle)
    cx, cy = image.width / 2, image.height / 2
    cos, sin = math.cos(t), math.sin(t)
    back = (cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy)
    return replace(
        prepared,
        image=rotated,
        to_original=_compose(prepared.to_original, back),
        steps=_record(prepared, "deskew", angle=angle),
    )


# Upright-frame point → input point, for the clockwise turn Tesseract's OSD asks for;
# (transpose, affine with w, h the input size).
_TURNS: dict[int, tuple[Image.Transpose, Callable[[int, int], Affine]]] = {
    90: (Image.Transpose.ROTATE_270, lambda w, h: (0.0, 1.0, 0.0, -1.0, 0.0, float(h))),
    180: (Image.Transpose.ROTATE_180, lambda w, h: (-1.0, 0.0, float(w), 0.0, -1.0, float(h))),
    270: (Image.Transpose.ROTATE_90, lambda w, h: (0.0, -1.0, float(w), 1.0, 0.0, 0.0)),
}
MIN_ORIENTATION_CONFIDENCE = 2.0


def orientation(prepared: Prepared) -> Prepared:
    """Turn a page scanned sideways or upside down upright (Tesseract OSD, which knows Han).

    Not in any default pipeline: it costs about as much as recognition, and scans from
    curators are normally upright. Name it in ``preprocessing`` for batches that are not.
    """
    try:
        osd = pytesseract.image_to_osd(_grey(prepared.image), config="--psm 0", output_type="dict")
    except pytesseract.TesseractError:  # too little text to tell: leave the page as it is
        return replace(prepared, steps=_record(prepared, "orientation", rotate=0, note="unknown"))
    turn = int(osd.get("rotate", 0)) % 360
    confidence = float(osd.get("orientation_conf", 0.0))
    if turn not in _TURNS or confidence < MIN_ORIENTATION_CONFIDENCE:
        return replace(
            prepared, steps=_record(prepared, "orientation", rotate=0, confidence=confidence)
        )
    transpose, back = _TURNS[turn]
    image = prepared.image
    return replace(
        prepared,
        image=image.transpose(transpose),
        to_original=_compose(prepared.to_original, back(image.width, image.height)),
        seal_mask=prepared.seal_mask.transpose(transpose) if prepared.seal_mask else None,
        steps=_record(prepared, "orientation", rotate=turn, confidence=confidence),
    )


STEPS: dict[str, tuple[str, StepFunction]] = {
    "orientation": ("1", orientation),
    "downscale": ("1", downscale),
    "grey": ("1", grey),
    "red_dropout": ("1", red_dropout),
    "deskew": ("1", deskew),
    "otsu": ("1", otsu),
}


def preprocess(image: Image.Image, steps: tuple[str, ...]) -> Prepared:
    """Bring ``image`` to 8 bits and run the named steps in order."""
    unknown = [name for name in steps if name not in STEPS]
    if unknown:
        raise OcrError(f"unknown preprocessing step(s) {unknown}; known: {sorted(STEPS)}")
    prepared = Prepared(image=to_8bit(image), to_original=(1.0, 0.0, 0.0, 0.0, 1.0, 0.0))
    for name in steps:
        prepared = STEPS[name][1](prepared)
    return prepared
