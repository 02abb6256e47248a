"""A record's life after drafting: finalise, amend, check the hash chain, mark uploaded.

Finalising freezes the current version and hashes it, chained to the previous
version's hash. Any later change is an amendment: a new draft version with a reason,
linked to the one before; nothing is overwritten. Recomputing the chain shows whether
any stored version has been altered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from supervision_desktop.domain.dates import utc_now
from supervision_desktop.domain.records import Origin, RecordContent, RecordStatus
from supervision_desktop.domain.templates import Template, missing_required
from supervision_desktop.errors import InvalidInput, NotFound
from supervision_desktop.services import actions, audit, search
from supervision_desktop.store.models import Record, RecordVersion, TemplateSnapshot
from supervision_desktop.store.vault import Vault


def _record(session: Session, record_id: str) -> Record:
    record = session.get(Record, record_id)
    if record is None:
        raise NotFound(f"There is no record with id {record_id}.")
    return record


def _content(record: Record, version: RecordVersion) -> RecordContent:
    return RecordContent(
        template_id=record.template_id,
        template_version=record.template_version,
        subject_id=version.subject_id,
        session_date=version.session_date.isoformat() if version.session_date else None,
        fields=version.content,
    )


@dataclass(frozen=True)
class Finalised:
    record_id: str
    version: int
    content_hash: str


@dataclass(frozen=True)
class Missing:
    """One thing still needed before finalising: where it is and what it is called."""

    where: str  # a field id, or SESSION_DATE / SUBJECT for the form's header
    words: str  # as the message says it: “Venue”, the session date


SESSION_DATE = "session_date"
SUBJECT = "subject"


@dataclass(frozen=True)
class FinaliseCheck:
    """What stops a draft being finalised: the empty required fields in form order (the
    header's date and subject first) and the carried actions still to say what became of."""

    missing: tuple[Missing, ...]
    carried: str  # one sentence naming the unresolved carried actions, or ""

    @property
    def ready(self) -> bool:
        return not self.missing and not self.carried

    @property
    def message(self) -> str:
        said = []
        if self.missing:
            said.append("Before finalising, fill in: "
                        + ", ".join(m.words for m in self.missing) + ".")
        if self.carried:
            said.append(self.carried)
        return " ".join(said)


def _template(session: Session, record: Record) -> Template:
    return Template.from_snapshot(
        session.get_one(TemplateSnapshot, (record.template_id, record.template_version))
        .definition
    )


def _check(session: Session, record: Record) -> FinaliseCheck:
    draft = record.versions[-1]
    template = _template(session, record)
    missing = []
    if draft.session_date is None:
        date_field = template.header_field(SESSION_DATE)
        missing.append(Missing(SESSION_DATE, f"“{date_field.label}”" if date_field
                               else "the session date"))
    if record.subject_id is None and template.subject_kind != "none":
        missing.append(Missing(SUBJECT, f"who the record is about (a {template.subject_kind})"))
    # the record's date and subject are asked once, in the header: said once, above
    missing += [Missing(f.id, f"“{f.label}”") for f in missing_required(template, draft.content)
                if not f.asked_in_header]
    return FinaliseCheck(tuple(missing), actions.describe_unresolved(session, record.id))


def finalise_check(vault: Vault, record_id: str) -> FinaliseCheck:
    """What still stops a draft being finalised (nothing, when ``ready``): the one check
    the GUI asks before offering to finalise and `finalise` makes again."""
    with vault.read() as session:
        record = _record(session, record_id)
        if record.status != RecordStatus.DRAFT.value:
            raise InvalidInput("This record is already finalised.")
        return _check(session, record)


def finalise(vault: Vault, record_id: str) -> Finalised:
    """Lock the draft; refuses with the list of required fields still empty."""
    with vault.transaction() as session:
        record = _record(session, record_id)
        if record.status != RecordStatus.DRAFT.value:
            raise InvalidInput("This record is already finalised.")
        check = _check(session, record)
        if not check.ready:
            raise InvalidInput(check.message)
        draft, template = record.versions[-1], _template(session, record)
        previous = record.versions[-2].content_hash if len(record.versions) > 1 else None
        draft.previous_hash = previous
        draft.content_hash = _content(record, draft).content_hash(previous)
        draft.finalised_at = utc_now()
        record.status = RecordStatus.FINALISED.value
        actions.on_finalise(session, record, template, draft)
        search.index_record(session, record.id)
        audit.log_event(session, "finalise", record_id=record.id, person_id=record.subject_id,
                        detail=f"version {draft.number}")
        return Finalised(record.id, draft.number, draft.content_hash)


def amend(vault: Vault, record_id: str, reason: str) -> int:
    """Open a new draft version of a finalised record; returns its version number."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Say why the record is being amended.")
    with vault.transaction() as session:
        record = _record(session, record_id)
        if record.origin == Origin.RECEIVED:
            raise InvalidInput("This record was received as a signed PDF and is read-only "
                               "here: only its author can amend it.")
        if record.status == RecordStatus.DRAFT.value:
            raise InvalidInput("This record is still a draft: edit it directly.")
        latest = record.versions[-1]
        amendment = RecordVersion(
            number=latest.number + 1,
            subject_id=latest.subject_id,
            session_date=latest.session_date,
            content=dict(latest.content),
            reason=reason,
        )
        record.versions.append(amendment)
        record.status = RecordStatus.DRAFT.value
        record.exported_at = None
        record.uploaded_on = None
        record.upload_reference = ""
        session.flush()
        search.index_record(session, record.id)
        audit.log_event(session, "amend", record_id=record.id, person_id=record.subject_id,
                        detail=f"version {amendment.number} opened")
        return amendment.number


@dataclass(frozen=True)
class VersionInfo:
    number: int
    reason: str
    created_at: dt.datetime
    finalised_at: dt.datetime | None
    content_hash: str | None


@dataclass(frozen=True)
class ChainReport:
    record_id: str
    versions: tuple[VersionInfo, ...]
    problems: tuple[str, ...]

    @property
    def intact(self) -> bool:
        return not self.problems


def check_chain(vault: Vault, record_id: str) -> ChainReport:
    """Recompute every finalised version's hash; any difference means tampering."""
    with vault.transaction() as session:
        return chain_report(_record(session, record_id))


def chain_report(record: Record) -> ChainReport:
    """`check_chain` of a record already read (its versions loaded in an open session)."""
    problems = []
    previous: str | None = None
    infos = []
    for version in record.versions:
        infos.append(VersionInfo(version.number, version.reason, version.created_at,
                                 version.finalised_at, version.content_hash))
        if version.finalised_at is None:
            continue
        follows = infos[-2].number + 1 if len(infos) > 1 else 1
        if record.origin == Origin.RECEIVED and version.number != follows:
            previous = version.previous_hash  # the versions before were never received
        expected = _content(record, version).content_hash(previous)
        if version.previous_hash != previous:
            problems.append(f"version {version.number} is not linked to the one before it")
        if version.content_hash != expected:
            problems.append(f"version {version.number} was changed after it was finalised")
        previous = version.content_hash
    return ChainReport(record.id, tuple(infos), tuple(problems))


def mark_uploaded(vault: Vault, record_id: str, uploaded_on: dt.date, reference: str) -> None:
    """Note that the exported record is on the official file (date and its reference)."""
    with vault.transaction() as session:
        record = _record(session, record_id)
        if record.status not in (RecordStatus.EXPORTED.value, RecordStatus.UPLOADED.value):
            raise InvalidInput("Export the record before marking it uploaded.")
        record.uploaded_on = uploaded_on
        record.upload_reference = reference.strip()
        record.status = RecordStatus.UPLOADED.value
        audit.log_event(session, "mark_uploaded", record_id=record.id,
                        person_id=record.subject_id, detail=f"uploaded {uploaded_on.isoformat()}")
