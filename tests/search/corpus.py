"""A small judged corpus of letters shared by the search tests."""

from __future__ import annotations

import datetime

from search import IndexDocument, PageText


def _letter(doc_id: str, title: str, *pages: str, **fields: object) -> IndexDocument:
    return IndexDocument.model_validate(
        {
            "id": doc_id,
            "titles": {"zh-Hant": title} if title else {},
            "pages": [PageText(page=i, text=text) for i, text in enumerate(pages, 1)],
            **fields,
        }
    )


CORPUS: tuple[IndexDocument, ...] = (
    _letter(
        "L1",
        "黃榮光自舊金山寄妻家書",
        "吾妻如見：今由金山大埠寄上銀五十元，交新",
        "寧縣家中收用。",
        type="letter",
        collections=("qiaopi",),
        sender="黃榮光",
        recipient="李氏",
        sending_place="舊金山",
        receiving_place="臺山",
        remittance_house="和興號",
        currency="美金",
        languages=("zh-Hant",),
        date_start=datetime.date(1932, 3, 1),
    ),
    _letter(
        "L2",
        "陳德華自雪梨寄父",
        "父親大人膝下：兒在雪梨平安，寄港幣一百元，到開平赤坎收。",
        type="letter",
        collections=("qiaopi",),
        sender="陳德華",
        sending_place="雪梨",
        receiving_place="開平",
        remittance_house="永安銀號",
        currency="港幣",
        languages=("zh-Hant",),
        date_start=datetime.date(1935, 7, 10),
    ),
    _letter(
        "L3",
        "",
        titles={"en": "Envelope to Toishan"},
        description="Envelope addressed to Mr. Wong, Toishan, via Hong Kong.",
        type="envelope",
        collections=("qiaopi",),
        sending_place="Vancouver",
        receiving_place="台山",
        languages=("en",),
        date_start=datetime.date(1948, 5, 1),
        date_end=datetime.date(1948, 5, 31),
    ),
    _letter(
        "L4",
        "自力村碉樓修建帳簿",
        "本村碉樓於民國十年修建，共費銀三千元。",
        type="ledger",
        collections=("diaolou",),
        receiving_place="自力村",
        languages=("zh-Hant",),
        date_start=datetime.date(1921, 1, 1),
        date_end=datetime.date(1921, 12, 31),
    ),
    _letter(
        "L5",
        "譚氏致夫",
        "夫君：家中安好，新會米價日貴，望早寄銀回家。",
        type="letter",
        collections=("qiaopi",),
        sending_place="新會",
        receiving_place="星洲",
        languages=("zh-Hant",),
        date_start=datetime.date(1940, 2, 2),
    ),
    _letter(
        "L6",
        "梁君自夏灣拿寄兄",
        "古巴生意淡薄，今寄銀二十元，匯至恩平。",
        type="letter",
        collections=("qiaopi",),
        sending_place="夏灣拿",
        receiving_place="恩平",
        currency="美金",
        languages=("zh-Hant",),
        date_start=datetime.date(1928, 6, 15),
    ),
    _letter(
        "L7",
        "家書一封",
        "銀信寄到台山。開平親友亦安。",
        type="letter",
        collections=("qiaopi",),
        languages=("zh-Hant",),
        date_start=datetime.date(1930, 1, 1),
    ),
    _letter(
        "L8",
        "台山開平兩縣僑匯統計",
        type="report",
        collections=("diaolou",),
        languages=("zh-Hant",),
    ),
    _letter(
        "L9",
        "",
        "Dear brother, the money order from San Francisco arrived in Hoiping <safely>.",
        titles={"en": "Letter to a brother"},
        type="letter",
        collections=("qiaopi",),
        languages=("en",),
        date_start=datetime.date(1937, 9, 9),
    ),
)
