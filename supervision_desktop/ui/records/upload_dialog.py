"""Mark an exported record as uploaded to the case management system: the date and a
reference.

Shown with ``open()``; it reports what was entered by signal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import iso_date
from supervision_desktop.ui.common.dialog_parts import accept_buttons, plain
from supervision_desktop.ui.common.kept_input import DialogState, set_widget_values, widget_values
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import muted
from supervision_desktop.ui.forms.date_field import DateField

# --- mark uploaded ----------------------------------------------------------------------


@dataclass(frozen=True)
class UploadNote:
    uploaded_on: dt.date
    reference: str


class UploadDialog(QDialog):
    """When the signed PDF went onto the official file, and that system's reference."""

    marked = Signal(object)  # UploadNote

    def __init__(self, mark: Callable[[dt.date, str], None],
                 parent: QWidget | None = None, *, record_id: str | None = None) -> None:
        super().__init__(parent)
        self._mark = mark
        self._record_id = record_id  # kept over a lock, to reopen on the same record
        self.setWindowTitle("Mark as uploaded")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.addWidget(plain(
            "Note that the signed PDF is now on the official case or staff file, so the "
            "record counts as uploaded."
        ))
        form = QFormLayout()
        self.date = DateField("Date uploaded")
        self.date.set_iso(dt.date.today().isoformat())
        form.addRow("Date &uploaded", self.date)
        self.reference = QLineEdit()
        self.reference.setAccessibleName("Reference in the receiving system")
        self.reference.setPlaceholderText("For example the Mosaic document ID")
        form.addRow("&Reference", self.reference)
        layout.addLayout(form)
        layout.addWidget(muted(
            "The reference is how the file is found in the receiving system (Mosaic, LCS, "
            "a shared drive); leave it blank if there is none."
        ))
        self.error = plain(name="error")
        layout.addWidget(self.error)
        buttons, self.mark_button = accept_buttons("Mark as uploaded")
        buttons.accepted.connect(self._apply)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _kept_inputs(self) -> dict[str, QWidget]:
        return {"date": self.date.edit, "reference": self.reference}

    def capture_state(self) -> DialogState:
        """The date and reference typed, kept over a lock (see kept_input)."""
        return DialogState("mark_uploaded", self.windowTitle(),
                           widget_values(self._kept_inputs()), (self._record_id,))

    def restore_state(self, state: DialogState) -> None:
        set_widget_values(self._kept_inputs(), state.values)

    def _apply(self) -> None:
        if not self.date.iso():
            self.error.setText("Write the date it was uploaded as 22/11/2026.")
            return
        note = UploadNote(iso_date(self.date.iso()), self.reference.text().strip())
        try:
            self._mark(note.uploaded_on, note.reference)
        except Exception as exc:
            self.error.setText(describe(exc))
            return
        self.marked.emit(note)
        self.accept()
