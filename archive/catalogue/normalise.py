"""Normalised forms derived from what is written: an ISO date range and an amount + currency.

The text as written is never changed. A derived field is filled only when its source text is
new or changed and the curator did not give the derived value themselves; a text the parsers
cannot read simply leaves the derived fields empty (the written form is still there).
"""

from __future__ import annotations

from typing import Any

from archive.catalogue.fields import ItemFields
from search.dates import DateParseError, parse_date
from search.money import AmountParseError, parse_amount


def with_normalised(fields: ItemFields, before: ItemFields | None = None) -> ItemFields:
    """`fields` with the date range and amount derived from their written forms where due."""
    updates: dict[str, Any] = {}
    if _derive(fields, before, "date_text", ("date_start", "date_end", "date_certainty")):
        updates.update(date_start=None, date_end=None, date_certainty="")
        if fields.date_text:
            try:
                parsed = parse_date(fields.date_text)
            except DateParseError:
                pass
            else:
                updates.update(
                    date_start=parsed.start, date_end=parsed.end, date_certainty=parsed.certainty
                )
    if _derive(fields, before, "amount_text", ("amount_value", "currency_code")):
        updates.update(amount_value=None, currency_code="")
        if fields.amount_text:
            try:
                amount = parse_amount(fields.amount_text)
            except AmountParseError:
                pass
            else:
                updates.update(amount_value=amount.amount, currency_code=amount.currency or "")
                if not fields.currency_text and amount.currency_written:
                    updates["currency_text"] = amount.currency_written
    return fields.model_copy(update=updates) if updates else fields


def _derive(
    fields: ItemFields, before: ItemFields | None, source: str, derived: tuple[str, ...]
) -> bool:
    if before is None:
        return not any(getattr(fields, name) for name in derived)
    source_changed = getattr(fields, source) != getattr(before, source)
    derived_given = any(getattr(fields, n) != getattr(before, n) for n in derived)
    return source_changed and not derived_given
