"""Amounts of money as written on qiaopi: 港銀五十元, 國幣壹佰圓正, 雙毫五毫, HK$50, $20 gold.

`parse_amount` reads one amount into a `Decimal` in the currency's main unit (dollar,
yuan, pound) and a currency code. Where ISO 4217 has a code (HKD, USD, GBP ...) it is
used; historical currencies with no ISO code get a code in the ``X-`` space (ISO keeps
codes starting with X for uses outside the standard), listed in `CURRENCIES`:

| code         | currency                                           | written as  |
|--------------|----------------------------------------------------|-------------|
| X-CN-SILVER  | Chinese silver dollar (大洋, 銀元, 光洋, 龍洋)       | 大洋五十元  |
| X-CN-HAOYANG | Guangdong subsidiary silver, 毫 coins (毫洋, 雙毫) | 雙毫五十元  |
| X-FABI       | Republic national currency 法幣/國幣, 1935–1948     | 國幣壹佰圓  |
| X-GOLD-YUAN  | gold yuan certificates 金圓券, 1948–1949            | 金圓券十萬元 |
| X-MEX-DOLLAR | Mexican silver dollar (鷹洋)                        | 鷹洋二十元  |
| X-STRAITS    | Straits Settlements / Malayan dollar (叻幣, 坡幣)   | 叻幣三十元  |

Units: 元/圓/圆 are one; 角 and 毫 a tenth; 仙 and 分 a hundredth (仙 is the Cantonese
cent); 鎊 a pound. 正/整 after an amount ("exactly") is accepted. An amount with no
unit (港銀五十) or no number raises `AmountParseError`; an amount with no currency
(五十元, $20) is read with ``currency=None`` and a problem saying so. Hand-written because
no maintained library knows these historical names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from search.numerals import NUMERAL_CHARS, NumeralError, parse_chinese_number

__all__ = [
    "CURRENCIES",
    "MAX_AMOUNT_LENGTH",
    "AmountMatch",
    "AmountParseError",
    "ParsedAmount",
    "extract_amounts",
    "parse_amount",
]

MAX_AMOUNT_LENGTH = 100
"""Longest text `parse_amount` accepts; use `extract_amounts` for running text."""

CURRENCIES: dict[str, str] = {
    "HKD": "Hong Kong dollar",
    "USD": "United States dollar",
    "GBP": "pound sterling",
    "CAD": "Canadian dollar",
    "THB": "Siamese baht (tical)",
    "PHP": "Philippine peso",
    "CNY": "renminbi yuan (from 1949)",
    "X-CN-SILVER": "Chinese silver dollar (大洋, 銀元): the big-coin silver yuan",
    "X-CN-HAOYANG": "Guangdong subsidiary silver (毫洋, 雙毫): yuan counted in 毫 coins",
    "X-FABI": "fabi (法幣, 國幣), the Republic's national currency, 1935–1948",
    "X-GOLD-YUAN": "gold yuan certificate (金圓券), 1948–1949",
    "X-MEX-DOLLAR": "Mexican silver dollar (鷹洋)",
    "X-STRAITS": "Straits Settlements and Malayan dollar (叻幣)",
}
"""Every currency code `parse_amount` returns, with what it stands for."""

_CURRENCY_NAMES: dict[str, str] = {
    **dict.fromkeys(["港銀", "港银", "港幣", "港币", "港紙", "港纸", "港洋", "港元"], "HKD"),
    **dict.fromkeys(["美金", "美鈔", "美钞", "美紙", "美纸", "美元"], "USD"),
    **dict.fromkeys(["英鎊", "英镑", "英金"], "GBP"),
    **dict.fromkeys(["加幣", "加币", "加元", "加拿大元"], "CAD"),
    **dict.fromkeys(["暹幣", "暹币", "暹羅幣", "泰幣"], "THB"),
    **dict.fromkeys(["菲幣", "菲币"], "PHP"),
    **dict.fromkeys(["人民幣", "人民币"], "CNY"),
    **dict.fromkeys(
        ["大洋", "銀元", "銀圓", "银元", "银圆", "光洋", "龍洋", "龙洋"], "X-CN-SILVER"
    ),
    "袁大頭": "X-CN-SILVER",
    **dict.fromkeys(["毫洋", "雙毫", "双毫", "小洋", "毫銀", "毫银"], "X-CN-HAOYANG"),
    **dict.fromkeys(["國幣", "国币", "法幣", "法币"], "X-FABI"),
    **dict.fromkeys(["金圓券", "金圆券"], "X-GOLD-YUAN"),
    **dict.fromkeys(["鷹洋", "鹰洋", "墨銀", "墨银"], "X-MEX-DOLLAR"),
    **dict.fromkeys(["叻幣", "叻币", "叻銀", "叻银", "叻洋", "坡幣", "坡币"], "X-STRAITS"),
}
# Written after the number, naming currency and unit at once: 五十港元, 二十美元, 五英鎊.
_CURRENCY_UNITS: dict[str, str] = {
    **dict.fromkeys(["港元", "港幣", "港币"], "HKD"),
    **dict.fromkeys(["美元", "美金"], "USD"),
    **dict.fromkeys(["英鎊", "英镑"], "GBP"),
    "加元": "CAD",
}
_MAIN_UNITS: dict[str, Decimal] = {u: Decimal(1) for u in ("元", "圓", "圆", "鎊", "镑")}
_SUB_UNITS: dict[str, Decimal] = {
    **{u: Decimal("0.1") for u in ("角", "毫")},
    **{u: Decimal("0.01") for u in ("仙", "分")},
}
# Units that only read as money after a currency name: alone, 十分 is "very".
_CURRENCY_ONLY_UNITS = frozenset({"角", "仙", "分"})
_SYMBOLS: dict[str, str | None] = {
    "hk$": "HKD",
    "h.k.$": "HKD",
    "us$": "USD",
    "u.s.$": "USD",
    "mex$": "X-MEX-DOLLAR",
    "straits$": "X-STRAITS",
    "£": "GBP",
    "$": None,
}

_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{NUMERAL_CHARS}]+)"
_NAME = "|".join(sorted(_CURRENCY_NAMES, key=len, reverse=True))
_CUR_UNIT = "|".join(sorted(_CURRENCY_UNITS, key=len, reverse=True))
_UNIT = "|".join([*_MAIN_UNITS, *_SUB_UNITS])
_SUB = "|".join(_SUB_UNITS)
_CHINESE = (
    rf"(?P<name>{_NAME})?\s*(?P<num>{_NUM})\s*"
    rf"(?:(?P<cur_unit>{_CUR_UNIT})|(?P<unit>{_UNIT})"
    rf"(?P<subs>(?:\s*[{NUMERAL_CHARS}0-9]+\s*(?:{_SUB}))*))?\s*(?P<exact>正|整)?"
)
_LATIN = (
    r"(?P<symbol>HK\$|H\.K\.\$|US\$|U\.S\.\$|Mex\$|Straits\s*\$|\$|£)\s*"
    r"(?P<lnum>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)"
    r"(?:\s+(?P<gold>gold))?"
)
_WHOLE = re.compile(rf"{_LATIN}|{_CHINESE}", re.IGNORECASE)
_FIND = re.compile(rf"(?<![A-Za-z0-9$]){_LATIN}(?![0-9])|{_CHINESE}", re.IGNORECASE)
_SUB_PART = re.compile(rf"([{NUMERAL_CHARS}0-9]+)\s*({_SUB})")


class AmountParseError(ValueError):
    """Text that is not a readable amount of money; the message says what to fix."""


@dataclass(frozen=True)
class ParsedAmount:
    """An amount as written, in the currency's main unit (dollar, yuan, pound)."""

    text: str
    amount: Decimal
    currency: str | None
    """A key of `CURRENCIES`, or None when the text names no currency."""
    currency_written: str | None
    unit: str
    """The first unit as written: 元, 圓, 毫, 鎊, or the symbol ($, HK$, £)."""
    notes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class AmountMatch:
    """One amount found in free text: its character span, and the reading or why it failed."""

    span: tuple[int, int]
    text: str
    parsed: ParsedAmount | None
    error: str | None


def parse_amount(text: str) -> ParsedAmount:
    """Read one amount of money as written into a Decimal and a currency code.

    Raises `AmountParseError` for text that is not one amount (no unit, no number,
    garbled numerals, trailing words, too long).
    """
    if len(text) > MAX_AMOUNT_LENGTH:
        raise AmountParseError(
            f"text too long for one amount ({len(text)} characters, at most"
            f" {MAX_AMOUNT_LENGTH}); use extract_amounts to find amounts in running text"
        )
    cleaned = unicodedata.normalize("NFKC", text).strip().rstrip("。，,;；").strip()
    if not cleaned:
        raise AmountParseError("empty amount: write e.g. 港銀五十元, 國幣壹佰圓 or HK$50")
    match = _WHOLE.fullmatch(cleaned)
    if match is None:
        raise AmountParseError(
            f"{text!r} is not a recognised amount; write a currency, a number and a unit,"
            " e.g. 港銀五十元, 美金二十元, 五毫, HK$50 or $20 gold"
        )
    return _read(match.groupdict(), text)


def extract_amounts(text: str) -> list[AmountMatch]:
    """Find every amount of money in free text (OCR of a letter) with character offsets.

    A currency name followed by a number with no unit (港銀五十) is kept with `error`
    set, so a curator can check it. Bare numbers are not amounts and are skipped.
    """
    found: list[AmountMatch] = []
    for match in _FIND.finditer(text):
        groups = match.groupdict()
        if groups["symbol"] is None and not (
            groups["name"] or groups["cur_unit"] or groups["unit"]
        ):
            continue
        if groups["name"] is None and groups["unit"] in _CURRENCY_ONLY_UNITS:
            continue
        try:
            parsed = _read(groups, match.group(0))
        except AmountParseError as error:
            found.append(AmountMatch(match.span(), match.group(0), None, str(error)))
        else:
            found.append(AmountMatch(match.span(), match.group(0), parsed, None))
    return found


def _number(written: str) -> Decimal:
    """A Chinese or ASCII number as a Decimal, its faults turned into amount errors."""
    try:
        if re.fullmatch(r"[\d,]+(?:\.\d+)?", written):
            return Decimal(written.replace(",", ""))
        return Decimal(parse_chinese_number(written))
    except (NumeralError, InvalidOperation) as error:
        raise AmountParseError(f"unreadable number {written!r}: {error}") from error


def _read(groups: dict[str, str | None], written: str) -> ParsedAmount:
    if groups["symbol"] is not None:
        return _read_latin(groups, written)
    notes: list[str] = []
    problems: list[str] = []
    name, unit, cur_unit = groups["name"], groups["unit"], groups["cur_unit"]
    number = groups["num"] or ""
    if unit is None and cur_unit is None:
        raise AmountParseError(
            f"{written!r} has no unit: write 元/圓 (dollars), 毫 or 仙 after the number,"
            f" e.g. {name or ''}{number}元"
        )
    if name is None and unit in _CURRENCY_ONLY_UNITS:
        raise AmountParseError(
            f"{written!r}: {unit} alone is not read as money;"
            f" name the currency, e.g. 港銀{number}{unit}"
        )
    currency = _CURRENCY_NAMES[name] if name else None
    if cur_unit is not None:
        implied = _CURRENCY_UNITS[cur_unit]
        if currency is not None and currency != implied:
            raise AmountParseError(f"{written!r} names two currencies: {name} and {cur_unit}")
        currency, unit_written, amount = implied, cur_unit, _number(number)
    else:
        assert unit is not None
        unit_written = unit
        if unit in ("鎊", "镑"):
            if currency not in (None, "GBP"):
                raise AmountParseError(f"{written!r}: 鎊 is a pound, but {name} is not sterling")
            currency = "GBP"
        scale = _MAIN_UNITS.get(unit) or _SUB_UNITS[unit]
        amount = _number(number) * scale
        amount += _sub_units(groups["subs"] or "", scale, written)
    if currency is None:
        problems.append("no currency named: give it (港銀, 美金, 國幣 ...) to normalise")
    if groups["exact"]:
        notes.append(f"{groups['exact']}: written as an exact sum")
    return ParsedAmount(
        text=written,
        amount=amount,
        currency=currency,
        currency_written=name or cur_unit,
        unit=unit_written,
        notes=tuple(notes),
        problems=tuple(problems),
    )


def _sub_units(subs: str, previous_scale: Decimal, written: str) -> Decimal:
    """Add up 五毫, 二角五分 after a larger unit; each must be smaller than the one before."""
    total = Decimal(0)
    for digits, unit in _SUB_PART.findall(subs):
        scale = _SUB_UNITS[unit]
        if scale >= previous_scale:
            raise AmountParseError(f"{written!r}: {unit} after a unit no larger than it")
        value = _number(digits)
        if value >= previous_scale / scale:
            raise AmountParseError(
                f"{written!r}: {digits}{unit} is more than one of the unit before it"
            )
        total += value * scale
        previous_scale = scale
    return total


def _read_latin(groups: dict[str, str | None], written: str) -> ParsedAmount:
    symbol = groups["symbol"] or ""
    key = re.sub(r"\s+", "", symbol).lower()
    currency = _SYMBOLS[key]
    notes: list[str] = []
    problems: list[str] = []
    if groups["gold"]:
        if currency not in (None, "USD"):
            raise AmountParseError(f"{written!r}: 'gold' dollars are US dollars, not {symbol}")
        currency = "USD"
        notes.append("gold: US dollars (on the gold standard until 1933)")
    elif currency is None and key == "$":
        problems.append(
            "'$' alone does not say which dollar (Hong Kong, US, Straits, Mexican):"
            " write HK$, US$ or '$20 gold'"
        )
    return ParsedAmount(
        text=written,
        amount=_number(groups["lnum"] or ""),
        currency=currency,
        currency_written=symbol,
        unit=symbol,
        notes=tuple(notes),
        problems=tuple(problems),
    )
