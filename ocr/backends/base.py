"""The interface every OCR engine implements."""

from __future__ import annotations

from typing import Protocol

from PIL import Image

from ocr.model import Line


class OcrEngine(Protocol):
    """An OCR engine: reads lines (with character boxes) from a preprocessed page image.

    ``read`` returns lines in any order, in the pixels of the image it was given; reading
    order, regions and mapping back to the scan are done once, for every engine, by
    ``ocr.layout`` and ``ocr.recognize``.
    """

    name: str
    preprocessing: tuple[str, ...]  # default steps, chosen by scripts/bench_ocr.py

    def version(self) -> str:
        """The engine library's version, recorded in every result."""
        ...

    def model(self) -> str:
        """The model(s) used, recorded in every result."""
        ...

    def read(self, image: Image.Image) -> list[Line]:
        """Recognise the lines of ``image`` (8-bit "L" or "RGB")."""
        ...
