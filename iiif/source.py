"""What the application hands the Image API for one identifier."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MasterOpener = Callable[[], BinaryIO]


@dataclass(frozen=True)
class ImageSource:
    """A master image: how to read it, its pixel size, and a fingerprint of its content.

    `master` is a local path or a callable returning a binary stream (e.g. from a blob store).
    `fingerprint` must change whenever the master's bytes change (its sha256 is ideal); it keys
    the derivative cache and the ETags.
    """

    master: Path | MasterOpener
    width: int
    height: int
    fingerprint: str

    def __post_init__(self) -> None:
        if self.width < 1 or self.height < 1:
            raise ValueError(f"an image needs a positive size, got {self.width}x{self.height}")
        if not self.fingerprint:
            raise ValueError("ImageSource needs a fingerprint (e.g. the master's sha256)")
