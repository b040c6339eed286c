"""The bare ASGI image endpoint in front of an app: pre-cut tiles straight from a quick resolver,
everything else through the resolver that may wait, and other requests left to the app."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image

from iiif import DEFAULT_CACHE_CONTROL, ImageEndpoint, ImageFastPath, ImageService, ImageSource

from .conftest import PUBLISHED, UNPUBLISHED

TILE = f"/iiif/3/{PUBLISHED}/0,0,256,256/256,256/0/default.jpg"
REGION = f"/iiif/3/{PUBLISHED}/10,10,300,200/150,/0/default.png"


class Resolvers:
    """A resolver that counts its calls, and a quick one answering only what it was given."""

    def __init__(self, source: ImageSource) -> None:
        self.source = source
        self.slow_calls: list[str] = []
        self.known: dict[str, ImageSource | None] = {}

    def slow(self, identifier: str) -> ImageSource | None:
        self.slow_calls.append(identifier)
        return {PUBLISHED: self.source}.get(identifier)

    def quick(self, identifier: str) -> ImageSource | None:
        return self.known[identifier]  # KeyError is a LookupError: "would have to wait"


@pytest.fixture
def resolvers(source: ImageSource) -> Resolvers:
    return Resolvers(source)


@pytest.fixture
def app_client(resolvers: Resolvers, tmp_path: Path) -> TestClient:
    app = FastAPI()

    @app.get("/iiif/3/{rest:path}")
    def behind(rest: str) -> dict[str, str]:
        return {"answered_by": "app", "path": rest}

    endpoint = ImageEndpoint(
        ImageService(resolvers.slow, tmp_path / "derivatives"),
        cache_control=DEFAULT_CACHE_CONTROL,
        public_base_url=None,
        quick_resolve=resolvers.quick,
    )
    app.add_middleware(
        ImageFastPath,
        endpoint=endpoint,
        prefix="/iiif/3",
        applies=lambda scope: b"x-signed-in" not in dict(scope["headers"]),
    )
    return TestClient(app)


def test_precut_tiles_come_from_the_quick_resolver(
    app_client: TestClient, resolvers: Resolvers
) -> None:
    first = app_client.get(TILE)  # nothing known yet: the resolver that may wait, and cut
    assert first.status_code == 200 and resolvers.slow_calls == [PUBLISHED]
    resolvers.known[PUBLISHED] = resolvers.source
    again = app_client.get(TILE)
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["link"] == first.headers["link"]
    assert resolvers.slow_calls == [PUBLISHED]
    assert app_client.get(TILE, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    assert resolvers.slow_calls == [PUBLISHED]


def test_regions_not_precut_are_cut_off_the_event_loop(
    app_client: TestClient, resolvers: Resolvers
) -> None:
    resolvers.known[PUBLISHED] = resolvers.source
    answer = app_client.get(REGION)
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(answer.content)).size == (150, 100)
    assert resolvers.slow_calls == [PUBLISHED]


def test_a_quick_no_is_a_404_without_waiting(app_client: TestClient, resolvers: Resolvers) -> None:
    resolvers.known[UNPUBLISHED] = None
    answer = app_client.get(f"/iiif/3/{UNPUBLISHED}/full/max/0/default.jpg")
    assert answer.status_code == 404
    assert answer.headers["access-control-allow-origin"] == "*"
    assert resolvers.slow_calls == []


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        (TILE, {"x-signed-in": "1"}),  # the app said these need it
        (f"/iiif/3/{PUBLISHED}/info.json", {}),
        ("/iiif/3/a%2Fb/full/max/0/default.jpg", {}),  # six segments once decoded
        (f"/iiif/3/{PUBLISHED}//max/0/default.jpg", {}),
    ],
)
def test_other_requests_go_on_to_the_app(
    app_client: TestClient, resolvers: Resolvers, path: str, headers: dict[str, str]
) -> None:
    answer = app_client.get(path, headers=headers)
    assert answer.json()["answered_by"] == "app"
    assert resolvers.slow_calls == []
