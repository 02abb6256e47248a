"""Backup, restore and transfer in the GUI: the reminder, the menu entries and dialogs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from supervision_desktop.services import backup, people, templates, transfer
from supervision_desktop.services.vault_access import Unlocked
from supervision_desktop.store import settings
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.keyfile import new_recovery_key
from supervision_desktop.store.keyring_cache import MemoryKeyring
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.people import transfer_bundle
from supervision_desktop.ui.people.person_page import PersonPage
from supervision_desktop.ui.shell.first_run import FirstRunWindow
from supervision_desktop.ui.shell.main_window import MainWindow
from supervision_desktop.ui.vault_admin import backup_and_restore
from tests.conftest import OWNER, PASSPHRASE
from tests.whole_file import SUPERVISEE_NAME, make_whole_file, snapshot_of

pytestmark = pytest.mark.gui


def _window(qtbot: QtBot) -> QMainWindow:
    window = QMainWindow()
    window.menuBar().addMenu("&Vault")
    qtbot.addWidget(window)
    window.resize(1000, 600)
    window.show()
    return window


def _backed_up_days_ago(vault: Vault, days: int) -> None:
    when = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    with vault.transaction() as session:
        settings.write(session, settings.LAST_BACKUP_AT, when.isoformat())


def test_reminder_shows_when_last_backup_is_older_than_the_setting(
    vault: Vault, qtbot: QtBot
) -> None:
    _backed_up_days_ago(vault, 8)
    controller = backup_and_restore.install(_window(qtbot), vault)
    assert controller.banner.isVisible()
    assert "8 days ago" in controller.banner.text.text()
    assert "every 7 days" in controller.banner.text.text()
    controller.banner.later_button.click()
    assert not controller.banner.isVisible()


def test_no_reminder_after_a_recent_backup_or_with_nothing_to_lose(
    vault: Vault, qtbot: QtBot
) -> None:
    assert not backup_and_restore.install(_window(qtbot), vault).banner.isVisible()  # empty vault
    _backed_up_days_ago(vault, 3)
    make_whole_file(vault)
    assert not backup_and_restore.install(_window(qtbot), vault).banner.isVisible()


def test_reminder_setting_changes_when_it_shows(vault: Vault, qtbot: QtBot) -> None:
    _backed_up_days_ago(vault, 8)
    controller = backup_and_restore.install(_window(qtbot), vault)
    dialog = controller.reminder_setting()
    assert dialog.intValue() == 7
    dialog.setIntValue(10)
    dialog.accept()
    assert backup.reminder_days(vault) == 10
    assert not controller.banner.isVisible()


def test_back_up_now_writes_a_file_that_restores_and_hides_the_reminder(
    vault: Vault, qtbot: QtBot, tmp_path: Path, data_key: bytes
) -> None:
    made = make_whole_file(vault)
    expected = snapshot_of(vault, made.person_id)
    window = _window(qtbot)
    controller = backup_and_restore.install(window, vault)
    assert controller.banner.isVisible()  # records, never backed up
    vault_menu = window.menuBar().actions()[0].menu()
    entries = [a.text() for a in vault_menu.actions()]
    assert {"&Back up now…", "Restore a &backup…", "Backup &reminder…"} <= set(entries)

    moment = dt.datetime(2026, 12, 3, 17, 5, 9, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):  # the name is to the second
        controller.banner.back_up_button.click()
        dialog = window.findChild(backup_and_restore.QFileDialog)
        assert dialog is not None and dialog.isVisible()
        assert dialog.selectedFiles()[0].endswith(backup.default_file_name(moment))
    target = tmp_path / "usb" / "my-backup.sdbackup"
    target.parent.mkdir()
    with qtbot.waitSignal(controller.backed_up, timeout=20_000):
        dialog.fileSelected.emit(str(target))
    assert not controller.banner.isVisible()
    assert "checked after writing" in window.statusBar().currentMessage()
    backup.restore(target, tmp_path / "restored", passphrase=PASSPHRASE)
    with vaults.open_with_key(tmp_path / "restored", data_key) as restored:
        assert snapshot_of(restored, made.person_id) == expected


def test_a_failed_backup_says_why(vault: Vault, qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot)
    controller = backup_and_restore.install(window, vault)
    controller.back_up_to(tmp_path / "unplugged" / "x.sdbackup")
    qtbot.waitUntil(lambda: window.findChild(backup_and_restore.QMessageBox) is not None,
                    timeout=10_000)
    box = window.findChild(backup_and_restore.QMessageBox)
    assert box.windowTitle() == "No backup was made" and "Cannot write in" in box.text()
    assert controller.back_up_action.isEnabled()


def test_restore_dialog_names_the_folder_before_replacing_and_offers_to_switch(
    vault: Vault, qtbot: QtBot, tmp_path: Path, data_key: bytes
) -> None:
    made = make_whole_file(vault)
    path = backup.back_up(vault, tmp_path / "b.sdbackup").path
    existing, _ = vaults.create(tmp_path / "other", PASSPHRASE, new_recovery_key())
    existing.close()
    window = _window(qtbot)
    controller = backup_and_restore.install(window, vault)
    dialog = controller.restore_backup()
    dialog.file.setText(str(path))
    dialog.folder.setText(str(vault.folder))
    dialog.passphrase.setText(PASSPHRASE)
    dialog.start()
    assert "vault you have open" in dialog.error.text()
    dialog.folder.setText(str(tmp_path / "other"))
    assert dialog.replace.isVisible() and str(tmp_path / "other") in dialog.replace_note.text()
    dialog.start()
    assert "tick the box" in dialog.error.text()
    dialog.replace.setChecked(True)
    switched: list[Path] = []
    controller.switch_requested.connect(switched.append)  # as the app does
    with qtbot.waitSignal(controller.restored, timeout=20_000):
        dialog.start()
    with vaults.open_with_key(tmp_path / "other", data_key) as restored:
        assert sorted(p.name for p in people.list_people(restored)) == [
            "Marisol Penhallow-Drift", SUPERVISEE_NAME]
        assert snapshot_of(restored, made.person_id) == snapshot_of(vault, made.person_id)
    box = window.findChild(backup_and_restore.QMessageBox)
    assert "restored into" in box.text()
    switch = next(b for b in box.buttons() if b.text() == "Open the restored vault")
    switch.click()
    assert switched == [tmp_path / "other"]


def test_restore_with_the_recovery_key_in_the_dialog(
    vault: Vault, qtbot: QtBot, tmp_path: Path, recovery_key: str
) -> None:
    path = backup.back_up(vault, tmp_path / "b.sdbackup").path
    window = _window(qtbot)
    controller = backup_and_restore.install(window, vault)  # nothing connected: no switch offered
    dialog = controller.restore_backup()
    dialog.file.setText(str(path))
    dialog.folder.setText(str(tmp_path / "new"))
    dialog.use_recovery.setChecked(True)
    assert not dialog.passphrase.isVisible() and dialog.recovery_key.isVisible()
    dialog.recovery_key.setText(recovery_key.lower())
    dialog.new_passphrase.setText("a new passphrase for the new laptop")
    dialog.repeat.setText("a different one")
    dialog.start()
    assert "differ" in dialog.error.text()
    dialog.repeat.setText("a new passphrase for the new laptop")
    with qtbot.waitSignal(controller.restored, timeout=20_000):
        dialog.start()
    box = window.findChild(backup_and_restore.QMessageBox)
    assert f"--vault {tmp_path / 'new'}" in box.text()
    vaults.open_with_passphrase(tmp_path / "new", "a new passphrase for the new laptop").close()


def test_restore_dialog_with_the_wrong_passphrase_says_so(
    vault: Vault, qtbot: QtBot, tmp_path: Path
) -> None:
    path = backup.back_up(vault, tmp_path / "b.sdbackup").path
    dialog = backup_and_restore.RestoreDialog(backup_file=path, folder=tmp_path / "new")
    qtbot.addWidget(dialog)
    dialog.passphrase.setText("not it at all")
    dialog.start()
    qtbot.waitUntil(lambda: "not right" in dialog.error.text(), timeout=10_000)
    assert not (tmp_path / "new").exists()


def test_first_run_can_restore_a_backup_and_opens_it(
    vault: Vault, qtbot: QtBot, tmp_path: Path
) -> None:
    make_whole_file(vault)
    path = backup.back_up(vault, tmp_path / "b.sdbackup").path
    folder = tmp_path / "fresh-laptop"
    window = FirstRunWindow(folder, lambda *args: None)  # type: ignore[arg-type, return-value]
    qtbot.addWidget(window)
    window.show()
    link = next(b for b in window.findChildren(backup_and_restore.QPushButton)
                if b.text() == "Restore from a backup…")
    link.click()
    dialog = window.findChild(backup_and_restore.RestoreDialog)
    assert dialog.folder.text() == str(folder) and dialog.folder.isReadOnly()
    dialog.file.setText(str(path))
    dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(window.finished, timeout=20_000) as done:
        dialog.start()
    unlocked = done.args[0]
    assert isinstance(unlocked, Unlocked)
    try:
        assert len(people.list_people(unlocked.vault)) == 2
    finally:
        unlocked.vault.close()


def test_main_window_has_the_backup_and_transfer_entries(vault: Vault, qtbot: QtBot) -> None:
    window = MainWindow(vault, templates.catalogue(), MemoryKeyring(), owner_name=OWNER)
    qtbot.addWidget(window)
    texts = {a.text() for m in window.menuBar().actions() if m.menu()
             for a in m.menu().actions()}
    assert {"&Back up now…", "Restore a &backup…", "&Import a transfer bundle…"} <= texts


# --- transfer ------------------------------------------------------------------------


def test_transfer_button_shows_the_passphrase_once_and_the_bundle_imports(
    vault: Vault, qtbot: QtBot, tmp_path: Path
) -> None:
    made = make_whole_file(vault)
    page = PersonPage(vault)
    qtbot.addWidget(page)
    page.show_person(people.get_person(vault, made.person_id))
    page.show()
    assert page.transfer_button.isVisible()
    target = tmp_path / "bundle.sdtransfer"
    with qtbot.waitSignal(page.transfer_button.exported, timeout=20_000) as done:
        page.transfer_button.export_to(target)
    exported = done.args[0]
    shown = page.findChild(transfer_bundle.PassphraseShown)
    assert shown is not None and shown.passphrase.text() == exported.passphrase
    copy = next(b for b in shown.findChildren(transfer_bundle.QPushButton)
                if b.text() == "Copy to clipboard")
    copy.click()
    assert QApplication.clipboard().text() == exported.passphrase
    shown.reject()
    assert QApplication.clipboard().text() == ""  # not left lying about

    receiving, _ = vaults.create(tmp_path / "receiving", PASSPHRASE, new_recovery_key())
    try:
        window = _window(qtbot)
        window.menuBar().addMenu("&File")
        importer = transfer_bundle.install(window, receiving)
        dialog = importer.ask_passphrase(target)
        dialog.passphrase.setText("WRONG-WRONG-WRONG-WRONG-WRONG")
        dialog.start()
        qtbot.waitUntil(lambda: "transfer passphrase is wrong" in dialog.error.text(),
                        timeout=10_000)
        dialog.passphrase.setText(exported.passphrase)
        with qtbot.waitSignal(dialog.sender_shown, timeout=20_000):  # a first-time sender
            dialog.start()
        assert not dialog.import_button.isEnabled()
        dialog.accept_sender.setChecked(True)
        with qtbot.waitSignal(importer.imported, timeout=20_000):
            dialog.start()
        assert "3 records added" in window.statusBar().currentMessage()
        mine, theirs = (snapshot_of(v, made.person_id) for v in (vault, receiving))
        assert [d["verdict"] for d in theirs["signed"]] == ["flagged"]  # a made-up PDF
        assert {**theirs, "signed": []} == {**mine, "signed": []}
    finally:
        receiving.close()


def test_children_have_no_transfer_button(vault: Vault, qtbot: QtBot) -> None:
    child = people.add_person(vault, "child", {"name": "Tamsin Example"})
    page = PersonPage(vault)
    qtbot.addWidget(page)
    page.show()
    page.show_person(child)
    assert not page.transfer_button.isVisible()
    assert transfer.TRANSFERABLE_KINDS == ("supervisee", "carer")
