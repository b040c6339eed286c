"""Dates as written on qiaopi: the table of real-world forms, the calendar rule, bad input."""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lunar_python import Solar  # type: ignore[import-untyped]

from search.dates import (
    DateParseError,
    ParsedDate,
    extract_dates,
    parse_date,
    sexagenary_name,
)
from tests.search.test_numerals import to_chinese

TABLE_PATH = Path(__file__).with_name("date_table.tsv")


def load_table() -> list[tuple[str, str, str, str]]:
    """Rows of (text, expected ISO, certainty, calendar) from date_table.tsv."""
    rows = []
    for line in TABLE_PATH.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            text, iso, certainty, calendar = line.split("\t")
            rows.append((text, iso, certainty, calendar))
    return rows


DATE_TABLE = load_table()


def test_table_has_at_least_100_dates() -> None:
    assert len(DATE_TABLE) >= 100
    assert len({row[0] for row in DATE_TABLE}) == len(DATE_TABLE)


@pytest.mark.parametrize(("text", "iso", "certainty", "calendar"), DATE_TABLE)
def test_table(text: str, iso: str, certainty: str, calendar: str) -> None:
    parsed = parse_date(text)
    assert (parsed.iso, parsed.certainty, parsed.calendar) == (iso, certainty, calendar)
    assert parsed.text == text


def test_known_conversions() -> None:
    assert parse_date("民國二十一年").start == date(1932, 1, 1)
    assert parse_date("光緒三十年").start.year == 1904
    lunar = parse_date("民國廿一年三月初五日")
    assert (lunar.start, lunar.end) == (date(1932, 4, 10), date(1932, 4, 10))
    assert lunar.calendar == "lunar"
    assert lunar.era == "民國"


def test_reign_year_alone_is_the_whole_lunar_year() -> None:
    parsed = parse_date("光緒三十年")
    assert (parsed.start, parsed.end) == (date(1904, 2, 16), date(1905, 2, 3))
    assert parsed.certainty == "range"
    assert parsed.era == "光緒"


def test_calendar_rule_plain_republic_day_is_gregorian_and_says_so() -> None:
    parsed = parse_date("民國廿一年三月五日")
    assert parsed.calendar == "gregorian"
    assert parsed.start == date(1932, 3, 5)
    assert any("Gregorian" in note for note in parsed.notes)


def test_calendar_rule_lunar_marks_are_given_as_reasons() -> None:
    parsed = parse_date("民國廿一年臘月初八日")
    assert parsed.calendar == "lunar"
    assert parsed.start == date(1933, 1, 3)  # also sxtwl and lunardate
    reasons = " ".join(parsed.notes)
    assert "臘月" in reasons
    assert "初X" in reasons


def test_sexagenary_year_with_several_candidates_is_flagged() -> None:
    parsed = parse_date("壬申年")
    assert parsed.certainty == "approximate"
    assert parsed.problems
    assert "1872" in parsed.problems[0]
    assert "1932" in parsed.problems[0]


def test_sexagenary_year_resolved_by_context() -> None:
    parsed = parse_date("壬申年三月初五日", context=(1900, 1960))
    assert (parsed.iso, parsed.certainty, parsed.problems) == ("1932-04-10", "exact", ())
    assert parsed.era == "sexagenary"


def test_sexagenary_name() -> None:
    assert sexagenary_name(1932) == "壬申"
    assert sexagenary_name(1904) == "甲辰"
    assert sexagenary_name(1864) == "甲子"


def test_iso_form() -> None:
    assert parse_date("1932-03").iso == "1932-03-01/1932-03-31"
    assert parse_date("Mar. 5, 1932").iso == "1932-03-05"


def test_parsed_date_is_frozen() -> None:
    parsed = parse_date("1932")
    with pytest.raises(AttributeError):
        parsed.start = date(1900, 1, 1)  # type: ignore[misc]


# ---- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("民國二十一年二月三十日", "29 days in the Gregorian calendar"),
        ("1931年2月29日", "28 days in the Gregorian calendar"),
        ("民國廿一年農曆四月三十日", "lunar 1932 (壬申) month 4 has 29 days"),
        ("民國廿一年閏五月初三日", "has no leap month 5: it has no leap month"),
        ("民國廿二年閏四月", "its leap month is the 5th"),
        ("光緒三十五年", "光緒 lasted 34 years"),
        ("宣統四年三月", "宣統 lasted 3 years"),
        ("民國廿一年十三月", "not a month"),
        ("民國廿一年三月四十日", "not day 40"),
        ("民國〇年", "元年 is 1912"),
        ("甲丑年", "not a year of the sexagenary cycle"),
        ("民國廿一年癸酉三月", "year 1932 is 壬申, not 癸酉"),
        ("光緒三十年陽曆四月", "counts lunar years"),
        ("國曆民國廿二年閏五月", "exists only in the lunar calendar"),
        ("農曆民國廿一年國曆三月", "both the lunar and the Gregorian"),
        ("Feb. 30, 1932", "29 days"),
        ("1932-13-01", "months run 1 to 12"),
    ],
)
def test_impossible_dates_are_refused(text: str, message: str) -> None:
    with pytest.raises(DateParseError, match=re.escape(message)):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("民國二十十年", "unreadable Republic year"),
        ("民國2十1年", "mixes ASCII digits"),
        ("民國廿一年三月初五五日", "初 days run 初一 to 初十"),
        ("民國十廿年", "unreadable Republic year"),
        ("民國二X年三月", "not a recognised date form"),
        ("光緒年三月", "not a recognised date form"),
        ("三月初五", "has no year"),
        ("臘月廿九", "has no year"),
        ("", "empty date"),
        ("   ", "empty date"),
        ("next Tuesday", "not a recognised date form"),
    ],
)
def test_garbled_dates_are_refused(text: str, message: str) -> None:
    with pytest.raises(DateParseError, match=re.escape(message)):
        parse_date(text)


def test_sexagenary_year_outside_context_is_refused() -> None:
    with pytest.raises(DateParseError, match="no 壬申 year between 1900 and 1920"):
        parse_date("壬申年", context=(1900, 1920))


def test_bad_context_is_refused() -> None:
    with pytest.raises(DateParseError, match="not a range of years"):
        parse_date("壬申年", context=(1960, 1850))


def test_very_long_text_is_refused_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(DateParseError, match="too long"):
        parse_date("民國廿一年" * 100_000)
    assert time.perf_counter() - started < 0.5


def test_approximate_marks() -> None:
    parsed = parse_date("約民國廿一年三月")
    assert parsed.certainty == "approximate"
    assert parsed.iso == "1932-03-01/1932-03-31"


# ---- extraction from running text -------------------------------------------------------

LETTER = (
    "父親大人膝下：兒於民國廿一年三月初五日收到家書，今寄上港銀五十元。"
    "另託金山莊於 Mar. 5, 1932 匯出。去年臘月所寄之款，已於民國二十一年二月三十日收妥。"
    "光緒三十年甲辰四月十二日祖父所建之樓，一切安好。"
)


def test_extract_dates_finds_each_date_with_offsets() -> None:
    found = extract_dates(LETTER)
    assert [m.text for m in found] == [
        "民國廿一年三月初五日",
        "Mar. 5, 1932",
        "民國二十一年二月三十日",
        "光緒三十年甲辰四月十二日",
    ]
    for match in found:
        assert LETTER[match.span[0] : match.span[1]] == match.text


def test_extract_dates_keeps_impossible_dates_with_the_error() -> None:
    found = extract_dates(LETTER)
    good = [m for m in found if m.parsed is not None]
    bad = [m for m in found if m.parsed is None]
    assert [m.parsed.iso for m in good if m.parsed] == ["1932-04-10", "1932-03-05", "1904-05-26"]
    assert len(bad) == 1
    assert bad[0].error is not None
    assert "29 days" in bad[0].error


def test_extract_dates_reads_a_day_without_日_unless_a_number_or_unit_follows() -> None:
    found = extract_dates("民國廿一年三月十五寄來，民國廿一年四月五十元")
    assert [(m.text, m.parsed.iso if m.parsed else None) for m in found] == [
        ("民國廿一年三月十五", "1932-03-15"),
        ("民國廿一年四月", "1932-04-01/1932-04-30"),
    ]


def test_extract_dates_ignores_numbers_that_are_not_dates() -> None:
    assert extract_dates("寄上港銀一千九百三十二元，共三十二封，1932 dollars") == []


def test_extract_dates_on_long_text_is_bounded() -> None:
    text = ("家中各人平安，勿念。" * 50 + "民國廿一年三月初五日") * 200
    started = time.perf_counter()
    found = extract_dates(text)
    elapsed = time.perf_counter() - started
    assert len(found) == 200
    assert all(isinstance(m.parsed, ParsedDate) for m in found)
    assert elapsed < 5


def test_extract_dates_on_a_long_run_of_numerals_is_bounded() -> None:
    started = time.perf_counter()
    assert extract_dates("一二三四五六七八九十" * 20_000) == []
    assert time.perf_counter() - started < 5


# ---- round trips ------------------------------------------------------------------------


def lunar_day_name(day: int) -> str:
    """初一 … 初十, 十一 … 十九, 二十, 廿一 … 廿九, 三十: how letters write lunar days."""
    if day <= 10:
        return "初" + to_chinese(day)
    if day in (20, 30):
        return to_chinese(day)
    return ("十", "廿")[day // 10 - 1] + to_chinese(day % 10)


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(1912, 3, 1), max_value=date(1949, 12, 31)))
def test_round_trip_lunar_republic_dates(day: date) -> None:
    """A Gregorian day, written as the lunar date lunar-python's Solar side gives, reads back.

    Written with 農曆, as the calendar rule needs a lunar mark for days like 十三日.
    """
    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    year, month, lunar_day = int(lunar.getYear()), int(lunar.getMonth()), int(lunar.getDay())
    month_name = {1: "正", 11: "冬", 12: "臘"}.get(abs(month), to_chinese(abs(month)))
    written = (
        f"民國{to_chinese(year - 1911)}年農曆{'閏' if month < 0 else ''}{month_name}月"
        f"{lunar_day_name(lunar_day)}日"
    )
    parsed = parse_date(written)
    assert (parsed.start, parsed.end, parsed.calendar) == (day, day, "lunar"), written


@given(st.dates(min_value=date(1912, 1, 1), max_value=date(1949, 12, 31)))
def test_round_trip_gregorian_republic_dates(day: date) -> None:
    written = f"民國{to_chinese(day.year - 1911)}年{to_chinese(day.month)}月{to_chinese(day.day)}日"
    parsed = parse_date(written)
    assert (parsed.start, parsed.end, parsed.calendar) == (day, day, "gregorian"), written
