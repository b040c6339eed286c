"""Where letters went from and to: places found in the gazetteer, drawn on SVG maps.

Two views: the world, equirectangular and centred on the Pacific (150° E) so routes from the
Americas to the Wuyi counties do not cross the edge, and an inset of the Wuyi counties and
the Pearl River Delta, where the villages lie a few pixels apart on the world map. Land and
borders come from Natural Earth (`archive.web.basemap`); no tiles, no network.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from archive.web.basemap import Frame, Outline, outline
from search import Place, default_gazetteer

CENTRE_LONGITUDE = 150.0
WORLD = Frame(
    west=CENTRE_LONGITUDE - 180.0,
    south=-90.0,
    east=CENTRE_LONGITUDE + 180.0,
    north=90.0,
    width=1000,
    parallel=0.0,
    atlas="countries-110m",
)
# The five counties (Taishan, Kaiping, Xinhui, Enping, Heshan), Jiangmen, Macau and Hong
# Kong; the 10m data because the 110m and 50m coasts are too coarse for the delta's islands.
WUYI = Frame(
    west=111.9,
    south=21.45,
    east=114.5,
    north=23.25,
    width=1000,
    parallel=22.35,
    atlas="countries-10m",
)
LANDMARK_KINDS = frozenset({"prefecture", "county", "city"})
LABEL_NEAR = 16.0  # px: places closer than this share one label


@lru_cache(maxsize=4096)
def locate(text: str) -> Place | None:
    """The most specific gazetteer place named in `text` (the longest name found in it)."""
    gazetteer = default_gazetteer()
    best: tuple[int, int, Place] | None = None
    for start in range(len(text)):
        for end in range(len(text), start, -1):
            if best is not None and end - start <= best[0]:
                break
            found = gazetteer.lookup(text[start:end])
            if found:
                best = (end - start, start, found[0])
                break
    return best[2] if best else None


@dataclass(frozen=True)
class Route:
    """Letters sent from one place to another."""

    origin: Place
    destination: Place
    count: int

    def path(self, frame: Frame) -> str:
        """A quadratic curve from origin to destination in a frame, bowed northwards."""
        x1, y1 = frame.project(self.origin.lat, self.origin.lon)
        x2, y2 = frame.project(self.destination.lat, self.destination.lon)
        bow = abs(x2 - x1) * 0.25
        return f"M{x1},{y1} Q{(x1 + x2) / 2:.1f},{min(y1, y2) - bow:.1f} {x2},{y2}"


def routes(pairs: Iterable[tuple[str, str]]) -> list[Route]:
    """Routes from (sending place, receiving place) texts, the busiest first."""
    counted: Counter[tuple[str, str]] = Counter()
    places: dict[str, Place] = {}
    for sent_from, sent_to in pairs:
        origin, destination = locate(sent_from), locate(sent_to)
        if origin is None or destination is None or origin.id == destination.id:
            continue
        places[origin.id], places[destination.id] = origin, destination
        counted[(origin.id, destination.id)] += 1
    return [
        Route(places[a], places[b], n)
        for (a, b), n in sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def graticule(frame: Frame, step: float) -> list[str]:
    """SVG paths of the meridians and parallels of a frame, every `step` degrees."""
    lines = []
    for i in range(math.ceil(frame.south / step), math.floor(frame.north / step) + 1):
        y = frame.project(i * step, frame.west)[1]
        lines.append(f"M0,{y} H{frame.width}")
    for i in range(math.ceil(frame.west / step), math.floor(frame.east / step) + 1):
        x = round((i * step - frame.west) / (frame.east - frame.west) * frame.width, 1)
        lines.append(f"M{x},0 V{frame.height}")
    return lines


def labelled(
    points: Iterable[tuple[str, float, float]], near: float = LABEL_NEAR
) -> list[tuple[str, float, float]]:
    """Points closer than `near` share one label (the Wuyi villages sit within a few pixels)."""
    clusters: list[tuple[list[str], float, float]] = []
    for name, x, y in points:
        for names, cx, cy in clusters:
            if abs(cx - x) < near and abs(cy - y) < near:
                names.append(name)
                break
        else:
            clusters.append(([name], x, y))
    return [(" · ".join(names), x, y) for names, x, y in clusters]


@dataclass(frozen=True)
class MapView:
    """Everything one SVG map draws: outline, graticule, routes, places and their labels.

    `landmarks` are gazetteer places drawn for orientation only (county seats, Hong Kong,
    Macau), `inset` the rectangle of another view drawn on this one, if any.
    """

    frame: Frame
    outline: Outline
    graticule: list[str]
    routes: list[tuple[Route, str]]
    points: list[tuple[float, float]]
    labels: list[tuple[str, float, float]]
    landmarks: list[tuple[str, float, float]]
    inset: tuple[float, float, float, float] | None


def _rectangle(outer: Frame, inner: Frame) -> tuple[float, float, float, float]:
    """The inner frame's window as x, y, width, height on the outer frame."""
    x1, y1 = outer.project(inner.north, inner.west)
    x2, y2 = outer.project(inner.south, inner.east)
    return x1, y1, round(x2 - x1, 1), round(y2 - y1, 1)


def views(found: list[Route], name: Callable[[Place], str]) -> tuple[MapView, MapView]:
    """The world view and the Wuyi inset of these routes, with places named by `name`."""
    places = list({p.id: p for r in found for p in (r.origin, r.destination)}.values())
    overseas = [p for p in places if not WUYI.contains(p.lat, p.lon)]
    world = MapView(
        frame=WORLD,
        outline=outline(WORLD),
        graticule=graticule(WORLD, 30.0),
        routes=[(route, route.path(WORLD)) for route in found],
        points=[WORLD.project(p.lat, p.lon) for p in places],
        labels=labelled((name(p), *WORLD.project(p.lat, p.lon)) for p in overseas),
        landmarks=[],
        inset=_rectangle(WORLD, WUYI),
    )
    local = [p for p in places if WUYI.contains(p.lat, p.lon)]
    labels = labelled((name(p), *WUYI.project(p.lat, p.lon)) for p in local)
    landmarks = [
        (name(p), *WUYI.project(p.lat, p.lon))
        for p in default_gazetteer().places.values()
        if p.kind in LANDMARK_KINDS and WUYI.contains(p.lat, p.lon) and p not in local
    ]
    inset = MapView(
        frame=WUYI,
        outline=outline(WUYI),
        graticule=graticule(WUYI, 0.5),
        routes=[
            (route, route.path(WUYI))
            for route in found
            if route.origin in local and route.destination in local
        ],
        points=[WUYI.project(p.lat, p.lon) for p in local],
        labels=labels,
        landmarks=[
            (text, x, y)
            for text, x, y in landmarks
            if all(abs(x - lx) >= LABEL_NEAR or abs(y - ly) >= LABEL_NEAR for _, lx, ly in labels)
        ],
        inset=None,
    )
    return world, inset
