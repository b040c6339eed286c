"""`qiaopi` commands for qiaopi knowledge: dates, places, agents, links, suggestions, network.

Mounted on the main app without a name, so its commands sit at the top level
(`qiaopi suggest ITEM`, `qiaopi dates parse TEXT`, `qiaopi places seed`, ...).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from archive.catalogue.models import Agent, AgentKind, Place
from archive.cli import exits

knowledge_app = typer.Typer()
dates_app = typer.Typer(help="Dates as written on qiaopi.", no_args_is_help=True)
places_app = typer.Typer(help="Place authority records.", no_args_is_help=True)
agents_app = typer.Typer(
    help="Person and remittance-house authority records.", no_args_is_help=True
)
suggestions_app = typer.Typer(help="Decide curator suggestions.", no_args_is_help=True)
knowledge_app.add_typer(dates_app, name="dates")
knowledge_app.add_typer(places_app, name="places")
knowledge_app.add_typer(agents_app, name="agents")
knowledge_app.add_typer(suggestions_app, name="suggestions")


@dates_app.command("parse")
def dates_parse(
    text: Annotated[str, typer.Argument(help="A date as written, e.g. 民國廿一年三月初五日.")],
) -> None:
    """Print the ISO date or range, the certainty and the calendar of a written date."""
    from archive.cli.main import fail
    from search.dates import DateParseError, parse_date

    try:
        parsed = parse_date(text)
    except DateParseError as exc:
        fail(str(exc), exits.DATA_ERROR)
    print(f"{parsed.iso}\t{parsed.certainty}\t{parsed.calendar}\t{parsed.era}")
    for note in (*parsed.notes, *parsed.problems):
        print(f"note: {note}")


@places_app.command("seed")
def places_seed() -> None:
    """Create place authorities from the gazetteer (idempotent: run again to refresh)."""
    from archive.cli.main import err, open_archive
    from archive.knowledge.authorities import seed_places
    from search.gazetteer import default_gazetteer

    archive = open_archive()
    with archive.catalogue.session() as session:
        report = seed_places(session, default_gazetteer(), actor="cli")
    err.print(f"Places: {report.created} created, {report.existing} already present.")


@places_app.command("list")
def places_list(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per place.")] = False,
) -> None:
    """List place authorities: id, name, parent, coordinates, variants."""
    from archive.cli.main import open_archive
    from archive.knowledge.authorities import place_names

    archive = open_archive()
    with archive.catalogue.reader() as session:
        for place in session.scalars(select(Place).order_by(Place.id)):
            row = {
                "id": place.id,
                "name": place.name,
                "parent": place.parent_id,
                "lat": place.latitude,
                "lon": place.longitude,
                "variants": place_names(place)[1:],
            }
            if as_json:
                print(json.dumps(row, ensure_ascii=False))
            else:
                shown = " / ".join(place_names(place)[1:])
                print(f"{place.id}\t{place.name}\t{place.parent_id or ''}\t{shown}")


def _merge(kind: str, source: int, target: int) -> None:
    from archive.cli.main import err, fail, open_archive
    from archive.knowledge.authorities import AuthorityError, merge_agents, merge_places

    archive = open_archive()
    merge = merge_places if kind == "place" else merge_agents
    try:
        with archive.catalogue.session() as session:
            merged = merge(session, source, target, actor="cli")
            name = merged.name
    except AuthorityError as exc:
        fail(str(exc), exits.DATA_ERROR)
    err.print(f"Merged {kind} #{source} into #{target} ({name}).")


@places_app.command("merge")
def places_merge(
    source: Annotated[int, typer.Argument(help="The duplicate place id (removed).")],
    target: Annotated[int, typer.Argument(help="The place id to keep.")],
) -> None:
    """Merge a duplicate place into another; items pointing at it are re-pointed."""
    _merge("place", source, target)


@agents_app.command("add")
def agents_add(
    name: Annotated[str, typer.Argument(help="The name as usually written.")],
    kind: Annotated[AgentKind, typer.Option(help="person or organisation.")] = AgentKind.person,
    variant: Annotated[
        list[str] | None, typer.Option(help="Another spelling (repeat), e.g. Wong Kwok Hing.")
    ] = None,
) -> None:
    """Create a person or remittance-house authority with its variants."""
    from archive.cli.main import fail, open_archive
    from archive.knowledge.authorities import AuthorityError, add_agent

    archive = open_archive()
    try:
        with archive.catalogue.session() as session:
            agent = add_agent(
                session,
                name,
                kind=kind,
                variants=[{"name": v, "source": "curator"} for v in variant or []],
                actor="cli",
            )
            print(agent.id)
    except AuthorityError as exc:
        fail(str(exc), exits.DATA_ERROR)


@agents_app.command("list")
def agents_list() -> None:
    """List person and organisation authorities: id, kind, name, variants."""
    from archive.cli.main import open_archive
    from archive.knowledge.authorities import agent_names

    archive = open_archive()
    with archive.catalogue.reader() as session:
        for agent in session.scalars(select(Agent).order_by(Agent.id)):
            variants = " / ".join(agent_names(agent)[1:])
            print(f"{agent.id}\t{agent.kind.value}\t{agent.name}\t{variants}")


@agents_app.command("merge")
def agents_merge(
    source: Annotated[int, typer.Argument(help="The duplicate agent id (removed).")],
    target: Annotated[int, typer.Argument(help="The agent id to keep.")],
) -> None:
    """Merge a duplicate person or house into another; items are re-pointed."""
    _merge("agent", source, target)


@knowledge_app.command("link")
def link(item: Annotated[str, typer.Argument(help="The item identifier.")]) -> None:
    """Link an item's written places and names to authorities; flag names with none."""
    from archive.catalogue.items import find_item
    from archive.cli.main import fail, open_archive
    from archive.knowledge.authorities import link_item

    archive = open_archive()
    with archive.catalogue.session() as session:
        found = find_item(session, item)
        if found is None:
            fail(f"no item {item!r}", exits.NO_INPUT)
        for outcome in link_item(session, found, actor="cli"):
            target = (
                "UNKNOWN (flagged)"
                if outcome.flagged
                else f"#{outcome.record_id} {outcome.record_name}"
            )
            print(f"{outcome.field}\t{outcome.written}\t{target}")


@knowledge_app.command("suggest")
def suggest(
    item: Annotated[str, typer.Argument(help="The item identifier.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per suggestion.")
    ] = False,
) -> None:
    """Read the item's page texts and list pending suggestions (nothing is written to it)."""
    from archive.catalogue.items import find_item
    from archive.cli.main import fail, open_archive
    from archive.knowledge.readers import TextTooLongError
    from archive.knowledge.suggestions import suggest as run_suggest
    from search.gazetteer import default_gazetteer

    archive = open_archive()
    with archive.catalogue.session() as session:
        found = find_item(session, item)
        if found is None:
            fail(f"no item {item!r}", exits.NO_INPUT)
        try:
            suggestions = run_suggest(session, found, default_gazetteer())
        except TextTooLongError as exc:
            fail(str(exc), exits.DATA_ERROR)
        for s in suggestions:
            if as_json:
                row = {
                    "id": s.id,
                    "field": s.field,
                    "value": s.value,
                    "source_text": s.source_text,
                    "span": [s.span_start, s.span_end],
                    "confidence": s.confidence,
                }
                print(json.dumps(row, ensure_ascii=False))
            else:
                shown = ", ".join(f"{k}={v}" for k, v in s.value.items())
                print(f"{s.id}\t{s.field}\t{s.confidence:.2f}\t{shown}\t«{s.source_text}»")


def _decide(item: str, suggestion_id: int, *, accept: bool) -> None:
    from archive.catalogue.items import find_item
    from archive.cli.main import err, fail, open_archive
    from archive.knowledge.suggestions import (
        SuggestionError,
        accept_suggestion,
        find_suggestion,
        reject_suggestion,
    )

    archive = open_archive()
    try:
        with archive.catalogue.session() as session:
            found = find_item(session, item)
            if found is None:
                fail(f"no item {item!r}", exits.NO_INPUT)
            suggestion = find_suggestion(session, found, suggestion_id)
            if accept:
                changes = accept_suggestion(session, found, suggestion, actor="cli")
            else:
                reject_suggestion(session, found, suggestion, actor="cli")
                changes = {}
    except SuggestionError as exc:
        fail(str(exc), exits.DATA_ERROR)
    err.print(f"Suggestion {suggestion_id} {'accepted' if accept else 'rejected'}.")
    for name, (old, new) in changes.items():
        print(f"{name}\t{old!r} -> {new!r}")


@suggestions_app.command("accept")
def suggestions_accept(
    item: Annotated[str, typer.Argument(help="The item identifier.")],
    suggestion_id: Annotated[int, typer.Argument(help="The suggestion id.")],
) -> None:
    """Write a suggestion into the item (audited as the CLI)."""
    _decide(item, suggestion_id, accept=True)


@suggestions_app.command("reject")
def suggestions_reject(
    item: Annotated[str, typer.Argument(help="The item identifier.")],
    suggestion_id: Annotated[int, typer.Argument(help="The suggestion id.")],
) -> None:
    """Reject a suggestion; the item is not changed."""
    _decide(item, suggestion_id, accept=False)


@knowledge_app.command("network")
def network(
    out: Annotated[Path, typer.Argument(help="File to write (.graphml, .csv or .json).")],
    q: Annotated[str, typer.Option(help="Only letters whose names or places match.")] = "",
    collection: Annotated[str, typer.Option(help="Only letters in this collection.")] = "",
) -> None:
    """Export the correspondence network of every letter (all visibilities) for Gephi."""
    from archive.cli.main import err, fail, open_archive
    from archive.knowledge.network import (
        Network,
        NetworkError,
        build_network,
        select_letters,
        to_csv,
        to_graphml,
        to_json,
    )

    def json_text(built: Network) -> str:
        return json.dumps(to_json(built), ensure_ascii=False, indent=1)

    writers: dict[str, Callable[[Network], str]] = {
        ".graphml": to_graphml,
        ".csv": to_csv,
        ".json": json_text,
    }
    writer = writers.get(out.suffix.lower())
    if writer is None:
        fail(f"{out.name}: name the file .graphml, .csv or .json", exits.USAGE)
    archive = open_archive()
    try:
        with archive.catalogue.reader() as session:
            built = build_network(
                select_letters(session, published_only=False, q=q, collection=collection)
            )
    except NetworkError as exc:
        fail(str(exc), exits.NO_INPUT)
    out.write_text(writer(built), encoding="utf-8")
    err.print(f"Wrote {len(built.nodes)} nodes and {len(built.edges)} edges to {out}.")
