"""Public views of catalogue records for IIIF: manifests and collections are built from these
presenters, never from the stored models, and only for what the public may see."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

import ocr
from archive.catalogue.models import Collection, Exhibit, Item, Page, Place, TranscriptionKind
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
LANGUAGES = ("zh-Hant", "zh-Hans", "en")


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


def _manifest_members(items: Sequence[Item], base: str) -> list[CollectionMember]:
    return [
        CollectionMember(
            id=f"{item_base(base, item.identifier)}/manifest",
            label=_labels(item.title_zh_hant, item.title_zh_hans, item.title_en, item.identifier),
        )
        for item in items
    ]


def _language_map(texts: Mapping[str, str], fallback: str) -> dict[str, list[str]]:
    """A stored `{language: text}` map (exhibits) as a IIIF language map."""
    hant, hans, en = (str(texts.get(lang) or "") for lang in LANGUAGES)
    return _labels(hant, hans, en, fallback)


def collection_view(collection: Collection, items: Sequence[Item], base: str) -> CollectionView:
    """A IIIF collection of the published items of a catalogue collection."""
    return CollectionView(
        id=f"{base}/iiif/collections/{collection.slug}",
        label={"none": [collection.title]},
        members=_manifest_members(items, base),
        summary={"none": [collection.description]} if collection.description else None,
    )


def exhibit_collection_id(base: str, exhibit: Exhibit) -> str:
    """The URL of an exhibit's IIIF collection."""
    return f"{base}/iiif/exhibits/{exhibit.slug}"


def exhibit_view(exhibit: Exhibit, items: Sequence[Item], base: str) -> CollectionView:
    """A IIIF collection of the items an exhibit shows, in the order its sections show them."""
    summary = _language_map(exhibit.summary, "")
    return CollectionView(
        id=exhibit_collection_id(base, exhibit),
        label=_language_map(exhibit.title, exhibit.slug),
        members=_manifest_members(items, base),
        summary=None if "none" in summary else summary,
    )


def site_collection_id(base: str, place: Place) -> str:
    """The URL of a heritage site's IIIF collection (places have no slug: their id is stable)."""
    return f"{base}/iiif/sites/{place.id}"


def place_label(place: Place) -> dict[str, list[str]]:
    """A place's name per language: the variants seeded from the gazetteer carry their
    language as `source` (zh-Hant, zh-Hans, en); otherwise the name as written."""
    by_language: dict[str, str] = {}
    for variant in place.variants:
        if variant.get("source") in LANGUAGES:
            by_language.setdefault(variant["source"], variant["name"])
    return _language_map(by_language, place.name)


def site_view(place: Place, items: Sequence[Item], base: str) -> CollectionView:
    """A IIIF collection of the items sent from or to a place or any place beneath it."""
    return CollectionView(
        id=site_collection_id(base, place),
        label=place_label(place),
        members=_manifest_members(items, base),
    )


@dataclass(frozen=True)
class TopListing:
    """What the top collection lists, each kind in its own order."""

    collections: Sequence[Collection]
    exhibits: Sequence[Exhibit]
    sites: Sequence[Place]


def top_collection(listing: TopListing, base: str) -> CollectionView:
    """The archive's top IIIF collection: public collections, then published exhibits, then
    heritage sites with published items."""
    members = [
        *(
            CollectionMember(f"{base}/iiif/collections/{c.slug}", {"none": [c.title]}, "Collection")
            for c in listing.collections
        ),
        *(
            CollectionMember(
                exhibit_collection_id(base, e), _language_map(e.title, e.slug), "Collection"
            )
            for e in listing.exhibits
        ),
        *(
            CollectionMember(site_collection_id(base, p), place_label(p), "Collection")
            for p in listing.sites
        ),
    ]
    return CollectionView(
        id=f"{base}/iiif/collection",
        label={"en": ["Qiaopi Archive"], "zh-Hant": ["僑批檔案庫"], "zh-Hans": ["侨批档案库"]},
        members=members,
    )
