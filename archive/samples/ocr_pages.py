"""Single text pages with exact ground truth, for the OCR accuracy benchmark.

Pages cycle through font × condition × direction so that even a short run covers every
condition and both directions; "hand" pages are always in the brush (kai) font.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from pathlib import Path

from archive.samples import texts
from archive.samples.corpus import SampleCorpusError
from archive.samples.fonts import FontFace, available_faces
from archive.samples.pages import text_page
from archive.samples.paper import CLEAN, DEGRADED, HAND, RED_FRAME, scan
from archive.samples.truth import save_image, truth_document, write_truth
from archive.samples.writing import HORIZONTAL, VERTICAL, TruthLine


@dataclass(frozen=True)
class GroundTruthPage:
    """One benchmark page: its image file and exactly the text drawn on it, in reading order.

    `lines` are dicts {"text", "box": [x, y, w, h], "direction"} in image pixels; on rotated
    pages a box is the axis-aligned bound of the rotated ink box.
    """

    image_path: Path
    text: str
    direction: str
    condition: str
    font: str
    lines: list[TruthLine]
    rotation: float = 0.0


def _combinations(faces: tuple[FontFace, ...]) -> list[tuple[FontFace, str, str]]:
    combos = []
    for face, condition, direction in itertools.product(
        faces, (CLEAN, DEGRADED, RED_FRAME, HAND), (VERTICAL, HORIZONTAL)
    ):
        if condition != HAND or face.brush:
            combos.append((face, condition, direction))
    return combos


def generate_ocr_pages(out_dir: Path, count: int = 80, seed: int = 0) -> list[GroundTruthPage]:
    """Write `count` single letter pages (JPEG) in `out_dir/pages`, truth in `ground-truth`."""
    out_dir = Path(out_dir)
    if count < 1:
        raise SampleCorpusError(f"count must be at least 1, got {count}")
    for name in ("pages", "ground-truth"):
        target = out_dir / name
        if target.exists() and any(target.iterdir()):
            raise SampleCorpusError(
                f"{target} is not empty; generate OCR pages into an empty directory"
            )
    combos = _combinations(available_faces())
    result = []
    for index in range(count):
        face, condition, direction = combos[index % len(combos)]
        rng = random.Random(f"qiaopi-ocr:{seed}:{index}")
        page = text_page(texts.story(rng), direction, condition, face, rng)
        done = scan(page.sheet, condition, rng)
        name = f"{index + 1:03d}_{direction}_{condition}_{face.key}"
        image_path = out_dir / "pages" / f"{name}.jpg"
        save_image(done.image, image_path)
        document = truth_document(done, direction=direction, condition=condition, font=face.key)
        write_truth(document, out_dir / "ground-truth" / f"{name}.json")
        result.append(
            GroundTruthPage(
                image_path=image_path,
                text=str(document["text"]),
                direction=direction,
                condition=condition,
                font=face.key,
                lines=[line.as_dict() for line in done.lines],
                rotation=done.rotation,
            )
        )
    return result
