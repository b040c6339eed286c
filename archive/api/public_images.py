"""Which page images anyone may see, remembered per HTTP process for the image fast path.

A viewer asks for the same page's tiles hundreds of times, and the query saying whether that page
is public costs more than serving a pre-cut tile. So answers are kept, and dropped as soon as the
catalogue's change stamp moves (a commit on this machine that wrote items or pages, such as
unpublishing) and after `ttl` seconds in any case, for catalogues that several machines share.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from archive.catalogue.changes import ChangeStamp
from iiif import ImageSource

Lookup = Callable[[str], ImageSource | None]


class CachedImages:
    """`lookup` (identifier → image source, or None for 404), with answers kept while current."""

    def __init__(
        self,
        lookup: Lookup,
        changes: ChangeStamp | None,
        *,
        ttl: float = 2.0,
        max_entries: int = 4096,
    ) -> None:
        self._lookup = lookup
        self._changes = changes
        self._ttl = ttl
        self._max_entries = max_entries
        self._entries: dict[str, tuple[float, ImageSource | None]] = {}
        self._stamp = 0
        self._guard = threading.Lock()

    def __call__(self, identifier: str) -> ImageSource | None:
        stamp = self._changes.read() if self._changes is not None else 0
        try:
            return self._current(identifier, stamp)
        except LookupError:
            pass
        now = time.monotonic()
        found = self._lookup(identifier)
        with self._guard:
            # Kept only if no change was recorded since the stamp was read: the lookup may have
            # read the catalogue from before that change.
            if stamp == self._stamp:
                if len(self._entries) >= self._max_entries:
                    self._entries.clear()
                self._entries[identifier] = (now, found)
        return found

    def cached(self, identifier: str) -> ImageSource | None:
        """The kept answer for `identifier`; `LookupError` if there is none still current.

        Never waits for the database: the image endpoint calls it from its event loop.
        """
        return self._current(identifier, self._changes.read() if self._changes else 0)

    def _current(self, identifier: str, stamp: int) -> ImageSource | None:
        with self._guard:
            if stamp != self._stamp:
                self._entries.clear()
                self._stamp = stamp
            entry = self._entries.get(identifier)
            if entry is None or time.monotonic() - entry[0] >= self._ttl:
                raise LookupError(identifier)
            return entry[1]
