"""Place and agent (person, remittance house) authority records: seeding, lookup, linking, merging.

Places are seeded from the gazetteer (`search.gazetteer`), keeping its hierarchy,
coordinates and every spelling (characters, Taishanese, Cantonese, Mandarin, English).
Names written on an item are linked to an authority when one of its spellings matches;
a name that matches none is kept as written and flagged (`NameFlag`) for a curator.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from archive.catalogue.audit import record_change
from archive.catalogue.models import Agent, AgentKind, Item, NameFlag, Place, PlaceSource
from search.gazetteer import Gazetteer
from search.normalise import key

PLACE_FIELDS = ("sending_place", "receiving_place")
AGENT_FIELDS = {"sender": "sender_id", "recipient": "recipient_id"}
HOUSE_FIELD = ("remittance_house", "remittance_house_id")
MAX_NAME_LENGTH = 200
"""Longest name an authority record or a link accepts (the column width)."""

# Administrative suffixes often written after a name (台山縣, 端芬墟) but not in the gazetteer.
_SUFFIXES = ("縣", "县", "墟", "埠", "鎮", "镇", "鄉", "乡", "市", "村", "里")


class AuthorityError(ValueError):
    """A refused authority operation; the message says what was wrong and what to do."""


@dataclass(frozen=True)
class SeedReport:
    """What seeding did: records created and records already present (updated in place)."""

    created: int
    existing: int


@dataclass(frozen=True)
class LinkOutcome:
    """How one written name on an item was linked: the record, or flagged as unknown."""

    field: str
    written: str
    record_id: int | None
    record_name: str | None
    flagged: bool


def place_names(place: Place) -> list[str]:
    """Every spelling of a place authority: its name and its variants."""
    return list(dict.fromkeys([place.name, *(v["name"] for v in place.variants)]))


def agent_names(agent: Agent) -> list[str]:
    """Every spelling of an agent authority: its name and its variants."""
    return list(dict.fromkeys([agent.name, *(v["name"] for v in agent.variants)]))


def seed_places(session: Session, gazetteer: Gazetteer, *, actor: str) -> SeedReport:
    """Create (or refresh) one place authority per gazetteer place; safe to run again."""
    sources = {s.gazetteer_id: s for s in session.scalars(select(PlaceSource))}
    by_gazetteer: dict[str, Place] = {}
    created = 0
    for entry in gazetteer.places.values():
        variants = [
            *({"name": name, "source": language} for language, name in entry.name.items()),
            *({"name": v.name, "source": v.source} for v in entry.variants),
        ]
        source = sources.get(entry.id)
        place = session.get(Place, source.place_id) if source else None
        if place is None:
            place = Place(name=entry.name.get("zh-Hant") or entry.name["en"])
            session.add(place)
            session.flush()
            session.add(PlaceSource(place_id=place.id, gazetteer_id=entry.id, kind=entry.kind))
            created += 1
        place.latitude, place.longitude = entry.lat, entry.lon
        known = {v["name"] for v in place.variants}
        place.variants = [*place.variants, *(v for v in variants if v["name"] not in known)]
        by_gazetteer[entry.id] = place
    for entry in gazetteer.places.values():
        if entry.parent is not None:
            by_gazetteer[entry.id].parent_id = by_gazetteer[entry.parent].id
    record_change(
        session,
        actor=actor,
        action="seed",
        entity="place",
        entity_id="gazetteer",
        changes={"created": created, "existing": len(by_gazetteer) - created},
    )
    return SeedReport(created=created, existing=len(by_gazetteer) - created)


def _place_index(session: Session) -> dict[str, list[Place]]:
    index: dict[str, list[Place]] = {}
    for place in session.scalars(select(Place).order_by(Place.id)):
        for name in place_names(place):
            index.setdefault(key(name), []).append(place)
    return index


def _depth(place: Place) -> int:
    depth, seen = 0, {place.id}
    while place.parent is not None and place.parent.id not in seen:
        place = place.parent
        seen.add(place.id)
        depth += 1
    return depth


def find_place(session: Session, text: str) -> tuple[Place | None, float]:
    """The place authority `text` names, with a confidence (None, 0.0 when none matches).

    An exact spelling (folded: case, width, 繁/简) scores 1.0; a full address such as
    台山縣端芬墟上澤村 links to the most specific place whose name it contains (0.7).
    """
    written = key(text.strip())
    if not written:
        return None, 0.0
    index = _place_index(session)
    trimmed = written.rstrip("".join(_SUFFIXES)) or written
    for candidate in (written, trimmed):
        if candidate in index:
            return index[candidate][0], 1.0
    contained = [
        (place, len(name))
        for name, places in index.items()
        if len(name) >= 2 and name in written
        for place in places
    ]
    if not contained:
        return None, 0.0
    best = max(contained, key=lambda found: (_depth(found[0]), found[1]))
    return best[0], 0.7


def find_agent(session: Session, text: str, kind: AgentKind | None = None) -> Agent | None:
    """The agent authority one of whose spellings is `text` (folded), if any."""
    written = key(text.strip())
    if not written:
        return None
    query = select(Agent).order_by(Agent.id)
    if kind is not None:
        query = query.where(Agent.kind == kind)
    for agent in session.scalars(query):
        if any(key(name) == written for name in agent_names(agent)):
            return agent
    return None


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise AuthorityError("the name is empty: give the name as written, e.g. 黃國興")
    if len(name) > MAX_NAME_LENGTH:
        raise AuthorityError(
            f"the name is {len(name)} characters long (at most {MAX_NAME_LENGTH}); "
            "give one name, not a passage of text"
        )
    return name


def add_agent(
    session: Session,
    name: str,
    *,
    kind: AgentKind,
    variants: list[dict[str, str]] | None = None,
    actor: str,
) -> Agent:
    """Create a person or remittance-house authority with its name variants (audited)."""
    name = _check_name(name)
    cleaned = [
        {"name": _check_name(v["name"]), "source": v.get("source", "")} for v in variants or []
    ]
    existing = find_agent(session, name, kind)
    if existing is not None:
        raise AuthorityError(
            f"{name!r} is already the {kind.value} authority #{existing.id} ({existing.name}); "
            "add a variant to it or merge instead"
        )
    agent = Agent(kind=kind, name=name, variants=cleaned)
    session.add(agent)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create",
        entity="agent",
        entity_id=str(agent.id),
        changes={"kind": kind.value, "name": name, "variants": cleaned},
    )
    return agent


def _flag(session: Session, item: Item, field: str, written: str, reason: str) -> None:
    flag = session.scalar(
        select(NameFlag).where(NameFlag.item_id == item.id, NameFlag.field == field)
    )
    if flag is None:
        session.add(NameFlag(item_id=item.id, field=field, written=written, reason=reason))
    else:
        flag.written, flag.reason = written, reason


def _unflag(session: Session, item: Item, field: str) -> None:
    session.execute(delete(NameFlag).where(NameFlag.item_id == item.id, NameFlag.field == field))


def link_item(session: Session, item: Item, *, actor: str) -> list[LinkOutcome]:
    """Link the item's written places, sender, recipient and remittance house to authorities.

    The written text is never changed. A name with no matching authority is flagged
    (kept as written); a name that now matches clears its flag. Changes are audited.
    """
    outcomes: list[LinkOutcome] = []
    changes: dict[str, list[int | None]] = {}
    targets: list[tuple[str, str, Place | Agent | None]] = []
    for field in PLACE_FIELDS:
        written = getattr(item, field)
        place = find_place(session, written)[0] if written else None
        targets.append((field, f"{field}_id", place))
    for field, column in AGENT_FIELDS.items():
        written = getattr(item, field)
        person = find_agent(session, written, AgentKind.person) if written else None
        targets.append((field, column, person))
    house = item.remittance_house
    targets.append(
        (*HOUSE_FIELD, find_agent(session, house, AgentKind.organisation) if house else None)
    )
    for field, column, record in targets:
        written = getattr(item, field)
        if not written:
            continue
        new_id = record.id if record is not None else None
        if getattr(item, column) != new_id:
            changes[column] = [getattr(item, column), new_id]
            setattr(item, column, new_id)
        if record is None:
            _flag(session, item, field, written, f"no authority record is named {written!r}")
        else:
            _unflag(session, item, field)
        outcomes.append(
            LinkOutcome(field, written, new_id, record.name if record else None, record is None)
        )
    if changes:
        record_change(
            session,
            actor=actor,
            action="link",
            entity="item",
            entity_id=item.identifier,
            changes=changes,
        )
    return outcomes


def flags_of(session: Session, item: Item) -> list[NameFlag]:
    """The names on this item that matched no authority record."""
    return list(session.scalars(select(NameFlag).where(NameFlag.item_id == item.id)))


def _merged_variants(
    into: list[dict[str, str]], names: list[str], variants: list[dict[str, str]]
) -> list[dict[str, str]]:
    known = {v["name"] for v in into}
    added = [*variants, *({"name": n, "source": "merged"} for n in names)]
    result = list(into)
    for variant in added:
        if variant["name"] not in known:
            known.add(variant["name"])
            result.append(variant)
    return result


def merge_places(session: Session, source_id: int, target_id: int, *, actor: str) -> Place:
    """Merge place `source_id` into `target_id`: items and child places are re-pointed.

    The source's names become variants of the target, the source record is deleted,
    and the merge is audited with every re-pointed item.
    """
    if source_id == target_id:
        raise AuthorityError(
            f"cannot merge place #{source_id} into itself; give two different records"
        )
    source, target = session.get(Place, source_id), session.get(Place, target_id)
    for wanted, found in ((source_id, source), (target_id, target)):
        if found is None:
            raise AuthorityError(f"no place #{wanted}; list places with `qiaopi places list`")
    assert source is not None and target is not None
    ancestor: Place | None = target
    while ancestor is not None:
        if ancestor.id == source.id:
            raise AuthorityError(
                f"place #{target_id} lies inside #{source_id}; merge the inner place instead"
            )
        ancestor = ancestor.parent
    moved: dict[str, list[str]] = {}
    for column in (Item.sending_place_id, Item.receiving_place_id):
        identifiers = list(session.scalars(select(Item.identifier).where(column == source_id)))
        session.execute(update(Item).where(column == source_id).values({column: target_id}))
        moved[column.key] = identifiers
    session.execute(update(Place).where(Place.parent_id == source_id).values(parent_id=target_id))
    if target.latitude is None:
        target.latitude, target.longitude = source.latitude, source.longitude
    target.variants = _merged_variants(target.variants, [source.name], source.variants)
    source_row = session.get(PlaceSource, source_id)
    if source_row is not None and session.get(PlaceSource, target_id) is None:
        gazetteer_id, kind = source_row.gazetteer_id, source_row.kind
        session.delete(source_row)
        session.flush()
        session.add(PlaceSource(place_id=target_id, gazetteer_id=gazetteer_id, kind=kind))
    record_change(
        session,
        actor=actor,
        action="merge",
        entity="place",
        entity_id=str(target_id),
        changes={"merged": source_id, "name": source.name, "items": moved},
    )
    session.delete(source)
    session.flush()
    return target


def merge_agents(session: Session, source_id: int, target_id: int, *, actor: str) -> Agent:
    """Merge agent `source_id` into `target_id`: items pointing at it are re-pointed (audited)."""
    if source_id == target_id:
        raise AuthorityError(
            f"cannot merge agent #{source_id} into itself; give two different records"
        )
    source, target = session.get(Agent, source_id), session.get(Agent, target_id)
    for wanted, found in ((source_id, source), (target_id, target)):
        if found is None:
            raise AuthorityError(f"no agent #{wanted}; list agents with `qiaopi agents list`")
    assert source is not None and target is not None
    moved: dict[str, list[str]] = {}
    for column in (Item.sender_id, Item.recipient_id, Item.remittance_house_id):
        identifiers = list(session.scalars(select(Item.identifier).where(column == source_id)))
        session.execute(update(Item).where(column == source_id).values({column: target_id}))
        moved[column.key] = identifiers
    target.variants = _merged_variants(target.variants, [source.name], source.variants)
    record_change(
        session,
        actor=actor,
        action="merge",
        entity="agent",
        entity_id=str(target_id),
        changes={"merged": source_id, "name": source.name, "items": moved},
    )
    session.delete(source)
    session.flush()
    return target
