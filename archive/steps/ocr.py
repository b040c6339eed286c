"""The `ocr` step: recognise one page and store the text as a new machine version."""

from __future__ import annotations

from sqlalchemy import select

import ocr
from archive.catalogue.models import Page
from archive.catalogue.transcriptions import add_machine_text
from archive.context import Archive
from archive.jobs.registry import Step, register
from archive.steps.index import queue_index

KIND = "ocr"


class PageGone(LookupError):
    """The page was deleted after its job was queued."""


def run(archive: Archive, page_id: str, engine: str | None = None) -> None:
    """OCR the page's master; a failure raises with the reason, recorded on the job."""
    with archive.catalogue.reader() as session:
        page = session.scalar(select(Page).where(Page.public_id == page_id))
        if page is None:
            raise PageGone(f"page {page_id} no longer exists")
        sha256 = page.sha256
    with archive.blobs.open(sha256) as stream:
        image = ocr.open_image(stream.read())
    result = ocr.recognize(image, engine or archive.settings.ocr_engine or None, image_name=page_id)
    with archive.catalogue.session() as session:
        page = session.scalar(select(Page).where(Page.public_id == page_id))
        if page is None:
            raise PageGone(f"page {page_id} no longer exists")
        add_machine_text(
            session,
            page,
            text=result.text,
            page_xml=ocr.to_page_xml(result).decode("utf-8"),
            engine=f"{result.provenance.engine} {result.provenance.model}".strip(),
        )
        queue_index(session, page.item.identifier)


STEP = register(Step(KIND, "page", run, "Recognise the text of a page (OCR)"))
