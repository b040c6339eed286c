"""Find the Debian CJK fonts the sample generator draws with, and load them cached.

Fonts are looked up by file name with `fc-list` (then at Debian's usual paths), and the
traditional-Chinese face is picked inside each TrueType collection by its family name.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

FontFile = ImageFont.FreeTypeFont


class MissingFontError(RuntimeError):
    """No usable CJK font is installed; the message names the Debian package to install."""


@dataclass(frozen=True)
class FontFace:
    """One face of a font file: a short key used in ground truth, the file and face index."""

    key: str
    path: Path
    index: int
    brush: bool


@dataclass(frozen=True)
class _Wanted:
    key: str
    file_name: str
    family: str
    package: str
    brush: bool


_WANTED = (
    _Wanted("ukai", "ukai.ttc", "AR PL UKai TW", "fonts-arphic-ukai", True),
    _Wanted("uming", "uming.ttc", "AR PL UMing TW", "fonts-arphic-uming", False),
    _Wanted(
        "noto-serif-tc", "NotoSerifCJK-Regular.ttc", "Noto Serif CJK TC", "fonts-noto-cjk", False
    ),
    _Wanted("noto-sans-tc", "NotoSansCJK-Regular.ttc", "Noto Sans CJK TC", "fonts-noto-cjk", False),
)

_DEBIAN_DIRS = (
    Path("/usr/share/fonts/truetype/arphic"),
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/truetype/noto"),
)


def _fc_list_files() -> list[Path]:
    if shutil.which("fc-list") is None:
        return []
    listed = subprocess.run(
        ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False
    ).stdout
    return [Path(line.rstrip(":").strip()) for line in listed.splitlines() if line.strip()]


def _find_file(file_name: str, listed: list[Path]) -> Path | None:
    for path in listed:
        if path.name == file_name and path.is_file():
            return path
    for folder in _DEBIAN_DIRS:
        candidate = folder / file_name
        if candidate.is_file():
            return candidate
    return None


def _face_index(path: Path, family: str) -> int | None:
    index = 0
    while True:
        try:
            face = ImageFont.truetype(str(path), 12, index=index)
        except OSError:
            return None
        if face.getname()[0] == family:
            return index
        index += 1


@functools.cache
def available_faces() -> tuple[FontFace, ...]:
    """The CJK faces installed here, brush (kai) first; fails naming packages if kai is absent."""
    listed = _fc_list_files()
    faces: list[FontFace] = []
    for wanted in _WANTED:
        path = _find_file(wanted.file_name, listed)
        index = None if path is None else _face_index(path, wanted.family)
        if path is not None and index is not None:
            faces.append(FontFace(wanted.key, path, index, wanted.brush))
    if not faces or not faces[0].brush:
        missing = ", ".join(sorted({w.package for w in _WANTED}))
        raise MissingFontError(
            "The sample generator needs the brush-style CJK font 'AR PL UKai TW'. "
            "Install the Debian package fonts-arphic-ukai (recommended also: "
            f"{missing}), e.g. `apt-get install -y fonts-arphic-ukai fonts-arphic-uming "
            "fonts-noto-cjk`."
        )
    return tuple(faces)


def brush_face() -> FontFace:
    """The kai (brush) face used for handwriting-like text."""
    return available_faces()[0]


def face(key: str) -> FontFace:
    """The installed face with this key, or the brush face when that one is not installed."""
    for candidate in available_faces():
        if candidate.key == key:
            return candidate
    return brush_face()


def printed_face() -> FontFace:
    """A printed-looking (Ming/Song) face for form labels and English addresses."""
    for key in ("noto-serif-tc", "uming"):
        for candidate in available_faces():
            if candidate.key == key:
                return candidate
    return brush_face()


@functools.lru_cache(maxsize=256)
def load(font: FontFace, size: int) -> FontFile:
    """A loaded font at a pixel size; cached because loading CJK collections is slow."""
    return ImageFont.truetype(str(font.path), size, index=font.index)
