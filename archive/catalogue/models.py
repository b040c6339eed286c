"""SQLAlchemy models of the catalogue.

Texts "as written" are kept beside their normalised forms (dates, amounts, places), so a
normalisation can be redone without losing what the document says.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    """The current time in UTC, for created/updated stamps."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Base of every catalogue model."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
    }


class Visibility(enum.StrEnum):
    """Who may see an item: anonymous users see only `published` ones, everywhere."""

    draft = "draft"
    published = "published"
    restricted = "restricted"


class ItemType(enum.StrEnum):
    """What kind of archival unit an item is."""

    qiaopi = "qiaopi"
    envelope = "envelope"
    letter = "letter"
    remittance_slip = "remittance_slip"
    reply = "reply"
    heritage_object = "heritage_object"


class AgentKind(enum.StrEnum):
    """A person, or an organisation such as a remittance house (批局/銀信局)."""

    person = "person"
    organisation = "organisation"


class Role(enum.StrEnum):
    """What a signed-in user may do."""

    curator = "curator"
    admin = "admin"


class JobStatus(enum.StrEnum):
    """Where a queued piece of follow-up work stands."""

    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=32, validate_strings=True)


class Place(Base):
    """A place authority: names in several scripts and romanisations, coordinates, hierarchy."""

    __tablename__ = "places"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    variants: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("places.id", ondelete="SET NULL"))
    parent: Mapped[Place | None] = relationship(remote_side="Place.id")


class Agent(Base):
    """A person or organisation authority with name variants."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AgentKind] = mapped_column(_enum(AgentKind))
    name: Mapped[str] = mapped_column(String(200), index=True)
    variants: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)


class Item(Base):
    """The archival unit: a qiaopi set (envelope, letters, slip, reply) or a heritage object."""

    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(128), unique=True)
    type: Mapped[ItemType] = mapped_column(_enum(ItemType), default=ItemType.qiaopi)
    title_zh_hant: Mapped[str] = mapped_column(Text, default="")
    title_zh_hans: Mapped[str] = mapped_column(Text, default="")
    title_en: Mapped[str] = mapped_column(Text, default="")
    description_zh_hant: Mapped[str] = mapped_column(Text, default="")
    description_zh_hans: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    date_text: Mapped[str] = mapped_column(Text, default="")
    date_start: Mapped[dt.date | None] = mapped_column(Date)
    date_end: Mapped[dt.date | None] = mapped_column(Date)
    date_certainty: Mapped[str] = mapped_column(String(32), default="")
    sender: Mapped[str] = mapped_column(Text, default="")
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    recipient: Mapped[str] = mapped_column(Text, default="")
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    sending_place: Mapped[str] = mapped_column(Text, default="")
    sending_place_id: Mapped[int | None] = mapped_column(
        ForeignKey("places.id", ondelete="SET NULL")
    )
    receiving_place: Mapped[str] = mapped_column(Text, default="")
    receiving_place_id: Mapped[int | None] = mapped_column(
        ForeignKey("places.id", ondelete="SET NULL")
    )
    amount_text: Mapped[str] = mapped_column(Text, default="")
    amount_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency_text: Mapped[str] = mapped_column(String(64), default="")
    currency_code: Mapped[str] = mapped_column(String(16), default="")
    remittance_house: Mapped[str] = mapped_column(Text, default="")
    remittance_house_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL")
    )
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    physical_description: Mapped[str] = mapped_column(Text, default="")
    provenance: Mapped[str] = mapped_column(Text, default="")
    donor: Mapped[str] = mapped_column(Text, default="")
    accession_number: Mapped[str] = mapped_column(String(128), default="")
    rights: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[Visibility] = mapped_column(
        _enum(Visibility), default=Visibility.draft, index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, onupdate=utcnow, server_default=func.now()
    )
    updated_by: Mapped[str] = mapped_column(String(128), default="")

    pages: Mapped[list[Page]] = relationship(
        back_populates="item", order_by="Page.position", cascade="all, delete-orphan"
    )
    collections: Mapped[list[Collection]] = relationship(
        secondary="collection_items", back_populates="items"
    )


class Page(Base):
    """An ordered image of an item, pointing at its immutable master in the blob store."""

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("item_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(160), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200), default="")
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    byte_size: Mapped[int] = mapped_column(BigInteger)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(64))
    original_filename: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())

    item: Mapped[Item] = relationship(back_populates="pages")


class Collection(Base):
    """A curated group of items; also the unit of bulk ingest and static export."""

    __tablename__ = "collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(128), unique=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[Visibility] = mapped_column(_enum(Visibility), default=Visibility.published)
    items: Mapped[list[Item]] = relationship(
        secondary="collection_items", back_populates="collections"
    )


class CollectionItem(Base):
    """Membership of an item in a collection."""

    __tablename__ = "collection_items"

    collection_id: Mapped[int] = mapped_column(
        ForeignKey("collections.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )


class Exhibit(Base):
    """An online exhibit: a narrative in sections, each pointing at an item or a page region."""

    __tablename__ = "exhibits"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(128), unique=True)
    title: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    visibility: Mapped[Visibility] = mapped_column(_enum(Visibility), default=Visibility.draft)
    sections: Mapped[list[ExhibitSection]] = relationship(
        order_by="ExhibitSection.position", cascade="all, delete-orphan"
    )


class ExhibitSection(Base):
    """One section of an exhibit's narrative."""

    __tablename__ = "exhibit_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibit_id: Mapped[int] = mapped_column(ForeignKey("exhibits.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    heading: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    body: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"))
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id", ondelete="SET NULL"))
    region: Mapped[str] = mapped_column(String(64), default="")


class User(Base):
    """A curator or administrator who signs in; anonymous visitors have no row."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.curator)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())


class ApiToken(Base):
    """A bearer token for the API, stored only as its sha256."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    expires_at: Mapped[dt.datetime] = mapped_column()
    user: Mapped[User] = relationship()


class AuditEntry(Base):
    """One recorded change: who, when, what (entity, action and the changed fields)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now(), index=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(160), index=True)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Job(Base):
    """A durable piece of follow-up work (OCR, indexing, derivatives) for one target."""

    __tablename__ = "jobs"
    __table_args__ = (
        UniqueConstraint("kind", "target"),
        Index("ix_jobs_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(160))
    status: Mapped[JobStatus] = mapped_column(_enum(JobStatus), default=JobStatus.queued)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    locked_by: Mapped[str] = mapped_column(String(128), default="")
    locked_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, onupdate=utcnow, server_default=func.now()
    )


class TranscriptionKind(enum.StrEnum):
    """Machine OCR, or a curator's correction (never overwritten by a later OCR run)."""

    machine = "machine"
    curator = "curator"


class Transcription(Base):
    """One version of a page's text: machine OCR (with its PAGE-XML) or a curator's correction."""

    __tablename__ = "transcriptions"
    __table_args__ = (UniqueConstraint("page_id", "kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    kind: Mapped[TranscriptionKind] = mapped_column(_enum(TranscriptionKind))
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    page_xml: Mapped[str] = mapped_column(Text, default="")
    engine: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())


class PlaceSource(Base):
    """Where a place authority came from: its gazetteer id and kind (seeding is idempotent)."""

    __tablename__ = "place_sources"

    place_id: Mapped[int] = mapped_column(
        ForeignKey("places.id", ondelete="CASCADE"), primary_key=True
    )
    gazetteer_id: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(32), default="")


class NameFlag(Base):
    """A name written on an item that matched no authority: kept as written, flagged for review."""

    __tablename__ = "name_flags"
    __table_args__ = (UniqueConstraint("item_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    written: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())


class SuggestionStatus(enum.StrEnum):
    """A suggestion waits for a curator, who accepts or rejects it once."""

    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"


class Suggestion(Base):
    """A value for an item field read from a page's text, with its source span and confidence."""

    __tablename__ = "suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id", ondelete="SET NULL"))
    field: Mapped[str] = mapped_column(String(32))
    value: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source_text: Mapped[str] = mapped_column(Text, default="")
    span_start: Mapped[int] = mapped_column(Integer, default=0)
    span_end: Mapped[int] = mapped_column(Integer, default=0)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[SuggestionStatus] = mapped_column(
        _enum(SuggestionStatus), default=SuggestionStatus.pending
    )
    decided_by: Mapped[str] = mapped_column(String(128), default="")
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
