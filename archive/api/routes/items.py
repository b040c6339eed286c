"""Items and their pages: public reads, curator writes."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Header, HTTPException, Query, Request, UploadFile, status
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.api.deps import ArchiveDep, CuratorDep, SessionDep, UserDep
from archive.api.schemas import ItemList, ItemOut, PageOut, item_out, item_summary, page_out
from archive.api.visibility import base_url, get_visible_item, visible_items
from archive.catalogue.audit import record_change
from archive.catalogue.fields import ItemUpdate, NewItem, apply_update
from archive.catalogue.items import (
    ItemExistsError,
    create_item,
    delete_item,
    fields_of,
    update_item,
)
from archive.catalogue.models import Item, Page, User, Visibility
from archive.ingest.validate import SUPPORTED_SUFFIXES, InvalidScanError, verify_scan
from archive.jobs.queue import enqueue
from archive.jobs.registry import page_steps

router = APIRouter(prefix="/api/items", tags=["items"])


def _out(session: Session, item: Item, request: Request, user: User | None) -> ItemOut:
    """The item as JSON; draft collections it belongs to are named to curators only."""
    shown = [
        c.slug for c in item.collections if c.visibility == Visibility.published or user is not None
    ]
    return item_out(item, base_url(request), shown)


@router.get("")
def list_items(
    session: SessionDep,
    user: UserDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ItemList:
    """Items the caller may see, newest first."""
    query = visible_items(user)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = session.scalars(query.order_by(Item.id.desc()).offset(offset).limit(limit))
    return ItemList(total=total, items=[item_summary(i) for i in items])


@router.get("/{identifier}")
def get_item(identifier: str, request: Request, session: SessionDep, user: UserDep) -> ItemOut:
    """One item with its pages and the URL of its IIIF manifest (404 if not visible)."""
    return _out(session, get_visible_item(session, identifier, user), request, user)


@router.get("/{identifier}/pages")
def get_pages(
    identifier: str, request: Request, session: SessionDep, user: UserDep
) -> list[PageOut]:
    """The pages of an item, in order."""
    item = get_visible_item(session, identifier, user)
    return [page_out(p, base_url(request)) for p in item.pages]


@router.post("", status_code=status.HTTP_201_CREATED)
def post_item(new: NewItem, request: Request, session: SessionDep, curator: CuratorDep) -> ItemOut:
    """Create an item (curators only)."""
    try:
        item = create_item(session, new, actor=curator.username)
    except ItemExistsError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    session.flush()
    session.refresh(item)
    return _out(session, item, request, curator)


@router.patch("/{identifier}")
def patch_item(
    identifier: str,
    update: ItemUpdate,  # type: ignore[valid-type]
    request: Request,
    session: SessionDep,
    curator: CuratorDep,
) -> ItemOut:
    """Change some fields of an item (curators only); the change is audited."""
    item = get_visible_item(session, identifier, curator)
    try:
        fields = apply_update(fields_of(item), update)
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    update_item(session, item, fields, actor=curator.username)
    session.flush()
    return _out(session, item, request, curator)


@router.delete("/{identifier}", status_code=status.HTTP_204_NO_CONTENT)
def remove_item(identifier: str, session: SessionDep, curator: CuratorDep) -> None:
    """Delete an item from the catalogue (curators only; masters stay in the blob store)."""
    delete_item(session, get_visible_item(session, identifier, curator), actor=curator.username)


@router.post("/{identifier}/pages", status_code=status.HTTP_201_CREATED)
def upload_page(
    identifier: str,
    request: Request,
    archive: ArchiveDep,
    session: SessionDep,
    curator: CuratorDep,
    file: Annotated[UploadFile, File(description="A JPEG, PNG or TIFF scan")],
    label: Annotated[str, Query(max_length=200)] = "",
    content_length: Annotated[int | None, Header()] = None,
) -> PageOut:
    """Add a scanned page to an item (curators only); verified like ingest, then queued."""
    limit = archive.settings.max_upload_bytes
    if content_length is not None and content_length > limit + 64 * 1024:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE, f"the upload is over the limit of {limit} bytes"
        )
    item = get_visible_item(session, identifier, curator)
    name = Path(file.filename or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            f"{name}: unsupported file type; upload a JPEG, PNG or TIFF scan",
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with path.open("wb") as out:
            shutil.copyfileobj(file.file, out, 1 << 20)
        try:
            info = verify_scan(path, max_bytes=limit, max_pixels=archive.settings.max_image_pixels)
        except InvalidScanError as exc:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT, f"{name}: {exc.reason}"
            ) from exc
        with path.open("rb") as handle:
            stored = archive.blobs.put(handle)
    if session.scalar(select(Page).where(Page.sha256 == stored.sha256)) is not None:
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"{name}: this scan is already in the archive"
        )
    position = (
        session.scalar(select(func.max(Page.position)).where(Page.item_id == item.id)) or 0
    ) + 1
    page = Page(
        public_id=f"{item.identifier}-p{position}",
        item_id=item.id,
        position=position,
        label=label or Path(name).stem,
        sha256=stored.sha256,
        byte_size=info.byte_size,
        width=info.width,
        height=info.height,
        media_type=info.media_type,
        original_filename=name,
    )
    session.add(page)
    session.flush()
    for step in page_steps():
        enqueue(session, step.kind, page.public_id)
    record_change(
        session,
        actor=curator.username,
        action="add-page",
        entity="item",
        entity_id=item.identifier,
        changes={"page": page.public_id, "sha256": stored.sha256},
    )
    return page_out(page, base_url(request))
