"""OCR benchmark: CER per engine × preprocessing × condition, and CPU seconds per page.

Pages come from the sample corpus generator (``archive.samples.generate_ocr_pages``):
vertical and horizontal letters, clean / degraded / red-frame / hand, several fonts, with
exact ground truth. Prints tables; run it after changing an engine or a step:

    .venv/bin/python scripts/bench_ocr.py --count 80 --ablation 16

CER is edit distance over reference length with whitespace ignored; "CER~" counts the
variant pairs of ``ocr.layers.VARIANTS`` (為/爲, 內/内, 啟/啓, 稟/禀, ...) as equal.
"s/page/core" is the CPU time spent per page (engine process plus preprocessing and
layout, all threads), i.e. wall time per page if each core reads its own page.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from archive.samples import GroundTruthPage, generate_ocr_pages
from ocr import open_image, recognize, stop_engines
from ocr.layers import normalise
from ocr.metrics import cer
from ocr.registry import DEFAULT_ENGINE, create, engines

TARGETS = "targets: default engine CER ≤ 3% overall, ≤ 5% on hand pages, ≤ 2 s/page/core"


@dataclass
class Tally:
    """Errors, reference characters and seconds, summed over pages."""

    errors: int = 0
    folded_errors: int = 0
    chars: int = 0
    pages: int = 0
    cpu: float = 0.0
    wall: float = 0.0
    failed: list[str] = field(default_factory=list)

    def add(self, errors: int, folded: int, chars: int, cpu: float, wall: float) -> None:
        self.errors += errors
        self.folded_errors += folded
        self.chars += chars
        self.pages += 1
        self.cpu += cpu
        self.wall += wall

    def row(self) -> str:
        cer_ = 100 * self.errors / max(1, self.chars)
        folded = 100 * self.folded_errors / max(1, self.chars)
        pages = max(1, self.pages)
        return (
            f"{cer_:6.2f}% {folded:6.2f}% {self.cpu / pages:7.2f} {self.wall / pages:7.2f}"
            f" {self.pages:5d}"
        )


HEADER = f"{'':34} {'CER':>7} {'CER~':>7} {'s/p/c':>7} {'wall/p':>7} {'pages':>5}"


def measure(
    page: GroundTruthPage, engine: str, steps: tuple[str, ...] | None
) -> tuple[int, int, int, float, float]:
    """Recognise one page; errors, variant-folded errors, length, CPU and wall seconds."""
    image = open_image(page.image_path)
    cpu_started, wall_started = time.process_time(), time.perf_counter()
    result = recognize(image, engine, preprocessing=steps, image_name=page.image_path.name)
    cpu = time.process_time() - cpu_started + result.cpu_seconds
    wall = time.perf_counter() - wall_started
    errors, length = cer(page.text, result.text)
    folded, _ = cer(page.text, result.text, fold=normalise)
    return errors, folded, length, cpu, wall


def pipelines(engine: str) -> dict[str, tuple[str, ...]]:
    """The preprocessing variants compared for ``engine``: none, its default, ± Otsu."""
    default = create(engine).preprocessing
    toggled = tuple(s for s in default if s != "otsu") if "otsu" in default else (*default, "otsu")
    label = "default-otsu" if "otsu" in default else "default+otsu"
    return {"downscale only": ("downscale",), "default": default, label: toggled}


def main() -> None:
    """Generate pages, run every engine, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=80, help="pages for the main table")
    parser.add_argument("--ablation", type=int, default=16, help="pages for preprocessing variants")
    parser.add_argument("--engines", default=",".join(engines()), help="comma-separated names")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    names = [n for n in args.engines.split(",") if n]
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
        pages = generate_ocr_pages(Path(tmp), max(args.count, args.ablation), args.seed)
        chars = sum(len("".join(p.text.split())) for p in pages[: args.count])
        print(
            f"{args.count} pages, {chars} characters; {TARGETS}; default engine: {DEFAULT_ENGINE}"
        )
        for engine in names:
            by: dict[str, Tally] = defaultdict(Tally)
            for page in pages[: args.count]:
                started = time.perf_counter()
                try:
                    figures = measure(page, engine, None)
                except Exception as error:  # a benchmark reports failures and goes on
                    by["all"].failed.append(f"{page.image_path.name}: {error}")
                    continue
                for key in (
                    "all",
                    page.condition,
                    page.direction,
                    f"{page.direction}/{page.condition}",
                    f"font {page.font}",
                ):
                    by[key].add(*figures)
                print(
                    f"  {engine} {page.image_path.name} {time.perf_counter() - started:.1f}s",
                    flush=True,
                )
            print(
                f"\n== {engine} (default preprocessing: {','.join(create(engine).preprocessing)})"
            )
            print(HEADER)
            for key in sorted(by, key=lambda k: (k != "all", k)):
                print(f"{key:34} {by[key].row()}")
            for failure in by["all"].failed:
                print(f"FAILED {failure}")
            if args.ablation:
                print(f"\n-- {engine}: preprocessing on the first {args.ablation} pages")
                print(HEADER)
                for label, steps in pipelines(engine).items():
                    tallies: dict[str, Tally] = defaultdict(Tally)
                    for page in pages[: args.ablation]:
                        figures = measure(page, engine, steps)
                        tallies["all"].add(*figures)
                        tallies[page.condition].add(*figures)
                    for key in sorted(tallies, key=lambda k: (k != "all", k)):
                        print(f"{label + ' / ' + key:34} {tallies[key].row()}")
            stop_engines(engine)
            print(flush=True)


if __name__ == "__main__":
    main()
