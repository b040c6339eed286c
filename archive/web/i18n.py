"""The reader's language: zh-Hant, zh-Hans or English, from a cookie or the browser.

Catalogues are Babel `.po` files in `viewer/locales/`, compiled in memory when the app starts,
so no binary `.mo` file has to be built or committed.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from fastapi import Request

LANGUAGE_COOKIE = "qiaopi_lang"


@dataclass(frozen=True)
class Language:
    """One interface language: its BCP 47 tag, Babel locale, own name and Mirador locale."""

    tag: str
    locale: str
    name: str
    mirador: str


LANGUAGES: tuple[Language, ...] = (
    Language("zh-Hant", "zh_Hant", "繁體中文", "zh-TW"),
    Language("zh-Hans", "zh_Hans", "简体中文", "zh-CN"),
    Language("en", "en", "English", "en"),
)
BY_TAG = {language.tag: language for language in LANGUAGES}
DEFAULT = LANGUAGES[0]


def load_translations(locales_dir: Path) -> dict[str, gettext.NullTranslations]:
    """The compiled catalogue of every language (English falls back to the msgids)."""
    found: dict[str, gettext.NullTranslations] = {}
    for language in LANGUAGES:
        po = locales_dir / language.locale / "LC_MESSAGES" / "messages.po"
        if not po.exists():
            found[language.tag] = gettext.NullTranslations()
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language.locale)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        found[language.tag] = gettext.GNUTranslations(buffer)
    return found


def _from_accept_language(header: str) -> Language | None:
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag in ("zh-hans", "zh-cn", "zh-sg"):
            return BY_TAG["zh-Hans"]
        if tag.startswith("zh"):
            return BY_TAG["zh-Hant"]
        if tag.startswith("en"):
            return BY_TAG["en"]
    return None


def request_language(request: Request) -> Language:
    """The language chosen with the switcher, else the browser's, else traditional Chinese."""
    chosen = BY_TAG.get(request.cookies.get(LANGUAGE_COOKIE, ""))
    return chosen or _from_accept_language(request.headers.get("accept-language", "")) or DEFAULT
