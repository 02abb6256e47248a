"""A foster carer's response to a supervision record: "is it a true reflection?".

`start_response` opens a draft of the ``carer-response`` template filled in with the
record it answers (its id, title and date) and the carer household it is about. The
draft is then written, finalised and exported like any record: the carer's own
certificate signs the exported PDF. `countersign_received` adds the carer's signature
to the signed PDF they were sent, held in the vault, without writing it anywhere else
first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from supervision_desktop.domain.records import Origin
from supervision_desktop.errors import InvalidInput, NotFound
from supervision_desktop.export.signing import HandMark
from supervision_desktop.services import people, records
from supervision_desktop.services.audit import log
from supervision_desktop.services.templates import get_template
from supervision_desktop.store import settings
from supervision_desktop.store.models import Person, Record, SignedDocument
from supervision_desktop.store.vault import Vault

RESPONSE_TEMPLATE = "carer-response"


@dataclass(frozen=True)
class RecordOrigin:
    """Where a record came from and, for a received copy, the signed file it came in."""

    record_id: str
    origin: Origin
    document_id: str | None  # the imported SignedDocument holding the original PDF
    received_on: dt.date | None


def record_origin(vault: Vault, record_id: str) -> RecordOrigin:
    with vault.transaction() as session:
        record = session.get(Record, record_id)
        if record is None:
            raise NotFound(f"There is no record with id {record_id}.")
        document = session.scalars(
            select(SignedDocument)
            .where(SignedDocument.record_id == record_id,
                   SignedDocument.direction == "imported")
            .order_by(SignedDocument.created_at)
        ).first()
        return RecordOrigin(
            record_id, Origin(record.origin or Origin.OWN),
            document.id if document is not None else None,
            document.created_at.date() if document is not None else None,
        )


def is_response(template_id: str) -> bool:
    return template_id == RESPONSE_TEMPLATE


def _carer_subject(vault: Vault, subject_id: str | None) -> str:
    """Who the response is about: the record's carer household, else the vault's only
    household, else a household named after the vault's owner (made here)."""
    with vault.transaction() as session:
        if subject_id is not None:
            person = session.get(Person, subject_id)
            if person is not None and person.kind == "carer":
                return person.id
        households = list(session.scalars(select(Person.id).where(Person.kind == "carer")))
        owner = settings.read(session, settings.OWNER_NAME)
    if len(households) == 1:
        return households[0]
    if households:  # several: the carer chooses on the form; the first is a start
        return households[0]
    return people.add_person(vault, "carer", {"name": owner or "Foster carer"}).id


def start_response(vault: Vault, record_id: str) -> str:
    """A new draft response to record_id, pre-filled; returns the draft's id."""
    answered = records.get_record(vault, record_id)
    if is_response(answered.summary.template_id):
        raise InvalidInput("This is already a response; respond to the supervision record.")
    origin = record_origin(vault, record_id)
    summary = answered.summary
    fields: dict[str, object] = {
        "responds_to": summary.id,
        "responds_to_title": summary.template_title,
    }
    if summary.session_date is not None:
        fields["responds_to_date"] = summary.session_date.isoformat()
    if origin.received_on is not None:
        fields["received_on"] = origin.received_on.isoformat()
    template = get_template(RESPONSE_TEMPLATE)
    response_id = records.create_record(
        vault, template,
        subject_id=_carer_subject(vault, summary.subject_id),
        session_date=dt.date.today(),
        fields=fields,
    )
    log(vault, "create", record_id=response_id, detail=f"response to {record_id[:8]}")
    return response_id


def responses_to(vault: Vault, record_id: str) -> list[str]:
    """Ids of the responses written to record_id, oldest first."""
    found: list[str] = []
    with vault.transaction() as session:
        for record in session.scalars(
            select(Record).where(Record.template_id == RESPONSE_TEMPLATE)
            .order_by(Record.created_at)
        ):
            if record.versions and record.versions[-1].content.get("responds_to") == record_id:
                found.append(record.id)
    return found


def countersign_received(vault: Vault, record_id: str, destination: Path | str,
                         *, reason: str = "", mark: HandMark | None = None) -> Path:
    """Write the signed PDF received for record_id, countersigned by this vault's owner.

    The original stays in the vault untouched; the countersigned copy is written to
    destination (a ``.pdf`` path or a folder) and kept in the vault beside it.
    """
    from supervision_desktop.services.countersign import countersign_data

    with vault.transaction() as session:
        document = session.scalars(
            select(SignedDocument)
            .where(SignedDocument.record_id == record_id,
                   SignedDocument.direction == "imported",
                   SignedDocument.kind != "response",
                   SignedDocument.verdict == "genuine")
            .order_by(SignedDocument.created_at.desc())
        ).first()
        if document is None:
            raise InvalidInput("No signed PDF was imported for this record, so there is "
                               "nothing to countersign.")
        data, name = bytes(document.data), document.file_name or f"{record_id[:8]}.pdf"
    return countersign_data(vault, data, destination, what="The received PDF",
                            file_name=name, reason=reason, mark=mark)


# --- the carer's list of supervisions ----------------------------------------------------


@dataclass(frozen=True)
class CarerRecord:
    """One line of "My supervisions": a received copy, an own record or a response."""

    id: str
    title: str
    session_date: dt.date | None
    status: str  # the record's RecordStatus value
    origin: Origin
    is_response: bool
    subject_name: str
    responds_to: str | None  # for a response: the record it answers
    responses: int  # for a record: how many responses this vault holds to it
    verdict: str  # received copies: "genuine" or "flagged"; "" otherwise

    @property
    def from_text(self) -> str:
        if self.is_response:
            return "My response"
        return self.origin.label


def my_supervisions(vault: Vault) -> list[CarerRecord]:
    """Every record in a carer's vault, newest first, with where it came from."""
    from supervision_desktop.store.models import TemplateSnapshot

    rows: list[CarerRecord] = []
    with vault.transaction() as session:
        verdicts = {
            record_id: verdict for record_id, verdict in session.execute(
                select(SignedDocument.record_id, SignedDocument.verdict)
                .where(SignedDocument.direction == "imported",
                       SignedDocument.kind != "response",
                       SignedDocument.record_id.is_not(None)))
        }
        titles = {(s.template_id, s.version): s.title
                  for s in session.scalars(select(TemplateSnapshot))}
        names = {pid: name for pid, name in session.execute(select(Person.id, Person.name))}
        records_ = list(session.scalars(select(Record)))
        answers: dict[str, int] = {}
        answered: dict[str, str] = {}
        for record in records_:
            if is_response(record.template_id) and record.versions:
                target = record.versions[-1].content.get("responds_to")
                if isinstance(target, str) and target:
                    answered[record.id] = target
                    answers[target] = answers.get(target, 0) + 1
        for record in records_:
            rows.append(CarerRecord(
                id=record.id,
                title=titles.get((record.template_id, record.template_version),
                                 record.template_id),
                session_date=record.session_date,
                status=record.status,
                origin=Origin(record.origin or Origin.OWN),
                is_response=is_response(record.template_id),
                subject_name=names.get(record.subject_id, "") if record.subject_id else "",
                responds_to=answered.get(record.id),
                responses=answers.get(record.id, 0),
                verdict=verdicts.get(record.id, ""),
            ))
    rows.sort(key=lambda r: (r.session_date or dt.date.min, r.id), reverse=True)
    return rows
