"""Highlights drawn on the original text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from search import IndexDocument, PageText
from search.highlight import fragment, highlights, spans
from search.normalise import analyse, is_han
from search.plan import Match, positive_matches
from search.query import text_node


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
