"""Choose a blob store from a URL (`QIAOPI_BLOB_URL`): `file:…` or `s3://bucket/prefix`.

Backends are registered by URL scheme in `BLOB_STORE_BACKENDS`, the embedded default
exactly like the scaled one, so neither is special-cased.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import boto3
from botocore.config import Config

from archive.blobs.local import LocalBlobStore
from archive.blobs.s3 import S3BlobStore
from archive.blobs.store import BlobStore


@dataclass(frozen=True)
class BlobStoreOptions:
    """Everything besides the URL that a backend may need to open its store."""

    data_dir: Path
    s3_endpoint: str | None = None
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_region: str = "us-east-1"


BlobStoreOpener = Callable[[str, BlobStoreOptions], BlobStore]


def _open_local(url: str, options: BlobStoreOptions) -> BlobStore:
    """`file:` or '' → data_dir/blobs; `file:///abs/path`; `file:relative` (inside data_dir).

    Only the `file://host/path` form is parsed as a URL (percent-escapes decoded); in
    `file:PATH` the path is taken literally, so folder names with `%`, `#` or `?` work.
    """
    rest = url.split(":", 1)[1]
    if rest.startswith("//"):
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ValueError(
                f"blob URL {url!r} names host {parts.netloc!r}: a file: URL must be local, "
                "e.g. file:///srv/qiaopi/blobs (absolute) or file:blobs (inside the data dir)"
            )
        rest = unquote(parts.path)
    path = Path(rest) if rest else Path("blobs")
    return LocalBlobStore(path if path.is_absolute() else options.data_dir / path)


def _open_s3(url: str, options: BlobStoreOptions) -> BlobStore:
    """`s3://bucket/prefix` through boto3; path-style addressing so MinIO and Ceph work.

    Without an endpoint boto3 talks to AWS; without keys it uses its usual credential
    chain (environment, ~/.aws, instance role). The bucket must already exist.
    """
    parts = urlsplit(url)
    if not parts.netloc:
        raise ValueError(f"blob URL {url!r} has no bucket: use s3://BUCKET/optional/prefix")
    client = boto3.client(
        "s3",
        endpoint_url=options.s3_endpoint,
        aws_access_key_id=options.s3_access_key,
        aws_secret_access_key=options.s3_secret_key,
        region_name=options.s3_region,
        config=Config(s3={"addressing_style": "path"}),
    )
    return S3BlobStore(parts.netloc, unquote(parts.path), client)


BLOB_STORE_BACKENDS: dict[str, BlobStoreOpener] = {
    "file": _open_local,
    "s3": _open_s3,
}


def open_blob_store(
    url: str,
    *,
    data_dir: Path,
    s3_endpoint: str | None = None,
    s3_access_key: str | None = None,
    s3_secret_key: str | None = None,
    s3_region: str = "us-east-1",
) -> BlobStore:
    """Open the blob store a URL names; an empty URL means the default, data_dir/blobs.

    Opening creates nothing: a local folder appears on the first put, and an S3 bucket
    must exist beforehand. Unknown schemes raise `ValueError` listing the supported ones.
    """
    url = url.strip() or "file:"
    scheme = urlsplit(url).scheme.lower()
    opener = BLOB_STORE_BACKENDS.get(scheme)
    if opener is None:
        supported = ", ".join(f"{name}:" for name in sorted(BLOB_STORE_BACKENDS))
        raise ValueError(
            f"unsupported blob store URL {url!r}: supported schemes are {supported} "
            "(e.g. file:///srv/qiaopi/blobs or s3://bucket/prefix)"
        )
    options = BlobStoreOptions(
        data_dir=Path(data_dir),
        s3_endpoint=s3_endpoint,
        s3_access_key=s3_access_key,
        s3_secret_key=s3_secret_key,
        s3_region=s3_region,
    )
    return opener(url, options)
