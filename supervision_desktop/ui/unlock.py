"""The unlock window: passphrase (optionally remembered), or the recovery key and a new
passphrase."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.services.vault_access import Unlocked
from supervision_desktop.ui.messages import describe
from supervision_desktop.ui.operations import run_in_background
from supervision_desktop.ui.passphrase_strength import StrengthMeter
from supervision_desktop.ui.widgets import heading, muted

UnlockWithPassphrase = Callable[[str, bool], Unlocked]  # passphrase, remember
UnlockWithRecoveryKey = Callable[[str, str], Unlocked]  # recovery key, new passphrase


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class UnlockWindow(QWidget):
    """Emits `unlocked(Unlocked)`; every failure is shown in the window, nothing is lost."""

    unlocked = Signal(object)

    def __init__(
        self,
        folder: Path,
        unlock_with_passphrase: UnlockWithPassphrase,
        unlock_with_recovery_key: UnlockWithRecoveryKey,
        *,
        notice: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._with_passphrase = unlock_with_passphrase
        self._with_recovery_key = unlock_with_recovery_key
        self.setWindowTitle("Supervision Desktop — locked")
        self.setMinimumWidth(480)
        self._pages = QStackedWidget()
        self._pages.addWidget(self._passphrase_page(folder, notice))
        self._pages.addWidget(self._recovery_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.addWidget(self._pages)

    def _passphrase_page(self, folder: Path, notice: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(heading("Unlock your records"))
        layout.addWidget(muted(f"Vault: {folder}"))
        self.notice = QLabel(notice)
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setVisible(bool(notice))
        layout.addWidget(self.notice)
        form = QFormLayout()
        self.passphrase = _password_field("Passphrase")
        form.addRow("&Passphrase", self.passphrase)
        self.remember = QCheckBox("Remember on this device")
        form.addRow("", self.remember)
        layout.addLayout(form)
        self.error = _error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)
        forgotten = QPushButton("Forgotten it? Use the recovery key…")
        forgotten.setFlat(True)
        forgotten.setCursor(Qt.CursorShape.PointingHandCursor)
        forgotten.setStyleSheet("color: #1a5fb4; text-decoration: underline;")
        forgotten.clicked.connect(lambda: self._show_page(1))
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._unlock)
        self.passphrase.returnPressed.connect(self._unlock)
        buttons = QHBoxLayout()
        buttons.addWidget(forgotten)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        layout.addLayout(buttons)
        return page

    def _recovery_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(heading("Unlock with your recovery key"))
        layout.addWidget(muted(
            "Type the recovery key you were given when the vault was created, then choose "
            "a new passphrase. Your old passphrase will no longer work."
        ))
        form = QFormLayout()
        self.recovery_key = QLineEdit()
        self.recovery_key.setAccessibleName("Recovery key")
        self.recovery_key.setPlaceholderText("ABCD-EFGH-…")
        self.new_passphrase = _password_field("New passphrase")
        self.new_repeat = _password_field("Repeat new passphrase")
        form.addRow("&Recovery key", self.recovery_key)
        form.addRow("&New passphrase", self.new_passphrase)
        self.new_strength = StrengthMeter(self.new_passphrase)
        form.addRow("Strength", self.new_strength)
        form.addRow("Re&peat it", self.new_repeat)
        layout.addLayout(form)
        self.recovery_error = _error_label()
        layout.addWidget(self.recovery_error)
        layout.addStretch(1)
        back = QPushButton("Back")
        back.clicked.connect(lambda: self._show_page(0))
        self.recover_button = QPushButton("Unlock and set passphrase")
        self.recover_button.clicked.connect(self._recover)
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.recover_button)
        layout.addLayout(buttons)
        return page

    def _show_page(self, index: int) -> None:
        self._pages.setCurrentIndex(index)
        (self.passphrase if index == 0 else self.recovery_key).setFocus()

    def _busy(self, button: QPushButton, busy: bool, label: str) -> None:
        button.setEnabled(not busy)
        button.setText("Unlocking…" if busy else label)

    def _unlock(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        passphrase = self.passphrase.text()
        if not passphrase:
            self.error.setText("Type your passphrase.")
            return
        remember = self.remember.isChecked()
        self.error.clear()
        self._busy(self.unlock_button, True, "Unlock")
        run_in_background(
            lambda: self._with_passphrase(passphrase, remember), self._done, self._failed
        )

    def _failed(self, exc: Exception) -> None:
        self._busy(self.unlock_button, False, "Unlock")
        self.error.setText(describe(exc))
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def _recover(self) -> None:
        new = self.new_passphrase.text()
        strength = self.new_strength.strength()
        self.new_strength.refresh()
        if not strength.acceptable:
            self.recovery_error.setText(f"New passphrase: {strength.hint}")
            return
        if new != self.new_repeat.text():
            self.recovery_error.setText("The two new passphrases differ.")
            return
        key = self.recovery_key.text()
        self.recovery_error.clear()
        self._busy(self.recover_button, True, "Unlock and set passphrase")
        run_in_background(
            lambda: self._with_recovery_key(key, new), self._done, self._recovery_failed
        )

    def _recovery_failed(self, exc: Exception) -> None:
        self._busy(self.recover_button, False, "Unlock and set passphrase")
        self.recovery_error.setText(describe(exc))

    def _done(self, result: Unlocked) -> None:
        self.passphrase.clear()
        self.new_passphrase.clear()
        self.new_repeat.clear()
        self.recovery_key.clear()
        self.unlocked.emit(result)
