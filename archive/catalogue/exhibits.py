"""Exhibits: a narrative in sections, each with text and an item, page or image region.

Titles, summaries, headings and bodies are language maps (`zh-Hant`, `zh-Hans`, `en`). Every
change is checked whole before anything is written, and recorded in the audit log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.catalogue.audit import record_change
from archive.catalogue.collections import CurationError, Slug
from archive.catalogue.fields import Identifier
from archive.catalogue.items import find_item
from archive.catalogue.models import Exhibit, ExhibitSection, Item, Page, Visibility
from archive.ingest.metadata import slugify

LANGUAGES = ("zh-Hant", "zh-Hans", "en")
Language = Literal["zh-Hant", "zh-Hans", "en"]
REGION_PATTERN = r"^\d{1,6},\d{1,6},\d{1,6},\d{1,6}$"
MAX_SECTIONS = 200


TitleMap = dict[Language, Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]]
SummaryMap = dict[
    Language, Annotated[str, StringConstraints(strip_whitespace=True, max_length=5_000)]
]
HeadingMap = TitleMap
BodyMap = dict[
    Language, Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
]
Region = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^$|" + REGION_PATTERN)]
PageNumber = Annotated[int, Field(ge=1, le=100_000)]


def _without_empty(values: dict[str, str]) -> dict[str, str]:
    return {lang: values[lang] for lang in LANGUAGES if values.get(lang)}


class _Texts(BaseModel):
    """Language maps are kept without empty values, in a fixed order."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _drop_empty(cls, value: Any) -> Any:
        return _without_empty(value) if isinstance(value, dict) else value


class NewExhibit(_Texts):
    """An exhibit to create (a draft); its slug is derived from the title unless given."""

    title: TitleMap
    summary: SummaryMap = {}
    slug: Slug | None = None

    @field_validator("title", mode="after")
    @classmethod
    def _has_a_title(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError("give a title in at least one language (zh-Hant, zh-Hans or en)")
        return value


class ExhibitUpdate(_Texts):
    """A partial change of an exhibit: only the fields sent change (the slug never does)."""

    title: TitleMap | None = None
    summary: SummaryMap | None = None
    visibility: Visibility | None = None

    @field_validator("title", mode="after")
    @classmethod
    def _title_not_emptied(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is not None and not value:
            raise ValueError("give a title in at least one language (zh-Hant, zh-Hans or en)")
        return value


class SectionFields(_Texts):
    """One section: heading and body text, and optionally an item, one of its pages (by
    number, from 1) and a region `x,y,w,h` in that page's pixels (the first page if none)."""

    heading: HeadingMap = {}
    body: BodyMap = {}
    item: Identifier | None = None
    page: PageNumber | None = None
    region: Region = ""

    @field_validator("region", mode="after")
    @classmethod
    def _canonical_region(cls, value: str) -> str:
        return ",".join(str(int(n)) for n in value.split(",")) if value else value


class SectionUpdate(_Texts):
    """A partial change of a section: only the fields sent change (send null to clear)."""

    heading: HeadingMap | None = None
    body: BodyMap | None = None
    item: Identifier | None = None
    page: PageNumber | None = None
    region: Region | None = None


def exhibit_slug(title: Mapping[Language, str]) -> str:
    """A slug from the English title, else a hash of the Chinese one."""
    latin = slugify(title.get("en", ""))
    if latin:
        return latin
    text = title.get("zh-Hant") or title.get("zh-Hans") or ""
    return "exhibit-" + hashlib.sha256(text.encode()).hexdigest()[:10]


def find_exhibit(session: Session, slug: str) -> Exhibit | None:
    """The exhibit with this slug, whatever its visibility."""
    return session.scalar(select(Exhibit).where(Exhibit.slug == slug))


def find_section(exhibit: Exhibit, section_id: int) -> ExhibitSection | None:
    """The section of this exhibit with this id (None if it belongs to another)."""
    return next((s for s in exhibit.sections if s.id == section_id), None)


def create_exhibit(session: Session, new: NewExhibit, *, actor: str) -> Exhibit:
    """Create a draft exhibit with no sections yet; audited."""
    slug = new.slug or exhibit_slug(new.title)
    if find_exhibit(session, slug) is not None:
        raise CurationError(
            "slug" if new.slug else "title",
            "slug_taken",
            f"an exhibit with the web address {slug!r} already exists; "
            "choose another title or give another slug",
            conflict=True,
            slug=slug,
        )
    exhibit = Exhibit(
        slug=slug,
        title=_stored(new.title),
        summary=_stored(new.summary),
        visibility=Visibility.draft,
    )
    session.add(exhibit)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create",
        entity="exhibit",
        entity_id=slug,
        changes=new.model_dump(mode="json", exclude_none=True) | {"visibility": "draft"},
    )
    return exhibit


def update_exhibit(
    session: Session, exhibit: Exhibit, update: ExhibitUpdate, *, actor: str
) -> dict[str, Any]:
    """Apply the fields sent (title, summary, visibility) and record what changed."""
    changes: dict[str, Any] = {}
    for name, value in update.model_dump(exclude_none=True).items():
        old = getattr(exhibit, name)
        if old != value:
            changes[name] = [_plain(old), _plain(value)]
            setattr(exhibit, name, value)
    if changes:
        _audit(session, exhibit, "update", changes, actor)
    return changes


def section_fields(session: Session, section: ExhibitSection) -> SectionFields:
    """The current fields of a stored section, as a curator would send them."""
    item = session.get(Item, section.item_id) if section.item_id else None
    page = session.get(Page, section.page_id) if section.page_id else None
    return SectionFields.model_validate(
        {
            "heading": section.heading,
            "body": section.body,
            "item": item.identifier if item else None,
            "page": page.position if page else None,
            "region": section.region,
        }
    )


def add_section(
    session: Session, exhibit: Exhibit, fields: SectionFields, *, actor: str
) -> ExhibitSection:
    """Add a section at the end of the exhibit, after checking its item, page and region."""
    if len(exhibit.sections) >= MAX_SECTIONS:
        raise CurationError(
            "section",
            "too_many_sections",
            f"an exhibit has at most {MAX_SECTIONS} sections",
            max=MAX_SECTIONS,
        )
    item, page = _resolve(session, fields)
    section = ExhibitSection(
        exhibit_id=exhibit.id,
        position=max((s.position for s in exhibit.sections), default=0) + 1,
        heading=_stored(fields.heading),
        body=_stored(fields.body),
        item_id=item.id if item else None,
        page_id=page.id if page and fields.page else None,
        region=fields.region,
    )
    session.add(section)
    session.flush()
    session.expire(exhibit, ["sections"])
    _audit(
        session,
        exhibit,
        "add-section",
        {"section": section.id, **fields.model_dump(mode="json", exclude_defaults=True)},
        actor,
    )
    return section


def update_section(
    session: Session,
    exhibit: Exhibit,
    section: ExhibitSection,
    update: SectionUpdate,
    *,
    actor: str,
) -> dict[str, Any]:
    """Apply the fields sent to a section (checked whole, as when adding) and audit it."""
    current = section_fields(session, section)
    merged = SectionFields.model_validate(
        current.model_dump() | update.model_dump(exclude_unset=True)
    )
    item, page = _resolve(session, merged)
    before = current.model_dump(mode="json")
    after = merged.model_dump(mode="json")
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        section.heading = _stored(merged.heading)
        section.body = _stored(merged.body)
        section.item_id = item.id if item else None
        section.page_id = page.id if page and merged.page else None
        section.region = merged.region
        _audit(session, exhibit, "update-section", {"section": section.id, **changes}, actor)
    return changes


def remove_section(
    session: Session, exhibit: Exhibit, section: ExhibitSection, *, actor: str
) -> None:
    """Remove a section (its item stays) and close the gap in the numbering."""
    removed = section_fields(session, section).model_dump(mode="json", exclude_defaults=True)
    exhibit.sections.remove(section)
    for position, rest in enumerate(exhibit.sections, start=1):
        rest.position = position
    _audit(session, exhibit, "remove-section", {"section": section.id, **removed}, actor)


def reorder_sections(session: Session, exhibit: Exhibit, order: list[int], *, actor: str) -> None:
    """Put the sections in the order given: every section id of the exhibit, once each."""
    current = [s.id for s in exhibit.sections]
    if sorted(order) != sorted(current) or len(set(order)) != len(order):
        raise CurationError(
            "order",
            "bad_order",
            f"give every section id of the exhibit once, in the new order: {current}",
            sections=", ".join(map(str, current)),
        )
    if order == current:
        return
    by_id = {s.id: s for s in exhibit.sections}
    for position, section_id in enumerate(order, start=1):
        by_id[section_id].position = position
    session.flush()
    session.expire(exhibit, ["sections"])
    _audit(session, exhibit, "reorder-sections", {"order": [current, order]}, actor)


def move_section(
    session: Session, exhibit: Exhibit, section: ExhibitSection, offset: int, *, actor: str
) -> None:
    """Move a section up (-1) or down (+1) one place; at either end nothing moves."""
    order = [s.id for s in exhibit.sections]
    index = order.index(section.id)
    target = index + offset
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
        reorder_sections(session, exhibit, order, actor=actor)


def delete_exhibit(session: Session, exhibit: Exhibit, *, actor: str) -> None:
    """Delete a draft exhibit and its sections (the items stay); a published one is refused."""
    if exhibit.visibility == Visibility.published:
        raise CurationError(
            "exhibit",
            "delete_published",
            f"exhibit {exhibit.slug!r} is published; unpublish it before deleting it",
            conflict=True,
        )
    _audit(
        session,
        exhibit,
        "delete",
        {
            "title": exhibit.title,
            "sections": [
                section_fields(session, s).model_dump(mode="json") for s in exhibit.sections
            ],
        },
        actor,
    )
    session.delete(exhibit)


def parse_region(region: str) -> tuple[int, int, int, int] | None:
    """`x,y,w,h` as four integers, or None when no region is given."""
    if not region:
        return None
    x, y, w, h = (int(n) for n in region.split(","))
    return x, y, w, h


def _resolve(session: Session, fields: SectionFields) -> tuple[Item | None, Page | None]:
    """The item and page a section points at, checking that they exist and the region fits."""
    if fields.item is None:
        if fields.page is not None or fields.region:
            raise CurationError(
                "item",
                "region_without_item",
                "a page or region needs an item: give the item's identifier",
            )
        if not fields.heading and not fields.body:
            raise CurationError(
                "heading",
                "empty_section",
                "a section needs a heading, a text or an item",
            )
        return None, None
    item = find_item(session, fields.item)
    if item is None:
        raise CurationError(
            "item",
            "unknown_item",
            f"no item with identifier {fields.item!r}; check the identifier",
            identifier=fields.item,
        )
    page = _page(item, fields.page)
    box = parse_region(fields.region)
    if box is not None:
        if page is None:
            raise CurationError(
                "region",
                "region_without_page",
                f"item {item.identifier!r} has no pages, so a region cannot be shown",
                identifier=item.identifier,
            )
        x, y, w, h = box
        if w == 0 or h == 0 or x + w > page.width or y + h > page.height:
            raise CurationError(
                "region",
                "region_outside",
                f"the region {fields.region} does not fit page {page.position} of "
                f"{item.identifier!r}, which is {page.width} × {page.height} pixels: "
                "give x,y,w,h with w and h above 0, x + w ≤ width and y + h ≤ height",
                region=fields.region,
                width=page.width,
                height=page.height,
            )
    return item, page


def _page(item: Item, number: int | None) -> Page | None:
    """The page numbered `number` (from 1), else the first page (None if it has none)."""
    if number is None:
        return item.pages[0] if item.pages else None
    found = next((p for p in item.pages if p.position == number), None)
    if found is None:
        raise CurationError(
            "page",
            "unknown_page",
            f"item {item.identifier!r} has no page {number}; it has {len(item.pages)} pages",
            identifier=item.identifier,
            number=number,
            pages=len(item.pages),
        )
    return found


def _audit(
    session: Session, exhibit: Exhibit, action: str, changes: dict[str, Any], actor: str
) -> None:
    record_change(
        session,
        actor=actor,
        action=action,
        entity="exhibit",
        entity_id=exhibit.slug,
        changes=changes,
    )


def _stored(texts: Mapping[Language, str]) -> dict[str, Any]:
    return {str(lang): text for lang, text in texts.items()}


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Visibility) else value
