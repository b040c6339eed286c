"""Web fixtures: a sample corpus (realistic scans) ingested, OCR'd from its ground truth, indexed.

The OCR text comes from the corpus's ground truth rather than Tesseract so the fixture is fast
and the texts are known; item qp-1932-0002 is moved to 臺山 (Taishan) so the scholar's search
for 台山 has a traditional-character letter to find.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

import ocr
from archive.api.app import create_app
from archive.catalogue.models import Exhibit, ExhibitSection, Item, Visibility
from archive.catalogue.transcriptions import add_machine_text
from archive.catalogue.users import add_user
from archive.context import Archive
from archive.ingest.run import ingest
from archive.jobs import queue
from archive.jobs.worker import run_until_empty
from archive.samples import generate_corpus
from archive.settings import load_settings
from tests.web.browser import browser, live_url, page

__all__ = ["browser", "live_url", "page"]  # one browser and one server for every module

CURATOR = "mei"
PASSWORD = "a long curator password"
TAISHAN_ITEM = "qp-1932-0002"
DRAFT_ITEM = "qp-1946-0003"
EXHIBIT = "letters-home"


def _to_taishan(root: Path) -> None:
    """Move the second letter from Hoiping (開平) to Toishan (臺山), text and catalogue."""
    csv = root / "items.csv"
    csv.write_text(
        "\n".join(
            line.replace("開平縣", "臺山縣").replace("Hoiping", "Toishan")
            if line.startswith("002_")
            else line
            for line in csv.read_text(encoding="utf-8").split("\n")
        ),
        encoding="utf-8",
    )
    for truth in (root / "ground-truth/002_qiaopi").glob("*.json"):
        truth.write_text(truth.read_text(encoding="utf-8").replace("開平", "臺山"), "utf-8")


def _page_result(truth: dict[str, object], width: int, height: int) -> ocr.PageResult:
    lines = []
    for line in truth["lines"]:  # type: ignore[attr-defined]
        box = ocr.Box(*line["box"])
        direction = ocr.Direction(line.get("direction", "vertical"))
        lines.append(ocr.Line(line["text"], box, 0.99, direction))
    region = ocr.Region(ocr.Box(0, 0, width, height), ocr.Direction.VERTICAL, tuple(lines))
    provenance = ocr.Provenance("ground-truth", "1", "samples")
    return ocr.PageResult(width, height, (region,), provenance)


def _same(path: Path, sha256: str) -> bool:
    return hashlib.sha256(path.read_bytes()).hexdigest() == sha256


def _add_ground_truth(archive: Archive, root: Path) -> None:
    with archive.catalogue.session() as session:
        for item in session.scalars(select(Item)):
            for page in item.pages:
                scans = root.glob(f"items/*/{page.original_filename}")
                folder = next((s.parent.name for s in scans if _same(s, page.sha256)), None)
                truth_file = (
                    root
                    / "ground-truth"
                    / str(folder)
                    / f"{Path(page.original_filename).stem}.json"
                )
                if folder is None or not truth_file.exists():
                    continue
                truth = json.loads(truth_file.read_text(encoding="utf-8"))
                if not truth.get("lines"):
                    continue
                result = _page_result(truth, page.width, page.height)
                add_machine_text(
                    session,
                    page,
                    text=truth["text"],
                    page_xml=ocr.to_page_xml(result).decode("utf-8"),
                    engine="ground-truth",
                )


def _exhibit(session: Session) -> Exhibit:
    """A published exhibit: a section on the Taishan letter (a region), one on a draft."""
    taishan = session.scalars(select(Item).where(Item.identifier == TAISHAN_ITEM)).one()
    draft = session.scalars(select(Item).where(Item.identifier == DRAFT_ITEM)).one()
    return Exhibit(
        slug=EXHIBIT,
        title={"zh-Hant": "家書抵萬金", "en": "A letter home is worth ten thousand in gold"},
        summary={"zh-Hant": "從金山寄回臺山的書信。", "en": "Letters from Gold Mountain."},
        visibility=Visibility.published,
        sections=[
            ExhibitSection(
                position=1,
                heading={"zh-Hant": "信封", "en": "The envelope"},
                body={
                    "zh-Hant": "收信人的名字寫在中間的紅框裡。",
                    "en": "The name sits in the red frame.",
                },
                item_id=taishan.id,
                region="200,100,600,900",
            ),
            ExhibitSection(
                position=2,
                heading={"en": "Not yet published"},
                body={"en": "This section's letter is a draft."},
                item_id=draft.id,
            ),
        ],
    )


@pytest.fixture(scope="session")
def sample_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six sample items (five letters, one watchtower photo), one of them a draft."""
    root = tmp_path_factory.mktemp("corpus") / "samples"
    generate_corpus(root, items=6, seed=0)
    _to_taishan(root)
    return root


@pytest.fixture(scope="session")
def web_archive(sample_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    """The sample corpus ingested, with machine text, a curator, and the index built."""
    data = tmp_path_factory.mktemp("web-data")
    settings = load_settings({}, data_dir=data / "data")
    archive = Archive.open(settings)
    ingest(archive, [sample_root / "items"], metadata=sample_root / "items.csv")
    _add_ground_truth(archive, sample_root)
    with archive.catalogue.session() as session:
        add_user(session, CURATOR, PASSWORD, actor="test")
        session.add(_exhibit(session))
    run_until_empty(archive, kinds=["index"])
    yield archive
    archive.close()
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def client(web_archive: Archive) -> Iterator[TestClient]:
    """An anonymous visitor's client (its own cookies)."""
    with TestClient(create_app(web_archive.settings, archive=web_archive)) as test_client:
        yield test_client


@pytest.fixture
def keep_draft(web_archive: Archive) -> Iterator[None]:
    """Put the draft item back to draft after a test that publishes it, even if it fails."""
    yield
    with web_archive.catalogue.session() as session:
        item = session.scalars(select(Item).where(Item.identifier == DRAFT_ITEM)).one()
        if item.visibility != Visibility.draft:
            item.visibility = Visibility.draft
            queue.enqueue(session, "index", DRAFT_ITEM, redo=True)
    run_until_empty(web_archive, kinds=["index"])
