"""An unexpected error in a GUI slot: the open draft is saved, a calm message shows, and the
crash log has the exception's type but not a word of the record or the person's name."""

from __future__ import annotations

import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit
from pytestqt.qtbot import QtBot

from supervision_desktop.services import people, records, templates
from supervision_desktop.services.templates import get_template
from supervision_desktop.store.keyring_cache import MemoryKeyring
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.records.record_page import RecordPage
from supervision_desktop.ui.shell import crash_dialog
from supervision_desktop.ui.shell.app import DesktopApp
from supervision_desktop.ui.shell.main_window import MainWindow
from tests.conftest import PASSPHRASE

pytestmark = pytest.mark.gui

NAME = "Zebedee Quarrington"  # fictional
TYPED = "Mentioned allotment quietly"


@pytest.fixture
def hooks() -> Iterator[None]:
    saved = sys.excepthook, threading.excepthook
    yield
    sys.excepthook, threading.excepthook = saved


@pytest.mark.qt_no_exception_capture
@pytest.mark.parametrize("where", ["slot", "thread"])
def test_an_unexpected_error_saves_the_draft_and_shows_a_calm_message(
    where: str, vault: Vault, vault_folder: Path, tmp_path: Path, qtbot: QtBot, hooks: None
) -> None:
    """In a Qt slot on the GUI thread, or in another thread (passed to the GUI thread)."""
    person = people.add_person(vault, "supervisee", {"name": NAME})
    record_id = records.create_record(vault, get_template("professional-supervision"),
                                      subject_id=person.id, session_date="2026-11-20")
    vault.close()
    desktop = DesktopApp(vault_folder, MemoryKeyring(), templates.catalogue())
    try:
        desktop.start()
        desktop.window.passphrase.setText(PASSPHRASE)  # type: ignore[union-attr]
        desktop.window.unlock_button.click()  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: isinstance(desktop.window, MainWindow), timeout=10_000)
        window = desktop.window
        assert isinstance(window, MainWindow)
        window.open_record(record_id)
        page = window.findChild(RecordPage)
        editor = page.findChild(QPlainTextEdit)
        qtbot.keyClicks(editor, TYPED)
        assert page.has_unsaved_changes()  # typed, not yet autosaved

        log = tmp_path / "logs" / "crash.log"
        crash_dialog.install(desktop, log_file=log)

        def buggy_slot() -> None:
            raise ValueError(f"{NAME}: {TYPED}")

        if where == "slot":
            QTimer.singleShot(0, buggy_slot)
        else:
            worker = threading.Thread(target=buggy_slot)
            worker.start()
            worker.join()
        qtbot.waitUntil(lambda: _crash_box() is not None, timeout=5_000)
        box = _crash_box()
        assert box is not None and box.isVisible()
        assert box.text() == (
            "Something went wrong inside Supervision Desktop. Your work was saved. A report "
            f"without any record content was written to {log}; you can send it to your IT "
            "support.")
        assert not page.has_unsaved_changes()
        assert desktop.vault is not None
        assert TYPED in records.get_record(desktop.vault, record_id).fields.values()
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
        text = log.read_text(encoding="utf-8")
        assert "exception: builtins.ValueError (message withheld)" in text
        assert "in buggy_slot" in text
        for word in (*NAME.split(), *TYPED.split()):
            assert word not in text
        box.close()
    finally:
        desktop.shutdown()
        if desktop.window is not None and shiboken6.isValid(desktop.window):
            desktop.window.close()
            desktop.window.deleteLater()
        qtbot.wait(1)


def _crash_box() -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.objectName() == "crashMessage":
            return widget
    found = [w for w in QApplication.allWidgets()
             if isinstance(w, QMessageBox) and w.objectName() == "crashMessage"]
    return found[0] if found else None
