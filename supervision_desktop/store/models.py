"""The vault's tables (SQLAlchemy 2 ORM). Schema changes go through Alembic migrations."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    Dialect,
    ForeignKey,
    ForeignKeyConstraint,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from supervision_desktop.domain.dates import aware, utc_now
from supervision_desktop.domain.records import Origin


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A moment kept as UTC text without a zone, as every vault has always kept it, and
    read back aware (UTC). An aware value of any zone is turned to UTC before it is
    written, so a moment from another computer's clock is never stored as wall time.

    The text in the file is unchanged from the first vaults (``2026-11-22 14:30:00.000000``),
    so the audit chain, which hashes ``at`` as that UTC time, checks as before.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None,
                           dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return aware(value).astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None,
                             dialect: Dialect) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        dt.datetime: UTCDateTime,
    }


class Setting(Base):
    """Vault-level facts and preferences: owner, role, created, policy profile."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Person(Base):
    """A supervisee, a foster carer household or a child."""

    __tablename__ = "people"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    # when the work ended (worker left, approval ended, child's case closed): retention
    ended_on: Mapped[dt.date | None]
    end_reason: Mapped[str] = mapped_column(Text, default="")


class TemplateSnapshot(Base):
    """The exact template a record was written with; old records never change with it."""

    __tablename__ = "template_snapshots"
    template_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    definition: Mapped[str] = mapped_column(Text)


class Record(Base):
    __tablename__ = "records"
    __table_args__ = (
        ForeignKeyConstraint(
            ["template_id", "template_version"],
            ["template_snapshots.template_id", "template_snapshots.version"],
        ),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    template_id: Mapped[str] = mapped_column(String(64), index=True)
    template_version: Mapped[int]
    subject_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"), index=True)
    session_date: Mapped[dt.date | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), index=True, default="draft")
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    exported_at: Mapped[dt.datetime | None]
    uploaded_on: Mapped[dt.date | None]
    upload_reference: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(16), default=Origin.OWN.value)  # domain Origin
    versions: Mapped[list[RecordVersion]] = relationship(
        back_populates="record", order_by="RecordVersion.number", cascade="all, delete-orphan"
    )


class RecordVersion(Base):
    """One version of a record's content. A draft is edited in place; once finalised a
    version is frozen, hashed and chained to the one before it."""

    __tablename__ = "record_versions"
    __table_args__ = (UniqueConstraint("record_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id"), index=True)
    number: Mapped[int]
    subject_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    session_date: Mapped[dt.date | None]
    content: Mapped[dict[str, Any]]
    reason: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str | None] = mapped_column(String(64))
    previous_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    saved_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    finalised_at: Mapped[dt.datetime | None]
    record: Mapped[Record] = relationship(back_populates="versions")


# --- compliance: actions, cancellations, deviations, search (migration 0002) -----------


class TrackedAction(Base):
    """A row of a record's action table, followed until it is done or dropped."""

    __tablename__ = "tracked_actions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    source_record_id: Mapped[str] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), index=True
    )
    field_id: Mapped[str] = mapped_column(String(64))
    row_number: Mapped[int]
    subject_id: Mapped[str | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[dt.date | None]
    status: Mapped[str] = mapped_column(String(16), index=True, default="open")
    comments: Mapped[str] = mapped_column(Text, default="")
    row: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the source row as written
    closed_on: Mapped[dt.date | None]
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class ActionCarry(Base):
    """An open action carried into a later record, and what that record decided."""

    __tablename__ = "action_carries"
    __table_args__ = (UniqueConstraint("action_id", "record_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[str] = mapped_column(
        ForeignKey("tracked_actions.id", ondelete="CASCADE"), index=True
    )
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str | None] = mapped_column(String(16))  # done, carried_forward, dropped
    reason: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[dt.datetime | None]


class Cancellation(Base):
    """A supervision session cancelled or postponed, with why and when it moved to."""

    __tablename__ = "cancellations"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    planned_on: Mapped[dt.date]
    planned_time: Mapped[str] = mapped_column(String(5), default="")
    initiated_by: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text)
    rescheduled_for: Mapped[dt.date | None]
    comments: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class Deviation(Base):
    """An agreed, approved permanent change to one person's supervision frequency."""

    __tablename__ = "deviations"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    every: Mapped[dict[str, Any]]  # a Period: {"weeks": 6}
    reason: Mapped[str] = mapped_column(Text)
    approved_by: Mapped[str] = mapped_column(Text)
    agreed_on: Mapped[dt.date]
    ended_on: Mapped[dt.date | None]
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class SearchEntry(Base):
    """Which version of a record the full-text index holds; id is the FTS5 rowid."""

    __tablename__ = "search_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), unique=True
    )
    version: Mapped[int]
    record_updated_at: Mapped[dt.datetime]  # records.updated_at when indexed: stale if it moved


# --- carer mode, transfer, retention and audit (migration 0003) ------------------------


class SignedDocument(Base):
    """A signed PDF held in the vault byte for byte: one this vault exported, or one it
    imported (a supervision record sent to a carer, a carer's signed response)."""

    __tablename__ = "signed_documents"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    direction: Mapped[str] = mapped_column(String(16), index=True)  # exported, imported
    # record, carer_copy, staff_file, case_extract (a split export), response,
    # evidence_pack, disclosure
    kind: Mapped[str] = mapped_column(String(32))
    # the record in this vault the file is (exported, received copy) or answers (response)
    record_id: Mapped[str | None] = mapped_column(
        ForeignKey("records.id", ondelete="SET NULL"), index=True
    )
    file_name: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    # what the signed revision claims: the record, version and content hash it holds
    claimed_record_id: Mapped[str] = mapped_column(String(32), default="")
    claimed_version: Mapped[int | None]
    claimed_content_hash: Mapped[str] = mapped_column(String(64), default="")
    signers: Mapped[list[Any]] = mapped_column(JSON, default=list)  # name, time, intact…
    verdict: Mapped[str] = mapped_column(String(16))  # genuine, flagged
    verdict_detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class Note(Base):
    """A carer's own note: "life_story" notes a child may read one day, kept apart from
    "professional" notes."""

    __tablename__ = "notes"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    child_id: Mapped[str | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    written_on: Mapped[dt.date]
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class AuditEvent(Base):
    """Who did what to which record, when; no content. Each entry's hash covers the one
    before it, so a removed or changed entry breaks the chain."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    actor: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(String(32), index=True)
    record_id: Mapped[str | None] = mapped_column(String(32), index=True)  # no FK: outlives it
    person_id: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Disposal(Base):
    """A record destroyed under a retention rule: what, when, by whom, which rule. No
    content and no names."""

    __tablename__ = "disposals"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(String(32))
    template_id: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[str | None] = mapped_column(String(32))
    subject_kind: Mapped[str] = mapped_column(String(16), default="")
    session_date: Mapped[dt.date | None]
    versions: Mapped[int] = mapped_column(default=0)
    rule_id: Mapped[str] = mapped_column(String(64))
    rule_text: Mapped[str] = mapped_column(Text)
    due_since: Mapped[dt.date | None]
    disposed_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    disposed_by: Mapped[str] = mapped_column(Text, default="")


# --- known signers (migration 0004) ----------------------------------------------------


class KnownSigner(Base):
    """A certificate this vault has accepted for a signer: pinned on first use, replaced
    deliberately (with a reason), or taken in because an agency CA the vault trusts issued
    it. ``name_key`` is the signer's name folded for comparing (see
    ``services.known_signers``); ``person_id`` binds it to a person record where there is
    one."""

    __tablename__ = "known_signers"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[str | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(Text)  # as the certificate gives it
    name_key: Mapped[str] = mapped_column(Text, index=True)
    certificate: Mapped[bytes] = mapped_column(LargeBinary)  # DER
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256, hex
    first_seen: Mapped[dt.datetime] = mapped_column(default=utc_now)
    accepted_how: Mapped[str] = mapped_column(String(16))  # first_use, replaced, agency_ca
    reason: Mapped[str] = mapped_column(Text, default="")
