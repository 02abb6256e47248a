"""The GUI's last resort: an unexpected error saves the open work and says so calmly.

``install(desktop)`` puts :mod:`supervision_desktop.crash`'s hook in place with the GUI's
two callbacks: save the open record or notes (the main window's ``save_everything``, as
before locking) and show the message in a box that does not block (``open()``), parented
to the window so it stays in front of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from supervision_desktop import crash

if TYPE_CHECKING:
    from supervision_desktop.ui.app import DesktopApp

TITLE = "Something went wrong"


def _save_work(desktop: DesktopApp) -> None:
    save = getattr(desktop.window, "save_everything", None)
    if save is not None:  # only the main window has work open (not unlock or first run)
        save()


def show_message(parent: QWidget | None, text: str) -> QMessageBox:
    """The calm message, shown without blocking; it deletes itself when closed."""
    box = QMessageBox(QMessageBox.Icon.Warning, TITLE, text, QMessageBox.StandardButton.Ok,
                      parent)
    box.setObjectName("crashMessage")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()
    return box


def install(desktop: DesktopApp, log_file: Path | None = None) -> crash.CrashHook:
    """Make the crash hook save ``desktop``'s open work and show its message here."""
    return crash.install(save_work=lambda: _save_work(desktop),
                         show=lambda text: show_message(desktop.window, text),
                         log_file=log_file)
