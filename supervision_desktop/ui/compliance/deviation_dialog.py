"""Record an agreed change of supervision frequency for one person: how often, when
agreed, who approved it and why.

The dialog calls ``services.compliance`` and reports by signal; it does not block the
event loop. A problem a person can fix is shown inside it, and what they typed stays.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.domain.policy import Period, cite
from supervision_desktop.errors import UserError
from supervision_desktop.services import compliance
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

# --- an agreed change of frequency ---------------------------------------------------

UNITS = (("weeks", "weeks"), ("months", "months"), ("days", "days"))


class DeviationDialog(QDialog):
    """Record an agreed, approved permanent change to one person's frequency (Kent §6.1)."""

    agreed = Signal(str)  # the deviation's id; also emitted (with '') when one is ended

    def __init__(self, vault: Vault, person_id: str | None = None,
                 parent: QWidget | None = None, *, today: Today = dt.date.today) -> None:
        super().__init__(parent)
        self._vault = vault
        self._today = today
        self.setWindowTitle("Agree a different frequency")
        self.setMinimumWidth(580)
        profile = compliance.vault_profile(vault)
        rule = profile.deviations
        approver = rule.approver if rule else "manager who approves it"
        self.person = person_combo(vault, ("supervisee", "child"), "Person", person_id)
        self.number = QSpinBox()
        self.number.setRange(1, 52)
        self.number.setValue(6)
        self.number.setAccessibleName("Every how many")
        self.unit = QComboBox()
        self.unit.setAccessibleName("Unit")
        for value, label in UNITS:
            self.unit.addItem(label, value)
        every = QHBoxLayout()
        every.addWidget(QLabel("every"))
        every.addWidget(self.number)
        every.addWidget(self.unit)
        every.addStretch(1)
        every_box = QWidget()
        every_box.setLayout(every)
        every.setContentsMargins(0, 0, 0, 0)
        every_box.setFocusProxy(self.number)
        self.agreed_on = date_edit("Agreed on", today())
        self.approved_by = QLineEdit()
        self.approved_by.setAccessibleName("Approved by")
        self.approved_by.setPlaceholderText(f"Name and role, e.g. the {approver}")
        self.reason = text_box("Reason")
        self.existing = QListWidget()
        self.existing.setAccessibleName("Agreements for this person")
        self.existing.setMaximumHeight(90)
        self.end_button = QPushButton("&End the selected agreement")
        self.end_button.setEnabled(False)
        self.end_button.clicked.connect(self._end)
        self.existing.currentItemChanged.connect(
            lambda item, _old: self.end_button.setEnabled(
                item is not None and item.data(Qt.ItemDataRole.UserRole) is not None))

        form = QFormLayout()
        add_row(form, "&Person", self.person)
        add_row(form, "&Frequency", every_box)
        add_row(form, "A&greed on", self.agreed_on)
        add_row(form, "&Approved by", self.approved_by)
        add_row(form, "&Reason", self.reason)
        self.error = error_label()
        buttons, self.save_button = ok_buttons("Record agreement")
        self.save_button.setEnabled(self.person.count() > 0)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        where = f" ({cite(rule.ref)})" if rule and rule.ref else ""
        layout = QVBoxLayout(self)
        layout.addWidget(muted(
            "A permanent change to how often one person is supervised, or a child's case "
            "discussed. From the day it is agreed it replaces the policy profile's frequency "
            f"for them. The policy asks for approval by the {approver}{where}."))
        layout.addLayout(form)
        existing_label = QLabel("E&xisting agreements")
        existing_label.setBuddy(self.existing)
        layout.addWidget(existing_label)
        layout.addWidget(self.existing)
        layout.addWidget(self.end_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.person.currentIndexChanged.connect(self._list_existing)
        self._list_existing()

    def _kept_inputs(self) -> dict[str, QWidget]:
        return {"person": self.person, "number": self.number, "unit": self.unit,
                "agreed_on": self.agreed_on, "approved_by": self.approved_by,
                "reason": self.reason}

    def capture_state(self) -> DialogState:
        """What was typed, kept over a lock (see kept_input)."""
        return DialogState("deviation", self.windowTitle(), widget_values(self._kept_inputs()))

    def restore_state(self, state: DialogState) -> None:
        set_widget_values(self._kept_inputs(), state.values)

    def _list_existing(self) -> None:
        self.existing.clear()
        person_id = self.person.currentData()
        found = compliance.list_deviations(self._vault, person_id) if person_id else []
        for view in found:
            agreed = view.deviation
            text = (f"{agreed.every.every()} from {uk_date(agreed.agreed_on)}, approved by "
                    f"{agreed.approved_by}: {agreed.reason}")
            if view.ended_on:
                text += f" (ended {uk_date(view.ended_on)})"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, None if view.ended_on else view.id)
            self.existing.addItem(item)
        if not found:
            self.existing.addItem(QListWidgetItem("None: the policy profile's frequency applies."))

    def _end(self) -> None:
        item = self.existing.currentItem()
        deviation_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        if deviation_id:
            compliance.end_deviation(self._vault, deviation_id, self._today())
            self._list_existing()
            self.agreed.emit("")

    def save(self) -> None:
        person_id = self.person.currentData()
        if person_id is None:
            return
        period = Period.model_validate({self.unit.currentData(): self.number.value()})
        try:
            view = compliance.add_deviation(
                self._vault, person_id, period, reason=self.reason.toPlainText(),
                approved_by=self.approved_by.text(), agreed_on=picked_date(self.agreed_on))
        except UserError as exc:
            show_error(self.error, describe(exc))
            return
        self.accept()
        self.agreed.emit(view.id)


