"""The editable fields of an item, validated once for the API, the CSV ingest and the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Optional

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    create_model,
    model_validator,
)

from archive.catalogue.models import ItemType, Visibility

IDENTIFIER_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,127}$"
Identifier = Annotated[str, StringConstraints(pattern=IDENTIFIER_PATTERN)]
ShortText = Annotated[str, StringConstraints(max_length=2_000, strip_whitespace=True)]
LongText = Annotated[str, StringConstraints(max_length=50_000)]


class ItemFields(BaseModel):
    """Catalogue fields of an item (everything but its pages and bookkeeping)."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)

    type: ItemType = ItemType.qiaopi
    title_zh_hant: ShortText = ""
    title_zh_hans: ShortText = ""
    title_en: ShortText = ""
    description_zh_hant: LongText = ""
    description_zh_hans: LongText = ""
    description_en: LongText = ""
    date_text: ShortText = ""
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    date_certainty: Annotated[str, StringConstraints(max_length=32)] = ""
    sender: ShortText = ""
    recipient: ShortText = ""
    sending_place: ShortText = ""
    receiving_place: ShortText = ""
    amount_text: ShortText = ""
    amount_value: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)] | None = None
    currency_text: Annotated[str, StringConstraints(max_length=64, strip_whitespace=True)] = ""
    currency_code: Annotated[str, StringConstraints(max_length=16, strip_whitespace=True)] = ""
    remittance_house: ShortText = ""
    languages: list[
        Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$")]
    ] = []
    physical_description: LongText = ""
    provenance: LongText = ""
    donor: ShortText = ""
    accession_number: Annotated[str, StringConstraints(max_length=128, strip_whitespace=True)] = ""
    rights: ShortText = ""
    visibility: Visibility = Visibility.draft

    @model_validator(mode="after")
    def _date_range_in_order(self) -> ItemFields:
        if self.date_start and self.date_end and self.date_end < self.date_start:
            raise ValueError("date_end is before date_start")
        return self


class NewItem(ItemFields):
    """An item to create: its fields plus its stable public identifier."""

    identifier: Identifier


def _optional_fields() -> dict[str, Any]:
    return {
        name: (Optional[info.annotation], None)  # noqa: UP045 (a runtime type expression)
        for name, info in ItemFields.model_fields.items()
    }


ItemUpdate: type[BaseModel] = create_model(
    "ItemUpdate",
    __config__=ConfigDict(extra="forbid"),
    __doc__="A partial update of an item: only the fields sent are changed.",
    **_optional_fields(),
)


def apply_update(current: ItemFields, update: BaseModel) -> ItemFields:
    """The current fields with the fields set in `update` applied, validated as a whole."""
    return ItemFields.model_validate(
        {**current.model_dump(), **update.model_dump(exclude_unset=True)}
    )
