"""The contract every `SearchBackend` keeps: the same tests, embedded and Elasticsearch."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest

from search import (
    CURSOR_START,
    MAX_RESULT_WINDOW,
    IndexDocument,
    PageText,
    QueryError,
    SearchBackend,
    SearchRequest,
)
from tests.search.conftest import close_backend, open_backend
from tests.search.corpus import CORPUS


def ids(backend: SearchBackend, q: str = "", **options: object) -> list[str]:
    """Ids of the hits, in order, for a query."""
    response = backend.search(SearchRequest(q=q, **options))  # type: ignore[arg-type]
    return [hit.id for hit in response.hits]


def test_index_count_and_replace(empty_backend: SearchBackend) -> None:
    assert empty_backend.count() == 0
    assert empty_backend.index(CORPUS) == len(CORPUS)
    changed = CORPUS[0].model_copy(update={"description": "更正：匯款單"})
    empty_backend.index([changed])
    assert empty_backend.count() == len(CORPUS)
    assert ids(empty_backend, "匯款單") == ["L1"]


def test_delete_removes_at_once(fresh_backend: SearchBackend) -> None:
    fresh_backend.delete(["L1", "no-such-id"])
    assert fresh_backend.count() == len(CORPUS) - 1
    assert "L1" not in ids(fresh_backend, "黃榮光")


def test_reindex_swaps_in_a_new_index(fresh_backend: SearchBackend) -> None:
    assert fresh_backend.reindex(CORPUS[:2]) == 2
    assert fresh_backend.count() == 2
    assert ids(fresh_backend, "雪梨") == ["L2"]
    assert ids(fresh_backend, "夏灣拿") == []


def test_failed_reindex_keeps_the_old_index(fresh_backend: SearchBackend) -> None:
    def broken() -> Iterator[IndexDocument]:
        yield CORPUS[0]
        raise OSError("catalogue went away")

    with pytest.raises(OSError, match="catalogue went away"):
        fresh_backend.reindex(broken())
    assert fresh_backend.count() == len(CORPUS)
    assert ids(fresh_backend, "雪梨") == ["L2"]


def test_simplified_query_finds_traditional_text(backend: SearchBackend) -> None:
    assert ids(backend, "黄荣光") == ["L1"]
    assert ids(backend, "碉楼") == ["L4"]


def test_single_character_query(backend: SearchBackend) -> None:
    assert set(ids(backend, "譚")) == {"L5"}


def test_romanised_place_finds_every_script(backend: SearchBackend) -> None:
    found = set(ids(backend, "Toishan", limit=20))
    assert {"L1", "L3", "L7", "L8"} <= found  # 臺山 / 新寧 (across a page break) / 台山 / Toishan
    assert "L2" not in found
    assert set(ids(backend, "Kaiping")) == {"L2", "L7", "L8", "L9"}
    assert set(ids(backend, "San Francisco")) == {"L1", "L9"}


def test_phrase_does_not_match_across_punctuation(backend: SearchBackend) -> None:
    assert ids(backend, '"台山開平"') == ["L8"]
    assert set(ids(backend, "台山 開平")) == {"L7", "L8"}


def test_exclusion_and_or(backend: SearchBackend) -> None:
    assert set(ids(backend, "寄銀")) == {"L5", "L6"}
    assert set(ids(backend, "寄銀 -新會")) == {"L6"}
    assert set(ids(backend, "寄 -新會")) == {"L1", "L2", "L6", "L7"}
    assert set(ids(backend, "夏灣拿 OR 雪梨")) == {"L2", "L6"}


def test_field_filters(backend: SearchBackend) -> None:
    assert set(ids(backend, "type:ledger")) == {"L4"}
    assert set(ids(backend, "place:Kaiping")) == {"L2", "L4"}  # 自力村 is in Kaiping
    assert ids(backend, "sender:黄荣光") == ["L1"]
    assert ids(backend, "house:永安銀號") == ["L2"]
    assert set(ids(backend, "title:Toishan")) == {"L3", "L8"}  # 台山開平兩縣...
    request = SearchRequest(filters={"currency": ("美金",)}, sort="date")
    assert [hit.id for hit in backend.search(request).hits] == ["L6", "L1"]


def test_date_ranges_overlap(backend: SearchBackend) -> None:
    assert set(ids(backend, "date:1930..1939")) == {"L1", "L2", "L7", "L9"}
    assert set(ids(backend, "date:1948-05-20")) == {"L3"}
    assert set(ids(backend, "date:..1925")) == {"L4"}
    request = SearchRequest(date_from=datetime.date(1940, 1, 1))
    assert {hit.id for hit in backend.search(request).hits} == {"L3", "L5"}


def test_facet_counts(backend: SearchBackend) -> None:
    response = backend.search(SearchRequest(q="寄"))
    assert response.total == 5
    counts = {name: {f.value: f.count for f in values} for name, values in response.facets.items()}
    assert counts["type"] == {"letter": 5}
    assert counts["currency"] == {"美金": 2, "港幣": 1}
    assert counts["decade"] == {"1930s": 3, "1920s": 1, "1940s": 1}
    assert counts["has_transcription"] == {"true": 5}
    assert [f.value for f in response.facets["sending_place"]][:1] == ["夏灣拿"]


def test_sort_by_date_puts_undated_last(backend: SearchBackend) -> None:
    oldest = ids(backend, sort="date", limit=20)
    newest = ids(backend, sort="-date", limit=20)
    assert oldest[:2] == ["L4", "L6"]
    assert newest[:2] == ["L3", "L5"]
    assert oldest[-1] == newest[-1] == "L8"


def test_pagination(backend: SearchBackend) -> None:
    pages = [ids(backend, sort="date", limit=4, offset=offset) for offset in (0, 4, 8)]
    assert [len(page) for page in pages] == [4, 4, 1]
    assert sorted(i for page in pages for i in page) == sorted(doc.id for doc in CORPUS)
    assert backend.search(SearchRequest(limit=1)).total == len(CORPUS)


def _cursor_pages(backend: SearchBackend, **options: object) -> list[list[str]]:
    """Every page of a cursor-paged search, following `next_cursor` to the end."""
    pages: list[list[str]] = []
    cursor: str | None = CURSOR_START
    while cursor is not None:
        request = SearchRequest(cursor=cursor, **options)  # type: ignore[arg-type]
        response = backend.search(request)
        pages.append([hit.id for hit in response.hits])
        cursor = response.next_cursor
        assert len(pages) <= len(CORPUS), "the cursor never ends"
    return pages


@pytest.mark.parametrize("sort", ["relevance", "date", "-date"])
def test_cursor_pages_visit_every_hit_once_in_order(backend: SearchBackend, sort: str) -> None:
    pages = _cursor_pages(backend, q="寄", sort=sort, limit=2)
    seen = [i for page in pages for i in page]
    everything = backend.search(SearchRequest(q="寄", sort=sort, limit=20))  # type: ignore[arg-type]
    assert len(seen) == everything.total > 4
    assert sorted(seen) == sorted(hit.id for hit in everything.hits)
    assert all(len(page) == 2 for page in pages[:-1]) and pages[-1]
    if sort != "relevance":
        dated = {hit.id: hit.document.date_start for hit in everything.hits}
        known = [dated[i] for i in seen if dated[i] is not None]
        assert known == sorted(known, reverse=sort == "-date")
        assert [dated[i] for i in seen[len(known) :]] == [None] * (len(seen) - len(known))


def test_a_cursor_page_keeps_facets_and_total(backend: SearchBackend) -> None:
    first = backend.search(SearchRequest(cursor=CURSOR_START, limit=3, facets=("type",)))
    assert first.next_cursor is not None
    second = backend.search(SearchRequest(cursor=first.next_cursor, limit=3, facets=("type",)))
    assert second.total == first.total == len(CORPUS)
    assert second.facets == first.facets
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    assert backend.search(SearchRequest(limit=3)).next_cursor is None  # offset paging


def _rest(backend: SearchBackend, cursor: str | None) -> list[str]:
    rest = []
    while cursor is not None:
        response = backend.search(SearchRequest(cursor=cursor, sort="date", limit=4))
        rest.extend(hit.id for hit in response.hits)
        cursor = response.next_cursor
    return rest


def test_cursor_paging_skips_nothing_when_hits_go_between_pages(
    fresh_backend: SearchBackend,
) -> None:
    first = fresh_backend.search(SearchRequest(cursor=CURSOR_START, sort="date", limit=4))
    shown = [hit.id for hit in first.hits]
    fresh_backend.delete(shown[:2])  # unpublished while a scholar reads page one
    rest = _rest(fresh_backend, first.next_cursor)
    assert sorted(rest) == sorted(doc.id for doc in CORPUS if doc.id not in shown)


def test_cursor_paging_repeats_nothing_when_hits_come_between_pages(
    fresh_backend: SearchBackend,
) -> None:
    first = fresh_backend.search(SearchRequest(cursor=CURSOR_START, sort="date", limit=4))
    shown = [hit.id for hit in first.hits]
    oldest = datetime.date(1800, 1, 1)  # sorts before page one's hits
    fresh_backend.index(
        IndexDocument(id=f"new-{n}", description="新", date_start=oldest) for n in range(3)
    )
    rest = _rest(fresh_backend, first.next_cursor)
    assert sorted(rest) == sorted(doc.id for doc in CORPUS if doc.id not in shown)


def test_cursors_not_given_for_the_search_are_refused(backend: SearchBackend) -> None:
    given = backend.search(SearchRequest(cursor=CURSOR_START, limit=2)).next_cursor
    assert given is not None
    for cursor in ("garbage!", "e30=", "bm90IGpzb24=", "W10=", given[:-4] + "AAAA"):
        with pytest.raises(QueryError, match="cursor"):
            backend.search(SearchRequest(cursor=cursor, limit=2))
    with pytest.raises(QueryError, match="cursor"):  # made for another sort
        backend.search(SearchRequest(cursor=given, sort="date", limit=2))
    with pytest.raises(QueryError, match="offset or a cursor"):
        SearchRequest(cursor=given, offset=2)
    assert backend.count() == len(CORPUS)


def test_cursor_pages_go_past_the_offset_window(empty_backend: SearchBackend) -> None:
    count = MAX_RESULT_WINDOW + 50
    empty_backend.index(
        IndexDocument(id=f"D{n:05d}", description="寄銀", date_start=datetime.date(1900, 1, 1))
        for n in range(count)
    )
    with pytest.raises(QueryError, match="page with a cursor"):
        SearchRequest(q="寄銀", offset=MAX_RESULT_WINDOW, limit=50)
    seen: list[str] = []
    cursor: str | None = CURSOR_START
    while cursor is not None:
        request = SearchRequest(q="寄銀", sort="date", limit=100, facets=(), cursor=cursor)
        response = empty_backend.search(request)
        seen.extend(hit.id for hit in response.hits)
        cursor = response.next_cursor
    assert len(seen) == len(set(seen)) == count


def test_highlights_are_on_the_original_text(backend: SearchBackend) -> None:
    (hit,) = backend.search(SearchRequest(q="新宁县")).hits
    pages = {h.page: h.fragment for h in hit.highlights if h.field == "transcription"}
    assert pages[1].endswith("交<mark>新</mark>")
    assert pages[2].startswith("<mark>寧縣</mark>家中")
    (hit,) = backend.search(SearchRequest(q="Hoiping brother")).hits
    (highlight,) = [h for h in hit.highlights if h.field == "transcription"]
    assert "<mark>Hoiping</mark> &lt;safely&gt;." in highlight.fragment


def test_dates_as_written(backend: SearchBackend) -> None:
    assert set(ids(backend, "date:民國二十一年")) == {"L1"}
    assert set(ids(backend, "date:民國十年..民國十九年")) == {"L4", "L6", "L7"}
    assert set(ids(backend, "民國十年")) == {"L4"}  # in the text, and dated 1921
    assert set(ids(backend, "民國廿一年")) == {"L1"}  # dated 1932, not in the text


def test_empty_query_browses_everything(backend: SearchBackend) -> None:
    assert backend.search(SearchRequest(q="   ")).total == len(CORPUS)


@pytest.mark.parametrize(
    "q",
    ['"雪梨', "title:(雪梨 OR", "雪梨 OR", "雪梨:", "雪\x00梨", "雪梨 (((", "「雪梨"],
)
def test_malformed_syntax_is_read_literally(backend: SearchBackend, q: str) -> None:
    response = backend.search(SearchRequest(q=q))
    assert response.total <= len(CORPUS)
    assert [hit.id for hit in response.hits] == ["L2"]


def test_bad_requests_raise_query_error_and_change_nothing(backend: SearchBackend) -> None:
    for q in ("。。！", "date:1939..1930", "date:someday"):
        with pytest.raises(QueryError):
            backend.search(SearchRequest(q=q))
    assert backend.count() == len(CORPUS)


def test_documents_with_many_pages(empty_backend: SearchBackend) -> None:
    pages = tuple(PageText(page=n, text=f"第{n}頁。匯款") for n in range(1, 41))
    empty_backend.index([IndexDocument(id="long", pages=pages)])
    (hit,) = empty_backend.search(SearchRequest(q="匯款")).hits
    assert len([h for h in hit.highlights if h.field == "transcription"]) == 40


PARITY_QUERIES = [
    "寄銀",
    "台山",
    "Toishan",
    '"台山開平"',
    "寄 -雪梨",
    "夏灣拿 OR 雪梨 OR 金山",
    "San Francisco",
    "銀 元",
    "type:letter 寄",
    "date:1930..1939 寄",
]


@pytest.mark.service
def test_both_backends_give_the_same_top_results(tmp_path: Path) -> None:
    embedded = open_backend("embedded", tmp_path)
    elastic = open_backend("elasticsearch", tmp_path)
    try:
        for backend in (embedded, elastic):
            backend.index(CORPUS)
        for q in PARITY_QUERIES:
            results = [
                sorted((round(h.score, 3), h.id) for h in b.search(SearchRequest(q=q)).hits)
                for b in (embedded, elastic)
            ]
            assert results[0] == results[1], q
            assert results[0], q
    finally:
        close_backend(embedded)
        close_backend(elastic)


def _named(doc_id: str, text: str = "平安。", **names: str) -> IndexDocument:
    return IndexDocument.model_validate(
        {"id": doc_id, "pages": (PageText(page=1, text=text),), **names}
    )


ROMANISED = (
    _named("huang", sender="黃亞華"),
    _named("wang", sender="王亞華"),
    _named("text-only", "往來平安。"),
    _named("house", remittance_house="廣興號"),
    _named("full-name", recipient="陳國英"),
    _named("split-name", sender="陳德華", recipient="李國英"),
    _named("zhou", sender="周錦文"),
    _named("situ", sender="司徒美堂"),
)
ROMANISED_QUERIES = {
    "Wong": {"huang", "wang"},
    "Huang": {"huang"},
    "wong4": {"huang", "wang"},
    "Kwong Hing": {"house"},
    '"guang xing"': {"house"},
    "Chan Kwok Ying": {"full-name", "split-name"},
    "Chow": {"zhou"},
    "Szeto": {"situ"},
}


def test_romanised_names_find_names_in_characters(empty_backend: SearchBackend) -> None:
    empty_backend.index(ROMANISED)
    for q, expected in ROMANISED_QUERIES.items():
        assert set(ids(empty_backend, q)) == expected, q
    assert ids(empty_backend, "Chan Kwok Ying")[0] == "full-name"
    (hit,) = empty_backend.search(SearchRequest(q="Kwong Hing")).hits
    assert hit.highlights[0].fragment.startswith("廣興號 (<mark>Kwong Hing</mark> Ho;")


@pytest.mark.service
def test_both_backends_rank_romanised_names_alike(tmp_path: Path) -> None:
    embedded = open_backend("embedded", tmp_path)
    elastic = open_backend("elasticsearch", tmp_path)
    try:
        for backend in (embedded, elastic):
            backend.index([*CORPUS, *ROMANISED])
        for q in [*ROMANISED_QUERIES, "Wong Toishan", '"Tse Yiu"', "Lee OR Chan"]:
            results = [
                [(round(h.score, 3), h.id) for h in b.search(SearchRequest(q=q)).hits]
                for b in (embedded, elastic)
            ]
            assert sorted(results[0]) == sorted(results[1]), q
    finally:
        close_backend(embedded)
        close_backend(elastic)
