"""Fixity: check that a stored blob still hashes to its key (used by `qiaopi fixity`)."""

from __future__ import annotations

from archive.blobs.hashing import hash_stream
from archive.blobs.keys import validate_key
from archive.blobs.store import BlobStore


def verify(store: BlobStore, key: str) -> bool:
    """Re-read the whole blob and report whether its sha256 still equals its key.

    Raises `BlobNotFoundError` for a missing blob, so an audit can tell "missing"
    from "corrupt".
    """
    validate_key(key)
    with store.open(key) as stream:
        return hash_stream(stream) == key
