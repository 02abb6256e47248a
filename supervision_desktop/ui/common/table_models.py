"""The records list's and the people list's table models: their columns, on ColumnsModel.

Both are shared by more than one feature (records and people list records; the people
list and its tests list people), so they live here rather than in either feature.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.domain.people import (
    APPROVAL_LABELS,
    KIND_LABELS,
    PLAN_LABELS,
    STAFF_GROUP_LABELS,
)
from supervision_desktop.domain.records import RecordStatus
from supervision_desktop.services.people import PersonView
from supervision_desktop.services.records import RecordSummary
from supervision_desktop.ui.common.columns import Column, ColumnsModel, date_key

_STATUS_ORDER = {status: number for number, status in enumerate(RecordStatus)}


def person_summary(person: PersonView) -> str:
    """One line that tells people of the same kind apart in a list."""
    details = person.details
    if person.kind == "supervisee":
        parts = [details.get("job_title") or "",
                 STAFF_GROUP_LABELS.get(details.get("staff_group") or "", "")]
    elif person.kind == "carer":
        carers = details.get("carers") or []
        parts = [", ".join(carers),
                 APPROVAL_LABELS.get(details.get("approval_status") or "", "")]
    else:
        case_id = details.get("case_id") or ""
        plan = details.get("plan") or "none"
        parts = [f"Case {case_id}" if case_id else "",
                 PLAN_LABELS[plan] if plan != "none" else ""]
    shown: list[str] = []
    for part in parts:  # a job title is often the staff group's name: say it once
        if part and part.casefold() not in (s.casefold() for s in shown):
            shown.append(part)
    return " · ".join(shown)


RECORD_COLUMNS: tuple[Column[RecordSummary], ...] = (
    Column("Date", lambda r: uk_date(r.session_date) or "No date",
           lambda r: date_key(r.session_date)),
    Column("Template", lambda r: r.template_title),
    Column("About", lambda r: r.subject_name or "—", lambda r: r.subject_name.casefold()),
    Column("Status", lambda r: r.status.label, lambda r: _STATUS_ORDER[r.status]),
    Column("Version", lambda r: str(r.version), lambda r: r.version,
           align=Qt.AlignmentFlag.AlignCenter),
)


class RecordsTableModel(ColumnsModel[RecordSummary]):
    """Record summaries, one row each: date, template, who it is about, status, version."""

    DATE, TEMPLATE, ABOUT, STATUS, VERSION = range(len(RECORD_COLUMNS))
    RECORD_ID_ROLE = ColumnsModel.ID_ROLE

    def __init__(self, parent: Any = None) -> None:
        super().__init__(RECORD_COLUMNS, lambda r: r.id, parent)


PEOPLE_COLUMNS: tuple[Column[PersonView], ...] = (
    Column("Name", lambda p: p.name),
    Column("Kind", lambda p: KIND_LABELS.get(p.kind, p.kind)),
    Column("Details", person_summary),
)


class PeopleTableModel(ColumnsModel[PersonView]):
    """People, one row each: name, kind and a line of identifying details."""

    NAME, KIND, DETAILS = range(len(PEOPLE_COLUMNS))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(PEOPLE_COLUMNS, lambda p: p.id, parent)

    def row_of(self, person_id: str) -> int:
        """The row showing person_id, or -1."""
        return next((row for row, person in enumerate(self._rows) if person.id == person_id),
                    -1)
