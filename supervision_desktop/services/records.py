"""Writing and reading records: create, autosave drafts, show and list.

A record is written against a template snapshot stored in the vault, so a later
template change never alters it. A draft's current version is edited in place by
autosave; finalising and amendments (later versions) build on the same rows.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated, Any, Final

from pydantic import Field, SerializerFunctionWrapHandler, computed_field, model_serializer
from sqlalchemy import String, func, select, type_coerce, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from supervision_desktop.domain import record_facts, safe_input
from supervision_desktop.domain.actions import review_table
from supervision_desktop.domain.dates import iso_date, moment, utc_now
from supervision_desktop.domain.people import children_placed_with
from supervision_desktop.domain.records import Origin, RecordStatus
from supervision_desktop.domain.templates import Template, validate_values
from supervision_desktop.errors import InvalidInput, NotFound, TemplateProblem
from supervision_desktop.services import actions, audit, search
from supervision_desktop.services.people import PersonRef
from supervision_desktop.store import settings
from supervision_desktop.store.models import (
    Person,
    Record,
    RecordVersion,
    TemplateSnapshot,
)
from supervision_desktop.store.vault import Vault


@dataclass(frozen=True)
class TemplateRef:
    """The form a record was written on, as JSON output names it."""

    id: str
    version: int
    title: str


@dataclass(frozen=True)
class RecordSummary:
    id: str
    template_id: Annotated[str, Field(exclude=True)]  # JSON: under "template"
    template_version: Annotated[int, Field(exclude=True)]
    template_title: Annotated[str, Field(exclude=True)]
    subject_id: Annotated[str | None, Field(exclude=True)]  # JSON: under "subject"
    subject_name: Annotated[str, Field(exclude=True)]
    session_date: Annotated[dt.date | None, Field(serialization_alias="date")]
    status: RecordStatus
    version: int
    updated_at: dt.datetime
    exported_at: dt.datetime | None = None
    uploaded_on: dt.date | None = None
    upload_reference: str = ""
    origin: Origin = Origin.OWN

    @computed_field(alias="template")  # type: ignore[prop-decorator]
    @property
    def template_ref(self) -> TemplateRef:
        return TemplateRef(self.template_id, self.template_version, self.template_title)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def subject(self) -> PersonRef:
        return PersonRef(self.subject_id, self.subject_name)


@dataclass(frozen=True)
class RecordView:
    """A record's summary and values; as JSON, the summary's keys with "fields" beside."""

    summary: RecordSummary
    template: Annotated[Template, Field(exclude=True)]  # the snapshot it was written with
    fields: dict[str, Any] = field(default_factory=dict)

    @model_serializer(mode="wrap")
    def _summary_beside(self, write: SerializerFunctionWrapHandler) -> dict[str, Any]:
        written: dict[str, Any] = write(self)
        summary = written.pop("summary")
        return {**summary, **written}


# --- writing -------------------------------------------------------------------------


def _check_values(template: Template, fields: dict[str, Any]) -> None:
    """Refuse values of the wrong shape (a number in a text box, 22/11/2026 where ISO is
    kept, a field the form does not have) and a record too large to transfer or import
    later (the readers' bound, ``safe_input.DEFAULT_MAX_BYTES``). Completeness is
    finalising's business: a draft may be half written."""
    problems = validate_values(template, fields)
    if problems:
        raise InvalidInput("The record's fields are not valid: " + "; ".join(problems))
    size = len(json.dumps(fields, ensure_ascii=False).encode("utf-8"))
    if size > safe_input.DEFAULT_MAX_BYTES:
        raise InvalidInput(
            f"The record is too large to keep: {size / 1_048_576:.1f} MB of text, at most "
            f"{safe_input.DEFAULT_MAX_BYTES // 1_048_576} MB. Nothing was saved; shorten the "
            "longest answers (attach long documents to the official file instead).")


def _parse_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return iso_date(str(value))
    except ValueError as problem:
        raise InvalidInput(f"date: {problem}") from None


def _store_snapshot(session: Session, template: Template) -> None:
    stored = session.get(TemplateSnapshot, template.key)
    if stored is not None and stored.definition != template.snapshot():
        # Old records must keep the questions they were answered on; a changed form
        # under the same version would silently be shown with the old ones instead.
        raise TemplateProblem(
            f"The template '{template.id}' was changed but is still version "
            f"{template.version}, which records in this vault were written with. "
            "Raise its version number, then try again. Nothing was saved."
        )
    if stored is None:
        session.add(
            TemplateSnapshot(
                template_id=template.id,
                version=template.version,
                title=template.title,
                definition=template.snapshot(),
            )
        )
        session.flush()  # the record's foreign key needs the snapshot row first


def _check_subject(session: Session, template: Template, subject_id: str | None) -> None:
    if subject_id is None:
        return
    person = session.get(Person, subject_id)
    if person is None:
        raise InvalidInput(f"subject: there is no person with id {subject_id}")
    if template.subject_kind not in ("none", person.kind):
        raise InvalidInput(
            f"subject: {template.title} is about a {template.subject_kind}, "
            f"but {subject_id} is a {person.kind}"
        )


def create_record(
    vault: Vault,
    template: Template,
    *,
    subject_id: str | None = None,
    session_date: str | dt.date | None = None,
    fields: dict[str, Any] | None = None,
) -> str:
    """Start a draft record; returns its id. Every problem with the input is listed."""
    fields = safe_input.clean_values(dict(fields or {}))  # typed text: lone surrogates → U+FFFD
    _check_values(template, fields)
    date = session_date if isinstance(session_date, dt.date) else _parse_date(session_date)
    date = _session_date_from_fields(template, fields, date)
    record_id = uuid.uuid4().hex
    with vault.transaction() as session:
        _check_subject(session, template, subject_id)
        fields = _filled(session, template, fields, subject_id, date)
        _store_snapshot(session, template)
        record = Record(
            id=record_id,
            template_id=template.id,
            template_version=template.version,
            subject_id=subject_id,
            session_date=date,
            status=RecordStatus.DRAFT.value,
        )
        version = RecordVersion(number=1, subject_id=subject_id, session_date=date,
                                content=fields)
        record.versions.append(version)
        session.add(record)
        _prefill_action_review(session, record, version, template)
        search.index_record(session, record_id)
        audit.log_event(session, "create", record_id=record_id, person_id=subject_id,
                        detail=f"{template.id} v{template.version}")
    return record_id


def _session_date_from_fields(template: Template, fields: dict[str, Any],
                              date: dt.date | None) -> dt.date | None:
    """The session date, also when given only as the form's own date field (a data file
    written for `record create` before the form asked it once); refused if they differ."""
    field = template.header_field("session_date")
    written = fields.get(field.id) if field is not None else None
    if field is None or written in (None, ""):
        return date
    from_field = _parse_date(written)
    if date is not None and from_field != date:
        raise InvalidInput(f"{field.id}: {written} is not the record's date "
                           f"({date.isoformat()}); give the date once.")
    return from_field


def _filled(session: Session, template: Template, fields: dict[str, Any],
            subject_id: str | None, date: dt.date | None) -> dict[str, Any]:
    """A new record's fields filled from what the vault knows (a field's ``fills``): the
    header's date and subject, the subject's details and the owner; typed values win."""
    person = session.get(Person, subject_id) if subject_id is not None else None
    placed: list[str] = []
    if person is not None and person.kind == "carer":
        children = session.execute(select(Person.name, Person.details)
                                   .where(Person.kind == "child")).all()
        placed = children_placed_with(person.name, [(n, d) for n, d in children], date)
    facts = {
        **record_facts.subject_facts(
            person.kind if person else None, person.details if person else {},
            owner_name=settings.read(session, settings.OWNER_NAME),
            owner_role=settings.read(session, settings.ROLE), children_placed=placed),
        **record_facts.header_facts(person.name if person else None, date),
    }
    return template.filled_from(facts, fields)


def _prefill_action_review(
    session: Session, record: Record, version: RecordVersion, template: Template
) -> None:
    """Carry the subject's open actions into the review table, unless it was filled in."""
    review = review_table(template)
    if review is None or version.content.get(review.id):
        return
    session.flush()  # the carried actions refer to the record
    rows = actions.carry_into_new_record(session, record, template)
    if rows:
        version.content = {**version.content, review.id: rows}


class _Unchanged(Enum):
    UNCHANGED = "unchanged"


UNCHANGED: Final = _Unchanged.UNCHANGED  # save_draft: leave the session date as it is


def save_draft(
    vault: Vault,
    record_id: str,
    fields: dict[str, Any],
    *,
    subject_id: str | None = None,
    session_date: dt.date | _Unchanged | None = UNCHANGED,
) -> None:
    """Autosave: replace the draft's content. Refused once the record is finalised.

    ``session_date`` None clears the date (the person emptied it); left out, it stays."""
    now = utc_now()
    fields = safe_input.clean_values(fields)  # typed text: lone surrogates → U+FFFD
    with vault.transaction() as session:
        record = session.get(Record, record_id)
        if record is None:
            raise NotFound(f"There is no record with id {record_id}.")
        if record.status != RecordStatus.DRAFT.value:
            raise InvalidInput("This record is finalised; changes need an amendment.")
        template = Template.from_snapshot(
            session.get_one(TemplateSnapshot, (record.template_id, record.template_version))
            .definition
        )
        _check_values(template, fields)  # the shape and size of what is kept, not completeness
        values: dict[str, Any] = {"saved_at": now}
        if subject_id is not None:
            _check_subject(session, template, subject_id)
            record.subject_id = values["subject_id"] = subject_id
        if session_date is not UNCHANGED:
            record.session_date = values["session_date"] = session_date
        subject = session.get(Person, record.subject_id) if record.subject_id else None
        # the form never shows the fields the header asks: what they hold is kept (a name
        # typed by `record create` into a record about no one), then set from the header
        kept = {f.id: record.versions[-1].content[f.id] for f in template.fields()
                if f.asked_in_header and f.id not in fields
                and f.id in record.versions[-1].content}
        values["content"] = template.filled_from(  # the header's date and subject, in step
            record_facts.header_facts(subject.name if subject else None, record.session_date),
            {**kept, **fields})
        saved = session.execute(
            update(RecordVersion)
            .where(
                RecordVersion.record_id == record_id,
                RecordVersion.finalised_at.is_(None),
            )
            .values(**values)
        )
        if not isinstance(saved, CursorResult) or saved.rowcount != 1:
            raise InvalidInput("This record has no draft version to save into.")
        record.updated_at = now
        session.flush()
        search.index_record(session, record_id)
        audit.log_change(session, record_id)  # autosaves: one entry per 10 minutes


# --- reading -------------------------------------------------------------------------


def _summary(record: Record, title: str, subject_name: str, version: int) -> RecordSummary:
    return RecordSummary(
        id=record.id,
        template_id=record.template_id,
        template_version=record.template_version,
        template_title=title,
        subject_id=record.subject_id,
        subject_name=subject_name,
        session_date=record.session_date,
        status=RecordStatus(record.status),
        version=version,
        updated_at=record.updated_at,
        exported_at=record.exported_at,
        uploaded_on=record.uploaded_on,
        upload_reference=record.upload_reference or "",
        origin=Origin(record.origin),
    )


def get_record(vault: Vault, record_id: str) -> RecordView:
    with vault.read() as session:
        return view_in(session, record_id)


def view_in(session: Session, record_id: str) -> RecordView:
    """`get_record` inside a session the caller holds (to read more in the same one)."""
    record = session.get(Record, record_id)
    if record is None:
        raise NotFound(f"There is no record with id {record_id}.")
    snapshot = session.get_one(TemplateSnapshot, (record.template_id, record.template_version))
    subject = session.get(Person, record.subject_id) if record.subject_id else None
    latest = record.versions[-1]
    summary = _summary(record, snapshot.title, subject.name if subject else "", latest.number)
    return RecordView(summary, Template.from_snapshot(snapshot.definition), latest.content)


def open_record(vault: Vault, record_id: str) -> RecordView:
    """`get_record` for someone reading it (the record page, `record show`): logged."""
    view = get_record(vault, record_id)
    audit.log(vault, "open", record_id=record_id, person_id=view.summary.subject_id)
    return view


def _text(column: Any) -> Any:
    """A date or time column as SQLite stores it (ISO text): parsed below by the standard
    library's C parser, several times faster than SQLAlchemy's per-row regex."""
    return type_coerce(column, String).label(column.key)


def _date(stored: str | None) -> dt.date | None:
    return iso_date(stored) if stored else None


def _datetime(stored: str | None) -> dt.datetime | None:
    return moment(stored) if stored else None


def list_records(
    vault: Vault,
    *,
    subject_id: str | None = None,
    template_id: str | None = None,
    status: RecordStatus | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[RecordSummary]:
    """Records newest first, filtered; reads no record content (fast on a large vault)."""
    latest = (
        select(RecordVersion.record_id, func.max(RecordVersion.number).label("number"))
        .group_by(RecordVersion.record_id)
        .subquery()
    )
    # Plain columns, not Record objects: no identity map or attribute instrumentation for
    # thousands of rows (a third of the time and most of the memory on ten years' records).
    query = (
        select(
            Record.id, Record.template_id, Record.template_version, Record.subject_id,
            _text(Record.session_date), Record.status, _text(Record.updated_at),
            _text(Record.exported_at), _text(Record.uploaded_on), Record.upload_reference,
            Record.origin, TemplateSnapshot.title, Person.name, latest.c.number,
        )
        .join(
            TemplateSnapshot,
            (TemplateSnapshot.template_id == Record.template_id)
            & (TemplateSnapshot.version == Record.template_version),
        )
        .outerjoin(Person, Person.id == Record.subject_id)
        .join(latest, latest.c.record_id == Record.id)
        .order_by(Record.session_date.desc().nulls_last(), Record.updated_at.desc())
    )
    if subject_id is not None:
        query = query.where(Record.subject_id == subject_id)
    if template_id is not None:
        query = query.where(Record.template_id == template_id)
    if status is not None:
        query = query.where(Record.status == status.value)
    if date_from is not None:
        query = query.where(Record.session_date >= date_from)
    if date_to is not None:
        query = query.where(Record.session_date <= date_to)
    statuses = {each.value: each for each in RecordStatus}
    # Thousands of rows repeat a few dozen templates and people: one string for each.
    shared: dict[str, str] = {}

    def one(text: str) -> str:
        return shared.setdefault(text, text)

    with vault.read() as session:
        return [
            RecordSummary(
                id=record_id,
                template_id=one(of_template),
                template_version=template_version,
                template_title=one(title),
                subject_id=one(about) if about else None,
                subject_name=one(name or ""),
                session_date=_date(session_date),
                status=statuses.get(stored_status) or RecordStatus(stored_status),
                version=number,
                updated_at=moment(updated_at),
                exported_at=_datetime(exported_at),
                uploaded_on=_date(uploaded_on),
                upload_reference=upload_reference or "",
                origin=Origin(one(origin)),
            )
            for (record_id, of_template, template_version, about, session_date, stored_status,
                 updated_at, exported_at, uploaded_on, upload_reference, origin, title, name,
                 number) in session.execute(query)
        ]
