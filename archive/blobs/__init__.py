"""Blob stores: immutable, content-addressed storage for masters (local folder or S3).

`open_blob_store(url, data_dir=...)` picks the backend from `QIAOPI_BLOB_URL`; every
backend satisfies the `BlobStore` protocol and passes one shared contract suite.
"""

from archive.blobs.errors import BlobNotFoundError, BlobStoreError, InvalidBlobKeyError
from archive.blobs.factory import BLOB_STORE_BACKENDS, BlobStoreOptions, open_blob_store
from archive.blobs.fixity import verify
from archive.blobs.keys import is_valid_key, validate_key
from archive.blobs.local import LocalBlobStore
from archive.blobs.s3 import S3BlobStore
from archive.blobs.store import BlobInfo, BlobStore

__all__ = [
    "BLOB_STORE_BACKENDS",
    "BlobInfo",
    "BlobNotFoundError",
    "BlobStore",
    "BlobStoreError",
    "BlobStoreOptions",
    "InvalidBlobKeyError",
    "LocalBlobStore",
    "S3BlobStore",
    "is_valid_key",
    "open_blob_store",
    "validate_key",
    "verify",
]
