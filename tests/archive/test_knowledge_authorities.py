"""Place and agent authorities: seeding from the gazetteer, linking, flags, merging."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.catalogue.db import Catalogue
from archive.catalogue.models import Agent, AgentKind, AuditEntry, Item, NameFlag, Place
from archive.knowledge.authorities import (
    AuthorityError,
    add_agent,
    find_place,
    flags_of,
    link_item,
    merge_agents,
    merge_places,
    place_names,
    seed_places,
)
from search.gazetteer import default_gazetteer
from tests.archive.test_knowledge_fixtures import make_letter


@pytest.fixture
def catalogue(database_url: str) -> Iterator[Catalogue]:
    opened = Catalogue(database_url)
    opened.migrate()
    with opened.session() as session:
        seed_places(session, default_gazetteer(), actor="test")
    yield opened
    opened.dispose()


def _place(session: Session, name: str) -> Place:
    place = session.scalar(select(Place).where(Place.name == name))
    assert place is not None, name
    return place


def test_seeding_keeps_hierarchy_coordinates_and_variants_and_is_idempotent(
    catalogue: Catalogue,
) -> None:
    with catalogue.session() as session:
        count = session.scalar(select(func.count()).select_from(Place))
        again = seed_places(session, default_gazetteer(), actor="test")
        assert again.created == 0
        assert session.scalar(select(func.count()).select_from(Place)) == count
        assert count == len(default_gazetteer().places)
        zili = _place(session, "自力村")
        assert zili.parent is not None and zili.parent.parent is not None
        assert zili.latitude is not None and zili.longitude is not None
        taishan = _place(session, "台山")
        names = place_names(taishan)
        assert {"Toishan", "Taishan", "Hoisan", "台山"} <= set(names)
        sources = {v["source"] for v in taishan.variants}
        assert {"zh-Hans", "en", "pinyin", "postal"} <= sources


def test_find_place_exact_and_within_an_address(catalogue: Catalogue) -> None:
    with catalogue.session() as session:
        exact, confidence = find_place(session, "Toishan")
        assert exact is not None and exact.name == "台山" and confidence == 1.0
        inner, confidence = find_place(session, "開平縣赤坎墟自力村")
        assert inner is not None and inner.name == "自力村" and confidence < 1.0
        assert find_place(session, "烏有鄉") == (None, 0.0)


def test_linking_an_item_links_known_names_and_flags_unknown_ones(catalogue: Catalogue) -> None:
    with catalogue.session() as session:
        sender = add_agent(
            session,
            "梅富錦",
            kind=AgentKind.person,
            variants=[{"name": "Moy Foo Kam", "source": "envelope"}],
            actor="test",
        )
        item = make_letter(
            session,
            "qp-1932-0001",
            [],
            sender="Moy Foo Kam",
            sending_place="紐約",
            receiving_place="烏有鄉無名村",
        )
        outcomes = {o.field: o for o in link_item(session, item, actor="mei")}
        assert item.sender_id == sender.id
        assert item.sending_place_id == _place(session, "紐約").id
        assert item.receiving_place_id is None
        assert outcomes["receiving_place"].flagged
        assert item.receiving_place == "烏有鄉無名村"  # kept as written
        flags = flags_of(session, item)
        assert [(f.field, f.written) for f in flags] == [("receiving_place", "烏有鄉無名村")]
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "link")).one()
        assert audit.actor == "mei" and "sender_id" in audit.changes
        item.receiving_place = "開平縣赤坎墟自力村"
        link_item(session, item, actor="mei")
        assert item.receiving_place_id == _place(session, "自力村").id
        assert flags_of(session, item) == []


def test_merging_places_repoints_items_and_children(catalogue: Catalogue) -> None:
    with catalogue.session() as session:
        duplicate = Place(name="赤坎鎮", variants=[{"name": "Chikan", "source": "curator"}])
        session.add(duplicate)
        session.flush()
        child = Place(name="某村", parent_id=duplicate.id)
        session.add(child)
        item = make_letter(session, "qp-1933-0002", [], receiving_place="赤坎鎮")
        item.receiving_place_id = duplicate.id
        session.flush()
        keep = _place(session, "赤坎")
        merged = merge_places(session, duplicate.id, keep.id, actor="mei")
        session.expire_all()
        assert session.get(Place, duplicate.id) is None
        assert session.get(Item, item.id).receiving_place_id == keep.id  # type: ignore[union-attr]
        assert session.get(Place, child.id).parent_id == keep.id  # type: ignore[union-attr]
        assert {"赤坎鎮", "Chikan"} <= set(place_names(merged))
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).one()
        assert audit.changes["items"]["receiving_place_id"] == ["qp-1933-0002"]


def test_merging_a_record_into_itself_or_a_missing_one_is_refused(catalogue: Catalogue) -> None:
    with catalogue.session() as session:
        taishan = _place(session, "台山")
        with pytest.raises(AuthorityError, match="into itself"):
            merge_places(session, taishan.id, taishan.id, actor="mei")
        with pytest.raises(AuthorityError, match="no place #999999"):
            merge_places(session, 999_999, taishan.id, actor="mei")
        county = _place(session, "台山")
        town = _place(session, "端芬")
        with pytest.raises(AuthorityError, match="inside"):
            merge_places(session, county.id, town.id, actor="mei")
        assert (
            session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "merge")
            )
            == 0
        )


def test_merging_agents_repoints_senders_and_recipients(catalogue: Catalogue) -> None:
    with catalogue.session() as session:
        first = add_agent(session, "黃國興", kind=AgentKind.person, actor="mei")
        second = add_agent(session, "黄国兴先生", kind=AgentKind.person, actor="mei")
        item = make_letter(session, "qp-1934-0003", [], sender="黄国兴先生")
        item.sender_id = second.id
        session.flush()
        merge_agents(session, second.id, first.id, actor="mei")
        session.expire_all()
        assert session.get(Item, item.id).sender_id == first.id  # type: ignore[union-attr]
        assert session.get(Agent, second.id) is None
        with pytest.raises(AuthorityError, match="into itself"):
            merge_agents(session, first.id, first.id, actor="mei")


def test_agent_names_are_checked(catalogue: Catalogue) -> None:
    with catalogue.session() as session:
        add_agent(session, "和益銀號", kind=AgentKind.organisation, actor="mei")
        with pytest.raises(AuthorityError, match="already"):
            add_agent(session, "和益银号", kind=AgentKind.organisation, actor="mei")
        with pytest.raises(AuthorityError, match="at most 200"):
            add_agent(session, "黃" * 5000, kind=AgentKind.person, actor="mei")
        with pytest.raises(AuthorityError, match="empty"):
            add_agent(session, "  ", kind=AgentKind.person, actor="mei")
        assert session.scalar(select(func.count()).select_from(NameFlag)) == 0
