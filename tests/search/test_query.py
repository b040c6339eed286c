"""The query parser and request validation: syntax, plans and bad input."""

from __future__ import annotations

import datetime

import pytest

from search import MAX_PAGE_SIZE, QueryError, SearchRequest
from search.plan import AllOf, AnyOf, DateRange, Keyword, Match, MatchAll, positive_matches
from search.query import parse_query, request_plan


def matches(q: str) -> set[tuple[str, ...]]:
    """The token sequences a query may match."""
    return {m.tokens for m in positive_matches(parse_query(q))}


def test_words_are_anded_and_han_words_are_phrases() -> None:
    plan = parse_query("新寧縣 銀信")
    assert isinstance(plan, AllOf)
    assert plan.must == (Match("all", "bi", ("新宁", "宁县")), Match("all", "bi", ("银信",)))


def test_single_han_character_uses_the_unigram_stream() -> None:
    assert parse_query("譚") == AllOf((Match("all", "uni", ("谭",)),))


def test_quoted_phrase_is_not_expanded() -> None:
    assert matches('"台山"') == {("台山",)}
    assert ("toishan",) in matches("台山")
    assert ("台山",) in matches("「Toishan」 OR 台山")


def test_multi_word_place_names_are_grouped() -> None:
    assert ("旧金", "金山") in matches("San Francisco")


def test_romanised_words_also_match_the_spellings_they_stand_for() -> None:
    assert matches("Chow") == {("chow",), ("chau",)}
    assert matches("Szeto") == {("szeto",), ("si", "to")}
    assert matches('"Tse Yiu"') == {("tse", "yiu"), ("che", "yiu")}
    assert matches("Huang") == {("huang",)}


def test_romanised_words_in_a_row_also_score_as_one_name() -> None:
    plan = parse_query("Wong Ah Wa")
    phrase = AnyOf(
        (Match("all", "bi", ("wong", "ah", "wa")), Match("all", "bi", ("wong", "a", "wa")))
    )
    every = AllOf(
        (
            Match("all", "bi", ("wong",)),
            AnyOf((Match("all", "bi", ("ah",)), Match("all", "bi", ("a",)))),
            Match("all", "bi", ("wa",)),
        )
    )
    assert plan == AllOf((AnyOf((phrase, every)),))


def test_other_words_and_operators_keep_romanised_words_apart() -> None:
    assert parse_query("money order") == AllOf(
        (Match("all", "bi", ("money",)), Match("all", "bi", ("order",)))
    )
    assert parse_query("Wong OR Chan") == AllOf(
        (AnyOf((Match("all", "bi", ("wong",)), Match("all", "bi", ("chan",)))),)
    )
    excluding = parse_query("Wong -Chan")
    assert isinstance(excluding, AllOf)
    assert excluding.must_not == (Match("all", "bi", ("chan",)),)


def test_exclusion_and_or() -> None:
    plan = parse_query("寄 -雪梨 夏灣拿 OR 古巴")
    assert isinstance(plan, AllOf)
    assert len(plan.must) == 2 and isinstance(plan.must[1], AnyOf)
    assert len(plan.must_not) == 1


def test_field_filters_and_place_hierarchy() -> None:
    plan = parse_query("place:Kaiping type:Letter")
    assert isinstance(plan, AllOf)
    place, kind = plan.must
    assert isinstance(place, Keyword) and isinstance(kind, Keyword)
    assert {"开平", "自力村", "赤坎"} <= set(place.values)
    assert kind == Keyword(("k_type",), ("letter",))
    assert parse_query("decade:1930") == AllOf((Keyword(("k_decade",), ("1930s",)),))


def test_dates() -> None:
    assert parse_query("date:1932") == AllOf(
        (DateRange(datetime.date(1932, 1, 1), datetime.date(1932, 12, 31)),)
    )
    assert parse_query("date:1930-02..") == AllOf((DateRange(datetime.date(1930, 2, 1), None),))
    assert parse_query("date:民國二十一年") == parse_query("date:1932")


def test_request_filters_join_the_query() -> None:
    request = SearchRequest(
        q="寄", filters={"currency": ("美金",)}, date_to=datetime.date(1935, 1, 1)
    )
    plan = request_plan(request)
    assert isinstance(plan, AllOf)
    assert plan.must[1:] == (
        Keyword(("k_currency",), ("美金",)),
        DateRange(None, datetime.date(1935, 1, 1)),
    )


def test_empty_query_browses() -> None:
    assert parse_query("") == parse_query(" \t\n") == MatchAll()
    assert request_plan(SearchRequest(filters={"type": ("letter",)})) == AllOf(
        (Keyword(("k_type",), ("letter",)),)
    )


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ('"unbalanced 台山', {("unbalanced",), ("台山",)}),
        ("title:(a OR", {("a",)}),
        ("雪梨 OR", {("雪梨",), ("悉尼",), ("sydney",)}),
        ("foo:bar", {("foo",), ("bar",)}),
        ("台\x00山\x07", {("台山",), ("新宁",), ("toishan",)}),
        ("AND NOT (x)", {("and",), ("not",), ("x",)}),
        ("OR", {("or",)}),
    ],
)
def test_malformed_syntax_is_read_literally(q: str, expected: set[tuple[str, ...]]) -> None:
    assert expected <= matches(q)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SearchRequest(q="寄" * 10_000), "10000 characters"),
        (lambda: SearchRequest(limit=10**9), "page size 1000000000"),
        (lambda: SearchRequest(limit=0), "page size 0"),
        (lambda: SearchRequest(offset=-1), "offset -1 is negative"),
        (lambda: SearchRequest(offset=9_999, limit=2), "cannot be paged"),
        (
            lambda: SearchRequest(
                date_from=datetime.date(1940, 1, 1), date_to=datetime.date(1930, 1, 1)
            ),
            "ends (1930-01-01) before it starts",
        ),
        (lambda: SearchRequest(filters={"colour": ("red",)}), "unknown facet 'colour'"),  # type: ignore[dict-item]
        (lambda: SearchRequest(sort="random"), "unknown sort"),  # type: ignore[arg-type]
        (lambda: request_plan(SearchRequest(q="date:1939..1930")), "ends before it starts"),
        (lambda: request_plan(SearchRequest(q="date:someday")), "cannot read the date"),
        (lambda: request_plan(SearchRequest(q="。，！？")), "no words to search for"),
        (lambda: request_plan(SearchRequest(q=" ".join(["金山"] * 40))), "more than"),
    ],
)
def test_bad_requests_raise_a_clear_query_error(make: object, message: str) -> None:
    with pytest.raises(QueryError, match=None) as caught:
        make()  # type: ignore[operator]
    assert message in str(caught.value)


def test_page_size_limit_is_public() -> None:
    assert SearchRequest(limit=MAX_PAGE_SIZE).limit == MAX_PAGE_SIZE
