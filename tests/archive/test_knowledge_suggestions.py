"""Suggestions for curators: read from stored page texts, written only when accepted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from archive.catalogue.models import AuditEntry, SuggestionStatus
from archive.context import Archive
from archive.knowledge.readers import MAX_TEXT_LENGTH, TextTooLongError, read_page
from archive.knowledge.suggestions import (
    SuggestionError,
    accept_suggestion,
    find_suggestion,
    reject_suggestion,
    suggest,
)
from search.gazetteer import default_gazetteer
from tests.archive.test_knowledge_fixtures import ENVELOPE, LETTER, REPLY, SLIP, make_letter


def test_envelope_gives_every_name_and_place_with_its_span() -> None:
    readings = {r.field: r for r in read_page(ENVELOPE, default_gazetteer())}
    assert readings["recipient"].value == {"recipient": "梅坤耀"}
    assert readings["sender"].value == {"sender": "梅富錦"}
    assert readings["sending_place"].value == {"sending_place": "紐約"}
    assert readings["receiving_place"].value == {"receiving_place": "新會縣會城篁莊村"}
    sender = readings["sender"]
    assert ENVELOPE[sender.span[0] : sender.span[1]] == "梅富錦"
    amount = readings["amount"]
    assert amount.value["amount_value"] == "60" and amount.value["currency_code"] == "HKD"
    assert ENVELOPE[amount.span[0] : amount.span[1]] == "港銀六十元"


def test_reply_dates_rank_below_the_letter_date() -> None:
    letter = [r for r in read_page(LETTER, default_gazetteer()) if r.field == "date"]
    reply = [r for r in read_page(REPLY, default_gazetteer()) if r.field == "date"]
    assert letter[0].value["date_start"] == "1932-04-10"
    assert reply[0].confidence < letter[0].confidence
    assert "回批" in reply[0].notes[0]


def test_very_long_text_is_refused() -> None:
    with pytest.raises(TextTooLongError, match="at most"):
        read_page("信" * (MAX_TEXT_LENGTH + 1), default_gazetteer())


def test_suggestions_are_stored_pending_and_never_written_without_acceptance(
    archive: Archive,
) -> None:
    with archive.catalogue.session() as session:
        item = make_letter(session, "qp-1932-0001", [ENVELOPE, LETTER, SLIP, REPLY])
        found = suggest(session, item, default_gazetteer())
        best = {s.field: s for s in sorted(found, key=lambda s: s.confidence)}
        assert set(best) == {
            "sender",
            "recipient",
            "sending_place",
            "receiving_place",
            "date",
            "amount",
        }
        assert best["date"].value["date_text"] == "民國廿一年三月初五日"
        assert best["sender"].confidence > 0.9  # envelope and slip agree
        assert all(s.status == SuggestionStatus.pending for s in found)
        assert item.sender == "" and item.date_start is None and item.amount_value is None
        again = suggest(session, item, default_gazetteer())
        assert [s.id for s in again] == [s.id for s in found]

        accepted = accept_suggestion(session, item, best["amount"], actor="mei")
        assert item.amount_value == Decimal("60") and item.currency_code == "HKD"
        assert "amount_value" in accepted
        accept_suggestion(session, item, best["date"], actor="mei")
        assert item.date_start is not None and item.date_start.isoformat() == "1932-04-10"
        reject_suggestion(session, item, best["sender"], actor="mei")
        assert item.sender == ""
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "mei")).all()
        assert actions.count("accepted") == 2 and actions.count("rejected") == 1
        assert actions.count("update") == 2

        with pytest.raises(SuggestionError, match="already accepted"):
            accept_suggestion(session, item, best["amount"], actor="mei")
        with pytest.raises(SuggestionError, match="already rejected"):
            accept_suggestion(session, item, best["sender"], actor="mei")
        assert item.sender == ""
        with pytest.raises(SuggestionError, match="no suggestion 999999"):
            find_suggestion(session, item, 999_999)
        pending_fields = {s.field for s in suggest(session, item, default_gazetteer())}
        assert "sender" not in pending_fields  # a rejected value is not suggested again
