"""The gettext catalogues: every message of the templates and pages translated, none stale."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "viewer" / "locales"


def _used_messages() -> set[str]:
    found: set[str] = set()
    method_map = [("archive/web/**.py", "python"), ("viewer/templates/**.html", "jinja2")]
    options = {"viewer/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "tr": (2,)}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("locale", ["zh_Hant", "zh_Hans"])
def test_every_message_is_translated(locale: str) -> None:
    used = _used_messages()
    assert len(used) > 100
    with (LOCALES / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalog
        if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    assert sorted(used - translated) == []
    assert sorted(translated - used) == []  # no stale entries
