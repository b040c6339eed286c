"""Checking a scan file before anything of it is stored.

Every file is opened by Pillow, which reads its real format from the bytes (a text file named
`.jpg` is refused), its pixel count is checked against the limit *before* decoding (the
decompression-bomb guard), and it is then fully decoded so that a truncated file is caught.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

SUPPORTED_SUFFIXES = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".png": "PNG",
    ".tif": "TIFF",
    ".tiff": "TIFF",
}
MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "TIFF": "image/tiff"}


class InvalidScanError(ValueError):
    """A scan that cannot be ingested; the message names the file and what to do."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class ScanInfo:
    """What ingest records of a verified scan."""

    path: Path
    media_type: str
    width: int
    height: int
    byte_size: int


def is_supported(path: Path) -> bool:
    """Whether the file's name says it is a scan type we ingest (JPEG, PNG, TIFF)."""
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def verify_scan(path: Path, *, max_bytes: int, max_pixels: int) -> ScanInfo:
    """Verify one scan file fully, or raise InvalidScanError saying what is wrong with it."""
    if not is_supported(path):
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise InvalidScanError(path, f"unsupported file type; supported: {supported}")
    size = path.stat().st_size
    if size == 0:
        raise InvalidScanError(path, "the file is empty (0 bytes)")
    if size > max_bytes:
        raise InvalidScanError(
            path,
            f"the file is {size} bytes, over the limit of {max_bytes} (QIAOPI_MAX_UPLOAD_BYTES)",
        )
    try:
        with warnings.catch_warnings():
            # Our own limit (checked before decoding) governs; Pillow's warning is redundant.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return _decode(path, size, max_pixels)
    except InvalidScanError:
        raise
    except Image.DecompressionBombError as exc:
        raise InvalidScanError(path, f"refused as a possible decompression bomb: {exc}") from exc
    except UnidentifiedImageError as exc:
        raise InvalidScanError(path, "not a readable image (is it really a scan?)") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise InvalidScanError(path, f"the image is damaged or truncated: {exc}") from exc


def _decode(path: Path, size: int, max_pixels: int) -> ScanInfo:
    with Image.open(path) as image:
        expected = SUPPORTED_SUFFIXES[path.suffix.lower()]
        if image.format != expected:
            raise InvalidScanError(
                path, f"the name says {expected} but the content is {image.format or 'unknown'}"
            )
        width, height = image.size
        if width * height > max_pixels:
            raise InvalidScanError(
                path,
                f"{width}×{height} pixels is over the limit of {max_pixels} "
                "(QIAOPI_MAX_IMAGE_PIXELS); refused as a possible decompression bomb",
            )
        image.verify()
    with Image.open(path) as image:
        if image.format == "JPEG":
            # Decoding at 1/8 scale still reads every entropy-coded block, so a truncated
            # or damaged JPEG is still caught, at a fraction of the cost of a full decode.
            image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
        image.load()
    return ScanInfo(path, MEDIA_TYPES[expected], width, height, size)


@dataclass(frozen=True)
class Checked:
    """A verified scan and its sha256, or why it was refused."""

    path: Path
    info: ScanInfo | None
    sha256: str
    problem: str


def sha256_of(path: Path) -> str:
    """The sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check(path: Path, max_bytes: int, max_pixels: int) -> Checked:
    try:
        info = verify_scan(path, max_bytes=max_bytes, max_pixels=max_pixels)
    except InvalidScanError as exc:
        return Checked(path, None, "", str(exc))
    return Checked(path, info, sha256_of(path), "")


def check_all(
    paths: Sequence[Path],
    *,
    max_bytes: int,
    max_pixels: int,
    on_checked: Callable[[int, int], None] | None = None,
) -> Iterator[Checked]:
    """Verify and hash every file, in order (a worker pool measured slower here: the decode
    is short next to process start-up, and CI machines have two cores)."""
    total = len(paths)
    for done, path in enumerate(paths, start=1):
        yield _check(path, max_bytes, max_pixels)
        if on_checked:
            on_checked(done, total)
