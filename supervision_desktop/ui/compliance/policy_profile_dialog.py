"""Choose the policy profile the vault follows: a built-in one or one from a file.

The dialog calls ``services.compliance`` and reports by signal; a profile that cannot
be read is explained inside the dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.policy import describe_profile
from supervision_desktop.errors import UserError
from supervision_desktop.services import compliance
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.dialog_parts import error_label, ok_buttons, show_error
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import muted

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
        self.error = error_label()
        self.file_button = QPushButton("Use a profile &file…")
        self.file_button.setAccessibleName("Use your agency's own profile file")
        self.file_button.clicked.connect(self._choose_file)
        buttons, self.use_button = ok_buttons("Use this profile")
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
            show_error(self.error, describe(exc))
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
            show_error(self.error, describe(exc))
            return
        self.accept()
        self.profile_changed.emit(profile.id)
