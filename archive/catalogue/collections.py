"""Collections: curated groups of items."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.catalogue.audit import record_change
from archive.catalogue.models import Collection, CollectionItem, Item
from archive.ingest.metadata import slugify


def collection_slug(title: str) -> str:
    """A stable slug for a collection title (a hash when the title has no Latin letters)."""
    return slugify(title) or "collection-" + hashlib.sha256(title.encode()).hexdigest()[:10]


def ensure_collection(session: Session, title: str, *, actor: str) -> Collection:
    """The collection with this title (or slug), created if it does not exist yet."""
    slug = collection_slug(title)
    found = session.scalar(
        select(Collection).where((Collection.slug == slug) | (Collection.title == title))
    )
    if found is not None:
        return found
    collection = Collection(slug=slug, title=title)
    session.add(collection)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create",
        entity="collection",
        entity_id=slug,
        changes={"title": title},
    )
    return collection


def add_to_collection(session: Session, collection: Collection, item: Item, *, actor: str) -> None:
    """Put the item in the collection (once)."""
    if session.get(CollectionItem, (collection.id, item.id)) is None:
        session.add(CollectionItem(collection_id=collection.id, item_id=item.id))
        record_change(
            session,
            actor=actor,
            action="add",
            entity="collection",
            entity_id=collection.slug,
            changes={"item": item.identifier},
        )
