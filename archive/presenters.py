"""Public views of catalogue records for IIIF: manifests and collections are built from these
presenters, never from the stored models, and only for what the public may see."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

import ocr
from archive.catalogue.models import Collection, Item, Page, TranscriptionKind
from archive.catalogue.transcriptions import latest
from iiif import (
    CollectionMember,
    CollectionView,
    ItemView,
    Link,
    MetadataEntry,
    PageView,
    TextLine,
    search_services,
)

RIGHT_TO_LEFT_TYPES = {"qiaopi", "letter", "reply"}


def item_base(base: str, identifier: str) -> str:
    """The IIIF base of an item: its manifest is `…/manifest`."""
    return f"{base}/iiif/items/{identifier}"


def _labels(hant: str, hans: str, en: str, fallback: str) -> dict[str, list[str]]:
    found = {
        lang: [text] for lang, text in (("zh-Hant", hant), ("zh-Hans", hans), ("en", en)) if text
    }
    return found or {"none": [fallback]}


def _entry(label_en: str, label_zh: str, value: str) -> MetadataEntry:
    return MetadataEntry({"en": [label_en], "zh-Hant": [label_zh]}, {"none": [value]})


def page_lines(session: Session, page: Page) -> list[TextLine]:
    """The OCR lines with their boxes, from the newest machine transcription."""
    machine = latest(session, page, TranscriptionKind.machine)
    if machine is None or not machine.page_xml:
        return []
    result = ocr.page_from_page_xml(machine.page_xml.encode("utf-8"))
    return [
        TextLine(
            line.text, line.x, line.y, line.w, line.h, "en" if line.language == "en" else "zh-Hant"
        )
        for line in ocr.iiif_lines(result)
        if line.text.strip() and line.w > 0 and line.h > 0
    ]


def item_view(session: Session, item: Item, base: str) -> ItemView:
    """What the manifest of a published item shows."""
    item_url = item_base(base, item.identifier)
    pages = []
    for page in item.pages:
        has_text = latest(session, page, TranscriptionKind.machine) is not None
        text_url = f"{base}/api/pages/{page.public_id}/text"
        see_also = (
            [
                Link(
                    f"{text_url}?format=alto",
                    "application/xml",
                    {"en": ["ALTO XML"]},
                    profile="http://www.loc.gov/standards/alto/v4/alto.xsd",
                ),
                Link(
                    f"{text_url}?format=hocr",
                    "text/vnd.hocr+html",
                    {"en": ["hOCR"]},
                    profile="http://kba.cloud/hocr-spec/1.2/",
                ),
            ]
            if has_text
            else []
        )
        pages.append(
            PageView(
                image_service=f"{base}/iiif/3/{page.public_id}",
                width=page.width,
                height=page.height,
                label=_labels("", "", page.label, page.public_id),
                lines=page_lines(session, page),
                see_also=see_also,
            )
        )
    metadata = [
        _entry(label_en, label_zh, value)
        for label_en, label_zh, value in (
            ("Date", "日期", item.date_text),
            ("Sender", "寄信人", item.sender),
            ("Recipient", "收信人", item.recipient),
            ("Sent from", "寄出地", item.sending_place),
            ("Sent to", "收信地", item.receiving_place),
            ("Remittance", "匯款", item.amount_text),
            ("Remittance house", "批局", item.remittance_house),
            ("Accession number", "登錄號", item.accession_number),
        )
        if value
    ]
    summary = _labels(item.description_zh_hant, item.description_zh_hans, item.description_en, "")
    return ItemView(
        base_url=item_url,
        label=_labels(item.title_zh_hant, item.title_zh_hans, item.title_en, item.identifier),
        pages=pages,
        summary=None if "none" in summary else summary,
        metadata=metadata,
        nav_date=item.date_start,
        rights=item.rights if item.rights.startswith(("http://", "https://")) else None,
        required_statement=_entry("Rights", "版權", item.rights)
        if item.rights and not item.rights.startswith("http")
        else None,
        right_to_left=item.type.value in RIGHT_TO_LEFT_TYPES,
        rendering=[
            Link(
                f"{base}/api/items/{item.identifier}/text",
                "text/plain",
                {"en": ["Transcription (text)"]},
                kind="Text",
            )
        ],
        search=search_services(item_url),
    )


def collection_view(collection: Collection, items: Sequence[Item], base: str) -> CollectionView:
    """A IIIF collection of the published items of a catalogue collection."""
    return CollectionView(
        id=f"{base}/iiif/collections/{collection.slug}",
        label={"none": [collection.title]},
        members=[
            CollectionMember(
                id=f"{item_base(base, item.identifier)}/manifest",
                label=_labels(
                    item.title_zh_hant, item.title_zh_hans, item.title_en, item.identifier
                ),
            )
            for item in items
        ],
        summary={"none": [collection.description]} if collection.description else None,
    )


def top_collection(collections: Sequence[Collection], base: str) -> CollectionView:
    """The archive's top IIIF collection, listing every public collection."""
    return CollectionView(
        id=f"{base}/iiif/collection",
        label={"en": ["Qiaopi Archive"], "zh-Hant": ["僑批檔案庫"], "zh-Hans": ["侨批档案库"]},
        members=[
            CollectionMember(
                id=f"{base}/iiif/collections/{c.slug}", label={"none": [c.title]}, kind="Collection"
            )
            for c in collections
        ],
    )
