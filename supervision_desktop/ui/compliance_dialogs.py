"""Dialogs for what is due: a cancelled session, carried actions, an agreed change of
frequency, and the policy profile the vault follows.

Each dialog calls one service and reports what it did by signal; none blocks the event
loop (they are shown with ``open()``). A problem a person can fix is shown inside the
dialog, in their words, and what they typed stays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.people import KIND_LABELS
from supervision_desktop.domain.policy import Period, describe_profile
from supervision_desktop.domain.records import RecordStatus
from supervision_desktop.errors import UserError
from supervision_desktop.services import actions, cancellations, compliance, people, records
from supervision_desktop.services.actions import CarriedAction
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.forms.date_field import DateField
from supervision_desktop.ui.kept_input import DialogState, set_widget_values, widget_values
from supervision_desktop.ui.messages import describe
from supervision_desktop.ui.table_models import uk_date
from supervision_desktop.ui.widgets import muted, picked_date

Today = Callable[[], dt.date]


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.hide()
    return label


def _show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def _date_edit(name: str, day: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    edit.setAccessibleName(name)
    edit.setFixedWidth(edit.fontMetrics().horizontalAdvance("00/00/00000") + 48)
    return edit


def _text_box(name: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)  # Tab moves on; the box is for a sentence or two
    box.setFixedHeight(box.fontMetrics().lineSpacing() * 4 + 12)
    return box


def _row(form: QFormLayout, text: str, widget: QWidget) -> None:
    label = QLabel(text)
    label.setBuddy(widget)
    form.addRow(label, widget)


def person_combo(vault: Vault, kinds: Iterable[str], name: str,
                 chosen: str | None = None) -> QComboBox:
    """A choice of the people of ``kinds``, named with their kind; ``chosen`` preselected."""
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setMinimumContentsLength(28)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    for kind in kinds:
        for person in people.list_people(vault, kind):
            combo.addItem(f"{person.name} ({KIND_LABELS[kind].lower()})", person.id)
    if chosen is not None:
        combo.setCurrentIndex(max(combo.findData(chosen), 0))
    return combo


def _buttons(ok_text: str) -> tuple[QDialogButtonBox, QPushButton]:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setDefault(True)
    return box, ok


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
        self.planned = _date_edit("Planned date", today())
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
        self.reason = _text_box("Reasons for postponement")
        self.rescheduled = DateField("Rescheduled for")
        self.comments = QLineEdit()
        self.comments.setAccessibleName("Comments")

        form = QFormLayout()
        _row(form, "&Who", self.person)
        _row(form, "&Planned date", self.planned)
        _row(form, "Planned &time", self.time)
        _row(form, "&Cancelled by", self.initiated_by)
        _row(form, "&Reasons for postponement", self.reason)
        _row(form, "Re&scheduled for", self.rescheduled)
        _row(form, "C&omments", self.comments)
        self.error = _error_label()
        buttons, self.save_button = _buttons("Record cancellation")
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
            _show_error(self.error, "The rescheduled date is not a date: write it as 22/11/2026.")
            return
        moved = self.rescheduled.iso()
        try:
            view = cancellations.record_cancellation(
                self._vault, person_id, picked_date(self.planned),
                reason=self.reason.toPlainText(), planned_time=self.time.text(),
                initiated_by=self.initiated_by.currentText(),
                rescheduled_for=dt.date.fromisoformat(moved) if moved else None,
                comments=self.comments.text(),
            )
        except UserError as exc:
            _show_error(self.error, describe(exc))
            return
        self.accept()
        self.recorded.emit(view.id)


# --- carried actions -----------------------------------------------------------------

OUTCOMES = (("done", "Done"), ("carried_forward", "Carry forward"), ("dropped", "Drop"))


class CarriedActionRow(QFrame):
    """One carried action and the decision about it."""

    def __init__(self, carried: CarriedAction, editable: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.carried = carried
        action = carried.action
        self.setFrameShape(QFrame.Shape.StyledPanel)
        title = QLabel(action.text)
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setWordWrap(True)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        facts = [f"Owner: {action.owner}" if action.owner else "No owner named",
                 f"due {uk_date(action.due_on)}" if action.due_on else "no due date",
                 f"from {action.source_title}, {uk_date(action.source_date)}"]
        self.choices = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        choice_row = QHBoxLayout()
        for outcome, label in OUTCOMES:
            radio = QRadioButton(label)
            radio.setAccessibleName(f"{label}: {action.text}")
            radio.setEnabled(editable)
            self.choices.addButton(radio)
            self.radios[outcome] = radio
            choice_row.addWidget(radio)
            radio.setChecked(carried.outcome == outcome)
        choice_row.addStretch(1)
        self.reason = QLineEdit(carried.reason)
        self.reason.setAccessibleName(f"Reason or comment: {action.text}")
        self.reason.setPlaceholderText("Reason (needed to drop it) or a comment")
        self.reason.setReadOnly(not editable)
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(muted(" · ".join(facts)))
        layout.addLayout(choice_row)
        layout.addWidget(self.reason)
        layout.addWidget(self.error)

    def outcome(self) -> str | None:
        return next((o for o, radio in self.radios.items() if radio.isChecked()), None)

    def choose(self, outcome: str, reason: str = "") -> None:
        self.radios[outcome].setChecked(True)
        if reason:
            self.reason.setText(reason)

    def changed(self) -> bool:
        chosen = self.outcome()
        return chosen is not None and (chosen, self.reason.text().strip()) != (
            self.carried.outcome, self.carried.reason)


class ResolveCarriedActionsDialog(QDialog):
    """Say what happened to each action carried into a draft, so it can be finalised."""

    resolved = Signal(str)  # the record's id, after any decision was saved

    def __init__(self, vault: Vault, record_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self.record_id = record_id
        self.setWindowTitle("Resolve carried actions")
        self.resize(640, 560)
        summary = records.get_record(vault, record_id).summary
        editable = summary.status is RecordStatus.DRAFT
        carried = actions.carried_actions(vault, record_id)
        about = f" about {summary.subject_name}" if summary.subject_name else ""
        record_name = f"{summary.template_title} of {uk_date(summary.session_date)}{about}"
        if not carried:
            intro = f"No actions were carried into the {record_name}."
        elif editable:
            intro = (f"These actions were carried into the {record_name} from earlier records. "
                     "Mark each done, carried forward (it comes back next time) or dropped "
                     "(say why) before the record is finalised.")
        else:
            intro = f"The {record_name} is finalised: its decisions about actions are closed."
        self.rows = [CarriedActionRow(c, editable) for c in carried]
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        for row in self.rows:
            inner_layout.addWidget(row)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.notice = _error_label()
        self.notice.setObjectName("notice")
        buttons, self.save_button = _buttons("Save decisions")
        self.save_button.setEnabled(editable and bool(self.rows))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(muted(intro))
        layout.addWidget(scroll, 1)
        layout.addWidget(self.notice)
        layout.addWidget(buttons)

    def save(self) -> None:
        missing_reason = False
        for row in self.rows:
            needs = row.outcome() == "dropped" and not row.reason.text().strip()
            _show_error(row.error, "Say why this action is being dropped." if needs else "")
            missing_reason |= needs
        if missing_reason:
            return
        saved = failed = False
        for row in self.rows:
            if not row.changed():
                continue
            outcome = row.outcome()
            assert outcome is not None
            try:
                actions.resolve_carried_action(self._vault, self.record_id, row.carried.action.id,
                                               outcome, row.reason.text())
            except UserError as exc:
                _show_error(row.error, describe(exc))
                failed = True
            else:
                saved = True
        if saved:
            self.resolved.emit(self.record_id)
        undecided = sum(1 for row in self.rows if row.outcome() is None)
        if failed:
            return
        if undecided:
            _show_error(self.notice, f"Saved. {undecided} action(s) still need a decision "
                                     "before the record can be finalised.")
            return
        self.accept()


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
        self.agreed_on = _date_edit("Agreed on", today())
        self.approved_by = QLineEdit()
        self.approved_by.setAccessibleName("Approved by")
        self.approved_by.setPlaceholderText(f"Name and role, e.g. the {approver}")
        self.reason = _text_box("Reason")
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
        _row(form, "&Person", self.person)
        _row(form, "&Frequency", every_box)
        _row(form, "A&greed on", self.agreed_on)
        _row(form, "&Approved by", self.approved_by)
        _row(form, "&Reason", self.reason)
        self.error = _error_label()
        buttons, self.save_button = _buttons("Record agreement")
        self.save_button.setEnabled(self.person.count() > 0)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        where = f" ({rule.ref})" if rule else ""
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
            _show_error(self.error, describe(exc))
            return
        self.accept()
        self.agreed.emit(view.id)


# --- the policy profile --------------------------------------------------------------


CURRENT = "\x00current"  # the list entry for a profile set from a file


class PolicyProfileDialog(QDialog):
    """Choose which policy's rules the due dates follow: a shipped profile or a file."""

    profile_changed = Signal(str)  # the profile's id

    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self.setWindowTitle("Policy profile")
        self.resize(860, 560)
        self.current = compliance.vault_profile(vault)
        self._profiles = {p.id: p for p in compliance.profiles().profiles}
        shipped = self._profiles.get(self.current.id)
        self._from_file = shipped is None or shipped.snapshot() != self.current.snapshot()
        self.choices = QListWidget()
        self.choices.setAccessibleName("Policy profiles")
        if self._from_file:
            self._add(f"{self.current.title} (in use, from your agency's file)", CURRENT)
        for profile in list(self._profiles.values()):
            in_use = profile.id == self.current.id and not self._from_file
            self._add(profile.title + (" (in use)" if in_use else ""), profile.id)
        if self._from_file:
            self._profiles[CURRENT] = self.current
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName("The profile's rules")
        self.details.setTabChangesFocus(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.choices.currentItemChanged.connect(self._show)
        self.error = _error_label()
        self.file_button = QPushButton("Use a profile &file…")
        self.file_button.setAccessibleName("Use your agency's own profile file")
        self.file_button.clicked.connect(self._choose_file)
        buttons, self.use_button = _buttons("Use this profile")
        buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        chooser = QHBoxLayout()
        chooser.addWidget(self.choices, 2)
        chooser.addWidget(self.details, 3)
        label = QLabel("Due dates follow the &rules of:")
        label.setBuddy(self.choices)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(chooser, 1)
        layout.addWidget(muted("Every rule names the paragraph and line of the policy it comes "
                               "from. Changing the profile changes every due date at once; no "
                               "record changes."))
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.choose(CURRENT if self._from_file else self.current.id)

    def _add(self, text: str, key: str) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.choices.addItem(item)

    def choose(self, profile_id: str) -> None:
        for number in range(self.choices.count()):
            if self.choices.item(number).data(Qt.ItemDataRole.UserRole) == profile_id:
                self.choices.setCurrentRow(number)
                return
        raise KeyError(profile_id)

    def chosen(self) -> str | None:
        item = self.choices.currentItem()
        profile_id: str | None = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return profile_id

    def _show(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        key = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        profile = self._profiles.get(key) if key else None
        self.details.setPlainText(describe_profile(profile) if profile else "")

    def apply(self) -> None:
        key = self.chosen()
        if key is None or key == CURRENT or (key == self.current.id and not self._from_file):
            self.accept()  # nothing changes
            return
        try:
            profile = compliance.set_profile(self._vault, key)
        except UserError as exc:
            _show_error(self.error, describe(exc))
            return
        self.accept()
        self.profile_changed.emit(profile.id)

    def _choose_file(self) -> None:
        dialog = QFileDialog(self, "Your agency's policy profile", "",
                             "Policy profiles (*.yaml *.yml)")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.use_file)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def use_file(self, path: str) -> None:
        try:
            profile = compliance.set_profile(self._vault, path=Path(path))
        except UserError as exc:
            _show_error(self.error, describe(exc))
            return
        self.accept()
        self.profile_changed.emit(profile.id)
