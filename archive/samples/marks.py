"""Printed and stamped marks: red frames and rulings, seals (印章), postage stamps, postmarks.

Red marks that carry text (seals, red-printed stationery names) are recorded on the sheet
as `marks`, not as lines: the ground truth is the writing and the dark printed text a
reader transcribes, and red marks lie over it (OCR is expected to drop them).
"""

from __future__ import annotations

import random

from PIL import Image, ImageChops, ImageDraw

from archive.samples.fonts import FontFace, load
from archive.samples.paper import noise
from archive.samples.writing import VERTICAL, Line, Sheet


def frame(sheet: Sheet, inset: int, width: int, intensity: int, *, double: bool = True) -> None:
    """A printed red border round the sheet, optionally with a thin inner line."""
    draw = sheet.draw("red")
    w, h = sheet.width, sheet.height
    draw.rectangle((inset, inset, w - inset, h - inset), outline=intensity, width=width)
    if double:
        gap = inset + width + 8
        draw.rectangle((gap, gap, w - gap, h - gap), outline=intensity, width=max(1, width // 3))


def rulings(
    sheet: Sheet, positions: list[int], start: int, end: int, intensity: int, *, vertical: bool
) -> None:
    """Ruled red lines of letter paper (信箋): columns when `vertical`, else rows."""
    draw = sheet.draw("red")
    for p in positions:
        line = (p, start, p, end) if vertical else (start, p, end, p)
        draw.line(line, fill=intensity, width=2)


def _stamp_into(sheet: Sheet, layer: str, mark: Image.Image, left: int, top: int) -> None:
    target = sheet.layer(layer)
    region = (left, top, left + mark.width, top + mark.height)
    target.paste(ImageChops.lighter(target.crop(region), mark), region)


def seal(
    sheet: Sheet,
    text: str,
    centre: tuple[int, int],
    side: int,
    face: FontFace,
    rng: random.Random,
) -> Line:
    """A square red seal with four characters cut in white (白文), stamped a little askew.

    Short names are completed as seals are: 萬昌隆 → 萬昌隆印, 平安 → 平安之印.
    """
    chars = {2: text + "之印", 3: text + "印"}.get(len(text), text[:4])
    mark = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(mark)
    draw.rectangle((0, 0, side - 1, side - 1), fill=255)
    font = load(face, int(side * 0.40))
    half = side // 2
    quarter, three_quarters = half // 2, half + half // 2
    # seal order: right column top to bottom, then left column
    cells = (
        (three_quarters, quarter),
        (three_quarters, three_quarters),
        (quarter, quarter),
        (quarter, three_quarters),
    )
    for char, cell in zip(chars, cells, strict=True):
        draw.text(cell, char, fill=0, font=font, anchor="mm")
    texture = noise(rng, (side // 4, side // 4)).resize((side, side))
    mark = ImageChops.multiply(mark, texture.point([150 + v * 105 // 255 for v in range(256)]))
    mark = mark.rotate(rng.uniform(-8, 8), resample=Image.Resampling.BILINEAR, expand=True)
    left, top = centre[0] - mark.width // 2, centre[1] - mark.height // 2
    _stamp_into(sheet, "seal", mark, left, top)
    line = Line(chars, (left, top, mark.width, mark.height), VERTICAL)
    sheet.marks.append(line)
    return line


def name_chop(
    sheet: Sheet, text: str, left: int, top: int, size: int, face: FontFace, rng: random.Random
) -> Line:
    """A tall red chop with red characters in one column (朱文), as houses stamped slips."""
    height = size * len(text) + size // 2
    mark = Image.new("L", (size + size // 2, height), 0)
    draw = ImageDraw.Draw(mark)
    draw.rectangle((2, 2, mark.width - 3, mark.height - 3), outline=255, width=max(3, size // 12))
    font = load(face, size)
    for i, char in enumerate(text):
        draw.text(
            (mark.width // 2, size // 4 + size * i + size // 2),
            char,
            fill=230,
            font=font,
            anchor="mm",
        )
    texture = noise(rng, (mark.width // 4, mark.height // 4)).resize(mark.size)
    mark = ImageChops.multiply(mark, texture.point([170 + v * 85 // 255 for v in range(256)]))
    _stamp_into(sheet, "seal", mark, left, top)
    line = Line(text, (left, top, mark.width, mark.height), VERTICAL)
    sheet.marks.append(line)
    return line


def postage_stamp(sheet: Sheet, left: int, top: int, width: int, height: int) -> None:
    """A perforated postage stamp with a portrait oval, on its own colour layer."""
    draw = sheet.draw("stamp")
    draw.rectangle((left, top, left + width, top + height), fill=235)
    draw.rectangle((left + 8, top + 8, left + width - 8, top + height - 8), fill=0)
    draw.rectangle((left + 12, top + 12, left + width - 12, top + height - 12), fill=220)
    draw.ellipse(
        (left + width * 0.28, top + height * 0.2, left + width * 0.72, top + height * 0.7), fill=90
    )
    for x in range(left, left + width + 1, 10):
        draw.ellipse((x - 3, top - 3, x + 3, top + 3), fill=0)
        draw.ellipse((x - 3, top + height - 3, x + 3, top + height + 3), fill=0)
    for y in range(top, top + height + 1, 10):
        draw.ellipse((left - 3, y - 3, left + 3, y + 3), fill=0)
        draw.ellipse((left + width - 3, y - 3, left + width + 3, y + 3), fill=0)


def postmark(sheet: Sheet, centre: tuple[int, int], radius: int, rng: random.Random) -> None:
    """A round cancellation mark with wavy bars, partly over the stamp."""
    draw = sheet.draw("postmark")
    cx, cy = centre
    alpha = rng.randint(150, 210)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=alpha, width=4)
    inner = radius * 6 // 10
    draw.ellipse((cx - inner, cy - inner, cx + inner, cy + inner), outline=alpha, width=3)
    for row in range(4):
        y = cy - radius // 2 + row * radius // 3
        points = [(cx + radius + 10 + i * 12, y + (6 if i % 2 else -6)) for i in range(16)]
        draw.line(points, fill=alpha, width=4)
