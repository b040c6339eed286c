"""Highlights drawn on the original text, the same for every backend.

Engines highlight their own (folded) token streams; scholars want to see the letter as
written. So we fold the stored original text with the same normaliser and mark the
spans where the query's token sequences occur. Doing it here also keeps both backends'
highlights identical.

Highlighting runs once per hit of every search, so it is built to be cheap: a hit's texts
are folded together in one call (folding is most of the cost, and much of it is per call),
and all of a query's matches are looked for in one regex pass.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from search.document import IndexDocument
from search.models import Highlight
from search.normalise import HAN_RANGES, SPACE, fold_with_offsets, is_han
from search.plan import Match

CONTEXT = 30
"""Characters of context shown either side of a match."""
MAX_FRAGMENTS = 3

SEPARATOR = "|"
"""Joins a hit's texts for folding. It folds to itself, and it is not a space, letter,
digit or Han character, so no match pattern can run across it from one text into the next."""

_GAP = f"[{SPACE}]*"
_LATIN = f"[^\\W_{HAN_RANGES}]"
"""A letter or digit that is not Han: what may not touch a word on either side."""

Span = tuple[int, int]


def _pattern(match: Match) -> str:
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
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class _Finder:
    """Finds where any of several matches occur in folded text, in one regex pass.

    `starts` tests the first character a match can begin with, then looks ahead for the
    alternation of every match's pattern, so the scan stops only where some match begins.
    There each pattern is tried on its own, because an alternation reports one
    alternative per position and two matches may begin at one character with different
    ends.
    """

    starts: re.Pattern[str]
    each: tuple[re.Pattern[str], ...]

    def spans(self, folded: str, low: int, high: int) -> list[Span]:
        """Every [start, end) of folded[low:high] some match covers (unmerged)."""
        found = []
        for hit in self.starts.finditer(folded, low, high):
            at = hit.start()
            for pattern in self.each:
                if occurrence := pattern.match(folded, at, high):
                    found.append(occurrence.span())
        return found


@lru_cache(maxsize=4096)
def _finder(matches: tuple[Match, ...]) -> _Finder | None:
    """The finder for a set of matches (cached: a query's matches recur for every hit)."""
    patterns = list(dict.fromkeys(_pattern(match) for match in matches))
    if not patterns:
        return None
    first = "".join(sorted({re.escape(match.tokens[0][0]) for match in matches}))
    alternation = "|".join(f"(?:{pattern})" for pattern in patterns)
    return _Finder(
        re.compile(f"(?=[{first}])(?={alternation})"), tuple(re.compile(p) for p in patterns)
    )


def _merge(found: list[Span]) -> list[Span]:
    """Sorted spans with overlapping or touching ones merged."""
    merged: list[Span] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class _Folded:
    """Several texts folded together, SEPARATOR between them, with the way back from a
    folded span to the text it lies in and its offsets in that text as written."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.folded, self._origins = fold_with_offsets(SEPARATOR.join(texts))
        self.starts = list(accumulate((len(t) + len(SEPARATOR) for t in texts), initial=0))

    def bounds(self, index: int) -> tuple[int, int]:
        """Where text `index` lies in the folded string."""
        low = bisect_left(self._origins, self.starts[index])
        return low, bisect_left(self._origins, self.starts[index + 1] - len(SEPARATOR))

    def find(self, finder: _Finder, low: int, high: int) -> Iterator[tuple[int, Span]]:
        """(text index, [start, end) in that text as written) of each occurrence found
        in folded[low:high]. No occurrence crosses a SEPARATOR, so each lies in one text."""
        for first, last in finder.spans(self.folded, low, high):
            start = self._origins[first]
            index = bisect_right(self.starts, start) - 1
            offset = self.starts[index]
            yield index, (start - offset, self._origins[last - 1] + 1 - offset)


def spans(text: str, matches: Sequence[Match]) -> list[Span]:
    """Merged [start, end) spans of `text` that any of `matches` hits."""
    finder = _finder(tuple(matches))
    if finder is None:
        return []
    folded = _Folded([text])
    return _merge([span for _, span in folded.find(finder, *folded.bounds(0))])


def fragment(text: str, marks: Sequence[Span]) -> str:
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


def _page_highlights(document: IndexDocument, found: list[Span]) -> list[Highlight]:
    """Transcription spans (over all pages joined by line breaks) cut into per-page ones."""
    result = []
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
    return result


def highlights(document: IndexDocument, matches: Sequence[Match]) -> tuple[Highlight, ...]:
    """Highlights for one hit: titles, description, other fields, then each transcribed
    page. Titles show title and whole-text matches, the other texts whole-text ones.

    The hit's texts are folded in one call and searched in one pass (titles once more
    for title matches); most texts match nothing and cost nothing more.
    """
    title_finder = _finder(tuple(matches))
    if title_finder is None:
        return ()
    all_finder = _finder(tuple(m for m in matches if m.field == "all"))
    parts = document.text_parts()
    titles = {i for i, (label, _) in enumerate(parts) if label.startswith("title.")}
    folded = _Folded([text for _, text in parts])
    found: list[list[Span]] = [[] for _ in parts]
    if all_finder is not None:
        for index, span in folded.find(all_finder, 0, len(folded.folded)):
            if index not in titles:
                found[index].append(span)
    for title in titles:
        for index, span in folded.find(title_finder, *folded.bounds(title)):
            found[index].append(span)
    result: list[Highlight] = []
    pages: list[Highlight] = []
    for (label, text), spans_found in zip(parts, found, strict=True):
        merged = _merge(spans_found)
        if label == "transcription":
            pages = _page_highlights(document, merged)
        elif merged:
            result.append(Highlight(label, fragment(text, merged), tuple(merged)))
    return (*result, *pages)
