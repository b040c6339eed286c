"""Highlights drawn on the original text, the same for every backend.

Engines highlight their own (folded) token streams; scholars want to see the letter as
written. So we fold the original text with the same normaliser and mark the spans where
the query's token sequences occur. Doing it here also keeps both backends' highlights
identical.

Highlighting runs once per hit of every search, so it is built to be cheap: a hit's texts
are folded together at index time (`folded_texts`, stored beside the document), because
folding was most of a search's time, with their layout (`text_layout`: where each text and
each page lies in them), so a search looks for all of a query's matches in one regex pass
over the stored string and turns each match into a mark on the text it lies in, without
gathering the hit's texts again.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from search.document import IndexDocument
from search.models import Highlight
from search.normalise import HAN_RANGES, SPACE, fold, fold_origins, fold_with_offsets, is_han
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

_HTML_SPECIAL = re.compile("[&<>\"']")
"""What `html.escape` replaces."""

Span = tuple[int, int]
Segment = tuple[str, str | int | None, int, int]
"""Where one text lies in a hit's texts joined by SEPARATOR: its label, its key (see
`IndexDocument.part_text`; for a page of the transcription, the page's index in
`IndexDocument.pages`), start and end."""


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
    alternation of every match's pattern, so the scan stops only where some match begins,
    and captures what the first alternative that matches there covers. Where several
    matches can begin with that character, each is tried on its own, because two may
    begin at one character with different ends.
    """

    starts: re.Pattern[str]
    by_first: dict[str, tuple[re.Pattern[str], ...]]
    """The patterns of the matches beginning with each character."""

    def spans(self, folded: str, low: int, high: int) -> list[Span]:
        """Every [start, end) of folded[low:high] some match covers (unmerged)."""
        found = []
        for hit in self.starts.finditer(folded, low, high):
            at = hit.start()
            candidates = self.by_first[folded[at]]
            if len(candidates) == 1:
                found.append(hit.span(1))
                continue
            for pattern in candidates:
                if occurrence := pattern.match(folded, at, high):
                    found.append(occurrence.span())
        return found


@lru_cache(maxsize=4096)
def _finder(matches: tuple[Match, ...]) -> _Finder | None:
    """The finder for a set of matches (cached: a query's matches recur for every hit)."""
    patterns = {_pattern(match): match.tokens[0][0] for match in matches}
    if not patterns:
        return None
    by_first: dict[str, list[re.Pattern[str]]] = {}
    for pattern, first in patterns.items():
        by_first.setdefault(first, []).append(re.compile(pattern))
    firsts = "".join(sorted(re.escape(first) for first in by_first))
    alternation = "|".join(f"(?:{pattern})" for pattern in patterns)
    return _Finder(
        re.compile(f"(?=[{firsts}])(?=({alternation}))"),
        {first: tuple(compiled) for first, compiled in by_first.items()},
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


def folded_texts(texts: Sequence[str]) -> str:
    """A hit's texts joined by SEPARATOR and folded, as `highlights` reads them: computed
    at index time and stored with the document, so searches need not fold."""
    return fold(SEPARATOR.join(texts))


def text_layout(document: IndexDocument) -> list[Segment]:
    """Where each of a document's texts lies in its `folded_texts` (before folding), the
    transcription cut into its pages: stored at index time, so a search can tell which
    text a match is in without gathering the texts again."""
    layout: list[Segment] = []
    start = 0
    for label, key, text in document.keyed_text_parts():
        if label == "transcription":
            pages = sorted(enumerate(document.pages), key=lambda numbered: numbered[1].page)
            offset = start
            for index, page in pages:
                layout.append((label, index, offset, offset + len(page.text)))
                offset += len(page.text) + 1
        else:
            layout.append((label, key, start, start + len(text)))
        start += len(text) + len(SEPARATOR)
    return layout


class _Folded:
    """Several texts folded together, SEPARATOR between them, with the way back from a
    folded span to the text it lies in and its offsets in that text as written.

    `folded` is their `folded_texts` when known (stored at index time); they are folded
    here when it is not, or when it cannot be theirs (an index built before it was stored).
    """

    def __init__(self, texts: Sequence[str], folded: str | None = None) -> None:
        joined = SEPARATOR.join(texts)
        origins = fold_origins(joined, folded) if folded is not None else None
        if folded is None or origins is None:
            folded, origins = fold_with_offsets(joined)
        self.folded, self._origins = folded, origins
        self.starts = list(accumulate((len(t) + len(SEPARATOR) for t in texts), initial=0))

    def bounds(self, index: int) -> tuple[int, int]:
        """Where text `index` lies in the folded string."""
        low = bisect_left(self._origins, self.starts[index])
        return low, bisect_left(self._origins, self.starts[index + 1] - len(SEPARATOR))

    def find(self, finder: _Finder, low: int, high: int) -> list[tuple[int, Span]]:
        """(text index, [start, end) in that text as written) of each occurrence found
        in folded[low:high]. No occurrence crosses a SEPARATOR, so each lies in one text."""
        found = []
        origins, starts = self._origins, self.starts
        for first, last in finder.spans(self.folded, low, high):
            start = origins[first]
            index = bisect_right(starts, start) - 1
            offset = starts[index]
            found.append((index, (start - offset, origins[last - 1] + 1 - offset)))
        return found


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
    # Most texts have nothing to escape: then skip escaping each piece (one search instead).
    escape = html.escape if _HTML_SPECIAL.search(text) else str
    pieces: list[str] = []
    for low, high in windows:
        if low > 0:
            pieces.append("…")
        cursor = low
        for start, end in marks:
            if start >= low and end <= high:
                pieces += escape(text[cursor:start]), "<mark>", escape(text[start:end]), "</mark>"
                cursor = end
        pieces.append(escape(text[cursor:high]))
        if high < len(text):
            pieces.append("…")
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


@dataclass(frozen=True, slots=True)
class Highlighter:
    """Highlights for the hits of one query, its finders built once for all of them."""

    title_finder: _Finder
    """Title and whole-text matches: what titles show."""
    all_finder: _Finder | None
    """Whole-text matches: what the other texts show (title_finder when the same)."""

    @classmethod
    def for_matches(cls, matches: Sequence[Match]) -> Highlighter | None:
        """The highlighter of a query's positive matches; None if there is nothing to mark."""
        title_finder = _finder(tuple(matches))
        if title_finder is None:
            return None
        everywhere = tuple(m for m in matches if m.field == "all")
        same = len(everywhere) == len(matches)
        return cls(title_finder, title_finder if same else _finder(everywhere))

    def __call__(
        self,
        document: IndexDocument,
        folded: str | None = None,
        layout: Sequence[Segment] | None = None,
    ) -> tuple[Highlight, ...]:
        """Highlights for one hit: titles, description, other fields, then each transcribed
        page. `folded` and `layout` are the hit's stored `folded_texts` and `text_layout`
        (worked out here if None).

        The texts are searched in one pass (titles once more when the query has title
        matches); only the texts something matched are looked at further.
        """
        if folded is not None and layout is not None:
            found = self._through_layout(document, folded, layout)
            if found is not None:
                return found
        return self._through_parts(document, folded)

    def _through_layout(
        self, document: IndexDocument, folded: str, layout: Sequence[Segment]
    ) -> tuple[Highlight, ...] | None:
        """Highlights found in the stored texts and placed by the stored layout; None when
        they cannot be this document's (folding changed their length, or they disagree)."""
        if (layout[-1][3] if layout else 0) != len(folded):
            return None
        starts = [segment[2] for segment in layout]
        found: dict[int, list[Span]] = {}

        def place(spans: list[Span]) -> None:
            # A match lies in one text, but may run across a page break: it marks each page.
            for first, last in spans:
                index = bisect_right(starts, first) - 1
                while index < len(layout) and layout[index][2] < last:
                    start, end = layout[index][2], layout[index][3]
                    if end > first:
                        span = (max(first, start) - start, min(last, end) - start)
                        found.setdefault(index, []).append(span)
                    index += 1

        if self.all_finder is not None:
            place(self.all_finder.spans(folded, 0, len(folded)))
        if self.all_finder is not self.title_finder:
            for label, _, start, end in layout:
                if label.startswith("title."):
                    place(self.title_finder.spans(folded, start, end))
        result: list[Highlight] = []
        pages: list[Highlight] = []
        for index in sorted(found):
            label, key, start, end = layout[index]
            marks = _merge(found[index])
            if label == "transcription":
                if not isinstance(key, int) or not 0 <= key < len(document.pages):
                    return None
                page = document.pages[key]
                text, number = page.text, page.page
            else:
                name = key if isinstance(key, str) else None
                text, number = document.part_text(label, name), None
            if len(text) != end - start:
                return None
            shown = Highlight(label, fragment(text, marks), tuple(marks), number)
            (result if number is None else pages).append(shown)
        return (*result, *pages)

    def _through_parts(self, document: IndexDocument, folded: str | None) -> tuple[Highlight, ...]:
        """Highlights found by gathering the hit's texts (an index stored without layouts)."""
        parts = document.text_parts()
        joined = _Folded([text for _, text in parts], folded)
        found: dict[int, list[Span]] = {}
        if self.all_finder is not None:
            for index, span in joined.find(self.all_finder, 0, len(joined.folded)):
                found.setdefault(index, []).append(span)
        if self.all_finder is not self.title_finder:
            # Title matches count in titles only; there all_finder's spans are a subset.
            for title, (label, _) in enumerate(parts):
                if label.startswith("title."):
                    for index, span in joined.find(self.title_finder, *joined.bounds(title)):
                        found.setdefault(index, []).append(span)
        result: list[Highlight] = []
        pages: list[Highlight] = []
        for index in sorted(found):
            label, text = parts[index]
            merged = _merge(found[index])
            if label == "transcription":
                pages = _page_highlights(document, merged)
            else:
                result.append(Highlight(label, fragment(text, merged), tuple(merged)))
        return (*result, *pages)


def highlights(
    document: IndexDocument,
    matches: Sequence[Match],
    folded: str | None = None,
    layout: Sequence[Segment] | None = None,
) -> tuple[Highlight, ...]:
    """Highlights for one hit (see `Highlighter`, which a search builds once for all hits)."""
    highlighter = Highlighter.for_matches(matches)
    return highlighter(document, folded, layout) if highlighter else ()
