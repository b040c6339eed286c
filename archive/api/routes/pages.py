"""Transcriptions of published items: per page in several formats, and per item as text."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy import select

import ocr
from archive.api.deps import SessionDep, UserDep
from archive.api.visibility import get_visible_item
from archive.catalogue.models import Page, TranscriptionKind
from archive.catalogue.transcriptions import current_text, latest
from search import fold

router = APIRouter(prefix="/api", tags=["transcriptions"])

MEDIA_TYPES = {
    "text": "text/plain; charset=utf-8",
    "normalised": "text/plain; charset=utf-8",
    "key": "text/plain; charset=utf-8",
    "page": "application/xml",
    "alto": "application/xml",
    "hocr": "text/html; charset=utf-8",
}


@router.get("/pages/{page_id}/text")
def page_text(
    page_id: str,
    session: SessionDep,
    user: UserDep,
    format: Annotated[
        Literal["text", "normalised", "key", "page", "alto", "hocr"], Query()
    ] = "text",
) -> Response:
    """A page's transcription. Text layers of the current text: `text` (diplomatic, as
    written), `normalised` (variant forms unified for reading), `key` (what search matches:
    also folded to simplified); or the machine OCR as PAGE-XML, ALTO or hOCR."""
    page = session.scalar(select(Page).where(Page.public_id == page_id))
    if page is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no page {page_id!r}")
    get_visible_item(session, page.item.identifier, user)
    if format in ("text", "normalised", "key"):
        version = current_text(session, page)
        if version is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"page {page_id!r} has no text yet")
        # The diplomatic text is stored; the other layers are derived, never written back.
        normalised = ocr.normalise(version.text)
        layers = {"text": version.text, "normalised": normalised, "key": fold(normalised)}
        return PlainTextResponse(layers[format])
    machine = latest(session, page, TranscriptionKind.machine)
    if machine is None or not machine.page_xml:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"page {page_id!r} has no OCR yet")
    result = ocr.page_from_page_xml(machine.page_xml.encode("utf-8"))
    body = {"page": ocr.to_page_xml, "alto": ocr.to_alto, "hocr": ocr.to_hocr}[format](result)
    return Response(body, media_type=MEDIA_TYPES[format])


@router.get("/items/{identifier}/text", response_class=PlainTextResponse)
def item_text(identifier: str, session: SessionDep, user: UserDep) -> str:
    """The whole item's current transcription, page by page, as plain text."""
    item = get_visible_item(session, identifier, user)
    parts = []
    for page in item.pages:
        version = current_text(session, page)
        if version is not None and version.text:
            parts.append(f"[{page.label or page.public_id}]\n{version.text}")
    return "\n\n".join(parts)
