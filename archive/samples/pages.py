"""Page builders: envelope, letter pages, remittance slip, reply (回批), and text pages.

Each builder writes onto a `Sheet` (ink masks plus ground truth); `paper.scan` then turns
it into an image. Sizes are those of scans at roughly 200 dpi (1200–1800 px long side).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from archive.samples import marks
from archive.samples.fonts import FontFace, brush_face, printed_face
from archive.samples.paper import HAND, RED_FRAME
from archive.samples.texts import Story, letter_paragraphs, reply_paragraphs, zh_number
from archive.samples.writing import (
    HORIZONTAL,
    VERTICAL,
    Hand,
    Pen,
    Sheet,
    write_column,
    write_latin,
    write_row,
)

MIXED = "mixed"


@dataclass(frozen=True)
class Page:
    """A written sheet with what the ground truth says about it."""

    label: str
    sheet: Sheet
    condition: str
    font: str
    direction: str


def _pen(face: FontFace, size: int, pitch: int, condition: str, intensity: int = 255) -> Pen:
    hand = Hand() if condition == HAND else None
    return Pen(face, size, pitch, hand, intensity)


@dataclass(frozen=True)
class Block:
    """A paragraph to lay out and how many character cells its first line is lowered."""

    text: str
    indent: int = 0


def letter_blocks(paragraphs: list[str]) -> list[Block]:
    """Letter paragraphs with the signature and date written lower, as letter writers did."""
    blocks = [Block(p) for p in paragraphs[:-2]]
    return [*blocks, Block(paragraphs[-2], 9), Block(paragraphs[-1], 5)]


def _lay_out(blocks: list[Block], per_line: int) -> list[Block]:
    lines: list[Block] = []
    for block in blocks:
        room = per_line - block.indent
        lines.extend(
            Block(block.text[i : i + room], block.indent) for i in range(0, len(block.text), room)
        )
    return lines


@dataclass(frozen=True)
class Stationery:
    """Letter paper: size, margins, line spacing and the writing direction it is ruled for."""

    width: int
    height: int
    margin: int
    top: int
    bottom: int
    line_gap: int
    size: int
    pitch: int
    direction: str

    @property
    def per_line(self) -> int:
        span = (
            (self.height - self.top - self.bottom)
            if self.direction == VERTICAL
            else (self.width - 2 * self.margin)
        )
        return span // self.pitch

    @property
    def lines_per_page(self) -> int:
        span = (
            (self.width - 2 * self.margin)
            if self.direction == VERTICAL
            else (self.height - self.top - self.bottom)
        )
        return span // self.line_gap


LETTER_VERTICAL = Stationery(1240, 1640, 110, 150, 120, 92, 50, 58, VERTICAL)
LETTER_HORIZONTAL = Stationery(1240, 1640, 120, 170, 120, 86, 48, 55, HORIZONTAL)
REPLY_PAPER = Stationery(1000, 1400, 90, 130, 110, 88, 48, 56, VERTICAL)


def _rule(sheet: Sheet, paper: Stationery, count: int, intensity: int) -> None:
    if paper.direction == VERTICAL:
        right = paper.width - paper.margin
        xs = [right - i * paper.line_gap for i in range(count + 1)]
        marks.rulings(
            sheet, xs, paper.top - 40, paper.height - paper.bottom + 30, intensity, vertical=True
        )
    else:
        ys = [paper.top + i * paper.line_gap for i in range(count + 1)]
        marks.rulings(
            sheet, ys, paper.margin - 30, paper.width - paper.margin + 30, intensity, vertical=False
        )


def paginate(blocks: list[Block], paper: Stationery) -> list[list[Block]]:
    """Split laid-out lines into pages; a last page never holds fewer than three lines."""
    lines = _lay_out(blocks, paper.per_line)
    step = paper.lines_per_page
    pages = [lines[i : i + step] for i in range(0, len(lines), step)]
    if len(pages) > 1 and len(pages[-1]) < 3:
        moved = 3 - len(pages[-1])
        pages[-1] = pages[-2][-moved:] + pages[-1]
        pages[-2] = pages[-2][:-moved]
    return pages


def written_page(
    label: str,
    lines: list[Block],
    paper: Stationery,
    condition: str,
    face: FontFace,
    rng: random.Random,
    *,
    ruled: bool = True,
) -> Page:
    """One page of stationery written line by line (columns right to left, or rows)."""
    sheet = Sheet(paper.width, paper.height)
    red_frame = condition == RED_FRAME
    strength = 215 if red_frame else rng.randint(60, 95)
    marks.frame(sheet, paper.margin - 40, 6 if red_frame else 3, strength, double=red_frame)
    if ruled:
        _rule(sheet, paper, paper.lines_per_page, strength)
    for i, block in enumerate(lines):
        intensity = rng.randint(205, 255) if condition == HAND else 255
        pen = _pen(face, paper.size, paper.pitch, condition, intensity)
        if paper.direction == VERTICAL:
            x = paper.width - paper.margin - (i + 0.5) * paper.line_gap
            write_column(
                sheet, "ink", block.text, x, paper.top + block.indent * paper.pitch, pen, rng
            )
        else:
            y = paper.top + (i + 0.5) * paper.line_gap
            write_row(
                sheet, "ink", block.text, paper.margin + block.indent * paper.pitch, y, pen, rng
            )
    if red_frame:
        _red_print_over(sheet, paper, rng)
    return Page(label, sheet, condition, face.key, paper.direction)


def _red_print_over(sheet: Sheet, paper: Stationery, rng: random.Random) -> None:
    """Red-frame pages: a printed red stationery motto and a seal lying over the writing."""
    name = rng.choice(("平安家信", "如意吉祥", "家書抵萬金"))
    size = 130
    pen = Pen(printed_face(), size, size + 20, None, 70)
    written = [line.box for line in sheet.lines]
    x, y, w, h = rng.choice(written[: max(1, len(written) * 2 // 3)])
    if paper.direction == VERTICAL:
        column_x, start = x + w / 2, paper.top + rng.randint(0, 300)
        line = write_column(sheet, "red", name, column_x, start, pen, rng)
    else:
        start, row_y = paper.margin + rng.randint(0, 300), y + h / 2
        line = write_row(sheet, "red", name, start, row_y, pen, rng)
    sheet.lines.remove(line)
    sheet.marks.append(line)
    x, y, w, h = rng.choice(written)
    centre = (x + rng.randint(0, w), y + rng.randint(0, h))
    marks.seal(sheet, rng.choice(("平安", "家信", "吉祥如意")), centre, 150, printed_face(), rng)


def letter(
    story: Story, condition: str, face: FontFace, rng: random.Random, *, vertical: bool
) -> list[Page]:
    """The letter (家書) of a qiaopi set, one or two pages."""
    paper = LETTER_VERTICAL if vertical else LETTER_HORIZONTAL
    blocks = letter_blocks(letter_paragraphs(rng, story, rng.randint(1, 3)))
    pages = paginate(blocks, paper)
    return [
        written_page(f"letter p{n}", lines, paper, condition, face, rng)
        for n, lines in enumerate(pages, 1)
    ]


def reply(story: Story, condition: str, rng: random.Random) -> Page:
    """The family's reply (回批), on plain paper, always in a brush hand."""
    blocks = letter_blocks(reply_paragraphs(rng, story))
    lines = paginate(blocks, REPLY_PAPER)[0]
    return written_page("reply", lines, REPLY_PAPER, condition, brush_face(), rng, ruled=False)


def envelope(story: Story, condition: str, rng: random.Random, *, english: bool) -> Page:
    """The envelope front: red frame and address box, vertical address, stamp and seal."""
    sheet = Sheet(820, 1600)
    face = brush_face()
    marks.frame(sheet, 36, 7, 225)
    box = (300, 250, 520, 1270)
    sheet.draw("red").rectangle(box, outline=225, width=5)
    pen = _pen(face, 46, 54, condition)
    write_column(sheet, "ink", f"煩至廣東{story.county.zh}{story.town}", 690, 180, pen, rng)
    write_column(sheet, "ink", f"{story.village}交", 610, 420, pen, rng)
    if story.relation.key in ("mother", "wife"):
        addressee = f"{story.recipient}收"
    else:
        addressee = f"{story.relative.name}{rng.choice(('老先生', '大人', '先生'))}收"
    big = _pen(face, 78, min(96, 960 // len(addressee)), condition)
    write_column(sheet, "ink", addressee, 410, 300, big, rng)
    write_column(sheet, "ink", f"{story.abroad.zh}{story.sender.name}緘", 215, 480, pen, rng)
    write_column(
        sheet, "ink", f"外付{story.currency}{zh_number(story.amount)}元", 125, 420, pen, rng
    )
    marks.postage_stamp(sheet, 80, 80, 110, 130)
    marks.postmark(sheet, (175, 190), 72, rng)
    direction = VERTICAL
    if english:
        typed = Pen(printed_face(), 25, 0)
        for i, text in enumerate(story.english_address):
            write_latin(sheet, "print", text, 70, 1350 + i * 40, typed)
        direction = MIXED
    marks.seal(sheet, story.house.short, (640, 1420), 140, printed_face(), rng)
    if condition == RED_FRAME:
        marks.seal(sheet, story.sender.name, (410, rng.randint(500, 900)), 120, printed_face(), rng)
    return Page("envelope front", sheet, condition, face.key, direction)


def remittance_slip(story: Story, condition: str, rng: random.Random) -> Page:
    """The remittance slip (匯票): printed form with horizontal fields and a vertical note."""
    sheet = Sheet(1600, 1000)
    printed, hand = printed_face(), brush_face()
    marks.frame(sheet, 30, 6, 220)
    label_pen = Pen(printed, 40, 46, None, 255)
    value_pen = _pen(hand, 46, 52, condition)
    title = f"{story.house.zh}匯票"
    write_row(sheet, "print", title, 800 - len(title) * 35, 120, Pen(printed, 64, 70), rng)
    write_row(
        sheet, "print", f"第{zh_number(story.slip_number)}號", 1130, 200, Pen(printed, 32, 36), rng
    )
    fields = (
        ("收款人", story.recipient),
        ("住址", story.receiving_place),
        ("銀數", f"{story.currency}{zh_number(story.amount, formal=True)}元正"),
        ("匯款人", story.sender.name),
        ("寄自", story.abroad.zh),
        ("日期", story.date.text),
    )
    draw = sheet.draw("red")
    top, row = 250, 105
    for i, (label, value) in enumerate(fields):
        y = top + i * row
        draw.rectangle((90, y, 1400, y + row), outline=220, width=3)
        draw.line((330, y, 330, y + row), fill=220, width=3)
        write_row(sheet, "print", label, 110, y + row / 2, label_pen, rng)
        write_row(sheet, "ink", value, 360, y + row / 2, value_pen, rng)
    write_column(sheet, "print", "憑票祈交", 1490, 300, Pen(printed, 48, 60), rng)
    marks.name_chop(sheet, story.house.zh, 1080, top + 2 * row - 40, 44, printed, rng)
    if condition == RED_FRAME:
        marks.seal(sheet, story.sender.name, (700, top + 3 * row), 130, printed, rng)
    return Page("remittance slip", sheet, condition, hand.key, MIXED)


def text_page(
    story: Story, direction: str, condition: str, face: FontFace, rng: random.Random
) -> Page:
    """A single letter page for the OCR benchmark: one page of a letter, nothing else."""
    paper = LETTER_VERTICAL if direction == VERTICAL else LETTER_HORIZONTAL
    blocks = letter_blocks(letter_paragraphs(rng, story, 2))
    return written_page("text", paginate(blocks, paper)[0], paper, condition, face, rng)
