"""Finding the items in the paths given to ingest: every folder that holds scans is one item."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from archive.ingest.validate import is_supported

_ORDER_PREFIX = re.compile(r"^\d+[\s._-]*")


class IngestPathError(ValueError):
    """A path given to ingest (or found in it) that cannot be used; the message says why."""


@dataclass(frozen=True)
class ItemSource:
    """A folder (or single file) of scans that becomes one item; `key` matches the CSV `folder`."""

    key: str
    files: tuple[Path, ...]


def _natural(path: Path) -> list[object]:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", path.name)]


def page_label(path: Path) -> str:
    """A page label from its file name: `02_letter-p1.jpg` → `letter p1`."""
    stem = _ORDER_PREFIX.sub("", path.stem) or path.stem
    return re.sub(r"[-_]+", " ", stem).strip()


def discover(paths: list[Path], *, ignore: frozenset[Path] = frozenset()) -> list[ItemSource]:
    """The items under `paths`, their pages in natural file-name order.

    Files that resolve outside their ingest root (symlinks, path tricks) and files of
    unsupported types are refused, naming the file; hidden files and `ignore` are passed over.
    """
    sources: list[ItemSource] = []
    for given in paths:
        if not given.exists():
            raise IngestPathError(f"{given}: no such file or folder")
        root = given.resolve()
        if given.is_file():
            _check_file(given, root.parent)
            sources.append(ItemSource(key=given.stem, files=(given,)))
            continue
        sources.extend(_walk(given, root, ignore))
    keys = [s.key for s in sources]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise IngestPathError(
            f"two folders would become the same item: {', '.join(duplicates)}; "
            "ingest them in separate runs or rename one"
        )
    return sources


def _walk(folder: Path, root: Path, ignore: frozenset[Path]) -> list[ItemSource]:
    by_dir: dict[Path, list[Path]] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or path.resolve() in ignore:
            continue
        if path.is_dir():
            _inside(path, root)
            continue
        _check_file(path, root)
        by_dir.setdefault(path.parent, []).append(path)
    sources = []
    for directory, files in by_dir.items():
        relative = directory.relative_to(folder)
        key = folder.resolve().name if relative == Path(".") else relative.as_posix()
        sources.append(ItemSource(key=key, files=tuple(sorted(files, key=_natural))))
    return sources


def _inside(path: Path, root: Path) -> None:
    if not path.resolve().is_relative_to(root):
        raise IngestPathError(
            f"{path}: points outside the ingest root {root}; copy the file in instead of linking"
        )


def _check_file(path: Path, root: Path) -> None:
    _inside(path, root)
    if not is_supported(path):
        raise IngestPathError(
            f"{path}: unsupported file type {path.suffix or '(none)'}; "
            "ingest takes JPEG, PNG and TIFF scans"
        )
