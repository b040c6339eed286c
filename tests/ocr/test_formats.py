"""Writers: PAGE-XML and ALTO validate against their published schemas; PAGE round-trips."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from ocr import OcrError, iiif_lines, page_from_page_xml, to_alto, to_hocr, to_page_xml, to_text
from ocr.model import PageResult, Provenance, Status

PAGE_NS = "{http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15}"
ALTO_NS = "{http://www.loc.gov/standards/alto/ns-v4#}"


def test_page_xml_is_valid_and_records_direction_and_order(
    constructed_page: PageResult, validate: Callable[[str, bytes], None]
) -> None:
    data = to_page_xml(constructed_page)
    validate("page.xsd", data)
    root = etree.fromstring(data)
    regions = root.findall(f".//{PAGE_NS}TextRegion")
    assert regions[0].get("readingDirection") == "top-to-bottom"
    assert regions[0].get("textLineOrder") == "right-to-left"
    refs = [r.get("regionRef") for r in root.iter(f"{PAGE_NS}RegionRefIndexed")]
    assert refs == ["r0", "r1"]
    assert len(root.findall(f".//{PAGE_NS}Glyph")) == 8
    assert root.find(f".//{PAGE_NS}GraphicRegion").get("type") == "stamp"


def test_page_xml_round_trips(constructed_page: PageResult) -> None:
    assert page_from_page_xml(to_page_xml(constructed_page)) == constructed_page


def test_failed_page_round_trips_with_reason(validate: Callable[[str, bytes], None]) -> None:
    failed = PageResult(
        width=10,
        height=10,
        regions=(),
        provenance=Provenance("tesseract", "", ""),
        status=Status.FAILED,
        reason="engine 'tesseract' crashed",
        image_name="x.png",
    )
    data = to_page_xml(failed)
    validate("page.xsd", data)
    assert page_from_page_xml(data) == failed


def test_page_reader_refuses_other_xml() -> None:
    with pytest.raises(OcrError, match="not PAGE-XML"):
        page_from_page_xml(b"<alto/>")
    with pytest.raises(OcrError, match="well-formed"):
        page_from_page_xml(b"<PcGts")


def test_alto_is_valid_with_a_string_per_character(
    constructed_page: PageResult, validate: Callable[[str, bytes], None]
) -> None:
    data = to_alto(constructed_page)
    validate("alto-4-4.xsd", data)
    root = etree.fromstring(data)
    lines = root.findall(f".//{ALTO_NS}TextLine")
    assert [ln.get("BASEDIRECTION") for ln in lines] == ["ttb", "ttb", "ltr"]
    first = [s.get("CONTENT") for s in lines[0].findall(f"{ALTO_NS}String")]
    assert first == list("家嚴大人")
    english = [s.get("CONTENT") for s in lines[2].findall(f"{ALTO_NS}String")]
    assert english == ["Mr", "Wong,", "San", "Francisco"]
    assert root.find(f".//{ALTO_NS}Illustration").get("TYPE") == "stamp"


def test_hocr_has_character_boxes_and_vertical_mode(constructed_page: PageResult) -> None:
    root = etree.fromstring(to_hocr(constructed_page))
    spans = root.iter("{http://www.w3.org/1999/xhtml}span")
    cinfo = [s for s in spans if s.get("class") == "ocrx_cinfo"]
    assert [c.text for c in cinfo[:4]] == list("家嚴大人")
    assert cinfo[0].get("title").startswith("x_bboxes 480 100 516 136")
    areas = [
        d for d in root.iter("{http://www.w3.org/1999/xhtml}div") if d.get("class") == "ocr_carea"
    ]
    assert areas[0].get("style") == "writing-mode: vertical-rl"


def test_text_and_iiif_lines_follow_reading_order(constructed_page: PageResult) -> None:
    assert to_text(constructed_page) == "家嚴大人\n爲內啓禀\n\nMr Wong, San Francisco\n"
    lines = iiif_lines(constructed_page)
    first = lines[0]
    assert (first.text, first.x, first.y, first.w, first.h) == ("家嚴大人", 480, 100, 36, 160)
    assert lines[2].language == "en" and not lines[2].vertical


def test_page_confidence_is_the_mean_over_characters(constructed_page: PageResult) -> None:
    assert constructed_page.confidence == pytest.approx(0.9)
    assert PageResult(1, 1, (), Provenance("x", "", "")).confidence == 0.0
