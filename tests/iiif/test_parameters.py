"""The Image API parameter parser: examples, every kind of bad input, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iiif import BadRequest, IIIFError, ImageLimits, ImageRequest, NotImplementedFeature
from iiif.parameters import (
    Format,
    PixelRegion,
    Quality,
    RegionKind,
    Rotation,
    SizeKind,
    parse_quality_format,
    parse_region,
    parse_request,
    parse_rotation,
    parse_size,
    resolve_request,
)

LIMITS = ImageLimits()


def resolved(
    path: str, width: int = 1200, height: int = 900, limits: ImageLimits = LIMITS
) -> ImageRequest:
    """Parse `region/size/rotation/quality.format` and resolve it against an image size."""
    return resolve_request(parse_request(*path.split("/")), width, height, limits)


@pytest.mark.parametrize(
    ("path", "region", "size", "canonical"),
    [
        ("full/max/0/default.jpg", (0, 0, 1200, 900), (1200, 900), "full/max/0/default.jpg"),
        (
            "square/max/0/default.jpg",
            (150, 0, 900, 900),
            (900, 900),
            "150,0,900,900/max/0/default.jpg",
        ),
        (
            "0,0,256,256/256,/0/default.jpg",
            (0, 0, 256, 256),
            (256, 256),
            "0,0,256,256/max/0/default.jpg",
        ),
        (
            "1024,768,256,256/max/0/gray.png",
            (1024, 768, 176, 132),
            (176, 132),
            "1024,768,176,132/max/0/gray.png",
        ),
        (
            "pct:50,50,50,50/max/0/default.webp",
            (600, 450, 600, 450),
            (600, 450),
            "600,450,600,450/max/0/default.webp",
        ),
        ("full/600,/0/default.jpg", (0, 0, 1200, 900), (600, 450), "full/600,450/0/default.jpg"),
        ("full/,450/!90/color.jpg", (0, 0, 1200, 900), (600, 450), "full/600,450/!90/color.jpg"),
        ("full/pct:25/0/default.jpg", (0, 0, 1200, 900), (300, 225), "full/300,225/0/default.jpg"),
        (
            "full/!600,600/0/default.jpg",
            (0, 0, 1200, 900),
            (600, 450),
            "full/600,450/0/default.jpg",
        ),
        (
            "full/^2400,/360/default.jpg",
            (0, 0, 1200, 900),
            (2400, 1800),
            "full/^2400,1800/0/default.jpg",
        ),
        (
            "full/300,300/22.50/bitonal.jpg",
            (0, 0, 1200, 900),
            (300, 300),
            "full/300,300/22.5/bitonal.jpg",
        ),
        (
            "0,0,1200,900/1200,900/0/default.jpg",
            (0, 0, 1200, 900),
            (1200, 900),
            "full/max/0/default.jpg",
        ),
    ],
)
def test_requests_resolve_to_canonical_form(
    path: str, region: tuple[int, ...], size: tuple[int, int], canonical: str
) -> None:
    request = resolved(path)
    assert request.region == PixelRegion(*region)
    assert (request.width, request.height) == size
    assert request.canonical == canonical


def test_max_is_held_to_the_limits_and_caret_max_reaches_them() -> None:
    limits = ImageLimits(max_width=1000, max_height=1000, max_area=1_000_000)
    assert resolved("full/max/0/default.jpg", limits=limits).canonical_size == "1000,750"
    assert resolved("full/^max/0/default.jpg", 300, 300, limits).canonical_size == "^1000,1000"


@pytest.mark.parametrize(
    ("segment", "fragment"),
    [
        ("-1,0,10,10", "not valid"),
        ("0,0,0,10", "zero width"),
        ("0,0,10,0", "zero width"),
        ("pct:0,0,101,50", "over 100"),
        ("pct:0,0,0,50", "zero width"),
        ("pct:-5,0,10,10", "not valid"),
        ("1.5,0,10,10", "not valid"),
        ("0,0,10", "not valid"),
        ("fullish", "not valid"),
        ("", "not valid"),
    ],
)
def test_malformed_regions_are_refused(segment: str, fragment: str) -> None:
    with pytest.raises(BadRequest, match=fragment):
        parse_region(segment)


@pytest.mark.parametrize(
    ("segment", "fragment"),
    [
        ("0,", "zero"),
        (",0", "zero"),
        ("0,0", "zero"),
        ("!0,100", "zero"),
        ("!100,0", "zero"),
        ("!100,", "needs both"),
        ("pct:0", "0 percent"),
        ("pct:101", "over 100"),
        ("-10,", "not valid"),
        (",", "neither"),
        ("full", "not valid"),
        ("^", "not valid"),
        ("max,", "not valid"),
    ],
)
def test_malformed_sizes_are_refused(segment: str, fragment: str) -> None:
    with pytest.raises(BadRequest, match=fragment):
        parse_size(segment)


@pytest.mark.parametrize("segment", ["361", "-90", "!", "90!", "abc", "1e3", "", "!!90"])
def test_malformed_rotations_are_refused(segment: str) -> None:
    with pytest.raises(BadRequest, match="rotation"):
        parse_rotation(segment)


@pytest.mark.parametrize(
    ("segment", "error", "fragment"),
    [
        ("best.jpg", BadRequest, "quality 'best'"),
        ("default.bmp", BadRequest, "format 'bmp'"),
        ("default", BadRequest, "lacks a format"),
        ("default.", BadRequest, "format ''"),
        ("default.gif", NotImplementedFeature, "not offered"),
        ("default.jp2", NotImplementedFeature, "not offered"),
    ],
)
def test_bad_quality_or_format(segment: str, error: type[IIIFError], fragment: str) -> None:
    with pytest.raises(error, match=fragment) as raised:
        parse_quality_format(segment)
    assert raised.value.status == error.status


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("1200,0,10,10/max/0/default.jpg", "outside"),
        ("0,900,10,10/max/0/default.jpg", "outside"),
        ("5000,5000,10,10/max/0/default.jpg", "outside"),
        ("pct:100,0,10,10/max/0/default.jpg", "outside"),
        ("full/1201,/0/default.jpg", r"prefix the size with \^"),
        ("full/,901/0/default.jpg", r"prefix the size with \^"),
        ("full/1300,100/0/default.jpg", r"prefix the size with \^"),
        ("full/!2000,3000/0/default.jpg", r"prefix the size with \^"),
        ("0,0,10,10/20,/0/default.jpg", r"prefix the size with \^"),
        ("full/50000,/0/default.jpg", r"prefix the size with \^"),
        ("full/^50000,/0/default.jpg", "over this server's limits"),
        ("full/^,50000/0/default.jpg", "over this server's limits"),
        ("full/^9000,9000/0/default.jpg", "over this server's limits"),
        ("0,0,1,1/pct:1/0/default.jpg", "0x0 pixels"),
    ],
)
def test_requests_that_cannot_be_met_for_this_image(path: str, fragment: str) -> None:
    with pytest.raises(BadRequest, match=fragment) as raised:
        resolved(path)
    assert raised.value.status == 400


def test_statuses_of_the_error_family() -> None:
    assert (BadRequest("x").status, NotImplementedFeature("x").status) == (400, 501)
    assert all(issubclass(e, IIIFError) for e in (BadRequest, NotImplementedFeature))


# --- properties ---------------------------------------------------------------------

numbers = st.integers(min_value=0, max_value=20_000)
positive = st.integers(min_value=1, max_value=20_000)
percents = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda v: f"{v:.3f}")
regions = st.one_of(
    st.sampled_from(["full", "square"]),
    st.tuples(numbers, numbers, positive, positive).map(lambda t: ",".join(map(str, t))),
    st.tuples(percents, percents, percents, percents).map(lambda t: "pct:" + ",".join(t)),
)
sizes = st.tuples(
    st.sampled_from(["", "^"]),
    st.one_of(
        st.just("max"),
        positive.map(lambda w: f"{w},"),
        positive.map(lambda h: f",{h}"),
        st.tuples(positive, positive).map(lambda t: f"{t[0]},{t[1]}"),
        st.tuples(positive, positive).map(lambda t: f"!{t[0]},{t[1]}"),
        st.floats(min_value=0.01, max_value=400).map(lambda p: f"pct:{p:.2f}"),
    ),
).map("".join)
rotations = st.tuples(
    st.sampled_from(["", "!"]), st.floats(min_value=0, max_value=360).map(lambda d: f"{d:g}")
).map("".join)
qualities = st.tuples(st.sampled_from(Quality), st.sampled_from(Format)).map(
    lambda t: f"{t[0].value}.{t[1].value}"
)
image_sizes = st.tuples(st.integers(1, 30_000), st.integers(1, 30_000))


@given(st.text(max_size=30), st.text(max_size=30), st.text(max_size=30), st.text(max_size=30))
def test_any_text_parses_or_raises_an_iiif_error(a: str, b: str, c: str, d: str) -> None:
    try:
        parse_request(a, b, c, d)
    except IIIFError as error:
        assert error.status in {400, 501}
        assert error.message


@given(regions, sizes, rotations, qualities, image_sizes)
def test_resolved_requests_stay_in_bounds_and_canonical_form_is_a_fixed_point(
    region: str, size: str, rotation: str, quality: str, image: tuple[int, int]
) -> None:
    width, height = image
    try:
        request = resolve_request(
            parse_request(region, size, rotation, quality), width, height, LIMITS
        )
    except BadRequest:
        return
    r = request.region
    assert 0 <= r.x < width and 0 <= r.y < height
    assert 1 <= r.width <= width - r.x and 1 <= r.height <= height - r.y
    assert 1 <= request.width <= LIMITS.max_width and 1 <= request.height <= LIMITS.max_height
    assert request.width * request.height <= LIMITS.max_area
    if not size.startswith("^"):
        assert request.width <= r.width and request.height <= r.height
    again = resolve_request(parse_request(*request.canonical.split("/")), width, height, LIMITS)
    assert again == request


@given(st.floats(min_value=0, max_value=360), st.booleans())
def test_rotation_canonical_form_round_trips(degrees: float, mirror: bool) -> None:
    rotation = parse_rotation(("!" if mirror else "") + f"{degrees:f}")
    assert 0 <= rotation.degrees < 360
    assert parse_rotation(rotation.canonical) == rotation
    assert isinstance(rotation, Rotation)


def test_parsed_kinds() -> None:
    assert parse_region("pct:1,2,3,4").kind is RegionKind.PERCENT
    assert parse_size("^!10,20").kind is SizeKind.CONFINED
    assert parse_size("^!10,20").upscale
