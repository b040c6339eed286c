"""OCR in the archive: a job per page stores PAGE-XML beside the text, feeds search, and never
overwrites a curator's transcription."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from archive.catalogue.models import Job, Page, Transcription, TranscriptionKind
from archive.catalogue.transcriptions import add_curator_text, current_text
from archive.context import Archive
from archive.ingest.run import ingest
from archive.jobs import queue
from archive.jobs.worker import run_until_empty
from archive.ocr_service import queue_pages
from archive.samples import generate_ocr_pages
from search import SearchRequest
from tests.conftest import make_scan


@pytest.mark.slow
def test_ocr_job_stores_text_and_feeds_search(archive: Archive, tmp_path: Path) -> None:
    truth = generate_ocr_pages(tmp_path / "gt", count=1, seed=3)[0]
    folder = tmp_path / "scans/letter"
    folder.mkdir(parents=True)
    shutil.copy(truth.image_path, folder / "01_letter-p1.jpg")
    (tmp_path / "items.csv").write_text("folder,identifier,visibility\nletter,qp-ocr-1,published\n")
    ingest(archive, [tmp_path / "scans"], metadata=tmp_path / "items.csv")
    assert run_until_empty(archive) == (4, 0)  # derive, ocr, then index (queued twice, run twice)

    with archive.catalogue.reader() as session:
        page = session.scalars(select(Page)).one()
        machine = current_text(session, page)
        assert machine is not None and machine.kind == TranscriptionKind.machine
        assert "<PcGts" in machine.page_xml and machine.engine
        similarity = difflib.SequenceMatcher(
            None, machine.text.replace("\n", ""), truth.text.replace("\n", "")
        ).ratio()
        assert similarity > 0.8, (machine.text, truth.text)
    word = next(
        machine.text[i : i + 2]
        for i in range(len(machine.text) - 1)
        if machine.text[i : i + 2] in truth.text
        and machine.text[i : i + 2].strip()
        and "\n" not in machine.text[i : i + 2]
    )
    assert [h.id for h in archive.search.search(SearchRequest(q=word)).hits] == ["qp-ocr-1"]

    with archive.catalogue.session() as session:
        page = session.scalars(select(Page)).one()
        add_curator_text(session, page, text="父親大人膝下 敬稟者", actor="mei")
    assert queue_pages(archive, redo=True) == 1
    assert run_until_empty(archive, kinds=["ocr"]) == (1, 0)
    with archive.catalogue.reader() as session:
        page = session.scalars(select(Page)).one()
        assert sorted(
            (str(k), v)
            for k, v in session.execute(select(Transcription.kind, Transcription.version))
        ) == [("curator", 1), ("machine", 1), ("machine", 2)]
        shown = current_text(session, page)
        assert shown is not None and shown.text == "父親大人膝下 敬稟者"


def test_a_failing_page_records_its_reason_and_the_rest_go_on(
    archive: Archive, tmp_path: Path
) -> None:
    make_scan(tmp_path / "scans/a/01.jpg", seed=1)
    ingest(archive, [tmp_path / "scans"])
    archive.settings = archive.settings.model_copy(update={"ocr_engine": "no-such-engine"})
    done, failed = run_until_empty(archive, kinds=["ocr"])
    assert (done, failed) == (0, 1)
    with archive.catalogue.reader() as session:
        job = session.scalars(select(Job).where(Job.kind == "ocr")).one()
        assert "no-such-engine" in job.error
    assert queue.counts(archive.catalogue)["index"] == {"queued": 1}
