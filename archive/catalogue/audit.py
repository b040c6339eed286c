"""The audit log: every change to the catalogue is recorded with who, when and what."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from archive.catalogue.models import AuditEntry


def record_change(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    changes: dict[str, Any] | None = None,
) -> None:
    """Add an audit entry in the same transaction as the change it describes."""
    session.add(
        AuditEntry(
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            changes=_jsonable(changes or {}),
        )
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
