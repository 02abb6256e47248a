"""Table models for what is due: the dashboard's lists, actions, search hits, monitoring rows.

One generic model, :class:`ColumnsModel`, shows a list of the services' frozen values (a
due entry, an unfinished record, an action …) through a tuple of :class:`Column` specs:
what each column says, how it sorts, its tone (overdue in red) and its tooltip (the
rule's seed reference). Every string goes to Qt as display text, never as markup.

Each row's id (a record's, or a person's) is in ``ID_ROLE``, the role ``RecordTable``
opens on double-click or Enter, so every list here clicks through the same way.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QByteArray, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHeaderView, QTableView

from supervision_desktop.domain.people import KIND_LABELS
from supervision_desktop.domain.schedule import SEVERITY, DueStatus, RuleRef
from supervision_desktop.services.actions import DONE, DROPPED, ActionView
from supervision_desktop.services.compliance import DueEntry, RecordDue, ShortSession
from supervision_desktop.ui.table_models import (
    RecordsTableModel,
    in_order,
    proxy_key,
    reorder_keeping_selection,
    uk_date,
)

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class Tone(StrEnum):
    """How a cell reads at a glance; the words always say it too (never colour alone)."""

    OVERDUE = "overdue"
    DUE = "due"
    OK = "ok"
    QUIET = "quiet"


TONE_COLOURS = {  # dark enough to read on white (WCAG AA)
    Tone.OVERDUE: QColor("#a4262c"),
    Tone.DUE: QColor("#8a5300"),
    Tone.OK: QColor("#1e6b30"),
    Tone.QUIET: QColor("#5f5f5f"),
}
STATUS_TONES = {DueStatus.OVERDUE: Tone.OVERDUE, DueStatus.DUE: Tone.DUE,
                DueStatus.OK: Tone.OK, DueStatus.NO_RULE: Tone.QUIET}


def plain_tip(text: str) -> str:
    """A tooltip that shows text exactly as typed.

    Qt reads a tooltip as HTML when it looks like HTML, so a record's ``<b>`` or
    ``<img src=…>`` would be obeyed; escaped inside markup of our own, it is just text.
    """
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>" if text else ""


def days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def due_text(status: DueStatus, overdue: int, *, ok: str = "Up to date",
             no_rule: str = "No rule") -> str:
    """'Overdue by 12 days', 'Due soon', 'Up to date', 'No rule'."""
    if status is DueStatus.OVERDUE:
        return f"Overdue by {days(overdue)}"
    if status is DueStatus.DUE:
        return "Due soon"
    return ok if status is DueStatus.OK else no_rule


def rule_text(rule: RuleRef | None) -> str:
    """The rule and where the policy says it: 'every 6 weeks · 003 §3 table line 267'."""
    if rule is None:
        return "No rule in this policy profile"
    return f"{rule.summary} · {rule.ref}" if rule.ref else rule.summary


def rule_tip(rule: RuleRef | None) -> str:
    if rule is None:
        return "The policy profile sets no frequency for this person."
    return f"{rule.summary}\nSource: {rule.ref or 'not given'} (policy profile {rule.profile_id})"


def date_key(day: dt.date | None, missing: str = "") -> str:
    """Dates sort as ISO text; a missing date sorts first ('') or last ('9999')."""
    return day.isoformat() if day else missing


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: its heading, its text, and optionally sort key, tone and tooltip."""

    title: str
    text: Callable[[T], str]
    sort: Callable[[T], Any] | None = None  # one type per column; default: the text
    tone: Callable[[T], Tone | None] | None = None
    tip: Callable[[T], str] | None = None


class ColumnsModel(QAbstractTableModel, Generic[T]):
    """A read-only table of values of one type, described by its columns."""

    ID_ROLE = RecordsTableModel.RECORD_ID_ROLE  # what RecordTable opens
    SORT_ROLE = Qt.ItemDataRole.UserRole + 2
    TONE_ROLE = Qt.ItemDataRole.UserRole + 3

    _ROLES = frozenset({
        Qt.ItemDataRole.DisplayRole, ID_ROLE, SORT_ROLE, Qt.ItemDataRole.ToolTipRole,
        TONE_ROLE, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole,
    })

    def __init__(self, columns: Sequence[Column[T]], key: Callable[[T], str | None],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._key = key
        self._rows: list[T] = []
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if self._sorted_by is not None:
            self._sort_rows(*self._sorted_by)
        self.endResetModel()

    # A view may sort this model itself (no proxy): each row's sort key is worked out
    # once, where a sorting proxy asks for two keys per comparison through Qt — seconds
    # for the thousands of rows years of records bring. Same order as the proxy gave:
    # by SORT_ROLE, strings ignoring case, stable (descending is ascending reversed),
    # each sort starting from the last order.

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        chosen = self._columns[column]
        keys = [proxy_key(chosen.sort(item) if chosen.sort else chosen.text(item))
                for item in self._rows]
        self._rows = in_order(self._rows, keys, order)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sorted_by = (column, order)
        reorder_keeping_selection(self, lambda: self._sort_rows(column, order),
                                  lambda: self._rows)

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def column_titles(self) -> tuple[str, ...]:
        return tuple(c.title for c in self._columns)

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._columns)

    def roleNames(self) -> dict[int, QByteArray]:  # noqa: N802 (Qt API)
        names = dict(super().roleNames())
        names[self.ID_ROLE] = QByteArray(b"itemId")
        names[self.SORT_ROLE] = QByteArray(b"sortKey")
        names[self.TONE_ROLE] = QByteArray(b"tone")
        return names

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self._columns)):
            return self._columns[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Views ask for a dozen roles per cell (sizing columns asks thousands of times a
        # refresh); the ones this model never answers return before any work.
        if role not in self._ROLES or not index.isValid() or not 0 <= index.row() < len(
                self._rows):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        item, column = self._rows[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(item)
        if role == self.ID_ROLE:
            return self._key(item)
        if role == self.SORT_ROLE:
            return column.sort(item) if column.sort else column.text(item).casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(column.tip(item)) if column.tip else None
        tone = column.tone(item) if column.tone else None
        if role == self.TONE_ROLE:
            return tone.value if tone else None
        if role == Qt.ItemDataRole.ForegroundRole and tone is not None:
            return TONE_COLOURS[tone]
        if role == Qt.ItemDataRole.FontRole and tone is Tone.OVERDUE:
            font = QFont()
            font.setBold(True)
            return font
        return None


def fit_columns(table: QTableView, stretch: int, widest: int = 280) -> None:
    """Columns as wide as their text (at most ``widest``; longer text is elided, the
    tooltip has it all) and ``stretch`` taking the room left; call after new rows."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    # Size to the first rows (a list shows at most 14 at a time), not every row:
    # measuring thousands of rows (years of open actions) took most of a second per list.
    header.setResizeContentsPrecision(30)
    for column in range(header.count()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    table.resizeColumnsToContents()
    for column in range(header.count()):
        if column != stretch and header.sectionSize(column) > widest:
            header.resizeSection(column, widest)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


# --- people due ----------------------------------------------------------------------


def _who(entry: DueEntry) -> str:
    kind = KIND_LABELS.get(entry.kind, entry.kind)
    return f"{kind} · {entry.group_label}" if entry.group_label else kind


def _rule(entry: DueEntry) -> str:
    """The rule with the group it is for: 'Social worker: every 6 weeks · 003 …'."""
    if entry.kind == "child":  # a child's rule already names the plan it is for
        if entry.rule is None:
            plan = "no plan" if entry.group == "none" else f"plan {entry.group_label.lower()}"
            return f"Child, {plan}: no frequency in this policy profile"
        return rule_text(entry.rule)
    if entry.rule is None:
        return f"{entry.group_label}: no frequency in this policy profile"
    return f"{entry.group_label}: {rule_text(entry.rule)}"


def _next_due(entry: DueEntry) -> str:
    shown = uk_date(entry.next_due) or "—"
    if entry.rescheduled_for and entry.status is not DueStatus.OK:
        shown += f" (new date {uk_date(entry.rescheduled_for)})"
    return shown


def _status_tip(entry: DueEntry) -> str:
    lines = [f"{entry.name} ({_who(entry)})", rule_tip(entry.rule)]
    if entry.rescheduled_for:
        lines.append(f"A cancelled session was rescheduled for {uk_date(entry.rescheduled_for)}.")
    if entry.deviation is not None:
        agreed = entry.deviation
        lines.append(f"Agreed on {uk_date(agreed.agreed_on)} by {agreed.approved_by}: "
                     f"{agreed.reason}")
    lines.extend(entry.notes)
    return "\n".join(lines)


def _severity(entry: DueEntry | RecordDue) -> int:
    status = entry.status if isinstance(entry, DueEntry) else entry.deadline_status
    return SEVERITY[status] * 100_000 - entry.days_overdue


PEOPLE_COLUMNS: tuple[Column[DueEntry], ...] = (
    Column("Name", lambda e: e.name, tip=_status_tip),
    Column("Last session", lambda e: uk_date(e.last_session) or "None yet",
           lambda e: date_key(e.last_session)),
    Column("Next due", _next_due, lambda e: date_key(e.next_due, "9999")),
    Column("Status", lambda e: due_text(e.status, e.days_overdue), _severity,
           lambda e: STATUS_TONES[e.status], _status_tip),
    Column("Rule (policy reference)", _rule, tip=_status_tip),
)

AGREEMENT_COLUMNS: tuple[Column[DueEntry], ...] = (
    Column("Supervisee", lambda e: e.name),
    Column("Last agreement", lambda e: uk_date(e.last_session) or "None yet",
           lambda e: date_key(e.last_session)),
    Column("Due", lambda e: uk_date(e.next_due) or "—", lambda e: date_key(e.next_due, "9999")),
    Column("Status", lambda e: due_text(e.status, e.days_overdue), _severity,
           lambda e: STATUS_TONES[e.status], lambda e: rule_tip(e.rule)),
    Column("Rule (policy reference)", lambda e: rule_text(e.rule), tip=lambda e: rule_tip(e.rule)),
)


# --- unfinished records --------------------------------------------------------------


def _upload(record: RecordDue) -> str:
    return due_text(record.deadline_status, record.days_overdue, ok="In time",
                    no_rule="No upload deadline")


RECORD_COLUMNS: tuple[Column[RecordDue], ...] = (
    Column("Date", lambda r: uk_date(r.session_date) or "No date",
           lambda r: date_key(r.session_date)),
    Column("About", lambda r: r.subject_name or "—"),
    Column("Template", lambda r: r.title),
    Column("Upload by", lambda r: uk_date(r.upload_deadline) or "—",
           lambda r: date_key(r.upload_deadline, "9999")),
    Column("Upload", _upload, _severity, lambda r: STATUS_TONES[r.deadline_status],
           lambda r: rule_tip(r.rule) if r.rule else "The policy profile sets no upload deadline"
           " for this record."),
)

SHORT_SESSION_COLUMNS: tuple[Column[ShortSession], ...] = (
    Column("Date", lambda s: uk_date(s.session_date), lambda s: date_key(s.session_date)),
    Column("Supervisee", lambda s: s.name),
    Column("Length", lambda s: f"{s.minutes} of at least {s.minimum} minutes",
           lambda s: s.minutes, lambda _s: Tone.DUE),
    Column("Rule (policy reference)", lambda s: rule_text(s.rule), tip=lambda s: rule_tip(s.rule)),
)


# --- actions -------------------------------------------------------------------------


def action_state(action: ActionView, today: dt.date) -> str:
    """'Overdue by 3 days', 'Open', 'To review in a draft', 'Done 22/11/2026' …"""
    if action.status == DONE:
        return f"Done {uk_date(action.closed_on)}".strip()
    if action.status == DROPPED:
        return f"Dropped {uk_date(action.closed_on)}".strip()
    overdue = action.overdue_on(today)
    text = f"Overdue by {days(overdue)}" if overdue else "Open"
    return f"{text} · to review in a draft" if action.carried_into else text


def action_tone(action: ActionView, today: dt.date) -> Tone | None:
    if action.status != "open":
        return Tone.QUIET
    return Tone.OVERDUE if action.overdue_on(today) else None


def _action_tip(action: ActionView) -> str:
    lines = [action.text]
    if action.comments:
        lines.append(f"Comments: {action.comments}")
    if action.closed_reason:
        lines.append(f"Reason: {action.closed_reason}")
    if action.carried_into:
        lines.append("Carried into a record still being written: mark it done, carried "
                     "forward or dropped there (Resolve carried actions…).")
    return "\n".join(lines)


def _source(action: ActionView) -> str:
    date = uk_date(action.source_date)
    return f"{action.source_title}, {date}" if date else action.source_title


def action_columns(today: Callable[[], dt.date]) -> tuple[Column[ActionView], ...]:
    """Due, action, owner, about, status on ``today()``, and the record it came from."""
    return (
        Column("Due", lambda a: uk_date(a.due_on) or "No date",
               lambda a: date_key(a.due_on, "9999")),
        Column("Action", lambda a: a.text, tip=_action_tip),
        Column("Owner", lambda a: a.owner or "—"),
        Column("About", lambda a: a.subject_name or "—"),
        Column("Status", lambda a: action_state(a, today()),
               lambda a: int(a.status != "open") * 100_000 - a.overdue_on(today()),
               lambda a: action_tone(a, today()), _action_tip),
        Column("From record", _source, lambda a: date_key(a.source_date)),
    )
