"""Questions tests can answer: confirm, choose a folder; and where files go by default.

None of them blocks: each dialog is shown with ``open()`` and calls back on the answer,
so tests replace these functions instead of driving a real file or message box.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
    QWidget,
)

# --- questions tests can answer ---------------------------------------------------------


def ask_confirm(parent: QWidget, title: str, text: str, action: str,
                on_yes: Callable[[], None]) -> QMessageBox:
    """Ask before doing something that cannot be undone; ``on_yes`` runs only on yes."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setIcon(QMessageBox.Icon.Question)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.buttonClicked.connect(lambda button: on_yes() if button is yes else None)
    box.finished.connect(box.deleteLater)
    box.open()
    return box


def ask_folder(parent: QWidget, start: Path, on_chosen: Callable[[Path], None]) -> QFileDialog:
    """Let the person pick a folder; ``on_chosen`` gets it (nothing happens on cancel)."""
    dialog = QFileDialog(parent, "Choose the folder for the signed PDF", str(start))
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.fileSelected.connect(lambda chosen: on_chosen(Path(chosen)))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def open_folder(folder: Path) -> None:
    """Show the folder in the system's file manager."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()
