"""The Image API 3.0 image information document (info.json) and its tile geometry."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from iiif.parameters import Format, ImageLimits, ImageRequest, Quality

TILE_SIZE = 256
IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
LEVEL2_PROFILE_URI = "http://iiif.io/api/image/3/level2.json"
EXTRA_FEATURES = (
    "mirroring",
    "rotationArbitrary",
    "sizeUpscaling",
    "canonicalLinkHeader",
    "profileLinkHeader",
)


def scale_factors(width: int, height: int, tile_size: int = TILE_SIZE) -> list[int]:
    """Powers of two from 1 up to the first one at which the whole image fits in one tile."""
    factors = [1]
    while math.ceil(width / factors[-1]) > tile_size or math.ceil(height / factors[-1]) > tile_size:
        factors.append(factors[-1] * 2)
    return factors


def standard_sizes(width: int, height: int, limits: ImageLimits) -> list[tuple[int, int]]:
    """Whole-image sizes offered pre-cut (one per pyramid level, within limits), smallest first."""
    sizes = []
    for factor in scale_factors(width, height):
        w, h = math.ceil(width / factor), math.ceil(height / factor)
        if w <= limits.max_width and h <= limits.max_height and w * h <= limits.max_area:
            sizes.append((w, h))
    return sorted(sizes)


def image_info(image_id: str, width: int, height: int, limits: ImageLimits) -> dict[str, Any]:
    """The info.json document for the image service whose base URI is `image_id`."""
    return {
        "@context": IMAGE_CONTEXT,
        "id": image_id,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level2",
        "width": width,
        "height": height,
        "maxWidth": limits.max_width,
        "maxHeight": limits.max_height,
        "maxArea": limits.max_area,
        "tiles": [
            {
                "width": TILE_SIZE,
                "height": TILE_SIZE,
                "scaleFactors": scale_factors(width, height),
            }
        ],
        "sizes": [{"width": w, "height": h} for w, h in standard_sizes(width, height, limits)],
        "extraQualities": [q.value for q in Quality if q is not Quality.DEFAULT],
        "extraFormats": [Format.WEBP.value],
        "extraFeatures": list(EXTRA_FEATURES),
    }


@lru_cache(maxsize=8192)
def is_standard(request: ImageRequest, width: int, height: int, limits: ImageLimits) -> bool:
    """True for the requests viewers make from info.json: a grid tile or a listed size.

    Only these are kept as pre-cut files, so the cache stays bounded however many
    arbitrary regions are asked for.
    """
    if request.rotation.degrees or request.rotation.mirror:
        return False
    if request.full_region:
        return (request.width, request.height) in standard_sizes(width, height, limits)
    region = request.region
    for factor in scale_factors(width, height):
        span = TILE_SIZE * factor
        if region.x % span or region.y % span:
            continue
        if region.width != min(span, width - region.x):
            continue
        if region.height != min(span, height - region.y):
            continue
        if (request.width, request.height) == (
            math.ceil(region.width / factor),
            math.ceil(region.height / factor),
        ):
            return True
    return False


def standard_tiles(width: int, height: int) -> list[tuple[int, int, int, int, int, int]]:
    """Every grid tile as (x, y, w, h, out_w, out_h), at every scale factor."""
    tiles = []
    for factor in scale_factors(width, height):
        span = TILE_SIZE * factor
        for y in range(0, height, span):
            for x in range(0, width, span):
                w, h = min(span, width - x), min(span, height - y)
                tiles.append((x, y, w, h, math.ceil(w / factor), math.ceil(h / factor)))
    return tiles
