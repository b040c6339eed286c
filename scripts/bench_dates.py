"""Print the accuracy and speed of search.dates.parse_date over the table of dates as written.

The table is tests/search/date_table.tsv (text, expected ISO, certainty, calendar), whose
lunar conversions were computed with a second, independent calendar library. Run from the
repository root:

    .venv/bin/python scripts/bench_dates.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.dates import DateParseError, extract_dates, parse_date  # noqa: E402

TABLE = ROOT / "tests" / "search" / "date_table.tsv"


def load() -> list[tuple[str, str, str, str]]:
    """The table rows, comments skipped."""
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            text, iso, certainty, calendar = line.split("\t")
            rows.append((text, iso, certainty, calendar))
    return rows


def main() -> None:
    """Parse every row, count exact agreement, and time parsing and extraction."""
    rows = load()
    right_iso = right_all = refused = 0
    by_kind: Counter[str] = Counter()
    wrong_by_kind: Counter[str] = Counter()
    for text, iso, certainty, calendar in rows:
        kind = "english" if text.isascii() else calendar
        by_kind[kind] += 1
        try:
            parsed = parse_date(text)
        except DateParseError as error:
            refused += 1
            wrong_by_kind[kind] += 1
            print(f"  refused  {text}: {error}")
            continue
        right_iso += parsed.iso == iso
        agrees = (parsed.iso, parsed.certainty, parsed.calendar) == (iso, certainty, calendar)
        right_all += agrees
        if not agrees:
            wrong_by_kind[kind] += 1
            print(f"  wrong    {text}: got {parsed.iso} {parsed.certainty} {parsed.calendar}")
    total = len(rows)
    print(f"dates in table:                 {total}")
    print(f"ISO range right:                {right_iso}/{total} = {right_iso / total:.1%}")
    print(f"ISO + certainty + calendar:     {right_all}/{total} = {right_all / total:.1%}")
    print(f"refused:                        {refused}")
    for kind, count in sorted(by_kind.items()):
        good = count - wrong_by_kind[kind]
        print(f"  {kind:<10} {good}/{count} = {good / count:.1%}")

    rounds = 20
    started = time.perf_counter()
    for _ in range(rounds):
        for text, *_ in rows:
            try:
                parse_date(text)
            except DateParseError:
                continue
    elapsed = time.perf_counter() - started
    print(f"parse_date:                     {rounds * total / elapsed:,.0f} dates/s")

    letter = "家中各人平安，勿念。" * 50 + "民國廿一年三月初五日寄上港銀五十元。"
    text = letter * 500
    started = time.perf_counter()
    found = extract_dates(text)
    elapsed = time.perf_counter() - started
    print(
        f"extract_dates:                  {len(text) / elapsed / 1e6:.2f} M chars/s"
        f" ({len(found)} dates in {len(text):,} chars)"
    )


if __name__ == "__main__":
    main()
