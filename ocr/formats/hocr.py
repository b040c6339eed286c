"""hOCR export: ``ocr_carea`` → ``ocr_line`` → ``ocrx_word`` → ``ocrx_cinfo`` per character."""

from __future__ import annotations

from lxml import etree

from ocr.model import Box, Direction, PageResult

_XHTML = "http://www.w3.org/1999/xhtml"
_H = f"{{{_XHTML}}}"


def _corners(box: Box) -> str:
    return f"{box.x} {box.y} {box.right} {box.bottom}"


def _bbox(box: Box) -> str:
    return f"bbox {_corners(box)}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{_H}{tag}", attrs)
    element.text = text
    return element


def to_hocr(page: PageResult) -> bytes:
    """The result as hOCR 1.2 (XHTML bytes); vertical regions get CSS ``vertical-rl``."""
    html = etree.Element(f"{_H}html", nsmap={None: _XHTML})
    html.set("lang", "zh-Hant")
    head = _sub(html, "head")
    _sub(head, "title", page.image_name or "OCR")
    _sub(head, "meta", charset="utf-8")
    prov = page.provenance
    _sub(
        head,
        "meta",
        name="ocr-system",
        content=f"qiaopi-archive ocr; {prov.engine_version}; {prov.model}",
    )
    _sub(
        head,
        "meta",
        name="ocr-capabilities",
        content="ocr_page ocr_carea ocr_line ocrx_word ocrx_cinfo",
    )
    body = _sub(html, "body")
    page_box = _bbox(Box(0, 0, page.width, page.height))
    page_div = _sub(
        body,
        "div",
        **{
            "class": "ocr_page",
            "id": "page_1",
            "title": f'image "{page.image_name}"; {page_box}; ppageno 0',
        },
    )
    for i, region in enumerate(page.regions):
        area_attrs = {"class": "ocr_carea", "id": f"block_{i}", "title": _bbox(region.box)}
        if region.direction is Direction.VERTICAL:
            area_attrs["style"] = "writing-mode: vertical-rl"
        area = _sub(page_div, "div", **area_attrs)
        for j, line in enumerate(region.lines):
            confidence = round(line.confidence * 100)
            line_el = _sub(
                area,
                "span",
                **{
                    "class": "ocr_line",
                    "id": f"line_{i}_{j}",
                    "lang": line.language,
                    "title": f"{_bbox(line.box)}; x_wconf {confidence}",
                },
            )
            word = _sub(
                line_el,
                "span",
                None if line.chars else line.text,
                **{
                    "class": "ocrx_word",
                    "id": f"word_{i}_{j}",
                    "title": f"{_bbox(line.box)}; x_wconf {confidence}",
                },
            )
            for char in line.chars:
                title = f"x_bboxes {_corners(char.box)}; x_conf {char.confidence * 100:.1f}"
                _sub(word, "span", char.text, **{"class": "ocrx_cinfo", "title": title})
    return bytes(
        etree.tostring(html, doctype="<!DOCTYPE html>", encoding="UTF-8", pretty_print=True)
    )
