"""Chinese numerals as written on qiaopi: 廿一, 民國卅年, 壹佰圓, 一九三二, 〡〢〣 and friends.

Hand-written because no maintained PyPI library reads all of the historical forms
(廿/卅/卌 contractions, banker's capitals 壹貳參, Suzhou numerals 〡〢〣 used in shop
accounts, positional years 一九三二) and refuses the garbled ones instead of guessing.

Two readings are supported:

- **unit form** (一千九百三十二, 廿一, 壹佰零伍, 三萬五千): digits multiplied by units
  十百千 inside a section, sections multiplied by 萬/億. A trailing digit right after a
  unit of a hundred or more is the colloquial abbreviation of the next lower unit
  (一千五 = 1500, 三萬五 = 35000), as amounts are often written.
- **positional form** (一九三二, 二〇, 1932): digits only, read place by place.

Anything else (two digits side by side in a unit form, units out of order, a unit with
nothing to multiply, characters that are no numeral) raises `NumeralError`.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "NUMERAL_CHARS",
    "NumeralError",
    "is_numeral",
    "parse_chinese_number",
]

_DIGITS: dict[str, int] = {
    **{c: 0 for c in "〇零○"},
    **{c: 1 for c in "一壹弌〡"},
    **{c: 2 for c in "二貳贰弍兩两〢"},
    **{c: 3 for c in "三參叁参弎〣"},
    **{c: 4 for c in "四肆〤"},
    **{c: 5 for c in "五伍〥"},
    **{c: 6 for c in "六陸陆〦"},
    **{c: 7 for c in "七柒〧"},
    **{c: 8 for c in "八捌〨"},
    **{c: 9 for c in "九玖〩"},
    **{str(d): d for d in range(10)},
}
_SMALL_UNITS: dict[str, int] = {
    **{c: 10 for c in "十拾〸"},
    **{c: 100 for c in "百佰陌"},
    **{c: 1000 for c in "千仟阡"},
}
_BIG_UNITS: dict[str, int] = {**{c: 10_000 for c in "萬万"}, **{c: 100_000_000 for c in "億亿"}}
# Contractions that stand for a digit and 十 together: 廿 = 二十, 卅 = 三十, 卌 = 四十.
_TENS: dict[str, int] = {"廿": 20, "卄": 20, "卅": 30, "卌": 40}
_ZERO_MARKS = frozenset("〇零○")
_ASCII_DIGITS = frozenset("0123456789")

NUMERAL_CHARS: str = "".join(sorted({*_DIGITS, *_SMALL_UNITS, *_BIG_UNITS, *_TENS} - _ASCII_DIGITS))
"""Every Chinese character `parse_chinese_number` reads (for building regular expressions)."""

MAX_NUMERAL_LENGTH = 40


class NumeralError(ValueError):
    """A numeral that cannot be read; the message names the text and the fault."""


def is_numeral(text: str) -> bool:
    """True when `text` is non-empty and made only of characters a numeral may contain."""
    chars = unicodedata.normalize("NFKC", text)
    return bool(chars) and all(
        c in _DIGITS or c in _SMALL_UNITS or c in _BIG_UNITS or c in _TENS for c in chars
    )


def parse_chinese_number(text: str) -> int:
    """Read a Chinese (or ASCII) numeral as an integer: 廿一 → 21, 壹佰零伍 → 105, 一九三二 → 1932.

    Raises `NumeralError` for empty, garbled or over-long input rather than guessing, so a
    date or amount built on it is never silently wrong.
    """
    chars = unicodedata.normalize("NFKC", text).strip()
    if not chars:
        raise NumeralError("empty numeral: expected digits such as 二十一 or 21")
    if len(chars) > MAX_NUMERAL_LENGTH:
        raise NumeralError(
            f"numeral too long ({len(chars)} characters, at most {MAX_NUMERAL_LENGTH}):"
            f" {chars[:20]}…"
        )
    for position, char in enumerate(chars):
        if not (char in _DIGITS or char in _SMALL_UNITS or char in _BIG_UNITS or char in _TENS):
            raise NumeralError(f"{char!r} at position {position} of {chars!r} is not a numeral")
    if all(char in _DIGITS for char in chars):
        return _positional(chars)
    if any(char in _ASCII_DIGITS for char in chars):
        raise NumeralError(
            f"{chars!r} mixes ASCII digits with Chinese units; write it all in one script"
        )
    return _unit_form(chars)


def _positional(chars: str) -> int:
    """Digits read place by place: 一九三二 → 1932, 二〇 → 20."""
    value = 0
    for char in chars:
        value = value * 10 + _DIGITS[char]
    return value


def _unit_form(chars: str) -> int:
    """Digits times units (十百千) within sections, sections times 萬/億."""
    total = 0
    section = 0
    digit: int | None = None
    last_small_unit = 10_000  # larger than any small unit: the next one must be smaller
    last_big_unit = 10**12
    after_zero = False
    previous = ""
    for position, char in enumerate(chars):
        where = f"at position {position} of {chars!r}"
        if char in _ZERO_MARKS:
            if digit is not None:
                raise NumeralError(f"零 right after a digit {where}")
            after_zero = True
        elif char in _DIGITS:
            if digit is not None:
                raise NumeralError(f"two digits side by side {where}: is a unit (十百千) missing?")
            digit = _DIGITS[char]
        elif char in _TENS:
            if digit is not None or section or total:
                raise NumeralError(f"{char} (= {_TENS[char]}) must start the numeral, {where}")
            section = _TENS[char]
            last_small_unit = 10
        elif char in _SMALL_UNITS:
            unit = _SMALL_UNITS[char]
            if unit >= last_small_unit:
                raise NumeralError(f"unit {char} out of order {where}")
            if digit is None:
                if unit != 10 or section or previous not in ("", *_BIG_UNITS):
                    raise NumeralError(f"unit {char} has no digit before it {where}")
                digit = 1  # 十五 = 15: a leading 十 counts one ten
            section += digit * unit
            digit = None
            last_small_unit = unit
            after_zero = False
        else:
            unit = _BIG_UNITS[char]
            if unit >= last_big_unit:
                raise NumeralError(f"unit {char} out of order {where}")
            section += digit or 0
            if not section:
                raise NumeralError(f"unit {char} has nothing before it {where}")
            total += section * unit
            section, digit = 0, None
            last_small_unit, last_big_unit = 10_000, unit
            after_zero = False
        previous = char
    if digit is not None:
        if previous in _DIGITS and not after_zero and 100 <= last_small_unit < 10_000:
            digit *= last_small_unit // 10  # 一千五 = 1500
        elif previous in _DIGITS and not after_zero and last_small_unit == 10_000 and total:
            digit *= last_big_unit // 10  # 三萬五 = 35000
        section += digit
    if previous in _ZERO_MARKS:
        raise NumeralError(f"{chars!r} ends in 零: a digit is missing after it")
    return total + section
