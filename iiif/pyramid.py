"""Derivatives: a master turned into a tiled pyramidal TIFF (256-px JPEG tiles) with libvips.

Reading one 256-px tile from such a TIFF takes a few milliseconds, against hundreds for
decoding a whole JPEG master, which is what makes the Image API fast. Masters are only read.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyvips  # type: ignore[import-untyped]

from iiif.errors import IIIFError
from iiif.info import TILE_SIZE
from iiif.source import ImageSource

PYRAMID_QUALITY = 90


class DerivativeError(IIIFError):
    """The master could not be turned into a pyramid (unreadable, or not the size declared)."""

    status = 500


def open_master(source: ImageSource) -> pyvips.Image:
    """Open the master for one sequential read, from its path or its stream opener."""
    try:
        if isinstance(source.master, Path):
            return pyvips.Image.new_from_file(str(source.master), access="sequential")
        with source.master() as stream:
            data = stream.read()
        return pyvips.Image.new_from_buffer(data, "", access="sequential")
    except pyvips.Error as error:
        raise DerivativeError(f"the master cannot be read as an image: {error}") from error


def to_8bit_display(image: pyvips.Image) -> pyvips.Image:
    """Flatten transparency onto white and convert to 8-bit sRGB or grey, as JPEG needs."""
    if image.hasalpha():
        image = image.flatten(background=[255] * (image.bands - 1))
    image = image.colourspace("b-w" if image.bands == 1 else "srgb")
    return image.cast("uchar") if image.format != "uchar" else image


def build_pyramid(source: ImageSource, destination: Path) -> Path:
    """Write `source` as a pyramidal tiled TIFF at `destination`, atomically, and return it.

    The file appears only once complete, so a crash never leaves a half derivative; the
    master is only read. Raises `DerivativeError` if the master's pixel size differs from
    the size declared in `source` (a guard against swapped or corrupt files).
    """
    image = open_master(source)
    if (image.width, image.height) != (source.width, source.height):
        raise DerivativeError(
            f"the master is {image.width}x{image.height} pixels but was declared "
            f"{source.width}x{source.height}; re-ingest it to record its real size"
        )
    image = to_8bit_display(image)
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=destination.parent, suffix=".tif.part")
    os.close(handle)
    try:
        image.tiffsave(
            temporary,
            tile=True,
            tile_width=TILE_SIZE,
            tile_height=TILE_SIZE,
            pyramid=True,
            compression="jpeg",
            Q=PYRAMID_QUALITY,
            bigtiff=image.width * image.height * image.bands > 2**31,
        )
        os.replace(temporary, destination)
    except pyvips.Error as error:
        raise DerivativeError(f"the pyramid could not be written: {error}") from error
    finally:
        Path(temporary).unlink(missing_ok=True)
    return destination
