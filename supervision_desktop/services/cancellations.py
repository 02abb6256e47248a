"""Cancelled and postponed sessions, and the supervision monitoring sheet built from them.

BCT (001 line 134): "the person who initiated the cancellation will be responsible for
scheduling an alternative date ... within that month wherever possible. The Supervisor
must note this on the Supervision Monitoring Sheet." Kent (004 line 155): a postponed
session is "rescheduled at the earliest convenience and reasons for the postponement
noted". So a cancellation keeps who initiated it, why, and the new date; the monitoring
sheet (date, time, completed yes/no, date rescheduled for, comments, reasons for
postponement) is made from the sessions recorded plus the cancellations, never typed
twice.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, computed_field
from sqlalchemy import select

from supervision_desktop.domain.policy import cite
from supervision_desktop.domain.templates import FieldKind, Template
from supervision_desktop.errors import InvalidInput, NotFound
from supervision_desktop.services.compliance import session_profile
from supervision_desktop.services.people import PersonRef
from supervision_desktop.store import settings
from supervision_desktop.store.models import (
    Cancellation,
    Person,
    Record,
    RecordVersion,
    TemplateSnapshot,
)
from supervision_desktop.store.vault import Vault

MONITORING_TEMPLATE = "monitoring-sheet"
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
KINDS = ("supervisee", "carer")


@dataclass(frozen=True)
class CancellationView:
    id: str
    person_id: Annotated[str, Field(exclude=True)]  # JSON: under "person"
    person_name: Annotated[str, Field(exclude=True)]
    planned_on: Annotated[dt.date, Field(serialization_alias="date")]
    planned_time: Annotated[str, Field(serialization_alias="time")]
    initiated_by: str
    reason: str
    rescheduled_for: dt.date | None
    comments: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def person(self) -> PersonRef:
        return PersonRef(self.person_id, self.person_name)


def _view(row: Cancellation, name: str) -> CancellationView:
    return CancellationView(row.id, row.person_id, name, row.planned_on, row.planned_time,
                            row.initiated_by, row.reason, row.rescheduled_for, row.comments)


def record_cancellation(
    vault: Vault,
    person_id: str,
    planned_on: dt.date,
    *,
    reason: str,
    planned_time: str = "",
    initiated_by: str = "",
    rescheduled_for: dt.date | None = None,
    comments: str = "",
) -> CancellationView:
    """Note a cancelled or postponed session; the reason is required."""
    reason, planned_time = reason.strip(), planned_time.strip()
    problems = []
    if not reason:
        problems.append("say why the session was cancelled or postponed")
    if planned_time and not _TIME.match(planned_time):
        problems.append(f"time '{planned_time}' is not a time written 14:30")
    if problems:
        raise InvalidInput("The cancellation was not recorded: " + "; ".join(problems) + ".")
    with vault.transaction() as session:
        person = session.get(Person, person_id)
        if person is None or person.kind not in KINDS:
            raise NotFound(f"There is no supervisee or carer household with id {person_id}.")
        row = Cancellation(id=uuid.uuid4().hex, person_id=person_id, planned_on=planned_on,
                           planned_time=planned_time, initiated_by=initiated_by.strip(),
                           reason=reason, rescheduled_for=rescheduled_for,
                           comments=comments.strip())
        session.add(row)
        return _view(row, person.name)


def list_cancellations(vault: Vault, person_id: str | None = None) -> list[CancellationView]:
    query = select(Cancellation, Person.name).join(Person).order_by(Cancellation.planned_on)
    if person_id is not None:
        query = query.where(Cancellation.person_id == person_id)
    with vault.transaction() as session:
        return [_view(row, name) for row, name in session.execute(query)]


# --- the monitoring sheet ------------------------------------------------------------


@dataclass(frozen=True)
class MonitoringRow:
    """One line of the monitoring sheet: a session held, or one that did not happen."""

    session_date: dt.date
    session_time: str
    completed: bool
    date_rescheduled: dt.date | None
    comments: str
    reasons_for_postponement: str
    record_id: str | None = None
    cancellation_id: str | None = None
    note: str = ""  # where the policy was not met, e.g. not rescheduled within the month

    def sheet_row(self) -> dict[str, Any]:
        """The row in the monitoring-sheet template's column ids."""
        row: dict[str, Any] = {
            "session_date": self.session_date.isoformat(),
            "completed": self.completed,
            "comments": self.comments,
            "reasons_for_postponement": self.reasons_for_postponement,
        }
        if self.session_time:
            row["session_time"] = self.session_time
        if self.date_rescheduled:
            row["date_rescheduled"] = self.date_rescheduled.isoformat()
        return row


@dataclass(frozen=True)
class Supervisee:
    """Whose monitoring sheet it is, as JSON output names them."""

    id: str
    name: str
    job_title: str


@dataclass(frozen=True)
class MonitoringSheet:
    supervisor_name: Annotated[str, Field(serialization_alias="supervisor")]
    supervisee_id: Annotated[str, Field(exclude=True)]  # JSON: under "supervisee"
    supervisee_name: Annotated[str, Field(exclude=True)]
    supervisee_job_title: Annotated[str, Field(exclude=True)]
    rows: tuple[MonitoringRow, ...]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def supervisee(self) -> Supervisee:
        return Supervisee(self.supervisee_id, self.supervisee_name, self.supervisee_job_title)

    def template_fields(self) -> dict[str, Any]:
        """Values for a monitoring-sheet record (template ``monitoring-sheet``)."""
        fields: dict[str, Any] = {
            "supervisor_name": self.supervisor_name,
            "supervisee_name": self.supervisee_name,
            "sessions": [row.sheet_row() for row in self.rows],
        }
        if self.supervisee_job_title:
            fields["supervisee_job_title"] = self.supervisee_job_title
        return fields


def _session_time(template: Template, content: dict[str, Any]) -> str:
    """The session's start time, if its form has one (not the next meeting's)."""
    for field in template.fields():
        if field.kind is FieldKind.TIME and not field.id.startswith("next"):
            value = content.get(field.id)
            return value if isinstance(value, str) else ""
    return ""


def monitoring_sheet(vault: Vault, person_id: str) -> MonitoringSheet:
    """Every session held (from the records) and every cancellation, oldest first."""
    with vault.transaction() as session:
        person = session.get(Person, person_id)
        if person is None or person.kind not in KINDS:
            raise NotFound(f"There is no supervisee or carer household with id {person_id}.")
        profile = session_profile(session)
        counts = profile.staff_supervision.counts
        rows: list[MonitoringRow] = []
        held = session.execute(
            select(Record, TemplateSnapshot.definition)
            .join(TemplateSnapshot, (TemplateSnapshot.template_id == Record.template_id)
                  & (TemplateSnapshot.version == Record.template_version))
            .where(Record.subject_id == person_id, Record.session_date.is_not(None))
        ).all()
        for record, definition in held:
            template = Template.from_snapshot(definition)
            if template.category not in counts or record.session_date is None:
                continue
            content = session.scalar(
                select(RecordVersion.content).where(RecordVersion.record_id == record.id)
                .order_by(RecordVersion.number.desc()).limit(1)
            ) or {}
            rows.append(MonitoringRow(record.session_date, _session_time(template, content),
                                      True, None, template.title, "", record_id=record.id))
        rule = profile.cancellation
        for row in session.scalars(select(Cancellation).where(Cancellation.person_id == person_id)):
            note = ""
            if rule is not None and rule.reschedule_within_month:
                moved = row.rescheduled_for
                if moved is None:
                    note = f"No new date yet ({cite(rule.ref)})"
                elif (moved.year, moved.month) != (row.planned_on.year, row.planned_on.month):
                    note = f"Not rescheduled within the month ({cite(rule.ref)})"
            by = f" (cancelled by {row.initiated_by})" if row.initiated_by else ""
            reasons = row.reason + by
            rows.append(MonitoringRow(row.planned_on, row.planned_time, False, row.rescheduled_for,
                                      row.comments, reasons, cancellation_id=row.id, note=note))
        supervisor = str(person.details.get("supervisor") or "") or settings.read(
            session, settings.OWNER_NAME)
        rows.sort(key=lambda r: (r.session_date, r.session_time, r.completed))
        return MonitoringSheet(supervisor, person.id, person.name,
                               str(person.details.get("job_title") or ""), tuple(rows))


def create_monitoring_record(vault: Vault, person_id: str, on: dt.date) -> str:
    """A draft monitoring-sheet record filled from the sheet; returns its id."""
    from supervision_desktop.services.records import create_record
    from supervision_desktop.services.templates import get_template

    sheet = monitoring_sheet(vault, person_id)
    return create_record(vault, get_template(MONITORING_TEMPLATE), subject_id=person_id,
                         session_date=on, fields=sheet.template_fields())
