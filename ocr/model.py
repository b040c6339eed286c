"""The recognition result: page → regions → lines → characters, each with a box.

Chinese has no word boundaries, so the smallest unit is the character (glyph), not the
word. Everything is in pixel coordinates of the image that was passed in (the original
scan), whatever scaling the preprocessing did internally.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Direction(StrEnum):
    """Writing direction of a line or region."""

    VERTICAL = "vertical"  # columns top to bottom, read right to left
    HORIZONTAL = "horizontal"  # lines left to right, read top to bottom


class Status(StrEnum):
    """Whether recognition produced a result or failed (with a reason)."""

    OK = "ok"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle in pixels: left, top, width, height."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        """The x just past the right edge."""
        return self.x + self.w

    @property
    def bottom(self) -> int:
        """The y just past the bottom edge."""
        return self.y + self.h

    @property
    def cx(self) -> float:
        """Horizontal centre."""
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        """Vertical centre."""
        return self.y + self.h / 2

    @staticmethod
    def enclosing(boxes: list[Box]) -> Box:
        """The smallest box holding all of ``boxes`` (which must not be empty)."""
        left = min(b.x for b in boxes)
        top = min(b.y for b in boxes)
        return Box(
            left, top, max(b.right for b in boxes) - left, max(b.bottom for b in boxes) - top
        )

    @staticmethod
    def from_points(points: list[tuple[float, float]]) -> Box:
        """The bounding box of a polygon (e.g. a detector's quadrilateral)."""
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        left, top = round(min(xs)), round(min(ys))
        return Box(left, top, max(1, round(max(xs)) - left), max(1, round(max(ys)) - top))


@dataclass(frozen=True, slots=True)
class Char:
    """One recognised character with its own box."""

    text: str
    box: Box
    confidence: float


@dataclass(frozen=True, slots=True)
class Line:
    """A line (horizontal) or column (vertical) of text, its characters in reading order."""

    text: str
    box: Box
    confidence: float
    direction: Direction
    chars: tuple[Char, ...] = ()
    language: str = "zh-Hant"  # BCP 47; English address lines are "en"


@dataclass(frozen=True, slots=True)
class Region:
    """A block of lines written in one direction, lines in reading order."""

    box: Box
    direction: Direction
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        """The lines' text, one per line."""
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True, slots=True)
class Step:
    """One preprocessing step as applied: its name, version and the values it found."""

    name: str
    version: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Provenance:
    """What produced a result, so a re-run can be compared and reproduced."""

    engine: str
    engine_version: str
    model: str
    preprocessing: tuple[Step, ...] = ()
    ocr_library_version: str = ""


@dataclass(frozen=True, slots=True)
class PageResult:
    """The recognition of one page: regions in reading order, plus seals and provenance."""

    width: int
    height: int
    regions: tuple[Region, ...]
    provenance: Provenance
    status: Status = Status.OK
    reason: str = ""  # why the page failed; empty when status is OK
    seals: tuple[Box, ...] = ()  # red seals / stamps found (and removed) by preprocessing
    image_name: str = ""
    warnings: tuple[str, ...] = field(default=())
    cpu_seconds: float = 0.0  # CPU time the engine spent on this page (all threads)

    @property
    def lines(self) -> list[Line]:
        """All lines of the page in reading order."""
        return [line for region in self.regions for line in region.lines]

    @property
    def text(self) -> str:
        """The page's diplomatic text: regions separated by a blank line."""
        return "\n\n".join(region.text for region in self.regions if region.lines)

    @property
    def confidence(self) -> float:
        """Mean character confidence over the page (0 when nothing was read)."""
        confs = [c.confidence for line in self.lines for c in line.chars] or [
            line.confidence for line in self.lines
        ]
        return sum(confs) / len(confs) if confs else 0.0
