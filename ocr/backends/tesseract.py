"""Tesseract through pytesseract, with Debian's ``chi_tra``, ``chi_tra_vert`` and ``eng``.

Vertical pages need ``chi_tra_vert`` with page segmentation mode 5 (``chi_tra`` reads the
right characters in the wrong order); horizontal pages use ``chi_tra`` with mode 6. The
page's direction is decided beforehand from its projection profiles (``page_direction``).
Character boxes come from Tesseract's hOCR (``hocr_char_boxes``).
"""

from __future__ import annotations

import re

import numpy as np
import pytesseract
from lxml import etree
from PIL import Image

from ocr.backends.common import even_chars
from ocr.errors import OcrError
from ocr.model import Box, Char, Direction, Line
from ocr.preprocess import otsu_threshold

_BBOX = re.compile(r"(?:bbox|x_bboxes) (\d+) (\d+) (\d+) (\d+)")
_CONF = re.compile(r"(?:x_wconf|x_conf) ([\d.]+)")
_LINE_CLASSES = {"ocr_line", "ocr_textfloat", "ocr_header", "ocr_caption"}
_XHTML = "{http://www.w3.org/1999/xhtml}"


def _box(title: str) -> Box | None:
    match = _BBOX.search(title)
    if not match:
        return None
    x0, y0, x1, y1 = (int(v) for v in match.groups())
    return Box(x0, y0, max(1, x1 - x0), max(1, y1 - y0))


def _conf(title: str) -> float:
    match = _CONF.search(title)
    return float(match.group(1)) / 100 if match else 0.0


def _hocr_lines(hocr: bytes, direction: Direction, language: str) -> list[Line]:
    """Lines with character boxes from Tesseract's hOCR output."""
    root = etree.fromstring(hocr, etree.XMLParser(resolve_entities=False, no_network=True))
    lines: list[Line] = []
    for span in root.iter(f"{_XHTML}span"):
        if span.get("class") not in _LINE_CLASSES:
            continue
        line_box = _box(span.get("title", ""))
        words = [w for w in span.iter(f"{_XHTML}span") if w.get("class") == "ocrx_word"]
        chars: list[Char] = []
        texts: list[str] = []
        for word in words:
            word_conf = _conf(word.get("title", ""))
            cinfos = [c for c in word.iter(f"{_XHTML}span") if c.get("class") == "ocrx_cinfo"]
            word_text = "".join("".join(word.itertext()).split())
            for cinfo in cinfos:
                text = (cinfo.text or "").strip()
                box = _box(cinfo.get("title", ""))
                if text and box:
                    chars.append(Char(text, box, _conf(cinfo.get("title", "")) or word_conf))
            texts.append(word_text)
        separator = " " if language == "en" else ""
        text = separator.join(t for t in texts if t)
        if not text or line_box is None:
            continue
        confidence = sum(c.confidence for c in chars) / len(chars) if chars else 0.0
        if direction is Direction.VERTICAL or any(c.box.w <= 1 or c.box.h <= 1 for c in chars):
            # chi_tra_vert's character boxes are degenerate (zero width): spread them evenly.
            chars = list(even_chars(text, line_box, direction, confidence))
        lines.append(Line(text, line_box, confidence, direction, tuple(chars), language))
    return lines


def _run(image: Image.Image, lang: str, psm: int) -> bytes:
    try:
        hocr: bytes = pytesseract.image_to_pdf_or_hocr(
            image, lang=lang, config=f"--psm {psm} -c hocr_char_boxes=1", extension="hocr"
        )
    except pytesseract.TesseractNotFoundError as error:
        raise OcrError("tesseract is not installed; install tesseract-ocr (apt)") from error
    except pytesseract.TesseractError as error:
        raise OcrError(
            f"tesseract failed with lang={lang}: {error}; "
            "check that tesseract-ocr-chi-tra, -chi-tra-vert and -eng are installed"
        ) from error
    return hocr


def _gap_runs(profile: np.ndarray) -> list[int]:
    """Lengths of the runs of (nearly) empty positions strictly inside a projection profile."""
    empty = profile <= 0.05 * profile.max()
    runs: list[int] = []
    length = 0
    for blank in empty:
        if blank:
            length += 1
        elif length:
            runs.append(length)
            length = 0
    return runs[1:] if empty[0] and runs else runs  # a run touching the start is margin


def page_direction(image: Image.Image) -> Direction:
    """Vertical when the gaps between columns are wider than the gaps between lines.

    Tesseract's confidences do not tell a vertical page read horizontally from a right
    reading, so the direction comes from the ink's projection profiles: text is spaced
    more widely between its lines (columns) than between the characters along them.
    """
    grey = np.asarray(image.convert("L"))
    ink = grey <= otsu_threshold(grey)
    if not ink.any():
        return Direction.HORIZONTAL
    rows, cols = np.nonzero(ink)
    top, bottom = np.percentile(rows, [1, 99]).astype(int)
    left, right = np.percentile(cols, [1, 99]).astype(int)
    ink = ink[top : bottom + 1, left : right + 1]
    between_columns = _gap_runs(ink.sum(axis=0))
    between_lines = _gap_runs(ink.sum(axis=1))
    column_gap = float(np.median(between_columns)) if between_columns else 0.0
    line_gap = float(np.median(between_lines)) if between_lines else 0.0
    return Direction.VERTICAL if column_gap > line_gap else Direction.HORIZONTAL


def read_english_line(image: Image.Image) -> tuple[str, float]:
    """Read one horizontal line with the English model (for addresses on envelopes)."""
    lines = _hocr_lines(_run(image, "eng", 7), Direction.HORIZONTAL, "en")
    if not lines:
        return "", 0.0
    text = " ".join(line.text for line in lines)
    return text, sum(line.confidence for line in lines) / len(lines)


class TesseractEngine:
    """Tesseract 5 LSTM models for traditional Chinese, vertical and horizontal."""

    name: str = "tesseract"
    preprocessing: tuple[str, ...] = ("downscale", "red_dropout", "deskew", "otsu")

    def version(self) -> str:
        """The Tesseract binary's version."""
        return f"tesseract {pytesseract.get_tesseract_version()}"

    def model(self) -> str:
        """The traineddata used."""
        return "chi_tra_vert (psm 5) | chi_tra (psm 6)"

    def read(self, image: Image.Image) -> list[Line]:
        """Read the page with the vertical or the horizontal model, by its layout."""
        if page_direction(image) is Direction.VERTICAL:
            return _hocr_lines(_run(image, "chi_tra_vert", 5), Direction.VERTICAL, "zh-Hant")
        return _hocr_lines(_run(image, "chi_tra", 6), Direction.HORIZONTAL, "zh-Hant")
