"""Ingest: verify every file, store masters, then create each item in one transaction.

All files are verified before anything is stored. Masters go to the blob store first
(content-addressed, so a retry rewrites nothing); each item with its pages, collection
membership, follow-up jobs and audit entry is then committed in ONE transaction, so a crash
or kill leaves either the whole item or none of it. Running the same ingest again matches
what is there instead of adding second pages.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.catalogue.audit import record_change
from archive.catalogue.collections import add_to_collection, ensure_collection
from archive.catalogue.fields import ItemFields, NewItem
from archive.catalogue.items import create_item, fields_of, find_item, update_item
from archive.catalogue.models import Page
from archive.context import Archive
from archive.ingest.discover import ItemSource, discover, page_label
from archive.ingest.metadata import ItemMetadata, MetadataError, read_metadata, slugify
from archive.ingest.validate import ScanInfo, check_all
from archive.jobs.queue import enqueue
from archive.jobs.registry import page_steps


class IngestRefused(ValueError):
    """Ingest refused its input; `problems` lists every file or row at fault."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ItemOutcome:
    """What ingest did with one item."""

    identifier: str
    status: str  # created | updated | unchanged
    pages: int
    new_pages: int
    matched_pages: int


@dataclass
class IngestReport:
    """Totals of one ingest run, for the summary and the benchmark."""

    outcomes: list[ItemOutcome] = field(default_factory=list)
    bytes_stored: int = 0
    seconds: float = 0.0

    @property
    def new_pages(self) -> int:
        """Pages added in this run."""
        return sum(o.new_pages for o in self.outcomes)


@dataclass(frozen=True)
class _Scan:
    info: ScanInfo
    sha256: str


@dataclass(frozen=True)
class _Plan:
    source: ItemSource
    metadata: ItemMetadata | None
    scans: tuple[_Scan, ...]


def ingest(
    archive: Archive,
    paths: list[Path],
    *,
    metadata: Path | None = None,
    collection: str | None = None,
    actor: str = "ingest",
    on_verified: Callable[[int, int], None] | None = None,
    on_item: Callable[[ItemOutcome], None] | None = None,
) -> IngestReport:
    """Ingest folders of scans as items; raises IngestRefused (nothing stored) on bad input."""
    started = time.perf_counter()
    plans = _plan(archive, paths, metadata, on_verified)
    report = IngestReport()
    for plan in plans:
        for scan in plan.scans:
            with scan.info.path.open("rb") as handle:
                stored = archive.blobs.put(handle)
            if stored.sha256 != scan.sha256:
                raise IngestRefused([f"{scan.info.path}: the file changed while being ingested"])
        with archive.catalogue.session() as session:
            outcome = _commit_item(session, plan, collection, actor)
        report.bytes_stored += sum(s.info.byte_size for s in plan.scans)
        report.outcomes.append(outcome)
        if on_item:
            on_item(outcome)
    report.seconds = time.perf_counter() - started
    return report


def _plan(
    archive: Archive,
    paths: list[Path],
    metadata_path: Path | None,
    on_verified: Callable[[int, int], None] | None,
) -> list[_Plan]:
    problems: list[str] = []
    rows: dict[str, ItemMetadata] = {}
    if metadata_path is not None:
        try:
            rows = read_metadata(metadata_path)
        except MetadataError as exc:
            raise IngestRefused([str(exc)]) from exc
    ignore = frozenset({metadata_path.resolve()}) if metadata_path else frozenset()
    try:
        sources = discover(paths, ignore=ignore)
    except ValueError as exc:
        raise IngestRefused([str(exc)]) from exc
    if not sources:
        raise IngestRefused(["no scans found in " + ", ".join(str(p) for p in paths)])
    keys = {s.key for s in sources}
    for folder, row in rows.items():
        if folder not in keys:
            problems.append(
                f"{metadata_path}, row {row.row}: unknown item: no folder {folder!r} "
                "among the paths given"
            )
    settings = archive.settings
    checked = iter(
        check_all(
            [path for source in sources for path in source.files],
            max_bytes=settings.max_upload_bytes,
            max_pixels=settings.max_image_pixels,
            on_checked=on_verified,
        )
    )
    plans = []
    for source in sources:
        scans = []
        for _ in source.files:
            result = next(checked)
            if result.info is None:
                problems.append(result.problem)
            else:
                scans.append(_Scan(result.info, result.sha256))
        plans.append(_Plan(source, rows.get(source.key), tuple(scans)))
    if problems:
        raise IngestRefused(problems)
    return plans


def _commit_item(session: Session, plan: _Plan, collection: str | None, actor: str) -> ItemOutcome:
    new = plan.metadata.item if plan.metadata else _default_item(plan.source.key)
    item = find_item(session, new.identifier)
    if item is None:
        item = create_item(session, new, actor=actor)
        session.flush()
        status = "created"
    else:
        changes = update_item(session, item, _merge(fields_of(item), new), actor=actor)
        status = "updated" if changes else "unchanged"
    new_pages = matched = 0
    position = session.scalar(select(func.max(Page.position)).where(Page.item_id == item.id)) or 0
    known = set(
        session.scalars(select(Page.sha256).where(Page.sha256.in_([s.sha256 for s in plan.scans])))
    )
    for scan in plan.scans:
        if scan.sha256 in known:
            matched += 1
            continue
        known.add(scan.sha256)
        position += 1
        page = Page(
            public_id=f"{item.identifier}-p{position}",
            item_id=item.id,
            position=position,
            label=page_label(scan.info.path),
            sha256=scan.sha256,
            byte_size=scan.info.byte_size,
            width=scan.info.width,
            height=scan.info.height,
            media_type=scan.info.media_type,
            original_filename=scan.info.path.name,
        )
        session.add(page)
        for step in page_steps():
            enqueue(session, step.kind, page.public_id, new=True)
        new_pages += 1
    if new_pages and status == "unchanged":
        status = "updated"
    titles = list(plan.metadata.collections) if plan.metadata else []
    if collection:
        titles.append(collection)
    for title in titles:
        add_to_collection(
            session, ensure_collection(session, title, actor=actor), item, actor=actor
        )
    if new_pages:
        record_change(
            session,
            actor=actor,
            action="add-pages",
            entity="item",
            entity_id=item.identifier,
            changes={"pages": new_pages},
        )
    return ItemOutcome(item.identifier, status, new_pages + matched, new_pages, matched)


def _default_item(key: str) -> NewItem:
    identifier = slugify(key) or "item-" + hashlib.sha256(key.encode()).hexdigest()[:10]
    return NewItem(identifier=identifier, title_en=key)


def _merge(current: ItemFields, new: NewItem) -> ItemFields:
    # Re-ingesting with a CSV updates the fields it sets; fields it leaves out keep their values.
    given = new.model_dump(exclude_unset=True, exclude={"identifier"})
    return ItemFields.model_validate({**current.model_dump(), **given})
