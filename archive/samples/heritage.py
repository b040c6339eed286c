"""Synthetic photographs of Kaiping Diaolou objects: a watchtower, a trunk, a lamp, a door.

Plain drawn shapes on gradients with a little grain and blur: enough for ingest, IIIF
tiling and "a photograph with no text" tests, not meant to fool anyone.
"""

from __future__ import annotations

import random

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from archive.samples.paper import noise

PHOTO_SIZE = (1600, 1200)


def _gradient(
    size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]
) -> Image.Image:
    column = Image.new("RGB", (1, 256))
    for y in range(256):
        column.putpixel(
            (0, y), tuple(t + (b - t) * y // 255 for t, b in zip(top, bottom, strict=True))
        )
    return column.resize(size, Image.Resampling.BILINEAR)


def _tower(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    w, h = PHOTO_SIZE
    draw.rectangle((0, int(h * 0.78), w, h), fill=(96, 118, 70))
    for _ in range(6):
        x = rng.randint(0, w)
        draw.ellipse((x - 120, h * 0.62, x + 120, h * 0.84), fill=(52, 84, 48))
    left, right, top = int(w * 0.40), int(w * 0.60), int(h * 0.22)
    wall = (rng.randint(170, 200), rng.randint(160, 185), 150)
    draw.rectangle((left, top, right, int(h * 0.82)), fill=wall)
    draw.rectangle((left - 30, top - 60, right + 30, top), fill=(150, 140, 128))
    for i in range(4):
        ax = left - 20 + i * (right - left + 40) // 4
        draw.arc((ax, top - 50, ax + 70, top + 10), 180, 360, fill=(90, 80, 70), width=5)
    draw.ellipse((left + 40, top - 150, right - 40, top - 40), fill=(160, 150, 136))
    for row in range(5):
        for col in range(2):
            x = left + 35 + col * (right - left - 100)
            y = top + 60 + row * 110
            draw.rectangle((x, y, x + 30, y + 50), fill=(40, 36, 34))


def _trunk(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    w, h = PHOTO_SIZE
    draw.rectangle((0, int(h * 0.7), w, h), fill=(110, 72, 44))
    body = (int(w * 0.2), int(h * 0.3), int(w * 0.8), int(h * 0.78))
    draw.rectangle(body, fill=(rng.randint(90, 120), 52, 30))
    for x in (body[0] + 60, body[2] - 90):
        draw.rectangle((x, body[1], x + 30, body[3]), fill=(176, 142, 70))
    draw.rectangle((body[0], body[1] + 70, body[2], body[1] + 90), fill=(176, 142, 70))
    cx = (body[0] + body[2]) // 2
    draw.rectangle((cx - 30, body[1] + 100, cx + 30, body[1] + 170), fill=(200, 170, 90))


def _lamp(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    w, h = PHOTO_SIZE
    cx = w // 2 + rng.randint(-100, 100)
    draw.ellipse((cx - 160, h * 0.72, cx + 160, h * 0.82), fill=(120, 96, 50))
    draw.ellipse((cx - 120, h * 0.48, cx + 120, h * 0.76), fill=(150, 120, 60))
    draw.ellipse((cx - 70, h * 0.15, cx + 70, h * 0.5), fill=(214, 226, 222))
    draw.ellipse((cx - 18, h * 0.36, cx + 18, h * 0.46), fill=(255, 190, 80))


def _door(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    w, h = PHOTO_SIZE
    frame = (int(w * 0.3), int(h * 0.1), int(w * 0.7), int(h * 0.95))
    draw.rectangle(frame, fill=(58, 60, 62))
    for row in range(8):
        for col in range(6):
            x = frame[0] + 50 + col * (frame[2] - frame[0] - 100) // 5
            y = frame[1] + 60 + row * (frame[3] - frame[1] - 120) // 7
            draw.ellipse((x - 9, y - 9, x + 9, y + 9), fill=(120, 118, 112))
    handle_x = frame[2] - 70 + rng.randint(-10, 10)
    draw.ellipse(
        (handle_x - 25, h * 0.5, handle_x + 25, h * 0.5 + 50), outline=(150, 130, 90), width=6
    )


_SUBJECTS = {"tower": _tower, "trunk": _trunk, "lamp": _lamp, "door": _door}
_BACKDROPS = {
    "tower": ((130, 170, 214), (226, 232, 236)),
    "trunk": ((200, 186, 160), (150, 136, 110)),
    "lamp": ((40, 36, 34), (90, 80, 70)),
    "door": ((180, 176, 168), (140, 136, 128)),
}


def photo(subject: str, rng: random.Random, *, detail: bool = False) -> Image.Image:
    """A photograph of one kind of object; `detail` crops in closer, as a second shot."""
    top, bottom = _BACKDROPS[subject]
    image = _gradient(PHOTO_SIZE, top, bottom)
    _SUBJECTS[subject](ImageDraw.Draw(image), rng)
    if detail:
        w, h = PHOTO_SIZE
        image = image.crop((w // 4, h // 6, w * 3 // 4, h * 2 // 3)).resize(
            PHOTO_SIZE, Image.Resampling.BICUBIC
        )
    grain = noise(rng, PHOTO_SIZE).point([v // 16 for v in range(256)])
    image = ImageChops.add(image, Image.merge("RGB", (grain, grain, grain)), 1.0, -8)
    return image.filter(ImageFilter.GaussianBlur(1.2))
