"""The GUI's last resort: an unexpected error saves the open work and says so calmly.

``install(desktop)`` puts :mod:`supervision_desktop.crash`'s hook in place with the GUI's
two callbacks: save the open record or notes (the main window's ``save_everything``, as
before locking) and show the message in a box that does not block (``open()``), parented
to the window so it stays in front of it. An error in another thread (a Python thread,
or a slot run on a worker thread) is passed to the GUI thread first, since widgets may
only be touched there.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from supervision_desktop import crash

if TYPE_CHECKING:
    from supervision_desktop.ui.shell.app import DesktopApp

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


class _Relay(QObject):
    """Carries an exception from any thread to the GUI thread (a queued signal)."""

    crashed = Signal(object)


def install(desktop: DesktopApp, log_file: Path | None = None) -> crash.CrashHook:
    """Make the crash hook save ``desktop``'s open work and show its message here."""
    hook = crash.install(save_work=lambda: _save_work(desktop),
                         show=lambda text: show_message(desktop.window, text),
                         log_file=log_file)
    relay = _Relay()  # made here, on the GUI thread: its slot runs there
    relay.crashed.connect(hook.handle)

    def excepthook(kind: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> None:
        if threading.current_thread() is threading.main_thread():
            hook.excepthook(kind, exc, tb)
        elif not issubclass(kind, KeyboardInterrupt):
            relay.crashed.emit(exc)

    def thread_excepthook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None and not issubclass(args.exc_type, SystemExit):
            relay.crashed.emit(args.exc_value)

    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook
    return hook
