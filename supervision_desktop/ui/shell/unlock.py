"""The unlock window: passphrase (optionally remembered), or the recovery key and a new
passphrase.

When the vault on disk is refused as not the one last opened here (older, empty, cut
short, or its state marker missing or altered: `VaultNotAsLastSeen`), the window says so
and offers the ways out: restore from a backup (the app's restore flow), open it
read-only to look, or (deliberately, audited) open it anyway and keep it as it is."""

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

from supervision_desktop.errors import VaultNotAsLastSeen
from supervision_desktop.services import vault_access
from supervision_desktop.services.vault_access import Unlocked
from supervision_desktop.ui.common.background import run_in_background
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.passphrase_strength import StrengthMeter
from supervision_desktop.ui.common.widgets import heading, muted
from supervision_desktop.ui.vault_admin.backup_and_restore import restore_link

UnlockWithPassphrase = Callable[[str, bool], Unlocked]  # passphrase, remember
UnlockWithRecoveryKey = Callable[[str, str], Unlocked]  # recovery key, new passphrase
OpenRefused = Callable[[str], Unlocked]  # passphrase


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


READ_ONLY_TEXT = ("Read-only: this vault was opened only to look at it. Nothing can be "
                  "saved or changed; restore your newest backup to work in it again.")


def read_only_banner() -> QLabel:
    """The main window's permanent note that the vault is open read-only."""
    banner = QLabel(READ_ONLY_TEXT)
    banner.setObjectName("read-only-banner")
    banner.setWordWrap(True)
    return banner


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
        refused: bool = False,
        open_read_only: OpenRefused | None = None,
        open_keeping_state: OpenRefused | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """refused: the notice is a refusal of the vault on disk: show the ways out now."""
        super().__init__(parent)
        self._folder = folder
        self._with_passphrase = unlock_with_passphrase
        self._with_recovery_key = unlock_with_recovery_key
        self._read_only = open_read_only or (
            lambda passphrase: vault_access.unlock_read_only(folder, passphrase))
        self._keeping_state = open_keeping_state or (
            lambda passphrase: vault_access.unlock_keeping_state(folder, passphrase))
        self.setWindowTitle("Supervision Desktop — locked")
        self.setMinimumWidth(480)
        self._pages = QStackedWidget()
        self._pages.addWidget(self._passphrase_page(folder, notice))
        self._pages.addWidget(self._recovery_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.addWidget(self._pages)
        self.ways_out.setVisible(refused)

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
        layout.addWidget(self._ways_out())
        layout.addStretch(1)
        forgotten = QPushButton("Forgotten it? Use the recovery key…")
        forgotten.setFlat(True)
        forgotten.setCursor(Qt.CursorShape.PointingHandCursor)
        forgotten.setObjectName("link")  # the theme's sheet: the palette's link colour
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

    def _ways_out(self) -> QWidget:
        """Shown when the vault on disk was refused: what can be done about it."""
        self.ways_out = QWidget()
        layout = QVBoxLayout(self.ways_out)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(muted(
            "You can restore your newest backup, or open this vault read-only to look at "
            "what it holds (nothing can be saved). If you are sure it is the newest copy, "
            "you can open it anyway and keep it as it is; this is recorded in the audit log."
        ))
        row = QHBoxLayout()
        self.restore_button = restore_link(self._folder, self._done, self)
        self.read_only_button = QPushButton("Open read-only")
        self.read_only_button.clicked.connect(
            lambda: self._open_refused(self._read_only, self.read_only_button))
        self.keep_button = QPushButton("Open anyway and keep it as it is")
        self.keep_button.clicked.connect(
            lambda: self._open_refused(self._keeping_state, self.keep_button))
        row.addWidget(self.restore_button)
        row.addStretch(1)
        row.addWidget(self.read_only_button)
        row.addWidget(self.keep_button)
        layout.addLayout(row)
        self.ways_out.setVisible(False)
        return self.ways_out

    def _open_refused(self, opener: OpenRefused, button: QPushButton) -> None:
        passphrase = self.passphrase.text()
        if not passphrase:
            self.error.setText("Type your passphrase first.")
            self.passphrase.setFocus()
            return
        button.setEnabled(False)

        def failed(exc: Exception) -> None:
            button.setEnabled(True)
            self.error.setText(describe(exc))

        def done(result: Unlocked) -> None:
            button.setEnabled(True)
            self._done(result)

        run_in_background(lambda: opener(passphrase), done, failed)

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
        self.ways_out.setVisible(isinstance(exc, VaultNotAsLastSeen))
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
        if isinstance(exc, VaultNotAsLastSeen):  # the ways out are on the first page
            self.error.setText(describe(exc))
            self.ways_out.setVisible(True)
            self._show_page(0)

    def _done(self, result: Unlocked) -> None:
        self.passphrase.clear()
        self.new_passphrase.clear()
        self.new_repeat.clear()
        self.recovery_key.clear()
        self.unlocked.emit(result)
