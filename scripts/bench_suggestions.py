"""Precision and recall of curator suggestions per field, on a generated sample corpus.

    python scripts/bench_suggestions.py [--items 40] [--seed 0] [--corpus DIR]
                                        [--only letter] [--ocr]

Generates a sample corpus (or reads one already written with `python -m archive.samples`),
runs the suggestion rules on each qiaopi's page texts and compares the most confident
suggestion of each field with the corpus ground truth (`items.csv`). The page text used
is the ground-truth transcription (`ground-truth/<folder>/*.json`), i.e. perfect OCR:
the figures measure the reading rules, not the OCR engine.

`--ocr` reads the text the default OCR engine gives for each scan instead (slow: one
recognition per page), which is what curators will see.
`--only letter` reads only pages whose file name contains "letter" (no envelope, slip
or reply): what the rules find when the letter alone survives.

Precision = correct / items with a suggestion for the field;
recall = correct / items whose ground truth has the field.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from archive.knowledge.readers import Reading, best_per_field, combine, read_page
from archive.samples.corpus import generate_corpus
from search.gazetteer import default_gazetteer
from search.money import AmountParseError, parse_amount
from search.normalise import key

FIELDS = ("sender", "recipient", "sending_place", "receiving_place", "date", "amount")


def _correct(field: str, reading: Reading, truth: dict[str, str]) -> bool:
    if field == "date":
        return bool(reading.value.get("date_text") == truth["date_text"])
    if field == "amount":
        try:
            expected = parse_amount(truth["currency"] + truth["amount_text"])
        except AmountParseError:
            return False
        return Decimal(reading.value["amount_value"]) == expected.amount and reading.value[
            "currency_code"
        ] == (expected.currency or "")
    return key(str(reading.value[field])) == key(truth[field])


def _has_truth(field: str, truth: dict[str, str]) -> bool:
    column = {"date": "date_text", "amount": "amount_text"}.get(field, field)
    return bool(truth[column])


def _page_text(truth: Path, corpus: Path, folder: str, ocr: bool) -> str:
    if not ocr:
        return str(json.loads(truth.read_text(encoding="utf-8"))["text"])
    from ocr import open_image, to_text, try_recognize

    scan = next((corpus / "items" / folder).glob(f"{truth.stem}.*"))
    return to_text(try_recognize(open_image(scan.read_bytes())))


def measure(corpus: Path, only: str = "", ocr: bool = False) -> dict[str, tuple[int, int, int]]:
    """Per field: (correct, suggested, expected) over the corpus's qiaopi items."""
    gazetteer = default_gazetteer()
    counts = {field: [0, 0, 0] for field in FIELDS}
    with (corpus / "items.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["type"] == "qiaopi"]
    for row in rows:
        readings: list[tuple[int, Reading]] = []
        pattern = f"*{only}*.json" if only else "*.json"
        pages = sorted((corpus / "ground-truth" / row["folder"]).glob(pattern))
        for number, page in enumerate(pages):
            text = _page_text(page, corpus, row["folder"], ocr)
            readings.extend((number, reading) for reading in read_page(text, gazetteer))
        best = best_per_field(combine(readings))
        for field in FIELDS:
            expected = _has_truth(field, row)
            counts[field][2] += expected
            if field in best:
                counts[field][1] += 1
                counts[field][0] += expected and _correct(field, best[field], row)
    return {field: (c[0], c[1], c[2]) for field, c in counts.items()}


def main(argv: list[str] | None = None) -> int:
    """Print precision and recall per field."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", type=Path, help="an existing corpus instead of a new one")
    parser.add_argument("--only", default="", help="read only pages whose name contains this")
    parser.add_argument("--ocr", action="store_true", help="OCR each scan instead")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        corpus = args.corpus or generate_corpus(Path(scratch), args.items, args.seed).out_dir
        results = measure(corpus, args.only, args.ocr)
    pages = f"pages named *{args.only}*" if args.only else "every page"
    source = "OCR (default engine)" if args.ocr else "ground-truth transcription (perfect OCR)"
    print(f"page text: {source}, {pages}")
    print(f"{'field':<16}{'precision':>10}{'recall':>8}  correct/suggested/expected")
    for field, (correct, suggested, expected) in results.items():
        precision = correct / suggested if suggested else 0.0
        recall = correct / expected if expected else 0.0
        print(f"{field:<16}{precision:>10.3f}{recall:>8.3f}  {correct}/{suggested}/{expected}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
