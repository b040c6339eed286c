"""Opening scans safely and bringing any image mode to 8-bit greyscale or RGB.

Decompression bombs: Pillow refuses images above ``2 * Image.MAX_IMAGE_PIXELS`` at open
and warns above ``MAX_IMAGE_PIXELS``. We refuse anything above ``MAX_PIXELS`` (about
a 600 dpi A2 scan) with a message that says what to do, before any pixel is decoded, so
a 20,000 × 20,000 scan costs a header read and nothing more. Images under the limit are
accepted and later reduced to a working size (see ``preprocess.downscale``), which bounds
the memory the engines use.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from ocr.errors import OcrError

MAX_PIXELS = 150_000_000  # ~12,000 × 12,500; above this the scan is refused
MIN_SIDE = 8  # below this there is nothing a recogniser can read


def open_image(source: Path | bytes, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Open a scan from a path or bytes, refusing bombs, tiny and unreadable files clearly."""
    name = str(source) if isinstance(source, Path) else "image bytes"
    stream = source if isinstance(source, Path) else io.BytesIO(source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(stream)
    except Image.DecompressionBombError as error:
        raise OcrError(
            f"{name}: too large to decode safely ({error}); downscale the scan to at most "
            f"{max_pixels // 1_000_000} megapixels and retry"
        ) from error
    except (UnidentifiedImageError, OSError) as error:
        raise OcrError(
            f"{name}: not a readable image ({error}); give a JPEG, PNG or TIFF"
        ) from error
    check_size(image, max_pixels, name)
    try:
        image.load()
    except OSError as error:
        raise OcrError(f"{name}: image data is corrupt or truncated ({error})") from error
    return image


def check_size(image: Image.Image, max_pixels: int = MAX_PIXELS, name: str = "image") -> None:
    """Refuse an image that is too large to process within the memory bound, or too small."""
    width, height = image.size
    if width * height > max_pixels:
        raise OcrError(
            f"{name}: {width}×{height} is {width * height / 1e6:.0f} megapixels, above the "
            f"limit of {max_pixels / 1e6:.0f}; downscale the scan (300–600 dpi is plenty) and retry"
        )
    if min(width, height) < MIN_SIDE:
        raise OcrError(
            f"{name}: {width}×{height} pixels is too small to hold text; "
            f"give the full-resolution scan (at least {MIN_SIDE} pixels on each side)"
        )


def to_8bit(image: Image.Image) -> Image.Image:
    """Return ``image`` as 8-bit "L" or "RGB": CMYK, palette, alpha and 16-bit inputs included.

    Pillow's own ``convert("L")`` clips 16-bit values at 255 instead of scaling them, which
    turns a 16-bit scan white, so 16-bit and 32-bit modes are rescaled here by hand.
    """
    mode = image.mode
    if mode in ("L", "RGB"):
        return image
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        data = np.asarray(image, dtype=np.float64)
        low, high = float(data.min()), float(data.max())
        scale = 255.0 / (high - low) if high > low else 0.0
        return Image.fromarray(((data - low) * scale).astype(np.uint8), mode="L")
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if mode == "1":
        return image.convert("L")
    return image.convert("RGB")
