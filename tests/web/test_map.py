"""The letters' map: a Natural Earth base map drawn on the server, a world view and a Wuyi inset."""

from __future__ import annotations

import gzip
import json
import logging
import re
from pathlib import Path

import pytest
import shapely
from fastapi.testclient import TestClient

from archive.web.basemap import ATLAS_DIR, Frame, outline
from archive.web.geography import WORLD, WUYI
from search import default_gazetteer
from tests.web.helpers import HTML

VIEWER = Path(__file__).resolve().parents[2] / "viewer"
SUBPATH = re.compile(r"M(-?[\d.]+) (-?[\d.]+)l([^Mz]*)z")
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")


def _rings(land: str) -> list[shapely.Polygon]:
    """The closed subpaths of a land path (`M x y l dx dy … z`) as polygons."""
    rings = []
    for x, y, steps in SUBPATH.findall(land):
        deltas = [float(n) for n in NUMBER.findall(steps)]
        points = [(float(x), float(y))]
        for dx, dy in zip(deltas[::2], deltas[1::2], strict=True):
            points.append((points[-1][0] + dx, points[-1][1] + dy))
        rings.append(shapely.Polygon(points))
    return rings


def _on_land(frame: Frame, place_id: str) -> bool:
    """Whether a gazetteer place falls inside the land as the browser fills it (even-odd)."""
    place = default_gazetteer().places[place_id]
    point = shapely.Point(frame.project(place.lat, place.lon))
    return sum(ring.contains(point) for ring in _rings(outline(frame).land)) % 2 == 1


def _svgs(text: str) -> list[str]:
    return re.findall(r"<svg .*?</svg>", text, flags=re.DOTALL)


def test_the_world_atlas_is_installed_at_the_pinned_version() -> None:
    wanted = json.loads((VIEWER / "package.json").read_text())["dependencies"]["world-atlas"]
    installed = ATLAS_DIR / "package.json"
    assert installed.exists(), "world-atlas is missing: run scripts/setup-viewer.sh"
    assert json.loads(installed.read_text())["version"] == wanted


def test_the_map_page_draws_land_and_borders_in_both_views(client: TestClient) -> None:
    client.get("/language/en")
    text = client.get("/map", headers=HTML).text
    world, inset = _svgs(text)
    assert world.startswith('<svg viewBox="0 0 1000 500" role="img"')
    assert inset.startswith(f'<svg viewBox="0 0 {WUYI.width} {WUYI.height}" role="img"')
    for svg in (world, inset):
        assert len(re.search(r'<path d="([^"]*)" class="land"/>', svg)[1]) > 2_000  # type: ignore[index]
        assert re.search(r'<path d="[^"]+" class="border"/>', svg)
    assert "http" not in world + inset  # nothing fetched: no tiles, no external images
    assert "Coastlines and borders: Natural Earth" in text
    assert "<td>San Francisco</td><td>Majianglong</td><td>1</td>" in text


def test_the_page_stays_small_compressed(client: TestClient) -> None:
    body = client.get("/map", headers=HTML).content
    assert len(gzip.compress(body)) < 60_000, len(gzip.compress(body))


def test_the_villages_are_in_the_inset_and_the_world_marks_it(client: TestClient) -> None:
    client.get("/language/en")
    world, inset = _svgs(client.get("/map", headers=HTML).text)
    x, y = WUYI.project(22.23, 112.6)  # Majianglong
    assert f'<circle class="place" cx="{x}" cy="{y}" r="5"/>' in inset
    assert ">Majianglong</text>" in inset and ">Majianglong</text>" not in world
    assert "Hong Kong" in inset and "Macau" in inset  # landmarks for orientation
    assert 'class="inset-frame"' in world and "Wuyi counties" in world
    x, y = WORLD.project(37.77, -122.42)  # San Francisco, drawn where the world view puts it
    assert f'<circle class="place" cx="{x}" cy="{y}" r="5"/>' in world


@pytest.mark.parametrize("place", ["taishan", "kaiping", "majianglong", "zili", "enping"])
def test_wuyi_places_lie_on_land_in_the_inset(place: str) -> None:
    assert _on_land(WUYI, place)


@pytest.mark.parametrize("place", ["china", "usa", "canada", "australia", "mexico"])
def test_countries_lie_on_land_in_the_world(place: str) -> None:
    assert _on_land(WORLD, place)


def test_the_sea_is_not_land() -> None:
    point = shapely.Point(WUYI.project(21.6, 113.6))  # the South China Sea off Macau
    assert sum(r.contains(point) for r in _rings(outline(WUYI).land)) % 2 == 0
    point = shapely.Point(WORLD.project(0.0, -160.0))  # the middle of the Pacific
    assert sum(r.contains(point) for r in _rings(outline(WORLD).land)) % 2 == 0


def test_the_world_is_centred_on_the_pacific() -> None:
    assert WORLD.project(0.0, 150.0) == (500.0, 250.0)
    assert WORLD.project(0.0, -30.0) == (0.0, 250.0)
    assert WORLD.project(90.0, -122.42)[0] == WORLD.project(90.0, 237.58)[0]


def test_without_the_atlas_the_map_has_no_land_and_a_warning_says_why(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="archive.web.basemap"):
        missing = outline(WORLD, atlas_dir=tmp_path)
    assert (missing.land, missing.borders) == ("", "")
    assert "scripts/setup-viewer.sh" in caplog.text
    assert str(tmp_path / "countries-110m.json") in caplog.text
