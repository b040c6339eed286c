"""The synthetic sample corpus: layout, CSV, ground truth, determinism, OCR benchmark pages."""

from __future__ import annotations

import csv
import inspect
import json
import re
from pathlib import Path

import opencc
import pytest
from PIL import Image, ImageDraw, ImageFont, ImageStat

import archive.samples
from archive.samples import (
    CorpusSummary,
    GroundTruthPage,
    SampleCorpusError,
    generate_corpus,
    generate_ocr_pages,
    pages,
    texts,
)
from archive.samples.__main__ import main
from archive.samples.fonts import available_faces, load
from archive.samples.texts import Date, zh_number

COLUMNS = [
    *("folder", "identifier", "type", "title_zh_hant", "title_zh_hans", "title_en"),
    *("description_en", "date_text", "sender", "recipient", "sending_place"),
    *("receiving_place", "amount_text", "currency", "remittance_house", "language"),
    *("collection", "visibility", "accession_number", "donor", "rights"),
]
ITEMS = 4
SEED = 3
PAGE_NAME = re.compile(r"^(\d\d)_([a-z0-9-]+)\.(jpg|png|tif)$")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> CorpusSummary:
    """A small corpus: three qiaopi sets (the third a draft) and a heritage object."""
    return generate_corpus(tmp_path_factory.mktemp("corpus"), items=ITEMS, seed=SEED)


def _rows(summary: CorpusSummary) -> list[dict[str, str]]:
    with summary.csv_path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _pages(summary: CorpusSummary) -> list[Path]:
    return sorted(p for p in summary.items_dir.rglob("*") if p.is_file())


def _truth(summary: CorpusSummary, page: Path) -> dict[str, object]:
    relative = page.relative_to(summary.items_dir).with_suffix(".json")
    loaded: dict[str, object] = json.loads(
        (summary.ground_truth_dir / relative).read_text(encoding="utf-8")
    )
    return loaded


def test_public_surface() -> None:
    assert sorted(archive.samples.__all__) == [
        "CSV_COLUMNS",
        "CorpusSummary",
        "GroundTruthPage",
        "MissingFontError",
        "SampleCorpusError",
        "TruthLine",
        "generate_corpus",
        "generate_ocr_pages",
    ]


def test_csv_has_exactly_the_agreed_columns_and_one_row_per_item(corpus: CorpusSummary) -> None:
    with corpus.csv_path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == COLUMNS
    rows = _rows(corpus)
    assert len(rows) == ITEMS == corpus.items
    assert [r["type"] for r in rows].count("heritage_object") == 1
    assert {r["visibility"] for r in rows} == {"published", "draft"}
    identifiers = [r["identifier"] for r in rows]
    assert len(set(identifiers)) == ITEMS
    for row in rows:
        assert (corpus.items_dir / row["folder"]).is_dir()
        if row["type"] == "qiaopi":
            assert re.fullmatch(r"qp-19[1-4]\d-\d{4}", row["identifier"])
            assert row["date_text"].startswith("民國") and row["date_text"].endswith("日")
            assert row["currency"] in row["description_en"] or row["amount_text"].endswith("元")
            assert row["language"] in ("zh-Hant", "zh-Hant;en")


def test_zh_hans_titles_are_the_opencc_t2s_conversion(corpus: CorpusSummary) -> None:
    converter = opencc.OpenCC("t2s")
    rows = _rows(corpus)
    for row in rows:
        assert row["title_zh_hans"] == converter.convert(row["title_zh_hant"])
    assert any(r["title_zh_hans"] != r["title_zh_hant"] for r in rows)


def test_pages_are_ordered_scans_that_open_with_pillow(corpus: CorpusSummary) -> None:
    pages = _pages(corpus)
    assert len(pages) == corpus.pages
    by_folder: dict[str, list[int]] = {}
    for page in pages:
        match = PAGE_NAME.match(page.name)
        assert match, page.name
        by_folder.setdefault(page.parent.name, []).append(int(match.group(1)))
        with Image.open(page) as image:
            image.verify()
        with Image.open(page) as image:
            assert 1200 <= max(image.size) <= 1800
    for numbers in by_folder.values():
        assert numbers == list(range(1, len(numbers) + 1))
    suffixes = {p.suffix for p in pages}
    assert ".tif" in suffixes and ".jpg" in suffixes
    assert not list(corpus.items_dir.rglob("*.json")), "ground truth must stay outside items/"


def _ink_share(red: Image.Image, paper: float) -> float:
    """Share of pixels dark in the red channel: black or blue ink, not red print or paper."""
    histogram = red.histogram()
    return sum(histogram[: round(paper * 0.7)]) / (red.width * red.height)


def test_each_page_has_ground_truth_whose_boxes_hold_the_ink(corpus: CorpusSummary) -> None:
    for page in _pages(corpus):
        truth = _truth(corpus, page)
        lines = truth["lines"]
        assert isinstance(lines, list)
        assert truth["text"] == "\n".join(line["text"] for line in lines)
        with Image.open(page) as image:
            red = image.convert("RGB").getchannel("R")
        assert (truth["width"], truth["height"]) == red.size
        paper = ImageStat.Stat(red).median[0]
        for line in lines:
            x, y, w, h = line["box"]
            assert x >= 0 and y >= 0 and x + w <= red.width and y + h <= red.height
            assert _ink_share(red.crop((x, y, x + w, y + h)), paper) > 0.03, (page, line)


def test_vertical_letters_read_columns_right_to_left(corpus: CorpusSummary) -> None:
    letters = [p for p in _pages(corpus) if "letter" in p.name or "reply" in p.name]
    vertical = [
        t for t in map(lambda p: _truth(corpus, p), letters) if t["direction"] == "vertical"
    ]
    assert vertical
    for truth in vertical:
        lines = truth["lines"]
        assert isinstance(lines, list) and len(lines) >= 2
        xs = [line["box"][0] + line["box"][2] / 2 for line in lines]
        assert xs == sorted(xs, reverse=True)
        assert all(line["direction"] == "vertical" for line in lines)


def test_same_seed_gives_the_same_corpus(corpus: CorpusSummary, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    again = generate_corpus(
        tmp_path / "again", items=2, seed=SEED, progress=lambda n, t: calls.append((n, t))
    )
    assert calls == [(1, 2), (2, 2)]
    assert _rows(again) == _rows(corpus)[:2]
    for page in _pages(again):
        twin = corpus.items_dir / page.relative_to(again.items_dir)
        assert page.read_bytes() == twin.read_bytes()
        assert _truth(again, page) == _truth(corpus, twin)
    other = generate_corpus(tmp_path / "other", items=1, seed=SEED + 1)
    assert _rows(other)[0]["title_zh_hant"] != _rows(corpus)[0]["title_zh_hant"]


def test_refuses_a_non_empty_target_and_changes_nothing(corpus: CorpusSummary) -> None:
    before = {p: p.stat().st_mtime_ns for p in corpus.out_dir.rglob("*")}
    with pytest.raises(SampleCorpusError, match="already exists"):
        generate_corpus(corpus.out_dir, items=1)
    with pytest.raises(SampleCorpusError, match="at least 1"):
        generate_corpus(corpus.out_dir / "new", items=0)
    assert main([str(corpus.out_dir), "--items", "1"]) == 1
    assert {p: p.stat().st_mtime_ns for p in corpus.out_dir.rglob("*")} == before


def test_ocr_pages_span_directions_and_conditions_with_exact_text(tmp_path: Path) -> None:
    pages = generate_ocr_pages(tmp_path, count=8, seed=1)
    assert len(pages) == 8
    assert {p.condition for p in pages} == {"clean", "degraded", "red-frame", "hand"}
    assert {p.direction for p in pages} == {"vertical", "horizontal"}
    for page in pages:
        assert isinstance(page, GroundTruthPage)
        assert page.text == "\n".join(line["text"] for line in page.lines)
        assert len(page.text) > 100
        saved = json.loads((tmp_path / "ground-truth" / f"{page.image_path.stem}.json").read_text())
        assert saved["text"] == page.text and saved["font"] == page.font
        with Image.open(page.image_path) as image:
            assert image.size == (1240, 1640)
        centres = [(b[0] + b[2] / 2, b[1] + b[3] / 2) for b in (line["box"] for line in page.lines)]
        if page.direction == "vertical":
            assert [c[0] for c in centres] == sorted((c[0] for c in centres), reverse=True)
        else:
            assert [c[1] for c in centres] == sorted(c[1] for c in centres)
        if page.condition == "clean":
            assert page.rotation == 0.0


def test_chinese_numerals_and_republic_dates() -> None:
    assert zh_number(50) == "五十"
    assert zh_number(15) == "十五"
    assert zh_number(150) == "一百五十"
    assert zh_number(105) == "一百零五"
    assert zh_number(250, formal=True) == "貳佰伍拾"
    assert Date(21, 3, 5).text == "民國廿一年三月初五日"
    assert Date(30, 1, 21).text == "民國三十年正月廿一日"
    assert Date(21, 3, 5).gregorian_year == 1932
    with pytest.raises(ValueError, match=r"1\.\.9999"):
        zh_number(0)


def _rendered(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    image = Image.new("L", (60, 60))
    ImageDraw.Draw(image).text((5, 5), char, font=font, fill=255)
    return image.tobytes()


def test_every_character_the_generator_writes_has_a_glyph_in_every_face() -> None:
    sources = inspect.getsource(texts) + inspect.getsource(pages)
    chars = sorted({c for c in sources if ord(c) > 0x2E80})
    assert len(chars) > 300
    for face in available_faces():
        font = load(face, 40)
        missing = {_rendered(font, "\U000f0000"), _rendered(font, "\uffff")}
        assert [c for c in chars if _rendered(font, c) in missing] == [], face.key
