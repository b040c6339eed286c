"""The gazetteer data file and lookups through it."""

from __future__ import annotations

import pytest

from search import default_gazetteer
from search.gazetteer import Gazetteer, Place, Variant
from search.normalise import key


@pytest.mark.parametrize(
    ("spelling", "place_id"),
    [
        ("台山", "taishan"),
        ("臺山", "taishan"),
        ("新寧", "taishan"),
        ("Toishan", "taishan"),
        ("HOISAN", "taishan"),
        ("taishan", "taishan"),
        ("開平", "kaiping"),
        ("Hoiping", "kaiping"),
        ("新會", "xinhui"),
        ("Sunwui", "xinhui"),
        ("Yanping", "enping"),
        ("Hokshan", "heshan"),
        ("金山", "san-francisco"),
        ("舊金山", "san-francisco"),
        ("san  francisco", "san-francisco"),
        ("雪梨", "sydney"),
        ("雲高華", "vancouver"),
        ("星洲", "singapore"),
        ("夏灣拿", "havana"),
        ("自力村", "zili"),
        ("馬降龍", "majianglong"),
        ("錦江里", "jinjiangli"),
        ("三門里", "sanmenli"),
    ],
)
def test_spellings_find_their_place(spelling: str, place_id: str) -> None:
    assert place_id in [place.id for place in default_gazetteer().lookup(spelling)]


def test_every_place_is_well_formed() -> None:
    gazetteer = default_gazetteer()
    for place in gazetteer.places.values():
        assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180, place.id
        assert {"zh-Hant", "zh-Hans", "en"} <= set(place.name), place.id
        assert place.parent is None or place.parent in gazetteer.places, place.id
        assert all(variant.source in gazetteer.sources for variant in place.variants)


def test_diaolou_villages_sit_under_kaiping() -> None:
    below = {place.id for place in default_gazetteer().descendants("kaiping")}
    assert {"zili", "majianglong", "jinjiangli", "sanmenli", "chikan"} <= below
    assert "taishan" not in below


def test_variants_and_unknown_names() -> None:
    gazetteer = default_gazetteer()
    assert {"台山", "Toishan", "新寧", "Hoisan"} <= set(gazetteer.variants("Taishan"))
    assert gazetteer.variants("Atlantis") == ()


def test_a_custom_gazetteer_folds_its_names() -> None:
    place = Place(
        id="x",
        kind="village",
        parent=None,
        lat=0,
        lon=0,
        name={"zh-Hant": "測試村"},
        variants=(Variant(name="Chak Si", source="s"),),
    )
    gazetteer = Gazetteer([place], {"s": "a source"})
    assert gazetteer.lookup("测试村") == [place]
    assert gazetteer.lookup("CHAKSI") == [place]
    assert key("Chak Si") == "chaksi"
