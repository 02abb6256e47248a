"""Sign and export a finalised record: choose the folder (and whether names go in the file
name, or the carer copy), sign and save off the GUI thread, then say what was saved.

Shown with ``open()``. The folder is asked through ``common.dialogs.ask_folder`` so tests
can answer it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.ui.common import dialogs
from supervision_desktop.ui.common.background import run_in_background
from supervision_desktop.ui.common.dialog_parts import plain
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import muted

# --- sign and export --------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    files: tuple[Path, ...]

    def summary(self) -> str:
        """'Saved 1 file in <folder>:' and the file names, one per line."""
        count = len(self.files)
        folders = {path.parent for path in self.files}
        where = f" in {next(iter(folders))}" if len(folders) == 1 else ""
        head = f"Saved {count} file{'' if count == 1 else 's'}{where}:"
        names = [path.name if where else str(path) for path in self.files]
        return "\n".join([head, *names])


ExportFunction = Callable[[Path, bool], list[Path]]  # folder, include names → files


class ExportDialog(QDialog):
    """Choose a folder and whether names go in the file name; sign and save off the GUI
    thread; then say what was saved, with a button to open the folder.

    Given ``export_carer_copy`` (the record's form has staff-only sections), a check box
    chooses the carer copy, which leaves those sections out."""

    exported = Signal(object)  # Exported

    def __init__(self, export: ExportFunction, *, version: int, signer: str, folder: Path,
                 export_carer_copy: ExportFunction | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._export = export
        self._export_carer_copy = export_carer_copy
        self._busy = False
        self.folder = folder
        self.setWindowTitle("Sign and export PDF")
        self.setMinimumWidth(580)
        layout = QVBoxLayout(self)
        layout.addWidget(plain(
            f"Version {version} of the record is saved as a PDF and signed digitally, so "
            "anyone can check that it has not been changed since."
        ))
        layout.addWidget(muted(signer))
        folder_row = QHBoxLayout()
        self.folder_edit = QLineEdit(str(folder))
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setAccessibleName("Folder for the PDF")
        self.choose_button = QPushButton("&Choose…")
        self.choose_button.clicked.connect(
            lambda: dialogs.ask_folder(self, self.folder, self.set_folder)
        )
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.choose_button)
        form = QFormLayout()
        form.addRow("Save in", folder_row)
        layout.addLayout(form)
        self.include_names = QCheckBox("&Include names in the file name")
        layout.addWidget(self.include_names)
        layout.addWidget(muted(
            "Leave this off to keep personal details out of the file name: it then holds "
            "only the form, the session date and the record number."
        ))
        self.carer_copy = QCheckBox("Ca&rer copy (leave out staff-only sections)")
        self.carer_copy.setVisible(export_carer_copy is not None)
        layout.addWidget(self.carer_copy)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy, no percentage
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Signing and saving")
        self.progress.hide()
        layout.addWidget(self.progress)
        self.error = plain(name="error")
        self.error.hide()
        layout.addWidget(self.error)
        self.outcome = plain()
        self.outcome.setObjectName("notice")
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.hide()
        layout.addWidget(self.outcome)

        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("&Sign and export",
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button = buttons.addButton("&Open folder",
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.hide()
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.open_button.clicked.connect(self._open_folder)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self._files: tuple[Path, ...] = ()
        # The folder box is only to read: the keyboard starts on what the dialog is for,
        # so Enter or Space signs and exports (Tab reaches Choose… and the tick boxes).
        self.export_button.setFocus()

    def set_folder(self, folder: Path) -> None:
        self.folder = folder
        self.folder_edit.setText(str(folder))

    def start(self) -> None:
        """Sign and save in the background; the dialog shows it is busy meanwhile."""
        if self._busy:
            return
        folder, names = self.folder, self.include_names.isChecked()
        export = self._export
        if self._export_carer_copy is not None and self.carer_copy.isChecked():
            export = self._export_carer_copy
        self._set_busy(True)
        self.error.hide()
        self.outcome.hide()
        run_in_background(lambda: export(folder, names), self._done, self._failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        for widget in (self.export_button, self.choose_button, self.include_names,
                       self.carer_copy, self.close_button):
            widget.setEnabled(not busy)
        self.export_button.setText("Signing…" if busy else "&Sign and export")

    def _done(self, files: list[Path]) -> None:
        if not shiboken6.isValid(self):  # the window closed meanwhile (the vault locked)
            return
        self._set_busy(False)
        exported = Exported(tuple(files))
        self._files = exported.files
        self.outcome.setText(exported.summary())
        self.outcome.show()
        self.export_button.hide()
        self.open_button.show()
        self.close_button.setText("Close")
        self.close_button.setDefault(True)
        self.exported.emit(exported)

    def _failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        self.error.setText(f"Nothing was exported: {describe(exc)}")
        self.error.show()

    def _open_folder(self) -> None:
        if self._files:
            dialogs.open_folder(self._files[0].parent)

    def reject(self) -> None:
        if not self._busy:  # a half-written export is never left behind by closing
            super().reject()


