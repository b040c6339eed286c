"""Writing a finished page: the image file in its format, and its ground-truth JSON beside it."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from archive.samples.paper import Scan

FORMATS = {".jpg": "JPEG", ".png": "PNG", ".tif": "TIFF"}
DPI = (200, 200)


def save_image(image: Image.Image, path: Path) -> None:
    """Save as a scanner would: JPEG quality 88, PNG, or LZW-compressed TIFF, at 200 dpi."""
    path.parent.mkdir(parents=True, exist_ok=True)
    kind = FORMATS[path.suffix]
    if kind == "JPEG":
        image.save(path, "JPEG", quality=88, dpi=DPI)
    elif kind == "PNG":
        image.save(path, "PNG", compress_level=3, dpi=DPI)
    else:
        image.save(path, "TIFF", compression="tiff_lzw", dpi=DPI)


def truth_document(scan: Scan, *, direction: str, condition: str, font: str) -> dict[str, object]:
    """The ground truth of one page: text in reading order, lines with boxes, how it was made.

    Boxes are (x, y, w, h) in the final image's pixels; on rotated pages they are the
    axis-aligned bounds of the rotated ink boxes, so slightly larger than the ink.
    `marks` are red seals and red print with text, which are not part of the text.
    """
    return {
        "text": "\n".join(line.text for line in scan.lines),
        "lines": [line.as_dict() for line in scan.lines],
        "direction": direction,
        "condition": condition,
        "font": font,
        "rotation": scan.rotation,
        "width": scan.image.width,
        "height": scan.image.height,
        "marks": [mark.as_dict() for mark in scan.marks],
    }


def write_truth(document: dict[str, object], path: Path) -> None:
    """Write a ground-truth document as UTF-8 JSON (characters kept readable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
