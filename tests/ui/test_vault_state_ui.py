"""The unlock window refuses an older vault with the message and offers the ways out; the
read-only way opens the main window with a read-only banner."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from supervision_desktop.services import templates
from supervision_desktop.store.keyfile import KeyFile
from supervision_desktop.store.keyring_cache import MemoryKeyring
from supervision_desktop.ui.shell.app import DesktopApp
from supervision_desktop.ui.shell.main_window import MainWindow
from supervision_desktop.ui.shell.unlock import READ_ONLY_TEXT, UnlockWindow
from supervision_desktop.ui.vault_admin.backup_and_restore import RestoreDialog
from tests.conftest import PASSPHRASE
from tests.test_vault_state import NOV_11, NOV_12, add_people, digests

pytestmark = pytest.mark.gui

MESSAGE = "older than the one last opened here: 2 changes since 11/11/2026 are missing"


@pytest.fixture
def older_vault(vault_folder: Path, data_key: bytes, tmp_path: Path) -> Path:
    add_people(vault_folder, data_key, ["Ada Example"], NOV_11)
    shutil.copy2(vault_folder / "vault.db", tmp_path / "older.db")
    add_people(vault_folder, data_key, ["Bryn Example", "Cai Example"], NOV_12)
    shutil.copy2(tmp_path / "older.db", vault_folder / "vault.db")
    return vault_folder


def _desktop(folder: Path, keyring: MemoryKeyring) -> DesktopApp:
    return DesktopApp(folder, keyring, templates.catalogue())


@pytest.fixture
def desktops(qtbot: QtBot) -> Iterator[list[DesktopApp]]:
    made: list[DesktopApp] = []
    yield made
    for app in made:
        app.shutdown()
        if app.window is not None and shiboken6.isValid(app.window):
            app.window.close()
            app.window.deleteLater()
    qtbot.wait(1)


def test_unlock_shows_the_refusal_and_the_ways_out_then_opens_read_only(
    older_vault: Path, qtbot: QtBot, desktops: list[DesktopApp]
) -> None:
    before = digests(older_vault)
    desktop = _desktop(older_vault, MemoryKeyring())
    desktops.append(desktop)
    desktop.start()
    window = desktop.window
    assert isinstance(window, UnlockWindow)
    assert not window.ways_out.isVisibleTo(window)
    window.passphrase.setText(PASSPHRASE)
    window.unlock_button.click()
    qtbot.waitUntil(lambda: MESSAGE in window.error.text(), timeout=15_000)
    assert window.ways_out.isVisibleTo(window)
    assert window.restore_button.text() == "Restore from a backup…"
    assert window.read_only_button.text() == "Open read-only"
    assert desktop.vault is None

    window.read_only_button.click()
    qtbot.waitUntil(lambda: isinstance(desktop.window, MainWindow), timeout=15_000)
    main = desktop.window
    assert isinstance(main, MainWindow) and desktop.vault is not None
    assert desktop.vault.read_only
    banner = main.statusBar().findChild(QLabel, "read-only-banner")
    assert banner is not None and banner.text() == READ_ONLY_TEXT
    assert banner.isVisibleTo(main)
    desktop.lock()
    assert digests(older_vault) == before


def test_restore_from_the_unlock_window_opens_the_restore_dialog_for_this_folder(
    older_vault: Path, qtbot: QtBot, desktops: list[DesktopApp]
) -> None:
    desktop = _desktop(older_vault, MemoryKeyring())
    desktops.append(desktop)
    desktop.start()
    window = desktop.window
    assert isinstance(window, UnlockWindow)
    window.passphrase.setText(PASSPHRASE)
    window.unlock_button.click()
    qtbot.waitUntil(lambda: window.ways_out.isVisibleTo(window), timeout=15_000)
    window.restore_button.click()
    dialog = window.findChild(RestoreDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.folder.text() == str(older_vault) and dialog.folder.isReadOnly()
    dialog.reject()


def test_the_remembered_key_path_shows_the_refusal_at_once(
    older_vault: Path, data_key: bytes, desktops: list[DesktopApp]
) -> None:
    keyring = MemoryKeyring()
    keyring.store(KeyFile.load(older_vault).vault_id, data_key)
    desktop = _desktop(older_vault, keyring)
    desktops.append(desktop)
    desktop.start()
    window = desktop.window
    assert isinstance(window, UnlockWindow)
    assert MESSAGE in window.notice.text()
    assert window.ways_out.isVisibleTo(window)
