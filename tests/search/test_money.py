"""Amounts of money as written on qiaopi: currencies, units, and bad input refused."""

from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest

from search.money import CURRENCIES, AmountParseError, extract_amounts, parse_amount


@pytest.mark.parametrize(
    ("text", "amount", "currency", "unit"),
    [
        ("港銀五十元", "50", "HKD", "元"),
        ("港幣壹佰元正", "100", "HKD", "元"),
        ("港紙二百元", "200", "HKD", "元"),
        ("五十港元", "50", "HKD", "港元"),
        ("國幣壹佰圓", "100", "X-FABI", "圓"),
        ("法幣伍仟元", "5000", "X-FABI", "元"),
        ("大洋五十元", "50", "X-CN-SILVER", "元"),
        ("銀元廿元", "20", "X-CN-SILVER", "元"),
        ("光洋三十元", "30", "X-CN-SILVER", "元"),
        ("雙毫五十元", "50", "X-CN-HAOYANG", "元"),
        ("毫洋五元五毫", "5.5", "X-CN-HAOYANG", "元"),
        ("雙毫五毫", "0.5", "X-CN-HAOYANG", "毫"),
        ("美金二十元", "20", "USD", "元"),
        ("美金壹佰伍拾元", "150", "USD", "元"),
        ("二十美元", "20", "USD", "美元"),
        ("英鎊五鎊", "5", "GBP", "鎊"),
        ("五英鎊", "5", "GBP", "英鎊"),
        ("英金十鎊", "10", "GBP", "鎊"),
        ("叻幣三十元", "30", "X-STRAITS", "元"),
        ("坡幣一百元", "100", "X-STRAITS", "元"),
        ("鷹洋二十元", "20", "X-MEX-DOLLAR", "元"),
        ("金圓券十萬元", "100000", "X-GOLD-YUAN", "元"),
        ("人民幣五十元", "50", "CNY", "元"),
        ("加幣一百元", "100", "CAD", "元"),
        ("港銀二角", "0.2", "HKD", "角"),
        ("港銀三元二角五仙", "3.25", "HKD", "元"),
        ("港銀 1,000 元", "1000", "HKD", "元"),
        ("港銀12.50元", "12.50", "HKD", "元"),
        ("HK$50", "50", "HKD", "HK$"),
        ("HK$ 1,250.00", "1250.00", "HKD", "HK$"),
        ("US$20", "20", "USD", "US$"),
        ("$20 gold", "20", "USD", "$"),
        ("£5", "5", "GBP", "£"),
        ("Straits $30", "30", "X-STRAITS", "Straits $"),
        ("Mex$10", "10", "X-MEX-DOLLAR", "Mex$"),
    ],
)
def test_amounts(text: str, amount: str, currency: str, unit: str) -> None:
    parsed = parse_amount(text)
    assert (parsed.amount, parsed.currency, parsed.unit) == (Decimal(amount), currency, unit)
    assert parsed.problems == ()
    assert parsed.currency in CURRENCIES


def test_currency_as_written_is_kept() -> None:
    parsed = parse_amount("國幣壹佰圓正")
    assert parsed.currency_written == "國幣"
    assert parsed.text == "國幣壹佰圓正"
    assert any("正" in note for note in parsed.notes)


def test_gold_dollars_are_us_dollars_with_a_note() -> None:
    parsed = parse_amount("$20 gold")
    assert parsed.currency == "USD"
    assert any("gold" in note for note in parsed.notes)


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("五十元", "50", "元"),
        ("五毫", "0.5", "毫"),
        ("五十元五毫", "50.5", "元"),
        ("$20", "20", "$"),
    ],
)
def test_amount_without_currency_is_read_with_a_problem(text: str, amount: str, unit: str) -> None:
    parsed = parse_amount(text)
    assert (parsed.amount, parsed.currency, parsed.unit) == (Decimal(amount), None, unit)
    assert len(parsed.problems) == 1


def test_every_currency_code_is_documented() -> None:
    for code in CURRENCIES:
        assert code.isupper()
        assert len(code) == 3 or code.startswith("X-")


# ---- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("港銀五十", "has no unit"),
        ("美金二十", "has no unit"),
        ("五十", "has no unit"),
        ("十分", "分 alone is not read as money"),
        ("港銀五拾拾元", "unreadable number '五拾拾'"),
        ("國幣壹佰佰圓", "unreadable number"),
        ("大洋二三十元", "two digits side by side"),
        ("港銀X十元", "not a recognised amount"),
        ("港銀五元十五毫", "more than one of the unit before it"),
        ("港銀五元五仙五毫", "after a unit no larger than it"),
        ("港幣五十美元", "names two currencies"),
        ("港銀五鎊", "not sterling"),
        ("HK$20 gold", "'gold' dollars are US dollars"),
        ("港銀五十元 and more", "not a recognised amount"),
        ("", "empty amount"),
        ("元", "not a recognised amount"),
    ],
)
def test_bad_amounts_are_refused(text: str, message: str) -> None:
    with pytest.raises(AmountParseError, match=re.escape(message)):
        parse_amount(text)


def test_very_long_text_is_refused_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(AmountParseError, match="too long"):
        parse_amount("港銀五十元" * 100_000)
    assert time.perf_counter() - started < 0.5


# ---- extraction from running text -------------------------------------------------------

LETTER = (
    "母親大人尊前：今由金山莊寄上港銀伍拾元正，另美金二十元交三弟讀書之用。"
    "兒十分掛念家中。前信所寄 HK$50 及 $20 gold 想已收妥。又叻幣三十元。港銀五十"
)


def test_extract_amounts_finds_each_amount_with_offsets() -> None:
    found = extract_amounts(LETTER)
    assert [m.text for m in found] == [
        "港銀伍拾元正",
        "美金二十元",
        "HK$50",
        "$20 gold",
        "叻幣三十元",
        "港銀五十",
    ]
    for match in found:
        assert LETTER[match.span[0] : match.span[1]] == match.text
    readings = [(m.parsed.amount, m.parsed.currency) for m in found if m.parsed]
    assert readings == [
        (Decimal(50), "HKD"),
        (Decimal(20), "USD"),
        (Decimal(50), "HKD"),
        (Decimal(20), "USD"),
        (Decimal(30), "X-STRAITS"),
    ]
    assert found[-1].parsed is None
    assert found[-1].error is not None
    assert "no unit" in found[-1].error


def test_extract_amounts_skips_plain_numbers_and_dates() -> None:
    assert extract_amounts("民國廿一年三月初五日，共三十二封，兒十分平安，1932") == []


def test_extract_amounts_on_long_text_is_bounded() -> None:
    text = ("家中各人平安，勿念。" * 50 + "港銀五十元") * 200 + "一二三四五六七八九十" * 20_000
    started = time.perf_counter()
    found = extract_amounts(text)
    assert len(found) == 200
    assert time.perf_counter() - started < 5
