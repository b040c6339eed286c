"""What the API returns: public views of the catalogue, never the stored models themselves."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from archive.catalogue.fields import ItemFields
from archive.catalogue.models import Collection, Exhibit, ExhibitSection, Item, Page


class PageOut(BaseModel):
    """A page of an item, with its IIIF image service."""

    id: str
    position: int
    label: str
    width: int
    height: int
    media_type: str
    sha256: str
    image_service: str


class ItemOut(ItemFields):
    """An item as the API shows it."""

    id: str
    manifest: str
    pages: list[PageOut]
    collections: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime


class ItemSummary(BaseModel):
    """An item in a listing."""

    id: str
    type: str
    title_zh_hant: str
    title_zh_hans: str
    title_en: str
    date_text: str
    visibility: str
    pages: int


class ItemList(BaseModel):
    """One page of a listing."""

    total: int
    items: list[ItemSummary]


class CollectionOut(BaseModel):
    """A collection and the items in it that the caller may see."""

    id: str
    title: str
    description: str
    items: list[ItemSummary]


class Token(BaseModel):
    """A bearer token for the API."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int


class Credentials(BaseModel):
    """A curator's sign-in."""

    username: str
    password: str


def page_out(page: Page, base: str) -> PageOut:
    """The public view of a page."""
    return PageOut(
        id=page.public_id,
        position=page.position,
        label=page.label,
        width=page.width,
        height=page.height,
        media_type=page.media_type,
        sha256=page.sha256,
        image_service=f"{base}/iiif/3/{page.public_id}",
    )


def item_out(item: Item, base: str, collections: list[str]) -> ItemOut:
    """The public view of an item, with links to its manifest and image services."""
    fields = {name: getattr(item, name) for name in ItemFields.model_fields}
    return ItemOut(
        **fields,
        id=item.identifier,
        manifest=f"{base}/iiif/items/{item.identifier}/manifest",
        pages=[page_out(p, base) for p in item.pages],
        collections=collections,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def item_summary(item: Item) -> ItemSummary:
    """An item in a listing."""
    return ItemSummary(
        id=item.identifier,
        type=item.type.value,
        title_zh_hant=item.title_zh_hant,
        title_zh_hans=item.title_zh_hans,
        title_en=item.title_en,
        date_text=item.date_text,
        visibility=item.visibility.value,
        pages=len(item.pages),
    )


def collection_out(collection: Collection, items: list[Item]) -> CollectionOut:
    """A collection with the items the caller may see."""
    return CollectionOut(
        id=collection.slug,
        title=collection.title,
        description=collection.description,
        items=[item_summary(i) for i in items],
    )


class CollectionDetail(CollectionOut):
    """A collection with its visibility (drafts are shown to curators only)."""

    visibility: str
    url: str


class ItemsToAdd(BaseModel):
    """Items to put in a collection, all or none."""

    model_config = ConfigDict(extra="forbid")

    items: list[Annotated[str, StringConstraints(max_length=128)]] = Field(
        min_length=1, max_length=500
    )


class SectionOut(BaseModel):
    """A section of an exhibit; `item` is null for visitors when the item is not published."""

    id: int
    position: int
    heading: dict[str, str]
    body: dict[str, str]
    item: str | None
    page: int | None
    region: str
    image_service: str | None


class ExhibitSummary(BaseModel):
    """An exhibit in a listing."""

    id: str
    title: dict[str, str]
    summary: dict[str, str]
    visibility: str
    url: str


class ExhibitOut(ExhibitSummary):
    """An exhibit with its sections in order."""

    sections: list[SectionOut]


class SectionOrder(BaseModel):
    """A new order of an exhibit's sections: every section id, once each."""

    model_config = ConfigDict(extra="forbid")

    order: list[int] = Field(max_length=200)


def collection_detail(collection: Collection, items: list[Item], base: str) -> CollectionDetail:
    """A collection with its visibility and the items the caller may see."""
    return CollectionDetail(
        **collection_out(collection, items).model_dump(exclude={"items"}),
        items=[item_summary(i) for i in items],
        visibility=collection.visibility.value,
        url=f"{base}/collections/{collection.slug}",
    )


def exhibit_summary(exhibit: Exhibit, base: str) -> ExhibitSummary:
    """An exhibit in a listing."""
    return ExhibitSummary(
        id=exhibit.slug,
        title=exhibit.title,
        summary=exhibit.summary,
        visibility=exhibit.visibility.value,
        url=f"{base}/exhibits/{exhibit.slug}",
    )


def section_out(
    section: ExhibitSection, item: Item | None, page: Page | None, base: str
) -> SectionOut:
    """A section; pass `item` None to hide an item the caller may not see."""
    return SectionOut(
        id=section.id,
        position=section.position,
        heading=section.heading,
        body=section.body,
        item=item.identifier if item else None,
        page=page.position if item and page and section.page_id else None,
        region=section.region,
        image_service=f"{base}/iiif/3/{page.public_id}" if item and page else None,
    )
