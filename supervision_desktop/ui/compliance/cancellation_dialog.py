"""Note a session that did not happen: when, why, who cancelled it and the new date.

The dialog calls ``services.cancellations`` and reports by signal; a problem a person
can fix is shown inside it, in their words, and what they typed stays.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import iso_date
from supervision_desktop.errors import UserError
from supervision_desktop.services import cancellations
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.dialog_parts import (
    Today,
    add_row,
    date_edit,
    error_label,
    ok_buttons,
    person_combo,
    show_error,
    text_box,
)
from supervision_desktop.ui.common.kept_input import DialogState, set_widget_values, widget_values
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import muted, picked_date
from supervision_desktop.ui.forms.date_field import DateField

# --- a cancelled or postponed session ------------------------------------------------


class CancellationDialog(QDialog):
    """Note a session that did not happen: when, why, who cancelled it and the new date."""

    recorded = Signal(str)  # the cancellation's id

    def __init__(self, vault: Vault, person_id: str | None = None,
                 parent: QWidget | None = None, *, today: Today = dt.date.today) -> None:
        super().__init__(parent)
        self._vault = vault
        self.setWindowTitle("Record a cancellation")
        self.setMinimumWidth(560)
        self.person = person_combo(vault, cancellations.KINDS, "Supervisee or household",
                                   person_id)
        self.planned = date_edit("Planned date", today())
        self.time = QLineEdit()
        self.time.setAccessibleName("Planned time")
        self.time.setPlaceholderText("14:30 (optional)")
        self.time.setMaxLength(5)
        self.time.setFixedWidth(self.time.fontMetrics().horizontalAdvance("14:30 (optional)")
                                + 24)
        self.initiated_by = QComboBox()
        self.initiated_by.setEditable(True)
        self.initiated_by.addItems(["", "Supervisor", "Supervisee", "Foster carer", "Other"])
        self.initiated_by.setAccessibleName("Who cancelled")
        self.reason = text_box("Reasons for postponement")
        self.rescheduled = DateField("Rescheduled for")
        self.comments = QLineEdit()
        self.comments.setAccessibleName("Comments")

        form = QFormLayout()
        add_row(form, "&Who", self.person)
        add_row(form, "&Planned date", self.planned)
        add_row(form, "Planned &time", self.time)
        add_row(form, "&Cancelled by", self.initiated_by)
        add_row(form, "&Reasons for postponement", self.reason)
        add_row(form, "Re&scheduled for", self.rescheduled)
        add_row(form, "C&omments", self.comments)
        self.error = error_label()
        buttons, self.save_button = ok_buttons("Record cancellation")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(muted(
            "A supervision that did not happen as planned. The reason and the new date go on "
            "the supervisee's monitoring sheet; a new date also shows on the dashboard."))
        layout.addLayout(form)
        if self.person.count() == 0:
            self.person.setEnabled(False)
            self.save_button.setEnabled(False)
            layout.addWidget(muted("Add a supervisee or a foster carer household on the "
                                   "People page first."))
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _kept_inputs(self) -> dict[str, QWidget]:
        return {"person": self.person, "planned": self.planned, "time": self.time,
                "initiated_by": self.initiated_by, "reason": self.reason,
                "rescheduled": self.rescheduled.edit, "comments": self.comments}

    def capture_state(self) -> DialogState:
        """What was typed, kept over a lock (see kept_input)."""
        return DialogState("cancellation", self.windowTitle(),
                           widget_values(self._kept_inputs()))

    def restore_state(self, state: DialogState) -> None:
        set_widget_values(self._kept_inputs(), state.values)

    def save(self) -> None:
        person_id = self.person.currentData()
        if person_id is None:
            return
        if self.rescheduled.iso() == "" and self.rescheduled.edit.text().strip():
            show_error(self.error, "The rescheduled date is not a date: write it as 22/11/2026.")
            return
        moved = self.rescheduled.iso()
        try:
            view = cancellations.record_cancellation(
                self._vault, person_id, picked_date(self.planned),
                reason=self.reason.toPlainText(), planned_time=self.time.text(),
                initiated_by=self.initiated_by.currentText(),
                rescheduled_for=iso_date(moved) if moved else None,
                comments=self.comments.text(),
            )
        except UserError as exc:
            show_error(self.error, describe(exc))
            return
        self.accept()
        self.recorded.emit(view.id)
