"""The Actions page: every tracked action, who owns it, when it is due and where it came from.

Actions are the rows of a finalised record's action table. An open action is carried
into the next record about the same person, where it is marked done, carried forward or
dropped; until then that record cannot be finalised, so the page offers the dialog that
settles them ("Resolve carried actions…"). Any open action can also be closed here
directly ("Mark done…", "Drop…", with a reason and a day): the only way for actions no
later record reviews (case discussions, oversight, group discussions, a carer's
received records).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.domain.people import KIND_LABELS
from supervision_desktop.errors import UserError
from supervision_desktop.services import actions, people
from supervision_desktop.services.actions import ActionView
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.actions.action_columns import action_columns
from supervision_desktop.ui.actions.carried_actions_dialog import ResolveCarriedActionsDialog
from supervision_desktop.ui.common.columns import ColumnsModel
from supervision_desktop.ui.common.kept_input import DialogState, set_widget_values, widget_values
from supervision_desktop.ui.common.list_page import ListPage
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import heading, muted, picked_date

ABOUT = ("Actions are taken from the action tables of finalised records. Open actions are "
         "carried into the next record about the same person, where each is marked done, "
         "carried forward or dropped. Any open action can also be marked done or dropped "
         "here, with a reason.")
NO_OPEN = "No open actions. Finalise a record with an action table and its actions appear here."
NO_ACTIONS = "No actions yet. Finalise a record with an action table and its actions appear here."
OPEN, EVERY = "open", "all"


def _closable(action: ActionView) -> bool:
    return action.status == actions.OPEN


class ActionsView(ListPage[ActionView]):
    def __init__(self, vault: Vault, *, today: Callable[[], dt.date] = dt.date.today,
                 parent: QWidget | None = None, load: bool = True) -> None:
        """``load=False`` leaves the list empty until `refresh` (the main window refreshes
        a page as it shows it: no reading every action at unlock)."""
        super().__init__(
            ColumnsModel(action_columns(today), lambda a: a.source_record_id), name="Actions",
            ident=lambda a: a.id, empty=NO_OPEN,
            description="Double-click or press Enter to open the record the action came from.",
            sorts_itself=True,  # fast on thousands of actions
            stretch=1, parent=parent)
        self._vault = vault
        self._today = today
        self.dialog: ResolveCarriedActionsDialog | CloseActionDialog | None = None

        self.person = QComboBox()
        self.person.setAccessibleName("Whose actions")
        self.person.setMinimumContentsLength(24)
        self.person.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.show_which = QComboBox()
        self.show_which.setAccessibleName("Which actions")
        self.show_which.addItem("Open actions", OPEN)
        self.show_which.addItem("All actions, with done and dropped", EVERY)
        filters = QHBoxLayout()
        for text, combo in (("&About", self.person), ("S&how", self.show_which)):
            label = QLabel(text)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo)
            filters.addSpacing(12)
        filters.addStretch(1)

        self.open_button = self.acts_on_selection(QPushButton("&Open the record it came from"))
        self.open_button.clicked.connect(self.open_selected)
        self.resolve_button = self.acts_on_selection(QPushButton("&Resolve carried actions…"),
                                                     lambda a: a.carried_into is not None)
        self.resolve_button.setAccessibleName(
            "Resolve the actions carried into the record under way")
        self.resolve_button.setToolTip(
            "Mark the actions carried into a draft record done, carried forward or dropped")
        self.resolve_button.clicked.connect(self.resolve_carried)
        self.done_button = self.acts_on_selection(QPushButton("Mark &done…"), _closable)
        self.done_button.setAccessibleName("Mark the selected action done")
        self.done_button.clicked.connect(lambda: self.close_selected(actions.DONE))
        self.drop_button = self.acts_on_selection(QPushButton("Dro&p…"), _closable)
        self.drop_button.setAccessibleName("Drop the selected action")
        self.drop_button.clicked.connect(lambda: self.close_selected(actions.DROPPED))
        self.count = muted("")
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.done_button)
        buttons.addWidget(self.drop_button)
        buttons.addWidget(self.resolve_button)
        buttons.addStretch(1)
        buttons.addWidget(self.count)

        layout = QVBoxLayout(self)
        layout.addWidget(heading("Actions"))
        layout.addWidget(muted(ABOUT))
        layout.addLayout(filters)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)

        if load:
            self.refresh()
        self.person.currentIndexChanged.connect(self.reload)
        self.show_which.currentIndexChanged.connect(self.reload)

    def refresh(self) -> None:
        """Reload the people to choose from (they may have changed) and the actions."""
        keep = self.person.currentData()
        self.person.blockSignals(True)
        self.person.clear()
        self.person.addItem("Everyone", None)
        for person in people.list_people(self._vault):
            self.person.addItem(f"{person.name} ({KIND_LABELS[person.kind].lower()})", person.id)
        self.person.setCurrentIndex(max(self.person.findData(keep), 0) if keep else 0)
        self.person.blockSignals(False)
        self.reload()

    def show_person(self, person_id: str | None) -> None:
        """Show only person_id's actions (None: everyone's)."""
        self.person.setCurrentIndex(max(self.person.findData(person_id), 0) if person_id else 0)

    def show_all(self, everything: bool) -> None:
        self.show_which.setCurrentIndex(self.show_which.findData(EVERY if everything else OPEN))

    def reload(self) -> None:
        everything = self.show_which.currentData() == EVERY
        found = actions.list_actions(self._vault, status=None if everything else OPEN,
                                     subject_id=self.person.currentData())
        self.show_rows(found, NO_ACTIONS if everything else NO_OPEN)
        overdue = sum(1 for a in found if a.overdue_on(self._today()))
        shown = "1 action" if len(found) == 1 else f"{len(found)} actions"
        self.count.setText(f"{shown}, {overdue} overdue" if overdue else shown)

    def resolve_carried(self) -> ResolveCarriedActionsDialog | None:
        """Open the dialog for the draft record the selected action was carried into."""
        action = self.selected()
        if action is None or action.carried_into is None:
            return None
        dialog = ResolveCarriedActionsDialog(self._vault, action.carried_into, self)
        dialog.resolved.connect(lambda _id: self.reload())
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def close_selected(self, outcome: str) -> CloseActionDialog | None:
        """Ask for the reason and the day, then mark the selected open action done or
        dropped (``outcome``); the list reloads and keeps the action selected."""
        action = self.selected()
        if action is None or action.status != actions.OPEN:
            return None
        dialog = CloseActionDialog(self._vault, action, outcome, self, today=self._today)
        dialog.closed.connect(self._closed)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _closed(self, action_id: str) -> None:
        self.reload()
        with contextlib.suppress(KeyError):  # still listed when showing all actions
            self.select(action_id)


class CloseActionDialog(QDialog):
    """Mark one open action done or dropped: what was done (or why not) and when."""

    closed = Signal(str)  # the action's id

    def __init__(self, vault: Vault, action: ActionView, outcome: str,
                 parent: QWidget | None = None, *,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self._vault = vault
        self._action = action
        self._outcome = outcome
        done = outcome == actions.DONE
        self.setWindowTitle("Mark the action done" if done else "Drop the action")
        self.setMinimumWidth(520)
        what = QLabel(action.text)
        what.setTextFormat(Qt.TextFormat.PlainText)  # typed text, never markup
        what.setWordWrap(True)
        origin = uk_date(action.source_date)
        source = muted(f"From {action.source_title}" + (f", {origin}" if origin else "")
                       + (f" · about {action.subject_name}" if action.subject_name else ""))
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("How it was done" if done else "Why it is dropped")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.reason.fontMetrics().lineSpacing() * 4 + 12)
        day = today()
        self.day = QDateEdit(QDate(day.year, day.month, day.day))
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setCalendarPopup(True)
        self.day.setAccessibleName("Done on" if done else "Dropped on")
        self.day.setMaximumDate(QDate(day.year, day.month, day.day))
        if action.source_date is not None and action.source_date <= day:
            first = action.source_date
            self.day.setMinimumDate(QDate(first.year, first.month, first.day))
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        for text, widget in (("How it was &done" if done else "&Why it is dropped",
                              self.reason),
                             ("Done &on" if done else "Dropped &on", self.day)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
        self.ok = box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Mark done" if done else "Drop the action")
        self.ok.setDefault(True)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        self._kept_inputs = {"reason": self.reason, "day": self.day}
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addWidget(source)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(box)
        self.reason.setFocus()

    def capture_state(self) -> DialogState:
        """What was typed, kept over a lock (see kept_input)."""
        return DialogState("close_action", self.windowTitle(),
                           widget_values(self._kept_inputs), (self._action.id, self._outcome))

    def restore_state(self, state: DialogState) -> None:
        set_widget_values(self._kept_inputs, state.values)

    def save(self) -> bool:
        try:
            actions.close_action(self._vault, self._action.id, self._outcome,
                                 self.reason.toPlainText(), picked_date(self.day))
        except UserError as exc:
            self.error.setText(describe(exc))
            self.error.show()
            return False
        self.closed.emit(self._action.id)
        self.accept()
        return True
