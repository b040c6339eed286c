"""Collections: curated groups of items, built by ingest or by curators, each change audited.

Membership and a collection's title and visibility feed the search facets of its items, so
every such change queues the affected items for re-indexing (after the commit, from the
durable queue, like item edits).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.catalogue.audit import record_change
from archive.catalogue.models import Collection, CollectionItem, Item, Visibility
from archive.ingest.metadata import slugify
from archive.jobs.queue import enqueue
from archive.jobs.registry import INDEX_KIND

SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,127}$"
Slug = Annotated[str, StringConstraints(strip_whitespace=True, pattern=SLUG_PATTERN)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)]
MAX_ITEMS_PER_CHANGE = 500


class CurationError(ValueError):
    """A curator's change that cannot be made; nothing was changed.

    `field` names the input at fault, `code` the kind of fault (pages translate it, with
    `params`), and `conflict` says it clashes with what exists (HTTP 409) rather than being
    malformed (422).
    """

    def __init__(
        self,
        field: str,
        code: str,
        message: str,
        *,
        conflict: bool = False,
        **params: Any,
    ) -> None:
        """Keep the parts the API and the pages report."""
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message
        self.conflict = conflict
        self.params = params


class NewCollection(BaseModel):
    """A collection to create; its slug (web address) is derived from the title unless given."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    description: Description = ""
    slug: Slug | None = None


class CollectionUpdate(BaseModel):
    """A partial change of a collection: only the fields sent change (the slug never does)."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    description: Description | None = None
    visibility: Visibility | None = None


def collection_slug(title: str) -> str:
    """A stable slug for a collection title (a hash when the title has no Latin letters)."""
    return slugify(title) or "collection-" + hashlib.sha256(title.encode()).hexdigest()[:10]


def find_collection(session: Session, slug: str) -> Collection | None:
    """The collection with this slug, whatever its visibility."""
    return session.scalar(select(Collection).where(Collection.slug == slug))


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


def create_collection(session: Session, new: NewCollection, *, actor: str) -> Collection:
    """Create a curator's collection, as a draft until it is published; audited."""
    slug = new.slug or collection_slug(new.title)
    if find_collection(session, slug) is not None:
        raise CurationError(
            "slug" if new.slug else "title",
            "slug_taken",
            f"a collection with the web address {slug!r} already exists; "
            "choose another title or give another slug",
            conflict=True,
            slug=slug,
        )
    collection = Collection(
        slug=slug, title=new.title, description=new.description, visibility=Visibility.draft
    )
    session.add(collection)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create",
        entity="collection",
        entity_id=slug,
        changes=new.model_dump(mode="json", exclude_none=True) | {"visibility": "draft"},
    )
    return collection


def update_collection(
    session: Session, collection: Collection, update: CollectionUpdate, *, actor: str
) -> dict[str, Any]:
    """Apply the fields sent, record what changed (old, new) and re-index the members when
    the title (a facet value) or the visibility changed."""
    changes: dict[str, Any] = {}
    for name, value in update.model_dump(exclude_none=True).items():
        if getattr(collection, name) != value:
            changes[name] = [_plain(getattr(collection, name)), _plain(value)]
            setattr(collection, name, value)
    if changes:
        record_change(
            session,
            actor=actor,
            action="update",
            entity="collection",
            entity_id=collection.slug,
            changes=changes,
        )
        if "title" in changes or "visibility" in changes:
            _reindex(session, (i.identifier for i in collection.items))
    return changes


def add_items(
    session: Session, collection: Collection, identifiers: Sequence[str], *, actor: str
) -> list[str]:
    """Put the named items in the collection, all or none; returns those newly added.

    Every identifier must name an existing item, else nothing is added and the error
    lists the unknown ones.
    """
    wanted = list(dict.fromkeys(i.strip() for i in identifiers if i.strip()))
    if not wanted:
        raise CurationError("items", "no_items", "name at least one item identifier to add")
    if len(wanted) > MAX_ITEMS_PER_CHANGE:
        raise CurationError(
            "items",
            "too_many_items",
            f"at most {MAX_ITEMS_PER_CHANGE} items can be added at once",
            max=MAX_ITEMS_PER_CHANGE,
        )
    found = {
        i.identifier: i for i in session.scalars(select(Item).where(Item.identifier.in_(wanted)))
    }
    unknown = [i for i in wanted if i not in found]
    if unknown:
        raise CurationError(
            "items",
            "unknown_items",
            f"no item with identifier {', '.join(map(repr, unknown))}; check the identifiers",
            identifiers=", ".join(unknown),
        )
    members = set(
        session.scalars(
            select(CollectionItem.item_id).where(CollectionItem.collection_id == collection.id)
        )
    )
    added = [identifier for identifier in wanted if found[identifier].id not in members]
    for identifier in added:
        session.add(CollectionItem(collection_id=collection.id, item_id=found[identifier].id))
    if added:
        record_change(
            session,
            actor=actor,
            action="add-items",
            entity="collection",
            entity_id=collection.slug,
            changes={"items": added},
        )
        _reindex(session, added)
        session.flush()
        session.expire(collection, ["items"])
    return added


def remove_item(session: Session, collection: Collection, identifier: str, *, actor: str) -> None:
    """Take an item out of the collection; the item itself stays in the catalogue."""
    membership = session.scalar(
        select(CollectionItem)
        .join(Item, Item.id == CollectionItem.item_id)
        .where(CollectionItem.collection_id == collection.id, Item.identifier == identifier)
    )
    if membership is None:
        raise CurationError(
            "items",
            "not_a_member",
            f"item {identifier!r} is not in collection {collection.slug!r}",
            identifier=identifier,
        )
    session.delete(membership)
    record_change(
        session,
        actor=actor,
        action="remove-item",
        entity="collection",
        entity_id=collection.slug,
        changes={"item": identifier},
    )
    _reindex(session, [identifier])
    session.flush()
    session.expire(collection, ["items"])


def delete_collection(session: Session, collection: Collection, *, actor: str) -> list[str]:
    """Delete a draft collection; its items stay in the catalogue, only the grouping goes.

    A published collection is refused (visitors, IIIF clients and exports may rely on it):
    unpublish it first. Returns the identifiers of the former members (audited too, so the
    grouping could be rebuilt).
    """
    if collection.visibility == Visibility.published:
        raise CurationError(
            "collection",
            "delete_published",
            f"collection {collection.slug!r} is published; unpublish it before deleting it",
            conflict=True,
        )
    members = sorted(i.identifier for i in collection.items)
    record_change(
        session,
        actor=actor,
        action="delete",
        entity="collection",
        entity_id=collection.slug,
        changes={"title": collection.title, "items": members},
    )
    session.delete(collection)
    _reindex(session, members)
    return members


def _reindex(session: Session, identifiers: Iterable[str]) -> None:
    for identifier in identifiers:
        enqueue(session, INDEX_KIND, identifier, redo=True)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Visibility) else value
