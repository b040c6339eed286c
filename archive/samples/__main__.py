"""`python -m archive.samples OUT [--items N] [--seed S] [--ocr-pages N]`: write a sample corpus.

Prints what was written and the seconds per page, the figure the ingest benchmark needs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from archive.samples import (
    MissingFontError,
    SampleCorpusError,
    generate_corpus,
    generate_ocr_pages,
)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, generate, print a summary; exit 1 with a one-line reason on failure."""
    parser = argparse.ArgumentParser(prog="python -m archive.samples", description=__doc__)
    parser.add_argument("out", type=Path, help="an empty (or new) directory to write into")
    parser.add_argument("--items", type=int, default=24, help="number of items (default 24)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--ocr-pages", type=int, default=0, help="write N OCR benchmark pages instead of a corpus"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        if args.ocr_pages:
            pages = len(generate_ocr_pages(args.out, args.ocr_pages, args.seed))
            print(f"wrote {pages} OCR pages under {args.out}")
        else:
            summary = generate_corpus(args.out, args.items, args.seed)
            pages = summary.pages
            print(f"wrote {summary.items} items, {pages} pages: {summary.csv_path}")
    except (SampleCorpusError, MissingFontError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    print(f"{elapsed:.1f} s, {elapsed / pages:.3f} s/page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
