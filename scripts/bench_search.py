"""Benchmark the search backends side by side on synthetic qiaopi letters.

Prints, for the embedded engine and Elasticsearch: index throughput (docs/s), index size,
and p50/p95 latency of four query kinds: (a) a 2-character word, (b) a phrase, (c) a
phrase with two facets and a date range, (d) a romanised place name; then (e) paging by
cursor through every letter (see `DEEP`). For Elasticsearch it
also prints the overhead of our layer over raw client calls sending the same request, as
a ratio of medians (see `overhead`), and the load average.

    .venv/bin/python scripts/bench_search.py [--docs 100000] [--runs 100]
        [--elasticsearch http://127.0.0.1:9200]   (default: $QIAOPI_TEST_ELASTICSEARCH_URL)
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search import CURSOR_START, IndexDocument, PageText, SearchBackend, SearchRequest
from search.elastic import ElasticsearchBackend
from search.embedded import EmbeddedBackend
from search.query import request_plan

T = TypeVar("T")

HOME = ["台山", "臺山", "新寧", "開平", "新會", "恩平", "鶴山", "赤坎", "自力村", "三門里"]
ABROAD = ["舊金山", "金山大埠", "雪梨", "雲高華", "星洲", "夏灣拿", "檀香山", "域多利", "庇能"]
ROMAN = ["Toishan", "Hoiping", "Sunwui", "Yanping", "San Francisco", "Vancouver", "Sydney"]
SURNAMES = "黃陳李梁譚關司徒余伍張劉甄鄺方"
GIVEN = "榮光德華永福錦文耀祖國強錫山達明振興"
OPENINGS = ["吾妻如見：", "父親大人膝下：", "母親大人尊前：", "賢弟如晤：", "夫君台鑒："]
SENTENCES = [
    "今由{abroad}寄上{currency}{amount}元，交{home}家中收用。",
    "兒在{abroad}身體平安，家中平安否，甚念。",
    "近來{abroad}生意淡薄，工價日低，望家中節儉。",
    "{home}米價日貴，銀信到時請即買米。",
    "前信所寄銀{amount}元諒已收到，回批請寄{house}轉交。",
    "子女讀書之事切勿耽誤，田租請託{name}代收。",
    "聞鄉間有匪，碉樓須加固，門戶小心。",
    "明年春間擬返{home}一行，屆時再詳。",
]
CLOSINGS = ["此致 近安", "順候 闔家平安", "草此 即候 福安"]
HOUSES = ["和興號", "永安銀號", "廣泰來", "大昌銀號", "萬國寶通"]
CURRENCIES = ["港幣", "美金", "英鎊", "國幣"]
TYPES = ["letter", "letter", "letter", "envelope", "remittance receipt"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))


def synthetic_letters(count: int, seed: int = 1932) -> Iterator[IndexDocument]:
    """Deterministic synthetic letters (~160 characters each) with realistic fields."""
    rng = random.Random(seed)
    for number in range(count):
        sender, recipient = _name(rng), _name(rng)
        home, abroad = rng.choice(HOME), rng.choice(ABROAD)
        values = {
            "home": home,
            "abroad": abroad,
            "currency": rng.choice(CURRENCIES),
            "amount": rng.choice("一二三五八") + rng.choice(["十", "百"]),
            "house": rng.choice(HOUSES),
            "name": _name(rng),
        }
        body = "".join(s.format(**values) for s in rng.sample(SENTENCES, 5))
        text = f"{rng.choice(OPENINGS)}{body}{rng.choice(CLOSINGS)} {sender}"
        split = rng.randrange(len(text) // 3, 2 * len(text) // 3)
        start = datetime.date(1900, 1, 1) + datetime.timedelta(days=rng.randrange(60 * 365))
        envelope = rng.choice(ROMAN) if rng.random() < 0.2 else ""
        yield IndexDocument(
            id=f"syn-{number:06d}",
            titles={"zh-Hant": f"{sender}自{abroad}寄{recipient}"},
            description=f"Envelope: {envelope}, Kwangtung" if envelope else "",
            pages=(PageText(page=1, text=text[:split]), PageText(page=2, text=text[split:])),
            type=rng.choice(TYPES),
            collections=(rng.choice(["qiaopi", "qiaopi", "diaolou"]),),
            sending_place=abroad,
            receiving_place=home,
            sender=sender,
            recipient=recipient,
            remittance_house=values["house"],
            currency=values["currency"],
            languages=("zh-Hant",),
            date_start=start,
        )


QUERIES: dict[str, list[SearchRequest]] = {
    "(a) 2-char word": [SearchRequest(q=w) for w in ["平安", "米價", "碉樓", "生意", "讀書"]],
    "(b) phrase": [
        SearchRequest(q=f'"{p}"') for p in ["家中平安", "銀信到時", "工價日低", "田租請託"]
    ],
    "(c) phrase+2 facets+dates": [
        SearchRequest(
            q=f'"{p}"',
            filters={"type": ("letter",), "currency": (c,)},
            date_from=datetime.date(1920, 1, 1),
            date_to=datetime.date(1939, 12, 31),
        )
        for p, c in [("家中平安", "港幣"), ("米價日貴", "美金"), ("切勿耽誤", "國幣")]
    ],
    "(d) romanised place": [SearchRequest(q=w) for w in ["Toishan", "Hoiping", "Sunwui"]],
}


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 of samples, in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(call: Callable[[T], object], inputs: Sequence[T], runs: int) -> list[float]:
    """Wall times of `runs` calls cycling through `inputs`, after one warm-up call each."""
    for value in inputs:
        call(value)
    samples = []
    for run in range(runs):
        value = inputs[run % len(inputs)]
        started = time.perf_counter()
        call(value)
        samples.append(time.perf_counter() - started)
    return samples


def directory_size(path: Path) -> int:
    """Bytes under a directory."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


DEEP = "(e) cursor pages, all by date"
"""Every letter, oldest first, 100 a page by cursor to the last: per-page p50 / p95, and the
median of the last ten pages (deepest)."""


def walk(backend: SearchBackend) -> str:
    """Page by cursor through every letter, timing each page."""
    samples: list[float] = []
    cursor: str | None = CURSOR_START
    while cursor is not None:
        request = SearchRequest(sort="date", limit=100, facets=(), cursor=cursor)
        started = time.perf_counter()
        cursor = backend.search(request).next_cursor
        samples.append(time.perf_counter() - started)
    p50, p95 = percentiles(samples)
    deepest = statistics.median(samples[-10:]) * 1000
    return f"{p50:.1f} / {p95:.1f} / {deepest:.1f} ms"


def bench(name: str, backend: SearchBackend, docs: int, runs: int) -> dict[str, object]:
    """Index the letters into `backend`, then time every query kind."""
    started = time.perf_counter()
    indexed = backend.index(synthetic_letters(docs))
    elapsed = time.perf_counter() - started
    figures: dict[str, object] = {"docs/s": f"{indexed / elapsed:,.0f}"}
    for kind, requests in QUERIES.items():
        samples = timed(backend.search, requests, runs)
        p50, p95 = percentiles(samples)
        figures[kind] = f"{p50:7.2f} / {p95:7.2f} ms"
        figures[f"{kind} hits"] = backend.search(requests[0]).total
    figures[DEEP] = walk(backend)
    print(f"  {name}: indexed {indexed:,} in {elapsed:.1f}s", file=sys.stderr)
    return figures


def overhead(backend: ElasticsearchBackend, runs: int) -> dict[str, str]:
    """Our layer's time over raw client calls sending the same request, per kind, twice.

    1. Against the one request a client without our layer would send: query, page and
       facet aggregations together (the issue's figure). Our layer sends two requests at
       once instead (hits, and facets from a facet thread), so the node works on both at
       the same time and our decoding overlaps its counting.
    2. Against exactly the two requests our layer sends, sent at once by the bare client:
       what our own work (parsing and planning, decoding documents, highlights, facets)
       adds, whatever the requests.

    Raw and ours run in alternating pairs, so load from elsewhere on the machine falls on
    both alike. Each request is run once beforehand, so this is a query run again (another
    page, another facet): its parsed plan is cached (see `search.query.parse_query`); a new
    query adds its parsing. The shard request cache is off (see `main`).
    """
    client = backend._client
    pool = ThreadPoolExecutor(max_workers=2)

    def both(hits: dict[str, Any], facets: dict[str, Any] | None) -> None:
        counting = pool.submit(partial(client.search, **facets)) if facets else None
        client.search(**hits)
        if counting is not None:
            counting.result()

    ratios = {}
    for kind, requests in QUERIES.items():
        pairs = [backend.requests(r, request_plan(r)) for r in requests]
        single = [one_request(hits, facets) for hits, facets in pairs]
        for value, request in zip(single, requests, strict=True):
            client.search(**value)
            backend.search(request)
        raw: list[float] = []
        raw_pair: list[float] = []
        ours: list[float] = []
        for run in range(runs):
            i = run % len(requests)
            calls: list[tuple[list[float], Callable[[], object]]] = [
                (raw, partial(client.search, **single[i])),
                (raw_pair, partial(both, *pairs[i])),
                (ours, partial(backend.search, requests[i])),
            ]
            if run % 2:
                calls.reverse()
            for samples, call in calls:
                started = time.perf_counter()
                call()
                samples.append(time.perf_counter() - started)
        raw_ms, pair_ms, ours_ms = (statistics.median(x) * 1000 for x in (raw, raw_pair, ours))
        ratios[kind] = (
            f"{ours_ms / raw_ms:.2f}x ({ours_ms:.2f} ms over {raw_ms:.2f} ms); "
            f"over the same two requests: {ours_ms / pair_ms:.2f}x (over {pair_ms:.2f} ms)"
        )
    pool.shutdown()
    return ratios


def one_request(hits: dict[str, Any], facets: dict[str, Any] | None) -> dict[str, Any]:
    """Our layer's two requests (hits, facets) as the one a client without it would send."""
    if facets is None:
        return hits
    return {
        **hits,
        "filter_path": list(dict.fromkeys(hits["filter_path"] + facets["filter_path"])),
        "track_total_hits": True,
        "aggs": facets["aggs"],
    }


def main() -> None:
    """Run the benchmark and print a side-by-side table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument(
        "--elasticsearch", default=os.environ.get("QIAOPI_TEST_ELASTICSEARCH_URL", "")
    )
    args = parser.parse_args()
    columns: dict[str, dict[str, object]] = {}
    ratios: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as scratch:
        embedded = EmbeddedBackend(Path(scratch) / "index")
        columns["embedded"] = bench("embedded", embedded, args.docs, args.runs)
        columns["embedded"]["index size"] = f"{directory_size(Path(scratch)) / 1e6:.1f} MB"
    if args.elasticsearch:
        elastic = ElasticsearchBackend(
            args.elasticsearch, index_name=f"qiaopi-bench-{uuid.uuid4().hex[:8]}"
        )
        try:
            # Off, so repeated runs of a query are timed counting facets, not reading counts
            # the node kept (for scholars paging through a search it stays on).
            elastic._client.indices.put_settings(
                index=elastic._alias, settings={"index.requests.cache.enable": False}
            )
            columns["elasticsearch"] = bench("elasticsearch", elastic, args.docs, args.runs)
            elastic._client.indices.forcemerge(index=elastic._alias, max_num_segments=1)
            stats = elastic._client.indices.stats(index=elastic._alias)
            size = stats["_all"]["primaries"]["store"]["size_in_bytes"]
            columns["elasticsearch"]["index size"] = f"{size / 1e6:.1f} MB"
            ratios = overhead(elastic, args.runs)
        finally:
            elastic.drop()
            elastic.close()
    rows = ["docs/s", "index size"] + [k for kind in QUERIES for k in (kind, f"{kind} hits")]
    rows.append(DEEP)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"{args.docs:,} synthetic letters, {args.runs} runs per query kind (p50 / p95)")
    print(f"load average at the end: {load}")
    print(f"{'':32}" + "".join(f"{name:>24}" for name in columns))
    for row in rows:
        print(f"{row:32}" + "".join(f"{columns[n][row]!s:>24}" for n in columns))
    for kind, ratio in ratios.items():
        print(f"our layer over raw Elasticsearch, {kind}: {ratio}")


if __name__ == "__main__":
    main()
