"""The supervision monitoring sheet: every session held and every one that did not happen.

The sheet (Birmingham Children's Trust's form: date, time, completed yes/no, date
rescheduled for, comments, reasons for postponement) is made from the records and the
cancellations already in the vault, never typed twice. Saving it makes a draft
monitoring-sheet record, which is finalised and exported as a signed PDF like any other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.errors import UserError
from supervision_desktop.services import cancellations
from supervision_desktop.services.cancellations import MonitoringRow, MonitoringSheet
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.columns import (
    Column,
    ColumnsModel,
    Tone,
    date_key,
    fit_columns,
    sorting_proxy,
)
from supervision_desktop.ui.common.dialog_parts import person_combo
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.record_table import RecordTable
from supervision_desktop.ui.common.widgets import list_or_empty, muted
from supervision_desktop.ui.compliance.cancellation_dialog import CancellationDialog

COLUMNS: tuple[Column[MonitoringRow], ...] = (
    Column("Date", lambda r: uk_date(r.session_date), lambda r: date_key(r.session_date)),
    Column("Time", lambda r: r.session_time),
    Column("Completed", lambda r: "Yes" if r.completed else "No",
           tone=lambda r: None if r.completed else Tone.DUE),
    Column("Date rescheduled for", lambda r: uk_date(r.date_rescheduled),
           lambda r: date_key(r.date_rescheduled)),
    Column("Comments", lambda r: r.comments, tip=lambda r: r.comments),
    Column("Reasons for postponement", lambda r: r.reasons_for_postponement,
           tip=lambda r: r.reasons_for_postponement),
    Column("Policy note", lambda r: r.note, tone=lambda r: Tone.OVERDUE if r.note else None,
           tip=lambda r: r.note),
)
REASONS, NOTE = 5, 6
ABOUT = ("Made from the supervision records and the cancellations recorded. Double-click a "
         "session held to open its record. Saving the sheet makes a draft monitoring-sheet "
         "record, to finalise and export as a signed PDF like any other record.")


class MonitoringSheetDialog(QDialog):
    record_created = Signal(str)  # the new monitoring-sheet record's id
    open_record_requested = Signal(str)

    def __init__(self, vault: Vault, person_id: str | None = None,
                 parent: QWidget | None = None, *,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self._vault = vault
        self._today = today
        self.sheet: MonitoringSheet | None = None
        self.setWindowTitle("Supervision monitoring sheet")
        self.resize(1000, 560)

        self.person: QComboBox = person_combo(vault, ("supervisee",), "Supervisee", person_id)
        choose = QLabel("&Supervisee")
        choose.setBuddy(self.person)
        self.names = QLabel()
        self.names.setTextFormat(Qt.TextFormat.PlainText)
        self.names.setWordWrap(True)
        self.names.setAccessibleName("Supervisor and supervisee")
        top = QHBoxLayout()
        top.addWidget(choose)
        top.addWidget(self.person)
        top.addSpacing(16)
        top.addWidget(self.names, 1)

        self.model: ColumnsModel[MonitoringRow] = ColumnsModel(
            COLUMNS, lambda r: r.record_id, self)
        self.proxy = sorting_proxy(self.model, ColumnsModel.SORT_ROLE)
        self.table = RecordTable()
        self.table.setAccessibleName("Supervision sessions")
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.open_requested.connect(self.open_record_requested.emit)
        self.empty = muted("")
        self.stack = list_or_empty(self.table, self.empty)

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.hide()
        self.cancel_button = QPushButton("Record a &cancellation…")
        self.cancel_button.clicked.connect(self.record_cancellation)
        self.save_button = QPushButton("Save as &monitoring sheet record")
        self.save_button.setAccessibleName("Save as a monitoring sheet record")
        self.save_button.clicked.connect(self.save_record)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(muted(ABOUT))
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.dialog: CancellationDialog | None = None
        self.person.currentIndexChanged.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        person_id = self.person.currentData()
        self.error.hide()
        self.save_button.setEnabled(person_id is not None)
        self.cancel_button.setEnabled(person_id is not None)
        if person_id is None:
            self.sheet = None
            self.names.setText("")
            self.model.set_rows([])
            self.empty.setText("Add a supervisee on the People page first.")
            self.stack.setCurrentWidget(self.empty)
            return
        sheet = cancellations.monitoring_sheet(self._vault, person_id)
        self.sheet = sheet
        supervisee = sheet.supervisee_name + (
            f", {sheet.supervisee_job_title}" if sheet.supervisee_job_title else "")
        self.names.setText(f"Supervisor: {sheet.supervisor_name or 'not recorded'}  ·  "
                           f"Supervisee: {supervisee}")
        self.model.set_rows(sheet.rows)
        self.table.setColumnHidden(NOTE, not any(row.note for row in sheet.rows))
        fit_columns(self.table, REASONS, widest=220)
        self.empty.setText(f"No sessions held or cancelled for {sheet.supervisee_name} yet.")
        self.stack.setCurrentWidget(self.table if sheet.rows else self.empty)

    def record_cancellation(self) -> CancellationDialog:
        dialog = CancellationDialog(self._vault, self.person.currentData(), self,
                                    today=self._today)
        dialog.recorded.connect(lambda _id: self.reload())
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def save_record(self) -> None:
        person_id = self.person.currentData()
        if person_id is None:
            return
        try:
            record_id = cancellations.create_monitoring_record(self._vault, person_id,
                                                               self._today())
        except UserError as exc:
            self.error.setText(describe(exc))
            self.error.show()
            return
        self.accept()
        self.record_created.emit(record_id)
