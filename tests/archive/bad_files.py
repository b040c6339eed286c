"""Makers of the bad files that ingest and upload must refuse."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path


def png_bomb(path: Path, side: int = 40_000) -> Path:
    """A tiny PNG whose header claims side×side pixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024, 9)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )
    return path


def truncated(source: Path, path: Path) -> Path:
    """The first half of a valid image file."""
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path
