"""Recognise text with geometry in scans of qiaopi: image in, lines and characters out.

The public surface (everything else is internal):

- ``recognize(image, engine=None, *, preprocessing=None, timeout=...) -> PageResult``
  raises ``OcrError`` with the reason; ``try_recognize`` returns a page marked failed instead.
- ``engines()`` lists engine names, ``DEFAULT_ENGINE`` is the benchmark's best,
  ``register(name, factory)`` adds one; ``OcrEngine`` is the interface.
- ``open_image(path_or_bytes)`` opens a scan safely (bombs, truncated files, odd modes).
- Writers: ``to_page_xml`` (the stored canonical form), ``to_alto``, ``to_hocr``, ``to_text``;
  ``page_from_page_xml`` loads the canonical form back; ``iiif_lines`` gives line text + box.
- ``text_layers(page, search_key)`` gives the diplomatic, normalised and search-key texts.
- ``stop_engines()`` stops the engine worker processes (also done at exit).
"""

from ocr.errors import OcrError
from ocr.formats.alto import to_alto
from ocr.formats.hocr import to_hocr
from ocr.formats.page_xml import page_from_page_xml, to_page_xml
from ocr.formats.text import IiifLine, iiif_lines, to_text
from ocr.images import open_image
from ocr.layers import TextLayers, normalise, text_layers
from ocr.model import Box, Char, Direction, Line, PageResult, Provenance, Region, Status, Step
from ocr.recognize import recognize, try_recognize
from ocr.registry import DEFAULT_ENGINE, OcrEngine, engines, register
from ocr.runner import stop_engines

__all__ = [
    "DEFAULT_ENGINE",
    "Box",
    "Char",
    "Direction",
    "IiifLine",
    "Line",
    "OcrEngine",
    "OcrError",
    "PageResult",
    "Provenance",
    "Region",
    "Status",
    "Step",
    "TextLayers",
    "engines",
    "iiif_lines",
    "normalise",
    "open_image",
    "page_from_page_xml",
    "recognize",
    "register",
    "stop_engines",
    "text_layers",
    "to_alto",
    "to_hocr",
    "to_page_xml",
    "to_text",
    "try_recognize",
]
