"""ALTO 4 (4.4) export: one ``String`` per Chinese character, one per English word.

Search engines and IIIF Content Search index ALTO ``String`` elements as tokens; for Chinese
the useful token is the character, whose box then marks a hit on the image. Line direction
goes into ``BASEDIRECTION`` (``ttb`` for vertical columns).
"""

from __future__ import annotations

from lxml import etree

from ocr.model import Box, Char, Direction, Line, PageResult

NS = "http://www.loc.gov/standards/alto/ns-v4#"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_A = f"{{{NS}}}"


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, f"{_A}{tag}", attrs)


def _pos(box: Box) -> dict[str, str]:
    return {"HPOS": str(box.x), "VPOS": str(box.y), "WIDTH": str(box.w), "HEIGHT": str(box.h)}


def _tokens(line: Line) -> list[Char]:
    """Characters for Chinese; for English, words with boxes spread over the line by length."""
    if line.language != "en" and line.chars:
        return list(line.chars)
    words = line.text.split()
    total = sum(len(w) for w in words) or 1
    tokens: list[Char] = []
    offset = 0.0
    for word in words:
        share = len(word) / total
        if line.direction is Direction.VERTICAL:
            box = Box(
                line.box.x,
                line.box.y + round(offset * line.box.h),
                line.box.w,
                max(1, round(share * line.box.h)),
            )
        else:
            box = Box(
                line.box.x + round(offset * line.box.w),
                line.box.y,
                max(1, round(share * line.box.w)),
                line.box.h,
            )
        tokens.append(Char(word, box, line.confidence))
        offset += share
    return tokens


def to_alto(page: PageResult) -> bytes:
    """The result as ALTO 4.4 XML (UTF-8 bytes)."""
    root = etree.Element(f"{_A}alto", nsmap={None: NS, "xsi": _XSI})
    root.set(f"{{{_XSI}}}schemaLocation", f"{NS} http://www.loc.gov/alto/v4/alto-4-4.xsd")
    description = _sub(root, "Description")
    _sub(description, "MeasurementUnit").text = "pixel"
    source = _sub(description, "sourceImageInformation")
    _sub(source, "fileName").text = page.image_name or "image"
    processing = _sub(description, "Processing", ID="ocr")
    prov = page.provenance
    steps = "; ".join(
        f"{s.name} {s.version} " + ",".join(f"{k}={v}" for k, v in s.params)
        for s in prov.preprocessing
    )
    _sub(
        processing, "processingStepSettings"
    ).text = f"engine={prov.engine}; model={prov.model}; {steps}"
    software = _sub(processing, "processingSoftware")
    _sub(software, "softwareName").text = "qiaopi-archive ocr"
    _sub(software, "softwareVersion").text = f"{prov.ocr_library_version} ({prov.engine_version})"
    layout = _sub(root, "Layout")
    page_el = _sub(
        layout,
        "Page",
        ID="page",
        PHYSICAL_IMG_NR="1",
        WIDTH=str(page.width),
        HEIGHT=str(page.height),
    )
    space = _sub(page_el, "PrintSpace", **_pos(Box(0, 0, page.width, page.height)))
    for i, region in enumerate(page.regions):
        block = _sub(space, "TextBlock", ID=f"r{i}", **_pos(region.box))
        for j, line in enumerate(region.lines):
            line_el = _sub(
                block,
                "TextLine",
                ID=f"r{i}_l{j}",
                LANG=line.language,
                BASEDIRECTION="ttb" if line.direction is Direction.VERTICAL else "ltr",
                **_pos(line.box),
            )
            for k, token in enumerate(_tokens(line)):
                if k and line.language == "en":
                    _sub(line_el, "SP")
                _sub(
                    line_el,
                    "String",
                    ID=f"r{i}_l{j}_s{k}",
                    CONTENT=token.text,
                    WC=f"{token.confidence:.4f}",
                    **_pos(token.box),
                )
    for i, seal in enumerate(page.seals):
        _sub(space, "Illustration", ID=f"seal{i}", TYPE="stamp", **_pos(seal))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
