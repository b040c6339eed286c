"""Who may see what: anonymous users see only published items, and unknown == hidden (404)."""

from __future__ import annotations

from contextvars import ContextVar

from fastapi import HTTPException, Request, status
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from archive.catalogue.items import find_item
from archive.catalogue.models import Item, User, Visibility


def visible_items(user: User | None) -> Select[Item]:
    """A query of the items this user may see."""
    query = select(Item)
    if user is None:
        query = query.where(Item.visibility == Visibility.published)
    return query


def get_visible_item(session: Session, identifier: str, user: User | None) -> Item:
    """The item, or 404 when it does not exist *or* the user may not see it (no leak)."""
    item = find_item(session, identifier)
    if item is None or (user is None and item.visibility != Visibility.published):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no item {identifier!r}")
    return item


def base_url(request: Request) -> str:
    """The public base URL for links: the configured one, else this request's."""
    configured: str = request.app.state.archive.settings.public_url
    return (configured or str(request.base_url)).rstrip("/")


request_base: ContextVar[str] = ContextVar("request_base", default="http://localhost")
"""This request's base URL, for code the IIIF libraries call back without the request."""

request_user_id: ContextVar[int | None] = ContextVar("request_user_id", default=None)
"""The signed-in user of this request (session cookie), for the IIIF image resolver."""
