"""What the API returns: public views of the catalogue, never the stored models themselves."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from archive.catalogue.fields import ItemFields
from archive.catalogue.models import Collection, Item, Page


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
