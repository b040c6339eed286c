"""Creating, changing and deleting items, each change recorded in the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.catalogue.audit import record_change
from archive.catalogue.fields import ItemFields, NewItem
from archive.catalogue.models import Item, Visibility
from archive.catalogue.normalise import with_normalised
from archive.jobs.queue import enqueue
from archive.jobs.registry import INDEX_KIND


class ItemExistsError(ValueError):
    """An item with that identifier already exists."""


def fields_of(item: Item) -> ItemFields:
    """The editable fields of a stored item."""
    return ItemFields.model_validate(
        {name: getattr(item, name) for name in ItemFields.model_fields}
    )


def find_item(session: Session, identifier: str) -> Item | None:
    """The item with this public identifier, whatever its visibility."""
    return session.scalar(select(Item).where(Item.identifier == identifier))


def create_item(session: Session, new: NewItem, *, actor: str) -> Item:
    """Add an item (not yet committed) and record who created it."""
    if find_item(session, new.identifier) is not None:
        raise ItemExistsError(f"an item with identifier {new.identifier!r} already exists")
    new = NewItem.model_validate(
        {**with_normalised(new).model_dump(), "identifier": new.identifier}
    )
    item = Item(identifier=new.identifier, updated_by=actor, **_columns(new))
    session.add(item)
    record_change(
        session,
        actor=actor,
        action="create",
        entity="item",
        entity_id=new.identifier,
        changes=new.model_dump(mode="json", exclude_defaults=True),
    )
    enqueue(session, INDEX_KIND, new.identifier, redo=True)
    return item


def update_item(session: Session, item: Item, fields: ItemFields, *, actor: str) -> dict[str, Any]:
    """Apply `fields` to `item`, record what changed, and return the changes (old, new)."""
    current = fields_of(item)
    fields = with_normalised(fields, current)
    before = current.model_dump(mode="json")
    after = fields.model_dump(mode="json")
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        for name, value in _columns(fields).items():
            setattr(item, name, value)
        item.updated_by = actor
        record_change(
            session,
            actor=actor,
            action="update",
            entity="item",
            entity_id=item.identifier,
            changes=changes,
        )
        enqueue(session, INDEX_KIND, item.identifier, redo=True)
    return changes


def delete_item(session: Session, item: Item, *, actor: str) -> None:
    """Delete an item and its pages from the catalogue (masters stay in the blob store)."""
    record_change(
        session,
        actor=actor,
        action="delete",
        entity="item",
        entity_id=item.identifier,
        changes={"pages": [p.sha256 for p in item.pages]},
    )
    session.delete(item)
    enqueue(session, INDEX_KIND, item.identifier, redo=True)


def is_public(item: Item) -> bool:
    """Whether anonymous users may see the item."""
    return item.visibility == Visibility.published


def _columns(fields: ItemFields) -> dict[str, Any]:
    return {name: getattr(fields, name) for name in ItemFields.model_fields}
