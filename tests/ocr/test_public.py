"""The public surface of ``ocr`` is what the archive and the CLI are meant to use."""

from __future__ import annotations

from pathlib import Path

import ocr


def test_public_surface() -> None:
    assert set(ocr.__all__) == {
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
    }
    assert all(hasattr(ocr, name) for name in ocr.__all__)
    assert ocr.DEFAULT_ENGINE in ocr.engines()


def test_ocr_never_imports_archive() -> None:
    sources = Path(ocr.__file__).parent.rglob("*.py")
    offenders = [
        p.name
        for p in sources
        if "import archive" in p.read_text() or "from archive" in p.read_text()
    ]
    assert offenders == []
