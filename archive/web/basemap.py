"""The base map under the letters' routes: land and country borders from Natural Earth, as SVG.

The data is the `world-atlas` npm package (Natural Earth as TopoJSON), installed into
`viewer/node_modules` by `scripts/setup-viewer.sh`; nothing is fetched at run time and no tile
server is involved. Outlines are projected into a `Frame` (an equirectangular view of part of
the Earth), clipped to it, simplified to a fraction of a pixel with Shapely and rounded to a
tenth of a pixel, then cached for the life of the process (one outline per frame).
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from archive.web.rendering import VIEWER_DIR

ATLAS_DIR = VIEWER_DIR / "node_modules" / "world-atlas"
MARGIN = 2.0  # px: cuts made by clipping fall outside the picture, so the coast stroke hides them
log = logging.getLogger(__name__)

Points = NDArray[np.float64]


@dataclass(frozen=True)
class Frame:
    """A view of the Earth: a longitude/latitude window, equirectangular, `width` pixels wide.

    `parallel` is the latitude where the scale is true (0 for the world; the middle latitude
    for a regional inset, so its shapes are not stretched). Longitudes are unwrapped into
    [west, west + 360), so a window may run past 180° (the world map is centred on the
    Pacific). `atlas` names the world-atlas file the outline is drawn from (its resolution).
    """

    west: float
    south: float
    east: float
    north: float
    width: int
    parallel: float
    atlas: str

    @cached_property
    def height(self) -> int:
        """The picture's height in pixels."""
        stretch = math.cos(math.radians(self.parallel))
        return round(self.width * (self.north - self.south) / ((self.east - self.west) * stretch))

    def unwrap(self, longitude: float) -> float:
        """The longitude moved by whole turns into [west, west + 360)."""
        return self.west + (longitude - self.west) % 360.0

    def project(self, latitude: float, longitude: float) -> tuple[float, float]:
        """SVG coordinates of a point (outside the picture when outside the window)."""
        x = (self.unwrap(longitude) - self.west) / (self.east - self.west) * self.width
        y = (self.north - latitude) / (self.north - self.south) * self.height
        return round(x, 1), round(y, 1)

    def contains(self, latitude: float, longitude: float) -> bool:
        """Whether a point falls inside the window."""
        return self.south <= latitude <= self.north and self.unwrap(longitude) <= self.east

    def pixels(self, points: Points) -> Points:
        """Unwrapped (lon, lat) points as pixels, without wrapping again (keeps rings whole)."""
        x = (points[:, 0] - self.west) / (self.east - self.west) * self.width
        y = (self.north - points[:, 1]) / (self.north - self.south) * self.height
        return np.column_stack((x, y))


@dataclass(frozen=True)
class Outline:
    """SVG path data of the land (filled; its edge is the coast) and of country borders."""

    land: str
    borders: str


class Topology:
    """A TopoJSON topology: arcs decoded into longitude/latitude, geometries as arc indices.

    Hand-written because no maintained, small Python library decodes TopoJSON (the `topojson`
    package on PyPI builds topologies and reads them back only through GeoPandas); decoding is
    the short, fixed algorithm of the TopoJSON specification: delta-decode each quantised arc,
    then stitch arcs into rings, a negative index (~i) meaning arc i reversed.
    """

    def __init__(self, document: dict[str, Any]) -> None:
        """Decode every arc once (cumulative sums of the quantised deltas, then scale)."""
        transform = document.get("transform")
        self.objects: dict[str, Any] = document["objects"]
        self.arcs: list[Points] = []
        for arc in document["arcs"]:
            points = np.asarray(arc, dtype=np.float64)
            if transform is not None:
                points = np.cumsum(points, axis=0) * transform["scale"] + transform["translate"]
            self.arcs.append(points)

    def arc(self, index: int) -> Points:
        """One arc's points, reversed for a negative index."""
        return self.arcs[index] if index >= 0 else self.arcs[~index][::-1]

    def ring(self, indices: Sequence[int]) -> Points:
        """A closed ring stitched from arcs (each arc starts where the last one ended)."""
        parts = [self.arc(indices[0])] + [self.arc(i)[1:] for i in indices[1:]]
        return np.concatenate(parts)

    def polygons(self, name: str) -> Iterator[list[Points]]:
        """Every polygon of an object (exterior ring first, then holes)."""
        for geometry in _geometries(self.objects[name]):
            if geometry["type"] == "Polygon":
                yield [self.ring(r) for r in geometry["arcs"]]
            elif geometry["type"] == "MultiPolygon":
                for polygon in geometry["arcs"]:
                    yield [self.ring(r) for r in polygon]

    def shared_arcs(self, name: str) -> list[Points]:
        """Arcs that two geometries of an object share: the borders between countries.

        Arcs along the 180th meridian are left out: they are where Natural Earth cut a
        country (Russia, Fiji, Antarctica) at the edge of its map, not borders.
        """
        users: Counter[int] = Counter()
        for geometry in _geometries(self.objects[name]):
            users.update({i if i >= 0 else ~i for i in _arc_indices(geometry["arcs"])})
        return [
            self.arcs[i]
            for i, n in sorted(users.items())
            if n > 1 and not np.all(np.abs(self.arcs[i][:, 0]) == 180.0)
        ]


def _geometries(obj: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The geometries of an object, looking inside geometry collections."""
    if obj["type"] == "GeometryCollection":
        for geometry in obj["geometries"]:
            yield from _geometries(geometry)
    else:
        yield obj


def _arc_indices(arcs: Any) -> Iterator[int]:
    """Every arc index in a (nested) list of arc indices."""
    for entry in arcs:
        if isinstance(entry, int):
            yield entry
        else:
            yield from _arc_indices(entry)


def _continuous(points: Points, start: float) -> Points:
    """The line with longitudes made continuous (no 360° jumps), beginning near `start`."""
    longitudes = points[:, 0].copy()
    steps = (np.diff(longitudes) + 180.0) % 360.0 - 180.0
    first = start + (longitudes[0] - start + 180.0) % 360.0 - 180.0
    longitudes = np.concatenate(([first], first + np.cumsum(steps)))
    return np.column_stack((longitudes, points[:, 1]))


def _around_pole(ring: Points) -> Points:
    """A ring that circles a pole (Antarctica) closed along that pole instead of across it."""
    if abs(ring[-1, 0] - ring[0, 0]) < 359.0:
        return ring
    pole = -90.0 if ring[:, 1].mean() < 0 else 90.0
    return np.vstack((ring, [[ring[-1, 0], pole], [ring[0, 0], pole]]))


def _copies(frame: Frame, points: Points) -> Iterator[float]:
    """The shifts (whole turns of the Earth, in pixels) that bring the points into the frame."""
    turn = frame.width * 360.0 / (frame.east - frame.west)
    low, high = points.min(axis=0), points.max(axis=0)
    for shift in (-turn, 0.0, turn):
        across = low[0] + shift <= frame.width and high[0] + shift >= 0.0
        if across and low[1] <= frame.height and high[1] >= 0.0:
            yield shift


def _clip(frame: Frame, geometry: shapely.Geometry, shift: float) -> shapely.Geometry:
    """The geometry (in pixels) moved by `shift` and clipped to the frame and its margin."""
    moved = shapely.transform(geometry, lambda xy: xy + np.array((shift, 0.0)))
    return shapely.clip_by_rect(
        moved, -MARGIN, -MARGIN, frame.width + MARGIN, frame.height + MARGIN
    )


def _land(frame: Frame, topology: Topology) -> Iterator[shapely.Geometry]:
    """The land polygons of the topology, in the frame's pixels."""
    for rings in topology.polygons("land"):
        if len(rings[0]) < 4:
            continue  # an islet quantised to a point or a line
        exterior = frame.pixels(_around_pole(_continuous(rings[0], frame.unwrap(rings[0][0, 0]))))
        shifts = list(_copies(frame, exterior))
        if not shifts:
            continue
        start = rings[0][0, 0]
        holes = [
            frame.pixels(_continuous(hole, frame.unwrap(start)))
            for hole in rings[1:]
            if len(hole) >= 4
        ]
        polygon = shapely.Polygon(exterior, holes)
        for shift in shifts:
            yield shapely.make_valid(_clip(frame, polygon, shift))  # cheap once clipped


def _borders(frame: Frame, topology: Topology) -> Iterator[shapely.Geometry]:
    """The borders between countries, in the frame's pixels."""
    for arc in topology.shared_arcs("countries"):
        line = frame.pixels(_continuous(arc, frame.unwrap(arc[0, 0])))
        for shift in _copies(frame, line):
            yield _clip(frame, shapely.LineString(line), shift)


def _path(geometries: Iterable[shapely.Geometry], tolerance: float, closed: bool) -> str:
    """SVG path data of simplified lines or polygon rings, rounded to 0.1 px."""
    commands: list[str] = []
    for geometry in geometries:
        simple = shapely.simplify(geometry, tolerance, preserve_topology=True)
        for part in shapely.get_parts(simple):
            if closed and part.area < tolerance * tolerance:
                continue  # an islet smaller than the tolerance: invisible at this scale
            lines = shapely.get_rings(part) if closed else shapely.get_parts(part)
            for line in lines:
                commands.append(_svg_line(shapely.get_coordinates(line), closed))
    return "".join(commands)


def _svg_line(points: Points, closed: bool) -> str:
    """One `M…l…` subpath with relative steps (shorter than absolute coordinates).

    Empty when rounding leaves nothing to draw: an `l` without steps would end the whole
    path in the browser (SVG stops drawing a path at its first error).
    """
    rounded = np.round(points * 10).astype(np.int64)
    if closed:
        rounded = rounded[:-1]
    steps = np.diff(rounded, axis=0)
    steps = steps[np.any(steps != 0, axis=1)]
    if len(steps) < (2 if closed else 1):
        return ""
    head = f"M{_number(rounded[0, 0])} {_number(rounded[0, 1])}"
    body = "".join(f"{_number(dx, True)}{_number(dy, True)}" for dx, dy in steps)
    return f"{head}l{body}{'z' if closed else ''}"


def _number(tenths: np.int64, signed: bool = False) -> str:
    """A number of tenths written as short as SVG allows (`-.5`, `12`, `3.1`)."""
    value = int(tenths)
    text = f"{abs(value) // 10}" if value % 10 == 0 else f"{abs(value) / 10:.1f}".lstrip("0")
    if value < 0:
        return f"-{text}"
    return f" {text}" if signed else text


@lru_cache(maxsize=8)
def outline(frame: Frame, tolerance: float = 0.4, atlas_dir: Path = ATLAS_DIR) -> Outline:
    """The land and borders of a frame, simplified to `tolerance` pixels; cached per process.

    Without the world-atlas data (set-up not run) the map is still useful, its places, routes
    and table intact, so this logs a warning naming the fix and returns an empty outline
    rather than failing the page.
    """
    source = atlas_dir / f"{frame.atlas}.json"
    try:
        document = json.loads(source.read_bytes())
    except FileNotFoundError:
        log.warning(
            "map outline %s is missing: run scripts/setup-viewer.sh to install the "
            "world-atlas npm package; the map is drawn without land",
            source,
        )
        return Outline(land="", borders="")
    topology = Topology(document)
    return Outline(
        # One merged shape, snapped to 0.01 px so that pieces meeting at a seam (where Natural
        # Earth cut land at the 180th meridian, or two copies of a polygon meet) really join
        # and are not stroked as coast.
        land=_path(
            [shapely.union_all(list(_land(frame, topology)), grid_size=0.01)],
            tolerance,
            closed=True,
        ),
        borders=_path(_borders(frame, topology), tolerance, closed=False),
    )
