"""Static export for offline kiosks and static hosting: a folder any file server can serve.

It holds level-0 IIIF image services (pre-cut tiles and sizes, `full/max` included), the
manifests and collections rewritten for the new base URL, and an index page. Only published
items are exported. Server-side features (Content Search, ALTO links) are left out of the
exported manifests, since a plain file server cannot answer them.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_, select

from archive.catalogue.models import Collection, CollectionItem, Item, Visibility
from archive.context import Archive
from archive.presenters import collection_view, item_view
from iiif import (
    ImageSource,
    ItemView,
    build_collection,
    build_manifest,
    export_image_service,
    write_document,
)

VIEWER_DIR = Path(__file__).resolve().parent.parent / "viewer" / "static" / "vendor"


class ExportError(ValueError):
    """The export cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    items: int
    images: int
    out_dir: Path


def export_static(
    archive: Archive,
    collection: str,
    out_dir: Path,
    *,
    base_url: str,
    on_image: Callable[[int, int], None] | None = None,
) -> ExportSummary:
    """Export the published items of `collection` (slug or title) to `out_dir`."""
    base = base_url.rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise ExportError(f"--base-url {base_url!r} must be an absolute http(s) URL")
    if out_dir.exists() and any(out_dir.iterdir()):
        raise ExportError(f"{out_dir} is not empty; export into a new or empty folder")
    with archive.catalogue.reader() as session:
        found = session.scalar(
            select(Collection).where(
                or_(Collection.slug == collection, Collection.title == collection)
            )
        )
        if found is None or found.visibility != Visibility.published:
            raise ExportError(f"no public collection {collection!r}")
        items = list(
            session.scalars(
                select(Item)
                .join(CollectionItem, CollectionItem.item_id == Item.id)
                .where(
                    CollectionItem.collection_id == found.id,
                    Item.visibility == Visibility.published,
                    Item.pages.any(),
                )
                .order_by(Item.identifier)
            )
        )
        if not items:
            raise ExportError(f"collection {collection!r} has no published item with pages")
        views = [_static_view(item_view(session, item, base)) for item in items]
        pages = [(p.public_id, p.sha256, p.width, p.height) for item in items for p in item.pages]
        collection_doc = build_collection(collection_view(found, items, base))
        slug = found.slug
    out_dir.mkdir(parents=True, exist_ok=True)
    for done, (page_id, sha256, width, height) in enumerate(pages, start=1):
        source = ImageSource(
            master=functools.partial(archive.blobs.open, sha256),
            width=width,
            height=height,
            fingerprint=sha256,
        )
        export_image_service(
            page_id,
            source,
            derivative_dir=archive.settings.derivative_dir,
            out_dir=out_dir / "iiif" / "3",
            base_url=f"{base}/iiif/3",
        )
        if on_image:
            on_image(done, len(pages))
    for item, view in zip(items, views, strict=True):
        write_document(build_manifest(view), out_dir, f"iiif/items/{item.identifier}/manifest")
    write_document(collection_doc, out_dir, f"iiif/collections/{slug}")
    _write_index(out_dir, base, items)
    return ExportSummary(len(items), len(pages), out_dir)


def _static_view(view: ItemView) -> ItemView:
    pages = [dataclasses.replace(p, see_also=()) for p in view.pages]
    return dataclasses.replace(view, pages=pages, search=None, rendering=())


def _write_index(out_dir: Path, base: str, items: list[Item]) -> None:
    viewer = VIEWER_DIR / "mirador.min.js"
    has_viewer = viewer.is_file()
    if has_viewer:
        shutil.copyfile(viewer, out_dir / "mirador.min.js")
    links = "\n".join(
        f'<li><a href="{html.escape(base)}/iiif/items/{html.escape(i.identifier)}/manifest" '
        f"data-manifest>{html.escape(i.title_zh_hant or i.title_en or i.identifier)}</a></li>"
        for i in items
    )
    script = (
        '<script src="mirador.min.js"></script><script>'
        "document.querySelectorAll('[data-manifest]').forEach(a=>a.addEventListener('click',e=>{"
        "e.preventDefault();Mirador.viewer({id:'viewer',windows:[{manifestId:a.href}]});}));"
        "</script>"
        if has_viewer
        else ""
    )
    (out_dir / "index.html").write_text(
        '<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<title>僑批檔案庫 Qiaopi Archive</title></head><body>"
        f"<h1>僑批檔案庫 Qiaopi Archive</h1><ul>{links}</ul>"
        f'<div id="viewer" style="position:relative;height:80vh"></div>{script}</body></html>',
        encoding="utf-8",
    )
