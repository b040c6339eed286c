"""The sample corpus: folders of scanned qiaopi sets and heritage photos, a CSV, ground truth.

Layout written under `out_dir` (the ground truth sits outside `items/`, so ingesting
`items/` never sees it)::

    items/<folder>/<NN>_<label>.jpg|png|tif
    items.csv
    ground-truth/<folder>/<NN>_<label>.json
"""

from __future__ import annotations

import csv
import functools
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import opencc

from archive.samples import heritage, pages, texts
from archive.samples.fonts import available_faces, brush_face, face
from archive.samples.paper import CLEAN, DEGRADED, HAND, RED_FRAME, Scan, scan
from archive.samples.truth import save_image, truth_document, write_truth

CSV_COLUMNS = (
    "folder",
    "identifier",
    "type",
    "title_zh_hant",
    "title_zh_hans",
    "title_en",
    "description_en",
    "date_text",
    "sender",
    "recipient",
    "sending_place",
    "receiving_place",
    "amount_text",
    "currency",
    "remittance_house",
    "language",
    "collection",
    "visibility",
    "accession_number",
    "donor",
    "rights",
)
HERITAGE_COLLECTION = "Kaiping Diaolou Objects 開平碉樓文物"
RIGHTS = "CC0 1.0 (synthetic sample, no real person or letter)"
COUNTY_CODES = {"台山縣": "TS", "開平縣": "KP", "新會縣": "XH"}
CONDITION_SHARES = {HAND: 0.4, DEGRADED: 0.3, CLEAN: 0.15, RED_FRAME: 0.15}

Progress = Callable[[int, int], None]


class SampleCorpusError(ValueError):
    """The corpus cannot be written as asked (bad count, or the target is not empty)."""


@dataclass(frozen=True)
class CorpusSummary:
    """What `generate_corpus` wrote: counts and where."""

    items: int
    pages: int
    out_dir: Path
    items_dir: Path
    csv_path: Path
    ground_truth_dir: Path


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese with OpenCC's t2s profile."""
    return str(_t2s().convert(text))


def _condition(rng: random.Random) -> str:
    return rng.choices(list(CONDITION_SHARES), list(CONDITION_SHARES.values()))[0]


@dataclass
class _ItemWriter:
    """Writes one item's pages in order, choosing each page's file format."""

    root: Path
    folder: str
    rng: random.Random
    force_tiff: bool
    count: int = 0

    def add(self, label: str, done: Scan, document: dict[str, object]) -> None:
        self.count += 1
        ext = ".png" if self.rng.random() < 0.12 else ".jpg"
        if self.force_tiff and self.count == 2:
            ext = ".tif"
        name = f"{self.count:02d}_{label.replace(' ', '-')}"
        save_image(done.image, self.root / "items" / self.folder / f"{name}{ext}")
        write_truth(document, self.root / "ground-truth" / self.folder / f"{name}.json")

    def add_page(self, page: pages.Page) -> None:
        done = scan(page.sheet, page.condition, self.rng)
        document = truth_document(
            done, direction=page.direction, condition=page.condition, font=page.font
        )
        self.add(page.label, done, document)


def _qiaopi(index: int, rng: random.Random, writer: _ItemWriter) -> dict[str, str]:
    story = texts.story(rng)
    english = rng.random() < 0.75
    condition = _condition(rng)
    hand_face = (
        brush_face() if condition == HAND else face(rng.choice(("ukai", "uming", "noto-serif-tc")))
    )
    sheets = [pages.envelope(story, _condition(rng), rng, english=english)]
    sheets += pages.letter(story, condition, hand_face, rng, vertical=rng.random() < 0.85)
    if rng.random() < 0.7:
        sheets.append(pages.remittance_slip(story, _condition(rng), rng))
    if rng.random() < 0.4:
        sheets.append(pages.reply(story, rng.choice((HAND, DEGRADED)), rng))
    for page in sheets:
        writer.add_page(page)
    year = story.date.gregorian_year
    city = story.abroad.city_en.split(",")[0]
    labels = ", ".join(page.label for page in sheets)
    title = f"{story.sender.name}自{story.abroad.zh}致{story.relation.zh}僑批"
    return {
        "identifier": f"qp-{year}-{index + 1:04d}",
        "type": "qiaopi",
        "title_zh_hant": title,
        "title_zh_hans": to_simplified(title),
        "title_en": (
            f"Letter from {story.sender.roman} in {city} to his {story.relation.en}, {year}"
        ),
        "description_en": (
            f"Synthetic sample. Qiaopi set of {len(sheets)} pages ({labels}) sent from "
            f"{story.abroad.city_en} to {story.county.en} ({story.county.zh}), remitting "
            f"{story.amount} {texts.CURRENCIES[story.currency]} through {story.house.en}."
        ),
        "date_text": story.date.text,
        "sender": story.sender.name,
        "recipient": story.recipient,
        "sending_place": story.abroad.zh,
        "receiving_place": story.receiving_place,
        "amount_text": story.amount_text,
        "currency": story.currency,
        "remittance_house": story.house.zh,
        "language": "zh-Hant;en" if english else "zh-Hant",
        "collection": story.county.collection,
        "accession_number": f"{COUNTY_CODES[story.county.zh]}.{year}.{index + 1:03d}",
        "donor": f"{story.sender.surname}氏家族 ({texts.SURNAMES[story.sender.surname]} family)",
    }


def _heritage(index: int, rng: random.Random, writer: _ItemWriter) -> dict[str, str]:
    title_zh, title_en, subject = texts.HERITAGE[index // 8 % len(texts.HERITAGE)]
    for label, detail in (("photo front", False), ("photo detail", True))[: rng.randint(1, 2)]:
        image = heritage.photo(subject, rng, detail=detail)
        done = Scan(image, [], [], 0.0)
        document = truth_document(done, direction="none", condition=CLEAN, font="")
        writer.add(label, done, document)
    return {
        "identifier": f"ho-{index + 1:04d}",
        "type": "heritage_object",
        "title_zh_hant": title_zh,
        "title_zh_hans": to_simplified(title_zh),
        "title_en": title_en,
        "description_en": f"Synthetic sample. Photograph: {title_en.lower()}, Kaiping Diaolou.",
        "collection": HERITAGE_COLLECTION,
        "accession_number": f"KP.DL.{index + 1:03d}",
        "donor": "開平碉樓管理處 (Kaiping Diaolou site office)",
    }


def _check_target(out_dir: Path, items: int) -> None:
    if items < 1:
        raise SampleCorpusError(f"items must be at least 1, got {items}")
    for name in ("items", "items.csv", "ground-truth"):
        target = out_dir / name
        if target.exists() and (target.is_file() or any(target.iterdir())):
            raise SampleCorpusError(
                f"{target} already exists; generate into an empty directory "
                "or delete the old corpus first"
            )


def generate_corpus(
    out_dir: Path, items: int = 24, seed: int = 0, progress: Progress | None = None
) -> CorpusSummary:
    """Write a synthetic corpus of qiaopi sets and heritage photos, its CSV and ground truth.

    Every 8th item (the 4th, 12th, ...) is a heritage object, the 3rd of every 8 is a draft;
    the rest are published qiaopi. The same seed always writes the same files.
    """
    out_dir = Path(out_dir)
    _check_target(out_dir, items)
    available_faces()
    rows: list[dict[str, str]] = []
    total_pages = 0
    for index in range(items):
        rng = random.Random(f"qiaopi-corpus:{seed}:{index}")
        is_heritage = index % 8 == 3
        slug = "diaolou" if is_heritage else "qiaopi"
        folder = f"{index + 1:03d}_{slug}"
        writer = _ItemWriter(out_dir, folder, rng, force_tiff=index == 0)
        row = (_heritage if is_heritage else _qiaopi)(index, rng, writer)
        rows.append(
            {
                **dict.fromkeys(CSV_COLUMNS, ""),
                **row,
                "folder": folder,
                "visibility": "draft" if index % 8 == 2 else "published",
                "rights": RIGHTS,
            }
        )
        total_pages += writer.count
        if progress is not None:
            progress(index + 1, items)
    csv_path = out_dir / "items.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        table = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        table.writeheader()
        table.writerows(rows)
    return CorpusSummary(
        items=items,
        pages=total_pages,
        out_dir=out_dir,
        items_dir=out_dir / "items",
        csv_path=csv_path,
        ground_truth_dir=out_dir / "ground-truth",
    )
