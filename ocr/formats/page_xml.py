"""PAGE-XML (2019-07-15): the stored canonical form of a recognition, and its reader.

PAGE carries what vertical Chinese needs: a reading direction per line
(``top-to-bottom``), a line order per region (``right-to-left``) and an explicit reading
order of regions; Transkribus and eScriptorium read it. Characters are ``Glyph`` elements
inside one ``Word`` per line (Chinese has no word boundaries). Provenance goes into
``MetadataItem`` elements, so ``page_from_page_xml`` restores everything ``to_page_xml``
wrote.
"""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from ocr.errors import OcrError
from ocr.model import Box, Char, Direction, Line, PageResult, Provenance, Region, Status, Step

NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_P = f"{{{NS}}}"
_LANGUAGE = {"en": ("English", "Latn - Latin")}
_DEFAULT_LANGUAGE = ("Chinese", "Hant - Han (Traditional variant)")
_FROM_LANGUAGE = {"English": "en", "Chinese": "zh-Hant"}
_READING = {Direction.VERTICAL: "top-to-bottom", Direction.HORIZONTAL: "left-to-right"}
_LINE_ORDER = {Direction.VERTICAL: "right-to-left", Direction.HORIZONTAL: "top-to-bottom"}


def _points(box: Box) -> str:
    return f"{box.x},{box.y} {box.right},{box.y} {box.right},{box.bottom} {box.x},{box.bottom}"


def _box(element: etree._Element) -> Box:
    coords = element.find(f"{_P}Coords")
    if coords is None:
        raise OcrError(f"PAGE-XML: <{etree.QName(element).localname}> has no Coords")
    pairs = [p.split(",") for p in coords.get("points", "").split()]
    return Box.from_points([(float(x), float(y)) for x, y in pairs])


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, f"{_P}{tag}", {k: v for k, v in attrs.items() if v != ""})


def _coords(parent: etree._Element, box: Box) -> None:
    _sub(parent, "Coords", points=_points(box))


def _text_equiv(parent: etree._Element, text: str, confidence: float | None) -> None:
    equiv = _sub(parent, "TextEquiv", conf="" if confidence is None else f"{confidence:.4f}")
    _sub(equiv, "Unicode").text = text


def _item(metadata: etree._Element, name: str, value: str, labels: dict[str, str]) -> None:
    item = _sub(metadata, "MetadataItem", type="processingStep", name=name, value=value)
    if labels:
        group = _sub(item, "Labels")
        for key, label in labels.items():
            etree.SubElement(group, f"{_P}Label", type=key, value=label)


def _metadata(root: etree._Element, page: PageResult) -> None:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    meta = _sub(root, "Metadata")
    prov = page.provenance
    _sub(meta, "Creator").text = f"qiaopi-archive ocr {prov.ocr_library_version}".strip()
    _sub(meta, "Created").text = now
    _sub(meta, "LastChange").text = now
    status = {
        "status": page.status.value,
        "reason": page.reason,
        "cpu_seconds": f"{page.cpu_seconds}",
    }
    engine = {"engine_version": prov.engine_version, "model": prov.model, **status}
    _item(meta, "ocr-engine", prov.engine, {k: v for k, v in engine.items() if v})
    for i, warning in enumerate(page.warnings):
        _item(meta, "warning", str(i), {"text": warning})
    for step in prov.preprocessing:
        _item(meta, f"preprocessing:{step.name}", step.version, dict(step.params))


def _line(parent: etree._Element, line: Line, line_id: str) -> None:
    language, script = _LANGUAGE.get(line.language, _DEFAULT_LANGUAGE)
    element = _sub(
        parent,
        "TextLine",
        id=line_id,
        primaryLanguage=language,
        primaryScript=script,
        readingDirection=_READING[line.direction],
    )
    _coords(element, line.box)
    if line.chars:
        word = _sub(element, "Word", id=f"{line_id}_w")
        _coords(word, Box.enclosing([c.box for c in line.chars]))
        for k, char in enumerate(line.chars):
            glyph = _sub(word, "Glyph", id=f"{line_id}_g{k}")
            _coords(glyph, char.box)
            _text_equiv(glyph, char.text, char.confidence)
        _text_equiv(word, "".join(c.text for c in line.chars), None)
    _text_equiv(element, line.text, line.confidence)


def to_page_xml(page: PageResult) -> bytes:
    """The result as PAGE-XML 2019 (UTF-8 bytes), with reading order and directions."""
    root = etree.Element(f"{_P}PcGts", nsmap={None: NS, "xsi": _XSI})
    root.set(f"{{{_XSI}}}schemaLocation", f"{NS} {NS}/pagecontent.xsd")
    _metadata(root, page)
    element = _sub(
        root,
        "Page",
        imageFilename=page.image_name or "image",
        imageWidth=str(page.width),
        imageHeight=str(page.height),
    )
    if page.regions:
        group = _sub(
            _sub(element, "ReadingOrder"), "OrderedGroup", id="ro", caption="reading order"
        )
        for i in range(len(page.regions)):
            _sub(group, "RegionRefIndexed", index=str(i), regionRef=f"r{i}")
    for i, region in enumerate(page.regions):
        region_el = _sub(
            element,
            "TextRegion",
            id=f"r{i}",
            type="paragraph",
            readingDirection=_READING[region.direction],
            textLineOrder=_LINE_ORDER[region.direction],
        )
        _coords(region_el, region.box)
        for j, line in enumerate(region.lines):
            _line(region_el, line, f"r{i}_l{j}")
        _text_equiv(region_el, region.text, None)
    for i, seal in enumerate(page.seals):
        _coords(_sub(element, "GraphicRegion", id=f"seal{i}", type="stamp"), seal)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _unicode(element: etree._Element) -> tuple[str, float]:
    equiv = element.find(f"{_P}TextEquiv")
    if equiv is None:
        return "", 0.0
    return equiv.findtext(f"{_P}Unicode") or "", float(equiv.get("conf", "0"))


def _read_line(element: etree._Element) -> Line:
    text, confidence = _unicode(element)
    direction = (
        Direction.VERTICAL
        if element.get("readingDirection") == "top-to-bottom"
        else Direction.HORIZONTAL
    )
    chars = []
    for glyph in element.iterfind(f"{_P}Word/{_P}Glyph"):
        char_text, char_confidence = _unicode(glyph)
        chars.append(Char(char_text, _box(glyph), char_confidence))
    language = _FROM_LANGUAGE.get(element.get("primaryLanguage", ""), "zh-Hant")
    return Line(text, _box(element), confidence, direction, tuple(chars), language)


def _labels(item: etree._Element) -> dict[str, str]:
    return {
        lab.get("type", ""): lab.get("value", "") for lab in item.iterfind(f"{_P}Labels/{_P}Label")
    }


def page_from_page_xml(data: bytes) -> PageResult:
    """Load a result written by ``to_page_xml`` (the stored canonical form) back."""
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise OcrError(f"not well-formed PAGE-XML: {error}") from error
    page = root.find(f"{_P}Page")
    if root.tag != f"{_P}PcGts" or page is None:
        raise OcrError(f"not PAGE-XML 2019 (root {root.tag!r}); expected PcGts in namespace {NS}")
    engine, labels, steps, warnings = "", {}, [], []
    for item in root.iterfind(f"{_P}Metadata/{_P}MetadataItem"):
        name = item.get("name", "")
        if name == "ocr-engine":
            engine, labels = item.get("value", ""), _labels(item)
        elif name == "warning":
            warnings.append(_labels(item).get("text", ""))
        elif name.startswith("preprocessing:"):
            params = tuple(_labels(item).items())
            steps.append(Step(name.removeprefix("preprocessing:"), item.get("value", ""), params))
    by_id = {r.get("id"): r for r in page.iterfind(f"{_P}TextRegion")}
    order = [
        ref.get("regionRef") for ref in page.iterfind(f"{_P}ReadingOrder//{_P}RegionRefIndexed")
    ]
    regions = tuple(
        Region(
            _box(by_id[rid]),
            Direction.VERTICAL
            if by_id[rid].get("textLineOrder") == "right-to-left"
            else Direction.HORIZONTAL,
            tuple(_read_line(line) for line in by_id[rid].iterfind(f"{_P}TextLine")),
        )
        for rid in (order or list(by_id))
        if rid in by_id
    )
    creator = root.findtext(f"{_P}Metadata/{_P}Creator") or ""
    provenance = Provenance(
        engine=engine,
        engine_version=labels.get("engine_version", ""),
        model=labels.get("model", ""),
        preprocessing=tuple(steps),
        ocr_library_version=creator.removeprefix("qiaopi-archive ocr").strip(),
    )
    return PageResult(
        width=int(page.get("imageWidth", "0")),
        height=int(page.get("imageHeight", "0")),
        regions=regions,
        provenance=provenance,
        status=Status(labels.get("status", "ok")),
        reason=labels.get("reason", ""),
        seals=tuple(
            _box(g) for g in page.iterfind(f"{_P}GraphicRegion") if g.get("type") == "stamp"
        ),
        image_name=page.get("imageFilename", ""),
        warnings=tuple(warnings),
        cpu_seconds=float(labels.get("cpu_seconds", "0")),
    )
