"""Document → indexed fields: one pure function every backend stores as given.

Text goes in pre-tokenised by our normaliser (whitespace-joined), so both engines index
identical terms; facets go in twice, as shown (for counting) and folded (for filtering).
The stored `source` holds what a hit shows: the document as JSON, its texts folded for
highlighting (so searches never fold) and where each text lies in them.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, NamedTuple

from pydantic_core import from_json, to_json

from search.document import FACETS, FacetName, IndexDocument
from search.highlight import Segment, folded_texts, text_layout
from search.normalise import BOUNDARY, Token, analyse, stream
from search.query import facet_key, keyword_field

TEXT_FIELDS = ("all_bi", "all_uni", "title_bi", "title_uni")
NO_DATE_ASC = datetime.date.max.toordinal()
"""Sort key of undated items when sorting oldest first (they come last)."""
NO_DATE_DESC = 0
"""Sort key of undated items when sorting newest first (they come last)."""


def facet_field(facet: FacetName) -> str:
    """The index field holding a facet's display values (used for counting)."""
    return f"f_{facet}"


def _joined(texts: list[str]) -> tuple[str, str]:
    """Bigram and unigram streams of several texts, a boundary between texts."""
    bigrams: list[Token] = []
    unigrams: list[Token] = []
    for text in texts:
        tokens, singles = analyse(text)
        if bigrams and tokens:
            bigrams.append(Token(BOUNDARY, 0, 0))
        bigrams.extend(tokens)
        unigrams.extend(singles)
    # An empty field still gets one (never-matched) token: Elasticsearch averages field
    # lengths over documents that have the field, tantivy over all documents, so BM25
    # scores agree only when every document has every text field.
    return stream(bigrams) or BOUNDARY, stream(unigrams) or BOUNDARY


def index_fields(document: IndexDocument) -> dict[str, Any]:
    """The flat field values of a document, as every backend indexes them."""
    texts = [text for _, text in document.text_parts()]
    all_bi, all_uni = _joined(texts)
    title_bi, title_uni = _joined(list(document.titles.values()))
    end = document.date_end or document.date_start
    fields: dict[str, Any] = {
        "id": document.id,
        "all_bi": all_bi,
        "all_uni": all_uni,
        "title_bi": title_bi,
        "title_uni": title_uni,
        "date_start": document.date_start,
        "date_end": end,
        "date_asc": document.date_start.toordinal() if document.date_start else NO_DATE_ASC,
        "date_desc": document.date_start.toordinal() if document.date_start else NO_DATE_DESC,
        "source": [
            document.model_dump_json(),
            folded_texts(texts),
            to_json(text_layout(document)).decode("utf-8"),
        ],
    }
    values = document.facet_values()
    for facet in FACETS:
        fields[facet_field(facet)] = list(values[facet])
        fields[keyword_field(facet)] = list(
            dict.fromkeys(k for v in values[facet] if (k := facet_key(facet, v)))
        )
    return fields


class Stored(NamedTuple):
    """What a hit's stored `source` holds: its document, and for highlighting its folded
    texts and their layout (None where an older index did not store them)."""

    document: IndexDocument
    folded: str | None
    layout: list[Segment] | None


def read_source(values: Sequence[str | bytes]) -> Stored:
    """A hit's document, folded texts and layout from the values stored in its `source`.

    An index built before the folded texts (or their layout) were stored holds less, and
    highlighting works out what is missing; `qiaopi reindex` stores them.
    """
    document = IndexDocument.model_validate_json(values[0])
    folded = _text(values[1]) if len(values) > 1 else None
    layout = [tuple(segment) for segment in from_json(values[2])] if len(values) > 2 else None
    return Stored(document, folded, layout)


def _text(value: str | bytes) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value
