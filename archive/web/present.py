"""How records read on the pages: titles in the reader's script, dates, snippets, citations."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import opencc
from babel.dates import format_date
from markupsafe import Markup, escape

from archive.catalogue.models import Item, Page
from archive.web.i18n import Language
from iiif import ImageLimits

_MARK = re.compile(r"&lt;(/?)mark&gt;")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
VERTICAL_TYPES = {"qiaopi", "letter", "reply"}
STILL_WIDEST = 2400  # beyond this a reader zooms in the viewer, not in a plain image
STILL_NARROWEST = 150
STILL_DEFAULT = 1000  # the `src` for browsers that ignore `srcset`


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def in_script(text: str, language: Language) -> str:
    """Chinese text in the reader's script (traditional or simplified); English unchanged."""
    if language.tag == "zh-Hans":
        return str(_converter("t2s").convert(text))
    if language.tag == "zh-Hant":
        return str(_converter("s2t").convert(text))
    return text


def localised(values: Mapping[str, str], language: Language, fallback: str) -> str:
    """The value in the reader's language; else the other Chinese script converted; else any."""
    if values.get(language.tag):
        return values[language.tag]
    for tag in ("zh-Hant", "zh-Hans"):
        if values.get(tag):
            return in_script(values[tag], language) if language.tag != "en" else values[tag]
    return values.get("en") or fallback


def item_title(item: Item, language: Language) -> str:
    """The item's title for this reader."""
    titles = {"zh-Hant": item.title_zh_hant, "zh-Hans": item.title_zh_hans, "en": item.title_en}
    return localised(titles, language, item.identifier)


def item_description(item: Item, language: Language) -> str:
    """The item's description for this reader."""
    descriptions = {
        "zh-Hant": item.description_zh_hant,
        "zh-Hans": item.description_zh_hans,
        "en": item.description_en,
    }
    return localised(descriptions, language, "")


def gregorian(start: dt.date | None, end: dt.date | None, language: Language) -> str:
    """A normalised date range in the Gregorian calendar, as a reader of this language writes it."""
    if start is None:
        return ""
    if end is None or end == start:
        return format_date(start, "long", locale=language.locale)
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    first = format_date(start, "long", locale=language.locale)
    return f"{first} – {format_date(end, 'long', locale=language.locale)}"


def written_and_gregorian(item: Item, language: Language) -> str:
    """The date as written on the letter, followed by its Gregorian reading."""
    reading = gregorian(item.date_start, item.date_end, language)
    if item.date_text and reading:
        return f"{item.date_text} ({reading})"
    return item.date_text or reading


def snippet(fragment: str) -> Markup:
    """A search highlight: everything escaped, then only the <mark> tags given back."""
    return Markup(_MARK.sub(r"<\1mark>", str(escape(fragment))))


def is_vertical(item: Item, text: str) -> bool:
    """Whether a transcription reads in vertical columns (Chinese letters are written so)."""
    return item.type.value in VERTICAL_TYPES and bool(_CJK.search(text))


def citation(item: Item, language: Language, permalink: str, today: dt.date) -> str:
    """A formatted citation (Chicago-like note form) for the item."""
    parts = [item.sender, item_title(item, language), item.date_text or "", "Qiaopi Archive"]
    if item.accession_number:
        parts.append(item.accession_number)
    text = ". ".join(part.strip() for part in parts if part and part.strip())
    return f"{text}. {permalink} ({today.isoformat()})."


@dataclass(frozen=True)
class Still:
    """A page shown as a plain image before the viewer opens (the item page's largest paint)."""

    src: str
    srcset: str
    webp_srcset: str
    width: int
    height: int

    @property
    def aspect(self) -> float:
        """Width over height, for the `sizes` of the image in a box of fixed height."""
        return self.width / self.height


def page_still(page: Page) -> Still:
    """A page as `<img>` sources: every whole-page size the Image API lists in info.json
    (one per pyramid level, halving from full size, so each is kept pre-cut) between
    STILL_NARROWEST and STILL_WIDEST pixels wide, as JPEG and as WebP (a third of the bytes
    of the JPEG, for readers on a phone)."""
    base = f"/iiif/3/{page.public_id}/full"
    limits = ImageLimits()
    sizes: list[tuple[int, int]] = []
    factor = 1
    while True:
        w, h = math.ceil(page.width / factor), math.ceil(page.height / factor)
        last = w < 2 * STILL_NARROWEST  # the next level would be narrower than STILL_NARROWEST
        fits = h <= limits.max_height and w * h <= limits.max_area
        if (w <= STILL_WIDEST and fits) or (last and not sizes):
            sizes.append((w, h))
        if last:
            break
        factor *= 2
    sizes.sort()
    src = next((size for size in reversed(sizes) if size[0] <= STILL_DEFAULT), sizes[0])
    return Still(
        src=f"{base}/{src[0]},{src[1]}/0/default.jpg",
        srcset=", ".join(f"{base}/{w},{h}/0/default.jpg {w}w" for w, h in sizes),
        webp_srcset=", ".join(f"{base}/{w},{h}/0/default.webp {w}w" for w, h in sizes),
        width=page.width,
        height=page.height,
    )
