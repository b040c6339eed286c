"""Curator pages: sign in with CSRF, validated item form, transcription versions, publishing."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from archive.catalogue.models import (
    AuditEntry,
    Item,
    Job,
    JobStatus,
    Page,
    Transcription,
    TranscriptionKind,
)
from archive.context import Archive
from tests.web.conftest import DRAFT_ITEM, PASSWORD, TAISHAN_ITEM
from tests.web.helpers import HTML, csrf_of, sign_in


def audit_count(archive: Archive) -> int:
    with archive.catalogue.reader() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def edit_values(client: TestClient, identifier: str, **changes: str) -> dict[str, str]:
    """A post of the item form changing some fields (fields not sent stay as they are)."""
    page = client.get(f"/items/{identifier}/edit", headers=HTML).text
    return {"csrf_token": csrf_of(page), **changes}


def test_curator_pages_send_visitors_to_sign_in(client: TestClient) -> None:
    response = client.get(f"/items/{DRAFT_ITEM}/edit", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/curator/sign-in?next=/items/{DRAFT_ITEM}/edit"


def test_sign_in_without_csrf_token_is_forbidden(client: TestClient) -> None:
    client.get("/curator/sign-in", headers=HTML)
    response = client.post("/curator/sign-in", data={"username": "mei", "password": PASSWORD})
    assert response.status_code == 403
    assert "security token" in response.text
    assert client.get("/api/auth/me").json()["username"] is None


def test_wrong_password_says_so(client: TestClient) -> None:
    token = csrf_of(client.get("/curator/sign-in", headers=HTML).text)
    response = client.post(
        "/curator/sign-in", data={"username": "mei", "password": "nope", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "用戶名或密碼不正確" in response.text


def test_forged_edit_without_token_changes_nothing(
    client: TestClient, web_archive: Archive
) -> None:
    sign_in(client)
    before = audit_count(web_archive)
    forged = client.post(f"/items/{DRAFT_ITEM}/edit", data={"title_en": "Forged"})
    assert forged.status_code == 403
    wrong = client.post(
        f"/items/{DRAFT_ITEM}/edit", data={"title_en": "Forged", "csrf_token": "guess"}
    )
    assert wrong.status_code == 403
    assert audit_count(web_archive) == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title_en", "x" * 2_001, "at most 2000 characters"),
        ("date_start", "1932-02-30", "YYYY-MM-DD"),
        ("date_text", "民國二十一年二月三十日", "not day 30"),
        ("amount_value", "sixty", "120.50"),
        ("amount_value", "-5", "120.50"),
    ],
)
def test_bad_fields_get_a_message_beside_them_and_nothing_is_saved(
    client: TestClient, web_archive: Archive, field: str, value: str, message: str
) -> None:
    client.get("/language/en")
    sign_in(client)
    before = audit_count(web_archive)
    values = edit_values(client, DRAFT_ITEM, **{"title_en": "Changed", field: value})
    response = client.post(f"/items/{DRAFT_ITEM}/edit", data=values)
    assert response.status_code == 422
    assert f'id="e-{field}"' in response.text
    error = response.text.split(f'id="e-{field}">', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert "Nothing was saved" in response.text
    assert audit_count(web_archive) == before
    with web_archive.catalogue.reader() as session:
        item = session.scalars(select(Item).where(Item.identifier == DRAFT_ITEM)).one()
        assert item.title_en != "Changed"


def test_markup_in_fields_is_shown_escaped(client: TestClient, web_archive: Archive) -> None:
    sign_in(client)
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    with web_archive.catalogue.reader() as session:
        item = session.scalars(select(Item).where(Item.identifier == TAISHAN_ITEM)).one()
        original = item.title_en
    values = edit_values(client, TAISHAN_ITEM, title_en=attack)
    saved = client.post(f"/items/{TAISHAN_ITEM}/edit", data=values, follow_redirects=False)
    assert saved.status_code == 303
    try:
        client.get("/language/en")
        page = client.get(f"/items/{TAISHAN_ITEM}", headers=HTML).text
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
        form = client.get(f"/items/{TAISHAN_ITEM}/edit", headers=HTML).text
        assert 'value="&lt;script&gt;alert(&#34;x&#34;)' in form
    finally:
        client.post(
            f"/items/{TAISHAN_ITEM}/edit", data=edit_values(client, TAISHAN_ITEM, title_en=original)
        )
    with web_archive.catalogue.reader() as session:
        item = session.scalars(select(Item).where(Item.identifier == TAISHAN_ITEM)).one()
        assert (item.title_en, str(item.date_start)) == (original, "1932-09-25")


def test_corrected_transcription_keeps_machine_ocr(
    client: TestClient, web_archive: Archive
) -> None:
    token = sign_in(client)
    page_id = f"{DRAFT_ITEM}-p2"
    response = client.post(
        f"/items/{DRAFT_ITEM}/pages/{page_id}/text",
        data={"text": "母親大人尊前\r\n敬稟者", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    with web_archive.catalogue.reader() as session:
        page = session.scalars(select(Page).where(Page.public_id == page_id)).one()
        kinds = {
            t.kind: t.text
            for t in session.scalars(select(Transcription).where(Transcription.page_id == page.id))
        }
    assert kinds[TranscriptionKind.curator] == "母親大人尊前\n敬稟者"
    assert kinds[TranscriptionKind.machine]  # the OCR is still there
    edit = client.get(f"/items/{DRAFT_ITEM}/edit", headers=HTML).text
    assert "母親大人尊前" in edit
    assert "機器辨識文字（保留不變）" in edit
    too_long = client.post(
        f"/items/{DRAFT_ITEM}/pages/{page_id}/text",
        data={"text": "字" * 50_001, "csrf_token": token},
    )
    assert too_long.status_code == 422
    assert "50000" in too_long.text


@pytest.mark.usefixtures("keep_draft")
def test_publish_and_unpublish(client: TestClient, web_archive: Archive) -> None:
    token = sign_in(client)
    client.post(
        f"/items/{DRAFT_ITEM}/visibility", data={"visibility": "published", "csrf_token": token}
    )
    with TestClient(client.app) as visitor:
        assert visitor.get(f"/items/{DRAFT_ITEM}", headers=HTML).status_code == 200
        client.post(
            f"/items/{DRAFT_ITEM}/visibility", data={"visibility": "draft", "csrf_token": token}
        )
        assert visitor.get(f"/items/{DRAFT_ITEM}", headers=HTML).status_code == 404
    bad = client.post(
        f"/items/{DRAFT_ITEM}/visibility", data={"visibility": "everyone", "csrf_token": token}
    )
    assert bad.status_code == 422


def test_uploading_a_non_image_is_refused_with_a_reason(
    client: TestClient, web_archive: Archive
) -> None:
    token = sign_in(client)
    with web_archive.catalogue.reader() as session:
        before = session.scalar(select(func.count()).select_from(Page))
    for name, body in (("notes.txt", b"not a scan"), ("fake.jpg", b"<html>not a jpeg</html>")):
        response = client.post(
            f"/items/{DRAFT_ITEM}/pages",
            data={"csrf_token": token},
            files={"file": (name, io.BytesIO(body), "image/jpeg")},
        )
        assert response.status_code in (415, 422), response.text
        assert name in response.text.split('class="field-error">', 1)[1].split("</p>")[0]
    with web_archive.catalogue.reader() as session:
        assert session.scalar(select(func.count()).select_from(Page)) == before


def test_dashboard_lists_failed_jobs_with_reason_and_retries_them(
    client: TestClient, web_archive: Archive
) -> None:
    with web_archive.catalogue.session() as session:
        job = Job(kind="ocr", target="qp-x-p9", status=JobStatus.failed, attempts=3)
        job.error = "OcrError: <b>blank</b> page"
        session.add(job)
        session.flush()
        job_id = job.id
    token = sign_in(client)
    dashboard = client.get("/curator", headers=HTML).text
    assert "OcrError: &lt;b&gt;blank&lt;/b&gt; page" in dashboard
    assert client.post(f"/curator/jobs/{job_id}/retry").status_code == 403
    retried = client.post(
        f"/curator/jobs/{job_id}/retry", data={"csrf_token": token}, follow_redirects=False
    )
    assert retried.status_code == 303
    with web_archive.catalogue.session() as session:
        stored = session.get(Job, job_id)
        assert stored is not None and (stored.status, stored.error) == (JobStatus.queued, "")
        session.delete(stored)


def test_item_form_suggests_people_places_and_houses(client: TestClient) -> None:
    sign_in(client)
    form = client.get(f"/items/{DRAFT_ITEM}/edit", headers=HTML).text
    assert 'id="f-sender" name="sender" type="text" value="司徒榮富" list="people"' in form
    people = form.split('<datalist id="people">', 1)[1].split("</datalist>", 1)[0]
    assert '<option value="司徒維光">' in people  # another letter's sender
    places = form.split('<datalist id="places">', 1)[1].split("</datalist>", 1)[0]
    assert '<option value="Toishan">' in places or '<option value="Taishan">' in places
    assert '<option value="萬昌隆">' in form
