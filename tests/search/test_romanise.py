"""Romanised readings of Han names and the spellings a typed word stands for."""

from __future__ import annotations

import subprocess
import sys

import pytest

from search import IndexDocument
from search.romanise import (
    MAX_ALTERNATIVES,
    alternatives,
    is_romanised,
    name_reading,
    phrase_alternatives,
    tables,
)


@pytest.mark.parametrize(
    ("name", "person", "reading"),
    [
        ("黃亞華", True, "Wong A Wa; huang ya hua"),
        ("黄亚华", True, "Wong A Wa; huang ya hua"),
        ("廣興號", False, "Kwong Hing Ho; guang xing hao"),
        ("司徒美堂", True, "Si To Mei Tong; si tu mei tang"),
        ("曾國英", True, "Chang Kwok Ying; zeng guo ying"),
        ("區錫堂", True, "Au Sek Tong; ou xi tang"),
        ("呂明", True, "Lui Ming; lu ming"),
        ("Mr. Wong", True, ""),
        ("", False, ""),
    ],
)
def test_name_readings(name: str, person: bool, reading: str) -> None:
    assert name_reading(name, person=person) == reading


def test_a_surname_is_read_as_a_surname_only_in_personal_names() -> None:
    assert name_reading("單", person=True) == "Sin; shan"
    assert name_reading("單", person=False) == "Tan; dan"


def test_separate_runs_of_characters_are_never_one_phrase() -> None:
    assert name_reading("陳 / 李", person=False) == "Chan · Lei; chen · li"


@pytest.mark.parametrize(
    ("typed", "spelling"),
    [
        ("Chow", "chau"),
        ("Tse", "che"),
        ("TSANG", "chang"),
        ("Lee", "lei"),
        ("Cheong", "cheung"),
        ("Sze", "si"),
        ("gwong", "kwong"),
        ("gwong2", "kwong"),
        ("wong4", "wong"),
        ("huang2", "huang"),
        ("zoeng", "cheung"),
        ("Poon", "pun"),
        ("Lum", "lam"),
        ("Yee", "yu"),
        ("Louie", "lui"),
        ("Moy", "mui"),
        ("Szeto", "si to"),
        ("Auyeung", "au yeung"),
        ("Xitang", "xi tang"),
        ("guangxinglong", "guang xing long"),
    ],
)
def test_typed_spellings_stand_for_index_spellings(typed: str, spelling: str) -> None:
    assert spelling in alternatives(typed)


@pytest.mark.parametrize("typed", ["Wong", "Huang", "money", "Sydney", "台山", "1932", "x7"])
def test_words_without_other_spellings(typed: str) -> None:
    assert alternatives(typed) == ()


@pytest.mark.parametrize(
    ("word", "romanised"),
    [
        ("Wong", True),
        ("wong4", True),
        ("Huang", True),
        ("Szeto", True),
        ("Xitang", True),
        ("money", False),
        ("Sydney", False),
        ("黃", False),
    ],
)
def test_romanised_words_are_recognised(word: str, romanised: bool) -> None:
    assert is_romanised(word) is romanised


def test_phrases_are_respelled_syllable_by_syllable() -> None:
    assert phrase_alternatives(("Tse", "Yiu", "Chung")) == ("che yiu chung",)
    assert phrase_alternatives(("Wong", "Ah", "Wa")) == ("wong a wa",)


def test_long_phrases_expand_to_a_bounded_number_of_spellings() -> None:
    many = phrase_alternatives(("Chow", "Yee", "Lee", "Tse", "Sze", "Chun", "Moy"))
    assert 0 < len(many) <= MAX_ALTERNATIVES


def test_every_surname_reading_has_a_key_its_spellings_reach() -> None:
    data = tables()
    for surname in data.surnames.values():
        keys = " ".join(data.hk_key(syllable[:-1]) for syllable in surname.jyutping)
        for spelling in surname.spellings:
            assert spelling.lower() == keys or keys in alternatives(spelling), spelling


def test_unknown_jyutping_is_refused_with_its_name() -> None:
    with pytest.raises(ValueError, match="'xyz' is not a Jyutping syllable"):
        tables().hk_key("xyz")


@pytest.mark.slow
def test_pinyin_syllables_match_pypinyin() -> None:
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    readings = {to_normal(p) for value in pinyin_dict.values() for p in value.split(",")}
    plain = {r.replace("ü", "u").replace("v", "u") for r in readings}
    expected = {r for r in plain if r.isascii() and r.isalpha()} - {"m", "n", "ng", "hm", "hng"}
    assert tables().pinyin == expected


@pytest.mark.slow
def test_searching_never_loads_the_romanisation_libraries() -> None:
    stored = IndexDocument(id="x", sender="黃亞華").model_dump_json()
    script = (
        "import sys\n"
        "from search import IndexDocument\n"
        "from search.query import parse_query\n"
        "parse_query('Chan Kwok Ying Huang Xitang wong4')\n"
        f"assert IndexDocument.model_validate_json({stored!r}).text_parts()\n"
        "assert not {'ToJyutping', 'pypinyin'} & set(sys.modules), sys.modules.keys()\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
