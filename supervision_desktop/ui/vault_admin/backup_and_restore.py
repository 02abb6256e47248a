"""Backup in the GUI: Vault → Back up now…, Restore a backup…, Backup reminder…, and a slim
reminder banner after unlock when the last backup is older than the setting.

`install(window, vault)` adds all of it to a main window; nothing blocks (dialogs are
opened, never exec'd) and the backup itself runs off the GUI thread. Vault → Automatic
backup… chooses a folder (setting ``backup_folder``) and switches on a backup into it
each time the vault locks or the app closes (`start_auto_backup`, `auto_backup_at_close`,
called by ui.shell.app), with the rotation kept there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import SIGNAL, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.backup_rotation import KEEP_RANGE, Keep
from supervision_desktop.domain.dates import uk_date
from supervision_desktop.errors import UserError
from supervision_desktop.services import backup, vault_access
from supervision_desktop.services.backup import AutoBackup, BackupResult, RestoreResult
from supervision_desktop.services.backup_format import SUFFIX
from supervision_desktop.services.vault_access import Unlocked
from supervision_desktop.store.vault import Vault, vault_exists
from supervision_desktop.ui.common.background import run_in_background
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.passphrase_strength import StrengthMeter
from supervision_desktop.ui.common.widgets import heading, inform, muted

BACKUP_FILTER = "Supervision Desktop backups (*.sdbackup)"


class ReminderBanner(QToolBar):
    """A slim, dismissible line under the menus: when the last backup was, and a button."""

    back_up_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Backup reminder", parent)
        self.setObjectName("backupReminder")
        self.setMovable(False)
        self.setFloatable(False)
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setAccessibleName("Backup reminder")
        self.back_up_button = QPushButton("Back up now…")
        self.back_up_button.clicked.connect(self.back_up_requested.emit)
        self.later_button = QPushButton("Later")
        self.later_button.setFlat(True)
        self.later_button.clicked.connect(self.hide)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(4, 0, 4, 0)
        row.addWidget(self.text, 1)
        row.addWidget(self.back_up_button)
        row.addWidget(self.later_button)
        self.addWidget(holder)


class RestoreDialog(QDialog):
    """Which backup, into which folder, opened with which secret; names the folder before
    replacing a vault in it. Emits `restored(RestoreResult, passphrase)`."""

    restored = Signal(object, str)

    def __init__(self, *, backup_file: Path | None = None, folder: Path | None = None,
                 open_folder: Path | None = None, folder_fixed: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._open_folder = open_folder  # the vault in use here: never restored over
        self.setWindowTitle("Restore a backup")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Restore a backup"))
        layout.addWidget(muted(
            "The backup is checked in full before anything is written. It opens with the "
            "passphrase in use when it was made, or with your recovery key."
        ))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.file = QLineEdit(str(backup_file) if backup_file else "")
        self.file.setAccessibleName("Backup file")
        form.addRow("Backup &file", self._with_browse(self.file, self._choose_file))
        self.folder = QLineEdit(str(folder) if folder else "")
        self.folder.setAccessibleName("Restore into folder")
        self.folder.setReadOnly(folder_fixed)
        folder_row = (self.folder if folder_fixed
                      else self._with_browse(self.folder, self._choose_folder))
        form.addRow("Restore &into", folder_row)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase when the backup was made")
        form.addRow("&Passphrase", self.passphrase)
        self.use_recovery = QCheckBox("I do not know that passphrase: use my recovery key")
        form.addRow("", self.use_recovery)
        self.recovery_key = QLineEdit()
        self.recovery_key.setAccessibleName("Recovery key")
        self.new_passphrase = QLineEdit()
        self.new_passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_passphrase.setAccessibleName("New passphrase")
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName("Repeat the new passphrase")
        self.new_strength = StrengthMeter(self.new_passphrase)
        self._recovery_rows = [("&Recovery key", self.recovery_key),
                               ("&New passphrase", self.new_passphrase),
                               ("Strength", self.new_strength),
                               ("Repeat &it", self.repeat)]
        for label, widget in self._recovery_rows:
            form.addRow(label, widget)
        layout.addLayout(form)
        self.replace_note = QLabel()
        self.replace_note.setObjectName("notice")
        self.replace_note.setWordWrap(True)
        self.replace_note.setTextFormat(Qt.TextFormat.PlainText)
        self.replace = QCheckBox("Replace that vault with this backup")
        for shown in (self.replace_note, self.replace):
            shown.setVisible(False)
            layout.addWidget(shown)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton(
            "Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._form = form
        self.use_recovery.toggled.connect(self._show_recovery)
        self.folder.textChanged.connect(self._check_folder)
        self._show_recovery(False)
        self._check_folder(self.folder.text())

    def _with_browse(self, line: QLineEdit, choose: Callable[[], None]) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(line, 1)
        browse = QPushButton("Browse…")
        browse.setAccessibleName(f"Choose {line.accessibleName().lower()}")
        browse.clicked.connect(choose)
        row.addWidget(browse)
        return holder

    def _choose_file(self) -> None:
        dialog = QFileDialog(self, "Choose a backup file", self.file.text(), BACKUP_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.file.setText)
        dialog.open()

    def _choose_folder(self) -> None:
        dialog = QFileDialog(self, "Restore into which folder?", self.folder.text())
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        dialog.fileSelected.connect(self.folder.setText)
        dialog.open()

    def _show_recovery(self, on: bool) -> None:
        self._form.setRowVisible(self.passphrase, not on)
        for _, widget in self._recovery_rows:
            self._form.setRowVisible(widget, on)

    def _check_folder(self, text: str) -> None:
        folder = Path(text).expanduser() if text.strip() else None
        holds_vault = folder is not None and vault_exists(folder)
        self.error.setText("")
        self.replace.setChecked(False)
        self.replace.setVisible(holds_vault)
        self.replace_note.setVisible(holds_vault)
        if holds_vault:
            self.replace_note.setText(f"{folder} already holds a vault. Restoring replaces "
                                      "it: the records in it now will be lost.")

    def _problems(self) -> list[str]:
        problems = []
        if not self.file.text().strip():
            problems.append("Choose the backup file.")
        if not self.folder.text().strip():
            problems.append("Choose the folder to restore into.")
        elif (self._open_folder is not None
              and Path(self.folder.text()).expanduser().resolve() == self._open_folder.resolve()):
            problems.append("That is the vault you have open: choose another folder.")
        elif self.replace.isVisible() and not self.replace.isChecked():
            problems.append("That folder already holds a vault: tick the box to replace it, "
                            "or choose an empty folder.")
        if self.use_recovery.isChecked():
            if not self.recovery_key.text().strip():
                problems.append("Enter your recovery key.")
            if self.new_passphrase.text() != self.repeat.text():
                problems.append("The two new passphrases differ.")
        elif not self.passphrase.text():
            problems.append("Enter the passphrase.")
        return problems

    def start(self) -> None:
        problems = self._problems()
        self.error.setText(" ".join(problems))
        if problems:
            return
        path, folder = Path(self.file.text()).expanduser(), Path(self.folder.text()).expanduser()
        replace = self.replace.isVisible() and self.replace.isChecked()
        if self.use_recovery.isChecked():
            key, new = self.recovery_key.text(), self.new_passphrase.text()
            passphrase = new

            def work() -> RestoreResult:
                return backup.restore(path, folder, recovery_key=key, new_passphrase=new,
                                      replace=replace)
        else:
            passphrase = self.passphrase.text()

            def work() -> RestoreResult:
                return backup.restore(path, folder, passphrase=passphrase, replace=replace)

        self.restore_button.setEnabled(False)
        self.restore_button.setText("Restoring…")
        self.error.setText("")
        run_in_background(work, lambda result: self._done(result, passphrase), self._failed)

    def _done(self, result: RestoreResult, passphrase: str) -> None:
        self.passphrase.clear()
        self.new_passphrase.clear()
        self.repeat.clear()
        self.recovery_key.clear()
        self.restored.emit(result, passphrase)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.restore_button.setEnabled(True)
        self.restore_button.setText("Restore")
        self.error.setText(describe(exc))


class AutoBackupDialog(QDialog):
    """The backup folder, automatic backup on lock and close, and how many to keep."""

    saved = Signal()

    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self.setWindowTitle("Automatic backup")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Automatic backup"))
        layout.addWidget(muted(
            "Each time the vault locks, and when Supervision Desktop closes, a new checked "
            "backup is written to this folder, best on another disk or a network drive. "
            "Older backups there are thinned out: the newest of each of the last few days, "
            "weeks and months is kept."
        ))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        folder = backup.backup_folder(vault)
        self.folder = QLineEdit(str(folder) if folder else "")
        self.folder.setAccessibleName("Backup folder")
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.folder, 1)
        browse = QPushButton("Browse…")
        browse.setAccessibleName("Choose the backup folder")
        browse.clicked.connect(self._choose_folder)
        row.addWidget(browse)
        form.addRow("Backup &folder", holder)
        self.enabled = QCheckBox("Back up to this folder when the vault locks or the app closes")
        self.enabled.setChecked(backup.auto_backup_on(vault))
        form.addRow("", self.enabled)
        keep = backup.keep_setting(vault)
        self.daily, self.weekly, self.monthly = (self._count(n) for n in
                                                 (keep.daily, keep.weekly, keep.monthly))
        form.addRow("Keep &daily", self.daily)
        form.addRow("Keep &weekly", self.weekly)
        form.addRow("Keep &monthly", self.monthly)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _count(value: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(*KEEP_RANGE)
        box.setValue(value)
        return box

    def _choose_folder(self) -> None:
        dialog = QFileDialog(self, "Back up into which folder?", self.folder.text())
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        dialog.fileSelected.connect(self.folder.setText)
        dialog.open()

    def save(self) -> None:
        text = self.folder.text().strip()
        try:
            backup.set_auto_backup(self._vault, Path(text) if text else None,
                                   self.enabled.isChecked())
            backup.set_keep(self._vault, Keep(self.daily.value(), self.weekly.value(),
                                              self.monthly.value()))
        except UserError as exc:
            self.error.setText(describe(exc))
            return
        self.saved.emit()
        self.accept()


def start_auto_backup(vault: Vault, failed: Callable[[str], object]) -> bool:
    """If automatic backup is on, plan it now (the vault still open) and run it on a
    background thread: the lock goes ahead at once. ``failed`` gets a calm message on
    the GUI thread if it does not work. Returns whether a backup was started."""
    try:
        plan = backup.plan_auto_backup(vault)
    except Exception as exc:  # the settings could not be read: the lock still happens
        failed(_not_backed_up(exc))
        return False
    if plan is None:
        return False
    run_in_background(plan.run, lambda _result: None,
                      lambda exc: failed(_not_backed_up(exc)))
    return True


def plan_at_close(vault: Vault) -> AutoBackup | None:
    """The backup to make once the app has closed the vault at quit, if switched on."""
    try:
        return backup.plan_auto_backup(vault)
    except Exception:
        return None


def auto_backup_at_close(plan: AutoBackup | None) -> str:
    """Run the planned backup (the window is gone: it delays nothing anyone sees);
    returns what to say if it failed, else ""."""
    if plan is None:
        return ""
    try:
        plan.run()
    except Exception as exc:
        return _not_backed_up(exc)
    return ""


def _not_backed_up(exc: Exception) -> str:
    return ("The automatic backup was not made: " + describe(exc) + " Your records are "
            "safe in the vault; the backup reminder stays until a backup is made.")


def restore_link(folder: Path, unlocked: Callable[[Unlocked], None],
                 parent: QWidget) -> QPushButton:
    """A "Restore from a backup…" link for the first-run screen: restores into ``folder``,
    then opens the restored vault and hands it to ``unlocked``."""
    link = QPushButton("Restore from a backup…", parent)
    link.setFlat(True)
    link.setObjectName("link")  # the theme's sheet: the palette's link colour, underlined
    link.setCursor(Qt.CursorShape.PointingHandCursor)

    def open_restored(_result: RestoreResult, passphrase: str) -> None:
        run_in_background(lambda: vault_access.unlock_with_passphrase(folder, passphrase),
                          unlocked, lambda exc: inform(parent, "Restored", describe(exc)))

    def open_dialog() -> None:
        dialog = RestoreDialog(folder=folder, folder_fixed=True, parent=parent)
        dialog.restored.connect(open_restored)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    link.clicked.connect(open_dialog)
    return link


class BackupController(QObject):
    """The backup menu entries and reminder of one main window."""

    backed_up = Signal(object)  # BackupResult
    restored = Signal(object)  # RestoreResult
    switch_requested = Signal(object)  # Path of a restored vault the person wants to open

    def __init__(self, window: QMainWindow, vault: Vault) -> None:
        super().__init__(window)
        self._window = window
        self._vault = vault
        self.banner = ReminderBanner(window)
        self.banner.back_up_requested.connect(self.choose_backup_file)
        window.addToolBarBreak()
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.banner)
        self.banner.hide()
        self.back_up_action = QAction("&Back up now…", window)
        self.back_up_action.triggered.connect(self.choose_backup_file)
        self.restore_action = QAction("Restore a &backup…", window)
        self.restore_action.triggered.connect(self.restore_backup)
        self.reminder_action = QAction("Backup &reminder…", window)
        self.reminder_action.triggered.connect(self.reminder_setting)
        self.auto_action = QAction("&Automatic backup…", window)
        self.auto_action.triggered.connect(self.auto_backup_setting)

    def add_to(self, menu: QMenu) -> None:
        menu.addSeparator()
        for action in (self.back_up_action, self.restore_action, self.reminder_action,
                       self.auto_action):
            menu.addAction(action)

    # --- reminder ---------------------------------------------------------------------

    def show_reminder_if_due(self, now: dt.datetime | None = None) -> bool:
        status = backup.status(self._vault, now=now)
        self.banner.setVisible(status.due)
        if status.due:
            self.banner.text.setText(status.message)
        return status.due

    def reminder_setting(self) -> QInputDialog:
        dialog = QInputDialog(self._window)
        dialog.setWindowTitle("Backup reminder")
        dialog.setLabelText("Remind me when the last backup is older than this many days:")
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(*backup.REMINDER_RANGE)
        dialog.setIntValue(backup.reminder_days(self._vault))
        dialog.intValueSelected.connect(self._set_reminder_days)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def auto_backup_setting(self) -> AutoBackupDialog:
        dialog = AutoBackupDialog(self._vault, self._window)
        dialog.saved.connect(lambda: self._window.statusBar().showMessage(
            "Automatic backup settings saved.", 8000))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _set_reminder_days(self, days: int) -> None:
        backup.set_reminder_days(self._vault, days)
        self._window.statusBar().showMessage(
            f"You will be reminded when the last backup is more than {days} days old.", 8000)
        self.show_reminder_if_due()

    # --- backing up -------------------------------------------------------------------

    def choose_backup_file(self) -> QFileDialog:
        start = (backup.backup_folder(self._vault) or Path.home()) / backup.default_file_name()
        dialog = QFileDialog(self._window, "Back up the vault to…", str(start), BACKUP_FILTER)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(SUFFIX.lstrip("."))
        dialog.fileSelected.connect(lambda name: self.back_up_to(Path(name)))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def back_up_to(self, path: Path) -> None:
        self.back_up_action.setEnabled(False)
        self.banner.back_up_button.setEnabled(False)
        self._window.statusBar().showMessage("Backing up…")
        vault = self._vault
        run_in_background(lambda: backup.back_up(vault, path), self._backed_up, self._failed)

    def _backed_up(self, result: BackupResult) -> None:
        self.back_up_action.setEnabled(True)
        self.banner.back_up_button.setEnabled(True)
        self.banner.hide()
        self._window.statusBar().showMessage(
            f"Backed up {result.counts.records} records to {result.path}; checked after "
            "writing.", 15000)
        self.backed_up.emit(result)

    def _failed(self, exc: Exception) -> None:
        self.back_up_action.setEnabled(True)
        self.banner.back_up_button.setEnabled(True)
        self._window.statusBar().clearMessage()
        inform(self._window, "No backup was made", describe(exc))

    # --- restoring --------------------------------------------------------------------

    def restore_backup(self) -> RestoreDialog:
        dialog = RestoreDialog(open_folder=self._vault.folder, parent=self._window)
        dialog.restored.connect(self._restored)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _restored(self, result: RestoreResult, _passphrase: str) -> QMessageBox:
        self.restored.emit(result)
        when = uk_date(result.created_at)
        box = QMessageBox(self._window)
        box.setWindowTitle("Backup restored")
        box.setTextFormat(Qt.TextFormat.PlainText)
        text = (f"The backup of {when} was restored into {result.folder}: "
                f"{result.counts.records} records about {result.counts.people} people. "
                "It was opened to check it.")
        if self.receivers(SIGNAL("switch_requested(PyObject)")) == 0:  # nobody can switch
            box.setText(f"{text}\n\nTo work in it, start Supervision Desktop with "
                        f"--vault {result.folder}")
            box.addButton(QMessageBox.StandardButton.Close)
        else:
            box.setText(text)
            switch = box.addButton("Open the restored vault", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Stay here", QMessageBox.ButtonRole.RejectRole)
            box.buttonClicked.connect(
                lambda button: self.switch_requested.emit(result.folder) if button is switch
                else None)
        box.open()
        return box


def _menu(window: QMainWindow, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "") == title:
            return menu
    return None


def install(window: QMainWindow, vault: Vault) -> BackupController:
    """Add the backup entries to the Vault menu and show the reminder if one is due."""
    controller = BackupController(window, vault)
    menu = _menu(window, "Vault") or window.menuBar().addMenu("&Vault")
    controller.add_to(menu)
    controller.show_reminder_if_due()
    return controller
