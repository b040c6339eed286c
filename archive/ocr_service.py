"""Choosing which pages to OCR: by collection, and whether pages with text are redone."""

from __future__ import annotations

from sqlalchemy import exists, or_, select

from archive.catalogue.models import Collection, CollectionItem, Item, Page, Transcription
from archive.context import Archive
from archive.jobs.queue import enqueue
from archive.steps.ocr import KIND


class UnknownCollectionError(LookupError):
    """No collection has that slug or title."""


def queue_pages(archive: Archive, *, collection: str | None = None, redo: bool = False) -> int:
    """Queue OCR for the chosen pages; returns how many were queued."""
    with archive.catalogue.session() as session:
        query = select(Page)
        if collection:
            found = session.scalar(
                select(Collection).where(
                    or_(Collection.slug == collection, Collection.title == collection)
                )
            )
            if found is None:
                raise UnknownCollectionError(f"no collection {collection!r}")
            query = (
                query.join(Item)
                .join(CollectionItem)
                .where(CollectionItem.collection_id == found.id)
            )
        if not redo:
            query = query.where(~exists().where(Transcription.page_id == Page.id))
        pages = session.scalars(query).all()
        for page in pages:
            enqueue(session, KIND, page.public_id, redo=True)
        return len(pages)
