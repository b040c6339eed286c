"""Plain text, and the per-line list that IIIF annotations are built from."""

from __future__ import annotations

from dataclasses import dataclass

from ocr.model import Direction, PageResult


def to_text(page: PageResult) -> str:
    """The diplomatic text in reading order: one line per line, regions apart by a blank line."""
    return page.text + "\n" if page.text else ""


@dataclass(frozen=True, slots=True)
class IiifLine:
    """One line for a IIIF ``supplementing`` annotation: text and its box on the canvas."""

    text: str
    x: int
    y: int
    w: int
    h: int
    language: str
    vertical: bool


def iiif_lines(page: PageResult) -> list[IiifLine]:
    """Every line of the page, in reading order, with its box in scan pixels."""
    return [
        IiifLine(
            line.text,
            line.box.x,
            line.box.y,
            line.box.w,
            line.box.h,
            line.language,
            line.direction is Direction.VERTICAL,
        )
        for line in page.lines
    ]
