"""Highlights drawn on the original text, the same for every backend.

Engines highlight their own (folded) token streams; scholars want to see the letter as
written. So we fold the stored original text with the same normaliser and mark the
spans where the query's token sequences occur. Doing it here also keeps both backends' highlights
identical.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import lru_cache

from search.document import IndexDocument
from search.models import Highlight
from search.normalise import HAN_RANGES, SPACE, fold_with_offsets, is_han
from search.plan import Match

CONTEXT = 30
"""Characters of context shown either side of a match."""
MAX_FRAGMENTS = 3


_GAP = f"[{SPACE}]*"
_LATIN = f"[^\\W_{HAN_RANGES}]"
"""A letter or digit that is not Han: what may not touch a word on either side."""


@lru_cache(maxsize=4096)
def _pattern(match: Match) -> re.Pattern[str]:
    """A regex over folded text matching where the match's tokens occur consecutively.

    Equivalent to finding the token sequence in the analysed text, without building the
    token streams of every stored text (which made highlighting most of a search's time).
    """
    parts: list[str] = []
    previous: str | None = None
    for token in match.tokens:
        if is_han(token[0]):
            if previous == "bigram" and len(token) == 2:
                parts.append(_GAP + re.escape(token[1]))
                continue
            chars = _GAP.join(re.escape(char) for char in token)
            parts.append((_GAP if previous else "") + chars)
            previous = "bigram" if len(token) == 2 else "han"
        else:
            gap = f"[{SPACE}]+" if previous == "word" else _GAP if previous else ""
            parts.append(f"{gap}(?<!{_LATIN}){re.escape(token)}(?!{_LATIN})")
            previous = "word"
    return re.compile(f"(?=({''.join(parts)}))")


def spans(text: str, matches: Sequence[Match]) -> list[tuple[int, int]]:
    """Merged [start, end) spans of `text` that any of `matches` hits."""
    if not matches:
        return []
    folded, origins = fold_with_offsets(text)
    found = [
        (origins[hit.start(1)], origins[hit.end(1) - 1] + 1)
        for match in matches
        for hit in _pattern(match).finditer(folded)
    ]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def fragment(text: str, marks: Sequence[tuple[int, int]]) -> str:
    """HTML: the text around `marks` (with ellipses where cut), each mark in <mark>."""
    windows: list[list[int]] = []
    for start, end in marks[: MAX_FRAGMENTS * 3]:
        low, high = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
        if windows and low <= windows[-1][1]:
            windows[-1][1] = high
        elif len(windows) < MAX_FRAGMENTS:
            windows.append([low, high])
    pieces: list[str] = []
    for low, high in windows:
        pieces.append("…" if low > 0 else "")
        cursor = low
        for start, end in marks:
            if start >= low and end <= high:
                pieces.append(html.escape(text[cursor:start]))
                pieces.append(f"<mark>{html.escape(text[start:end])}</mark>")
                cursor = end
        pieces.append(html.escape(text[cursor:high]))
        pieces.append("…" if high < len(text) else "")
    return "".join(pieces)


def highlights(document: IndexDocument, matches: Sequence[Match]) -> tuple[Highlight, ...]:
    """Highlights for one hit: titles, description, each transcribed page, other fields."""
    result: list[Highlight] = []
    all_matches = [m for m in matches if m.field == "all"]
    for label, text in document.text_parts():
        if label == "transcription":
            continue
        wanted = matches if label.startswith("title.") else all_matches
        found = spans(text, wanted)
        if found:
            result.append(Highlight(label, fragment(text, found), tuple(found)))
    transcription = document.transcription
    found = spans(transcription, all_matches) if all_matches else []
    offset = 0
    for page in sorted(document.pages, key=lambda p: p.page):
        page_end = offset + len(page.text)
        on_page = [
            (max(start, offset) - offset, min(end, page_end) - offset)
            for start, end in found
            if start < page_end and end > offset
        ]
        if on_page:
            result.append(
                Highlight("transcription", fragment(page.text, on_page), tuple(on_page), page.page)
            )
        offset = page_end + 1
    return tuple(result)
