"""Helpers shared by the engines: line direction and evenly spread character boxes."""

from __future__ import annotations

from ocr.model import Box, Char, Direction

VERTICAL_RATIO = 1.5  # a line box this much taller than wide is a vertical column


def line_direction(box: Box, text: str) -> Direction:
    """Vertical when the box is clearly taller than wide and holds more than one character."""
    if len(text) > 1 and box.h > VERTICAL_RATIO * box.w:
        return Direction.VERTICAL
    return Direction.HORIZONTAL


def even_chars(text: str, box: Box, direction: Direction, confidence: float) -> tuple[Char, ...]:
    """Character boxes by dividing the line box evenly along its reading axis.

    Used where an engine gives no per-character positions; CJK characters are square and
    evenly pitched, so this is close for printed and regular handwriting.
    """
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return ()
    if direction is Direction.VERTICAL:
        step = box.h / len(chars)
        boxes = [
            Box(box.x, box.y + round(i * step), box.w, max(1, round(step)))
            for i in range(len(chars))
        ]
    else:
        step = box.w / len(chars)
        boxes = [
            Box(box.x + round(i * step), box.y, max(1, round(step)), box.h)
            for i in range(len(chars))
        ]
    return tuple(Char(c, b, confidence) for c, b in zip(chars, boxes, strict=True))
