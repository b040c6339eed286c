"""The `index` step: put a published item into the search index, or take it out.

It runs after the catalogue commit, from the durable queue, so a search outage never blocks
or loses a save: the job fails, keeps its reason, and is retried when the engine is back.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from archive.catalogue.items import find_item, is_public
from archive.catalogue.models import Item
from archive.catalogue.transcriptions import current_text
from archive.context import Archive
from archive.indexing import index_document
from archive.jobs.queue import enqueue
from archive.jobs.registry import INDEX_KIND, Step, register


def page_texts(session: Session, item: Item) -> dict[int, str]:
    """The current text of every page of the item, by position."""
    texts = {}
    for page in item.pages:
        version = current_text(session, page)
        if version is not None and version.text:
            texts[page.position] = version.text
    return texts


def run(archive: Archive, identifier: str) -> None:
    """Index the item if it is published; otherwise make sure the index does not hold it."""
    with archive.catalogue.reader() as session:
        item = find_item(session, identifier)
        document = (
            index_document(item, page_texts(session, item))
            if item is not None and is_public(item)
            else None
        )
    if document is None:
        archive.search.delete([identifier])
    else:
        archive.search.index([document])


def queue_index(session: Session, identifier: str) -> None:
    """Queue (again) the indexing of an item after it changed."""
    enqueue(session, INDEX_KIND, identifier, redo=True)


STEP = register(Step(INDEX_KIND, "item", run, "Update the search index for an item"))
