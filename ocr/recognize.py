"""Recognition of one page: checks, preprocessing, the engine (isolated), layout."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as dist_version

from PIL import Image

from ocr import registry
from ocr.backends.tesseract import read_english_line
from ocr.errors import OcrError
from ocr.images import MAX_PIXELS, check_size
from ocr.layout import build_regions, is_latin
from ocr.model import Char, Direction, Line, PageResult, Provenance, Status
from ocr.preprocess import Prepared, preprocess
from ocr.runner import read_lines

DEFAULT_TIMEOUT = 300.0  # seconds per page, model loading included


def _library_version() -> str:
    try:
        return dist_version("qiaopi-archive")
    except PackageNotFoundError:
        return "unknown"


def _english(line: Line, prepared: Prepared) -> tuple[Line, str]:
    """Re-read a Latin-script line with Tesseract's English model; keep it if that fails."""
    box = line.box
    pad = max(2, box.h // 4)
    crop = prepared.image.crop(
        (max(0, box.x - pad), max(0, box.y - pad), box.right + pad, box.bottom + pad)
    )
    try:
        text, confidence = read_english_line(crop)
    except OcrError as error:
        return Line(line.text, box, line.confidence, line.direction, line.chars, "en"), str(error)
    if not text:
        return Line(line.text, box, line.confidence, line.direction, line.chars, "en"), ""
    return Line(text, box, confidence, Direction.HORIZONTAL, (), "en"), ""


def _to_original(line: Line, prepared: Prepared) -> Line:
    chars = tuple(Char(c.text, prepared.box_to_original(c.box), c.confidence) for c in line.chars)
    return Line(
        line.text,
        prepared.box_to_original(line.box),
        line.confidence,
        line.direction,
        chars,
        line.language,
    )


def recognize(
    image: Image.Image,
    engine: str | None = None,
    *,
    preprocessing: tuple[str, ...] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    image_name: str = "",
    max_pixels: int = MAX_PIXELS,
) -> PageResult:
    """Recognise one page image; raise ``OcrError`` with the reason when that is impossible.

    ``engine`` is a name from ``engines()`` (default: the benchmark's best); ``preprocessing``
    overrides the engine's own step list (names from ``ocr.preprocess.STEPS``).
    """
    check_size(image, max_pixels, image_name or "image")
    ocr_engine = registry.create(engine)
    steps = ocr_engine.preprocessing if preprocessing is None else preprocessing
    prepared = preprocess(image, steps)
    raw, cpu_seconds = read_lines(ocr_engine.name, prepared.image, timeout)
    warnings: list[str] = []
    lines: list[Line] = []
    for line in raw:
        if line.direction is Direction.HORIZONTAL and line.language != "en" and is_latin(line.text):
            line, warning = _english(line, prepared)
            if warning:
                warnings.append(warning)
        lines.append(_to_original(line, prepared))
    provenance = Provenance(
        engine=ocr_engine.name,
        engine_version=ocr_engine.version(),
        model=ocr_engine.model(),
        preprocessing=prepared.steps,
        ocr_library_version=_library_version(),
    )
    return PageResult(
        width=image.width,
        height=image.height,
        regions=build_regions(lines),
        provenance=provenance,
        seals=prepared.seals,
        image_name=image_name,
        warnings=tuple(dict.fromkeys(warnings)),
        cpu_seconds=round(cpu_seconds, 3),
    )


def try_recognize(
    image: Image.Image,
    engine: str | None = None,
    *,
    preprocessing: tuple[str, ...] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    image_name: str = "",
) -> PageResult:
    """Like ``recognize``, but a failure gives a page marked failed with the reason.

    This is what a batch job wants: the page records why it failed and the job goes on.
    """
    try:
        return recognize(
            image, engine, preprocessing=preprocessing, timeout=timeout, image_name=image_name
        )
    except OcrError as error:
        return PageResult(
            width=image.width,
            height=image.height,
            regions=(),
            provenance=Provenance(
                engine=engine or registry.DEFAULT_ENGINE, engine_version="", model=""
            ),
            status=Status.FAILED,
            reason=str(error),
            image_name=image_name,
        )
