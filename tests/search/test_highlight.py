"""Highlights drawn on the original text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from search import IndexDocument, PageText
from search.highlight import (
    SEPARATOR,
    folded_texts,
    fragment,
    highlights,
    spans,
    text_layout,
)
from search.models import Highlight, QueryError
from search.normalise import analyse, is_han
from search.plan import Match, positive_matches
from search.query import parse_query, text_node


def test_marks_the_traditional_text_for_a_simplified_query() -> None:
    document = IndexDocument(id="x", titles={"zh-Hant": "自臺山寄"})
    (highlight,) = highlights(document, [Match("all", "bi", ("台山",))])
    assert highlight.fragment == "自<mark>臺山</mark>寄"
    assert highlight.spans == ((1, 3),)


def test_long_text_is_cut_around_matches_and_escaped() -> None:
    text = "<b>" + "甲" * 100 + "台山" + "乙" * 100
    html = fragment(text, [(103, 105)])
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>台山</mark>" in html and "<b>" not in html


def test_title_only_matches_stay_in_titles() -> None:
    document = IndexDocument(
        id="x", titles={"en": "Toishan"}, pages=(PageText(page=1, text="Toishan"),)
    )
    found = highlights(document, [Match("title", "bi", ("toishan",))])
    assert [h.field for h in found] == ["title.en"]


def _token_spans(text: str, matches: list[Match]) -> list[tuple[int, int]]:
    """Reference: find each match's token sequence in the analysed text."""
    bigrams, unigrams = analyse(text)
    found = []
    for match in matches:
        tokens = bigrams if match.stream == "bi" else unigrams
        size = len(match.tokens)
        for i in range(len(tokens) - size + 1):
            if tuple(t.text for t in tokens[i : i + size]) == match.tokens:
                found.append((tokens[i].start, tokens[i + size - 1].end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


ALPHABET = st.sampled_from("臺台山山新寧宁縣 ，\nabAB 1ｃ")


@given(st.text(alphabet=ALPHABET, max_size=30), st.text(alphabet=ALPHABET, max_size=6))
def test_spans_agree_with_the_token_streams(text: str, query: str) -> None:
    node = text_node("all", query)
    matches = (
        [
            m
            for m in positive_matches(node)
            if not (m.stream == "bi" and any(len(t) == 1 and is_han(t) for t in m.tokens))
        ]
        if node
        else []
    )
    assert spans(text, matches) == _token_spans(text, matches)


def test_matches_beginning_at_one_character_all_count() -> None:
    # One regex alternation reports a single match per position; the longer must win.
    matches = [Match("all", "bi", ("台山",)), Match("all", "bi", ("台山", "山开"))]
    assert spans("自台山開平", matches) == [(1, 4)]
    assert spans("自台山開平", matches[::-1]) == [(1, 4)]


def test_no_match_runs_from_one_text_into_the_next() -> None:
    # A hit's texts are folded together; a Han run may span whitespace but not their joint.
    document = IndexDocument(
        id="x",
        titles={"zh-Hant": "寄自台"},
        description="山信",
        pages=(PageText(page=1, text="台"),),
    )
    assert highlights(document, [Match("all", "bi", ("台山",))]) == ()
    assert highlights(document, [Match("all", "bi", ("山信",))])[0].field == "description"


def _reference(document: IndexDocument, matches: list[Match]) -> tuple[Highlight, ...]:
    """Reference: each text highlighted on its own with `spans`, pages cut afterwards."""
    result: list[Highlight] = []
    all_matches = [m for m in matches if m.field == "all"]
    for label, text in document.text_parts():
        if label != "transcription":
            found = spans(text, matches if label.startswith("title.") else all_matches)
            if found:
                result.append(Highlight(label, fragment(text, found), tuple(found)))
    found = spans(document.transcription, all_matches)
    offset = 0
    for page in sorted(document.pages, key=lambda p: p.page):
        end = offset + len(page.text)
        marks = [
            (max(a, offset) - offset, min(b, end) - offset)
            for a, b in found
            if a < end and b > offset
        ]
        if marks:
            result.append(
                Highlight("transcription", fragment(page.text, marks), tuple(marks), page.page)
            )
        offset = end + 1
    return tuple(result)


def _searchable(query: str) -> bool:
    """True when the query has words to search for (others are refused before highlighting)."""
    try:
        parse_query(query)
    except QueryError:
        return False
    return True


TEXT = st.text(alphabet=st.sampled_from(f"臺台山新寧宁縣 ，\nabAB1ｃ{SEPARATOR}"), max_size=12)


@given(
    title=TEXT,
    description=TEXT,
    pages=st.lists(TEXT, max_size=3),
    sender=TEXT,
    query=st.text(alphabet=st.sampled_from('臺台山新寧宁 abｃ-"title:'), max_size=10).filter(
        _searchable
    ),
)
def test_a_hits_texts_are_highlighted_as_if_one_by_one(
    title: str, description: str, pages: list[str], sender: str, query: str
) -> None:
    document = IndexDocument(
        id="x",
        titles={"zh-Hant": title} if title else {},
        description=description,
        pages=tuple(PageText(page=n, text=text) for n, text in enumerate(pages, 1)),
        sender=sender.strip() or None,
    )
    matches = positive_matches(parse_query(query))
    expected = _reference(document, matches)
    assert highlights(document, matches) == expected
    stored = folded_texts([text for _, text in document.text_parts()])
    assert highlights(document, matches, stored) == expected
    assert highlights(document, matches, stored, text_layout(document)) == expected


def test_the_stored_layout_marks_each_page_a_phrase_runs_across() -> None:
    # Pages stored out of order: the transcription reads them by number.
    document = IndexDocument(
        id="x",
        pages=(PageText(page=2, text="寧家中"), PageText(page=1, text="寄新")),
        sender="黃亞華",
    )
    matches = positive_matches(parse_query('"寄新寧" 黃'))
    stored = folded_texts([text for _, text in document.text_parts()])
    found = highlights(document, matches, stored, text_layout(document))
    assert found == highlights(document, matches)
    assert [(h.field, h.page, h.spans) for h in found] == [
        ("facet", None, ((0, 1),)),
        ("transcription", 1, ((0, 2),)),
        ("transcription", 2, ((0, 1),)),
    ]


def test_a_layout_that_is_not_the_documents_is_not_trusted() -> None:
    document = IndexDocument(id="x", description="自臺山寄", pages=(PageText(page=1, text="台山"),))
    matches = [Match("all", "bi", ("台山",))]
    stored = folded_texts([text for _, text in document.text_parts()])
    expected = highlights(document, matches)
    wrong_page = [("description", None, 0, 4), ("transcription", 5, 5, 7)]
    wrong_length = [("description", None, 0, 3), ("transcription", 0, 4, 7)]
    for layout in (wrong_page, wrong_length):
        assert highlights(document, matches, stored, layout) == expected


def test_stored_folded_texts_map_back_where_folding_changes_length() -> None:
    # NFKC turns "ﬁ" into "fi" and "㍻" into "平成": folded offsets are not the original ones.
    document = IndexDocument(id="x", titles={"en": "ﬁne ㍻ Toishan"}, description="臺山")
    matches = positive_matches(parse_query("Toishan"))
    stored = folded_texts([text for _, text in document.text_parts()])
    assert len(stored) != len(SEPARATOR.join(text for _, text in document.text_parts()))
    found = highlights(document, matches, stored)
    assert found == highlights(document, matches)
    assert highlights(document, matches, stored, text_layout(document)) == found
    assert [h.fragment for h in found] == ["ﬁne ㍻ <mark>Toishan</mark>", "<mark>臺山</mark>"]


def test_folded_texts_that_cannot_be_the_documents_are_folded_again() -> None:
    # E.g. stored by an older normaliser: a length that cannot be the texts' is not trusted.
    document = IndexDocument(id="x", description="自臺山寄")
    matches = [Match("all", "bi", ("台山",))]
    assert highlights(document, matches, "台山") == highlights(document, matches)
