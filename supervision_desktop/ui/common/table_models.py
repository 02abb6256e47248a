"""Qt table models for the records list and the people list.

Each model has column constants and named roles; views sort on `SORT_ROLE` (through a
QSortFilterProxyModel, or the model's own `sort` for long lists), so dates and versions
sort as values, not text.
Every string is handed to Qt as display text, which item views never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

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

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root: a table's rows have no other parent
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


RowT = TypeVar("RowT")


def proxy_key(value: Any) -> tuple[bool, Any]:
    """A sort key in the order a sorting proxy gave: empty first, strings ignoring case."""
    if isinstance(value, str):
        value = value.casefold()
    return (value is not None, value)


def in_order(rows: list[RowT], keys: list[tuple[bool, Any]], order: Qt.SortOrder
             ) -> list[RowT]:
    """rows sorted stably by their keys; descending is ascending reversed (as the proxy)."""
    positions = sorted(range(len(rows)), key=keys.__getitem__)
    if order == Qt.SortOrder.DescendingOrder:
        positions.reverse()
    return [rows[position] for position in positions]


def reorder_keeping_selection(model: QAbstractTableModel, reorder: Callable[[], None],
                              rows: Callable[[], list[Any]]) -> None:
    """Reorder a list model's rows (``reorder``), telling its views, so that selections
    and the current row follow their items."""
    model.layoutAboutToBeChanged.emit()
    before = list(rows())
    reorder()
    where = {id(item): row for row, item in enumerate(rows())}
    moved = model.persistentIndexList()
    model.changePersistentIndexList(moved, [
        model.index(where[id(before[i.row()])], i.column()) if 0 <= i.row() < len(before)
        else QModelIndex() for i in moved
    ])
    model.layoutChanged.emit()


class RowsTableModel(QAbstractTableModel):
    """A table of one item per row, with fixed headings: what every list here shares.

    Subclasses set HEADERS and ID_NAME and implement `data`; the id of a row's item is
    given under ID_ROLE, its sort key under SORT_ROLE.
    """

    HEADERS: tuple[str, ...] = ()
    ID_ROLE = Qt.ItemDataRole.UserRole + 1
    SORT_ROLE = Qt.ItemDataRole.UserRole + 2
    ID_NAME = b"id"

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None

    def _set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if self._sorted_by is not None:
            self._sort_rows(*self._sorted_by)
        self.endResetModel()

    # A view may also sort the model itself, without a proxy: each row's SORT_ROLE key
    # is read once, where a proxy reads two per comparison through Qt (seconds for ten
    # years of records). Same order as the proxy: strings ignoring case, stable,
    # descending being ascending reversed, each sort starting from the last order.

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        if not 0 <= column < len(self.HEADERS):
            return
        keys = [proxy_key(self.data(self.index(row, column), self.SORT_ROLE))
                for row in range(len(self._rows))]
        self._rows = in_order(self._rows, keys, order)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sorted_by = (column, order)
        reorder_keeping_selection(self, lambda: self._sort_rows(column, order),
                                  lambda: self._rows)

    def _item(self, index: Index) -> Any:
        """The item shown at index, or None for an index outside the table."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names[self.ID_ROLE] = QByteArray(self.ID_NAME)
        names[self.SORT_ROLE] = QByteArray(b"sortKey")
        return names

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None


class RecordsTableModel(RowsTableModel):
    """Record summaries, one row each: date, template, who it is about, status, version."""

    DATE, TEMPLATE, ABOUT, STATUS, VERSION = range(5)
    HEADERS = ("Date", "Template", "About", "Status", "Version")
    RECORD_ID_ROLE = RowsTableModel.ID_ROLE
    ID_NAME = b"recordId"

    def set_records(self, records: Sequence[RecordSummary]) -> None:
        self._set_rows(records)

    def record_at(self, row: int) -> RecordSummary:
        record: RecordSummary = self._rows[row]
        return record

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = self._item(index)
        if record is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, column)
        if role == self.RECORD_ID_ROLE:
            return record.id
        if role == self.SORT_ROLE:
            return self._sort_key(record, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.VERSION:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, record: RecordSummary, column: int) -> str | None:
        if column == self.DATE:
            return uk_date(record.session_date) or "No date"
        if column == self.TEMPLATE:
            return record.template_title
        if column == self.ABOUT:
            return record.subject_name or "—"
        if column == self.STATUS:
            return record.status.label
        if column == self.VERSION:
            return str(record.version)
        return None

    def _sort_key(self, record: RecordSummary, column: int) -> Any:
        if column == self.DATE:
            return record.session_date.isoformat() if record.session_date else ""
        if column == self.TEMPLATE:
            return record.template_title.casefold()
        if column == self.ABOUT:
            return record.subject_name.casefold()
        if column == self.STATUS:
            return _STATUS_ORDER[record.status]
        if column == self.VERSION:
            return record.version
        return None


class PeopleTableModel(RowsTableModel):
    """People, one row each: name, kind and a line of identifying details."""

    NAME, KIND, DETAILS = range(3)
    HEADERS = ("Name", "Kind", "Details")
    PERSON_ID_ROLE = RowsTableModel.ID_ROLE
    ID_NAME = b"personId"

    def set_people(self, people: Sequence[PersonView]) -> None:
        self._set_rows(people)

    def person_at(self, row: int) -> PersonView:
        person: PersonView = self._rows[row]
        return person

    def row_of(self, person_id: str) -> int:
        """The row showing person_id, or -1."""
        for row, person in enumerate(self._rows):
            if person.id == person_id:
                return row
        return -1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        person = self._item(index)
        if person is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return person.name
            if column == self.KIND:
                return KIND_LABELS.get(person.kind, person.kind)
            if column == self.DETAILS:
                return person_summary(person)
            return None
        if role == self.PERSON_ID_ROLE:
            return person.id
        if role == self.SORT_ROLE:
            text = self.data(index, Qt.ItemDataRole.DisplayRole)
            return text.casefold() if isinstance(text, str) else None
        return None


def sorting_proxy(model: QAbstractTableModel, sort_role: int) -> QSortFilterProxyModel:
    """A proxy that sorts model by sort_role, ignoring case."""
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(sort_role)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy
