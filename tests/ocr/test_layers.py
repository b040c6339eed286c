"""Text layers: the diplomatic text is kept; variants unified; search key from a callable."""

from __future__ import annotations

from ocr import PageResult, normalise, text_layers


def test_three_layers(constructed_page: PageResult) -> None:
    layers = text_layers(constructed_page, search_key=lambda text: text.replace("嚴", "严"))
    assert "爲內啓禀" in layers.diplomatic
    assert "為內啟稟" in layers.normalised
    assert "家严大人" in layers.search_key and "為內啟稟" in layers.search_key
    assert constructed_page.text == layers.diplomatic


def test_normalise_unifies_variants_only() -> None:
    assert normalise("今寄銀信爲家用，内附") == "今寄銀信為家用，內附"
    assert normalise("民國廿一年") == "民國廿一年"


def test_search_key_defaults_to_normalised(constructed_page: PageResult) -> None:
    layers = text_layers(constructed_page)
    assert layers.search_key == layers.normalised
