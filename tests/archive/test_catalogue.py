"""The catalogue contract: the same behaviour on SQLite (embedded) and PostgreSQL (scaled)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from archive.catalogue.db import Catalogue
from archive.catalogue.fields import NewItem
from archive.catalogue.items import (
    ItemExistsError,
    create_item,
    delete_item,
    fields_of,
    find_item,
    update_item,
)
from archive.catalogue.models import AuditEntry, Job, JobStatus, Page, Role, Visibility
from archive.catalogue.users import (
    AccountError,
    add_user,
    authenticate,
    issue_token,
    user_for_token,
)
from archive.jobs import queue


@pytest.fixture
def catalogue(database_url: str) -> Catalogue:
    opened = Catalogue(database_url)
    opened.migrate()
    return opened


LETTER = NewItem(
    identifier="qp-1932-0007",
    title_zh_hant="黃國興寄台山父親家書",
    title_zh_hans="黄国兴寄台山父亲家书",
    title_en="Letter from Wong Kwok Hing to his father in Taishan",
    date_text="民國廿一年三月初五日",
    date_start=dt.date(1932, 4, 10),
    date_end=dt.date(1932, 4, 10),
    sender="黃國興",
    recipient="黃父",
    sending_place="舊金山",
    receiving_place="台山",
    amount_text="港銀五十元",
    amount_value=Decimal("50.00"),
    currency_text="港銀",
    currency_code="HKD",
    languages=["zh-Hant", "en"],
    visibility=Visibility.published,
)


def test_item_round_trip_keeps_every_field(catalogue: Catalogue) -> None:
    with catalogue.session() as session:
        create_item(session, LETTER, actor="tester")
    with catalogue.reader() as session:
        item = find_item(session, "qp-1932-0007")
        assert item is not None
        assert fields_of(item).model_dump() == LETTER.model_dump(exclude={"identifier"})
        assert item.updated_by == "tester"


def test_duplicate_identifier_is_refused(catalogue: Catalogue) -> None:
    with catalogue.session() as session:
        create_item(session, LETTER, actor="tester")
    with pytest.raises(ItemExistsError), catalogue.session() as session:
        create_item(session, LETTER, actor="tester")


def test_every_change_is_audited(catalogue: Catalogue) -> None:
    with catalogue.session() as session:
        create_item(session, LETTER, actor="alice")
    with catalogue.session() as session:
        item = find_item(session, LETTER.identifier)
        assert item is not None
        changed = fields_of(item).model_copy(update={"title_en": "Corrected title"})
        assert update_item(session, item, changed, actor="bob") == {
            "title_en": [LETTER.title_en, "Corrected title"]
        }
        assert update_item(session, item, changed, actor="bob") == {}
    with catalogue.session() as session:
        item = find_item(session, LETTER.identifier)
        assert item is not None
        delete_item(session, item, actor="carol")
    with catalogue.reader() as session:
        log = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [(e.actor, e.action) for e in log] == [
            ("alice", "create"),
            ("bob", "update"),
            ("carol", "delete"),
        ]
        assert log[1].changes == {"title_en": [LETTER.title_en, "Corrected title"]}
        assert find_item(session, LETTER.identifier) is None


def test_a_master_belongs_to_one_page_only(catalogue: Catalogue) -> None:
    sha = "a" * 64
    with catalogue.session() as session:
        item = create_item(session, LETTER, actor="t")
        session.flush()
        session.add(
            Page(
                public_id="p1",
                item_id=item.id,
                position=1,
                sha256=sha,
                byte_size=1,
                width=1,
                height=1,
                media_type="image/jpeg",
            )
        )
    with pytest.raises(IntegrityError), catalogue.session() as session:
        item = find_item(session, LETTER.identifier)
        assert item is not None
        session.add(
            Page(
                public_id="p2",
                item_id=item.id,
                position=2,
                sha256=sha,
                byte_size=1,
                width=1,
                height=1,
                media_type="image/jpeg",
            )
        )


def test_passwords_and_tokens(catalogue: Catalogue) -> None:
    with catalogue.session() as session:
        add_user(session, "curator1", "correct horse battery", actor="cli")
    with pytest.raises(AccountError, match="at least"), catalogue.session() as session:
        add_user(session, "curator2", "short", actor="cli")
    with pytest.raises(AccountError, match="already exists"), catalogue.session() as session:
        add_user(session, "curator1", "another long password", actor="cli")
    with catalogue.session() as session:
        assert authenticate(session, "curator1", "wrong password!!") is None
        assert authenticate(session, "nobody", "correct horse battery") is None
        user = authenticate(session, "curator1", "correct horse battery")
        assert user is not None and user.role == Role.curator
        assert "correct horse" not in user.password_hash
        token = issue_token(session, user)
    with catalogue.session() as session:
        found = user_for_token(session, token)
        assert found is not None and found.username == "curator1"
        assert user_for_token(session, token + "x") is None


def test_job_queue_runs_each_job_once(catalogue: Catalogue) -> None:
    with catalogue.session() as session:
        for n in range(20):
            queue.enqueue(session, "ocr", f"page-{n}")
        queue.enqueue(session, "ocr", "page-0")  # queued once only
    claimed: list[str] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        while (job := queue.claim(catalogue, name, ["ocr"])) is not None:
            with lock:
                claimed.append(job.target)
            queue.finish(catalogue, job.id)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed) == sorted(f"page-{n}" for n in range(20))
    assert queue.counts(catalogue) == {"ocr": {"done": 20}}


def test_failed_jobs_keep_their_reason_and_can_be_retried(catalogue: Catalogue) -> None:
    with catalogue.session() as session:
        queue.enqueue(session, "ocr", "page-1")
    job = queue.claim(catalogue, "w", ["ocr"])
    assert job is not None and job.attempts == 1
    queue.fail(catalogue, job.id, "engine timed out after 60 s")
    with catalogue.reader() as session:
        stored = session.scalars(select(Job)).one()
        assert (stored.status, stored.error) == (JobStatus.failed, "engine timed out after 60 s")
    assert queue.claim(catalogue, "w", ["ocr"]) is None
    assert queue.retry_failed(catalogue) == 1
    again = queue.claim(catalogue, "w", ["ocr"])
    assert again is not None and again.attempts == 2


def test_dates_and_amounts_as_written_are_normalised(catalogue: Catalogue) -> None:
    written = NewItem(
        identifier="qp-written", date_text="民國廿一年三月初五日", amount_text="港銀五十元"
    )
    with catalogue.session() as session:
        create_item(session, written, actor="t")
    with catalogue.session() as session:
        item = find_item(session, "qp-written")
        assert item is not None
        assert (item.date_start, item.date_end) == (dt.date(1932, 4, 10), dt.date(1932, 4, 10))
        assert (item.amount_value, item.currency_code) == (Decimal("50.00"), "HKD")
        assert item.date_text == "民國廿一年三月初五日"  # the written form is kept as is
        update_item(
            session, item, fields_of(item).model_copy(update={"date_text": "民國廿二年"}), actor="t"
        )
        assert (item.date_start, item.date_end) == (dt.date(1933, 1, 1), dt.date(1933, 12, 31))
        chosen = fields_of(item).model_copy(
            update={"date_text": "民國廿三年?", "date_start": dt.date(1934, 6, 1), "date_end": None}
        )
        update_item(session, item, chosen, actor="t")
        assert item.date_start == dt.date(1934, 6, 1)  # the curator's own reading wins
        unreadable = fields_of(item).model_copy(update={"amount_text": "some silver"})
        update_item(session, item, unreadable, actor="t")
        assert (item.amount_text, item.amount_value) == ("some silver", None)
