"""Health: is the catalogue reachable, and how much work is queued."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from archive.api.deps import ArchiveDep, SessionDep
from archive.jobs.queue import counts

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health")
def health(archive: ArchiveDep, session: SessionDep) -> dict[str, object]:
    """A quick check for load balancers and operators."""
    session.execute(text("SELECT 1"))
    return {"status": "ok", "jobs": counts(archive.catalogue)}
