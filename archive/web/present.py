"""How records read on the pages: titles in the reader's script, dates, snippets, citations."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import cache

import opencc
from babel.dates import format_date
from markupsafe import Markup, escape

from archive.catalogue.models import Item
from archive.web.i18n import Language

_MARK = re.compile(r"&lt;(/?)mark&gt;")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
VERTICAL_TYPES = {"qiaopi", "letter", "reply"}


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
