"""Workers that run queued jobs: one loop, used by `qiaopi work` and by `qiaopi serve`'s pool."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable

from archive.context import Archive
from archive.jobs import queue
from archive.jobs.registry import STEPS

log = logging.getLogger(__name__)


def worker_name(suffix: str = "") -> str:
    """A name that tells curators which machine and process holds a job."""
    return f"{socket.gethostname()}:{os.getpid()}{suffix}"


def run_until_empty(
    archive: Archive,
    *,
    worker: str | None = None,
    kinds: list[str] | None = None,
    on_job: Callable[[str, str, str | None], None] | None = None,
    stop: threading.Event | None = None,
) -> tuple[int, int]:
    """Run queued jobs until none is left (or `stop` is set); returns (done, failed).

    A failing job records its reason and the loop goes on: one bad page never blocks the rest.
    """
    name = worker or worker_name()
    wanted = kinds or list(STEPS)
    done = failed = 0
    while stop is None or not stop.is_set():
        job = queue.claim(archive.catalogue, name, wanted)
        if job is None:
            break
        step = STEPS[job.kind]
        try:
            step.run(archive, job.target)
        except Exception as exc:  # a step's failure is data for the curator, not a crash
            log.warning("job %s %s failed: %s", job.kind, job.target, exc)
            queue.fail(archive.catalogue, job.id, f"{type(exc).__name__}: {exc}")
            failed += 1
            if on_job:
                on_job(job.kind, job.target, str(exc))
        else:
            queue.finish(archive.catalogue, job.id)
            done += 1
            if on_job:
                on_job(job.kind, job.target, None)
    return done, failed


class WorkerPool:
    """Background worker threads inside `qiaopi serve`, polling the durable queue."""

    def __init__(self, archive: Archive, size: int, poll_seconds: float = 2.0) -> None:
        self._archive = archive
        self._size = size
        self._poll = poll_seconds
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start the threads (none when size is 0)."""
        for n in range(self._size):
            thread = threading.Thread(target=self._loop, args=(n,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _loop(self, n: int) -> None:
        name = worker_name(f"/pool-{n}")
        while not self._stop.is_set():
            try:
                run_until_empty(self._archive, worker=name, stop=self._stop)
            except Exception:
                log.exception("worker %s: queue unavailable, retrying", name)
            self._stop.wait(self._poll)

    def stop(self) -> None:
        """Ask the threads to finish their current job and stop."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)
