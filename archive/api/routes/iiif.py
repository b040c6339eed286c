"""IIIF for the archive: Image API 3, manifests, collections and Content Search.

The libraries in `iiif/` do the work; here the archive hands them presenters and resolvers
that only ever expose published items, so unpublished ones answer 404 everywhere.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request, status
from fastapi.responses import Response
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from archive.api.deps import SessionDep, UserDep
from archive.api.public_images import CachedImages
from archive.api.routes.exhibits import visible_exhibit
from archive.api.visibility import (
    base_url,
    get_visible_item,
    request_base,
    request_user_id,
    visible_items,
)
from archive.catalogue.items import find_item, is_public
from archive.catalogue.models import (
    Collection,
    CollectionItem,
    Exhibit,
    Item,
    Page,
    Place,
    User,
    Visibility,
)
from archive.context import Archive
from archive.presenters import (
    TopListing,
    collection_view,
    exhibit_view,
    item_view,
    site_view,
    top_collection,
)
from iiif import (
    DEFAULT_CACHE_CONTROL,
    EmptyDocument,
    ImageEndpoint,
    ImageFastPath,
    ImageService,
    ImageSource,
    SearchableItem,
    build_collection,
    build_manifest,
    content_search_router,
    image_api_router,
)
from search import fold

router = APIRouter(prefix="/iiif", tags=["IIIF Presentation"])
JSON_LD = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


def _json(document: dict[str, Any]) -> Response:
    return Response(
        json.dumps(document, ensure_ascii=False),
        media_type=JSON_LD,
        headers={"Access-Control-Allow-Origin": "*"},
    )


def image_source(archive: Archive, identifier: str) -> ImageSource | None:
    """The master of a page the caller may see, or None (→ 404): published items for
    everyone, drafts and restricted items for signed-in curators only."""
    with archive.catalogue.reader() as session:
        page = session.scalar(select(Page).where(Page.public_id == identifier))
        if page is None:
            return None
        user_id = request_user_id.get()
        curator = user_id is not None and session.get(User, user_id) is not None
        if not is_public(page.item) and not curator:
            return None
        return _source(archive, page)


def public_image_source(archive: Archive, identifier: str) -> ImageSource | None:
    """The master of a page of a published item, or None (→ 404): what anyone may see."""
    with archive.catalogue.reader() as session:
        page = session.scalar(select(Page).where(Page.public_id == identifier))
        if page is None or not is_public(page.item):
            return None
        return _source(archive, page)


def _source(archive: Archive, page: Page) -> ImageSource:
    sha256 = page.sha256
    return ImageSource(
        master=lambda: archive.blobs.open(sha256),
        width=page.width,
        height=page.height,
        fingerprint=sha256,
    )


@router.get("/items/{identifier}/manifest")
def manifest(identifier: str, request: Request, session: SessionDep, user: UserDep) -> Response:
    """The IIIF Presentation 3 manifest of an item."""
    item = get_visible_item(session, identifier, user)
    try:
        return _json(build_manifest(item_view(session, item, base_url(request))))
    except EmptyDocument as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"item {identifier!r} has no pages") from exc


@router.get("/collections/{slug}")
def collection(slug: str, request: Request, session: SessionDep, user: UserDep) -> Response:
    """A IIIF collection of the visible items of a catalogue collection."""
    found = session.scalar(select(Collection).where(Collection.slug == slug))
    if found is None or (user is None and found.visibility != Visibility.published):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no collection {slug!r}")
    items = session.scalars(
        visible_items(user)
        .join(CollectionItem, CollectionItem.item_id == Item.id)
        .where(CollectionItem.collection_id == found.id, Item.pages.any())
        .order_by(Item.identifier)
    ).all()
    try:
        return _json(build_collection(collection_view(found, items, base_url(request))))
    except EmptyDocument as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"collection {slug!r} is empty") from exc


@router.get("/exhibits/{slug}")
def exhibit(slug: str, request: Request, session: SessionDep, user: UserDep) -> Response:
    """A IIIF collection of the visible items an exhibit's sections show, in section order."""
    found = visible_exhibit(session, slug, user)
    shown = list(dict.fromkeys(s.item_id for s in found.sections if s.item_id is not None))
    visible = {
        item.id: item
        for item in session.scalars(visible_items(user).where(Item.id.in_(shown), Item.pages.any()))
    }
    items = [visible[item_id] for item_id in shown if item_id in visible]
    try:
        return _json(build_collection(exhibit_view(found, items, base_url(request))))
    except EmptyDocument as exc:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            f"exhibit {slug!r} shows no published item yet; add one to a section or publish it",
        ) from exc


@router.get("/sites/{place_id}")
def site(place_id: int, request: Request, session: SessionDep, user: UserDep) -> Response:
    """A IIIF collection of the visible items sent from or to a place or any place beneath it.

    Places have no slug, so the place authority's id names the site: it survives renaming
    and re-seeding the gazetteer (seeding updates places in place).
    """
    found = session.get(Place, place_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no place {place_id}")
    beneath = _beneath(session, place_id)
    items = session.scalars(
        visible_items(user)
        .where(
            or_(Item.sending_place_id.in_(beneath), Item.receiving_place_id.in_(beneath)),
            Item.pages.any(),
        )
        .order_by(Item.identifier)
    ).all()
    try:
        return _json(build_collection(site_view(found, items, base_url(request))))
    except EmptyDocument as exc:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, f"no published item is linked to place {place_id} yet"
        ) from exc


@router.get("/collection")
def top(request: Request, session: SessionDep) -> Response:
    """The archive's top collection: public collections, published exhibits, then sites."""
    listing = TopListing(
        collections=session.scalars(
            select(Collection)
            .where(Collection.visibility == Visibility.published)
            .order_by(Collection.title)
        ).all(),
        exhibits=session.scalars(
            select(Exhibit).where(Exhibit.visibility == Visibility.published).order_by(Exhibit.id)
        ).all(),
        sites=_public_sites(session),
    )
    try:
        return _json(build_collection(top_collection(listing, base_url(request))))
    except EmptyDocument as exc:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, "the archive has nothing public yet"
        ) from exc


def _beneath(session: Session, place_id: int) -> set[int]:
    """The place and every place below it in the hierarchy (loops from merges are cut)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for child, parent in session.execute(select(Place.id, Place.parent_id)):
        children[parent].append(child)
    found = {place_id}
    todo = [place_id]
    while todo:
        for child in children[todo.pop()]:
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _public_sites(session: Session) -> list[Place]:
    """Places with published items linked to them or to a place beneath them, in hierarchy
    order (each place before the places beneath it, siblings by name)."""
    places = {place.id: place for place in session.scalars(select(Place))}
    linked = session.execute(
        select(Item.sending_place_id, Item.receiving_place_id).where(
            Item.visibility == Visibility.published, Item.pages.any()
        )
    )
    marked: set[int] = set()
    for place_id in {place_id for row in linked for place_id in row if place_id is not None}:
        current: int | None = place_id
        while current is not None and current not in marked:
            marked.add(current)
            current = places[current].parent_id
    children: dict[int | None, list[Place]] = defaultdict(list)
    for place_id in marked:
        parent = places[place_id].parent_id
        children[parent if parent in marked else None].append(places[place_id])
    ordered: list[Place] = []
    seen: set[int] = set()

    def walk(roots: list[Place]) -> None:
        todo = sorted(roots, key=_by_name, reverse=True)
        while todo:
            place = todo.pop()
            if place.id not in seen:
                seen.add(place.id)
                ordered.append(place)
                todo.extend(sorted(children[place.id], key=_by_name, reverse=True))

    walk(children[None])
    walk([places[place_id] for place_id in marked - seen])  # places in a parent loop
    return ordered


def _by_name(place: Place) -> tuple[str, int]:
    return place.name, place.id


def mount(app: FastAPI, archive: Archive) -> None:
    """Add the IIIF routes: Image API under /iiif/3, Presentation and Content Search under /iiif."""
    public = archive.settings.public_url.rstrip("/")
    app.include_router(
        image_api_router(
            lambda identifier: image_source(archive, identifier),
            derivative_dir=archive.settings.derivative_dir,
            public_base_url=_image_base(archive),
        ),
        prefix="/iiif/3",
    )
    app.include_router(router)

    def searchable(identifier: str) -> SearchableItem | None:
        with archive.catalogue.reader() as session:
            item = find_item(session, identifier)
            if item is None or not is_public(item) or not item.pages:
                return None
            return SearchableItem.from_view(item_view(session, item, public or request_base.get()))

    app.include_router(content_search_router(searchable, fold), prefix="/iiif/items")


def add_image_fast_path(app: FastAPI, archive: Archive) -> None:
    """Answer visitors' image requests ahead of the app's other middleware (iiif/asgi.py).

    Must be added inside the session middleware: requests from a signed-in session go the
    usual way, where curators may see drafts and get answers no shared cache keeps.
    """
    public_images = CachedImages(
        lambda identifier: public_image_source(archive, identifier), archive.catalogue.changes
    )
    endpoint = ImageEndpoint(
        ImageService(public_images, archive.settings.derivative_dir),
        cache_control=DEFAULT_CACHE_CONTROL,
        public_base_url=_image_base(archive),
        quick_resolve=public_images.cached,
    )
    app.add_middleware(
        ImageFastPath,
        endpoint=endpoint,
        prefix="/iiif/3",
        applies=lambda scope: scope["session"].get("user_id") is None,
    )


def _image_base(archive: Archive) -> str | None:
    """The Image API's public base URL, when the settings fix one."""
    public = archive.settings.public_url.rstrip("/")
    return f"{public}/iiif/3" if public else None
