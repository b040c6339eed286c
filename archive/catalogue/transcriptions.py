"""Versions of a page's text: machine OCR runs and curators' corrections, side by side.

A new OCR run adds a machine version; it never touches a curator's version, and the page's
current text is the newest curator version when there is one, else the newest machine one.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.catalogue.audit import record_change
from archive.catalogue.models import Page, Transcription, TranscriptionKind


def _next_version(session: Session, page: Page, kind: TranscriptionKind) -> int:
    newest = session.scalar(
        select(func.max(Transcription.version)).where(
            Transcription.page_id == page.id, Transcription.kind == kind
        )
    )
    return (newest or 0) + 1


def add_machine_text(
    session: Session, page: Page, *, text: str, page_xml: str, engine: str
) -> Transcription:
    """Store the result of an OCR run as the page's next machine version."""
    version = Transcription(
        page_id=page.id,
        kind=TranscriptionKind.machine,
        version=_next_version(session, page, TranscriptionKind.machine),
        text=text,
        page_xml=page_xml,
        engine=engine,
        created_by="ocr",
    )
    session.add(version)
    return version


def add_curator_text(session: Session, page: Page, *, text: str, actor: str) -> Transcription:
    """Store a curator's corrected transcription as a new version (audited)."""
    version = Transcription(
        page_id=page.id,
        kind=TranscriptionKind.curator,
        version=_next_version(session, page, TranscriptionKind.curator),
        text=text,
        created_by=actor,
    )
    session.add(version)
    record_change(
        session,
        actor=actor,
        action="transcribe",
        entity="page",
        entity_id=page.public_id,
        changes={"version": version.version, "characters": len(text)},
    )
    return version


def latest(session: Session, page: Page, kind: TranscriptionKind) -> Transcription | None:
    """The newest version of this kind, if any."""
    return session.scalar(
        select(Transcription)
        .where(Transcription.page_id == page.id, Transcription.kind == kind)
        .order_by(Transcription.version.desc())
        .limit(1)
    )


def current_text(session: Session, page: Page) -> Transcription | None:
    """What readers see: the newest curator version, else the newest machine version."""
    return latest(session, page, TranscriptionKind.curator) or latest(
        session, page, TranscriptionKind.machine
    )
