"""Judged relevance of the search backends: recall@10 and MRR on a small judged set.

Judged letters (繁/简 equivalents, variant place names, phrases across page breaks,
dates as written, filters, romanised personal names and remittance houses) sit among
synthetic distractor letters. Prints recall@10 and MRR per backend, the queries that
missed, and whether both backends agree on the top 10.

    .venv/bin/python scripts/relevance_search.py [--distractors 300]
        [--elasticsearch http://127.0.0.1:9200]   (default: $QIAOPI_TEST_ELASTICSEARCH_URL)
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_search import synthetic_letters

from search import IndexDocument, PageText, SearchBackend, SearchRequest
from search.elastic import ElasticsearchBackend
from search.embedded import EmbeddedBackend


def _doc(doc_id: str, *pages: str, **fields: object) -> IndexDocument:
    return IndexDocument.model_validate(
        {
            "id": doc_id,
            "pages": [PageText(page=n, text=text) for n, text in enumerate(pages, 1)],
            **fields,
        }
    )


def _date(year: int, month: int = 6) -> datetime.date:
    return datetime.date(year, month, 1)


JUDGED_DOCS = [
    _doc("R01", "吾兒知悉：黃榮光在外平安。", titles={"zh-Hant": "黃榮光家書"}),
    _doc("R02", "今寄銀五百元，寄回臺山修祠堂。"),
    _doc("R03", "聞新寧縣城學堂落成，甚慰。"),
    _doc("R04", "義學捐款收條", description="To Mr. Lee, Hoisan, Kwangtung"),
    _doc("R05", "開平赤坎碼頭近日繁忙。"),
    _doc("R06", "新會葵扇一箱已收到。"),
    _doc("R07", "恩平溫泉之地，可建屋。"),
    _doc("R08", "鶴山茶葉價錢如何。"),
    _doc("R09", "舊金山唐人街大火，店舖盡毀。"),
    _doc("R10", "雪梨賽馬之期，工人放假。"),
    _doc("R11", "雲高華鐵路工程已完。"),
    _doc("R12", "星洲橡膠園工價尚可。"),
    _doc("R13", "夏灣拿糖廠招工。"),
    _doc("R14", "此信到日，家中老母", "病重，速歸勿延。"),
    _doc("R15", "鄉中匪患，議決購買", "碉樓槍枝以自衛。"),
    _doc("R16", "本年蝗災，禾稻失收。", date_start=_date(1932)),
    _doc("R16b", "聞蝗災又至。", date_start=_date(1936)),
    _doc("R17", "科舉已停，兒當入新學。", date_start=datetime.date(1904, 5, 1)),
    _doc("R17b", "科舉之事，今已無人提起。", date_start=_date(1925)),
    _doc("R18", "自力村銘石樓落成。"),
    _doc("R19", "馬降龍天祿樓修葺。"),
    _doc("R20", "回批收妥。", remittance_house="萬福來銀號"),
    _doc("R21", "信封貼ＴＯＩＳＨＡＮ郵票。"),
    _doc("R22", "致鄉中父老書。", sender="司徒美堂"),
    _doc("R23", "The money order reached Hoiping safely.", languages=("en",)),
    _doc("R24", "鄉中瘟疫流行，請寄藥來。"),
    _doc("R25", "霍亂之症，已有數人不治。"),
    _doc("R26", "匯票一張，請查收。"),
    _doc("R27", "香港匯票不能兌現。"),
    _doc("R28", "佢哋話今年收成好。"),
    _doc("R29", "民國廿一年三月初五日寄。"),
    _doc("R30", "族譜重修。", titles={"zh-Hant": "李氏家譜"}),
    _doc("R31", "澳門賭館害人不淺。"),
    _doc("R32", "檀香山甘蔗園工作辛苦。"),
    _doc("R33", "寄上家用，查收。", sender="黃錫堂", recipient="黃門李氏"),
    _doc("R34", "銀信一封，交妥為要。", remittance_house="廣興隆"),
    _doc("R35", "來信收到，各事照辦。", recipient="陳國英"),
    _doc("R36", "店務繁忙，不能回鄉。", sender="李振邦"),
    _doc("R37", "兒在外安好，勿念。", sender="謝耀宗"),
    _doc("R38", "家中老幼平安。", recipient="余錦華"),
    _doc("R39", "今年生意尚可。", sender="曾國權"),
]

JUDGEMENTS: list[tuple[str, set[str]]] = [
    ("黄荣光", {"R01"}),
    ("黃榮光", {"R01"}),
    ("Toishan 祠堂", {"R02"}),
    ("台山 祠堂", {"R02"}),
    ("Hoisan 祠堂", {"R02"}),
    ("台山 學堂", {"R03"}),
    ("Taishan 学堂", {"R03"}),
    ("台山 義學", {"R04"}),
    ("Hoiping 碼頭", {"R05"}),
    ("Kaiping 码头", {"R05"}),
    ("Sunwui 葵扇", {"R06"}),
    ("Xinhui 葵扇", {"R06"}),
    ("Yanping 溫泉", {"R07"}),
    ("Enping 温泉", {"R07"}),
    ("Hokshan 茶叶", {"R08"}),
    ("San Francisco 大火", {"R09"}),
    ("金山 大火", {"R09"}),
    ("三藩市 大火", {"R09"}),
    ("Sydney 赛马", {"R10"}),
    ("悉尼 賽馬", {"R10"}),
    ("Vancouver 铁路", {"R11"}),
    ("温哥华 鐵路", {"R11"}),
    ("Singapore 橡胶", {"R12"}),
    ("Havana 糖厂", {"R13"}),
    ("哈瓦那 糖廠", {"R13"}),
    ('"老母病重"', {"R14"}),
    ('"购买碉楼枪枝"', {"R15"}),
    ("蝗災 date:民國二十一年", {"R16"}),
    ("蝗灾 date:1932", {"R16"}),
    ("科舉 date:光緒三十年", {"R17"}),
    ("Zili 銘石樓", {"R18"}),
    ("自力村 铭石楼", {"R18"}),
    ("Majianglong 天祿樓", {"R19"}),
    ("house:萬福來銀號", {"R20"}),
    ("toishan 郵票", {"R21"}),
    ("sender:司徒美堂", {"R22"}),
    ("money order Kaiping", {"R23"}),
    ("瘟疫 OR 霍亂", {"R24", "R25"}),
    ("霍乱", {"R25"}),
    ("匯票 -香港", {"R26"}),
    ('"香港匯票"', {"R27"}),
    ("佢哋", {"R28"}),
    ('"民國廿一年"', {"R29"}),
    ("title:家谱", {"R30"}),
    ("Macau 赌馆", {"R31"}),
    ("Honolulu 甘蔗", {"R32"}),
    ("Wong Shek Tong", {"R33"}),
    ("Huang Xitang", {"R33"}),
    ("wong4 sek3 tong4", {"R33"}),
    ("Kwong Hing Lung", {"R34"}),
    ("Guangxinglong", {"R34"}),
    ("Chan Kwok Ying", {"R35"}),
    ("Chen Guoying", {"R35"}),
    ("Lee Chun Pong", {"R36"}),
    ("Tse Yiu Chung", {"R37"}),
    ("Yee Kam Wah", {"R38"}),
    ("Tsang Kwok Kuen", {"R39"}),
    ("Szeto Mei Tong", {"R22"}),
]


def evaluate(backend: SearchBackend) -> tuple[float, float, list[str], dict[str, list[str]]]:
    """Mean recall@10, MRR, the queries that missed something, and each query's top 10."""
    recalls, reciprocal_ranks, misses = [], [], []
    tops: dict[str, list[str]] = {}
    for query, relevant in JUDGEMENTS:
        top = [hit.id for hit in backend.search(SearchRequest(q=query, limit=10)).hits]
        tops[query] = top
        recall = len(relevant & set(top)) / len(relevant)
        rank = next((i for i, doc_id in enumerate(top, 1) if doc_id in relevant), None)
        recalls.append(recall)
        reciprocal_ranks.append(1 / rank if rank else 0.0)
        if recall < 1:
            misses.append(f"{query} -> {top[:3]}")
    return sum(recalls) / len(recalls), sum(reciprocal_ranks) / len(recalls), misses, tops


def main() -> None:
    """Index the judged set with distractors into each backend and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distractors", type=int, default=300)
    parser.add_argument(
        "--elasticsearch", default=os.environ.get("QIAOPI_TEST_ELASTICSEARCH_URL", "")
    )
    args = parser.parse_args()
    documents = [*JUDGED_DOCS, *synthetic_letters(args.distractors, seed=7)]
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        embedded = EmbeddedBackend(Path(scratch))
        embedded.index(documents)
        results["embedded"] = evaluate(embedded)
    if args.elasticsearch:
        elastic = ElasticsearchBackend(
            args.elasticsearch, index_name=f"qiaopi-relevance-{uuid.uuid4().hex[:8]}"
        )
        try:
            elastic.index(documents)
            results["elasticsearch"] = evaluate(elastic)
        finally:
            elastic.drop()
            elastic.close()
    print(f"{len(JUDGEMENTS)} judged queries, {len(documents)} documents")
    for name, (recall, mrr, misses, _) in results.items():
        print(f"{name:14} recall@10 {recall:.3f}   MRR {mrr:.3f}")
        for miss in misses:
            print(f"  missed: {miss}")
    if len(results) == 2:
        first, second = (r[3] for r in results.values())
        differing = [q for q in first if first[q] != second[q]]
        print(f"top-10 lists identical for {len(first) - len(differing)}/{len(first)} queries")
        for query in differing:
            print(f"  differs: {query}")


if __name__ == "__main__":
    main()
