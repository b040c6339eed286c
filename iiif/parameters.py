"""Image API 3.0 request parameters: URL segments parsed into frozen value objects.

Parsing happens in two steps, as in loris: each URL segment is parsed on its own into a
*requested* value (`Region`, `Size`, `Rotation`, `Quality`, `Format`), then
`resolve_request` turns them, given the image's pixel size and the server limits, into one
`ImageRequest` whose numbers are concrete pixels. `ImageRequest.canonical` is the canonical
URL path of the spec (section 4.7) and is the key of the derivative cache.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from iiif.errors import BadRequest, NotImplementedFeature

_NUMBER = r"(?:\d+(?:\.\d+)?|\.\d+)"
_PIXEL_REGION = re.compile(r"(\d+),(\d+),(\d+),(\d+)")
_PERCENT_REGION = re.compile(rf"pct:({_NUMBER}),({_NUMBER}),({_NUMBER}),({_NUMBER})")
_SIZE = re.compile(
    rf"(?P<up>\^)?(?:(?P<max>max)|pct:(?P<pct>{_NUMBER})|(?P<confined>!)?(?P<w>\d+)?,(?P<h>\d+)?)"
)
_ROTATION = re.compile(rf"(?P<mirror>!)?(?P<degrees>{_NUMBER})")


@dataclass(frozen=True)
class ImageLimits:
    """The largest output the server renders, advertised in info.json and enforced."""

    max_width: int = 10_000
    max_height: int = 10_000
    max_area: int = 40_000_000


class RegionKind(enum.Enum):
    """The four forms a region segment can take."""

    FULL = "full"
    SQUARE = "square"
    PIXELS = "pixels"
    PERCENT = "percent"


@dataclass(frozen=True)
class Region:
    """A requested region; `values` is (x, y, w, h) in pixels or percent, else empty."""

    kind: RegionKind
    values: tuple[float, float, float, float] | None = None


class SizeKind(enum.Enum):
    """The forms a size segment can take (each may carry the `^` upscaling prefix)."""

    MAX = "max"
    PERCENT = "pct"
    WIDTH = "w,"
    HEIGHT = ",h"
    EXACT = "w,h"
    CONFINED = "!w,h"


@dataclass(frozen=True)
class Size:
    """A requested size: its form, whether `^` allows upscaling, and its numbers."""

    kind: SizeKind
    upscale: bool = False
    width: int | None = None
    height: int | None = None
    percent: float | None = None


@dataclass(frozen=True)
class Rotation:
    """Mirroring (applied first) and a clockwise rotation in degrees, 0 <= degrees < 360."""

    degrees: float = 0.0
    mirror: bool = False

    @property
    def canonical(self) -> str:
        """The rotation segment in canonical form, e.g. `0`, `!90`, `22.5`."""
        return ("!" if self.mirror else "") + _format_number(self.degrees)


class Quality(enum.Enum):
    """Image qualities of the Image API."""

    DEFAULT = "default"
    COLOR = "color"
    GRAY = "gray"
    BITONAL = "bitonal"


class Format(enum.Enum):
    """Output formats this server encodes; the value is the URL extension."""

    JPG = "jpg"
    PNG = "png"
    WEBP = "webp"

    @property
    def media_type(self) -> str:
        """The Content-Type of an image in this format."""
        return {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}[self.value]


# Formats the Image API names but this server does not encode: valid requests, answered 501.
_KNOWN_UNSUPPORTED_FORMATS = frozenset({"tif", "gif", "jp2", "pdf"})


@dataclass(frozen=True)
class PixelRegion:
    """A region of the full image in pixels, clipped to the image."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class ImageRequest:
    """A fully resolved image request: what to cut, how big to make it, and how to encode it."""

    region: PixelRegion
    width: int
    height: int
    rotation: Rotation
    quality: Quality
    format: Format
    full_region: bool

    @property
    def canonical_region(self) -> str:
        """The region segment in canonical form: `full` or `x,y,w,h`."""
        if self.full_region:
            return "full"
        r = self.region
        return f"{r.x},{r.y},{r.width},{r.height}"

    @property
    def canonical_size(self) -> str:
        """The size segment in canonical form: `max`, `w,h`, or `^w,h` when upscaled."""
        if (self.width, self.height) == (self.region.width, self.region.height):
            return "max"
        upscaled = self.width > self.region.width or self.height > self.region.height
        return ("^" if upscaled else "") + f"{self.width},{self.height}"

    @cached_property
    def canonical(self) -> str:
        """The canonical `region/size/rotation/quality.format` path; the cache key."""
        return (
            f"{self.canonical_region}/{self.canonical_size}/{self.rotation.canonical}/"
            f"{self.quality.value}.{self.format.value}"
        )


def _format_number(value: float) -> str:
    """Write a number without a needless decimal part (90.0 -> "90", 22.50 -> "22.5")."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def parse_region(segment: str) -> Region:
    """Parse a region segment (`full`, `square`, `x,y,w,h`, `pct:x,y,w,h`)."""
    if segment == "full":
        return Region(RegionKind.FULL)
    if segment == "square":
        return Region(RegionKind.SQUARE)
    hint = "use full, square, x,y,w,h (whole pixels) or pct:x,y,w,h (0-100)"
    if match := _PIXEL_REGION.fullmatch(segment):
        x, y, w, h = (int(v) for v in match.groups())
        if w == 0 or h == 0:
            raise BadRequest(f"region {segment!r} has zero width or height; {hint}")
        return Region(RegionKind.PIXELS, (x, y, w, h))
    if match := _PERCENT_REGION.fullmatch(segment):
        px, py, pw, ph = (float(v) for v in match.groups())
        if max(px, py, pw, ph) > 100:
            raise BadRequest(f"region {segment!r} has a percentage over 100; {hint}")
        if pw == 0 or ph == 0:
            raise BadRequest(f"region {segment!r} has zero width or height; {hint}")
        return Region(RegionKind.PERCENT, (px, py, pw, ph))
    raise BadRequest(f"region {segment!r} is not valid; {hint}")


def parse_size(segment: str) -> Size:
    """Parse a size segment (`max`, `w,`, `,h`, `w,h`, `!w,h`, `pct:n`, each with optional `^`)."""
    hint = "use max, w,, ,h, w,h, !w,h or pct:n, with a leading ^ to allow upscaling"
    match = _SIZE.fullmatch(segment)
    if match is None:
        raise BadRequest(f"size {segment!r} is not valid; {hint}")
    upscale = match["up"] is not None
    if match["max"]:
        return Size(SizeKind.MAX, upscale)
    if match["pct"] is not None:
        percent = float(match["pct"])
        if percent == 0:
            raise BadRequest(f"size {segment!r} asks for 0 percent; {hint}")
        if percent > 100 and not upscale:
            raise BadRequest(f"size {segment!r} is over 100 percent; prefix ^ to upscale")
        return Size(SizeKind.PERCENT, upscale, percent=percent)
    width = int(match["w"]) if match["w"] is not None else None
    height = int(match["h"]) if match["h"] is not None else None
    if width == 0 or height == 0:
        raise BadRequest(f"size {segment!r} has a zero width or height; {hint}")
    if match["confined"]:
        if width is None or height is None:
            raise BadRequest(f"size {segment!r}: !w,h needs both width and height; {hint}")
        return Size(SizeKind.CONFINED, upscale, width, height)
    if width is not None and height is not None:
        return Size(SizeKind.EXACT, upscale, width, height)
    if width is not None:
        return Size(SizeKind.WIDTH, upscale, width=width)
    if height is not None:
        return Size(SizeKind.HEIGHT, upscale, height=height)
    raise BadRequest(f"size {segment!r} gives neither width nor height; {hint}")


def parse_rotation(segment: str) -> Rotation:
    """Parse a rotation segment: degrees 0-360, optionally prefixed `!` for mirroring."""
    match = _ROTATION.fullmatch(segment)
    if match is None:
        raise BadRequest(f"rotation {segment!r} is not valid; use a number 0-360, e.g. 0 or !90")
    degrees = float(match["degrees"])
    if degrees > 360:
        raise BadRequest(f"rotation {segment!r} is over 360 degrees; use a number 0-360")
    return Rotation(round(degrees, 6) % 360, match["mirror"] is not None)


def parse_quality_format(segment: str) -> tuple[Quality, Format]:
    """Parse the last segment, `quality.format` (e.g. `default.jpg`)."""
    quality_text, dot, format_text = segment.rpartition(".")
    if not dot:
        raise BadRequest(f"{segment!r} lacks a format; end the URL with quality.format")
    qualities = ", ".join(q.value for q in Quality)
    try:
        quality = Quality(quality_text)
    except ValueError:
        raise BadRequest(f"quality {quality_text!r} is not one of {qualities}") from None
    if format_text in _KNOWN_UNSUPPORTED_FORMATS:
        raise NotImplementedFeature(
            f"format {format_text!r} is not offered here; use jpg, png or webp"
        )
    try:
        image_format = Format(format_text)
    except ValueError:
        raise BadRequest(f"format {format_text!r} is not valid; use jpg, png or webp") from None
    return quality, image_format


@dataclass(frozen=True)
class RequestedImage:
    """The five parsed segments of an image request, before the image size is known."""

    region: Region
    size: Size
    rotation: Rotation
    quality: Quality
    format: Format


@lru_cache(maxsize=8192)
def parse_request(region: str, size: str, rotation: str, quality_format: str) -> RequestedImage:
    """Parse the URL segments after the identifier into a `RequestedImage`.

    Viewers ask for the same tiles over and over, so parses are kept (errors are not).
    """
    quality, image_format = parse_quality_format(quality_format)
    return RequestedImage(
        parse_region(region), parse_size(size), parse_rotation(rotation), quality, image_format
    )


def _pixel_region(region: Region, width: int, height: int) -> PixelRegion:
    """Turn a requested region into pixels of a `width` x `height` image, clipped to it."""
    if region.kind is RegionKind.FULL:
        return PixelRegion(0, 0, width, height)
    if region.kind is RegionKind.SQUARE:
        side = min(width, height)
        return PixelRegion((width - side) // 2, (height - side) // 2, side, side)
    assert region.values is not None
    if region.kind is RegionKind.PERCENT:
        px, py, pw, ph = region.values
        x, y = round(width * px / 100), round(height * py / 100)
        w, h = max(1, round(width * pw / 100)), max(1, round(height * ph / 100))
    else:
        x, y, w, h = (int(v) for v in region.values)
    if x >= width or y >= height:
        raise BadRequest(
            f"region starts at {x},{y}, outside the {width}x{height} image; "
            "ask for a region that overlaps the image"
        )
    return PixelRegion(x, y, min(w, width - x), min(h, height - y))


def _output_size(size: Size, rw: int, rh: int, limits: ImageLimits) -> tuple[int, int]:
    """The output pixel size for a region of `rw` x `rh`, before limit checks."""
    if size.kind is SizeKind.MAX:
        scale = min(
            limits.max_width / rw, limits.max_height / rh, math.sqrt(limits.max_area / (rw * rh))
        )
        if not size.upscale:
            scale = min(scale, 1.0)
        if scale == 1.0:
            return rw, rh
        return max(1, math.floor(rw * scale)), max(1, math.floor(rh * scale))
    if size.kind is SizeKind.PERCENT:
        assert size.percent is not None
        return round(rw * size.percent / 100), round(rh * size.percent / 100)
    if size.kind is SizeKind.WIDTH:
        assert size.width is not None
        return size.width, round(rh * size.width / rw)
    if size.kind is SizeKind.HEIGHT:
        assert size.height is not None
        return round(rw * size.height / rh), size.height
    assert size.width is not None and size.height is not None
    if size.kind is SizeKind.EXACT:
        return size.width, size.height
    scale = min(size.width / rw, size.height / rh)
    return min(size.width, round(rw * scale)), min(size.height, round(rh * scale))


@lru_cache(maxsize=8192)
def resolve_request(
    requested: RequestedImage, width: int, height: int, limits: ImageLimits
) -> ImageRequest:
    """Resolve a parsed request against an image of `width` x `height` pixels.

    Raises `BadRequest` for a region outside the image, a size that rounds to zero, upscaling
    without `^`, or an output over the advertised limits. Answers are kept, as for parses.
    """
    region = _pixel_region(requested.region, width, height)
    out_w, out_h = _output_size(requested.size, region.width, region.height, limits)
    if out_w < 1 or out_h < 1:
        raise BadRequest(f"the size gives an image of {out_w}x{out_h} pixels; ask for more")
    if not requested.size.upscale and (out_w > region.width or out_h > region.height):
        raise BadRequest(
            f"the size {out_w}x{out_h} is larger than the {region.width}x{region.height} region; "
            "prefix the size with ^ to allow upscaling"
        )
    if out_w > limits.max_width or out_h > limits.max_height or out_w * out_h > limits.max_area:
        raise BadRequest(
            f"the size {out_w}x{out_h} is over this server's limits (maxWidth "
            f"{limits.max_width}, maxHeight {limits.max_height}, maxArea {limits.max_area})"
        )
    full = (region.x, region.y, region.width, region.height) == (0, 0, width, height)
    return ImageRequest(
        region, out_w, out_h, requested.rotation, requested.quality, requested.format, full
    )
