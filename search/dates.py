"""Dates as written on qiaopi and their envelopes, read into an ISO date or range.

Handles Republic years (民國廿一年), Qing reign years (光緒三十年), sexagenary years
(壬申年, resolved within a context range of years), lunar months and days (三月初五,
臘月, 閏五月, 上旬, 吉日), Chinese numerals in every form (see `search.numerals`), and
Western dates (Mar. 5, 1932; 5 March 1932; 1932-03-05). Partial dates become ranges.

**Contract.** `parse_date` returns a `ParsedDate` whose `start` and `end` (inclusive)
are always set, or raises `DateParseError` whose message names what was wrong and what
to write instead (impossible day, leap month the year does not have, garbled numeral,
no year, text too long). Doubts that still leave a usable range (a sexagenary year that
fits several cycles, a calendar the writer did not name) are kept in `problems` and
`notes` with certainty ``"approximate"`` where the range is wider than what was written.

**Which calendar.** Month and day are read as lunar (the 時憲曆 lunisolar calendar) when:
the year is a Qing reign year or a sexagenary year; or the text names the lunar calendar
(農曆, 陰曆, 舊曆, 夏曆); or the day is written 初X; or the month is 正月, 冬月, 臘月 or a
leap month 閏X月. Otherwise (Republic or Western year, plain 三月十五日) they are read as
Gregorian, because the Republic made the Gregorian calendar official from 1912 and
letters that kept the lunar calendar almost always show it by one of the marks above;
國曆, 陽曆, 新曆, 公曆 and 西曆 force Gregorian. A Republic year alone is the Gregorian
year; a reign or sexagenary year alone is the whole lunar year (e.g. 光緒三十年 is
1904-02-16/1905-02-03).

Lunar dates are converted with `lunar-python` (6tail/lunar-python): unlike `lunardate`,
`LunarCalendar` and `zhdate`, which all stop at 1900, it covers the Qing reigns of the
nineteenth century, and it is actively maintained. Its month lengths and leap months
are used to refuse impossible lunar dates (it would otherwise roll them over silently).
Parsing is hand-written (regular expressions) because general date parsers such as
dateutil fill missing parts with today's values, which would turn partial dates into
false exact ones.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from lunar_python import LunarYear, Solar  # type: ignore[import-untyped]

from search.numerals import NUMERAL_CHARS, NumeralError, parse_chinese_number

__all__ = [
    "DEFAULT_CONTEXT",
    "MAX_DATE_LENGTH",
    "DateMatch",
    "DateParseError",
    "ParsedDate",
    "extract_dates",
    "parse_date",
    "sexagenary_name",
]

Certainty = Literal["exact", "range", "approximate"]
CalendarName = Literal["gregorian", "lunar"]

DEFAULT_CONTEXT: tuple[int, int] = (1850, 1960)
"""Years within which a bare sexagenary year (壬申年) is looked for: the qiaopi era."""

MAX_DATE_LENGTH = 100
"""Longest text `parse_date` accepts; longer text is not a date (use `extract_dates`)."""

STEMS = "甲乙丙丁戊己庚辛壬癸"
BRANCHES = "子丑寅卯辰巳午未申酉戌亥"

# Qing reigns: first (元年) lunar year and number of years.
REIGNS: dict[str, tuple[int, int]] = {
    "嘉慶": (1796, 25),
    "道光": (1821, 30),
    "咸豐": (1851, 11),
    "同治": (1862, 13),
    "光緒": (1875, 34),
    "宣統": (1909, 3),
}
_REIGN_SPELLINGS: dict[str, str] = {
    **{name: name for name in REIGNS},
    "嘉庆": "嘉慶",
    "咸丰": "咸豐",
    "光绪": "光緒",
    "宣统": "宣統",
}
_LUNAR_MARKS = frozenset({"農曆", "农历", "陰曆", "阴历", "舊曆", "旧历", "夏曆", "夏历"})
_GREGORIAN_MARKS = frozenset(
    {"國曆", "国历", "陽曆", "阳历", "新曆", "新历", "公曆", "公历", "西曆", "西历"}
)
_NAMED_MONTHS: dict[str, int] = {"正": 1, "元": 1, "冬": 11, "臘": 12, "腊": 12}
_XUN: dict[str, tuple[int, int]] = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, 31)}
_APPROXIMATE_BEFORE = re.compile(r"^(?:大約|大约|約|约|circa|ca\.|c\.)\s*", re.IGNORECASE)
_APPROXIMATE_AFTER = re.compile(r"\s*(?:左右|前後|前后)$")

_ENGLISH_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


class DateParseError(ValueError):
    """Text that is not a readable or possible date; the message says what to fix."""


@dataclass(frozen=True)
class ParsedDate:
    """A date as written and the inclusive Gregorian range it stands for."""

    text: str
    start: date
    end: date
    certainty: Certainty
    calendar: CalendarName
    era: str
    """How the year was counted: 民國, a reign name (光緒), "sexagenary" or "western"."""
    notes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def iso(self) -> str:
        """ISO 8601 form: one day (1932-04-10) or an interval (1932-01-01/1932-12-31)."""
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


@dataclass(frozen=True)
class DateMatch:
    """One date found in free text: its character span, and the reading or why it failed."""

    span: tuple[int, int]
    text: str
    parsed: ParsedDate | None
    error: str | None


def sexagenary_name(year: int) -> str:
    """The stem-branch (干支) name of a lunar year, e.g. 1932 → 壬申."""
    return STEMS[(year - 4) % 10] + BRANCHES[(year - 4) % 12]


# ---- patterns -----------------------------------------------------------------------

_N = f"[{NUMERAL_CHARS}0-9]"
_POSITIONAL_YEAR = "[〇零○一二三四五六七八九0-9]{4}"
_GZ = f"[{STEMS}][{BRANCHES}]"
_SUIS = "(?:歲次|岁次)"
_CAL = "|".join(sorted(_LUNAR_MARKS | _GREGORIAN_MARKS))
_REIGN = "|".join(_REIGN_SPELLINGS)
_ERA_YEAR = (
    rf"(?:(?:中華|中华)?(?:民國|民国)\s*(?P<roc>元|{_N}{{1,4}})\s*年"
    rf"|(?:大清)?(?P<reign>{_REIGN})\s*(?P<reign_n>元|{_N}{{1,3}})\s*年"
    rf"|(?:公元|西元)?(?<![0-9])(?P<western>{_POSITIONAL_YEAR})\s*年)"
)
_YEAR = (
    rf"(?:{_ERA_YEAR}(?:\s*{_SUIS}?\s*(?P<gz>{_GZ})\s*年?)?"
    rf"|{_SUIS}?\s*(?P<gz_year>{_GZ})\s*年"
    rf"|{_SUIS}\s*(?P<gz_suici>{_GZ}))"
)


def _chinese_pattern(bare_day: bool) -> str:
    """The Chinese date form.

    With `bare_day` (whole input) a day may stand without 日; in running text it may only
    when no numeral or money unit follows, so 三月五十元 is not read as the 50th of March.
    """
    day_suffix = (
        "(?:日|號|号)?" if bare_day else f"(?:日|號|号|(?![0-9{NUMERAL_CHARS}元圓圆毫角仙分鎊]))"
    )
    return (
        rf"(?P<cal1>{_CAL})?\s*{_YEAR}\s*(?P<cal2>{_CAL})?"
        rf"(?:\s*(?P<leap>閏|闰)?\s*(?P<month>正|元|冬|臘|腊|{_N}{{1,3}})\s*月"
        rf"(?:\s*(?:(?P<day>初{_N}{{1,2}}(?:日|號|号)?|{_N}{{1,3}}{day_suffix})"
        rf"|(?P<xun>上旬|中旬|下旬)|(?P<jiri>吉日|吉旦)))?)?"
    )


_MONTH_NAME = "|".join(sorted(_ENGLISH_MONTHS, key=len, reverse=True))
_ENGLISH = (
    rf"(?P<m1>{_MONTH_NAME})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_NAME})\.?,?\s+(?P<y2>\d{{4}})"
    rf"|(?P<m3>{_MONTH_NAME})\.?,?\s+(?P<y3>\d{{4}})"
    r"|(?P<y4>\d{4})[-/.](?P<mo4>\d{1,2})(?:[-/.](?P<d4>\d{1,2}))?"
)
_WHOLE_CHINESE = re.compile(_chinese_pattern(bare_day=True))
_WHOLE_ENGLISH = re.compile(rf"(?:{_ENGLISH}|(?P<y5>\d{{4}}))", re.IGNORECASE)
_YEARLESS = re.compile(rf"^(?:閏|闰)?(?:正|元|冬|臘|腊|{_N}{{1,3}})月")
_FIND = re.compile(
    rf"(?P<zh>{_chinese_pattern(bare_day=False)})"
    rf"|(?<![A-Za-z0-9])(?P<en>{_ENGLISH})(?![A-Za-z0-9])",
    re.IGNORECASE,
)


# ---- public functions ---------------------------------------------------------------


def parse_date(text: str, context: tuple[int, int] = DEFAULT_CONTEXT) -> ParsedDate:
    """Read one date as written into an ISO range with certainty, calendar and notes.

    `context` is the (first, last) year in which a bare sexagenary year is looked for.
    Raises `DateParseError` for anything that is not a possible date.
    """
    if len(text) > MAX_DATE_LENGTH:
        raise DateParseError(
            f"text too long for one date ({len(text)} characters, at most {MAX_DATE_LENGTH});"
            " use extract_dates to find dates in running text"
        )
    _check_context(context)
    cleaned = unicodedata.normalize("NFKC", text).strip().rstrip("。，,;；").strip()
    if not cleaned:
        raise DateParseError("empty date: write e.g. 民國廿一年三月初五日 or 1932-03-05")
    core = _APPROXIMATE_AFTER.sub("", _APPROXIMATE_BEFORE.sub("", cleaned))
    approximate = core != cleaned
    match = _WHOLE_CHINESE.fullmatch(core)
    if match is not None:
        parsed = _from_chinese(match.groupdict(), text, context)
    elif (english := _WHOLE_ENGLISH.fullmatch(core)) is not None:
        parsed = _from_english(english.groupdict(), text)
    elif _YEARLESS.match(core):
        raise DateParseError(f"{text!r} has no year: add one, e.g. 民國廿一年{core}")
    else:
        raise DateParseError(
            f"{text!r} is not a recognised date form; write e.g. 民國廿一年三月初五日,"
            " 光緒三十年, 壬申年臘月, Mar. 5, 1932 or 1932-03-05"
        )
    if approximate:
        return ParsedDate(
            text=parsed.text,
            start=parsed.start,
            end=parsed.end,
            certainty="approximate",
            calendar=parsed.calendar,
            era=parsed.era,
            notes=(*parsed.notes, "marked as approximate by the writer"),
            problems=parsed.problems,
        )
    return parsed


def extract_dates(text: str, context: tuple[int, int] = DEFAULT_CONTEXT) -> list[DateMatch]:
    """Find every date in free text (OCR of a letter) with its character offsets.

    A date-shaped span that is impossible (民國二十一年二月三十日) is kept with `error`
    set, so a curator sees it rather than losing it. Runs in time linear in the text.
    """
    _check_context(context)
    found: list[DateMatch] = []
    for match in _FIND.finditer(text):
        written = match.group(0)
        try:
            groups = match.groupdict()
            if match.group("zh") is not None:
                parsed = _from_chinese(groups, written, context)
            else:
                parsed = _from_english(groups, written)
        except DateParseError as error:
            found.append(DateMatch(match.span(), written, None, str(error)))
        else:
            found.append(DateMatch(match.span(), written, parsed, None))
    return found


# ---- reading ------------------------------------------------------------------------


def _check_context(context: tuple[int, int]) -> None:
    first, last = context
    if not 1 <= first <= last <= 9998:
        raise DateParseError(
            f"context {context!r} is not a range of years: give (first, last) with first <= last"
        )


def _number(written: str, what: str) -> int:
    """A numeral in a date, with the numeral's own complaint turned into a date error."""
    if written == "元":
        return 1
    try:
        return parse_chinese_number(written)
    except NumeralError as error:
        raise DateParseError(f"unreadable {what} {written!r}: {error}") from error


def _calendar_marks(groups: dict[str, str | None]) -> str | None:
    """The calendar the writer named ("lunar"/"gregorian"), refusing contradictions."""
    named = {
        "lunar" if mark in _LUNAR_MARKS else "gregorian"
        for mark in (groups["cal1"], groups["cal2"])
        if mark
    }
    if len(named) > 1:
        raise DateParseError("the text names both the lunar and the Gregorian calendar")
    return named.pop() if named else None


@dataclass(frozen=True)
class _Years:
    """The year part of a Chinese date: candidate years and how they were counted."""

    era: str
    years: list[int]
    lunar: bool
    notes: list[str]
    problems: list[str]


def _read_years(
    groups: dict[str, str | None], cyclic: str | None, context: tuple[int, int]
) -> _Years:
    """Republic, reign, Western or sexagenary year; a cyclic year beside an era must agree."""
    notes: list[str] = []
    problems: list[str] = []
    if groups["roc"]:
        number = _number(groups["roc"], "Republic year")
        if number < 1:
            raise DateParseError(f"民國{groups['roc']}年 is not a Republic year (元年 is 1912)")
        found = _Years("民國", [1911 + number], False, notes, problems)
        notes.append(f"民國{groups['roc']}年 = {found.years[0]}")
    elif groups["reign"]:
        era = _REIGN_SPELLINGS[groups["reign"]]
        first, length = REIGNS[era]
        number = _number(groups["reign_n"] or "", f"{era} year")
        if not 1 <= number <= length:
            raise DateParseError(
                f"{era}{groups['reign_n']}年 does not exist: {era} lasted {length} years"
                f" ({first}–{first + length - 1})"
            )
        found = _Years(era, [first + number - 1], True, notes, problems)
        notes.append(f"{era}{groups['reign_n']}年 = lunar year {found.years[0]}")
    elif groups["western"]:
        found = _Years("western", [_number(groups["western"], "year")], False, notes, problems)
    else:
        first, last = context
        years = [y for y in range(first, last + 1) if sexagenary_name(y) == cyclic]
        if not years:
            raise DateParseError(f"no {cyclic} year between {first} and {last}: widen the context")
        if len(years) > 1:
            problems.append(
                f"{cyclic} fits {', '.join(map(str, years))} within {first}–{last};"
                " the range covers all of them: give a narrower context or the era year"
            )
        else:
            notes.append(f"{cyclic} read as {years[0]} within {first}–{last}")
        return _Years("sexagenary", years, True, notes, problems)
    if cyclic:
        year = found.years[0]
        if sexagenary_name(year) != cyclic:
            raise DateParseError(
                f"year {year} is {sexagenary_name(year)}, not {cyclic}: check the era year"
                " or the cyclic year"
            )
        return _Years(found.era, found.years, True, notes, problems)
    return found


def _from_chinese(
    groups: dict[str, str | None], written: str, context: tuple[int, int]
) -> ParsedDate:
    named_calendar = _calendar_marks(groups)
    cyclic = groups["gz"] or groups["gz_year"] or groups["gz_suici"]
    if cyclic and (BRANCHES.index(cyclic[1]) - STEMS.index(cyclic[0])) % 2:
        raise DateParseError(f"{cyclic} is not a year of the sexagenary cycle (stem and branch)")
    year_part = _read_years(groups, cyclic, context)
    notes, problems = year_part.notes, year_part.problems
    month_text, day_text = groups["month"], groups["day"]
    leap = groups["leap"] is not None
    lunar_reasons = [
        reason
        for reason, present in (
            ("the year is a reign or sexagenary year", year_part.lunar),
            ("the lunar calendar is named", named_calendar == "lunar"),
            (f"the month is written {month_text}月", month_text in ("正", "冬", "臘", "腊")),
            ("it is a leap month", leap),
            ("the day is written 初X", bool(day_text and day_text.startswith("初"))),
        )
        if present
    ]
    if named_calendar == "gregorian" and (year_part.lunar or leap):
        raise DateParseError(
            "the Gregorian calendar is named, but a reign or sexagenary year counts lunar"
            " years and a leap month 閏 exists only in the lunar calendar"
        )
    use_lunar = bool(lunar_reasons) and named_calendar != "gregorian"
    if use_lunar:
        notes.append("read as a lunar date because " + "; ".join(lunar_reasons))
    elif month_text:
        notes.append("read as Gregorian: no lunar mark, and the Republic calendar was Gregorian")

    month = None
    if month_text:
        month = _NAMED_MONTHS.get(month_text) or _number(month_text, "month")
        if not 1 <= month <= 12:
            raise DateParseError(f"{month_text}月 is not a month: months run 1 to 12")
    day = None
    if day_text:
        day = _number(day_text.removeprefix("初").rstrip("日號号"), "day")
        if day_text.startswith("初") and not 1 <= day <= 10:
            raise DateParseError(f"{day_text}: 初 days run 初一 to 初十")
    if groups["jiri"]:
        notes.append(f"{groups['jiri']} (an auspicious day) names no day: the whole month")

    ranges = [
        _lunar_range(year, month, day, leap, groups["xun"])
        if use_lunar
        else _gregorian_range(year, month, day, groups["xun"])
        for year in year_part.years
    ]
    if len(ranges) > 1:
        certainty: Certainty = "approximate"
    elif day is not None:
        certainty = "exact"
    else:
        certainty = "range"
    return ParsedDate(
        text=written,
        start=min(r[0] for r in ranges),
        end=max(r[1] for r in ranges),
        certainty=certainty,
        calendar="lunar" if use_lunar else "gregorian",
        era=year_part.era,
        notes=tuple(notes),
        problems=tuple(problems),
    )


def _from_english(groups: dict[str, str | None], written: str) -> ParsedDate:
    month_name = groups["m1"] or groups["m2"] or groups["m3"]
    year_text = groups["y1"] or groups["y2"] or groups["y3"] or groups["y4"] or groups.get("y5")
    day_text = groups["d1"] or groups["d2"] or groups["d4"]
    month = _ENGLISH_MONTHS[month_name.lower()] if month_name else None
    if groups["mo4"]:
        month = int(groups["mo4"])
        if not 1 <= month <= 12:
            raise DateParseError(f"month {month} in {written!r} is not a month: months run 1 to 12")
    year = int(year_text or "0")
    day = int(day_text) if day_text else None
    start, end = _gregorian_range(year, month, day, None)
    return ParsedDate(
        text=written,
        start=start,
        end=end,
        certainty="exact" if day is not None else "range",
        calendar="gregorian",
        era="western",
    )


# ---- calendars ----------------------------------------------------------------------


def _gregorian_range(
    year: int, month: int | None, day: int | None, xun: str | None
) -> tuple[date, date]:
    if not 1 <= year <= 9999:
        raise DateParseError(f"year {year} is out of range")
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    length = calendar.monthrange(year, month)[1]
    if day is not None:
        if not 1 <= day <= length:
            raise DateParseError(
                f"{year}-{month:02d} has {length} days in the Gregorian calendar, not day {day}"
                " (if the letter counts lunar days, write 農曆 before the date)"
            )
        return date(year, month, day), date(year, month, day)
    first, last = _XUN[xun] if xun else (1, length)
    return date(year, month, first), date(year, month, min(last, length))


def _lunar_range(
    year: int, month: int | None, day: int | None, leap: bool, xun: str | None
) -> tuple[date, date]:
    months = _lunar_months(year)
    if month is None:
        last_first, last_length = months[-1][2], months[-1][3]
        return months[0][2], last_first + timedelta(last_length - 1)
    begin, length = _lunar_month(year, month, leap)
    label = f"lunar {year} ({sexagenary_name(year)}) {'leap ' if leap else ''}month {month}"
    if day is not None:
        if not 1 <= day <= length:
            raise DateParseError(f"{label} has {length} days, not day {day}")
        moment = begin + timedelta(day - 1)
        return moment, moment
    first, last = _XUN[xun] if xun else (1, length)
    return begin + timedelta(first - 1), begin + timedelta(min(last, length) - 1)


def _lunar_month(year: int, month: int, leap: bool) -> tuple[date, int]:
    """First day and length of a lunar month; refuses a leap month the year does not have."""
    for number, is_leap, first, length in _lunar_months(year):
        if (number, is_leap) == (month, leap):
            return first, length
    actual = next((number for number, is_leap, _, _ in _lunar_months(year) if is_leap), 0)
    has = f"its leap month is the {actual}th" if actual else "it has no leap month"
    raise DateParseError(f"lunar {year} ({sexagenary_name(year)}) has no leap month {month}: {has}")


@lru_cache(maxsize=512)
def _lunar_months(year: int) -> tuple[tuple[int, bool, date, int], ...]:
    """The months of one lunar year: (number, leap, first Gregorian day, day count).

    Cached because lunar-python recomputes a year's new moons and solar terms (tens of
    milliseconds) whenever the year differs from the last one it was asked about.
    """
    if not 1 <= year <= 9998:
        raise DateParseError(f"lunar year {year} is out of range")
    months = []
    for lunar_month in LunarYear.fromYear(year).getMonthsInYear():
        number = int(lunar_month.getMonth())
        solar = Solar.fromJulianDay(lunar_month.getFirstJulianDay())
        first = date(int(solar.getYear()), int(solar.getMonth()), int(solar.getDay()))
        months.append((abs(number), number < 0, first, int(lunar_month.getDayCount())))
    return tuple(months)
