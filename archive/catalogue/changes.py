"""A counter every process on this machine can read to learn that catalogue rows it cached changed.

Serving an image tile costs less than the database query that says whether its page may be shown,
so the HTTP processes cache those answers (archive/api/public_images.py). They must not keep
serving a page after its item is unpublished, so every commit that wrote the watched models
(items, pages) adds one to a counter in a small file. Readers map the file into memory and read
the counter with no system call, on every image request. Modification times would not do: they
are too coarse to tell two quick commits apart.
"""

from __future__ import annotations

import fcntl
import mmap
import os
import struct
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

_WROTE = "qiaopi_wrote_watched"
_COUNTER = struct.Struct("<Q")


class ChangeStamp:
    """A change counter in `path`, raised after each commit that wrote any of the watched models."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._view: mmap.mmap | None = None
        self._guard = threading.Lock()

    def read(self) -> int:
        """The number of recorded changes (0 before the first, or while there is no file)."""
        view = self._view or self._map()
        return int(_COUNTER.unpack_from(view)[0]) if view is not None else 0

    def bump(self) -> None:
        """Record a change. The file is locked so two processes never lose one of their bumps."""
        descriptor = self._open()
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            (count,) = _COUNTER.unpack(os.pread(descriptor, _COUNTER.size, 0))
            os.pwrite(descriptor, _COUNTER.pack(count + 1), 0)
        finally:
            os.close(descriptor)

    def _map(self) -> mmap.mmap | None:
        """Map the counter file for reading; None while it does not exist (yet) in full.

        Read-only, so a server on a read-only data folder (a kiosk) still answers.
        """
        with self._guard:
            if self._view is None:
                try:
                    descriptor = os.open(self.path, os.O_RDONLY)
                except FileNotFoundError:
                    return None
                try:
                    if os.fstat(descriptor).st_size >= _COUNTER.size:
                        self._view = mmap.mmap(descriptor, _COUNTER.size, access=mmap.ACCESS_READ)
                finally:
                    os.close(descriptor)
            return self._view

    def _open(self) -> int:
        """The counter file, open for reading and writing; created holding 0 if missing."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if os.fstat(descriptor).st_size < _COUNTER.size:
            # Several processes may get here at once: extending to the size writes no data.
            os.ftruncate(descriptor, _COUNTER.size)
        return descriptor

    def watch(self, sessions: sessionmaker[Session], models: tuple[type, ...]) -> None:
        """Bump after every commit of a `sessions` session that wrote rows of `models`.

        Catches ORM flushes (adds, changes, deletes) and ORM bulk UPDATE/DELETE statements.
        """

        def after_flush(session: Session, _context: Any) -> None:
            touched = (*session.new, *session.dirty, *session.deleted)
            if any(isinstance(row, models) for row in touched):
                session.info[_WROTE] = True

        def on_execute(state: ORMExecuteState) -> None:
            writes = state.is_update or state.is_delete
            mapper = state.bind_mapper
            if writes and mapper is not None and issubclass(mapper.class_, models):
                state.session.info[_WROTE] = True

        def after_commit(session: Session) -> None:
            if session.info.pop(_WROTE, False):
                self.bump()

        event.listen(sessions, "after_flush", after_flush)
        event.listen(sessions, "do_orm_execute", on_execute)
        event.listen(sessions, "after_commit", after_commit)
