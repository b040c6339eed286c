"""Presentation API 3.0 manifests and collections, built with iiif-prezi3 from plain views.

The application fills the small dataclasses below from its public view of a record (only
what anonymous users may see) and gets JSON-ready dicts back. Ids of canvases and
annotations follow one scheme (`canvas_id`), which Content Search reuses for its hits.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, Literal

from iiif_prezi3 import (
    Annotation,
    AnnotationBody,
    AnnotationPage,
    Canvas,
    Collection,
    CollectionRef,
    KeyValueString,
    Manifest,
    ManifestRef,
    TextualBody,
)

LanguageMap = Mapping[str, Sequence[str]]
PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
THUMBNAIL_BOX = 400


class EmptyDocument(ValueError):
    """A manifest without pages or a collection without members: IIIF forbids empty `items`."""


@dataclass(frozen=True)
class Link:
    """A linked resource for `seeAlso` (ALTO, hOCR) or `rendering` (plain text)."""

    url: str
    media_type: str
    label: LanguageMap
    profile: str | None = None
    kind: str = "Dataset"


@dataclass(frozen=True)
class TextLine:
    """One recognised line of text on a page, with its box in page pixels."""

    text: str
    x: int
    y: int
    width: int
    height: int
    language: str = "zh-Hant"


@dataclass(frozen=True)
class PageView:
    """One page (scan) of an item: its image service, pixel size, label and OCR."""

    image_service: str
    width: int
    height: int
    label: LanguageMap
    lines: Sequence[TextLine] = ()
    see_also: Sequence[Link] = ()


@dataclass(frozen=True)
class MetadataEntry:
    """A label/value pair shown to readers, both as language maps."""

    label: LanguageMap
    value: LanguageMap


@dataclass(frozen=True)
class SearchServices:
    """Where an item's Content Search 1 and 2 services and their autocompletes live."""

    search1: str
    autocomplete1: str
    search2: str
    autocomplete2: str


@dataclass(frozen=True)
class ItemView:
    """The public view of one item from which its manifest is built.

    `base_url` is the item's IIIF base (the manifest is `base_url/manifest`);
    `right_to_left` is for vertical Chinese letters, read from the right.
    """

    base_url: str
    label: LanguageMap
    pages: Sequence[PageView]
    summary: LanguageMap | None = None
    metadata: Sequence[MetadataEntry] = ()
    nav_date: date | datetime | None = None
    rights: str | None = None
    required_statement: MetadataEntry | None = None
    right_to_left: bool = False
    see_also: Sequence[Link] = ()
    rendering: Sequence[Link] = ()
    search: SearchServices | None = None
    part_of: Sequence[str] = ()


@dataclass(frozen=True)
class CollectionMember:
    """A manifest or sub-collection listed in a collection."""

    id: str
    label: LanguageMap
    kind: Literal["Manifest", "Collection"] = "Manifest"
    thumbnail: str | None = None


@dataclass(frozen=True)
class CollectionView:
    """The public view of a collection, exhibit, heritage site or the top collection."""

    id: str
    label: LanguageMap
    members: Sequence[CollectionMember]
    summary: LanguageMap | None = None
    metadata: Sequence[MetadataEntry] = ()
    rights: str | None = None
    required_statement: MetadataEntry | None = None
    behavior: Sequence[str] = field(default_factory=tuple)


def manifest_id(base_url: str) -> str:
    """The manifest URL of the item whose IIIF base is `base_url`."""
    return f"{base_url}/manifest"


def canvas_id(base_url: str, index: int) -> str:
    """The canvas URL of page `index` (0-based) of an item."""
    return f"{base_url}/canvas/p{index + 1}"


def thumbnail_url(image_service: str, width: int, height: int) -> str:
    """A small image URL that is a listed size (so it is served pre-cut)."""
    factor = 1
    while math.ceil(width / factor) > THUMBNAIL_BOX or math.ceil(height / factor) > THUMBNAIL_BOX:
        factor *= 2
    w, h = math.ceil(width / factor), math.ceil(height / factor)
    size = "max" if factor == 1 else f"{w},{h}"
    return f"{image_service}/full/{size}/0/default.jpg"


def _lang(value: LanguageMap) -> dict[str, list[str]]:
    """A language map as the plain dict IIIF wants, refusing empty ones."""
    result = {lang: list(texts) for lang, texts in value.items() if texts}
    if not result:
        raise ValueError("a label or value needs text in at least one language")
    return result


def _pair(entry: MetadataEntry) -> KeyValueString:
    return KeyValueString(label=_lang(entry.label), value=_lang(entry.value))


def _links(links: Sequence[Link]) -> list[dict[str, Any]]:
    found = []
    for link in links:
        item: dict[str, Any] = {
            "id": link.url,
            "type": link.kind,
            "format": link.media_type,
            "label": _lang(link.label),
        }
        if link.profile:
            item["profile"] = link.profile
        found.append(item)
    return found


def _image_service(service_id: str) -> list[dict[str, str]]:
    return [{"id": service_id, "type": "ImageService3", "profile": "level2"}]


def _thumbnail(page: PageView) -> list[dict[str, Any]]:
    return [
        {
            "id": thumbnail_url(page.image_service, page.width, page.height),
            "type": "Image",
            "format": "image/jpeg",
            "service": _image_service(page.image_service),
        }
    ]


def _nav_date(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time(), tzinfo=UTC)


def _canvas(item: ItemView, index: int, page: PageView) -> Canvas:
    """A canvas with the page image painted on it and its OCR lines as supplementing text."""
    cid = canvas_id(item.base_url, index)
    canvas = Canvas(id=cid, label=_lang(page.label), width=page.width, height=page.height)
    body = AnnotationBody(
        id=f"{page.image_service}/full/max/0/default.jpg",
        type="Image",
        format="image/jpeg",
        width=page.width,
        height=page.height,
        service=_image_service(page.image_service),
    )
    painting = Annotation(
        id=f"{cid}/annotation/image", motivation="painting", body=body, target=cid
    )
    canvas.items = [AnnotationPage(id=f"{cid}/page/image", items=[painting])]
    canvas.thumbnail = _thumbnail(page)
    if page.lines:
        canvas.annotations = [ocr_annotation_page(item.base_url, index, page)]
    if page.see_also:
        canvas.seeAlso = _links(page.see_also)
    return canvas


def ocr_annotation_page(base_url: str, index: int, page: PageView) -> AnnotationPage:
    """The OCR lines of one page as `supplementing` annotations targeting `#xywh` boxes."""
    cid = canvas_id(base_url, index)
    items = [
        Annotation(
            id=f"{cid}/annotation/line/{n}",
            motivation="supplementing",
            body=TextualBody(value=line.text, format="text/plain", language=line.language),
            target=f"{cid}#xywh={line.x},{line.y},{line.width},{line.height}",
        )
        for n, line in enumerate(page.lines, start=1)
    ]
    return AnnotationPage(id=f"{cid}/page/ocr", items=items)


def _search_services(search: SearchServices) -> list[dict[str, Any]]:
    """Content Search 1 (Mirador, UV) and 2 (Clover) service descriptions."""
    return [
        {
            "@context": "http://iiif.io/api/search/1/context.json",
            "@id": search.search1,
            "@type": "SearchService1",
            "profile": "http://iiif.io/api/search/1/search",
            "service": [
                {
                    "@id": search.autocomplete1,
                    "@type": "AutoCompleteService1",
                    "profile": "http://iiif.io/api/search/1/autocomplete",
                }
            ],
        },
        {
            "@context": "http://iiif.io/api/search/2/context.json",
            "id": search.search2,
            "type": "SearchService2",
            "service": [{"id": search.autocomplete2, "type": "AutoCompleteService2"}],
        },
    ]


def build_manifest(item: ItemView) -> dict[str, Any]:
    """The Presentation 3 manifest of one item, as a JSON-ready dict.

    Raises `EmptyDocument` for an item without pages (IIIF forbids empty `items`).
    """
    if not item.pages:
        raise EmptyDocument(f"{item.base_url} has no pages; a manifest needs at least one")
    manifest = Manifest(id=manifest_id(item.base_url), label=_lang(item.label))
    if item.summary:
        manifest.summary = _lang(item.summary)
    if item.metadata:
        manifest.metadata = [_pair(entry) for entry in item.metadata]
    if item.required_statement:
        manifest.requiredStatement = _pair(item.required_statement)
    if item.rights:
        manifest.rights = item.rights
    if item.nav_date:
        manifest.navDate = _nav_date(item.nav_date)
    manifest.viewingDirection = "right-to-left" if item.right_to_left else "left-to-right"
    manifest.items = [_canvas(item, n, page) for n, page in enumerate(item.pages)]
    manifest.thumbnail = _thumbnail(item.pages[0])
    if item.see_also:
        manifest.seeAlso = _links(item.see_also)
    if item.rendering:
        manifest.rendering = _links(item.rendering)
    if item.search:
        manifest.service = _search_services(item.search)
    if item.part_of:
        manifest.partOf = [{"id": url, "type": "Collection"} for url in item.part_of]
    return _to_dict(manifest)


def build_collection(view: CollectionView) -> dict[str, Any]:
    """The Presentation 3 collection (collection, exhibit, site or top), as a JSON-ready dict.

    Raises `EmptyDocument` when nothing is listed: the caller should answer 404 rather
    than publish an empty collection.
    """
    if not view.members:
        raise EmptyDocument(f"{view.id} lists nothing; publish an item in it first")
    collection = Collection(id=view.id, label=_lang(view.label))
    if view.summary:
        collection.summary = _lang(view.summary)
    if view.metadata:
        collection.metadata = [_pair(entry) for entry in view.metadata]
    if view.required_statement:
        collection.requiredStatement = _pair(view.required_statement)
    if view.rights:
        collection.rights = view.rights
    if view.behavior:
        collection.behavior = list(view.behavior)
    collection.items = [_member(member) for member in view.members]
    return _to_dict(collection)


def _member(member: CollectionMember) -> ManifestRef | CollectionRef:
    reference = ManifestRef if member.kind == "Manifest" else CollectionRef
    found = reference(id=member.id, type=member.kind, label=_lang(member.label))
    if member.thumbnail:
        found.thumbnail = [{"id": member.thumbnail, "type": "Image", "format": "image/jpeg"}]
    return found


def _to_dict(resource: Manifest | Collection) -> dict[str, Any]:
    """Serialise through iiif-prezi3 (which validates and adds the context) to a dict."""
    document: dict[str, Any] = json.loads(resource.jsonld())
    return document
