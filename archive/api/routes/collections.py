"""Collections: public reads of what the caller may see, curator writes (audited)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import APIRouter, HTTPException, Request, status
from sqlalchemy import select

from archive.api.deps import CuratorDep, SessionDep, UserDep
from archive.api.schemas import CollectionDetail, ItemsToAdd, collection_detail
from archive.api.visibility import base_url, visible_items
from archive.catalogue.collections import (
    CollectionUpdate,
    CurationError,
    NewCollection,
    add_items,
    create_collection,
    delete_collection,
    find_collection,
    remove_item,
    update_collection,
)
from archive.catalogue.models import Collection, CollectionItem, Item, User, Visibility

router = APIRouter(prefix="/api/collections", tags=["collections"])


@router.get("")
def list_collections(
    request: Request, session: SessionDep, user: UserDep
) -> list[CollectionDetail]:
    """Collections with the items the caller may see (drafts for curators only)."""
    query = select(Collection).order_by(Collection.title)
    if user is None:
        query = query.where(Collection.visibility == Visibility.published)
    return [_out(session, c, user, request) for c in session.scalars(query)]


@router.get("/{slug}")
def get_collection(
    slug: str, request: Request, session: SessionDep, user: UserDep
) -> CollectionDetail:
    """One collection (404 if unknown or not visible)."""
    return _out(session, visible_collection(session, slug, user), user, request)


@router.post("", status_code=status.HTTP_201_CREATED)
def post_collection(
    new: NewCollection, request: Request, session: SessionDep, curator: CuratorDep
) -> CollectionDetail:
    """Create a collection, as a draft (curators only); the slug comes from the title."""
    with curation_refused():
        found = create_collection(session, new, actor=curator.username)
    return _out(session, found, curator, request)


@router.patch("/{slug}")
def patch_collection(
    slug: str,
    update: CollectionUpdate,
    request: Request,
    session: SessionDep,
    curator: CuratorDep,
) -> CollectionDetail:
    """Change the title, description or visibility (publish with `"published"`, unpublish
    with `"draft"`); the members are re-indexed when the title or visibility changes."""
    found = visible_collection(session, slug, curator)
    update_collection(session, found, update, actor=curator.username)
    return _out(session, found, curator, request)


@router.post("/{slug}/items")
def post_members(
    slug: str, body: ItemsToAdd, request: Request, session: SessionDep, curator: CuratorDep
) -> CollectionDetail:
    """Put items in the collection by identifier: all of them, or none if one is unknown."""
    found = visible_collection(session, slug, curator)
    with curation_refused():
        add_items(session, found, body.items, actor=curator.username)
    return _out(session, found, curator, request)


@router.delete("/{slug}/items/{identifier}")
def delete_member(
    slug: str, identifier: str, request: Request, session: SessionDep, curator: CuratorDep
) -> CollectionDetail:
    """Take an item out of the collection (the item stays in the catalogue)."""
    found = visible_collection(session, slug, curator)
    with curation_refused(status.HTTP_404_NOT_FOUND):
        remove_item(session, found, identifier, actor=curator.username)
    return _out(session, found, curator, request)


@router.delete("/{slug}", status_code=status.HTTP_204_NO_CONTENT)
def remove_collection(slug: str, session: SessionDep, curator: CuratorDep) -> None:
    """Delete a draft collection (409 if published: unpublish it first); its items stay."""
    with curation_refused():
        delete_collection(
            session, visible_collection(session, slug, curator), actor=curator.username
        )


@contextmanager
def curation_refused(invalid: int = status.HTTP_422_UNPROCESSABLE_CONTENT) -> Iterator[None]:
    """Turn a CurationError into the HTTP error naming what was wrong: 409 for a clash
    with what exists, else `invalid`. Nothing was changed (the request rolls back)."""
    try:
        yield
    except CurationError as exc:
        code = status.HTTP_409_CONFLICT if exc.conflict else invalid
        raise HTTPException(code, exc.message) from exc


def visible_collection(session: SessionDep, slug: str, user: User | None) -> Collection:
    """The collection, or 404 when there is none or it is a draft and `user` is anonymous."""
    found = find_collection(session, slug)
    if found is None or (user is None and found.visibility != Visibility.published):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no collection {slug!r}")
    return found


def _out(
    session: SessionDep, collection: Collection, user: User | None, request: Request
) -> CollectionDetail:
    query = (
        visible_items(user)
        .join(CollectionItem, CollectionItem.item_id == Item.id)
        .where(CollectionItem.collection_id == collection.id)
        .order_by(Item.identifier)
    )
    return collection_detail(collection, list(session.scalars(query)), base_url(request))
