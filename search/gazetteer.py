"""The gazetteer: Wuyi counties, towns, diaolou villages and overseas places, with variants.

Letters name one place in many scripts (台山 / 臺山 / 新寧 / Toishan / Hoisan / Taishan).
Queries expand through this file so any of them finds all of them. The data, with the
source of every romanisation, is `search/data/gazetteer.json`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from search.normalise import key


class Variant(BaseModel):
    """Another name of a place, with the key of the source that attests it."""

    model_config = ConfigDict(frozen=True)

    name: str
    source: str


class Place(BaseModel):
    """One place: names per language, variants, kind, parent place and coordinates."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: str
    parent: str | None
    lat: float
    lon: float
    name: dict[str, str]
    variants: tuple[Variant, ...]

    def all_names(self) -> tuple[str, ...]:
        """Every spelling of the place: its names in each language, then its variants."""
        names = [*self.name.values(), *(variant.name for variant in self.variants)]
        return tuple(dict.fromkeys(names))


class Gazetteer:
    """Lookup of places by any of their spellings, folded (case, width, 繁/简)."""

    def __init__(self, places: Iterable[Place], sources: dict[str, str]) -> None:
        self.places = {place.id: place for place in places}
        self.sources = sources
        self._by_key: dict[str, list[Place]] = {}
        for place in self.places.values():
            for name in place.all_names():
                matches = self._by_key.setdefault(key(name), [])
                if place not in matches:
                    matches.append(place)
        self.longest_key_words = max(
            len(n.split()) for p in self.places.values() for n in p.all_names()
        )

    def lookup(self, text: str) -> list[Place]:
        """Places one of whose spellings folds to the same key as `text`."""
        return list(self._by_key.get(key(text), ()))

    def variants(self, text: str) -> tuple[str, ...]:
        """All spellings of the places `text` names (empty when it names none)."""
        names = [name for place in self.lookup(text) for name in place.all_names()]
        return tuple(dict.fromkeys(names))

    def descendants(self, place_id: str) -> list[Place]:
        """The place and every place below it (county → towns → villages)."""
        found = [self.places[place_id]]
        for place in found:
            found.extend(p for p in self.places.values() if p.parent == place.id)
        return found


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer shipped in `search/data/gazetteer.json` (read once)."""
    raw = json.loads(resources.files("search").joinpath("data/gazetteer.json").read_text("utf-8"))
    places = [Place.model_validate(item) for item in raw["places"]]
    gazetteer = Gazetteer(places, raw["sources"])
    unknown = {
        v.source for p in places for v in p.variants if v.source not in gazetteer.sources
    } | {p.parent for p in places if p.parent is not None and p.parent not in gazetteer.places}
    if unknown:
        raise ValueError(
            f"gazetteer.json refers to undefined sources or parents: {sorted(unknown)}"
        )
    return gazetteer
