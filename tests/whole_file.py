"""One person's whole file, for backup and transfer tests: records with several versions,
tracked actions and carries, a signed document, a cancellation and a deviation. Every
piece of text carries ODD_TEXT or a fictional name so a plaintext leak is easy to find."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from supervision_desktop.services import cancellations, lifecycle, people, records
from supervision_desktop.services.templates import get_template
from supervision_desktop.store.models import (
    ActionCarry,
    Cancellation,
    Deviation,
    Person,
    Record,
    RecordVersion,
    SignedDocument,
    TrackedAction,
)
from supervision_desktop.store.vault import Vault
from tests.conftest import ODD_TEXT
from tests.sample_values import fill_every_field

SUPERVISEE_NAME = "Quillon Ashbury-Vantreece"  # fictional, and unlikely to occur by chance
OTHER_NAME = "Marisol Penhallow-Drift"
PDF_BYTES = b"%PDF-1.7\n" + b"signed copy " * 50 + b"\n%%EOF\n"


@dataclass(frozen=True)
class WholeFile:
    person_id: str
    record_ids: tuple[str, ...]
    other_person_id: str


def make_whole_file(vault: Vault) -> WholeFile:
    """A supervisee with two finalised records (one amended), a draft, actions, a signed
    PDF, a cancellation and a deviation; and another supervisee with one record."""
    person = people.add_person(vault, "supervisee", {"name": SUPERVISEE_NAME,
                                                     "job_title": ODD_TEXT})
    other = people.add_person(vault, "supervisee", {"name": OTHER_NAME})
    template = get_template("personal-supervision")
    first = records.create_record(vault, template, subject_id=person.id,
                                  session_date="2026-10-01",
                                  fields=fill_every_field(template, ODD_TEXT))
    lifecycle.finalise(vault, first)
    lifecycle.amend(vault, first, "Corrected a date")
    records.save_draft(vault, first, fill_every_field(template, ODD_TEXT + " amended"))
    lifecycle.finalise(vault, first)
    second = records.create_record(vault, template, subject_id=person.id,
                                   session_date="2026-11-05",
                                   fields=fill_every_field(template, ODD_TEXT + " second"))
    draft = records.create_record(vault, template, subject_id=person.id,
                                  session_date="2026-11-20", fields={})
    records.create_record(vault, template, subject_id=other.id, session_date="2026-11-02",
                          fields=fill_every_field(template, "other person's record"))
    with vault.transaction() as session:
        session.add(SignedDocument(
            id=uuid.uuid4().hex, direction="exported", kind="record", record_id=first,
            file_name="record.pdf", sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
            data=PDF_BYTES, claimed_record_id=first, claimed_version=2,
            signers=[{"name": "Signer"}], verdict="genuine",
        ))
        session.add(Deviation(
            id=uuid.uuid4().hex, person_id=person.id, every={"weeks": 6},
            reason=ODD_TEXT, approved_by="Team manager", agreed_on=dt.date(2026, 9, 1),
        ))
    cancellations.record_cancellation(vault, person.id, dt.date(2026, 10, 15),
                                      reason=ODD_TEXT + " cancelled")
    return WholeFile(person.id, (first, second, draft), other.id)


def _row(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns if c.key not in skip}


def snapshot_of(vault: Vault, person_id: str) -> dict[str, Any]:
    """Everything about one person, as comparable data (surrogate ids and origin left out)."""
    with vault.transaction() as session:
        record_rows = session.scalars(select(Record).where(Record.subject_id == person_id)
                                      .order_by(Record.id)).all()
        ids = [r.id for r in record_rows]
        versions = session.scalars(select(RecordVersion).where(RecordVersion.record_id.in_(ids))
                                   .order_by(RecordVersion.record_id, RecordVersion.number))
        actions = session.scalars(select(TrackedAction)
                                  .where(TrackedAction.source_record_id.in_(ids))
                                  .order_by(TrackedAction.id)).all()
        carries = session.scalars(select(ActionCarry).where(ActionCarry.record_id.in_(ids))
                                  .order_by(ActionCarry.action_id, ActionCarry.record_id))
        return {
            "person": _row(session.get_one(Person, person_id)),
            "records": [_row(r, ("origin",)) for r in record_rows],
            "versions": [_row(v, ("id",)) for v in versions],
            "signed": [_row(d) for d in session.scalars(
                select(SignedDocument).where(SignedDocument.record_id.in_(ids)))],
            "actions": [_row(a) for a in actions],
            "carries": [_row(c, ("id",)) for c in carries],
            "cancellations": [_row(c) for c in session.scalars(
                select(Cancellation).where(Cancellation.person_id == person_id))],
            "deviations": [_row(d) for d in session.scalars(
                select(Deviation).where(Deviation.person_id == person_id))],
        }
