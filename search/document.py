"""The index document: plain data the archive builds from a published item.

It carries everything search needs (texts to match and show, facet values, dates), so the
search library never reaches into the catalogue and a hit can be shown without it.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from search.gazetteer import default_gazetteer
from search.romanise import name_reading

FacetName = Literal[
    "type",
    "collection",
    "sending_place",
    "receiving_place",
    "sender",
    "recipient",
    "remittance_house",
    "currency",
    "year",
    "decade",
    "language",
    "has_transcription",
]
FACETS: tuple[FacetName, ...] = get_args(FacetName)
"""Every facet the index counts, in the order they are shown."""


class PageText(BaseModel):
    """The transcription of one page (curator-corrected text if any, else machine OCR)."""

    model_config = ConfigDict(frozen=True)

    page: int = Field(ge=1)
    text: str


class IndexDocument(BaseModel):
    """What the index knows of one published item."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1, max_length=200)
    titles: dict[str, str] = Field(default_factory=dict)
    """Title per language tag (`zh-Hant`, `zh-Hans`, `en`)."""
    description: str = ""
    pages: tuple[PageText, ...] = ()
    fields: dict[str, str] = Field(default_factory=dict)
    """Other structured fields (label → value), searchable as text, e.g. the date as written."""
    type: str | None = None
    collections: tuple[str, ...] = ()
    sending_place: str | None = None
    receiving_place: str | None = None
    sender: str | None = None
    recipient: str | None = None
    remittance_house: str | None = None
    currency: str | None = None
    languages: tuple[str, ...] = ()
    date_start: datetime.date | None = None
    date_end: datetime.date | None = None
    readings: dict[str, str] = Field(default_factory=lambda data: _readings(data))
    """Romanised readings of the Han names (name → "Wong A Wa; huang ya hua"), filled in from
    the name fields when not given, and stored with the document so a search shows them
    without loading the romanisation libraries (see `search.romanise`)."""

    @field_validator("id")
    @classmethod
    def _printable_id(cls, value: str) -> str:
        if not value.isprintable() or value != value.strip():
            raise ValueError("id must be printable text without surrounding spaces")
        return value

    @model_validator(mode="after")
    def _date_order(self) -> IndexDocument:
        if self.date_start and self.date_end and self.date_end < self.date_start:
            raise ValueError(f"date_end {self.date_end} is before date_start {self.date_start}")
        return self

    @property
    def transcription(self) -> str:
        """All pages in order, joined by line breaks (a phrase may run across pages)."""
        return "\n".join(page.text for page in sorted(self.pages, key=lambda p: p.page))

    @property
    def has_transcription(self) -> bool:
        """True when some page has text."""
        return any(page.text.strip() for page in self.pages)

    @property
    def year(self) -> int | None:
        """The year the item starts in, for the year facet."""
        return self.date_start.year if self.date_start else None

    def facet_values(self) -> dict[FacetName, tuple[str, ...]]:
        """The facet values of this document, as shown to users (display form)."""
        year = self.year
        single: dict[FacetName, str | None] = {
            "type": self.type,
            "sending_place": self.sending_place,
            "receiving_place": self.receiving_place,
            "sender": self.sender,
            "recipient": self.recipient,
            "remittance_house": self.remittance_house,
            "currency": self.currency,
            "year": str(year) if year is not None else None,
            "decade": f"{year // 10 * 10}s" if year is not None else None,
            "has_transcription": "true" if self.has_transcription else "false",
        }
        values: dict[FacetName, tuple[str, ...]] = {
            name: (value,) for name, value in single.items() if value
        }
        values["collection"] = tuple(dict.fromkeys(self.collections))
        values["language"] = tuple(dict.fromkeys(self.languages))
        return {name: values.get(name, ()) for name in FACETS}

    def text_parts(self) -> list[tuple[str, str]]:
        """Searchable text as (field label, original text), in a stable order.

        A name in Han characters carries its romanised reading in brackets, "黃亞華 (Wong A Wa;
        huang ya hua)", so romanised queries match it and their highlight shows the name as
        written beside the spelling that matched.
        """
        return [(label, text) for label, _, text in self.keyed_text_parts()]

    def keyed_text_parts(self) -> list[tuple[str, str | None, str]]:
        """`text_parts` with each part's key for `part_text`: a title's language, a field's
        label, the name field a name is in (None for the description and transcription)."""
        parts: list[tuple[str, str | None, str]] = [
            (f"title.{lang}", lang, title) for lang, title in sorted(self.titles.items())
        ]
        parts.append(("description", None, self.description))
        parts.append(("transcription", None, self.transcription))
        fields = sorted(self.fields.items())
        parts.extend((f"field.{label}", label, value) for label, value in fields)
        parts.extend(("facet", field, self._name_text(field)) for field, _ in _NAME_FIELDS)
        return [part for part in parts if part[2].strip()]

    def part_text(self, label: str, key: str | None) -> str:
        """The text of one of `keyed_text_parts` without building the others: what a hit's
        highlight shows, found from what was stored at index time."""
        if label == "description":
            return self.description
        if label == "transcription":
            return self.transcription
        if label == "facet":
            return self._name_text(key or "")
        if label.startswith("title."):
            return self.titles.get(key or "", "")
        return self.fields.get(key or "", "")

    def _name_text(self, field: str) -> str:
        """A name field's value with its romanised reading in brackets ("" if none)."""
        value = getattr(self, field, None)
        if not value:
            return ""
        # A stored "" is final too (a place the gazetteer spells): no lookup again.
        found = self.readings.get(value)
        reading = found if found is not None else _reading(value, _NAME_KINDS[field])
        return f"{value} ({reading})" if reading else value


NameKind = Literal["person", "place", "house"]
_NAME_FIELDS: tuple[tuple[str, NameKind], ...] = (
    ("sender", "person"),
    ("recipient", "person"),
    ("sending_place", "place"),
    ("receiving_place", "place"),
    ("remittance_house", "house"),
)
"""Name fields indexed with their romanised readings, and what they name."""
_NAME_KINDS = dict(_NAME_FIELDS)


def _readings(fields: dict[str, Any]) -> dict[str, str]:
    """The readings of a document's names, from its other (validated) fields."""
    readings: dict[str, str] = {}
    for field, kind in _NAME_FIELDS:
        value = fields.get(field)
        if value and value not in readings:
            readings[value] = _reading(value, kind)  # "" too: nothing to add, look no more
    return readings


def _reading(name: str, kind: NameKind) -> str:
    """The romanised reading of a name; none for a place the gazetteer knows, whose
    curated spellings (Toishan, Hoisan, Sunning...) queries expand to already."""
    if kind == "place" and default_gazetteer().lookup(name):
        return ""
    return name_reading(name, person=kind == "person")
