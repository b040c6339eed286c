"""The errors every blob store raises, whatever its backend."""

from __future__ import annotations


class BlobStoreError(Exception):
    """Base class: something went wrong reading or writing blobs."""


class BlobNotFoundError(BlobStoreError, LookupError):
    """No blob is stored under the requested key."""

    def __init__(self, key: str, where: str) -> None:
        super().__init__(f"no blob with key {key} in {where}")
        self.key = key


class InvalidBlobKeyError(BlobStoreError, ValueError):
    """A key is not a lowercase sha256 hex digest (e.g. a path trick such as `../x`)."""
