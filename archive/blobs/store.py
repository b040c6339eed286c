"""The `BlobStore` interface: immutable, content-addressed storage for masters."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable


@dataclass(frozen=True)
class BlobInfo:
    """What a store knows about one blob: its key, size in bytes and sha256 hex digest."""

    key: str
    size: int
    sha256: str


@runtime_checkable
class BlobStore(Protocol):
    """Content-addressed, immutable blob storage; the key of a blob is its sha256.

    Every implementation passes the contract suite in `tests/archive/test_blobs.py`.
    Keys that are not 64 lowercase hex characters raise `InvalidBlobKeyError` before
    the backend is touched; missing blobs raise `BlobNotFoundError`.
    """

    def put(self, stream: BinaryIO) -> BlobInfo:
        """Store the bytes read from `stream` (streamed, never held whole in memory).

        Idempotent: content already stored is not written again. Atomic: a failure
        part-way leaves nothing under the final key.
        """
        ...

    def put_path(self, path: Path) -> BlobInfo:
        """Store the content of the file at `path`."""
        ...

    def open(self, key: str) -> BinaryIO:
        """Open the blob for streaming reads; the caller closes it."""
        ...

    def stat(self, key: str) -> BlobInfo:
        """Size and sha256 of a blob, from what the backend knows without reading it."""
        ...

    def exists(self, key: str) -> bool:
        """True when a blob is stored under `key`."""
        ...

    def delete(self, key: str) -> None:
        """Remove a blob (raises `BlobNotFoundError` when there is none)."""
        ...

    def keys(self) -> Iterator[str]:
        """Every stored key, in ascending order."""
        ...
