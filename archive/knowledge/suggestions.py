"""Suggestions for curators: values read from an item's page texts, stored until decided.

A suggestion is never written into the record by itself: only `accept_suggestion` writes
it, through `update_item` (validated and audited). Each suggestion is decided once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.catalogue.audit import record_change
from archive.catalogue.fields import ItemFields
from archive.catalogue.items import fields_of, update_item
from archive.catalogue.models import Item, Suggestion, SuggestionStatus, utcnow
from archive.catalogue.transcriptions import current_text
from archive.knowledge.readers import Reading, combine, read_page, value_key
from search.gazetteer import Gazetteer


class SuggestionError(ValueError):
    """A refused decision; the message says what was wrong and what to do."""


def _already_recorded(item: Item, reading: Reading) -> bool:
    return all(str(getattr(item, name)) == str(value) for name, value in reading.value.items())


def suggest(session: Session, item: Item, gazetteer: Gazetteer) -> list[Suggestion]:
    """Read every page's current text and store new pending suggestions; return all pending.

    A value already in the record, or already suggested (pending, accepted or rejected),
    is not suggested again, so running this twice never duplicates or resurrects.
    """
    readings: list[tuple[int, Reading]] = []
    for page in item.pages:
        version = current_text(session, page)
        if version is not None and version.text:
            readings.extend((page.id, r) for r in read_page(version.text, gazetteer))
    known = {f"{s.field}:{_stored_key(s)}" for s in session.scalars(_of_item(item))}
    for page_id, reading, confidence in combine(readings):
        if _already_recorded(item, reading) or f"{reading.field}:{value_key(reading)}" in known:
            continue
        session.add(
            Suggestion(
                item_id=item.id,
                page_id=page_id,
                field=reading.field,
                value=reading.value,
                source_text=reading.source_text,
                span_start=reading.span[0],
                span_end=reading.span[1],
                confidence=round(confidence, 3),
            )
        )
    session.flush()
    return pending(session, item)


def _stored_key(suggestion: Suggestion) -> str:
    return value_key(Reading(suggestion.field, suggestion.value, (0, 0), "", suggestion.confidence))


def _of_item(item: Item) -> Any:
    return select(Suggestion).where(Suggestion.item_id == item.id).order_by(Suggestion.id)


def pending(session: Session, item: Item) -> list[Suggestion]:
    """The item's suggestions waiting for a curator, best first within each field."""
    found = session.scalars(_of_item(item).where(Suggestion.status == SuggestionStatus.pending))
    return sorted(found, key=lambda s: (s.field, -s.confidence, s.id))


def all_suggestions(session: Session, item: Item) -> list[Suggestion]:
    """Every suggestion made for the item, decided or not, oldest first."""
    return list(session.scalars(_of_item(item)))


def find_suggestion(session: Session, item: Item, suggestion_id: int) -> Suggestion:
    """The item's suggestion with this id, or SuggestionError naming what to do."""
    suggestion = session.get(Suggestion, suggestion_id)
    if suggestion is None or suggestion.item_id != item.id:
        raise SuggestionError(
            f"item {item.identifier!r} has no suggestion {suggestion_id}; "
            "list them with GET /api/items/{id}/suggestions"
        )
    return suggestion


def _decide(
    session: Session, item: Item, suggestion: Suggestion, status: SuggestionStatus, actor: str
) -> None:
    if suggestion.status != SuggestionStatus.pending:
        raise SuggestionError(
            f"suggestion {suggestion.id} was already {suggestion.status.value} by "
            f"{suggestion.decided_by or 'someone'}; edit the item directly to change it"
        )
    suggestion.status = status
    suggestion.decided_by = actor
    suggestion.decided_at = utcnow()
    record_change(
        session,
        actor=actor,
        action=status.value,
        entity="suggestion",
        entity_id=str(suggestion.id),
        changes={"item": item.identifier, "field": suggestion.field, "value": suggestion.value},
    )


def accept_suggestion(
    session: Session, item: Item, suggestion: Suggestion, *, actor: str
) -> dict[str, Any]:
    """Write the suggested value into the item (validated, audited); return what changed."""
    current = fields_of(item).model_dump()
    try:
        fields = ItemFields.model_validate({**current, **suggestion.value})
    except ValueError as exc:
        raise SuggestionError(
            f"suggestion {suggestion.id} does not fit the record ({exc}); reject it instead"
        ) from exc
    _decide(session, item, suggestion, SuggestionStatus.accepted, actor)
    return update_item(session, item, fields, actor=actor)


def reject_suggestion(session: Session, item: Item, suggestion: Suggestion, *, actor: str) -> None:
    """Mark the suggestion rejected (audited); the record is not touched."""
    _decide(session, item, suggestion, SuggestionStatus.rejected, actor)
