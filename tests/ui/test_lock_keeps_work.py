"""Locking loses nothing: open dialogs come back with what was typed, the open record's
last keystrokes are saved, the person returns to where they were, and the lock screen
says which of these happened. Real vault, real windows (offscreen), real key presses."""

from __future__ import annotations

import dataclasses
import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from supervision_desktop.services import actions, lifecycle, people, records, templates
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.keyfile import KeyFile
from supervision_desktop.store.keyring_cache import MemoryKeyring
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.actions.actions_page import CloseActionDialog
from supervision_desktop.ui.common.kept_input import lock_message
from supervision_desktop.ui.compliance.cancellation_dialog import CancellationDialog
from supervision_desktop.ui.compliance.deviation_dialog import DeviationDialog
from supervision_desktop.ui.people.person_editor import PersonDialog
from supervision_desktop.ui.records.amend_dialog import AmendDialog
from supervision_desktop.ui.records.new_record_dialog import NewRecordDialog
from supervision_desktop.ui.records.upload_dialog import UploadDialog
from supervision_desktop.ui.shell.app import DesktopApp
from supervision_desktop.ui.shell.main_window import MainWindow
from supervision_desktop.ui.shell.unlock import UnlockWindow
from tests.conftest import ODD_TEXT, PASSPHRASE
from tests.sample_values import fill_every_field
from tests.ui.test_forms import every_kind_template

pytestmark = pytest.mark.gui

# What a worker might type: markup, an ampersand, Welsh, Arabic, emoji, two lines.
TYPED = "<b>Dŵr</b> & Siân — مرحبا 👍🏽"
LINES = "Gwen Dŵr-Jones\nأحمد & <i>Ali</i> 🙂"
STAFF_ROWS = {"Dashboard": 0, "Records": 1, "People": 2}


@dataclasses.dataclass
class Setup:
    folder: Path
    first: str  # a supervisee
    second: str  # another, chosen in the dialogs (so "the first one" is not enough)
    household: str  # a foster carer household
    record: str  # a draft about the second supervisee
    finalised: str  # a finalised case discussion, with one open action
    action: str


@pytest.fixture
def setup(vault_folder: Path, data_key: bytes) -> Setup:
    opened = vaults.open_with_key(vault_folder, data_key)
    try:
        first = people.add_person(opened, "supervisee", {"name": "Alys Example"}).id
        second = people.add_person(opened, "supervisee", {"name": "Bryn Sample"}).id
        household = people.add_person(opened, "carer", {"name": "The Okafor household"}).id
        record = records.create_record(opened, every_kind_template(), subject_id=second,
                                       session_date="2026-11-20", fields={})
        child = people.add_person(opened, "child", {"name": "Tomos Example",
                                                    "plan": "child_in_need"}).id
        case = templates.get_template("case-discussion-family")
        fields = fill_every_field(case, "Words")
        fields["actions"] = [{"action": "Visit <b>school</b>", "lead_person": "Dana Reid",
                              "done_by": "2026-11-27"}]
        finalised = records.create_record(opened, case, subject_id=child,
                                          session_date="2026-11-13", fields=fields)
        lifecycle.finalise(opened, finalised)
        action = actions.list_actions(opened)[0].id
    finally:
        opened.close()
    return Setup(vault_folder, first, second, household, record, finalised, action)


@pytest.fixture
def desktop(setup: Setup, data_key: bytes, qtbot: QtBot) -> Iterator[DesktopApp]:
    keyring = MemoryKeyring()  # remembered: the first start opens without a passphrase
    keyring.store(KeyFile.load(setup.folder).vault_id, data_key)
    app = DesktopApp(setup.folder, keyring, templates.catalogue(), idle_minutes=30)
    app.start()
    assert isinstance(app.window, MainWindow)
    app.window.resize(1280, 800)
    qtbot.waitExposed(app.window)
    yield app
    app.shutdown()
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, (MainWindow, UnlockWindow)) and shiboken6.isValid(widget):
            widget.close()
            widget.deleteLater()
    qtbot.wait(1)


def _main(desktop: DesktopApp) -> MainWindow:
    assert isinstance(desktop.window, MainWindow)
    return desktop.window


def _locked(desktop: DesktopApp) -> UnlockWindow:
    assert isinstance(desktop.window, UnlockWindow)
    assert desktop.vault is None
    return desktop.window


def _unlock(desktop: DesktopApp, qtbot: QtBot) -> MainWindow:
    window = _locked(desktop)
    window.passphrase.setText(PASSPHRASE)
    window.unlock_button.click()
    qtbot.waitUntil(lambda: isinstance(desktop.window, MainWindow), timeout=15_000)
    main = _main(desktop)
    qtbot.waitExposed(main)
    return main


def _press_ctrl_l(qtbot: QtBot, window: QWidget) -> None:
    """Ctrl+L where a person's hands are: the focused input (else the window itself)."""
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)


def _idle_lock(desktop: DesktopApp, qtbot: QtBot) -> None:
    """Let the idle timer run out (30 ms here) and wait for its signal, not a sleep."""
    with qtbot.waitSignal(desktop.idle.idle, timeout=5_000):
        desktop.idle.set_minutes(0.0005)


def _shown(kind: type[QDialog], qtbot: QtBot) -> QDialog:
    found: list[QDialog] = []

    def one_shown() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, kind) and w.isVisible()]
        return len(found) == 1

    qtbot.waitUntil(one_shown, timeout=5_000)
    return found[0]


def _assert_key_gone(old: Vault, folder: Path, data_key: bytes) -> None:
    """The vault the app had open is closed: no key in it, and its lock released."""
    assert old._data_key == b""
    vaults.open_with_key(folder, data_key).close()  # "already open" if still held


# --- Add person: an idle lock while half filled ------------------------------------------


def test_idle_lock_keeps_a_half_filled_add_person_and_the_people_page(
    desktop: DesktopApp, setup: Setup, data_key: bytes, qtbot: QtBot
) -> None:
    main = _main(desktop)
    main.navigation.setCurrentRow(STAFF_ROWS["People"])
    main.people.select_person(setup.second)  # whose page was showing behind the dialog
    dialog = main.people.add_person()
    qtbot.waitExposed(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("child"))
    dialog.input("name").setFocus()
    qtbot.keyClicks(dialog.input("name"), "Ada ")  # typed, then pasted text after it
    name = dialog.input("name")
    name.setText(name.text() + TYPED)
    dialog.input("case_id").setText("C-0042 & <x>")
    dialog.input("dob").setText("31/02/2019")  # not a date yet: kept exactly as typed
    legal = dialog.input("legal_status")
    legal.setEditText("Section 20 — مرحبا")
    dialog.input("placement_matched").setChecked(True)
    dialog.end_reason.setText("🙂")
    old = desktop.vault
    assert old is not None
    watched = weakref.ref(old)
    del old

    _idle_lock(desktop, qtbot)

    window = _locked(desktop)
    assert window.notice.text() == (
        "Locked. What you were typing in Add person will be back when you unlock.")
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    gone = watched()
    assert gone is not None  # the app still ran its last steps on it ...
    _assert_key_gone(gone, setup.folder, data_key)
    del gone, main, dialog, name, legal  # the test's own references to the old windows
    qtbot.wait(1)  # ... the closed windows are deleted ...
    gc.collect()
    assert watched() is None  # ... and then nothing refers to the old vault at all
    assert desktop.kept is not None and desktop.kept.place is not None
    kept_values = [v for d in desktop.kept.dialogs for v in d.values.values()]
    assert all(isinstance(v, (str, int, bool)) or v is None for v in kept_values)

    main = _unlock(desktop, qtbot)
    assert main.navigation.currentRow() == STAFF_ROWS["People"]
    assert main.stack.currentWidget() is main.people
    assert main.people.selected_person_id() == setup.second
    again = _shown(PersonDialog, qtbot)
    assert isinstance(again, PersonDialog) and again is main.people.editor
    assert again.windowTitle() == "Add person"
    assert again.kind.currentData() == "child"
    assert again.input("name").text() == "Ada " + TYPED
    assert again.input("case_id").text() == "C-0042 & <x>"
    assert again.input("dob").text() == "31/02/2019"
    assert again.input("legal_status").currentText() == "Section 20 — مرحبا"
    assert again.input("placement_matched").isChecked()
    assert again.end_reason.text() == "🙂"

    again.save_button.click()  # the kept dialog works against the new vault
    assert "not a date" in again.error.text()
    again.input("dob").setText("28/02/2019")
    with qtbot.waitSignal(again.person_saved, timeout=5_000):
        again.save_button.click()
    assert desktop.vault is not None
    names = [p.name for p in people.list_people(desktop.vault, "child")]
    assert sorted(names) == ["Ada " + TYPED, "Tomos Example"]


def test_a_carers_household_keeps_its_lines_and_each_kinds_form(
    desktop: DesktopApp, qtbot: QtBot
) -> None:
    main = _main(desktop)
    dialog = main.people.add_person()
    dialog.kind.setCurrentIndex(dialog.kind.findData("supervisee"))
    dialog.input("name").setText("half typed")
    dialog.kind.setCurrentIndex(dialog.kind.findData("carer"))  # changed their mind
    dialog.input("name").setText(ODD_TEXT)
    carers = dialog.input("carers")
    assert isinstance(carers, QPlainTextEdit)
    carers.setPlainText(LINES)

    _press_ctrl_l(qtbot, dialog)

    _locked(desktop)
    main = _unlock(desktop, qtbot)
    again = _shown(PersonDialog, qtbot)
    assert isinstance(again, PersonDialog)
    assert again.kind.currentData() == "carer"
    assert again.input("name").text() == ODD_TEXT
    again_carers = again.input("carers")
    assert isinstance(again_carers, QPlainTextEdit)
    assert again_carers.toPlainText() == LINES
    again.kind.setCurrentIndex(again.kind.findData("supervisee"))
    assert again.input("name").text() == "half typed"


# --- Ctrl+L with a (window-)modal dialog open --------------------------------------------


def _fill_cancellation(dialog: CancellationDialog, setup: Setup) -> None:
    dialog.person.setCurrentIndex(dialog.person.findData(setup.household))
    dialog.planned.setDate(QDate(2026, 11, 17))
    dialog.time.setText("14:30")
    dialog.initiated_by.setEditText("Foster carer & family")
    dialog.reason.setPlainText(LINES)
    dialog.rescheduled.edit.setText("24/11/2026")
    dialog.comments.setText(TYPED)


def _check_cancellation(dialog: CancellationDialog, setup: Setup) -> None:
    assert dialog.person.currentData() == setup.household
    assert dialog.planned.date() == QDate(2026, 11, 17)
    assert dialog.time.text() == "14:30"
    assert dialog.initiated_by.currentText() == "Foster carer & family"
    assert dialog.reason.toPlainText() == LINES
    assert dialog.rescheduled.edit.text() == "24/11/2026"
    assert dialog.comments.text() == TYPED


def test_ctrl_l_in_a_modal_cancellation_dialog_locks_and_brings_it_back(
    desktop: DesktopApp, setup: Setup, data_key: bytes, qtbot: QtBot
) -> None:
    main = _main(desktop)
    dialog = main.dashboard.record_cancellation()
    assert isinstance(dialog, CancellationDialog)
    assert dialog.isModal()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5_000)
    _fill_cancellation(dialog, setup)
    dialog.comments.setFocus()
    old = desktop.vault
    assert old is not None

    _press_ctrl_l(qtbot, dialog)

    window = _locked(desktop)
    assert window.notice.text() == (
        "Locked. What you were typing in Record a cancellation will be back when you "
        "unlock.")
    _assert_key_gone(old, setup.folder, data_key)

    main = _unlock(desktop, qtbot)
    assert main.navigation.currentRow() == STAFF_ROWS["Dashboard"]
    again = _shown(CancellationDialog, qtbot)
    assert isinstance(again, CancellationDialog) and again is main.dashboard.dialog
    _check_cancellation(again, setup)
    with qtbot.waitSignal(again.recorded, timeout=5_000):  # and it records, in the new vault
        again.save_button.click()


def test_ctrl_l_in_a_deviation_dialog_keeps_numbers_choices_and_dates(
    desktop: DesktopApp, setup: Setup, qtbot: QtBot
) -> None:
    main = _main(desktop)
    dialog = main.dashboard.agree_frequency()
    assert isinstance(dialog, DeviationDialog)
    dialog.person.setCurrentIndex(dialog.person.findData(setup.second))
    dialog.number.setValue(9)
    dialog.unit.setCurrentIndex(dialog.unit.findData("days"))
    dialog.agreed_on.setDate(QDate(2026, 10, 5))
    dialog.approved_by.setText("Rhian Example, Team manager & <deputy>")
    dialog.reason.setPlainText(ODD_TEXT)

    _press_ctrl_l(qtbot, dialog)

    assert _locked(desktop).notice.text() == (
        "Locked. What you were typing in Agree a different frequency will be back when "
        "you unlock.")
    _unlock(desktop, qtbot)
    again = _shown(DeviationDialog, qtbot)
    assert isinstance(again, DeviationDialog)
    assert again.person.currentData() == setup.second
    assert again.number.value() == 9
    assert again.unit.currentData() == "days"
    assert again.agreed_on.date() == QDate(2026, 10, 5)
    assert again.approved_by.text() == "Rhian Example, Team manager & <deputy>"
    assert again.reason.toPlainText() == ODD_TEXT


def test_new_record_dialog_keeps_its_template_person_and_date_over_an_idle_lock(
    desktop: DesktopApp, setup: Setup, qtbot: QtBot
) -> None:
    main = _main(desktop)
    main.navigation.setCurrentRow(STAFF_ROWS["Records"])
    dialog = main.new_record(None)
    items = dialog._template_items()
    chosen = next(item for item in items[1:]
                  if templates.catalogue().get(item.data(0, Qt.ItemDataRole.UserRole + 1))
                  .subject_kind == "supervisee")
    template_id = chosen.data(0, Qt.ItemDataRole.UserRole + 1)
    dialog.select_template(template_id)
    dialog.subject.setCurrentIndex(dialog.subject.findData(setup.second))
    dialog.date.setDate(QDate(2026, 11, 22))

    _idle_lock(desktop, qtbot)

    assert _locked(desktop).notice.text() == (
        "Locked. What you were typing in New record will be back when you unlock.")
    main = _unlock(desktop, qtbot)
    assert main.navigation.currentRow() == STAFF_ROWS["Records"]
    again = _shown(NewRecordDialog, qtbot)
    assert isinstance(again, NewRecordDialog)
    template = again.chosen_template()
    assert template is not None and template.id == template_id
    assert again.subject.currentData() == setup.second
    assert again.date.date() == QDate(2026, 11, 22)


def test_two_dialogs_at_once_are_both_named_and_both_back(
    desktop: DesktopApp, setup: Setup, qtbot: QtBot
) -> None:
    main = _main(desktop)
    people_dialog = main.people.add_person()
    people_dialog.input("name").setText(TYPED)
    cancellation = main.dashboard.record_cancellation()
    assert isinstance(cancellation, CancellationDialog)
    _fill_cancellation(cancellation, setup)

    _press_ctrl_l(qtbot, cancellation)

    assert _locked(desktop).notice.text() == (
        "Locked. What you were typing in Add person and Record a cancellation will be "
        "back when you unlock.")
    _unlock(desktop, qtbot)
    again = _shown(PersonDialog, qtbot)
    assert isinstance(again, PersonDialog) and again.input("name").text() == TYPED
    again_cancellation = _shown(CancellationDialog, qtbot)
    assert isinstance(again_cancellation, CancellationDialog)
    _check_cancellation(again_cancellation, setup)


def test_ctrl_l_reaches_a_dialog_run_in_its_own_event_loop(
    desktop: DesktopApp, setup: Setup, qtbot: QtBot
) -> None:
    """A dialog run with exec() (application-modal, its own event loop) is closed by the
    lock, so exec() returns at once, with the vault already closed."""
    main = _main(desktop)
    dialog = CancellationDialog(main._vault, None, main.dashboard)

    def type_then_lock() -> None:
        _fill_cancellation(dialog, setup)
        dialog.comments.setFocus()
        _press_ctrl_l(qtbot, dialog)

    QTimer.singleShot(0, type_then_lock)
    QTimer.singleShot(5_000, dialog, lambda: dialog.done(2))  # if the lock never came
    assert dialog.exec() == QDialog.DialogCode.Rejected.value
    assert desktop.vault is None  # locked while exec() ran
    assert _locked(desktop).notice.text().endswith(
        "What you were typing in Record a cancellation will be back when you unlock.")


# --- the open record -----------------------------------------------------------------


def test_lock_flushes_the_forms_pending_autosave_and_reopens_the_record(
    desktop: DesktopApp, setup: Setup, data_key: bytes, qtbot: QtBot
) -> None:
    main = _main(desktop)
    main.navigation.setCurrentRow(STAFF_ROWS["Records"])
    main.open_record(setup.record)
    page = main._record_page
    assert page is not None
    notes = page.form.editors["notes"].inputs()[0]
    assert isinstance(notes, QPlainTextEdit)
    notes.setFocus()
    qtbot.keyClicks(notes, "Mae'r gofalwr yn dweud & <b>")  # QTest types Latin-1 only
    assert page.has_unsaved_changes()  # the autosave waits for a pause in typing

    _press_ctrl_l(qtbot, notes)

    assert _locked(desktop).notice.text() == "Locked. Your work was saved."
    with vaults.open_with_key(setup.folder, data_key) as closed:
        assert records.get_record(closed, setup.record).fields == {
            "notes": "Mae'r gofalwr yn dweud & <b>"}

    main = _unlock(desktop, qtbot)
    assert main.navigation.currentRow() == STAFF_ROWS["Records"]
    reopened = main._record_page
    assert reopened is not None and reopened.record_id == setup.record
    assert main.stack.currentWidget() is reopened
    again = reopened.form.editors["notes"].inputs()[0]
    assert isinstance(again, QPlainTextEdit)
    assert again.toPlainText() == "Mae'r gofalwr yn dweud & <b>"


def test_a_record_and_a_dialog_open_say_both(
    desktop: DesktopApp, setup: Setup, qtbot: QtBot
) -> None:
    main = _main(desktop)
    main.open_record(setup.record)
    dialog = main.people.add_person()
    dialog.input("name").setText("Cai")

    _press_ctrl_l(qtbot, dialog)

    assert _locked(desktop).notice.text() == (
        "Locked. Your work was saved. What you were typing in Add person will be back "
        "when you unlock.")


def test_the_kept_input_is_dropped_when_the_app_quits_locked(
    desktop: DesktopApp, qtbot: QtBot
) -> None:
    dialog = _main(desktop).people.add_person()
    dialog.input("name").setText(TYPED)
    _press_ctrl_l(qtbot, dialog)
    assert desktop.kept is not None and desktop.kept.dialogs
    desktop.shutdown()
    assert desktop.kept is None


# --- the words -----------------------------------------------------------------------


def test_lock_message_in_every_case() -> None:
    assert lock_message(kept=[]) == "Locked. Your work was saved."
    assert lock_message(kept=[], saved_something=True) == "Locked. Your work was saved."
    assert lock_message(kept=["Add person"]) == (
        "Locked. What you were typing in Add person will be back when you unlock.")
    assert lock_message(kept=["Add person", "New record", "Add person"],
                        saved_something=True) == (
        "Locked. Your work was saved. What you were typing in Add person and New record "
        "will be back when you unlock.")
    assert lock_message(kept=["A", "B", "C"]).endswith("in A, B and C will be back when "
                                                        "you unlock.")
    assert lock_message(kept=[], saved=False, saved_something=True) == (
        "Locked. What you typed last could not be saved.")
    assert lock_message(kept=["Add person"], saved=False, saved_something=True,
                        unsaved_kept=True) == (
        "Locked. What you typed last could not be saved: it is kept, and will be back in "
        "the form when you unlock. What you were typing in Add person will be back when "
        "you unlock.")
    assert lock_message(kept=[], damage="The vault file is damaged.") == (
        "The vault file is damaged.")
    assert lock_message(kept=[], damage="Damaged.", saved=False) == (
        "Damaged. What you typed last could not be saved.")


def test_a_save_that_fails_on_lock_is_said_and_the_typing_comes_back_after_unlock(
    desktop: DesktopApp, setup: Setup, data_key: bytes, qtbot: QtBot
) -> None:
    """Another program holds the database's write lock (as a long search once did): the
    lock's save fails after the busy timeout; the lock still happens, says so, and what
    was typed is back in the form after unlock, where autosave then saves it."""
    import sqlcipher3

    from supervision_desktop.store.engine import apply_key
    from supervision_desktop.store.vault import database_path

    main = _main(desktop)
    main.open_record(setup.record)
    page = main._record_page
    assert page is not None
    notes = page.form.editors["notes"].inputs()[0]
    assert isinstance(notes, QPlainTextEdit)
    notes.setFocus()
    qtbot.keyClicks(notes, "typed before the lock")
    other = sqlcipher3.dbapi2.connect(str(database_path(setup.folder)))
    apply_key(other, data_key)
    other.execute("BEGIN IMMEDIATE")
    try:
        _press_ctrl_l(qtbot, notes)
        assert _locked(desktop).notice.text() == (
            "Locked. What you typed last could not be saved: it is kept, and will be back "
            "in the form when you unlock.")
    finally:
        other.execute("ROLLBACK")
        other.close()

    main = _unlock(desktop, qtbot)
    reopened = main._record_page
    assert reopened is not None and reopened.record_id == setup.record
    again = reopened.form.editors["notes"].inputs()[0]
    assert isinstance(again, QPlainTextEdit)
    assert again.toPlainText() == "typed before the lock"
    with qtbot.waitSignal(reopened.saved, timeout=10_000):
        pass  # the autosave, given its pause
    assert desktop.vault is not None
    assert records.get_record(desktop.vault, setup.record).fields == {
        "notes": "typed before the lock"}


def test_edit_person_comes_back_editing_the_same_person(
    desktop: DesktopApp, setup: Setup, qtbot: QtBot
) -> None:
    dialog = _main(desktop).people.edit_person(setup.first)
    assert dialog is not None
    dialog.input("name").setText("Alys Example-Dŵr")

    _press_ctrl_l(qtbot, dialog)

    assert _locked(desktop).notice.text() == (
        "Locked. What you were typing in Edit person will be back when you unlock.")
    _unlock(desktop, qtbot)
    again = _shown(PersonDialog, qtbot)
    assert isinstance(again, PersonDialog) and again.windowTitle() == "Edit person"
    assert again.input("name").text() == "Alys Example-Dŵr"
    with qtbot.waitSignal(again.person_saved, timeout=5_000):
        again.save_button.click()
    assert desktop.vault is not None
    assert people.get_person(desktop.vault, setup.first).name == "Alys Example-Dŵr"


def test_a_records_amend_and_upload_dialogs_come_back_on_that_record(
    desktop: DesktopApp, setup: Setup, qtbot: QtBot
) -> None:
    main = _main(desktop)
    main.navigation.setCurrentRow(STAFF_ROWS["Records"])
    main.open_record(setup.finalised)
    page = main._record_page
    assert page is not None
    page.lifecycle.amend()
    amend = page.lifecycle.dialog
    assert isinstance(amend, AmendDialog)
    amend.reason.setPlainText(LINES)

    _press_ctrl_l(qtbot, amend)

    assert _locked(desktop).notice.text() == (
        "Locked. What you were typing in Amend this record will be back when you unlock.")
    main = _unlock(desktop, qtbot)
    page = main._record_page
    assert page is not None and page.record_id == setup.finalised
    again = _shown(AmendDialog, qtbot)
    assert isinstance(again, AmendDialog) and again.reason.toPlainText() == LINES
    again.reject()

    page.lifecycle.mark_uploaded()
    upload = page.lifecycle.dialog
    assert isinstance(upload, UploadDialog)
    upload.date.edit.setText("25/11/2026")
    upload.reference.setText("Mosaic & <DOC-7> ŵ")
    _idle_lock(desktop, qtbot)
    _unlock(desktop, qtbot)
    upload_again = _shown(UploadDialog, qtbot)
    assert isinstance(upload_again, UploadDialog)
    assert upload_again.date.edit.text() == "25/11/2026"
    assert upload_again.reference.text() == "Mosaic & <DOC-7> ŵ"


def test_closing_an_action_comes_back_for_the_same_action(
    desktop: DesktopApp, setup: Setup, qtbot: QtBot
) -> None:
    main = _main(desktop)
    main.navigation.setCurrentRow(3)  # Actions
    main.actions_page.select(setup.action)
    dialog = main.actions_page.close_selected(actions.DROPPED)
    assert isinstance(dialog, CloseActionDialog)
    dialog.reason.setPlainText("No longer needed — مرحبا & <b>")
    dialog.day.setDate(QDate(2026, 11, 20))

    _press_ctrl_l(qtbot, dialog)

    assert _locked(desktop).notice.text() == (
        "Locked. What you were typing in Drop the action will be back when you unlock.")
    main = _unlock(desktop, qtbot)
    assert main.navigation.currentRow() == 3
    again = _shown(CloseActionDialog, qtbot)
    assert isinstance(again, CloseActionDialog) and again.windowTitle() == "Drop the action"
    assert again.reason.toPlainText() == "No longer needed — مرحبا & <b>"
    assert again.day.date() == QDate(2026, 11, 20)
    with qtbot.waitSignal(again.closed, timeout=5_000):
        again.ok.click()
    assert desktop.vault is not None
    closed = next(a for a in actions.list_actions(desktop.vault, status=None)
                  if a.id == setup.action)
    assert closed.status == actions.DROPPED
