"""A read-only table of rows that each open a record (or a person) on double-click or Enter.

Every list in the app is one of these, so they all click through the same way.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QWidget,
)

from supervision_desktop.ui.common.columns import ColumnsModel


class RecordTable(QTableView):
    """A read-only table of records: a double-click or Enter asks to open the record."""

    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.horizontalHeader().setHighlightSections(False)
        self.doubleClicked.connect(self._open)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_current()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        model = self.model()
        if model is not None and not self.currentIndex().isValid() and model.rowCount() > 0:
            self.setCurrentIndex(model.index(0, 0))  # arrows and Enter work at once

    def open_current(self) -> None:
        """Ask to open the current row's record (or person), if it has one."""
        self._open(self.currentIndex())

    def _open(self, index: QModelIndex) -> None:
        record_id = index.siblingAtColumn(0).data(ColumnsModel.ID_ROLE)
        if record_id:
            self.open_requested.emit(record_id)

    def stretch(self, column: int) -> None:
        header = self.horizontalHeader()
        for number in range(header.count()):
            mode = QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(number, mode)
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
