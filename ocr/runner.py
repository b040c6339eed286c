"""Run an engine in a worker process, so a crash or a hang fails one page, not the caller.

One worker process per engine name is kept alive between pages (models load once). On a
timeout the worker is killed and a fresh one is started for the next page. Workers are
forked, so engines registered at run time (including fault-injection fakes in tests) exist
in the child too.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from PIL import Image

from ocr import registry
from ocr.errors import OcrError
from ocr.model import Line


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (Tesseract runs as a child)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _serve(name: str, conn: Connection) -> None:
    engine = registry.create(name)
    while True:
        request = conn.recv()
        if request is None:
            return
        started = _cpu_seconds()
        try:
            lines = engine.read(request)
        except Exception as error:  # any engine failure is reported to the caller as text
            conn.send(("error", f"{type(error).__name__}: {error}", 0.0))
        else:
            conn.send(("ok", lines, _cpu_seconds() - started))


class _Worker:
    def __init__(self, name: str) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(name, child), name=f"ocr-{name}", daemon=True
        )
        self.process.start()
        child.close()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


_workers: dict[str, _Worker] = {}


def read_lines(name: str, image: Image.Image, timeout: float) -> tuple[list[Line], float]:
    """Lines read by engine ``name`` and the CPU seconds it spent; ``OcrError`` on failure."""
    worker = _workers.get(name)
    if worker is None or not worker.process.is_alive():
        stop_engines(name)
        worker = _workers[name] = _Worker(name)
    try:
        worker.conn.send(image)
        ready = worker.conn.poll(timeout)
        if not ready:
            raise OcrError(
                f"engine {name!r} gave no answer within {timeout:g} s and was stopped; "
                "retry the page, or give a longer timeout for very large scans"
            )
        status, payload, cpu = worker.conn.recv()
    except (EOFError, BrokenPipeError, ConnectionResetError) as error:
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        stop_engines(name)
        raise OcrError(
            f"engine {name!r} crashed (exit code {code}); "
            "the page is marked failed, retry it or use another engine"
        ) from error
    except OcrError:
        stop_engines(name)
        raise
    if status == "error":
        raise OcrError(f"engine {name!r} failed: {payload}")
    return payload, cpu


def stop_engines(name: str | None = None) -> None:
    """Stop the worker of engine ``name``, or every worker (also done at exit)."""
    for key in [name] if name else list(_workers):
        worker = _workers.pop(key, None) if key else None
        if worker:
            worker.stop()


atexit.register(stop_engines)
