"""Engines that crash, hang or fail: a clear OcrError, a failed page, and the next page works.

The fakes here are faults injected on purpose (the one place fakes are allowed).
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Iterator

import pytest
from PIL import Image

from ocr import OcrError, Status, engines, recognize, register, stop_engines, try_recognize
from ocr.model import Box, Direction, Line
from ocr.registry import unregister


class _Fake:
    preprocessing: tuple[str, ...] = ()

    def __init__(self, name: str) -> None:
        self.name = name

    def version(self) -> str:
        return "fake 0"

    def model(self) -> str:
        return "none"

    def read(self, image: Image.Image) -> list[Line]:
        if self.name == "fake-crash":
            os._exit(3)
        if self.name == "fake-hang":
            time.sleep(600)
        if self.name == "fake-broken":
            raise RuntimeError("model file missing")
        return [Line("一二三", Box(10, 10, 20, 60), 0.9, Direction.VERTICAL)]


NAMES = ["fake-crash", "fake-hang", "fake-broken", "fake-good"]


@pytest.fixture(autouse=True)
def fakes() -> Iterator[None]:
    for name in NAMES:
        register(name, functools.partial(_Fake, name))
    yield
    for name in NAMES:
        stop_engines(name)
        unregister(name)


PAGE = Image.new("L", (100, 100), 255)


def test_a_hanging_engine_times_out_and_the_next_page_works() -> None:
    started = time.monotonic()
    with pytest.raises(OcrError, match="'fake-hang' gave no answer within 1 s"):
        recognize(PAGE, "fake-hang", timeout=1)
    assert time.monotonic() - started < 10
    failed = try_recognize(PAGE, "fake-hang", timeout=1)
    assert failed.status is Status.FAILED and "no answer" in failed.reason
    assert recognize(PAGE, "fake-good").text == "一二三"


def test_a_crashing_engine_gives_a_failed_page_and_is_restarted() -> None:
    with pytest.raises(OcrError, match=r"'fake-crash' crashed \(exit code 3\)"):
        recognize(PAGE, "fake-crash", timeout=30)
    again = try_recognize(PAGE, "fake-crash", timeout=30)
    assert again.status is Status.FAILED and "crashed" in again.reason


def test_an_engine_error_is_reported_with_its_message() -> None:
    with pytest.raises(OcrError, match="'fake-broken' failed: RuntimeError: model file missing"):
        recognize(PAGE, "fake-broken", timeout=30)


def test_unknown_engine_names_the_known_ones() -> None:
    with pytest.raises(OcrError, match=r"unknown OCR engine 'nope'.*ppocrv5"):
        recognize(PAGE, "nope")
    assert {"ppocrv5", "rapidocr", "tesseract"} <= set(engines())
