"""First run: make the vault (name, role, passphrase, remember), then show the recovery key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.services import compliance
from supervision_desktop.services.vault_access import NewVault
from supervision_desktop.ui.common import printing
from supervision_desktop.ui.common.background import run_in_background
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.passphrase_strength import StrengthMeter
from supervision_desktop.ui.common.widgets import heading, inform, muted, today
from supervision_desktop.ui.vault_admin.backup_and_restore import restore_link

# name, role, passphrase, remember, policy profile id (None for a carer)
CreateVault = Callable[[str, str, str, bool, str | None], NewVault]


class FirstRunWindow(QWidget):
    """Emits `finished(NewVault)` once the person confirms they stored the recovery key."""

    finished = Signal(object)

    def __init__(self, folder: Path, create_vault: CreateVault, parent: QWidget | None = None):
        super().__init__(parent)
        self._create_vault = create_vault
        self._created: NewVault | None = None
        self.setWindowTitle("Supervision Desktop — set up")
        self.setMinimumWidth(560)
        self._pages = QStackedWidget()
        self._pages.addWidget(self._setup_page(folder))
        self._pages.addWidget(self._recovery_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.addWidget(self._pages)

    # --- page 1: who you are and your passphrase --------------------------------------

    def _setup_page(self, folder: Path) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(heading("Welcome to Supervision Desktop"))
        layout.addWidget(muted(
            "Your supervision records are kept encrypted on this computer. "
            "Choose a passphrase that only you know: without it, or the recovery key "
            "you will be shown next, nobody can open them — not even IT."
        ))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = QLineEdit()
        self.name.setAccessibleName("Your full name")
        form.addRow("Your full &name", self.name)

        self.as_supervisor = QRadioButton("I supervise staff or foster carers, or I am supervised")
        self.as_carer = QRadioButton("I am a foster carer keeping my own records")
        self.as_supervisor.setChecked(True)
        roles = QButtonGroup(page)
        roles.addButton(self.as_supervisor)
        roles.addButton(self.as_carer)
        role_box = QVBoxLayout()
        role_box.addWidget(self.as_supervisor)
        role_box.addWidget(self.as_carer)
        form.addRow("Role", role_box)

        self.policy = QComboBox()
        self.policy.setAccessibleName("Your agency's supervision policy")
        for profile in compliance.profiles().profiles:
            self.policy.addItem(profile.title, profile.id)
        self.policy.setCurrentIndex(max(0, self.policy.findData(compliance.DEFAULT_PROFILE)))
        form.addRow("Agency &policy", self.policy)
        self.policy_hint = muted("Decides when supervisions and case discussions are due. "
                                 "You can change it later.")
        form.addRow("", self.policy_hint)
        self.as_carer.toggled.connect(self._show_policy)

        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName("Repeat passphrase")
        form.addRow("&Passphrase", self.passphrase)
        form.addRow("&Repeat it", self.repeat)
        self.strength = StrengthMeter(self.passphrase, lambda: [self.name.text()])
        form.addRow("Strength", self.strength)
        self.remember = QCheckBox("Remember on this device")
        self.remember.setToolTip("Keep the vault key in this computer's keyring, so the vault "
                                 "opens without typing the passphrase.")
        form.addRow("", self.remember)
        form.addRow("", muted("Opens without the passphrase on this computer only. "
                              "Leave it off on a shared computer."))
        layout.addLayout(form)
        layout.addWidget(muted(f"Vault folder: {folder}"))
        layout.addWidget(restore_link(folder, self.finished.emit, page))

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.create_button = QPushButton("Create my vault")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._create)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        layout.addLayout(buttons)
        self.passphrase.returnPressed.connect(self.repeat.setFocus)
        self.repeat.returnPressed.connect(self._create)
        return page

    def _problems(self) -> list[str]:
        problems = []
        if not self.name.text().strip():
            problems.append("Enter your full name.")
        strength = self.strength.strength()
        self.strength.refresh()
        if not strength.acceptable:
            problems.append(strength.hint)
        elif self.passphrase.text() != self.repeat.text():
            problems.append("The two passphrases differ.")
        return problems

    def _show_policy(self, carer: bool) -> None:
        """A carer's own records follow no staff supervision policy."""
        self.policy.setEnabled(not carer)
        self.policy_hint.setVisible(not carer)

    def _create(self) -> None:
        problems = self._problems()
        self.error.setText(" ".join(problems))
        if problems:
            return
        self.create_button.setEnabled(False)
        self.create_button.setText("Creating…")
        name = self.name.text()
        role = "carer" if self.as_carer.isChecked() else "supervisor"
        passphrase = self.passphrase.text()
        remember = self.remember.isChecked()
        policy = None if role == "carer" else self.policy.currentData()
        run_in_background(
            lambda: self._create_vault(name, role, passphrase, remember, policy),
            self._created_ok,
            self._created_failed,
        )

    def _created_failed(self, exc: Exception) -> None:
        self.create_button.setEnabled(True)
        self.create_button.setText("Create my vault")
        self.error.setText(describe(exc))

    def _created_ok(self, created: NewVault) -> None:
        self._created = created
        self.passphrase.clear()
        self.repeat.clear()
        self.recovery_key.setText(created.recovery_key)
        self._fit_recovery_key()
        self.keyring_notice.setText(created.keyring_notice)
        self.keyring_notice.setVisible(bool(created.keyring_notice))
        self._pages.setCurrentIndex(1)
        self.stored.setFocus()

    # --- page 2: the recovery key -----------------------------------------------------

    def _fit_recovery_key(self) -> None:
        """Never let the window cut off a character someone will copy onto paper."""
        width = self.recovery_key.fontMetrics().horizontalAdvance(self.recovery_key.text())
        self.recovery_key.setMinimumWidth(width + 40)

    def _recovery_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(heading("Your recovery key"))
        layout.addWidget(muted(
            "If you forget your passphrase, this key is the only way to open your records. "
            "Write it down or print it, and keep it somewhere safe and separate from this "
            "laptop. It is shown only now."
        ))
        self.recovery_key = QLabel()
        self.recovery_key.setTextFormat(Qt.TextFormat.PlainText)
        self.recovery_key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recovery_key.setAccessibleName("Recovery key")
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(13)  # the whole key must fit on one line: it is copied by hand
        self.recovery_key.setFont(font)
        self.recovery_key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.recovery_key.setObjectName("recoveryKey")
        layout.addSpacing(8)
        layout.addWidget(self.recovery_key)
        copy = QPushButton("Copy to clipboard")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.recovery_key.text()))
        self.print_button = QPushButton("&Print…")
        self.print_button.clicked.connect(self.print_recovery_key)
        self.print_dialog: QWidget | None = None  # Qt's print dialog, while it is open
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(copy)
        row.addWidget(self.print_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.keyring_notice = muted("")
        self.keyring_notice.setVisible(False)
        layout.addWidget(self.keyring_notice)
        layout.addStretch(1)
        self.stored = QCheckBox("I have stored my recovery key somewhere safe")
        layout.addWidget(self.stored)
        self.continue_button = QPushButton("Continue")
        self.continue_button.setEnabled(False)
        self.stored.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self._finish)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.continue_button)
        layout.addLayout(buttons)
        return page

    def print_recovery_key(self) -> None:
        sheet = printing.recovery_key_sheet(self.recovery_key.text(),
                                            today().toString("dd/MM/yyyy"))
        self.print_dialog = printing.ask_and_print(
            self, "Print the recovery key", lambda printer: printing.print_text(printer, sheet),
            lambda message: inform(self, "Not printed", message))

    def _finish(self) -> None:
        created = self._created
        self.recovery_key.clear()
        QGuiApplication.clipboard().clear()
        self.finished.emit(created)
