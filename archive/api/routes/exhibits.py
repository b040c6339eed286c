"""Exhibits: public reads of published exhibits, curator writes of exhibits and their sections."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status
from sqlalchemy import select

from archive.api.deps import CuratorDep, SessionDep, UserDep
from archive.api.routes.collections import curation_refused
from archive.api.schemas import (
    ExhibitOut,
    ExhibitSummary,
    SectionOrder,
    SectionOut,
    exhibit_summary,
    section_out,
)
from archive.api.visibility import base_url
from archive.catalogue.exhibits import (
    ExhibitUpdate,
    NewExhibit,
    SectionFields,
    SectionUpdate,
    add_section,
    create_exhibit,
    delete_exhibit,
    find_exhibit,
    find_section,
    remove_section,
    reorder_sections,
    update_exhibit,
    update_section,
)
from archive.catalogue.items import is_public
from archive.catalogue.models import Exhibit, ExhibitSection, Item, Page, User, Visibility

router = APIRouter(prefix="/api/exhibits", tags=["exhibits"])


@router.get("")
def list_exhibits(request: Request, session: SessionDep, user: UserDep) -> list[ExhibitSummary]:
    """Exhibits the caller may see (drafts for curators only)."""
    query = select(Exhibit).order_by(Exhibit.id)
    if user is None:
        query = query.where(Exhibit.visibility == Visibility.published)
    return [exhibit_summary(e, base_url(request)) for e in session.scalars(query)]


@router.get("/{slug}")
def get_exhibit(slug: str, request: Request, session: SessionDep, user: UserDep) -> ExhibitOut:
    """One exhibit with its sections (404 if unknown or not visible)."""
    return _out(session, visible_exhibit(session, slug, user), user, request)


@router.post("", status_code=status.HTTP_201_CREATED)
def post_exhibit(
    new: NewExhibit, request: Request, session: SessionDep, curator: CuratorDep
) -> ExhibitOut:
    """Create an exhibit, as a draft with no sections (curators only)."""
    with curation_refused():
        exhibit = create_exhibit(session, new, actor=curator.username)
    return _out(session, exhibit, curator, request)


@router.patch("/{slug}")
def patch_exhibit(
    slug: str, update: ExhibitUpdate, request: Request, session: SessionDep, curator: CuratorDep
) -> ExhibitOut:
    """Change the title, summary or visibility (`"published"` to publish, `"draft"` to
    unpublish)."""
    exhibit = visible_exhibit(session, slug, curator)
    update_exhibit(session, exhibit, update, actor=curator.username)
    return _out(session, exhibit, curator, request)


@router.delete("/{slug}", status_code=status.HTTP_204_NO_CONTENT)
def remove_exhibit(slug: str, session: SessionDep, curator: CuratorDep) -> None:
    """Delete a draft exhibit and its sections (409 if published); the items stay."""
    with curation_refused():
        delete_exhibit(session, visible_exhibit(session, slug, curator), actor=curator.username)


@router.post("/{slug}/sections", status_code=status.HTTP_201_CREATED)
def post_section(
    slug: str, fields: SectionFields, request: Request, session: SessionDep, curator: CuratorDep
) -> ExhibitOut:
    """Add a section at the end: text, and optionally an item, a page number and a region
    `x,y,w,h` that must lie inside that page (the first page when none is given)."""
    exhibit = visible_exhibit(session, slug, curator)
    with curation_refused():
        add_section(session, exhibit, fields, actor=curator.username)
    return _out(session, exhibit, curator, request)


@router.patch("/{slug}/sections/{section_id}")
def patch_section(
    slug: str,
    section_id: int,
    update: SectionUpdate,
    request: Request,
    session: SessionDep,
    curator: CuratorDep,
) -> ExhibitOut:
    """Change a section: only the fields sent (send null to clear the item, page or region)."""
    exhibit = visible_exhibit(session, slug, curator)
    section = section_or_404(exhibit, section_id)
    with curation_refused():
        update_section(session, exhibit, section, update, actor=curator.username)
    return _out(session, exhibit, curator, request)


@router.delete("/{slug}/sections/{section_id}")
def delete_section(
    slug: str, section_id: int, request: Request, session: SessionDep, curator: CuratorDep
) -> ExhibitOut:
    """Remove a section (its item stays); the others close up."""
    exhibit = visible_exhibit(session, slug, curator)
    remove_section(session, exhibit, section_or_404(exhibit, section_id), actor=curator.username)
    return _out(session, exhibit, curator, request)


@router.put("/{slug}/sections/order")
def put_order(
    slug: str, body: SectionOrder, request: Request, session: SessionDep, curator: CuratorDep
) -> ExhibitOut:
    """Reorder the sections: send every section id once, in the new order."""
    exhibit = visible_exhibit(session, slug, curator)
    with curation_refused():
        reorder_sections(session, exhibit, body.order, actor=curator.username)
    return _out(session, exhibit, curator, request)


def visible_exhibit(session: SessionDep, slug: str, user: User | None) -> Exhibit:
    """The exhibit, or 404 when there is none or it is a draft and `user` is anonymous."""
    found = find_exhibit(session, slug)
    if found is None or (user is None and found.visibility != Visibility.published):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no exhibit {slug!r}")
    return found


def section_or_404(exhibit: Exhibit, section_id: int) -> ExhibitSection:
    """The exhibit's section with this id, or 404 naming both."""
    found = find_section(exhibit, section_id)
    if found is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, f"exhibit {exhibit.slug!r} has no section {section_id}"
        )
    return found


def _out(session: SessionDep, exhibit: Exhibit, user: User | None, request: Request) -> ExhibitOut:
    session.flush()
    base = base_url(request)
    return ExhibitOut(
        **exhibit_summary(exhibit, base).model_dump(),
        sections=[_section_out(session, s, user, base) for s in exhibit.sections],
    )


def _section_out(
    session: SessionDep, section: ExhibitSection, user: User | None, base: str
) -> SectionOut:
    item = session.get(Item, section.item_id) if section.item_id else None
    if item is not None and user is None and not is_public(item):
        item = None
    page = session.get(Page, section.page_id) if section.page_id else None
    if item is not None and page is None and item.pages:
        page = item.pages[0]
    return section_out(section, item, page, base)
