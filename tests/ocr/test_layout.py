"""Reading order on constructed lines: columns right to left, lines top to bottom."""

from __future__ import annotations

from PIL import Image

from ocr.backends.tesseract import page_direction
from ocr.layout import build_regions, is_latin
from ocr.model import Box, Direction, Line
from ocr.synthetic import render_page

from .conftest import LETTER


def _line(text: str, box: Box, direction: Direction, language: str = "zh-Hant") -> Line:
    return Line(text, box, 0.9, direction, (), language)


def test_vertical_columns_are_read_right_to_left() -> None:
    # as PP-OCR returns them: top-down, left-right
    columns = [
        _line("三列", Box(100, 100, 40, 300), Direction.VERTICAL),
        _line("二列", Box(160, 100, 40, 300), Direction.VERTICAL),
        _line("一列", Box(220, 100, 40, 300), Direction.VERTICAL),
    ]
    regions = build_regions(columns)
    assert len(regions) == 1
    assert regions[0].direction is Direction.VERTICAL
    assert [ln.text for ln in regions[0].lines] == ["一列", "二列", "三列"]


def test_horizontal_lines_are_read_top_to_bottom() -> None:
    lines = [
        _line("第二行", Box(100, 160, 300, 40), Direction.HORIZONTAL),
        _line("第一行", Box(100, 100, 300, 40), Direction.HORIZONTAL),
    ]
    assert [ln.text for ln in build_regions(lines)[0].lines] == ["第一行", "第二行"]


def test_english_address_is_its_own_region_after_the_letter() -> None:
    lines = [
        _line("Mr Wong Kwok San Francisco", Box(50, 700, 500, 30), Direction.HORIZONTAL, "en"),
        _line("家用請查收", Box(300, 100, 40, 250), Direction.VERTICAL),
        _line("兒在金山", Box(360, 100, 40, 200), Direction.VERTICAL),
    ]
    regions = build_regions(lines)
    assert [r.direction for r in regions] == [Direction.VERTICAL, Direction.HORIZONTAL]
    assert [ln.text for ln in regions[0].lines] == ["兒在金山", "家用請查收"]
    assert regions[1].lines[0].language == "en"


def test_vertical_blocks_side_by_side_are_read_right_block_first() -> None:
    lines = [
        _line("左塊", Box(50, 100, 40, 200), Direction.VERTICAL),
        _line("右塊", Box(500, 100, 40, 200), Direction.VERTICAL),
    ]
    regions = build_regions(lines)
    assert [r.lines[0].text for r in regions] == ["右塊", "左塊"]


def test_single_characters_take_the_page_direction() -> None:
    lines = [
        _line("兒在金山", Box(360, 100, 40, 200), Direction.VERTICAL),
        _line("安", Box(300, 100, 40, 40), Direction.HORIZONTAL),
    ]
    regions = build_regions(lines)
    assert len(regions) == 1
    assert [ln.text for ln in regions[0].lines] == ["兒在金山", "安"]


def test_latin_detection() -> None:
    assert is_latin("12 Main St, San Francisco")
    assert not is_latin("民國廿一年 3 月")
    assert not is_latin("   ")


def test_pieces_of_one_column_or_line_are_read_along_it() -> None:
    column = [
        _line("下半", Box(302, 320, 40, 200), Direction.VERTICAL),  # a little to the right
        _line("上半", Box(298, 100, 40, 200), Direction.VERTICAL),
        _line("左列", Box(200, 100, 40, 400), Direction.VERTICAL),
    ]
    assert [ln.text for ln in build_regions(column)[0].lines] == ["上半", "下半", "左列"]
    row = [
        _line("後段", Box(400, 96, 200, 40), Direction.HORIZONTAL),  # a little higher
        _line("前段", Box(100, 100, 280, 40), Direction.HORIZONTAL),
        _line("次行", Box(100, 160, 280, 40), Direction.HORIZONTAL),
    ]
    assert [ln.text for ln in build_regions(row)[0].lines] == ["前段", "後段", "次行"]


def test_page_direction_from_projection_profiles() -> None:
    for direction in Direction:
        page = render_page(LETTER, direction, font_name="kai").convert("L")
        assert page_direction(page) is direction
    assert page_direction(Image.new("L", (100, 100), 255)) is Direction.HORIZONTAL
