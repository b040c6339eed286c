"""Layout and reading order: lines → regions, each in the order a reader follows.

Vertical columns are read right to left, horizontal lines top to bottom. Lines are grouped
into regions of one direction when they are close neighbours; regions are read in bands
from the top, and within a band right to left on a mostly vertical page, left to right
otherwise (so an English address line above a vertical letter comes first).
"""

from __future__ import annotations

import statistics

from ocr.model import Box, Direction, Line, Region

LATIN_SHARE = 0.5  # a line is English when at least this share of its characters are Latin


def is_latin(text: str) -> bool:
    """True when most non-space characters of ``text`` are ASCII letters, digits or punctuation."""
    chars = [c for c in text if not c.isspace()]
    return bool(chars) and sum(c.isascii() for c in chars) / len(chars) >= LATIN_SHARE


def _with_direction(line: Line, direction: Direction) -> Line:
    return Line(line.text, line.box, line.confidence, direction, line.chars, line.language)


def settle_directions(lines: list[Line]) -> list[Line]:
    """Give single-character lines (direction unknowable from their box) the page's majority."""
    long_lines = [ln for ln in lines if len(ln.text) > 1]
    vertical = sum(ln.direction is Direction.VERTICAL for ln in long_lines)
    majority = Direction.VERTICAL if vertical * 2 > len(long_lines) else Direction.HORIZONTAL
    return [
        _with_direction(ln, majority) if len(ln.text) <= 1 and not is_latin(ln.text) else ln
        for ln in lines
    ]


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return min(a1, b1) - max(a0, b0)


def _near(a: Line, b: Line, direction: Direction, pitch: float) -> bool:
    """Neighbouring columns (lines), or two pieces of one column (line) with a small gap."""
    if direction is Direction.VERTICAL:
        across = max(a.box.x, b.box.x) - min(a.box.right, b.box.right)
        along = -_overlap(a.box.y, a.box.bottom, b.box.y, b.box.bottom)
    else:
        across = max(a.box.y, b.box.y) - min(a.box.bottom, b.box.bottom)
        along = -_overlap(a.box.x, a.box.right, b.box.x, b.box.right)
    return (across <= pitch and along < 0) or (_same_track(a, b, direction) and along <= 2 * pitch)


def _groups(lines: list[Line], direction: Direction) -> list[list[Line]]:
    """Lines of one direction grouped into blocks of close neighbours (union-find)."""
    if not lines:
        return []
    thickness = statistics.median(
        ln.box.w if direction is Direction.VERTICAL else ln.box.h for ln in lines
    )
    pitch = 1.5 * thickness
    parent = list(range(len(lines)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            if (lines[i].language == lines[j].language) and _near(
                lines[i], lines[j], direction, pitch
            ):
                parent[find(i)] = find(j)
    blocks: dict[int, list[Line]] = {}
    for i, line in enumerate(lines):
        blocks.setdefault(find(i), []).append(line)
    return list(blocks.values())


def _same_track(a: Line, b: Line, direction: Direction) -> bool:
    """Whether two pieces lie in the same column (vertical) or on the same line (horizontal)."""
    if direction is Direction.VERTICAL:
        shared, thinner = (
            _overlap(a.box.x, a.box.right, b.box.x, b.box.right),
            min(a.box.w, b.box.w),
        )
    else:
        shared, thinner = (
            _overlap(a.box.y, a.box.bottom, b.box.y, b.box.bottom),
            min(a.box.h, b.box.h),
        )
    return shared > thinner / 2


def _order_lines(lines: list[Line], direction: Direction) -> tuple[Line, ...]:
    """Columns right to left (pieces of a column top to bottom), or lines top to bottom.

    Detectors may split a column or a line into pieces whose centres differ slightly, so
    pieces are first gathered into tracks, then read along each track.
    """
    vertical = direction is Direction.VERTICAL
    tracks: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: -ln.box.cx if vertical else ln.box.cy):
        if tracks and _same_track(tracks[-1][0], line, direction):
            tracks[-1].append(line)
        else:
            tracks.append([line])
    return tuple(
        line
        for track in tracks
        for line in sorted(track, key=lambda ln: ln.box.y if vertical else ln.box.x)
    )


def _bands(regions: list[Region]) -> list[list[Region]]:
    """Regions grouped into horizontal bands of overlapping vertical extent, top first."""
    bands: list[list[Region]] = []
    for region in sorted(regions, key=lambda r: r.box.y):
        if bands and any(
            _overlap(r.box.y, r.box.bottom, region.box.y, region.box.bottom) > 0 for r in bands[-1]
        ):
            bands[-1].append(region)
        else:
            bands.append([region])
    return bands


def build_regions(lines: list[Line]) -> tuple[Region, ...]:
    """Regions in reading order, each with its lines in reading order."""
    lines = settle_directions(lines)
    regions: list[Region] = []
    for direction in Direction:
        for block in _groups([ln for ln in lines if ln.direction is direction], direction):
            ordered = _order_lines(block, direction)
            regions.append(Region(Box.enclosing([ln.box for ln in ordered]), direction, ordered))
    vertical_chars = sum(len(ln.text) for ln in lines if ln.direction is Direction.VERTICAL)
    right_to_left = vertical_chars * 2 > sum(len(ln.text) for ln in lines)
    ordered_regions: list[Region] = []
    for band in _bands(regions):
        ordered_regions.extend(
            sorted(band, key=lambda r: -r.box.right if right_to_left else r.box.x)
        )
    return tuple(ordered_regions)
