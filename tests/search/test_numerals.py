"""Chinese numerals in every form found on qiaopi, and the garbled ones refused."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.numerals import NUMERAL_CHARS, NumeralError, is_numeral, parse_chinese_number

DIGITS = "〇一二三四五六七八九"
CAPITALS = "零壹貳參肆伍陸柒捌玖"


def to_chinese(number: int, digits: str = DIGITS, units: str = "十百千") -> str:
    """Write a number the standard way (for round trips): 105 → 一百〇五, 15 → 十五."""
    if number == 0:
        return digits[0]
    parts: list[str] = []
    for big_value, big_unit in ((10**8, "億"), (10**4, "萬"), (1, "")):
        section, number = divmod(number, big_value)
        if section:
            parts.append(_section(section, digits, units, leading=not parts) + big_unit)
        elif parts and number:
            parts.append(digits[0])
    text = "".join(parts)
    return re.sub(f"{digits[0]}+", digits[0], text).rstrip(digits[0])


def _section(number: int, digits: str, units: str, leading: bool) -> str:
    out = ""
    pending_zero = False
    for value, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit, number = divmod(number, value)
        if digit:
            if pending_zero or (out == "" and not leading and value < 1000):
                out += digits[0]
            out += digits[digit] + unit
            pending_zero = False
        elif out:
            pending_zero = True
    if leading and out.startswith(digits[1] + units[0]):
        out = out[1:]  # 十五, not 一十五, at the very start
    return out


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("〇", 0),
        ("零", 0),
        ("一", 1),
        ("十", 10),
        ("十五", 15),
        ("一十五", 15),
        ("二十", 20),
        ("二十一", 21),
        ("廿", 20),
        ("廿一", 21),
        ("廿九", 29),
        ("卅", 30),
        ("卅一", 31),
        ("卌", 40),
        ("三十", 30),
        ("一百", 100),
        ("一百零五", 105),
        ("一百〇五", 105),
        ("一百一十", 110),
        ("一百五", 150),
        ("兩百", 200),
        ("两千", 2000),
        ("一千五", 1500),
        ("一千九百三十二", 1932),
        ("一千零一", 1001),
        ("一萬", 10_000),
        ("三萬五", 35_000),
        ("三萬五千", 35_000),
        ("十萬", 100_000),
        ("一萬零五", 10_005),
        ("一億二千萬", 120_000_000),
        ("壹", 1),
        ("貳拾", 20),
        ("參拾伍", 35),
        ("壹佰圓".rstrip("圓"), 100),
        ("伍拾", 50),
        ("壹仟貳佰參拾肆", 1234),
        ("陸柒", 67),
        ("捌萬玖仟", 89_000),
        ("叁", 3),
        ("一九三二", 1932),
        ("一九〇五", 1905),
        ("一九零五", 1905),
        ("二〇", 20),
        ("1932", 1932),
        ("１９３２", 1932),
        ("〡〢〣", 123),
        ("〥", 5),
    ],
)
def test_forms(text: str, value: int) -> None:
    assert parse_chinese_number(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty numeral"),
        ("  ", "empty numeral"),
        ("十十", "out of order"),
        ("二十十", "out of order"),
        ("十百", "out of order"),
        ("一百十", "no digit before it"),
        ("百", "no digit before it"),
        ("千五", "no digit before it"),
        ("二三十", "two digits side by side"),
        ("五五十", "two digits side by side"),
        ("廿廿", "must start the numeral"),
        ("一廿", "must start the numeral"),
        ("萬", "nothing before it"),
        ("一萬萬", "out of order"),
        ("二十零", "ends in 零"),
        ("五零零十", "零 right after a digit"),
        ("1十", "mixes ASCII digits"),
        ("二X", "'X' at position 1"),
        ("民國", "not a numeral"),
        ("一" * 41, "numeral too long"),
    ],
)
def test_garbled_numerals_are_refused(text: str, message: str) -> None:
    with pytest.raises(NumeralError, match=re.escape(message)):
        parse_chinese_number(text)


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_round_trip_standard_form(number: int) -> None:
    assert parse_chinese_number(to_chinese(number)) == number


@given(st.integers(min_value=0, max_value=10**8 - 1))
def test_round_trip_banker_capitals(number: int) -> None:
    assert parse_chinese_number(to_chinese(number, CAPITALS, "拾佰仟")) == number


@given(st.integers(min_value=0, max_value=10**9))
def test_round_trip_positional(number: int) -> None:
    written = "".join(DIGITS[int(d)] for d in str(number))
    assert parse_chinese_number(written) == number


def test_to_chinese_helper_writes_the_standard_form() -> None:
    assert [to_chinese(n) for n in (15, 105, 1932, 10_005, 120_000_000, 100_010)] == [
        "十五",
        "一百〇五",
        "一千九百三十二",
        "一萬〇五",
        "一億二千萬",
        "十萬〇一十",
    ]


def test_is_numeral() -> None:
    assert is_numeral("廿一")
    assert is_numeral("壹佰")
    assert not is_numeral("")
    assert not is_numeral("廿一年")


def test_numeral_chars_cover_the_forms() -> None:
    for char in "〇零一二三四五六七八九十百千萬億廿卅卌壹貳參肆伍陸柒捌玖拾佰仟兩〡":
        assert char in NUMERAL_CHARS
    assert not set("0123456789") & set(NUMERAL_CHARS)
