"""The Image API over HTTP: info.json, images, statuses, caching headers, path tricks."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image

from iiif import ImageSource, image_api_router
from iiif.service import Resolver

from .conftest import MASTER_SIZE, PUBLISHED, UNPUBLISHED, sha256

BASE = "/iiif/3"


def test_info_json_describes_the_image(client: TestClient) -> None:
    response = client.get(f"{BASE}/{PUBLISHED}/info.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["access-control-allow-origin"] == "*"
    info = response.json()
    assert info["id"] == f"http://testserver{BASE}/{PUBLISHED}"
    assert info["type"] == "ImageService3"
    assert info["profile"] == "level2"
    assert (info["width"], info["height"]) == MASTER_SIZE
    assert info["tiles"] == [{"width": 256, "height": 256, "scaleFactors": [1, 2, 4, 8]}]
    assert {"width": 1200, "height": 900} in info["sizes"]
    assert {"width": 150, "height": 113} in info["sizes"]
    assert info["extraFormats"] == ["webp"]
    assert info["maxWidth"] > 0 and info["maxArea"] > 0


def test_info_json_as_json_ld_when_asked(client: TestClient) -> None:
    response = client.get(
        f"{BASE}/{PUBLISHED}/info.json", headers={"Accept": "application/ld+json"}
    )
    assert response.headers["content-type"].startswith("application/ld+json")


def test_id_follows_root_path_and_host(resolve: Resolver, tmp_path: Path) -> None:
    app = FastAPI()
    app.include_router(image_api_router(resolve, derivative_dir=tmp_path), prefix="/iiif/3")
    with TestClient(app, base_url="https://qiaopi.example", root_path="/archive") as client:
        # As uvicorn does, the ASGI path carries the root_path in front.
        info = client.get(f"/archive/iiif/3/{PUBLISHED}/info.json").json()
    assert info["id"] == f"https://qiaopi.example/archive/iiif/3/{PUBLISHED}"


def test_public_base_url_fixes_the_id(resolve: Resolver, tmp_path: Path) -> None:
    app = FastAPI()
    router = image_api_router(
        resolve, derivative_dir=tmp_path, public_base_url="https://cdn.example/iiif/3/"
    )
    app.include_router(router, prefix="/iiif/3")
    info = TestClient(app).get(f"/iiif/3/{PUBLISHED}/info.json").json()
    assert info["id"] == f"https://cdn.example/iiif/3/{PUBLISHED}"


def test_base_uri_redirects_to_info_json(client: TestClient) -> None:
    response = client.get(f"{BASE}/{PUBLISHED}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"http://testserver{BASE}/{PUBLISHED}/info.json"


@pytest.mark.parametrize(
    ("path", "size", "media_type", "mode"),
    [
        ("full/max/0/default.jpg", MASTER_SIZE, "image/jpeg", "RGB"),
        ("full/600,/0/default.png", (600, 450), "image/png", "RGB"),
        ("0,0,256,256/max/0/default.webp", (256, 256), "image/webp", "RGB"),
        ("full/300,/90/gray.jpg", (225, 300), "image/jpeg", "L"),
        ("square/100,100/!0/bitonal.png", (100, 100), "image/png", "L"),
        ("full/^2400,/0/default.jpg", (2400, 1800), "image/jpeg", "RGB"),
        ("1024,768,256,256/max/0/default.jpg", (176, 132), "image/jpeg", "RGB"),
    ],
)
def test_images_have_the_requested_size_and_format(
    client: TestClient, path: str, size: tuple[int, int], media_type: str, mode: str
) -> None:
    response = client.get(f"{BASE}/{PUBLISHED}/{path}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    image = Image.open(io.BytesIO(response.content))
    assert image.size == size
    assert image.mode == mode


def pixel(client: TestClient, path: str, xy: tuple[int, int]) -> tuple[int, ...]:
    """The colour at `xy` of the image served at `path` (PNG, so no compression noise)."""
    response = client.get(f"{BASE}/{PUBLISHED}/{path}")
    assert response.status_code == 200, response.text
    value = Image.open(io.BytesIO(response.content)).convert("RGB").getpixel(xy)
    assert isinstance(value, tuple)
    return value


def test_regions_rotation_and_mirroring_move_the_right_pixels(client: TestClient) -> None:
    red, green, blue = (255, 0, 0), (0, 255, 0), (0, 0, 255)
    assert pixel(client, "600,0,600,450/max/0/default.png", (10, 10)) == green
    assert pixel(client, "pct:0,50,50,50/max/0/default.png", (10, 10)) == blue
    assert pixel(client, "full/max/!0/default.png", (10, 10)) == green
    assert pixel(client, "full/max/90/default.png", (10, 10)) == blue
    assert pixel(client, "full/max/180/default.png", (1190, 890)) == red


def test_standard_tiles_are_cached_as_files_keyed_by_canonical_form(
    client: TestClient, tmp_path: Path
) -> None:
    first = client.get(f"{BASE}/{PUBLISHED}/0,0,512,512/256,/0/default.jpg")
    cached = list((tmp_path / "derivatives").rglob("0,0,512,512/256,256/0/default.jpg"))
    assert len(cached) == 1
    assert cached[0].read_bytes() == first.content
    again = client.get(f"{BASE}/{PUBLISHED}/0,0,512,512/256,256/0/default.jpg")
    assert again.content == first.content
    client.get(f"{BASE}/{PUBLISHED}/10,10,300,300/max/0/default.jpg")
    assert not list((tmp_path / "derivatives").rglob("10,10,300,300"))


def test_image_headers_etag_and_304(client: TestClient) -> None:
    url = f"{BASE}/{PUBLISHED}/full/600,/0/default.jpg"
    response = client.get(url)
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["cache-control"].startswith("public")
    assert (
        f'<http://testserver{BASE}/{PUBLISHED}/full/600,450/0/default.jpg>;rel="canonical"'
        in (response.headers["link"])
    )
    etag = response.headers["etag"]
    same = client.get(f"{BASE}/{PUBLISHED}/full/,450/0/default.jpg")
    assert same.headers["etag"] == etag
    unchanged = client.get(url, headers={"If-None-Match": f'"other", {etag}'})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    info = client.get(f"{BASE}/{PUBLISHED}/info.json")
    again = client.get(
        f"{BASE}/{PUBLISHED}/info.json", headers={"If-None-Match": info.headers["etag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("path", "status", "fragment"),
    [
        ("-1,0,10,10/max/0/default.jpg", 400, "region"),
        ("0,0,0,10/max/0/default.jpg", 400, "zero width"),
        ("5000,5000,10,10/max/0/default.jpg", 400, "outside"),
        ("pct:0,0,101,10/max/0/default.jpg", 400, "over 100"),
        ("full/0,/0/default.jpg", 400, "zero"),
        ("full/-5,/0/default.jpg", 400, "size"),
        ("full/!0,100/0/default.jpg", 400, "zero"),
        ("full/pct:101/0/default.jpg", 400, "over 100 percent"),
        ("full/1300,/0/default.jpg", 400, "prefix the size with ^"),
        ("full/50000,/0/default.jpg", 400, "prefix the size with ^"),
        ("full/^50000,/0/default.jpg", 400, "limits"),
        ("full/max/361/default.jpg", 400, "over 360"),
        ("full/max/-90/default.jpg", 400, "rotation"),
        ("full/max/0/best.jpg", 400, "quality"),
        ("full/max/0/default.xyz", 400, "format"),
        ("full/max/0/default", 400, "lacks a format"),
        ("full/max/0/default.gif", 501, "not offered"),
    ],
)
def test_bad_parameters_get_a_clear_status(
    client: TestClient, path: str, status: int, fragment: str
) -> None:
    response = client.get(f"{BASE}/{PUBLISHED}/{path}")
    assert response.status_code == status
    assert fragment in response.text
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("identifier", ["no-such-image", UNPUBLISHED])
@pytest.mark.parametrize("suffix", ["/info.json", "/full/max/0/default.jpg"])
def test_unknown_and_unpublished_are_the_same_404(
    client: TestClient, identifier: str, suffix: str
) -> None:
    response = client.get(f"{BASE}/{identifier}{suffix}")
    assert response.status_code == 404
    assert response.text == f"no image has the identifier {identifier!r}\n"


@pytest.mark.parametrize(
    ("raw_path", "statuses"),
    [
        (f"{BASE}/../info.json", {400, 404}),
        (f"{BASE}/%2E%2E/info.json", {400}),
        (f"{BASE}/..%2F{PUBLISHED}/info.json", {404}),
        (f"{BASE}/a%2Fb/info.json", {404}),
        (f"{BASE}/a%2Fb/full/max/0/default.jpg", {404}),
        (f"{BASE}/%2E%2E%5Cetc/info.json", {400}),
        (f"{BASE}/x%00y/info.json", {400}),
        (f"{BASE}/[frob]/info.json", {404}),
    ],
)
def test_path_tricks_in_identifiers_never_reach_a_file(
    client: TestClient, raw_path: str, statuses: set[int]
) -> None:
    response = client.get(raw_path)
    assert response.status_code in statuses


def test_escaped_characters_in_identifiers_are_decoded(client: TestClient) -> None:
    escaped = PUBLISHED.replace("-", "%2D")
    assert client.get(f"{BASE}/{escaped}/full/100,/0/default.jpg").status_code == 200


def test_masters_are_never_modified(client: TestClient, source: ImageSource) -> None:
    assert isinstance(source.master, Path)
    before = sha256(source.master)
    for path in ("full/max/0/default.jpg", "0,0,256,256/max/90/gray.png"):
        assert client.get(f"{BASE}/{PUBLISHED}/{path}").status_code == 200
    assert sha256(source.master) == before == source.fingerprint


def test_head_requests_answer_without_a_body(client: TestClient) -> None:
    for path in ("info.json", "full/100,/0/default.jpg"):
        response = client.head(f"{BASE}/{PUBLISHED}/{path}")
        assert response.status_code == 200
        assert response.content == b""
        assert response.headers["etag"]
