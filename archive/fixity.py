"""The fixity audit: every master is re-read and checked against the sha256 recorded at ingest."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import func, select

from archive.blobs import BlobNotFoundError, verify
from archive.catalogue.models import Item, Page
from archive.context import Archive


@dataclass(frozen=True)
class FixityProblem:
    """A master that is missing or no longer matches its recorded checksum."""

    page: str
    item: str
    sha256: str
    problem: str  # "missing" | "mismatch"


def page_count(archive: Archive) -> int:
    """How many masters an audit will read."""
    with archive.catalogue.reader() as session:
        return session.scalar(select(func.count(Page.id))) or 0


def audit(
    archive: Archive, on_page: Callable[[int], None] | None = None
) -> Iterator[FixityProblem]:
    """Yield every problem found while re-reading all masters, in page order."""
    with archive.catalogue.reader() as session:
        rows = session.execute(
            select(Page.public_id, Item.identifier, Page.sha256, Page.byte_size)
            .join(Item, Item.id == Page.item_id)
            .order_by(Page.id)
        ).all()
    for public_id, identifier, sha256, size in rows:
        try:
            intact = verify(archive.blobs, sha256)
        except BlobNotFoundError:
            yield FixityProblem(public_id, identifier, sha256, "missing")
        else:
            if not intact:
                yield FixityProblem(public_id, identifier, sha256, "mismatch")
        if on_page:
            on_page(size)
