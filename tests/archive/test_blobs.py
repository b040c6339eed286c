"""The blob store contract: every backend (local folder, S3) must pass the same suite.

The S3 runs use a real S3-protocol server on loopback (scripts/services.sh starts one);
each test gets its own key prefix in a bucket made for this session.
"""

from __future__ import annotations

import hashlib
import io
import os
import signal
import stat
import subprocess
import sys
import textwrap
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import boto3
import pytest
from botocore.config import Config

import archive.blobs
from archive.blobs import (
    BLOB_STORE_BACKENDS,
    BlobInfo,
    BlobNotFoundError,
    BlobStore,
    BlobStoreError,
    InvalidBlobKeyError,
    LocalBlobStore,
    S3BlobStore,
    open_blob_store,
    verify,
)
from tests.services import S3_ACCESS_KEY, S3_ENDPOINT, S3_SECRET_KEY, require_env

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

REPO = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def object_key(prefix: str, key: str) -> str:
    return f"{prefix}/{key[:2]}/{key[2:4]}/{key}"


class PatternStream(io.RawIOBase):
    """`size` deterministic bytes produced one chunk at a time, never all in memory."""

    def __init__(self, size: int, seed: bytes = b"qiaopi") -> None:
        self._left = size
        self._block = 0
        self._seed = seed
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        if not self._buffer and self._left:
            pattern = hashlib.sha256(self._seed + self._block.to_bytes(8, "big")).digest()
            self._buffer = (pattern * (64 * 1024 // len(pattern)))[: self._left]
            self._left -= len(self._buffer)
            self._block += 1
        count = min(len(target), len(self._buffer))
        target[:count] = self._buffer[:count]
        self._buffer = self._buffer[count:]
        return count


def pattern_digest(size: int) -> str:
    return digest_of(io.BufferedReader(PatternStream(size)))


def digest_of(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(MIB):
        digest.update(chunk)
    return digest.hexdigest()


class FailingStream(io.RawIOBase):
    """Yields some bytes, then fails: a fault injected to interrupt a put part-way."""

    def __init__(self, good_bytes: int) -> None:
        self._left = good_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        if not self._left:
            raise OSError("scanner disconnected")
        count = min(len(target), self._left)
        target[:count] = b"x" * count
        self._left -= count
        return count


@dataclass
class Backend:
    """A store under test plus a way to damage a stored blob behind its back."""

    name: str
    store: BlobStore
    corrupt: Callable[[str, bytes], None]


# --- S3: one bucket for the session, one prefix per test --------------------------------


@pytest.fixture(scope="session")
def s3_settings() -> dict[str, str]:
    return {
        "s3_endpoint": require_env(S3_ENDPOINT, "S3-protocol server"),
        "s3_access_key": require_env(S3_ACCESS_KEY, "S3-protocol server"),
        "s3_secret_key": require_env(S3_SECRET_KEY, "S3-protocol server"),
    }


def make_client(s3_settings: dict[str, str]) -> S3Client:
    return boto3.client(
        "s3",
        endpoint_url=s3_settings["s3_endpoint"],
        aws_access_key_id=s3_settings["s3_access_key"],
        aws_secret_access_key=s3_settings["s3_secret_key"],
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}),
    )


@pytest.fixture(scope="session")
def s3_client(s3_settings: dict[str, str]) -> S3Client:
    return make_client(s3_settings)


@pytest.fixture(scope="session")
def s3_bucket(s3_client: S3Client) -> Iterator[str]:
    bucket = f"qiaopi-blobs-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=bucket)
    yield bucket
    for page in s3_client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            s3_client.delete_object(Bucket=bucket, Key=item["Key"])
    s3_client.delete_bucket(Bucket=bucket)


def s3_store(s3_settings: dict[str, str], bucket: str, prefix: str, data_dir: Path) -> BlobStore:
    return open_blob_store(f"s3://{bucket}/{prefix}", data_dir=data_dir, **s3_settings)


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.service)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """Each backend opened by URL, the way the application opens it."""
    if request.param == "local":
        root = tmp_path / "blobs"
        store = open_blob_store(f"file://{root}", data_dir=tmp_path)

        def corrupt_file(key: str, data: bytes) -> None:
            path = root / key[:2] / key[2:4] / key
            path.chmod(0o644)
            path.write_bytes(data)

        return Backend("local", store, corrupt_file)

    settings = request.getfixturevalue("s3_settings")
    client = request.getfixturevalue("s3_client")
    bucket = request.getfixturevalue("s3_bucket")
    prefix = f"masters/{uuid.uuid4().hex}"
    store = s3_store(settings, bucket, prefix, tmp_path)

    def corrupt_object(key: str, data: bytes) -> None:
        client.put_object(Bucket=bucket, Key=object_key(prefix, key), Body=data)

    return Backend("s3", store, corrupt_object)


# --- the contract ------------------------------------------------------------------------


def test_round_trip(backend: Backend) -> None:
    data = "民國廿一年三月初五日 台山 銀信".encode() * 100
    info = backend.store.put(io.BytesIO(data))

    assert info == BlobInfo(key=sha256(data), size=len(data), sha256=sha256(data))
    assert backend.store.exists(info.key)
    assert backend.store.stat(info.key) == info
    with backend.store.open(info.key) as stream:
        assert stream.read() == data


def test_put_path_stores_the_file_content(backend: Backend, tmp_path: Path) -> None:
    scan = tmp_path / "envelope-front.tif"
    scan.write_bytes(b"II*\x00" + bytes(range(256)) * 40)

    info = backend.store.put_path(scan)

    assert info.key == sha256(scan.read_bytes())
    with backend.store.open(info.key) as stream:
        assert stream.read() == scan.read_bytes()


def test_empty_content_is_a_blob_like_any_other(backend: Backend) -> None:
    info = backend.store.put(io.BytesIO(b""))

    assert info == BlobInfo(key=sha256(b""), size=0, sha256=sha256(b""))
    with backend.store.open(info.key) as stream:
        assert stream.read() == b""


def test_put_twice_gives_one_blob_and_never_rewrites_it(backend: Backend) -> None:
    data = b"the same letter scanned twice"
    first = backend.store.put(io.BytesIO(data))
    # Damage the stored copy: a second put of the original content must leave the stored
    # object alone (masters are immutable; repair is a deliberate delete + put).
    backend.corrupt(first.key, b"tampered")

    second = backend.store.put(io.BytesIO(data))

    assert second.key == first.key
    assert list(backend.store.keys()) == [first.key]
    assert verify(backend.store, first.key) is False


def test_large_blob_streams_in_and_out(backend: Backend) -> None:
    size = 20 * MIB + 123
    tracemalloc.start()
    try:
        info = backend.store.put(io.BufferedReader(PatternStream(size)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert info.size == size
    assert info.key == pattern_digest(size)
    assert backend.store.stat(info.key).size == size
    with backend.store.open(info.key) as stream:
        assert digest_of(stream) == info.key
    if backend.name == "local":
        assert peak < 4 * MIB, f"put held {peak / MIB:.1f} MiB in memory"


def test_missing_key_is_reported_with_the_key(backend: Backend) -> None:
    missing = sha256(b"never stored")

    assert backend.store.exists(missing) is False
    for operation in (backend.store.open, backend.store.stat, backend.store.delete):
        with pytest.raises(BlobNotFoundError, match=missing) as raised:
            operation(missing)
        assert raised.value.key == missing
    with pytest.raises(BlobNotFoundError, match=missing):
        verify(backend.store, missing)


BAD_KEYS = [
    "",
    "../x",
    "a/b",
    "/etc/passwd",
    "../" + "0" * 61,
    "ab/cd/" + "0" * 58,
    "0" * 63,
    "0" * 65,
    "A" * 64,
    "g" * 64,
    "0" * 64 + "\n",
    " " + "0" * 63,
]


@pytest.mark.parametrize("bad_key", BAD_KEYS)
def test_invalid_keys_are_refused_before_touching_storage(backend: Backend, bad_key: str) -> None:
    store = backend.store
    operations: list[Callable[[str], object]] = [
        store.open,
        store.stat,
        store.exists,
        store.delete,
        lambda key: verify(store, key),
    ]
    for operation in operations:
        with pytest.raises(InvalidBlobKeyError, match="64 lowercase hex"):
            operation(bad_key)
    assert list(store.keys()) == []
    if isinstance(store, LocalBlobStore):
        assert not store.root.exists()


def test_delete_removes_only_that_blob(backend: Backend) -> None:
    kept = backend.store.put(io.BytesIO(b"envelope"))
    gone = backend.store.put(io.BytesIO(b"remittance slip"))

    backend.store.delete(gone.key)

    assert not backend.store.exists(gone.key)
    assert list(backend.store.keys()) == [kept.key]
    with pytest.raises(BlobNotFoundError):
        backend.store.open(gone.key)
    assert backend.store.put(io.BytesIO(b"remittance slip")) == gone
    assert backend.store.exists(gone.key)


def test_keys_lists_every_blob_in_order(backend: Backend) -> None:
    assert list(backend.store.keys()) == []
    contents = [f"page {number}".encode() for number in range(5)]

    for data in contents:
        backend.store.put(io.BytesIO(data))

    assert list(backend.store.keys()) == sorted(sha256(data) for data in contents)


def test_verify_detects_corruption(backend: Backend) -> None:
    info = backend.store.put(io.BytesIO(b"letter page 1" * 1000))
    assert verify(backend.store, info.key) is True

    backend.corrupt(info.key, b"letter page 1" * 999 + b"letter page 2")

    assert verify(backend.store, info.key) is False


def test_a_put_that_fails_part_way_stores_nothing(backend: Backend) -> None:
    with pytest.raises(OSError, match="scanner disconnected"):
        backend.store.put(io.BufferedReader(FailingStream(3 * MIB)))

    assert list(backend.store.keys()) == []
    if isinstance(backend.store, LocalBlobStore):
        assert list((backend.store.root / ".incoming").iterdir()) == []


# --- local folder specifics --------------------------------------------------------------


def test_local_layout_is_fanned_out_and_read_only(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "blobs")
    info = store.put(io.BytesIO(b"diaolou photo"))

    path = tmp_path / "blobs" / info.key[:2] / info.key[2:4] / info.key
    assert path.read_bytes() == b"diaolou photo"
    assert stat.S_IMODE(path.stat().st_mode) & 0o222 == 0


def test_local_second_put_leaves_the_file_untouched(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    info = store.put(io.BytesIO(b"reply letter"))
    path = tmp_path / info.key[:2] / info.key[2:4] / info.key
    before = path.stat()

    store.put(io.BytesIO(b"reply letter"))

    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_local_keys_ignore_stray_files(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    info = store.put(io.BytesIO(b"scan"))
    (tmp_path / "README").write_text("not a blob")
    (tmp_path / "ab" / "cd").mkdir(parents=True)
    (tmp_path / "ab" / "cd" / sha256(b"elsewhere")).write_bytes(b"misplaced")
    (tmp_path / ".incoming" / "put-leftover").write_bytes(b"half")

    assert list(store.keys()) == [info.key]


@pytest.mark.slow
def test_local_put_killed_mid_write_leaves_no_blob(tmp_path: Path) -> None:
    """A real crash (SIGKILL while streaming) leaves only a temporary file, never a blob."""
    writer = textwrap.dedent(
        f"""
        import io, sys, time
        from pathlib import Path
        from archive.blobs import LocalBlobStore

        class Slow(io.RawIOBase):
            def readable(self):
                return True
            def readinto(self, target):
                sys.stdout.write("chunk\\n"); sys.stdout.flush()
                time.sleep(0.05)
                target[:1024] = b"x" * 1024
                return 1024

        LocalBlobStore(Path({str(tmp_path)!r})).put(io.BufferedReader(Slow()))
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", writer], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    for _ in range(3):
        assert process.stdout.readline() == "chunk\n"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    process.stdout.close()

    leftovers = list((tmp_path / ".incoming").iterdir())
    assert len(leftovers) == 1
    assert list(LocalBlobStore(tmp_path).keys()) == []


# --- S3 specifics ------------------------------------------------------------------------


@pytest.mark.service
def test_s3_records_sha256_metadata_and_skips_reupload(
    s3_settings: dict[str, str], s3_client: S3Client, s3_bucket: str
) -> None:
    prefix = f"meta/{uuid.uuid4().hex}"
    watched = make_client(s3_settings)
    store = S3BlobStore(s3_bucket, prefix, watched)
    uploads: list[str] = []

    def count(event_name: str, **_: object) -> None:
        uploads.append(event_name)

    watched.meta.events.register("before-call.s3.PutObject", count)
    watched.meta.events.register("before-call.s3.CreateMultipartUpload", count)

    info = store.put(io.BytesIO(b"qiaopi from Taishan"))
    store.put(io.BytesIO(b"qiaopi from Taishan"))

    assert len(uploads) == 1
    head = s3_client.head_object(Bucket=s3_bucket, Key=object_key(prefix, info.key))
    assert head["Metadata"] == {"sha256": info.key}
    assert store.stat(info.key) == info


@pytest.mark.service
def test_s3_stores_with_different_prefixes_do_not_see_each_other(
    s3_settings: dict[str, str], s3_bucket: str, tmp_path: Path
) -> None:
    base = uuid.uuid4().hex
    outer = s3_store(s3_settings, s3_bucket, base, tmp_path)
    inner = s3_store(s3_settings, s3_bucket, f"{base}/nested", tmp_path)

    info = inner.put(io.BytesIO(b"only in the nested store"))

    assert list(inner.keys()) == [info.key]
    assert list(outer.keys()) == []
    assert not outer.exists(info.key)


@pytest.mark.service
def test_s3_missing_bucket_is_a_clear_error(s3_settings: dict[str, str], tmp_path: Path) -> None:
    store = s3_store(s3_settings, f"qiaopi-absent-{uuid.uuid4().hex[:12]}", "", tmp_path)

    with pytest.raises(BlobStoreError, match="does not exist: create it first"):
        store.put(io.BytesIO(b"nowhere to go"))


# --- choosing a backend by URL -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", "DATA/blobs"),
        ("  ", "DATA/blobs"),
        ("file:", "DATA/blobs"),
        ("file:masters", "DATA/masters"),
        ("file:///srv/qiaopi/blobs", "/srv/qiaopi/blobs"),
        ("file:/srv/qiaopi/blobs", "/srv/qiaopi/blobs"),
        ("file://localhost/srv/qiaopi%20blobs", "/srv/qiaopi blobs"),
        ("file:/srv/scans 100%#1?", "/srv/scans 100%#1?"),
    ],
)
def test_file_urls_open_a_local_store(url: str, expected: str, tmp_path: Path) -> None:
    store = open_blob_store(url, data_dir=tmp_path)

    assert isinstance(store, LocalBlobStore)
    assert store.root == Path(expected.replace("DATA", str(tmp_path)))
    assert list(tmp_path.iterdir()) == [], "opening a store must create nothing"


def test_s3_url_opens_an_s3_store_without_any_request(tmp_path: Path) -> None:
    store = open_blob_store(
        "s3://qiaopi-masters/kaiping/scans/",
        data_dir=tmp_path,
        s3_endpoint="http://127.0.0.1:9",
        s3_access_key="key",
        s3_secret_key="secret",
    )

    assert isinstance(store, S3BlobStore)
    assert (store.bucket, store.prefix) == ("qiaopi-masters", "kaiping/scans")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://archive/blobs", "supported schemes are file:, s3:"),
        ("/srv/qiaopi/blobs", "supported schemes are file:, s3:"),
        ("s3://", "has no bucket"),
        ("file://fileserver/blobs", "must be local"),
    ],
)
def test_bad_urls_are_refused_with_what_to_do(url: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=message):
        open_blob_store(url, data_dir=tmp_path)


def test_backends_are_registered_by_scheme_and_satisfy_the_protocol(tmp_path: Path) -> None:
    assert set(BLOB_STORE_BACKENDS) == {"file", "s3"}
    local = open_blob_store("", data_dir=tmp_path)
    remote = open_blob_store("s3://bucket", data_dir=tmp_path, s3_endpoint="http://127.0.0.1:9")
    assert isinstance(local, BlobStore)
    assert isinstance(remote, BlobStore)


def test_public_surface() -> None:
    assert sorted(archive.blobs.__all__) == [
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
    assert issubclass(BlobNotFoundError, BlobStoreError)
    assert issubclass(InvalidBlobKeyError, BlobStoreError)
    assert issubclass(InvalidBlobKeyError, ValueError)
