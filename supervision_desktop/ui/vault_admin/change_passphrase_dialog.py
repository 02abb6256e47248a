"""Change the passphrase: current one, new one twice. Rewraps the key; nothing re-encrypted."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.passphrase_strength import StrengthMeter
from supervision_desktop.ui.common.widgets import muted

ChangePassphrase = Callable[[str, str], None]  # current, new


class ChangePassphraseDialog(QDialog):
    def __init__(self, change: ChangePassphrase, parent: QWidget | None = None, *,
                 owner_name: str = "") -> None:
        super().__init__(parent)
        self._change = change
        self.setWindowTitle("Change passphrase")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.addWidget(muted("Your recovery key keeps working after the change."))
        form = QFormLayout()
        self.current = self._password("Current passphrase")
        self.new = self._password("New passphrase")
        self.repeat = self._password("Repeat new passphrase")
        form.addRow("&Current passphrase", self.current)
        form.addRow("&New passphrase", self.new)
        self.strength = StrengthMeter(self.new, lambda: [owner_name])
        form.addRow("Strength", self.strength)
        form.addRow("&Repeat it", self.repeat)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Change passphrase")
        buttons.accepted.connect(self._apply)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _password(name: str) -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setAccessibleName(name)
        return field

    def _apply(self) -> None:
        strength = self.strength.strength()
        self.strength.refresh()
        if not strength.acceptable:
            self.error.setText(f"New passphrase: {strength.hint}")
            self.new.setFocus()
            return
        if self.new.text() != self.repeat.text():
            self.error.setText("The two new passphrases differ.")
            return
        try:
            self._change(self.current.text(), self.new.text())
        except Exception as exc:  # shown in the dialog; everything typed stays
            self.error.setText(describe(exc))
            return
        self.accept()
