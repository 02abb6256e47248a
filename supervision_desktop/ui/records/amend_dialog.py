"""Amend a finalised record: the reason for the change, then a new version opens as a draft.

Shown with ``open()``; it reports the reason by signal. What was typed stays when the
vault locks.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.ui.common.dialog_parts import accept_buttons, plain
from supervision_desktop.ui.common.kept_input import DialogState, set_widget_values, widget_values
from supervision_desktop.ui.common.messages import describe

# --- amend ------------------------------------------------------------------------------


class AmendDialog(QDialog):
    """Why the record is amended (required); opens the next version as a draft."""

    amended = Signal(int)  # the new version's number

    def __init__(self, amend: Callable[[str], int], version: int,
                 parent: QWidget | None = None, *, record_id: str | None = None) -> None:
        super().__init__(parent)
        self._amend = amend
        self._record_id = record_id  # kept over a lock, to reopen on the same record
        self.setWindowTitle("Amend this record")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.addWidget(plain(
            f"Version {version} stays exactly as it was finalised. The amendment is a new "
            f"version ({version + 1}) that opens as a draft for you to change and finalise "
            "again. Both versions are kept, linked, in the record's history."
        ))
        layout.addWidget(plain("Why is the record being amended? (required)"))
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason for the amendment")
        self.reason.setPlaceholderText("For example: the date of the next session was wrong.")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.reason.fontMetrics().lineSpacing() * 4 + 12)
        layout.addWidget(self.reason)
        self.error = plain(name="error")
        layout.addWidget(self.error)
        buttons, self.amend_button = accept_buttons("Open the amendment")
        self.amend_button.setEnabled(False)
        self.reason.textChanged.connect(
            lambda: self.amend_button.setEnabled(bool(self.reason.toPlainText().strip()))
        )
        buttons.accepted.connect(self._apply)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reason.setFocus()

    def capture_state(self) -> DialogState:
        """The reason typed, kept over a lock (see kept_input)."""
        return DialogState("amend", self.windowTitle(),
                           widget_values({"reason": self.reason}), (self._record_id,))

    def restore_state(self, state: DialogState) -> None:
        set_widget_values({"reason": self.reason}, state.values)

    def _apply(self) -> None:
        try:
            number = self._amend(self.reason.toPlainText())
        except Exception as exc:  # shown here; the reason typed stays
            self.error.setText(describe(exc))
            return
        self.amended.emit(number)
        self.accept()
