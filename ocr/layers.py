"""Three text layers per page: diplomatic (as written), normalised (for reading), search key.

The diplomatic layer is never changed: the normalised layer is derived from it by a small
table of variant forms common in qiaopi and in OCR output (爲 for 為 and the like), and the
search key by a callable from ``search/`` (traditional → simplified folding), passed in so
that this library does not depend on the search package.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from ocr.model import PageResult

# variant → the standard traditional form (Taiwan/Hong Kong usage, as OpenCC's "t" standard)
VARIANTS: dict[str, str] = {
    "爲": "為",
    "内": "內",
    "啓": "啟",
    "禀": "稟",
    "衆": "眾",
    "綫": "線",
    "兑": "兌",
    "説": "說",
    "脱": "脫",
    "悦": "悅",
    "敎": "教",
    "峯": "峰",
    "鷄": "雞",
    "銹": "鏽",
}
_TABLE = str.maketrans(VARIANTS)


def normalise(text: str) -> str:
    """Unify variant forms (and Unicode composition) for reading; meaning is unchanged."""
    return unicodedata.normalize("NFC", text).translate(_TABLE)


@dataclass(frozen=True, slots=True)
class TextLayers:
    """The three text layers of a page."""

    diplomatic: str
    normalised: str
    search_key: str


def text_layers(page: PageResult, search_key: Callable[[str], str] | None = None) -> TextLayers:
    """The page's three layers; ``search_key`` defaults to the normalised text unchanged."""
    diplomatic = page.text
    normalised = normalise(diplomatic)
    return TextLayers(diplomatic, normalised, search_key(normalised) if search_key else normalised)
