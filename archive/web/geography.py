"""Where letters went from and to: places found in the gazetteer, drawn on an SVG map.

The map is a plain equirectangular projection centred on the Pacific (150° E), so routes
from the Americas to the Wuyi counties do not cross the edge; no tiles, no network.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from search import Place, default_gazetteer

WIDTH, HEIGHT = 1000, 500
CENTRE_LONGITUDE = 150.0


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


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """SVG coordinates of a point on the Pacific-centred map."""
    x = ((longitude - CENTRE_LONGITUDE + 540.0) % 360.0) / 360.0 * WIDTH
    y = (90.0 - latitude) / 180.0 * HEIGHT
    return round(x, 1), round(y, 1)


@dataclass(frozen=True)
class Route:
    """Letters sent from one place to another, with the SVG path of a gentle arc."""

    origin: Place
    destination: Place
    count: int

    @property
    def path(self) -> str:
        """A quadratic curve from origin to destination, bowed northwards."""
        x1, y1 = project(self.origin.lat, self.origin.lon)
        x2, y2 = project(self.destination.lat, self.destination.lon)
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


def graticule(step: int = 30) -> list[str]:
    """SVG paths of meridians and parallels every `step` degrees."""
    lines = []
    for latitude in range(-60, 91, step):
        y = project(latitude, 0)[1]
        lines.append(f"M0,{y} H{WIDTH}")
    for longitude in range(-180, 180, step):
        x = project(0, longitude)[0]
        lines.append(f"M{x},0 V{HEIGHT}")
    return lines


def labelled(
    points: Iterable[tuple[str, float, float]], near: float = 16.0
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
