"""IIIF Content Search 1.0 and 2.0 inside one item, over its OCR lines, with autocomplete.

Matching uses a normaliser passed in (the search package's, so 台山 finds 臺山 and case
does not matter). It is applied one character at a time so every match maps back to the
original text exactly: `before`/`after` context and the highlighted box come from the text
as written. Boxes are cut from the line's box in proportion to the matched characters,
along the line's long side (vertical lines run top to bottom).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from iiif.errors import BadRequest
from iiif.presentation import ItemView, TextLine, canvas_id, manifest_id

Normaliser = Callable[[str], str]
CONTEXT_CHARS = 12
PAGE_SIZE = 50
SEARCH1_CONTEXT = "http://iiif.io/api/search/1/context.json"
SEARCH2_CONTEXT = "http://iiif.io/api/search/2/context.json"


@dataclass(frozen=True)
class SearchablePage:
    """The OCR lines of one canvas."""

    canvas_id: str
    lines: Sequence[TextLine]


@dataclass(frozen=True)
class SearchableItem:
    """An item's text as Content Search sees it: its manifest and the lines of each canvas."""

    manifest_id: str
    pages: Sequence[SearchablePage]

    @classmethod
    def from_view(cls, item: ItemView) -> SearchableItem:
        """The searchable text of an item view, with the same canvas ids as its manifest."""
        pages = [
            SearchablePage(canvas_id(item.base_url, n), page.lines)
            for n, page in enumerate(item.pages)
        ]
        return cls(manifest_id(item.base_url), pages)


@dataclass(frozen=True)
class Hit:
    """One match: where (canvas, line, box), what was matched, and its context."""

    id: str
    canvas_id: str
    line: TextLine
    match: str
    before: str
    after: str
    xywh: tuple[int, int, int, int]

    @property
    def target(self) -> str:
        """The canvas fragment the hit highlights."""
        x, y, w, h = self.xywh
        return f"{self.canvas_id}#xywh={x},{y},{w},{h}"


def _normalised(text: str, normalise: Normaliser) -> tuple[str, list[int]]:
    """`text` normalised per character, and for each normalised character its source index."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = normalise(char)
        chars.append(folded)
        origin.extend([index] * len(folded))
    return "".join(chars), origin


def _terms(query: str, normalise: Normaliser) -> list[str]:
    """The normalised terms of a query (space separated), refusing an empty query."""
    terms = [normalise(term) for term in query.split()]
    terms = [term for term in terms if term]
    if not terms:
        raise BadRequest("the search query q is empty; give a word or characters to find")
    return terms


def _box(line: TextLine, start: int, end: int) -> tuple[int, int, int, int]:
    """The part of the line's box that holds characters `start`..`end` of its text."""
    count = max(1, len(line.text))
    if line.height > line.width:
        top = line.y + line.height * start // count
        bottom = line.y + -(-line.height * end // count)
        return line.x, top, line.width, max(1, bottom - top)
    left = line.x + line.width * start // count
    right = line.x + -(-line.width * end // count)
    return left, line.y, max(1, right - left), line.height


def find_hits(item: SearchableItem, query: str, normalise: Normaliser) -> list[Hit]:
    """Every match of any query term in the item, in reading order."""
    terms = _terms(query, normalise)
    hits = []
    for page in item.pages:
        for number, line in enumerate(page.lines, start=1):
            folded, origin = _normalised(line.text, normalise)
            for start, end in sorted(_spans(folded, terms)):
                first, last = origin[start], origin[end - 1] + 1
                hits.append(
                    Hit(
                        id=f"{page.canvas_id}/annotation/line/{number}/hit/{first}",
                        canvas_id=page.canvas_id,
                        line=line,
                        match=line.text[first:last],
                        before=line.text[max(0, first - CONTEXT_CHARS) : first],
                        after=line.text[last : last + CONTEXT_CHARS],
                        xywh=_box(line, first, last),
                    )
                )
    return hits


def _spans(folded: str, terms: Sequence[str]) -> Iterator[tuple[int, int]]:
    """Non-overlapping (start, end) spans of each term in a normalised line."""
    seen: set[tuple[int, int]] = set()
    for term in terms:
        start = folded.find(term)
        while start != -1:
            span = (start, start + len(term))
            if span not in seen:
                seen.add(span)
                yield span
            start = folded.find(term, start + len(term))


def _page_of(hits: list[Hit], page: int, page_size: int) -> tuple[list[Hit], int]:
    """The hits on result page `page` (0-based) and the index of the last page."""
    if page < 0 or page_size < 1:
        raise BadRequest("page must be 0 or more and the page size at least 1")
    last = max(0, (len(hits) - 1) // page_size)
    if page > last:
        raise BadRequest(f"page {page} is past the last page of results ({last})")
    return hits[page * page_size : (page + 1) * page_size], last


def _url(service_url: str, **params: str | int) -> str:
    return f"{service_url}?{urlencode(params)}"


def search_v1(
    item: SearchableItem,
    query: str,
    normalise: Normaliser,
    *,
    service_url: str,
    page: int = 0,
    page_size: int = PAGE_SIZE,
) -> dict[str, Any]:
    """A Content Search 1.0 answer (an AnnotationList with hits), as Mirador and UV read it."""
    hits = find_hits(item, query, normalise)
    shown, last = _page_of(hits, page, page_size)
    document: dict[str, Any] = {
        "@context": ["http://iiif.io/api/presentation/2/context.json", SEARCH1_CONTEXT],
        "@id": _url(service_url, q=query, page=page),
        "@type": "sc:AnnotationList",
        "within": {
            "@type": "sc:Layer",
            "total": len(hits),
            "first": _url(service_url, q=query, page=0),
            "last": _url(service_url, q=query, page=last),
        },
        "startIndex": page * page_size,
        "resources": [
            {
                "@id": hit.id,
                "@type": "oa:Annotation",
                "motivation": "sc:painting",
                "resource": {"@type": "cnt:ContentAsText", "chars": hit.match},
                "on": hit.target,
            }
            for hit in shown
        ],
        "hits": [
            {
                "@type": "search:Hit",
                "annotations": [hit.id],
                "match": hit.match,
                "before": hit.before,
                "after": hit.after,
            }
            for hit in shown
        ],
    }
    if page < last:
        document["next"] = _url(service_url, q=query, page=page + 1)
    if page > 0:
        document["prev"] = _url(service_url, q=query, page=page - 1)
    return document


def search_v2(
    item: SearchableItem,
    query: str,
    normalise: Normaliser,
    *,
    service_url: str,
    page: int = 0,
    page_size: int = PAGE_SIZE,
) -> dict[str, Any]:
    """A Content Search 2.0 answer (an AnnotationPage plus contextualizing quotes), for Clover."""
    hits = find_hits(item, query, normalise)
    shown, last = _page_of(hits, page, page_size)
    document: dict[str, Any] = {
        "@context": SEARCH2_CONTEXT,
        "id": _url(service_url, q=query, page=page),
        "type": "AnnotationPage",
        "partOf": {
            "id": _url(service_url, q=query),
            "type": "AnnotationCollection",
            "total": len(hits),
            "first": {"id": _url(service_url, q=query, page=0), "type": "AnnotationPage"},
            "last": {"id": _url(service_url, q=query, page=last), "type": "AnnotationPage"},
        },
        "startIndex": page * page_size,
        "items": [
            {
                "id": hit.id,
                "type": "Annotation",
                "motivation": "highlighting",
                "body": {"type": "TextualBody", "value": hit.match, "format": "text/plain"},
                "target": {
                    "type": "SpecificResource",
                    "source": {
                        "id": hit.canvas_id,
                        "type": "Canvas",
                        "partOf": [{"id": item.manifest_id, "type": "Manifest"}],
                    },
                    "selector": [
                        {
                            "type": "FragmentSelector",
                            "conformsTo": "http://www.w3.org/TR/media-frags/",
                            "value": hit.target.partition("#")[2],
                        }
                    ],
                },
            }
            for hit in shown
        ],
    }
    if shown:
        document["annotations"] = [
            {
                "type": "AnnotationPage",
                "items": [
                    {
                        "id": f"{hit.id}/context",
                        "type": "Annotation",
                        "motivation": "contextualizing",
                        "target": {
                            "type": "SpecificResource",
                            "source": hit.id,
                            "selector": [
                                {
                                    "type": "TextQuoteSelector",
                                    "prefix": hit.before,
                                    "exact": hit.match,
                                    "suffix": hit.after,
                                }
                            ],
                        },
                    }
                    for hit in shown
                ],
            }
        ]
    if page < last:
        document["next"] = {
            "id": _url(service_url, q=query, page=page + 1),
            "type": "AnnotationPage",
        }
    if page > 0:
        document["prev"] = {
            "id": _url(service_url, q=query, page=page - 1),
            "type": "AnnotationPage",
        }
    return document


def suggest_terms(
    item: SearchableItem, prefix: str, normalise: Normaliser, *, limit: int = 20
) -> list[tuple[str, int]]:
    """Completions of `prefix` found in the item's text, most frequent first, with counts.

    Chinese has no spaces, so a completion is the matched text plus up to two following
    characters that are not spaces or punctuation; Latin words complete to the word's end.
    """
    (term,) = _terms(prefix.replace(" ", ""), normalise)
    counts: Counter[str] = Counter()
    for page in item.pages:
        for line in page.lines:
            folded, origin = _normalised(line.text, normalise)
            start = folded.find(term)
            while start != -1:
                first, last = origin[start], origin[start + len(term) - 1] + 1
                counts[_complete(line.text, first, last)] += 1
                start = folded.find(term, start + len(term))
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]


def _complete(text: str, first: int, last: int) -> str:
    """Extend the match text[first:last] to a useful suggestion."""
    end = last
    latin = text[first:last].isascii()
    while end < len(text) and text[end].isalnum() and (latin or end - last < 2):
        if text[end].isascii() != latin:
            break
        end += 1
    return text[first:end]


def autocomplete_v1(
    item: SearchableItem,
    prefix: str,
    normalise: Normaliser,
    *,
    service_url: str,
    search_url: str,
    limit: int = 20,
) -> dict[str, Any]:
    """A Content Search 1.0 autocomplete answer (a TermList)."""
    return {
        "@context": SEARCH1_CONTEXT,
        "@id": _url(service_url, q=prefix),
        "@type": "search:TermList",
        "terms": [
            {"match": term, "url": _url(search_url, q=term), "count": count}
            for term, count in suggest_terms(item, prefix, normalise, limit=limit)
        ],
    }


def autocomplete_v2(
    item: SearchableItem,
    prefix: str,
    normalise: Normaliser,
    *,
    service_url: str,
    limit: int = 20,
) -> dict[str, Any]:
    """A Content Search 2.0 autocomplete answer (a TermPage)."""
    return {
        "@context": SEARCH2_CONTEXT,
        "id": _url(service_url, q=prefix),
        "type": "TermPage",
        "items": [
            {"value": term, "total": count}
            for term, count in suggest_terms(item, prefix, normalise, limit=limit)
        ],
    }
