"""Which kinds of follow-up work exist, and what runs them.

Each step registers itself here the same way (no step is special-cased), and ingest queues
exactly the kinds registered for pages, so nothing is queued that no worker can run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archive.context import Archive


@dataclass(frozen=True)
class Step:
    """A kind of job: its name, what it applies to, and the function that runs one."""

    kind: str
    applies_to: str
    run: Callable[[Archive, str], None]
    description: str


STEPS: dict[str, Step] = {}
INDEX_KIND = "index"
"""The step that keeps the search index in line with an item; queued after every change."""


def register(step: Step) -> Step:
    """Make a step known to ingest and to the workers."""
    STEPS[step.kind] = step
    return step


def page_steps() -> list[Step]:
    """The steps queued for every new page."""
    return [s for s in STEPS.values() if s.applies_to == "page"]


def load_steps() -> None:
    """Register the built-in steps (importing them registers them)."""
    import archive.steps  # noqa: F401 (imported for its registrations)
