"""`S3BlobStore`: blobs as objects `prefix/ab/cd/<sha256>` in an S3 bucket (AWS, MinIO, Ceph)."""

from __future__ import annotations

import contextlib
import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError

from archive.blobs.errors import BlobNotFoundError, BlobStoreError
from archive.blobs.hashing import copy_and_hash
from archive.blobs.keys import fan_out, is_valid_key, validate_key
from archive.blobs.store import BlobInfo

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

# Content up to this size is hashed in memory; larger content spills to a temporary file.
SPOOL_MAX_BYTES = 8 * 1024 * 1024
SHA256_METADATA = "sha256"
# s3transfer reads each part of a file object into memory before sending it (10 parts of
# 8 MiB by default). Four parts bound one put to about 32 MiB, whatever the master's size;
# boto3's TransferConfig takes that s3transfer setting only as an attribute.
TRANSFER = TransferConfig(multipart_chunksize=8 * 1024 * 1024, max_concurrency=4)
TRANSFER.max_in_memory_upload_chunks = 4
_MISSING_CODES = {"404", "NoSuchKey", "NotFound"}


class S3BlobStore:
    """Blobs in an S3 bucket under an optional key prefix.

    The bucket must exist: the store never creates buckets, and constructing it makes no
    request. A put hashes the stream into a spooled temporary file (the object key needs
    the hash first), skips the upload when the object already exists, and uploads with
    `upload_fileobj`, which only makes the object visible once complete; an interrupted
    multipart upload leaves parts that a bucket lifecycle rule (AbortIncompleteMultipartUpload)
    cleans up, never an object under the final key.
    """

    def __init__(self, bucket: str, prefix: str, client: S3Client) -> None:
        """Use `bucket` (which must exist) with keys under `prefix`, through `client`."""
        if not bucket:
            raise ValueError("an S3 blob store needs a bucket name, e.g. s3://qiaopi-masters")
        self._bucket = bucket
        self._prefix = prefix.strip("/")
        self._client = client

    @property
    def bucket(self) -> str:
        """The bucket holding the blobs."""
        return self._bucket

    @property
    def prefix(self) -> str:
        """The key prefix under which blobs live ('' for the bucket root)."""
        return self._prefix

    def __repr__(self) -> str:
        return f"S3BlobStore('s3://{self._bucket}/{self._prefix}')"

    def _object_key(self, key: str) -> str:
        relative = "/".join(fan_out(validate_key(key)))
        return f"{self._prefix}/{relative}" if self._prefix else relative

    def put(self, stream: BinaryIO) -> BlobInfo:
        """Hash `stream` into a spooled temporary file, then upload it unless already stored."""
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES) as spool:
            key, size = copy_and_hash(stream, spool)
            with contextlib.suppress(BlobNotFoundError):
                return self.stat(key)
            spool.seek(0)
            with self._errors(key):
                self._client.upload_fileobj(
                    spool,
                    self._bucket,
                    self._object_key(key),
                    ExtraArgs={
                        "Metadata": {SHA256_METADATA: key},
                        "ContentType": "application/octet-stream",
                    },
                    Config=TRANSFER,
                )
        return BlobInfo(key=key, size=size, sha256=key)

    def put_path(self, path: Path) -> BlobInfo:
        """Store the content of the file at `path`."""
        with Path(path).open("rb") as stream:
            return self.put(stream)

    def open(self, key: str) -> BinaryIO:
        """Stream the object's body; the caller closes it."""
        object_key = self._object_key(key)
        with self._errors(key):
            body = self._client.get_object(Bucket=self._bucket, Key=object_key)["Body"]
        # botocore's StreamingBody is a readable IOBase with readinto; buffering it gives
        # callers the full binary file interface (read, readline, iteration, context manager).
        return io.BufferedReader(cast(io.RawIOBase, body))

    def stat(self, key: str) -> BlobInfo:
        """Size and recorded sha256 from a HEAD request (no content is read)."""
        object_key = self._object_key(key)
        with self._errors(key):
            head = self._client.head_object(Bucket=self._bucket, Key=object_key)
        sha256 = head.get("Metadata", {}).get(SHA256_METADATA, key)
        return BlobInfo(key=key, size=head["ContentLength"], sha256=sha256)

    def exists(self, key: str) -> bool:
        """True when an object is stored under the key (one HEAD request)."""
        try:
            self.stat(key)
        except BlobNotFoundError:
            return False
        return True

    def delete(self, key: str) -> None:
        """Delete the object (S3 deletes are silent for missing keys, so check first)."""
        self.stat(key)
        with self._errors(key):
            self._client.delete_object(Bucket=self._bucket, Key=self._object_key(key))

    def keys(self) -> Iterator[str]:
        """Every stored key in ascending order, listing only this store's prefix."""
        list_prefix = f"{self._prefix}/" if self._prefix else ""
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=self._bucket, Prefix=list_prefix
        )
        with self._errors(None):
            for page in pages:
                for item in page.get("Contents", []):
                    parts = item["Key"][len(list_prefix) :].split("/")
                    if (
                        len(parts) == 3
                        and is_valid_key(parts[2])
                        and tuple(parts) == fan_out(parts[2])
                    ):
                        yield parts[2]

    @contextmanager
    def _errors(self, key: str | None) -> Iterator[None]:
        """Turn boto3/botocore failures into blob-store errors that say what to check."""
        try:
            yield
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code == "NoSuchBucket":
                raise BlobStoreError(
                    f"S3 bucket {self._bucket!r} does not exist: create it first "
                    "(the blob store never creates buckets)"
                ) from error
            if code in _MISSING_CODES and key is not None:
                raise BlobNotFoundError(key, repr(self)) from None
            raise BlobStoreError(f"{self!r}: S3 request failed: {error}") from error
        except (BotoCoreError, S3UploadFailedError) as error:
            raise BlobStoreError(f"{self!r}: S3 request failed: {error}") from error
