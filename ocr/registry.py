"""The engine registry: engines by name, the built-in ones registered like any other."""

from __future__ import annotations

from collections.abc import Callable

from ocr.backends.base import OcrEngine
from ocr.backends.ppocr import OnnxOcrEngine, RapidOcrEngine
from ocr.backends.tesseract import TesseractEngine
from ocr.errors import OcrError

# The best on scripts/bench_ocr.py (synthetic letters, 24 pages): ppocrv5 1.6% CER
# (0.6% with variants folded), rapidocr 8.7% (reads simplified forms in horizontal text),
# tesseract far behind. See the report of issue 3 for the full tables.
DEFAULT_ENGINE = "ppocrv5"

_FACTORIES: dict[str, Callable[[], OcrEngine]] = {}


def register(name: str, factory: Callable[[], OcrEngine]) -> None:
    """Make an engine available under ``name`` (replacing one of the same name)."""
    _FACTORIES[name] = factory


def unregister(name: str) -> None:
    """Remove the engine called ``name`` (used by tests that register fakes)."""
    _FACTORIES.pop(name, None)


def engines() -> list[str]:
    """The names of the registered engines."""
    return sorted(_FACTORIES)


def create(name: str | None) -> OcrEngine:
    """A new engine instance by name (``None`` means the default engine)."""
    key = name or DEFAULT_ENGINE
    try:
        factory = _FACTORIES[key]
    except KeyError:
        raise OcrError(f"unknown OCR engine {key!r}; choose one of {engines()}") from None
    return factory()


register("ppocrv5", OnnxOcrEngine)
register("rapidocr", RapidOcrEngine)
register("tesseract", TesseractEngine)

__all__ = ["DEFAULT_ENGINE", "OcrEngine", "create", "engines", "register", "unregister"]
