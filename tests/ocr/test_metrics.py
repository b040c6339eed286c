"""Character error rate."""

from __future__ import annotations

from ocr.layers import normalise
from ocr.metrics import cer, edit_distance


def test_edit_distance() -> None:
    assert edit_distance("家用請查收", "家用請查收") == 0
    assert edit_distance("家用請查收", "家用查收也") == 2
    assert edit_distance("", "abc") == 3


def test_cer_ignores_layout_whitespace_and_can_fold_variants() -> None:
    assert cer("家用\n請查收", "家用請 查收") == (0, 5)
    assert cer("今寄銀信為", "今寄銀信爲") == (1, 5)
    assert cer("今寄銀信為", "今寄銀信爲", fold=normalise) == (0, 5)
