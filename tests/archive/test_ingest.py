"""Ingest: folders become items, bad input is refused with the file named, nothing half-made."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from archive.catalogue.models import AuditEntry, Collection, Item, Job, Page, Visibility
from archive.context import Archive
from archive.ingest.run import IngestRefused, ingest
from archive.jobs.registry import STEPS, Step, register
from tests.archive.bad_files import png_bomb, truncated
from tests.conftest import make_scan

HEADER = (
    "folder,identifier,type,title_zh_hant,title_en,date_text,sender,currency,language,"
    "collection,visibility\n"
)


def corpus(root: Path) -> Path:
    """Two letters with ordered pages and a heritage-object photo, plus their CSV."""
    make_scan(root / "items/qp-a/01_envelope-front.jpg", seed=1)
    make_scan(root / "items/qp-a/02_letter-p1.png", seed=2)
    make_scan(root / "items/qp-a/10_letter-p2.tif", seed=3)
    make_scan(root / "items/qp-b/01_letter-p1.jpg", seed=4)
    make_scan(root / "items/obj-1/01_photo.jpg", seed=5)
    (root / "items.csv").write_text(
        HEADER
        + "qp-a,qp-1932-0001,qiaopi,黃國興家書,Letter of Wong,民國廿一年三月初五日,黃國興,港銀,"
        + "zh-Hant;en,Taishan Letters 台山僑批,published\n"
        + "qp-b,qp-1933-0002,qiaopi,李氏家書,Letter of Lee,民國廿二年,李,,"
        + "zh-Hant,Taishan Letters 台山僑批,draft\n",
        encoding="utf-8",
    )
    return root


def count(archive: Archive, model: type) -> int:
    with archive.catalogue.reader() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_folders_become_items_with_ordered_pages(archive: Archive, tmp_path: Path) -> None:
    root = corpus(tmp_path)
    report = ingest(
        archive, [root / "items"], metadata=root / "items.csv", collection="Donation 2024"
    )
    assert sorted((o.identifier, o.status, o.new_pages) for o in report.outcomes) == [
        ("obj-1", "created", 1),
        ("qp-1932-0001", "created", 3),
        ("qp-1933-0002", "created", 1),
    ]
    with archive.catalogue.reader() as session:
        item = session.scalars(select(Item).where(Item.identifier == "qp-1932-0001")).one()
        assert [(p.position, p.label, p.media_type) for p in item.pages] == [
            (1, "envelope front", "image/jpeg"),
            (2, "letter p1", "image/png"),
            (3, "letter p2", "image/tiff"),
        ]
        assert item.title_zh_hant == "黃國興家書"
        assert item.currency_text == "港銀"
        assert item.languages == ["zh-Hant", "en"]
        assert item.visibility == Visibility.published
        assert sorted(c.title for c in item.collections) == [
            "Donation 2024",
            "Taishan Letters 台山僑批",
        ]
        for page in item.pages:
            assert archive.blobs.exists(page.sha256)
        uncatalogued = session.scalars(select(Item).where(Item.identifier == "obj-1")).one()
        assert uncatalogued.visibility == Visibility.draft
        assert count(archive, Collection) == 2
        assert session.scalar(select(func.count()).select_from(AuditEntry)) > 0


def test_ingesting_again_adds_nothing(archive: Archive, tmp_path: Path) -> None:
    root = corpus(tmp_path)
    ingest(archive, [root / "items"], metadata=root / "items.csv")
    again = ingest(archive, [root / "items"], metadata=root / "items.csv")
    assert {o.status for o in again.outcomes} == {"unchanged"}
    assert again.new_pages == 0
    assert count(archive, Page) == 5 and count(archive, Item) == 3


def test_a_duplicate_file_does_not_make_a_second_page(archive: Archive, tmp_path: Path) -> None:
    root = corpus(tmp_path)
    shutil.copy(root / "items/qp-a/01_envelope-front.jpg", root / "items/qp-a/99_copy.jpg")
    ingest(archive, [root / "items"], metadata=root / "items.csv")
    assert count(archive, Page) == 5


def test_a_new_page_is_added_to_an_existing_item(archive: Archive, tmp_path: Path) -> None:
    root = corpus(tmp_path)
    ingest(archive, [root / "items"], metadata=root / "items.csv")
    make_scan(root / "items/qp-b/02_letter-p2.jpg", seed=99)
    report = ingest(archive, [root / "items"], metadata=root / "items.csv")
    assert [(o.identifier, o.status, o.new_pages) for o in report.outcomes if o.new_pages] == [
        ("qp-1933-0002", "updated", 1)
    ]
    with archive.catalogue.reader() as session:
        pages = session.scalars(select(Page.public_id).order_by(Page.id)).all()
        assert pages[-1] == "qp-1933-0002-p2"


def test_queues_only_registered_steps(archive: Archive, tmp_path: Path) -> None:
    root = corpus(tmp_path)
    step = register(Step("probe", "page", lambda _a, _t: None, "test step"))
    try:
        ingest(archive, [root / "items"], metadata=root / "items.csv")
    finally:
        del STEPS[step.kind]
    with archive.catalogue.reader() as session:
        kinds = dict(session.execute(select(Job.kind, func.count()).group_by(Job.kind)).all())
    assert kinds == {"probe": 5, "derive": 5, "ocr": 5, "index": 3}


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        (
            "truncated.jpg",
            lambda d, p: truncated(make_scan(d / "ok.jpg", seed=7), p),
            "damaged or truncated",
        ),
        ("bomb.png", lambda d, p: png_bomb(p), "decompression bomb"),
        ("empty.jpg", lambda d, p: p.write_bytes(b""), "empty"),
        ("notes.jpg", lambda d, p: p.write_text("not an image at all"), "not a readable image"),
        ("scan.pdf", lambda d, p: p.write_bytes(b"%PDF-1.4"), "unsupported file type"),
        (
            "mislabelled.jpg",
            lambda d, p: make_scan(d / "x.png", seed=8).rename(p),
            "content is PNG",
        ),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(
    archive: Archive, tmp_path: Path, name: str, make: object, message: str
) -> None:
    root = corpus(tmp_path)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    make(scratch, root / "items/qp-b" / name)  # type: ignore[operator]
    with pytest.raises(IngestRefused) as refused:
        ingest(archive, [root / "items"], metadata=root / "items.csv")
    assert any(name in p and message in p for p in refused.value.problems), refused.value.problems
    assert count(archive, Item) == 0 and count(archive, Page) == 0
    assert list(archive.blobs.keys()) == []


def test_a_link_outside_the_ingest_root_is_refused(archive: Archive, tmp_path: Path) -> None:
    root = corpus(tmp_path)
    outside = make_scan(tmp_path / "private/secret.jpg", seed=11)
    os.symlink(outside, root / "items/qp-a/03_link.jpg")
    with pytest.raises(IngestRefused, match="outside the ingest root"):
        ingest(archive, [root / "items"], metadata=root / "items.csv")
    assert count(archive, Item) == 0


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        ("identifier,title_en\nqp-1,x\n", "missing column(s) folder"),
        ("folder,titel\nqp-a,x\n", "unknown column(s) titel"),
        ("folder,identifier\nqp-zzz,qp-9\n", "unknown item: no folder 'qp-zzz'"),
        ("folder,identifier\n../../etc,qp-9\n", "must be a relative path"),
        ("folder,visibility\nqp-a,public\n", "visibility"),
        ("folder,identifier\nqp-a,Has Spaces\n", "identifier"),
    ],
)
def test_bad_metadata_is_refused_with_the_row_named(
    archive: Archive, tmp_path: Path, csv: str, message: str
) -> None:
    root = corpus(tmp_path)
    (root / "items.csv").write_text(csv)
    with pytest.raises(IngestRefused) as refused:
        ingest(archive, [root / "items"], metadata=root / "items.csv")
    assert message in str(refused.value)
    assert count(archive, Item) == 0


def test_missing_path_is_refused(archive: Archive, tmp_path: Path) -> None:
    with pytest.raises(IngestRefused, match="no such file or folder"):
        ingest(archive, [tmp_path / "nowhere"])
