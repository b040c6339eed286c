"""The `derive` step: a tiled pyramid and the pre-cut standard tiles of a page's image.

Derivatives are a cache: rebuildable at any time from the immutable master (`qiaopi derive`).
"""

from __future__ import annotations

from sqlalchemy import select

import iiif
from archive.catalogue.models import Page
from archive.context import Archive
from archive.jobs.registry import Step, register

KIND = "derive"


def run(archive: Archive, page_id: str) -> None:
    """Build the page's pyramid and pre-cut tiles (idempotent)."""
    with archive.catalogue.reader() as session:
        page = session.scalar(select(Page).where(Page.public_id == page_id))
        if page is None:
            raise LookupError(f"page {page_id} no longer exists")
        sha256 = page.sha256
        source = iiif.ImageSource(
            master=lambda: archive.blobs.open(sha256),
            width=page.width,
            height=page.height,
            fingerprint=sha256,
        )
    iiif.derive(page_id, source, archive.settings.derivative_dir)


STEP = register(Step(KIND, "page", run, "Build the image pyramid and pre-cut tiles"))
