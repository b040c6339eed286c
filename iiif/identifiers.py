"""Checks on the identifier segment, so no identifier can act as a path."""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache

from iiif.errors import BadRequest, NotFound

MAX_IDENTIFIER_LENGTH = 512


def check_identifier(identifier: str) -> str:
    """Return `identifier` if it is safe to look up, else raise.

    A `/` (e.g. a decoded `%2F`) is answered 404 as the Image API asks; `.`/`..`, backslashes,
    control characters and over-long identifiers are answered 400. The identifier is never used
    as a file name anyway (see `storage_key`); this refuses tricks before any look-up.
    """
    if not identifier or "/" in identifier:
        raise NotFound(f"no image has the identifier {identifier!r}")
    if identifier in {".", ".."} or "\\" in identifier:
        raise BadRequest(f"identifier {identifier!r} looks like a path; use the image's own id")
    if len(identifier) > MAX_IDENTIFIER_LENGTH:
        raise BadRequest(f"identifier is longer than {MAX_IDENTIFIER_LENGTH} characters")
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs"} for ch in identifier):
        raise BadRequest(f"identifier {identifier!r} contains control characters")
    return identifier


@lru_cache(maxsize=8192)
def storage_key(identifier: str, fingerprint: str) -> str:
    """A file-name-safe key for an image's derivatives: a hash, never the identifier itself.

    Including the master's fingerprint means a changed master never reuses stale derivatives.
    """
    return hashlib.sha256(f"{identifier}\0{fingerprint}".encode()).hexdigest()
