"""The correspondence network: people and places linked by the letters between them.

Built from items' catalogue fields (linked authority records where there are, else the
names as written, folded), so it needs no extra tables and is always current. Letters
that belong together are series: every letter between one pair of people, in either
direction, so a letter and its reply (回批) and a family's letters over the years fall
into one series. Exported as JSON, GraphML (via networkx, for Gephi) or a Gephi edge CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx  # type: ignore[import-untyped]
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from archive.catalogue.models import Collection, CollectionItem, Item, ItemType, Visibility
from search.normalise import key

Format = Literal["json", "graphml", "csv"]
FORMATS: tuple[str, ...] = ("json", "graphml", "csv")
MAX_ITEMS = 20_000
"""Most letters one network is built from (a bound on one request's work)."""
MAX_QUERY_LENGTH = 200


class NetworkError(ValueError):
    """A network that cannot be built as asked; the message says what to do."""


def select_letters(
    session: Session, *, published_only: bool, q: str = "", collection: str = ""
) -> list[Item]:
    """The qiaopi items a network is built from: matching `q`, in `collection`, visible.

    `q` matches names and places as written (sender, recipient, sending and receiving
    place, title). With `published_only` (anonymous users) only published items count,
    and only a published collection can be named.
    """
    if len(q) > MAX_QUERY_LENGTH:
        raise NetworkError(f"q is {len(q)} characters (at most {MAX_QUERY_LENGTH}); shorten it")
    query = select(Item).where(Item.type != ItemType.heritage_object)
    if published_only:
        query = query.where(Item.visibility == Visibility.published)
    if collection:
        found = session.scalar(select(Collection).where(Collection.slug == collection))
        if found is None or (published_only and found.visibility != Visibility.published):
            raise NetworkError(f"no collection {collection!r}; list them at GET /api/collections")
        query = query.join(CollectionItem, CollectionItem.item_id == Item.id).where(
            CollectionItem.collection_id == found.id
        )
    if q.strip():
        pattern = f"%{q.strip()}%"
        columns = (
            Item.sender,
            Item.recipient,
            Item.sending_place,
            Item.receiving_place,
            Item.title_zh_hant,
            Item.title_zh_hans,
            Item.title_en,
        )
        query = query.where(or_(*(column.ilike(pattern) for column in columns)))
    return list(session.scalars(query.order_by(Item.id).limit(MAX_ITEMS)))


@dataclass
class Node:
    """A person or a place in the network."""

    id: str
    label: str
    kind: str
    authority_id: int | None
    letters: int = 0


@dataclass
class Edge:
    """Letters linking two nodes: how many, which, and the dates they span."""

    source: str
    target: str
    relation: str
    items: list[str] = field(default_factory=list)
    first: dt.date | None = None
    last: dt.date | None = None

    @property
    def count(self) -> int:
        """How many letters make this edge."""
        return len(self.items)

    def add(self, item: Item) -> None:
        """Count one more letter and widen the date span to cover it."""
        self.items.append(item.identifier)
        start, end = item.date_start, item.date_end or item.date_start
        if start is not None:
            self.first = start if self.first is None else min(self.first, start)
        if end is not None:
            self.last = end if self.last is None else max(self.last, end)


@dataclass
class Series:
    """Letters that belong together: all letters between one pair of people, by date."""

    people: tuple[str, str]
    items: list[str]
    first: dt.date | None
    last: dt.date | None


@dataclass
class Network:
    """Nodes, edges and letter series of a set of items."""

    nodes: dict[str, Node]
    edges: dict[tuple[str, str, str], Edge]
    series: list[Series]


def _person(item: Item, field_name: str, nodes: dict[str, Node]) -> str | None:
    written: str = getattr(item, field_name)
    authority: int | None = getattr(item, f"{field_name}_id")
    if not written and authority is None:
        return None
    node_id = f"agent:{authority}" if authority is not None else f"person:{key(written)}"
    node = nodes.setdefault(node_id, Node(node_id, written, "person", authority))
    node.letters += 1
    return node_id


def _place(item: Item, field_name: str, nodes: dict[str, Node]) -> str | None:
    written: str = getattr(item, field_name)
    authority: int | None = getattr(item, f"{field_name}_id")
    if not written and authority is None:
        return None
    node_id = f"place:{authority}" if authority is not None else f"place:{key(written)}"
    node = nodes.setdefault(node_id, Node(node_id, written, "place", authority))
    node.letters += 1
    return node_id


def build_network(items: Iterable[Item]) -> Network:
    """The network of the given items (the caller has already applied visibility)."""
    nodes: dict[str, Node] = {}
    edges: dict[tuple[str, str, str], Edge] = {}
    pairs: dict[frozenset[str], list[Item]] = {}

    def link(source: str | None, target: str | None, relation: str, item: Item) -> None:
        if source is None or target is None:
            return
        edges.setdefault((source, target, relation), Edge(source, target, relation)).add(item)

    for item in items:
        sender = _person(item, "sender", nodes)
        recipient = _person(item, "recipient", nodes)
        link(sender, recipient, "wrote_to", item)
        link(sender, _place(item, "sending_place", nodes), "wrote_from", item)
        link(recipient, _place(item, "receiving_place", nodes), "received_at", item)
        if sender is not None and recipient is not None and sender != recipient:
            pairs.setdefault(frozenset((sender, recipient)), []).append(item)
    series = [_series(pair, letters) for pair, letters in pairs.items()]
    return Network(nodes, edges, sorted(series, key=lambda s: (-len(s.items), s.people)))


def _series(pair: frozenset[str], letters: list[Item]) -> Series:
    far_future = dt.date.max
    ordered = sorted(letters, key=lambda i: (i.date_start or far_future, i.identifier))
    starts = [i.date_start for i in ordered if i.date_start is not None]
    ends = [i.date_end or i.date_start for i in ordered if i.date_start is not None]
    people = sorted(pair)
    return Series(
        (people[0], people[1]),
        [i.identifier for i in ordered],
        min(starts) if starts else None,
        max(d for d in ends if d is not None) if ends else None,
    )


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def to_json(network: Network) -> dict[str, object]:
    """The network as JSON-ready data: nodes, edges (count, date span, items) and series."""
    return {
        "nodes": [vars(node) for node in network.nodes.values()],
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "relation": e.relation,
                "count": e.count,
                "first": _iso(e.first),
                "last": _iso(e.last),
                "items": e.items,
            }
            for e in network.edges.values()
        ],
        "series": [
            {
                "people": list(s.people),
                "items": s.items,
                "first": _iso(s.first),
                "last": _iso(s.last),
            }
            for s in network.series
        ],
    }


def to_graphml(network: Network) -> str:
    """GraphML for Gephi: node label/kind/letters; edge relation/weight/first/last/items."""
    graph = nx.MultiDiGraph()
    for node in network.nodes.values():
        graph.add_node(node.id, label=node.label, kind=node.kind, letters=node.letters)
    for edge in network.edges.values():
        graph.add_edge(
            edge.source,
            edge.target,
            key=edge.relation,
            relation=edge.relation,
            weight=edge.count,
            first=_iso(edge.first),
            last=_iso(edge.last),
            items=" ".join(edge.items),
        )
    out = io.BytesIO()
    nx.write_graphml_xml(graph, out, encoding="utf-8", named_key_ids=True)
    return out.getvalue().decode("utf-8")


def to_csv(network: Network) -> str:
    """A Gephi edge table: Source, Target (node labels), Type, Weight, relation, dates, items."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Source", "Target", "Type", "Weight", "Relation", "First", "Last", "Items"])
    for edge in network.edges.values():
        writer.writerow(
            [
                network.nodes[edge.source].label,
                network.nodes[edge.target].label,
                "Directed",
                edge.count,
                edge.relation,
                _iso(edge.first),
                _iso(edge.last),
                " ".join(edge.items),
            ]
        )
    return out.getvalue()
