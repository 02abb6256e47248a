"""Decide what happens to each action carried into a draft record: done, carried
forward or dropped (with a reason).

Opened when a record with carried actions is finalised and from the Actions page; it
calls ``services.actions`` and reports by signal.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.domain.records import RecordStatus
from supervision_desktop.errors import UserError
from supervision_desktop.services import actions, records
from supervision_desktop.services.actions import CarriedAction
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.dialog_parts import error_label, ok_buttons, show_error
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import muted

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
        self.error = error_label()
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
        self.notice = error_label()
        self.notice.setObjectName("notice")
        buttons, self.save_button = ok_buttons("Save decisions")
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
            show_error(row.error, "Say why this action is being dropped." if needs else "")
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
                show_error(row.error, describe(exc))
                failed = True
            else:
                saved = True
        if saved:
            self.resolved.emit(self.record_id)
        undecided = sum(1 for row in self.rows if row.outcome() is None)
        if failed:
            return
        if undecided:
            show_error(self.notice, f"Saved. {undecided} action(s) still need a decision "
                                     "before the record can be finalised.")
            return
        self.accept()
