"""`LocalBlobStore`: blobs as read-only files under one folder, `root/ab/cd/<sha256>`."""

from __future__ import annotations

import contextlib
import os
import stat as stat_module
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from archive.blobs.errors import BlobNotFoundError
from archive.blobs.hashing import copy_and_hash
from archive.blobs.keys import fan_out, is_valid_key, validate_key
from archive.blobs.store import BlobInfo

# Uploads in progress live here, inside root so that os.replace stays on one filesystem
# (and is therefore atomic). A leading dot keeps it out of the two-hex-digit fan-out.
INCOMING = ".incoming"
READ_ONLY = stat_module.S_IRUSR | stat_module.S_IRGRP | stat_module.S_IROTH


class LocalBlobStore:
    """The embedded default: a directory of immutable, content-addressed files.

    A put writes to a temporary file beside the store, fsyncs it, marks it read-only
    and renames it into place, so a crash never leaves a partial blob under its key.
    """

    def __init__(self, root: Path) -> None:
        """Use `root` as the store; it is created on the first put."""
        self._root = Path(root)

    @property
    def root(self) -> Path:
        """The folder holding the blobs."""
        return self._root

    def __repr__(self) -> str:
        return f"LocalBlobStore({str(self._root)!r})"

    def _path(self, key: str) -> Path:
        return self._root.joinpath(*fan_out(validate_key(key)))

    def put(self, stream: BinaryIO) -> BlobInfo:
        """Stream `stream` into the store; see `BlobStore.put`."""
        incoming = self._root / INCOMING
        incoming.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=incoming, prefix="put-")
        temp = Path(temp_name)
        try:
            with os.fdopen(handle, "wb") as target:
                key, size = copy_and_hash(stream, target)
                final = self._path(key)
                if final.exists():
                    temp.unlink()
                    return BlobInfo(key=key, size=final.stat().st_size, sha256=key)
                target.flush()
                os.fsync(target.fileno())
            temp.chmod(READ_ONLY)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, final)
            _fsync_directory(final.parent)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return BlobInfo(key=key, size=size, sha256=key)

    def put_path(self, path: Path) -> BlobInfo:
        """Store the content of the file at `path`."""
        with Path(path).open("rb") as stream:
            return self.put(stream)

    def open(self, key: str) -> BinaryIO:
        """Open the blob for streaming reads; the caller closes it."""
        path = self._path(key)
        try:
            return path.open("rb")
        except FileNotFoundError:
            raise BlobNotFoundError(key, str(self)) from None

    def stat(self, key: str) -> BlobInfo:
        """Size from the filesystem; the sha256 is the key (use `verify` to re-check it)."""
        try:
            size = self._path(key).stat().st_size
        except FileNotFoundError:
            raise BlobNotFoundError(key, str(self)) from None
        return BlobInfo(key=key, size=size, sha256=key)

    def exists(self, key: str) -> bool:
        """True when a blob is stored under `key`."""
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        """Remove the blob's file (read-only files can still be unlinked from their folder)."""
        try:
            self._path(key).unlink()
        except FileNotFoundError:
            raise BlobNotFoundError(key, str(self)) from None

    def keys(self) -> Iterator[str]:
        """Every stored key in ascending order, skipping anything not laid out as a blob."""
        if not self._root.is_dir():
            return
        for first in sorted(self._root.iterdir()):
            if not first.is_dir():
                continue
            for second in sorted(first.iterdir()):
                if not second.is_dir():
                    continue
                for blob in sorted(second.iterdir()):
                    key = blob.name
                    if is_valid_key(key) and fan_out(key)[:2] == (first.name, second.name):
                        yield key


def _fsync_directory(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX: the directory entry is fsynced separately)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
