"""Workers that run queued jobs: one loop, used by `qiaopi work` and by `qiaopi serve`'s pool."""

from __future__ import annotations

import logging
import multiprocessing
import os
import socket
from collections.abc import Callable
from typing import Protocol

from archive.context import Archive
from archive.jobs import queue
from archive.jobs.registry import STEPS
from archive.settings import Settings

log = logging.getLogger(__name__)


class _Stop(Protocol):
    """A stop signal: a threading or multiprocessing Event."""

    def is_set(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...


def worker_name(suffix: str = "") -> str:
    """A name that tells curators which machine and process holds a job."""
    return f"{socket.gethostname()}:{os.getpid()}{suffix}"


def run_until_empty(
    archive: Archive,
    *,
    worker: str | None = None,
    kinds: list[str] | None = None,
    on_job: Callable[[str, str, str | None], None] | None = None,
    stop: _Stop | None = None,
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


def _process_main(
    settings: Settings, stop: _Stop, index: int, poll: float, once: bool, parent: int
) -> None:
    # Each worker process opens its own connections and OCR engines: nothing is shared.
    # Workers are not daemonic (OCR engines run in child processes of their own), so each
    # one stops by itself when its parent is gone.
    archive = Archive.open(settings, migrate=False)
    name = worker_name(f"/worker-{index}")
    try:
        while not stop.is_set() and os.getppid() == parent:
            try:
                run_until_empty(archive, worker=name, stop=stop)
            except Exception:
                log.exception("worker %s: queue unavailable, retrying", name)
            if once:
                break
            stop.wait(poll)
    finally:
        archive.close()


class WorkerPool:
    """Worker *processes* (one per core is the sensible size) running queued jobs.

    Processes, not threads: OCR engines keep one model process per worker and run a core
    flat out, so jobs in parallel need processes of their own. `once` makes the workers exit
    when the queue is empty (`qiaopi work`); otherwise they poll (`qiaopi serve`).
    """

    def __init__(
        self, settings: Settings, size: int, *, poll_seconds: float = 2.0, once: bool = False
    ) -> None:
        context = multiprocessing.get_context("spawn")
        self._stop = context.Event()
        self._processes = [
            context.Process(
                target=_process_main,
                args=(settings, self._stop, n, poll_seconds, once, os.getpid()),
                name=f"qiaopi-worker-{n}",
            )
            for n in range(size)
        ]

    def start(self) -> None:
        """Start the processes (none when size is 0)."""
        for process in self._processes:
            process.start()

    def alive(self) -> bool:
        """Whether any worker is still running."""
        return any(p.is_alive() for p in self._processes)

    def join(self, timeout: float | None = None) -> None:
        """Wait for the workers to finish."""
        for process in self._processes:
            process.join(timeout)

    def stop(self) -> None:
        """Ask the workers to finish their current job and stop; kill any that will not."""
        self._stop.set()
        self.join(timeout=30)
        for process in self._processes:
            if process.is_alive():
                process.kill()
                process.join()
