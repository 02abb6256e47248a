"""Automatic backup on lock and close: chosen in its dialog, run off the GUI thread, the
lock never waits for it, and a failure is said calmly on the unlock window."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from supervision_desktop.domain.backup_rotation import Keep
from supervision_desktop.services import backup
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.shell.app import DesktopApp
from supervision_desktop.ui.shell.main_window import MainWindow
from supervision_desktop.ui.shell.unlock import UnlockWindow
from tests.whole_file import make_whole_file

pytestmark = pytest.mark.gui


def _switched_on(vault_folder: Path, data_key: bytes, folder: Path) -> None:
    with vaults.open_with_key(vault_folder, data_key) as vault:
        make_whole_file(vault)
        backup.set_auto_backup(vault, folder, True)


def test_locking_backs_up_to_the_chosen_folder_without_waiting(
    desktop: DesktopApp, vault_folder: Path, data_key: bytes, tmp_path: Path, qtbot: QtBot,
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    _switched_on(vault_folder, data_key, usb)
    desktop.start()
    assert isinstance(desktop.window, MainWindow)
    started = time.perf_counter()
    desktop.lock()
    took = time.perf_counter() - started
    assert desktop.vault is None and isinstance(desktop.window, UnlockWindow)
    qtbot.waitUntil(lambda: len(list(usb.glob("*.sdbackup"))) == 1, timeout=20_000)
    [made] = usb.glob("*.sdbackup")
    assert backup.read_backup(made).counts.records == 4
    assert took < 1.0, took  # the lock does not wait for the backup
    desktop.start()  # unlock again: the reminder counts the automatic backup
    assert isinstance(desktop.window, MainWindow)
    assert not desktop.window.backup_controller.banner.isVisible()
    assert desktop.window.backup_controller.show_reminder_if_due() is False


def test_a_failed_automatic_backup_is_said_calmly_and_the_lock_holds(
    desktop: DesktopApp, vault_folder: Path, data_key: bytes, tmp_path: Path, qtbot: QtBot,
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    _switched_on(vault_folder, data_key, usb)
    desktop.start()
    shutil.rmtree(usb)  # the disk was unplugged
    desktop.lock()
    window = desktop.window
    assert isinstance(window, UnlockWindow) and desktop.vault is None
    qtbot.waitUntil(lambda: "automatic backup was not made" in window.notice.text(),
                    timeout=20_000)
    assert window.notice.text().startswith("Locked. Your work was saved.")
    assert "is not there (an unplugged disk?)" in window.notice.text()


def test_closing_the_app_backs_up_too(
    desktop: DesktopApp, vault_folder: Path, data_key: bytes, tmp_path: Path,
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    _switched_on(vault_folder, data_key, usb)
    desktop.start()
    desktop.shutdown()
    assert len(list(usb.glob("*.sdbackup"))) == 1


def test_no_automatic_backup_unless_switched_on(
    desktop: DesktopApp, vault_folder: Path, data_key: bytes, tmp_path: Path, qtbot: QtBot,
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    with vaults.open_with_key(vault_folder, data_key) as vault:
        backup.set_auto_backup(vault, usb, False)
    desktop.start()
    desktop.lock()
    desktop.start()
    desktop.shutdown()
    qtbot.wait(200)
    assert list(usb.iterdir()) == []


def test_the_dialog_chooses_the_folder_switches_it_on_and_sets_the_rotation(
    vault: Vault, qtbot: QtBot, tmp_path: Path,
) -> None:
    from PySide6.QtWidgets import QMainWindow

    from supervision_desktop.ui.vault_admin import backup_and_restore

    window = QMainWindow()
    window.menuBar().addMenu("&Vault")
    qtbot.addWidget(window)
    controller = backup_and_restore.install(window, vault)
    dialog = controller.auto_backup_setting()
    assert dialog.daily.value() == 7 and dialog.weekly.value() == 4
    assert dialog.monthly.value() == 12 and not dialog.enabled.isChecked()
    dialog.enabled.setChecked(True)
    dialog.save()
    assert dialog.error.text() == "Choose the folder for automatic backups."
    dialog.folder.setText(str(tmp_path / "missing"))
    dialog.save()
    assert "is not a folder that exists" in dialog.error.text()
    dialog.folder.setText(str(tmp_path))
    dialog.daily.setValue(3)
    dialog.save()
    assert backup.backup_folder(vault) == tmp_path and backup.auto_backup_on(vault)
    assert backup.keep_setting(vault) == Keep(3, 4, 12)


def test_quitting_right_after_a_lock_waits_for_its_backup_to_finish(
    desktop: DesktopApp, vault_folder: Path, data_key: bytes, tmp_path: Path,
) -> None:
    """Lock, then quit from the unlock window at once: the lock's backup is finished
    whole before the app goes, not cut off (no half file, one sound backup)."""
    from supervision_desktop.services.backup_format import is_sound_backup

    usb = tmp_path / "usb"
    usb.mkdir()
    _switched_on(vault_folder, data_key, usb)
    desktop.start()
    desktop.lock()
    desktop.shutdown()  # what quitting does (aboutToQuit), with the backup still running
    files = list(usb.iterdir())
    assert len(files) == 1 and files[0].suffix == ".sdbackup", files
    assert is_sound_backup(files[0])
