"""Collections: public reads of what the caller may see."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select

from archive.api.deps import SessionDep, UserDep
from archive.api.schemas import CollectionOut, collection_out
from archive.api.visibility import visible_items
from archive.catalogue.models import Collection, CollectionItem, Item, Visibility

router = APIRouter(prefix="/api/collections", tags=["collections"])


@router.get("")
def list_collections(session: SessionDep, user: UserDep) -> list[CollectionOut]:
    """Collections with the items the caller may see."""
    query = select(Collection).order_by(Collection.title)
    if user is None:
        query = query.where(Collection.visibility == Visibility.published)
    return [collection_out(c, _items(session, c, user)) for c in session.scalars(query)]


@router.get("/{slug}")
def get_collection(slug: str, session: SessionDep, user: UserDep) -> CollectionOut:
    """One collection (404 if unknown or not visible)."""
    found = session.scalar(select(Collection).where(Collection.slug == slug))
    if found is None or (user is None and found.visibility != Visibility.published):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no collection {slug!r}")
    return collection_out(found, _items(session, found, user))


def _items(session: SessionDep, collection: Collection, user: UserDep) -> list[Item]:
    query = (
        visible_items(user)
        .join(CollectionItem, CollectionItem.item_id == Item.id)
        .where(CollectionItem.collection_id == collection.id)
        .order_by(Item.identifier)
    )
    return list(session.scalars(query))
