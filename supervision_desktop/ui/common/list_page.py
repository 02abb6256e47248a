"""The part every list page shares: a sortable table of one kind of row, its empty text,
and buttons that act on the selected row.

A page built on :class:`ListPage` lays out ``self.stack`` (the table, or the empty text
when there are no rows) with its own heading, filters and buttons, and shows rows with
`show_rows`. Double-click or Enter on a row, or `open_selected`, asks to open the row's
record by ``open_record_requested``; buttons given to `acts_on_selection` are enabled
only while a row they can act on is selected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from supervision_desktop.ui.common.columns import ColumnsModel, fit_columns, sorting_proxy
from supervision_desktop.ui.common.record_table import RecordTable
from supervision_desktop.ui.common.widgets import list_or_empty, muted

T = TypeVar("T")


class ListPage(QWidget, Generic[T]):
    """A page listing rows of one type; ``model``'s key is the record a row opens."""

    open_record_requested = Signal(str)

    def __init__(self, model: ColumnsModel[T], *, name: str, ident: Callable[[T], str],
                 empty: str = "", description: str = "",
                 sort: tuple[int, Qt.SortOrder] | None = (0, Qt.SortOrder.AscendingOrder),
                 sorts_itself: bool = False, stretch: int = 0, widest: int | None = 280,
                 parent: QWidget | None = None) -> None:
        """``ident`` names a row for `select`; ``sorts_itself`` sorts in the model (fast on
        thousands of rows) rather than through a proxy; ``stretch`` is the column taking
        the room left, the others fitted to their text up to ``widest`` wide at each
        `show_rows` (``widest=None``: always as wide as their text)."""
        super().__init__(parent)
        model.setParent(self)
        self.model = model
        self.proxy: ColumnsModel[T] | QSortFilterProxyModel = (
            model if sorts_itself else sorting_proxy(model, ColumnsModel.SORT_ROLE))
        self._ident = ident
        self._stretch, self._widest = stretch, widest
        self._acting: list[tuple[QPushButton, Callable[[T], bool]]] = []
        self.table = RecordTable()
        self.table.setAccessibleName(name)
        if description:
            self.table.setAccessibleDescription(description)
        self.table.setModel(self.proxy)
        if widest is None:
            self.table.stretch(stretch)
        if sort is not None:
            self.table.sortByColumn(*sort)
        self.table.open_requested.connect(self.open_record_requested.emit)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.empty = muted(empty)
        self.stack = list_or_empty(self.table, self.empty)

    def show_rows(self, rows: Sequence[T], empty: str | None = None) -> None:
        """Show rows (or, with none, the empty text: ``empty`` if given)."""
        self.model.set_rows(rows)
        if self._widest is not None:
            fit_columns(self.table, self._stretch, self._widest)
        if empty is not None:
            self.empty.setText(empty)
        self.stack.setCurrentWidget(self.table if rows else self.empty)
        self._current_changed()

    def acts_on_selection(self, button: QPushButton,
                          enabled: Callable[[T], bool] = lambda _row: True) -> QPushButton:
        """Enable button only while the selected row is one it acts on."""
        self._acting.append((button, enabled))
        return button

    def selected(self) -> T | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        if isinstance(self.proxy, QSortFilterProxyModel):
            index = self.proxy.mapToSource(index)
        return self.model.row_at(index.row())

    def select(self, ident: str) -> None:
        """Make the row named ident current; KeyError if it is not listed."""
        for row, item in enumerate(self.model.rows()):
            if self._ident(item) == ident:
                index = self.model.index(row, 0)
                if isinstance(self.proxy, QSortFilterProxyModel):
                    index = self.proxy.mapFromSource(index)
                self.table.setCurrentIndex(index)
                return
        raise KeyError(ident)

    def open_selected(self) -> None:
        self.table.open_current()

    def _current_changed(self, *_moved: QModelIndex) -> None:
        row = self.selected()
        for button, enabled in self._acting:
            button.setEnabled(row is not None and enabled(row))
