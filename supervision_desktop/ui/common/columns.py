"""The one table model of the app, for lists of the services' frozen values: records,
people, dashboard lists, actions, search hits, monitoring rows, signed documents.

:class:`ColumnsModel` shows rows through a tuple of :class:`Column` specs: what each
column says, how it sorts, its tone (overdue in red), its tooltip and its alignment.
Every string goes to Qt as display text, never as markup. Views sort on ``SORT_ROLE``,
through `sorting_proxy` or the model's own `sort` (faster on long lists), so dates and
versions sort as values, not text.

Each row's id (a record's, or a person's) is in ``ID_ROLE``, the role ``RecordTable``
opens on double-click or Enter, so every list here clicks through the same way.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHeaderView, QTableView

from supervision_desktop.ui.common import theme

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class Tone(StrEnum):
    """How a cell reads at a glance; the words always say it too (never colour alone)."""

    OVERDUE = "overdue"
    DUE = "due"
    OK = "ok"
    QUIET = "quiet"


class _ToneColours(Mapping[Tone, QColor]):
    """Each tone's colour in the theme's current set (4.5:1 on the table's rows)."""

    def __getitem__(self, tone: Tone) -> QColor:
        colours = theme.current()
        return QColor({Tone.OVERDUE: colours.tone_overdue, Tone.DUE: colours.tone_due,
                       Tone.OK: colours.tone_ok, Tone.QUIET: colours.tone_quiet}[tone])

    def __iter__(self) -> Iterator[Tone]:
        return iter(Tone)

    def __len__(self) -> int:
        return len(Tone)


TONE_COLOURS = _ToneColours()


def plain_tip(text: str) -> str:
    """A tooltip that shows text exactly as typed.

    Qt reads a tooltip as HTML when it looks like HTML, so a record's ``<b>`` or
    ``<img src=…>`` would be obeyed; escaped inside markup of our own, it is just text.
    """
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>" if text else ""

def days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def date_key(day: dt.date | None, missing: str = "") -> str:
    """Dates sort as ISO text; a missing date sorts first ('') or last ('9999')."""
    return day.isoformat() if day else missing


def proxy_key(value: Any) -> tuple[bool, Any]:
    """A sort key in the order a sorting proxy gave: empty first, strings ignoring case."""
    if isinstance(value, str):
        value = value.casefold()
    return (value is not None, value)


def in_order(rows: list[T], keys: list[tuple[bool, Any]], order: Qt.SortOrder) -> list[T]:
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


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: its heading, its text, and optionally sort key, tone, tooltip and
    alignment."""

    title: str
    text: Callable[[T], str]
    sort: Callable[[T], Any] | None = None  # one type per column; default: the text
    tone: Callable[[T], Tone | None] | None = None
    tip: Callable[[T], str] | None = None
    align: Qt.AlignmentFlag | None = None


class ColumnsModel(QAbstractTableModel, Generic[T]):
    """A read-only table of values of one type, described by its columns."""

    ID_ROLE = Qt.ItemDataRole.UserRole + 1  # what RecordTable opens
    SORT_ROLE = Qt.ItemDataRole.UserRole + 2
    TONE_ROLE = Qt.ItemDataRole.UserRole + 3

    _ROLES = frozenset({
        Qt.ItemDataRole.DisplayRole, ID_ROLE, SORT_ROLE, Qt.ItemDataRole.ToolTipRole,
        TONE_ROLE, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.TextAlignmentRole,
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
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align) if column.align is not None else None
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


def sorting_proxy(model: QAbstractTableModel, sort_role: int) -> QSortFilterProxyModel:
    """A proxy that sorts model by sort_role, ignoring case."""
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(sort_role)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy


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


