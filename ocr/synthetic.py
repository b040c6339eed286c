"""Render pages of known text, for tests and for the benchmark when no corpus is at hand.

Uses the system CJK fonts (fonts-arphic-ukai/uming: brush-like and Ming; fonts-noto-cjk).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ocr.errors import OcrError
from ocr.model import Direction

FONTS = {
    "kai": Path("/usr/share/fonts/truetype/arphic/ukai.ttc"),
    "ming": Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
    "serif": Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    "latin": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
}
PAPER = (244, 236, 214)
INK = (28, 24, 20)
RED = (196, 38, 36)


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """A font by short name ("kai", "ming", "serif", "latin")."""
    path = FONTS[name]
    if not path.exists():
        raise OcrError(
            f"font {path} is missing; install fonts-arphic-ukai, fonts-arphic-uming, "
            "fonts-noto-cjk and fonts-dejavu-core"
        )
    return ImageFont.truetype(str(path), size)


def render_page(
    lines: list[str],
    direction: Direction,
    font_name: str = "ming",
    size: int = 40,
    red_frame: bool = False,
    english: str = "",
) -> Image.Image:
    """An RGB page with ``lines`` written vertically (right to left) or horizontally.

    ``red_frame`` adds a printed red border and column rules; ``english`` adds an address
    line at the bottom, as on an envelope.
    """
    pitch = int(size * 1.15)
    gap = int(size * 1.8)
    longest = max((len(line) for line in lines), default=1)
    margin = size * 2
    if direction is Direction.VERTICAL:
        width, height = margin * 2 + gap * len(lines), margin * 2 + pitch * longest
    else:
        width, height = margin * 2 + pitch * longest, margin * 2 + gap * len(lines)
    if english:
        height += size * 2
    image = Image.new("RGB", (max(width, 16 * len(english) + 2 * margin), height), PAPER)
    draw = ImageDraw.Draw(image)
    face = font(font_name, size)
    for i, line in enumerate(lines):
        for k, char in enumerate(line):
            if direction is Direction.VERTICAL:
                xy = (image.width - margin - size - i * gap, margin + k * pitch)
            else:
                xy = (margin + k * pitch, margin + i * gap)
            draw.text(xy, char, font=face, fill=INK)
    if red_frame:
        draw.rectangle(
            (size // 2, size // 2, image.width - size // 2, height - size // 2),
            outline=RED,
            width=5,
        )
        if direction is Direction.VERTICAL:
            for i in range(len(lines) + 1):
                x = image.width - margin - size - i * gap + size + (gap - size) // 2
                draw.line((x, margin // 2, x, height - margin // 2), fill=RED, width=2)
    if english:
        draw.text(
            (margin, height - int(size * 1.6)),
            english,
            font=font("latin", int(size * 0.6)),
            fill=INK,
        )
    return image
