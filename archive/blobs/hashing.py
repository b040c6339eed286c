"""Copy a stream in bounded chunks while computing its sha256 and size."""

from __future__ import annotations

import hashlib
from typing import IO, BinaryIO

CHUNK_SIZE = 1024 * 1024


def copy_and_hash(source: BinaryIO, target: IO[bytes]) -> tuple[str, int]:
    """Copy `source` to `target` one chunk at a time; return (sha256 hex, size in bytes).

    Both backends need the hash before they know where the blob goes, so they copy
    to a temporary place first; chunking keeps memory flat for any file size.
    """
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK_SIZE):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def hash_stream(source: BinaryIO) -> str:
    """The sha256 hex digest of everything left in `source`, read in chunks."""
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK_SIZE):
        digest.update(chunk)
    return digest.hexdigest()
