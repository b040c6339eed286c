"""User query syntax → the backend-neutral plan.

Syntax: words (all must match), "quoted phrases" (also 「」 and “”), -exclusion, OR between
two terms, field filters (title:, place:, from:, to:, sender:, recipient:, house:, type:,
collection:, currency:, lang:, year:, decade:, date:). Place names expand through the
gazetteer (Toishan finds 台山, 臺山, 新寧...); romanised names through `search.romanise`
(Chow finds the key chau indexed beside 周; consecutive romanised words also score higher
when they spell one name, so "Chan Kwok Ying" ranks 陳國英 above a 陳 writing to a 國英).

Hand-written rather than a parser library because the grammar is tiny and malformed input
must never fail: an unbalanced quote, a stray parenthesis or an unknown `field:` is read
as plain text. Only requests that cannot be run (too long, bad dates) raise `QueryError`.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from search.dates import DateParseError, parse_date
from search.document import FacetName
from search.gazetteer import Gazetteer, default_gazetteer
from search.models import QueryError, SearchRequest
from search.normalise import BOUNDARY, bigram_tokens, is_han, key
from search.plan import (
    AllOf,
    AnyOf,
    DateRange,
    Keyword,
    Match,
    MatchAll,
    Node,
    TextField,
    count_matches,
)
from search.romanise import alternatives, is_romanised, phrase_alternatives

MAX_CLAUSES = 256
"""Text clauses after expansion; more cannot be answered quickly."""

QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}

TEXT_FIELDS: dict[str, TextField] = {"title": "title", "text": "all"}
KEYWORD_FIELDS: dict[str, tuple[FacetName, ...]] = {
    "place": ("sending_place", "receiving_place"),
    "from": ("sending_place",),
    "to": ("receiving_place",),
    "sender": ("sender",),
    "recipient": ("recipient",),
    "house": ("remittance_house",),
    "type": ("type",),
    "collection": ("collection",),
    "currency": ("currency",),
    "lang": ("language",),
    "language": ("language",),
    "year": ("year",),
    "decade": ("decade",),
}
PLACE_FACETS = frozenset({"sending_place", "receiving_place"})


@dataclass(frozen=True, slots=True)
class _Item:
    """One term of the query as typed."""

    text: str
    field: str | None = None
    phrase: bool = False
    negated: bool = False
    or_before: bool = False
    name: bool = False
    """Consecutive romanised words, read as the syllables of one name."""


def keyword_field(facet: FacetName) -> str:
    """The index field holding a facet's folded values (used for filtering)."""
    return f"k_{facet}"


@lru_cache(maxsize=4096)
def facet_key(facet: FacetName, value: str) -> str:
    """Fold a facet value for filtering ("1930" and "1930s" are the same decade).

    Cached: a facet's few values are folded again for every document and every filter."""
    folded = key(value)
    if facet == "decade" and folded.isdigit():
        return f"{folded}s"
    return folded


def _scan(text: str) -> list[_Item]:
    """Split query text into items; anything unparseable becomes plain words."""
    items: list[_Item] = []
    i, n = 0, len(text)
    or_pending = False
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        start = i + 1 if negated else i
        field = None
        match = re.match(r"([A-Za-z_]+):(?=\S)", text[start:])
        if match and (name := match.group(1).lower()) in {*TEXT_FIELDS, *KEYWORD_FIELDS, "date"}:
            field = name
            start += match.end()
        close = QUOTES.get(text[start]) if start < n else None
        if close is not None and (end := text.find(close, start + 1)) != -1:
            value, i, phrase = text[start + 1 : end], end + 1, True
        else:
            end = start
            while end < n and not text[end].isspace():
                end += 1
            value, i, phrase = text[start:end], end, False
            if close is not None:
                value = value[1:]  # an unbalanced quote is read as text
        if not phrase and field is None and not negated and value in {"OR", "|"} and items:
            or_pending = True
            continue
        items.append(_Item(value, field, phrase, negated, or_pending))
        or_pending = False
    return items


@lru_cache(maxsize=4096)
def text_node(field: TextField, text: str) -> Node | None:
    """Match text as the index saw it: each run between punctuation is one phrase.

    Cached: analysing is most of parsing a query, and the same words recur, spelled the
    same ways (a place's gazetteer variants), in query after query.
    """
    pieces: list[list[str]] = [[]]
    for token in bigram_tokens(text):
        if token.text == BOUNDARY:
            pieces.append([])
        else:
            pieces[-1].append(token.text)
    nodes: list[Node] = []
    for piece in pieces:
        if len(piece) == 1 and len(piece[0]) == 1 and is_han(piece[0]):
            nodes.append(Match(field, "uni", tuple(piece)))
        elif piece:
            nodes.append(Match(field, "bi", tuple(piece)))
    if len(nodes) <= 1:
        return nodes[0] if nodes else None
    return AllOf(tuple(nodes))


def _any_text(field: TextField, texts: tuple[str, ...]) -> Node | None:
    """Any of several spellings, each matched as `text_node` does."""
    nodes = list(dict.fromkeys(n for text in texts if (n := text_node(field, text))))
    if len(nodes) <= 1:
        return nodes[0] if nodes else None
    return AnyOf(tuple(nodes))


def _expanded(field: TextField, text: str, gazetteer: Gazetteer) -> Node | None:
    names = gazetteer.variants(text) or (text,)
    return _any_text(field, (*names, *alternatives(text)))


def _phrase(field: TextField, text: str) -> Node | None:
    """A quoted phrase; romanised words in it also match as the spellings they stand for."""
    words = text.split()
    spelled = phrase_alternatives(tuple(words)) if words and all(map(is_romanised, words)) else ()
    return _any_text(field, (text, *spelled))


def _name_node(field: TextField, text: str, gazetteer: Gazetteer) -> Node | None:
    """Romanised words of one name: each must match (any spelling), as one phrase they
    score higher."""
    words = [n for word in text.split() if (n := _expanded(field, word, gazetteer))]
    every = AllOf(tuple(words)) if len(words) > 1 else (words[0] if words else None)
    phrase = _phrase(field, text)
    if every is None or phrase is None:
        return every or phrase
    return AnyOf((phrase, every))


def _group_names(items: list[_Item]) -> list[_Item]:
    """Join runs of bare romanised words ("Chan Kwok Ying") into one name item."""
    result: list[_Item] = []
    for item in items:
        plain = not (item.field or item.phrase or item.negated or item.name)
        if plain and " " not in item.text and is_romanised(item.text):
            previous = result[-1] if result else None
            if previous and previous.name and not item.or_before:
                result[-1] = _Item(
                    f"{previous.text} {item.text}", or_before=previous.or_before, name=True
                )
                continue
            item = _Item(item.text, or_before=item.or_before, name=True)
        result.append(item)
    return [
        _Item(item.text, or_before=item.or_before) if item.name and " " not in item.text else item
        for item in result
    ]


def _group_place_names(items: list[_Item], gazetteer: Gazetteer) -> list[_Item]:
    """Join consecutive bare words that spell a place ("San Francisco") into one item."""
    result: list[_Item] = []
    i = 0
    while i < len(items):
        joined = None
        for width in range(gazetteer.longest_key_words, 1, -1):
            window = items[i : i + width]
            plain = all(
                not (it.field or it.phrase or it.negated or (it.or_before and j))
                for j, it in enumerate(window)
            )
            if len(window) == width and plain:
                text = " ".join(it.text for it in window)
                if gazetteer.lookup(text):
                    joined = _Item(text, or_before=window[0].or_before)
                    i += width
                    break
        if joined is None:
            joined = items[i]
            i += 1
        result.append(joined)
    return result


def _iso_bound(text: str, *, end: bool) -> datetime.date:
    parts = text.split("-")
    if not (1 <= len(parts) <= 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4):
        raise ValueError(text)
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else (12 if end else 1)
    if len(parts) == 3:
        return datetime.date(year, month, int(parts[2]))
    return datetime.date(year, month, calendar.monthrange(year, month)[1] if end else 1)


def date_bound(text: str, *, end: bool) -> datetime.date:
    """One side of a range: ISO (1932, 1932-05, 1932-05-03) or as written (民國廿一年)."""
    try:
        return _iso_bound(text, end=end)
    except ValueError:
        pass
    try:
        parsed = parse_date(text)
    except DateParseError as error:
        raise QueryError(f"cannot read the date {text!r}: {error}") from None
    return parsed.end if end else parsed.start


def parse_date_range(text: str) -> DateRange:
    """`1932`, `1932-05`, `1932-05-03`, `A..B` (either side may be empty), or dates as
    written (民國二十一年, 光緒三十年..民國元年), read by `search.dates`."""
    value = text.strip()
    if ".." in value:
        low, high = value.split("..", 1)
        start = date_bound(low, end=False) if low else None
        end = date_bound(high, end=True) if high else None
    else:
        start, end = date_bound(value, end=False), date_bound(value, end=True)
    if start and end and end < start:
        raise QueryError(f"date range {text!r} ends before it starts: swap the two dates")
    return DateRange(start, end)


def _written_date(text: str) -> DateRange | None:
    """A bare Chinese date (民國二十一年) also finds items dated then, when unambiguous."""
    if not any(is_han(c) for c in text):
        return None
    try:
        parsed = parse_date(text)
    except DateParseError:
        return None
    return None if parsed.problems else DateRange(parsed.start, parsed.end)


def _keyword_node(name: str, value: str, gazetteer: Gazetteer) -> Node | None:
    facets = KEYWORD_FIELDS[name]
    values = [value]
    if PLACE_FACETS.issuperset(facets):
        values += [
            n
            for place in gazetteer.lookup(value)
            for sub in gazetteer.descendants(place.id)
            for n in sub.all_names()
        ]
    keys = tuple(dict.fromkeys(k for v in values if (k := facet_key(facets[0], v))))
    if not keys:
        return None
    return Keyword(tuple(keyword_field(f) for f in facets), keys)


def _item_node(item: _Item, gazetteer: Gazetteer) -> Node | None:
    if item.field == "date":
        return parse_date_range(item.text)
    if item.field in KEYWORD_FIELDS:
        return _keyword_node(item.field, item.text, gazetteer)
    field = TEXT_FIELDS.get(item.field or "text", "all")
    if item.phrase:
        return _phrase(field, item.text)
    if item.name:
        return _name_node(field, item.text, gazetteer)
    node = _expanded(field, item.text, gazetteer)
    written = _written_date(item.text) if item.field is None else None
    if written is None or node is None:
        return node
    return AnyOf((node, written))


def _clean(text: str) -> str:
    """Control characters are read as spaces (they are never part of a term)."""
    return "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)


def parse_query(text: str, gazetteer: Gazetteer | None = None) -> Node:
    """Parse user syntax into a plan; an empty query matches everything (browse).

    Raises `QueryError` when text was given but has nothing to search for, or when a
    date cannot be read. Plans parsed with the default gazetteer are cached.
    """
    return _parse(text, gazetteer) if gazetteer else _parse_default(text)


@lru_cache(maxsize=1024)
def _parse_default(text: str) -> Node:
    """`_parse` with the default gazetteer, cached: a query is run again for each page of
    results and each facet a scholar narrows it by."""
    return _parse(text, default_gazetteer())


def _parse(text: str, gazetteer: Gazetteer) -> Node:
    items = _group_names(_group_place_names(_scan(_clean(text)), gazetteer))
    if not items:
        return MatchAll()
    groups: list[list[_Item]] = []
    for item in items:
        if item.or_before and groups and not item.negated and not groups[-1][-1].negated:
            groups[-1].append(item)
        else:
            groups.append([item])
    must: list[Node] = []
    must_not: list[Node] = []
    for group in groups:
        nodes = [node for item in group if (node := _item_node(item, gazetteer))]
        if not nodes:
            continue
        node = nodes[0] if len(nodes) == 1 else AnyOf(tuple(nodes))
        (must_not if group[0].negated else must).append(node)
    if not must and not must_not:
        raise QueryError(
            f"the query {text.strip()[:50]!r} has no words to search for: "
            "type letters, digits or Chinese characters"
        )
    plan = AllOf(tuple(must) or (MatchAll(),), tuple(must_not))
    if count_matches(plan) > MAX_CLAUSES:
        raise QueryError(
            f"the query expands to more than {MAX_CLAUSES} terms: use fewer words or filters"
        )
    return plan


def request_plan(request: SearchRequest, gazetteer: Gazetteer | None = None) -> Node:
    """The whole request as one plan: query, facet filters and date range."""
    query = parse_query(request.q, gazetteer)
    filters: list[Node] = []
    for facet, values in request.filters.items():
        keys = tuple(dict.fromkeys(k for v in values if (k := facet_key(facet, v))))
        if keys:
            filters.append(Keyword((keyword_field(facet),), keys))
    if request.date_from or request.date_to:
        filters.append(DateRange(request.date_from, request.date_to))
    if not filters:
        return query
    assert isinstance(query, AllOf | MatchAll)
    base = query if isinstance(query, AllOf) else AllOf((query,))
    must = tuple(n for n in base.must if not isinstance(n, MatchAll)) + tuple(filters)
    return AllOf(must, base.must_not)
