"""The main flow with the keyboard alone (issue 21, EN 301 549 11.2.1.1): a new record
chosen, filled, signed by typing, finalised and exported as a signed PDF, with not one
mouse event. Keys go to whatever has the focus, as a person's keyboard does."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from supervision_desktop.domain.records import RecordStatus
from supervision_desktop.services import people, records, templates
from supervision_desktop.store.keyring_cache import MemoryKeyring
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common import dialogs
from supervision_desktop.ui.records.record_page import RecordPage
from supervision_desktop.ui.shell.main_window import MainWindow
from tests.conftest import OWNER

pytestmark = pytest.mark.gui


class MouseWatch(QObject):
    """Counts every mouse press or release anywhere in the application."""

    def __init__(self) -> None:
        super().__init__()
        self.events = 0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                            QEvent.Type.MouseButtonDblClick):
            self.events += 1
        return False


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
          ) -> None:
    qtbot.keyClick(focused(), key, modifier)


def activate(qtbot: QtBot, window: QWidget | None) -> None:
    """What the window manager does for a window that opens: make it the active one (the
    offscreen platform has no window manager)."""
    assert window is not None
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def tab_to(qtbot: QtBot, wanted: Callable[[QWidget], bool], limit: int = 200) -> QWidget:
    """Tab on until the focus is on a widget ``wanted`` accepts (never past ``limit``)."""
    for _ in range(limit):
        if wanted(focused()):
            return focused()
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached it; the focus stayed on {focused()!r}")


def test_create_fill_sign_finalise_and_export_with_the_keyboard_alone(
        vault: Vault, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    people.add_person(vault, "supervisee", {"name": "Jo Bloggs"})
    monkeypatch.setattr(dialogs, "documents_folder", lambda: tmp_path)  # the OS's folder
    watch = MouseWatch()
    QApplication.instance().installEventFilter(watch)  # type: ignore[union-attr]
    try:
        window = MainWindow(vault, templates.catalogue(), MemoryKeyring(), owner_name=OWNER)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        activate(qtbot, window)

        # Ctrl+N: the New record dialog, the template list focused; type to find the form
        press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)
        dialog = QApplication.activeModalWidget()
        activate(qtbot, dialog)
        qtbot.keyClicks(focused(), "Personal")  # the list finds a title as it is typed
        assert dialog.chosen_template().id == "personal-supervision"  # type: ignore[union-attr]
        press(qtbot, Qt.Key.Key_Return)  # Create record: the default button
        qtbot.waitUntil(lambda: isinstance(window.stack.currentWidget(), RecordPage))
        activate(qtbot, window)
        page = window.stack.currentWidget()
        assert isinstance(page, RecordPage)

        # fill a box: Tab to it and type
        workload = page.form.editors["workload"].inputs()[0]
        tab_to(qtbot, lambda w: w is workload)
        qtbot.keyClicks(workload, "Workload is manageable this month.")

        # sign both blocks by typing: the name, then Tab to the tick and Space
        for block in ("supervisor_signature", "supervisee_signature"):
            editor = page.form.editors[block]
            tab_to(qtbot, lambda w, e=editor: w is e.name)  # type: ignore[attr-defined]
            qtbot.keyClicks(focused(), "Jo Bloggs" if block == "supervisee_signature"
                            else OWNER)
            tick = tab_to(qtbot, lambda w: isinstance(w, QCheckBox))
            press(qtbot, Qt.Key.Key_Space)
            assert isinstance(tick, QCheckBox) and tick.isChecked()

        # Alt+N: Finalise…; the question's Finalise button reached by Tab, pressed by Space
        press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: page.lifecycle.dialog is not None)  # a button's Alt+letter
        box = page.lifecycle.dialog  # presses it visibly: clicked after a moment
        assert isinstance(box, QMessageBox) and box.windowTitle() == "Finalise this record?"
        activate(qtbot, box)
        tab_to(qtbot, lambda w: w.property("text") == "Finalise", limit=5)
        press(qtbot, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: records.get_record(vault, page.record_id).summary.status
                        is RecordStatus.FINALISED)

        # Alt+X: Sign and export PDF…, then Enter: the dialog's default, Sign and export
        page = window.stack.currentWidget()
        assert isinstance(page, RecordPage)
        activate(qtbot, window)
        press(qtbot, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)
        export_dialog = QApplication.activeModalWidget()
        activate(qtbot, export_dialog)
        assert focused() is export_dialog.export_button  # type: ignore[union-attr]
        press(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: any(tmp_path.glob("*.pdf")), timeout=30_000)
    finally:
        QApplication.instance().removeEventFilter(watch)  # type: ignore[union-attr]
    (pdf,) = tmp_path.glob("*.pdf")
    report = subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True).stdout
    assert "Signature is Valid." in report
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Workload is manageable this month." in text
    assert "Typed name, signing confirmed" in " ".join(text.split())
    assert watch.events == 0
