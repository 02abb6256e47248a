"""Repeating rows with typed columns (action tables, key dates), with Add row / Remove row.

Each cell holds its value (in the template's shape) under VALUE_ROLE and the text shown
under DisplayRole; a delegate gives every column kind its own editor. Tab leaves the
table (arrow keys move between cells, F2 or typing edits), so the keyboard is never
trapped inside a long table.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    QTimer,
)
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.domain.templates import Column, ColumnKind, TemplateField
from supervision_desktop.ui.forms.base import (
    YES_NO_ENTRIES,
    Combo,
    FieldEditor,
    ValueCombo,
    describe_field,
    name_input,
    text_line,
)
from supervision_desktop.ui.forms.choices import FormChoices
from supervision_desktop.ui.forms.date_field import DateLine, date_width
from supervision_desktop.ui.forms.values import (
    parse_date_text,
    parse_time_text,
    table_value,
    yes_no_text,
)

# Every cell always holds both roles ("" when empty, never a null variant): reading an
# unset role hands Python a None that PySide6 6.12 under-counts.
VALUE_ROLE = Qt.ItemDataRole.UserRole
PRESET_ROLE = Qt.ItemDataRole.UserRole + 1
EMPTY = ""
MAX_VISIBLE_ROWS_HEIGHT = 420  # beyond this the table scrolls inside the form
AnyIndex = QModelIndex | QPersistentModelIndex
EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
    | QAbstractItemView.EditTrigger.SelectedClicked
)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b  # False is not 0, "" is not False


def cell_text(kind: ColumnKind, value: Any) -> str:
    if value is None or value == EMPTY:
        return ""
    if kind is ColumnKind.DATE:
        return uk_date(value)
    if kind is ColumnKind.YESNO:
        return yes_no_text(value)
    return str(value)


class CellDelegate(QStyledItemDelegate):
    """Typed editors for table cells."""

    def __init__(self, columns: tuple[Column, ...], choices: FormChoices, parent: QWidget) -> None:
        super().__init__(parent)
        self._columns = columns
        self._choices = choices

    def createEditor(  # noqa: N802 (Qt API)
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        from supervision_desktop.ui.forms.fields import person_combo  # avoids an import cycle

        column = self._columns[index.column()]
        editor: QWidget
        if column.kind is ColumnKind.DATE:
            editor = DateLine(column.label)
        elif column.kind is ColumnKind.TIME:
            editor = text_line()
            editor.setPlaceholderText("HH:MM")
        elif column.kind is ColumnKind.LONGTEXT:
            editor = QPlainTextEdit()
            editor.setTabChangesFocus(True)
        elif column.kind is ColumnKind.YESNO:
            editor = ValueCombo(YES_NO_ENTRIES)
        elif column.kind is ColumnKind.CHOICE:
            editor = ValueCombo([("", None), *((o, o) for o in column.options)])
        elif column.kind is ColumnKind.PERSON:
            editor = person_combo(self._choices.names_for(column.person_kind), column.label)
        else:
            editor = text_line()
        editor.setParent(parent)
        editor.setAccessibleName(column.label)
        editor.setAutoFillBackground(True)
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # noqa: N802 (Qt API)
        value = index.data(VALUE_ROLE)
        if isinstance(editor, DateLine):
            editor.set_iso(value if isinstance(value, str) else "")
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(value if isinstance(value, str) else "")
        elif isinstance(editor, ValueCombo):
            editor.set_value(value)
        elif isinstance(editor, Combo):  # a person: any name can be typed
            editor.setEditText(value if isinstance(value, str) else "")
        elif isinstance(editor, QLineEdit):
            editor.setText(value if isinstance(value, str) else "")

    def setModelData(  # noqa: N802 (Qt API)
        self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex
    ) -> None:
        column = self._columns[index.column()]
        value: Any
        if isinstance(editor, DateLine):
            parsed = parse_date_text(editor.text())
            if parsed is None:
                return  # not a date: the cell keeps what it had
            value = parsed
        elif isinstance(editor, QPlainTextEdit):
            value = editor.document().toRawText().replace("\u2029", "\n")
        elif isinstance(editor, ValueCombo):
            value = editor.value()
        elif isinstance(editor, Combo):
            value = editor.currentText()
        elif column.kind is ColumnKind.TIME:
            assert isinstance(editor, QLineEdit)
            parsed = parse_time_text(editor.text())
            if parsed is None:
                return
            value = parsed
        else:
            assert isinstance(editor, QLineEdit)
            value = editor.text()
        value = EMPTY if value is None else value
        if _same(value, index.data(VALUE_ROLE)):
            return
        model.setData(index, value, VALUE_ROLE)
        model.setData(index, cell_text(column.kind, value), Qt.ItemDataRole.DisplayRole)

    def updateEditorGeometry(  # noqa: N802 (Qt API)
        self, editor: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> None:
        rect = QRect(option.rect)
        if isinstance(editor, QPlainTextEdit):
            rect.setHeight(max(rect.height(), 110))
        elif isinstance(editor, DateLine):
            rect.setWidth(max(rect.width(), date_width(editor)))
        editor.setGeometry(rect)


class FormTable(QTableWidget):
    """A table that refits its rows when its width changes and says when it has none."""

    def __init__(self, rows: int, columns: int, on_width_changed: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(rows, columns, parent)
        self._on_width_changed = on_width_changed
        self.fit_when_shown = False  # rows were filled while hidden: measure them on show
        self._fit_queued = False

    def _queue_fit(self) -> None:
        """Refit once the layout has settled (once, however many events asked for it)."""
        if not self._fit_queued:
            self._fit_queued = True
            QTimer.singleShot(0, self, self._fit)

    def _fit(self) -> None:
        self._fit_queued = False
        self._on_width_changed()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.fit_when_shown:
            self._queue_fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._queue_fit()  # once columns have stretched

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        super().paintEvent(event)
        if self.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(
                self.viewport().rect().adjusted(8, 0, -8, 0),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                "No rows yet: choose Add row.",
            )
            painter.end()


HEADING_LINE_CHARACTERS = 30  # a long column heading wraps instead of being cut off


def heading_lines(label: str) -> str:
    """A column heading broken into lines that fit a narrow column (Qt's header grows to
    fit lines it is given, but never wraps by itself)."""
    return "\n".join(textwrap.wrap(label, HEADING_LINE_CHARACTERS)) or label


def _resize_mode(kind: ColumnKind) -> QHeaderView.ResizeMode:
    if kind in (ColumnKind.TEXT, ColumnKind.LONGTEXT, ColumnKind.PERSON, ColumnKind.CHOICE):
        return QHeaderView.ResizeMode.Stretch
    return QHeaderView.ResizeMode.Interactive


class TableEditor(FieldEditor):
    def __init__(
        self, field: TemplateField, choices: FormChoices, parent: QWidget | None = None
    ) -> None:
        super().__init__(field, parent)
        columns = field.columns
        self._filling = False  # set_value fills many cells: fit the rows once, after
        self.table = FormTable(0, len(columns), self._fit_rows, self)
        self.table.setHorizontalHeaderLabels([heading_lines(c.label) for c in columns])
        self.table.setItemDelegate(CellDelegate(columns, choices, self.table))
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(EDIT_TRIGGERS)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(60)
        for number, column in enumerate(columns):
            header.setSectionResizeMode(number, _resize_mode(column.kind))
            if column.kind is ColumnKind.DATE:
                header.resizeSection(number, max(130, header.sectionSizeHint(number)))
            elif column.kind in (ColumnKind.TIME, ColumnKind.YESNO):
                header.resizeSection(number, max(110, header.sectionSizeHint(number)))
        name_input(
            self.table,
            field.label,
            " ".join(
                part for part in (
                    describe_field(field),
                    "Arrow keys move between cells; F2 or typing edits a cell.",
                ) if part
            ),
        )

        self.add_button = QPushButton("Add row", self)
        name_input(self.add_button, f"Add a row to {field.label}")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton("Remove row", self)
        name_input(self.remove_button, f"Remove the selected row from {field.label}")
        self.remove_button.clicked.connect(self.remove_row)

        model = self.table.model()
        for signal in (model.dataChanged, model.rowsInserted, model.rowsRemoved):
            signal.connect(self.changed)
            signal.connect(self._fit_rows)
        model.rowsInserted.connect(self._update_buttons)
        model.rowsRemoved.connect(self._update_buttons)
        self.table.currentCellChanged.connect(self._update_buttons)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.setFocusProxy(self.table)
        self._read_only = False
        self.set_value(None)

    # --- rows -------------------------------------------------------------------------

    def _new_row(self, preset: str | None = None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._fill_row(row, {}, preset)
        return row

    def _fill_row(self, row: int, values: dict[str, Any], preset: str | None) -> None:
        """Put an item in every cell of row: values by column id, the first cell preset."""
        for number, column in enumerate(self.field.columns):
            item = QTableWidgetItem()  # made whole before it goes in: one change per cell
            if number == 0 and preset is not None:
                item.setData(VALUE_ROLE, preset)
                item.setText(preset)
                item.setData(PRESET_ROLE, True)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            else:
                cell = values.get(column.id)
                item.setData(VALUE_ROLE, EMPTY if cell is None else cell)
                item.setText(cell_text(column.kind, cell))
                item.setData(PRESET_ROLE, False)
            self.table.setItem(row, number, item)

    def _item(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None  # _new_row puts an item in every cell
        return item

    def add_row(self) -> None:
        row = self._new_row()
        self.table.setCurrentCell(row, 0)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.editItem(self._item(row, 0))

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0 and not self._is_preset(row):
            self.table.removeRow(row)

    def _is_preset(self, row: int) -> bool:
        item = self.table.item(row, 0)
        return bool(item is not None and item.data(PRESET_ROLE))

    def _update_buttons(self, *_args: object) -> None:
        row = self.table.currentRow()
        self.remove_button.setEnabled(
            not self._read_only and row >= 0 and not self._is_preset(row)
        )

    def _fit_rows(self, *_args: object) -> None:
        """Rows as tall as their text; the table as tall as its rows, up to a limit.

        Measuring wrapped text is the slow part, and only means something at the width
        the table is shown at: while hidden, rows keep their default height until shown.
        """
        if self._filling:
            return
        if self.table.isVisible():
            self.table.fit_when_shown = False
            self.table.resizeRowsToContents()
        else:
            self.table.fit_when_shown = True
        height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        rows = max(rows, self.table.verticalHeader().defaultSectionSize())
        if self.table.horizontalScrollBar().isVisible():
            height += self.table.horizontalScrollBar().height()
        self.table.setFixedHeight(min(height + rows, MAX_VISIBLE_ROWS_HEIGHT))

    # --- value ------------------------------------------------------------------------

    def _rows(self) -> list[dict[str, Any]]:
        rows = []
        for row in range(self.table.rowCount()):
            cells = {}
            for number, column in enumerate(self.field.columns):
                item = self.table.item(row, number)
                cells[column.id] = item.data(VALUE_ROLE) if item is not None else None
            rows.append(cells)
        return rows

    def value(self) -> Any:
        return table_value(self._rows(), self.field.columns[0].id, self.field.preset_rows)

    def set_value(self, value: Any) -> None:
        rows = [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
        presets = list(self.field.preset_rows)
        if not rows:
            rows = [{self.field.columns[0].id: label} for label in presets]
        self._filling = True
        try:
            self.table.setRowCount(0)
            self.table.setRowCount(len(rows))
            for row, values in enumerate(rows):
                first = values.get(self.field.columns[0].id)
                preset = first if isinstance(first, str) and first in presets else None
                if preset is not None:
                    presets.remove(preset)
                self._fill_row(row, values, preset)
        finally:
            self._filling = False
        self._fit_rows()
        self._update_buttons()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers if read_only else EDIT_TRIGGERS
        )
        self.add_button.setVisible(not read_only)
        self.remove_button.setVisible(not read_only)
        self._update_buttons()

    def inputs(self) -> list[QWidget]:
        return [self.table, self.add_button, self.remove_button]
