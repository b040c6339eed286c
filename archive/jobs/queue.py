"""The durable job table: enqueue, claim, finish and fail, safe with several workers.

A claim is a conditional UPDATE (only if the job is still claimable), so two workers, in
threads or processes on different machines, never run the same job; a job whose worker died
is claimed again once its lease has expired. Every step is idempotent, so running a job
twice is harmless.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from archive.catalogue.db import Catalogue
from archive.catalogue.models import Job, JobStatus, utcnow

LEASE = dt.timedelta(minutes=15)


def enqueue(
    session: Session, kind: str, target: str, *, redo: bool = False, new: bool = False
) -> None:
    """Queue `kind` work for `target` once; with `redo`, queue it again even if done or failed.

    `new` says the target was just created, so no job for it can exist yet (one query less).
    """
    if new:
        session.add(Job(kind=kind, target=target))
        return
    job = session.scalar(select(Job).where(Job.kind == kind, Job.target == target))
    if job is None:
        session.add(Job(kind=kind, target=target))
    elif redo or job.status == JobStatus.failed:
        job.status = JobStatus.queued
        job.error = ""
        job.locked_by = ""
        job.locked_at = None


def _claimable(kinds: Iterable[str], now: dt.datetime) -> ColumnElement[bool]:
    return and_(
        Job.kind.in_(list(kinds)),
        or_(
            Job.status == JobStatus.queued,
            and_(Job.status == JobStatus.running, Job.locked_at < now - LEASE),
        ),
    )


def claim(catalogue: Catalogue, worker: str, kinds: Iterable[str]) -> Job | None:
    """Take the oldest claimable job of these kinds for `worker`, or None when there is none."""
    kinds = list(kinds)
    while True:
        now = utcnow()
        with catalogue.session() as session:
            condition = _claimable(kinds, now)
            job_id = session.scalar(select(Job.id).where(condition).order_by(Job.id).limit(1))
            if job_id is None:
                return None
            taken = session.execute(
                update(Job)
                .where(Job.id == job_id, condition)
                .values(
                    status=JobStatus.running,
                    locked_by=worker,
                    locked_at=now,
                    attempts=Job.attempts + 1,
                )
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                return session.get(Job, job_id)


def finish(catalogue: Catalogue, job_id: int) -> None:
    """Mark a job done."""
    _set(catalogue, job_id, JobStatus.done, "")


def fail(catalogue: Catalogue, job_id: int, reason: str) -> None:
    """Mark a job failed with the reason a curator will read; it can be retried."""
    _set(catalogue, job_id, JobStatus.failed, reason[:4000])


def _set(catalogue: Catalogue, job_id: int, status: JobStatus, error: str) -> None:
    with catalogue.session() as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(status=status, error=error, locked_by="", locked_at=None)
        )


def retry_failed(catalogue: Catalogue, kind: str | None = None) -> int:
    """Queue every failed job (of `kind`) again; returns how many."""
    with catalogue.session() as session:
        condition = Job.status == JobStatus.failed
        if kind:
            condition = and_(condition, Job.kind == kind)
        result = session.execute(
            update(Job).where(condition).values(status=JobStatus.queued, error="")
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


def counts(catalogue: Catalogue) -> dict[str, dict[str, int]]:
    """How many jobs of each kind are in each status."""
    with catalogue.reader() as session:
        rows = session.execute(
            select(Job.kind, Job.status, func.count()).group_by(Job.kind, Job.status)
        )
        result: dict[str, dict[str, int]] = {}
        for kind, status, n in rows:
            result.setdefault(kind, {})[str(status.value)] = n
        return result
