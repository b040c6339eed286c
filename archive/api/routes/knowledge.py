"""Curator suggestions for an item's fields, and the correspondence network."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from archive.api.deps import CuratorDep, SessionDep, UserDep
from archive.catalogue.items import find_item
from archive.catalogue.models import Item, Page, Suggestion
from archive.knowledge.authorities import link_item
from archive.knowledge.network import (
    FORMATS,
    NetworkError,
    build_network,
    select_letters,
    to_csv,
    to_graphml,
    to_json,
)
from archive.knowledge.readers import TextTooLongError
from archive.knowledge.suggestions import (
    SuggestionError,
    accept_suggestion,
    find_suggestion,
    reject_suggestion,
    suggest,
)
from search.gazetteer import default_gazetteer

router = APIRouter(tags=["knowledge"])


class SuggestionOut(BaseModel):
    """A suggested value for an item field, where it was read, and how sure the rule is."""

    id: int
    field: str
    value: dict[str, Any]
    page: str | None
    source_text: str
    span: tuple[int, int]
    confidence: float
    status: str
    decided_by: str
    decided_at: dt.datetime | None


class Decision(BaseModel):
    """The outcome of accepting or rejecting a suggestion: its state and the item's changes."""

    suggestion: SuggestionOut
    changes: dict[str, Any]


def _out(session: SessionDep, suggestion: Suggestion) -> SuggestionOut:
    page = session.get(Page, suggestion.page_id) if suggestion.page_id is not None else None
    return SuggestionOut(
        id=suggestion.id,
        field=suggestion.field,
        value=suggestion.value,
        page=page.public_id if page is not None else None,
        source_text=suggestion.source_text,
        span=(suggestion.span_start, suggestion.span_end),
        confidence=suggestion.confidence,
        status=suggestion.status.value,
        decided_by=suggestion.decided_by,
        decided_at=suggestion.decided_at,
    )


def _item(session: SessionDep, identifier: str) -> Item:
    item = find_item(session, identifier)
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no item {identifier!r}")
    return item


@router.get("/api/items/{identifier}/suggestions")
def get_suggestions(
    identifier: str, session: SessionDep, curator: CuratorDep
) -> list[SuggestionOut]:
    """Pending suggestions read from the item's current page texts (curators only).

    Reading is repeatable: values already suggested or already in the record are not
    suggested again, and nothing is written into the item until a curator accepts.
    """
    item = _item(session, identifier)
    try:
        found = suggest(session, item, default_gazetteer())
    except TextTooLongError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    return [_out(session, s) for s in found]


def _decide(
    identifier: str, suggestion_id: int, session: SessionDep, curator: CuratorDep, accept: bool
) -> Decision:
    item = _item(session, identifier)
    try:
        suggestion = find_suggestion(session, item, suggestion_id)
    except SuggestionError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
    try:
        if accept:
            changes = accept_suggestion(session, item, suggestion, actor=curator.username)
        else:
            reject_suggestion(session, item, suggestion, actor=curator.username)
            changes = {}
    except SuggestionError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    return Decision(suggestion=_out(session, suggestion), changes=changes)


@router.post("/api/items/{identifier}/suggestions/{suggestion_id}/accept")
def post_accept(
    identifier: str, suggestion_id: int, session: SessionDep, curator: CuratorDep
) -> Decision:
    """Write the suggested value into the item (audited); 409 if already decided."""
    return _decide(identifier, suggestion_id, session, curator, accept=True)


@router.post("/api/items/{identifier}/suggestions/{suggestion_id}/reject")
def post_reject(
    identifier: str, suggestion_id: int, session: SessionDep, curator: CuratorDep
) -> Decision:
    """Mark the suggestion rejected; the item is not changed. 409 if already decided."""
    return _decide(identifier, suggestion_id, session, curator, accept=False)


class LinkOut(BaseModel):
    """How one written name was linked: the authority record, or flagged as unknown."""

    field: str
    written: str
    record_id: int | None
    record_name: str | None
    flagged: bool


@router.post("/api/items/{identifier}/link")
def post_link(identifier: str, session: SessionDep, curator: CuratorDep) -> list[LinkOut]:
    """Link the item's written places and names to authority records (curators only).

    The written text is kept; a name with no authority record is flagged (`flagged`).
    """
    item = _item(session, identifier)
    return [
        LinkOut.model_validate(outcome, from_attributes=True)
        for outcome in link_item(session, item, actor=curator.username)
    ]


@router.get("/api/network", response_model=None)
def get_network(
    session: SessionDep,
    user: UserDep,
    q: Annotated[str, Query(max_length=200)] = "",
    collection: Annotated[str, Query(max_length=128)] = "",
    format: Annotated[str, Query(description="json, graphml or csv")] = "json",
) -> Response:
    """People and places linked by letters: nodes, edges with counts and date spans, series.

    Anonymous users get a network of published items only. `format=graphml|csv` gives a
    file Gephi opens.
    """
    if format not in FORMATS:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"unknown format {format!r}; use one of {', '.join(FORMATS)}",
        )
    try:
        letters = select_letters(session, published_only=user is None, q=q, collection=collection)
    except NetworkError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
    network = build_network(letters)
    if format == "graphml":
        return Response(
            to_graphml(network),
            media_type="application/graphml+xml",
            headers={"Content-Disposition": 'attachment; filename="qiaopi-network.graphml"'},
        )
    if format == "csv":
        return Response(
            to_csv(network),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="qiaopi-network.csv"'},
        )
    return JSONResponse(to_json(network))
