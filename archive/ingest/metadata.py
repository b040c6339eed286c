"""Reading the metadata CSV of a bulk ingest: one row per item, keyed by its folder."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from archive.catalogue.fields import NewItem

REQUIRED_COLUMNS = ("folder",)
# CSV column → catalogue field, where the names differ.
RENAMED = {"currency": "currency_text", "language": "languages"}
OPTIONAL_COLUMNS = (
    "identifier",
    "type",
    "title_zh_hant",
    "title_zh_hans",
    "title_en",
    "description_zh_hant",
    "description_zh_hans",
    "description_en",
    "date_text",
    "sender",
    "recipient",
    "sending_place",
    "receiving_place",
    "amount_text",
    "currency",
    "remittance_house",
    "language",
    "collection",
    "visibility",
    "accession_number",
    "donor",
    "rights",
    "physical_description",
    "provenance",
)


class MetadataError(ValueError):
    """The metadata CSV cannot be used; the message names the file, row and column."""


@dataclass(frozen=True)
class ItemMetadata:
    """What the CSV says of one item."""

    item: NewItem
    collections: tuple[str, ...]
    row: int


def slugify(text: str) -> str:
    """A public identifier from a folder name: lower-case ASCII letters, digits, `-`, `.`, `_`."""
    slug = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")
    return slug[:128]


def read_metadata(path: Path) -> dict[str, ItemMetadata]:
    """The rows of a metadata CSV by folder, validated; raises MetadataError on any problem."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in reader.fieldnames or []]
            _check_header(path, header)
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise MetadataError(f"{path}: cannot read the CSV ({exc}); save it as UTF-8") from exc
    result: dict[str, ItemMetadata] = {}
    for number, row in enumerate(rows, start=2):
        entry = _parse_row(path, number, {k.strip(): (v or "").strip() for k, v in row.items()})
        folder = row["folder"].strip()
        if folder in result:
            raise MetadataError(f"{path}, row {number}: folder {folder!r} appears twice")
        result[folder] = entry
    return result


def _check_header(path: Path, header: list[str]) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise MetadataError(f"{path}: missing column(s) {', '.join(missing)} in the header row")
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise MetadataError(
            f"{path}: unknown column(s) {', '.join(unknown)}; "
            f"known columns: {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}"
        )


def _parse_row(path: Path, number: int, row: dict[str, str]) -> ItemMetadata:
    folder = row["folder"]
    if not folder or Path(folder).is_absolute() or ".." in Path(folder).parts:
        raise MetadataError(
            f"{path}, row {number}: folder {folder!r} must be a relative path in the ingest root"
        )
    values: dict[str, object] = {}
    for column, value in row.items():
        if column in ("folder", "collection") or value == "":
            continue
        name = RENAMED.get(column, column)
        values[name] = (
            [v.strip() for v in value.split(";") if v.strip()] if name == "languages" else value
        )
    values.setdefault("identifier", slugify(folder))
    try:
        item = NewItem.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise MetadataError(f"{path}, row {number} (folder {folder!r}): {problems}") from exc
    collections = tuple(c.strip() for c in row.get("collection", "").split(";") if c.strip())
    return ItemMetadata(item=item, collections=collections, row=number)
