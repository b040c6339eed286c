"""Letters with stored page texts, shared by the knowledge tests (no OCR engine is run)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy.orm import Session

from archive.catalogue.fields import NewItem
from archive.catalogue.items import create_item
from archive.catalogue.models import Item, Page, Visibility
from archive.catalogue.transcriptions import add_machine_text, current_text
from archive.context import Archive
from archive.settings import load_settings

# Page texts as the sample corpus writes them (texts of the seed-0 corpus, dates changed).
ENVELOPE = (
    "煩至廣東新會縣會城\n篁莊村交\n梅坤耀先生收\n紐約梅富錦緘\n外付港銀六十元\nMr. Moy Foo Kam,"
)
LETTER = (
    "父親大人膝下敬稟者\n兒在紐約身體粗安工作如常請勿掛念\n"
    "茲由萬昌隆付上港銀六十元到祈查收\n草此奉聞順候\n福安\n兒富錦稟\n民國廿一年三月初五日"
)
SLIP = (
    "萬昌隆匯票\n收款人\n梅坤耀\n住址\n新會縣會城篁莊村\n銀數\n港銀陸拾元正\n"
    "匯款人\n梅富錦\n寄自\n紐約\n日期\n民國廿一年三月初五日\n憑票祈交"
)
REPLY = "富錦吾兒知悉\n接來函並港銀六十元經已收妥\n父字\n民國廿一年五月十日"


def make_letter(
    session: Session,
    identifier: str,
    texts: list[str],
    *,
    visibility: Visibility = Visibility.published,
    **fields: object,
) -> Item:
    """An item with one page per text, each text stored as the page's machine transcription."""
    item = create_item(
        session,
        NewItem.model_validate({"identifier": identifier, "visibility": visibility, **fields}),
        actor="test",
    )
    session.flush()
    for position, text in enumerate(texts, 1):
        page = Page(
            public_id=f"{identifier}-p{position}",
            item_id=item.id,
            position=position,
            sha256=hashlib.sha256(f"{identifier}/{position}".encode()).hexdigest(),
            byte_size=1,
            width=10,
            height=10,
            media_type="image/jpeg",
        )
        session.add(page)
        session.flush()
        add_machine_text(session, page, text=text, page_xml="", engine="stored")
    session.flush()
    session.refresh(item)
    return item


def test_a_made_letter_reads_back_its_stored_texts(tmp_path: Path) -> None:
    opened = Archive.open(load_settings({}, data_dir=tmp_path / "data"))
    with opened.catalogue.session() as session:
        item = make_letter(session, "qp-1932-0001", [ENVELOPE, SLIP])
        texts = [current_text(session, page) for page in item.pages]
        assert [t.text if t else None for t in texts] == [ENVELOPE, SLIP]
    opened.close()
