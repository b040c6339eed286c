"""Pages for curators to build collections and exhibits: forms with CSRF, messages beside the
fields, nothing saved on error. The checks are the catalogue's, shared with the JSON API."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import func, or_, select
from starlette.datastructures import FormData

from archive.api.deps import SessionDep
from archive.api.routes.collections import visible_collection
from archive.api.routes.exhibits import section_or_404, visible_exhibit
from archive.catalogue.collections import (
    CollectionUpdate,
    CurationError,
    NewCollection,
    add_items,
    create_collection,
    delete_collection,
    remove_item,
    update_collection,
)
from archive.catalogue.exhibits import (
    ExhibitUpdate,
    NewExhibit,
    SectionFields,
    SectionUpdate,
    add_section,
    create_exhibit,
    delete_exhibit,
    move_section,
    parse_region,
    remove_section,
    section_fields,
    update_exhibit,
    update_section,
)
from archive.catalogue.models import (
    Collection,
    CollectionItem,
    Exhibit,
    ExhibitSection,
    Item,
    Page,
    Visibility,
)
from archive.web.curator import CsrfChecked, PageCurator
from archive.web.i18n import request_language
from archive.web.present import localised
from archive.web.rendering import Pages

SUFFIXES = {"zh-Hant": "zh_hant", "zh-Hans": "zh_hans", "en": "en"}
PICKER_SIZE = 50
_SEPARATORS = re.compile(r"[\s,;，；、]+")


def build_router(pages: Pages) -> APIRouter:
    """The collection and exhibit pages for curators, rendering with `pages`."""
    router = APIRouter(include_in_schema=False)
    tr = pages.gettext

    def errors_of(
        request: Request, exc: ValidationError | CurationError, prefix: str = ""
    ) -> dict[str, str]:
        """Messages in the reader's language, keyed by the form field they belong beside."""
        if isinstance(exc, CurationError):
            return {prefix + exc.field: _curation_message(request, tr, exc)}
        found: dict[str, str] = {}
        for error in exc.errors():
            loc = [str(part) for part in error["loc"]]
            name = loc[0] if loc else "form"
            if len(loc) > 1 and loc[1] in SUFFIXES:
                name = f"{name}_{SUFFIXES[loc[1]]}"
            found.setdefault(prefix + name, _validation_message(request, tr, error))
        return found

    # Collections -------------------------------------------------------------------------

    @router.get("/curator/collections", response_class=HTMLResponse)
    def collections_page(
        request: Request, session: SessionDep, curator: PageCurator
    ) -> HTMLResponse:
        """Every collection with its visibility and size, and the form to start a new one."""
        return _collections_page(request, session, {}, {})

    @router.post("/curator/collections", dependencies=[CsrfChecked])
    def create_collection_page(
        request: Request,
        session: SessionDep,
        curator: PageCurator,
        title: Annotated[str, Form()] = "",
        description: Annotated[str, Form()] = "",
        slug: Annotated[str, Form()] = "",
    ) -> Response:
        """Create a draft collection and go to its page to add items."""
        values = {"title": title, "description": description, "slug": slug}
        try:
            new = NewCollection(title=title, description=description, slug=slug.strip() or None)
            collection = create_collection(session, new, actor=curator.username)
        except (ValidationError, CurationError) as exc:
            return _collections_page(request, session, values, errors_of(request, exc), 422)
        return _see(f"/curator/collections/{collection.slug}?saved=1")

    @router.get("/curator/collections/{slug}", response_class=HTMLResponse)
    def collection_page(
        slug: str, request: Request, session: SessionDep, curator: PageCurator
    ) -> HTMLResponse:
        """A collection: its fields, publishing, its items, and a picker to add more."""
        return _collection_page(
            request, session, visible_collection(session, slug, curator), {}, {}
        )

    @router.post("/curator/collections/{slug}", dependencies=[CsrfChecked])
    def save_collection(
        slug: str,
        request: Request,
        session: SessionDep,
        curator: PageCurator,
        title: Annotated[str, Form()] = "",
        description: Annotated[str, Form()] = "",
    ) -> Response:
        """Save the title and description (the web address stays, so links keep working)."""
        collection = visible_collection(session, slug, curator)
        try:
            update = CollectionUpdate(title=title, description=description)
        except ValidationError as exc:
            values = {"title": title, "description": description}
            return _collection_page(
                request, session, collection, values, errors_of(request, exc), 422
            )
        update_collection(session, collection, update, actor=curator.username)
        return _see(f"/curator/collections/{slug}?saved=1")

    @router.post("/curator/collections/{slug}/visibility", dependencies=[CsrfChecked])
    def collection_visibility(
        slug: str,
        session: SessionDep,
        curator: PageCurator,
        visibility: Annotated[Visibility, Form()],
    ) -> Response:
        """Publish or unpublish; the members are re-indexed (the collection is a facet)."""
        collection = visible_collection(session, slug, curator)
        update = CollectionUpdate(visibility=visibility)
        update_collection(session, collection, update, actor=curator.username)
        return _see(f"/curator/collections/{slug}?saved=1")

    @router.post("/curator/collections/{slug}/items", dependencies=[CsrfChecked])
    async def add_collection_items(
        slug: str, request: Request, session: SessionDep, curator: PageCurator
    ) -> Response:
        """Add the items ticked in the picker and those typed by identifier, all or none."""
        collection = visible_collection(session, slug, curator)
        form = await request.form()
        typed = str(form.get("identifiers", ""))
        chosen = [str(v) for v in form.getlist("item")]
        wanted = chosen + [i for i in _SEPARATORS.split(typed) if i]
        try:
            add_items(session, collection, wanted, actor=curator.username)
        except CurationError as exc:
            errors = {"identifiers": _curation_message(request, tr, exc)}
            values = {"identifiers": typed}
            return _collection_page(request, session, collection, values, errors, 422)
        return _see(f"/curator/collections/{slug}?saved=1#members")

    @router.post(
        "/curator/collections/{slug}/items/{identifier}/remove", dependencies=[CsrfChecked]
    )
    def remove_collection_item(
        slug: str, identifier: str, session: SessionDep, curator: PageCurator
    ) -> Response:
        """Take an item out of the collection; the item stays in the catalogue."""
        collection = visible_collection(session, slug, curator)
        try:
            remove_item(session, collection, identifier, actor=curator.username)
        except CurationError as exc:
            raise HTTPException(status.HTTP_404_NOT_FOUND, exc.message) from exc
        return _see(f"/curator/collections/{slug}?saved=1#members")

    @router.post("/curator/collections/{slug}/delete", dependencies=[CsrfChecked])
    def delete_collection_page(
        slug: str,
        request: Request,
        session: SessionDep,
        curator: PageCurator,
        confirm: Annotated[str, Form()] = "",
    ) -> Response:
        """Delete a draft collection once the curator ticked the confirmation; items stay."""
        collection = visible_collection(session, slug, curator)
        if confirm != "yes":
            errors = {"delete": tr(request, "Tick the box to confirm the deletion.")}
            return _collection_page(request, session, collection, {}, errors, 422)
        try:
            delete_collection(session, collection, actor=curator.username)
        except CurationError as exc:
            errors = {"delete": _curation_message(request, tr, exc)}
            return _collection_page(request, session, collection, {}, errors, 409)
        return _see("/curator/collections?deleted=1")

    def _collections_page(
        request: Request,
        session: SessionDep,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> HTMLResponse:
        counted = select(CollectionItem.collection_id, func.count()).group_by(
            CollectionItem.collection_id
        )
        sizes: dict[int, int] = {row[0]: row[1] for row in session.execute(counted)}
        collections = session.scalars(select(Collection).order_by(Collection.title)).all()
        return pages.render(
            request,
            "curator_collections.html",
            status_code=status_code,
            collections=[(c, sizes.get(c.id, 0)) for c in collections],
            values={"title": "", "description": "", "slug": ""} | values,
            errors=errors,
            deleted=request.query_params.get("deleted") == "1",
        )

    def _collection_page(
        request: Request,
        session: SessionDep,
        collection: Collection,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> HTMLResponse:
        query = request.query_params.get("q", "")[:200].strip()
        members = session.scalars(
            select(Item)
            .join(CollectionItem, CollectionItem.item_id == Item.id)
            .where(CollectionItem.collection_id == collection.id)
            .order_by(Item.identifier)
        ).all()
        return pages.render(
            request,
            "curator_collection.html",
            status_code=status_code,
            collection=collection,
            members=members,
            candidates=_candidates(session, collection, query),
            q=query,
            values={
                "title": collection.title,
                "description": collection.description,
                "identifiers": "",
            }
            | values,
            errors=errors,
            saved=request.query_params.get("saved") == "1",
        )

    # Exhibits ----------------------------------------------------------------------------

    @router.get("/curator/exhibits", response_class=HTMLResponse)
    def exhibits_page(request: Request, session: SessionDep, curator: PageCurator) -> HTMLResponse:
        """Every exhibit with its visibility, and the form to start a new one."""
        return _exhibits_page(request, session, {}, {})

    @router.post("/curator/exhibits", dependencies=[CsrfChecked])
    async def create_exhibit_page(
        request: Request, session: SessionDep, curator: PageCurator
    ) -> Response:
        """Create a draft exhibit from its titles and summaries, then add its sections."""
        form = await request.form()
        values = _sent(form, "title", "summary") | {"slug": str(form.get("slug", ""))}
        try:
            new = NewExhibit.model_validate(
                {
                    "title": _texts(form, "title"),
                    "summary": _texts(form, "summary"),
                    "slug": values["slug"].strip() or None,
                }
            )
            exhibit = create_exhibit(session, new, actor=curator.username)
        except (ValidationError, CurationError) as exc:
            return _exhibits_page(request, session, values, errors_of(request, exc), 422)
        return _see(f"/curator/exhibits/{exhibit.slug}?saved=1")

    @router.get("/curator/exhibits/{slug}", response_class=HTMLResponse)
    def exhibit_page(
        slug: str, request: Request, session: SessionDep, curator: PageCurator
    ) -> HTMLResponse:
        """An exhibit: titles and summaries, publishing, and its sections to edit and order."""
        return _exhibit_page(request, session, visible_exhibit(session, slug, curator), {}, {})

    @router.post("/curator/exhibits/{slug}", dependencies=[CsrfChecked])
    async def save_exhibit(
        slug: str, request: Request, session: SessionDep, curator: PageCurator
    ) -> Response:
        """Save the titles and summaries in the three languages."""
        exhibit = visible_exhibit(session, slug, curator)
        form = await request.form()
        try:
            update = ExhibitUpdate.model_validate(
                {"title": _texts(form, "title"), "summary": _texts(form, "summary")}
            )
        except ValidationError as exc:
            values = _sent(form, "title", "summary")
            return _exhibit_page(request, session, exhibit, values, errors_of(request, exc), 422)
        update_exhibit(session, exhibit, update, actor=curator.username)
        return _see(f"/curator/exhibits/{slug}?saved=1")

    @router.post("/curator/exhibits/{slug}/visibility", dependencies=[CsrfChecked])
    def exhibit_visibility(
        slug: str,
        session: SessionDep,
        curator: PageCurator,
        visibility: Annotated[Visibility, Form()],
    ) -> Response:
        """Publish or unpublish the exhibit."""
        exhibit = visible_exhibit(session, slug, curator)
        update_exhibit(
            session, exhibit, ExhibitUpdate(visibility=visibility), actor=curator.username
        )
        return _see(f"/curator/exhibits/{slug}?saved=1")

    @router.post("/curator/exhibits/{slug}/sections", dependencies=[CsrfChecked])
    async def add_exhibit_section(
        slug: str, request: Request, session: SessionDep, curator: PageCurator
    ) -> Response:
        """Add a section at the end, checked as the API checks it."""
        exhibit = visible_exhibit(session, slug, curator)
        form = await request.form()
        try:
            fields = SectionFields.model_validate(_section_input(form))
            section = add_section(session, exhibit, fields, actor=curator.username)
        except (ValidationError, CurationError) as exc:
            values = {f"new-{k}": v for k, v in _section_sent(form).items()}
            errors = errors_of(request, exc, "new-")
            return _exhibit_page(request, session, exhibit, values, errors, 422, "new-section")
        return _see(f"/curator/exhibits/{slug}?saved=1#section-{section.id}")

    @router.post("/curator/exhibits/{slug}/sections/{section_id}", dependencies=[CsrfChecked])
    async def save_exhibit_section(
        slug: str, section_id: int, request: Request, session: SessionDep, curator: PageCurator
    ) -> Response:
        """Save a section's texts, item, page and region; on an error nothing changes."""
        exhibit = visible_exhibit(session, slug, curator)
        section = section_or_404(exhibit, section_id)
        form = await request.form()
        prefix = f"s{section.id}-"
        try:
            update = SectionUpdate.model_validate(_section_input(form))
            update_section(session, exhibit, section, update, actor=curator.username)
        except (ValidationError, CurationError) as exc:
            values = {prefix + k: v for k, v in _section_sent(form).items()}
            errors = errors_of(request, exc, prefix)
            anchor = f"section-{section.id}"
            return _exhibit_page(request, session, exhibit, values, errors, 422, anchor)
        return _see(f"/curator/exhibits/{slug}?saved=1#section-{section.id}")

    @router.post("/curator/exhibits/{slug}/sections/{section_id}/move", dependencies=[CsrfChecked])
    def move_exhibit_section(
        slug: str,
        section_id: int,
        session: SessionDep,
        curator: PageCurator,
        direction: Annotated[str, Form(pattern="^(up|down)$")],
    ) -> Response:
        """Move a section one place up or down."""
        exhibit = visible_exhibit(session, slug, curator)
        section = section_or_404(exhibit, section_id)
        offset = -1 if direction == "up" else 1
        move_section(session, exhibit, section, offset, actor=curator.username)
        return _see(f"/curator/exhibits/{slug}#section-{section.id}")

    @router.post(
        "/curator/exhibits/{slug}/sections/{section_id}/remove", dependencies=[CsrfChecked]
    )
    def remove_exhibit_section(
        slug: str, section_id: int, session: SessionDep, curator: PageCurator
    ) -> Response:
        """Remove a section (its item stays in the catalogue)."""
        exhibit = visible_exhibit(session, slug, curator)
        remove_section(
            session, exhibit, section_or_404(exhibit, section_id), actor=curator.username
        )
        return _see(f"/curator/exhibits/{slug}?saved=1#sections")

    @router.post("/curator/exhibits/{slug}/delete", dependencies=[CsrfChecked])
    def delete_exhibit_page(
        slug: str,
        request: Request,
        session: SessionDep,
        curator: PageCurator,
        confirm: Annotated[str, Form()] = "",
    ) -> Response:
        """Delete a draft exhibit once the curator ticked the confirmation; items stay."""
        exhibit = visible_exhibit(session, slug, curator)
        if confirm != "yes":
            errors = {"delete": tr(request, "Tick the box to confirm the deletion.")}
            return _exhibit_page(request, session, exhibit, {}, errors, 422)
        try:
            delete_exhibit(session, exhibit, actor=curator.username)
        except CurationError as exc:
            errors = {"delete": _curation_message(request, tr, exc)}
            return _exhibit_page(request, session, exhibit, {}, errors, 409)
        return _see("/curator/exhibits?deleted=1")

    def _exhibits_page(
        request: Request,
        session: SessionDep,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> HTMLResponse:
        exhibits = session.scalars(select(Exhibit).order_by(Exhibit.id)).all()
        return pages.render(
            request,
            "curator_exhibits.html",
            status_code=status_code,
            exhibits=[(e, len(e.sections)) for e in exhibits],
            values=_blank("title", "summary") | {"slug": ""} | values,
            errors=errors,
            deleted=request.query_params.get("deleted") == "1",
        )

    def _exhibit_page(
        request: Request,
        session: SessionDep,
        exhibit: Exhibit,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
        focus: str = "",
    ) -> HTMLResponse:
        shown = _map_values("title", exhibit.title) | _map_values("summary", exhibit.summary)
        shown |= {f"new-{k}": v for k, v in _section_values(None).items()}
        sections = []
        for section in exhibit.sections:
            fields = section_fields(session, section)
            shown |= {f"s{section.id}-{k}": v for k, v in _section_values(fields).items()}
            sections.append(_section_view(session, section, fields))
        items = session.execute(
            select(Item.identifier, Item.title_zh_hant, Item.title_en)
            .order_by(Item.identifier)
            .limit(5_000)
        ).all()
        return pages.render(
            request,
            "curator_exhibit.html",
            status_code=status_code,
            exhibit=exhibit,
            heading=localised(exhibit.title, request_language(request), exhibit.slug),
            sections=sections,
            items=items,
            values=shown | values,
            errors=errors,
            focus=focus,
            saved=request.query_params.get("saved") == "1",
        )

    return router


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status.HTTP_303_SEE_OTHER)


def _candidates(session: SessionDep, collection: Collection, query: str) -> list[Item]:
    """Items not yet in the collection matching the query by identifier or title (newest
    first when there is no query), for the picker."""
    members = select(CollectionItem.item_id).where(CollectionItem.collection_id == collection.id)
    search = select(Item).where(Item.id.not_in(members))
    if query:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        search = search.where(
            or_(
                *(
                    column.ilike(pattern, escape="\\")
                    for column in (
                        Item.identifier,
                        Item.title_zh_hant,
                        Item.title_zh_hans,
                        Item.title_en,
                    )
                )
            )
        )
    return list(session.scalars(search.order_by(Item.id.desc()).limit(PICKER_SIZE)))


def _texts(form: FormData, base: str) -> dict[str, str]:
    """A language map from the form fields `base_zh_hant`, `base_zh_hans`, `base_en`."""
    return {lang: str(form.get(f"{base}_{suffix}", "")) for lang, suffix in SUFFIXES.items()}


def _sent(form: FormData, *bases: str) -> dict[str, str]:
    return {
        f"{base}_{suffix}": str(form.get(f"{base}_{suffix}", ""))
        for base in bases
        for suffix in SUFFIXES.values()
    }


def _blank(*bases: str) -> dict[str, str]:
    return {f"{base}_{suffix}": "" for base in bases for suffix in SUFFIXES.values()}


def _map_values(base: str, texts: Mapping[Any, Any]) -> dict[str, str]:
    return {f"{base}_{suffix}": str(texts.get(lang, "")) for lang, suffix in SUFFIXES.items()}


def _section_input(form: FormData) -> dict[str, Any]:
    """What a section form sends, as the catalogue's section fields (blank → none)."""
    page = str(form.get("page", "")).strip()
    return {
        "heading": _texts(form, "heading"),
        "body": _texts(form, "body"),
        "item": str(form.get("item", "")).strip() or None,
        "page": page or None,
        "region": str(form.get("region", "")),
    }


def _section_sent(form: FormData) -> dict[str, str]:
    return _sent(form, "heading", "body") | {
        name: str(form.get(name, "")) for name in ("item", "page", "region")
    }


def _section_values(fields: SectionFields | None) -> dict[str, str]:
    if fields is None:
        return _blank("heading", "body") | {"item": "", "page": "", "region": ""}
    return (
        _map_values("heading", fields.heading)
        | _map_values("body", fields.body)
        | {
            "item": fields.item or "",
            "page": str(fields.page or ""),
            "region": fields.region,
        }
    )


def _section_view(
    session: SessionDep, section: ExhibitSection, fields: SectionFields
) -> dict[str, Any]:
    """A section as the curator sees it: its item's state, its pages' sizes and a preview."""
    item = session.get(Item, section.item_id) if section.item_id else None
    page = session.get(Page, section.page_id) if section.page_id else None
    if item is not None and page is None and item.pages:
        page = item.pages[0]
    return {
        "section": section,
        "fields": fields,
        "item": item,
        "pages": [(p.position, p.label, p.width, p.height) for p in item.pages] if item else [],
        "preview": _preview(page, section.region) if page else None,
    }


def _preview(page: Page, region: str, size: int = 360) -> str:
    """A IIIF URL showing the section's region (or the page), never upscaled."""
    box = parse_region(region)
    width, height = (box[2], box[3]) if box else (page.width, page.height)
    fitted = f"!{size},{size}" if max(width, height) > size else "max"
    return f"/iiif/3/{page.public_id}/{region or 'full'}/{fitted}/0/default.jpg"


def _validation_message(request: Request, tr: Any, error: Any) -> str:
    """A form validation error in the reader's language."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    field = str(error["loc"][0]) if error.get("loc") else ""
    if kind == "string_too_long":
        message: str = tr(request, "Too long: at most %(max)s characters.")
        return message % {"max": context.get("max_length", "?")}
    if kind in ("string_too_short", "missing"):
        return str(tr(request, "Required."))
    if kind == "string_pattern_mismatch" and field == "region":
        return str(tr(request, "Write the region as x,y,w,h in pixels, e.g. 200,100,600,900."))
    if kind == "string_pattern_mismatch" and field == "item":
        return str(tr(request, "Not an item identifier: use lower-case letters, digits and - . _"))
    if kind == "string_pattern_mismatch":
        return str(tr(request, "Use lower-case letters, digits and hyphens, e.g. taishan-letters."))
    if kind.startswith("int") or kind in ("greater_than_equal", "less_than_equal"):
        return str(tr(request, "Not a page number: write 1 for the first page."))
    if field == "title":
        return str(tr(request, "Give a title in at least one language."))
    return str(error.get("msg", "invalid value"))


def _curation_message(request: Request, tr: Any, exc: CurationError) -> str:
    """A catalogue refusal in the reader's language (the API's English message otherwise)."""
    params = {k: str(v) for k, v in exc.params.items()}
    messages = {
        "slug_taken": tr(
            request,
            "This web address is already used: %(slug)s. Choose another title or web address.",
        ),
        "unknown_items": tr(request, "No item with identifier %(identifiers)s."),
        "unknown_item": tr(request, "No item with identifier %(identifier)s."),
        "no_items": tr(request, "Tick or type at least one item."),
        "too_many_items": tr(request, "At most %(max)s items at a time."),
        "delete_published": tr(request, "Unpublish it before deleting it."),
        "region_without_item": tr(request, "A page or a region needs an item."),
        "empty_section": tr(request, "A section needs a heading, a text or an item."),
        "region_without_page": tr(request, "This item has no pages, so no region can be shown."),
        "region_outside": tr(
            request,
            "The region %(region)s does not fit inside the page (%(width)s × %(height)s pixels).",
        ),
        "unknown_page": tr(request, "This item has no page %(number)s; it has %(pages)s."),
        "too_many_sections": tr(request, "An exhibit has at most %(max)s sections."),
    }
    message = messages.get(exc.code)
    return exc.message if message is None else str(message) % params
