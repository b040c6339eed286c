"""Blob keys: the lowercase sha256 hex digest of the content, and where a key lives.

Keys are checked before any backend touches its filesystem or bucket, so a key can
never smuggle a path (`../x`, `a/b`, an absolute path) into a store.
"""

from __future__ import annotations

import re

from archive.blobs.errors import InvalidBlobKeyError

_KEY = re.compile(r"[0-9a-f]{64}")


def is_valid_key(key: object) -> bool:
    """True when `key` is a lowercase 64-character sha256 hex digest."""
    return isinstance(key, str) and _KEY.fullmatch(key) is not None


def validate_key(key: object) -> str:
    """Return `key` unchanged, or raise `InvalidBlobKeyError` saying what a key must be."""
    if not is_valid_key(key):
        raise InvalidBlobKeyError(
            f"invalid blob key {key!r}: a key is the sha256 of the content, "
            "64 lowercase hex characters (0-9, a-f)"
        )
    assert isinstance(key, str)
    return key


def fan_out(key: str) -> tuple[str, str, str]:
    """The relative location of a valid key: `ab/cd/<key>`, two levels of 256 folders each.

    Fanning out keeps any one folder (or listing prefix) small with millions of masters.
    """
    return key[0:2], key[2:4], key
