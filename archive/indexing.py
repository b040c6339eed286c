"""Record → search document: a pure function of a published item and its pages' texts."""

from __future__ import annotations

from collections.abc import Mapping

from archive.catalogue.models import Item, Visibility
from search import IndexDocument, PageText

LANGUAGE_FIELDS = {"zh-Hant": "title_zh_hant", "zh-Hans": "title_zh_hans", "en": "title_en"}


def index_document(item: Item, page_texts: Mapping[int, str]) -> IndexDocument:
    """What the index knows of `item`; `page_texts` maps page position → current text."""
    titles = {lang: getattr(item, name) for lang, name in LANGUAGE_FIELDS.items()}
    description = "\n".join(
        d for d in (item.description_zh_hant, item.description_zh_hans, item.description_en) if d
    )
    fields = {
        "date": item.date_text,
        "amount": item.amount_text,
        "accession_number": item.accession_number,
        "donor": item.donor,
        "physical_description": item.physical_description,
    }
    return IndexDocument(
        id=item.identifier,
        titles={lang: title for lang, title in titles.items() if title},
        description=description,
        pages=tuple(
            PageText(page=position, text=text)
            for position, text in sorted(page_texts.items())
            if text
        ),
        fields={label: value for label, value in fields.items() if value},
        type=item.type.value,
        collections=tuple(
            c.title for c in item.collections if c.visibility == Visibility.published
        ),
        sending_place=item.sending_place or None,
        receiving_place=item.receiving_place or None,
        sender=item.sender or None,
        recipient=item.recipient or None,
        remittance_house=item.remittance_house or None,
        currency=item.currency_text or None,
        languages=tuple(item.languages),
        date_start=item.date_start,
        date_end=item.date_end or item.date_start,
    )
