"""First run, unlock, lock: the windows a person meets before any record."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from supervision_desktop.services import compliance, templates
from supervision_desktop.store.keyring_cache import MemoryKeyring
from supervision_desktop.ui.shell.app import DesktopApp
from supervision_desktop.ui.shell.first_run import FirstRunWindow
from supervision_desktop.ui.shell.main_window import MainWindow
from supervision_desktop.ui.shell.unlock import UnlockWindow
from tests.conftest import OWNER, PASSPHRASE

pytestmark = pytest.mark.gui


@pytest.fixture
def keyring() -> MemoryKeyring:
    return MemoryKeyring()


_started: list[DesktopApp] = []


@pytest.fixture(autouse=True)
def _close_desktops(qtbot: QtBot) -> Iterator[None]:
    """The app replaces (and deletes) its own windows; close what is left after each test."""
    yield
    while _started:
        desktop = _started.pop()
        desktop.shutdown()
        if desktop.window is not None and shiboken6.isValid(desktop.window):
            desktop.window.close()
            desktop.window.deleteLater()
    qtbot.wait(1)  # let the deletions run


def _desktop(folder: Path, keyring: MemoryKeyring, qtbot: QtBot,
             idle_minutes: float = 10) -> DesktopApp:
    desktop = DesktopApp(folder, keyring, templates.catalogue(), idle_minutes=idle_minutes)
    _started.append(desktop)
    desktop.start()
    assert desktop.window is not None
    return desktop


def _wait_for(qtbot: QtBot, desktop: DesktopApp, kind: type) -> None:
    qtbot.waitUntil(lambda: isinstance(desktop.window, kind), timeout=10_000)
    assert desktop.window is not None


def test_first_run_creates_vault_shows_recovery_key_then_main_window(
    tmp_path: Path, keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    folder = tmp_path / "vault"
    desktop = _desktop(folder, keyring, qtbot)
    window = desktop.window
    assert isinstance(window, FirstRunWindow)
    window.name.setText("Bryn Testing")
    window.passphrase.setText("short")
    window.repeat.setText("short")
    window.create_button.click()
    assert "at least 10 characters" in window.error.text()
    assert not folder.exists() or not any(folder.iterdir())

    window.passphrase.setText(PASSPHRASE)
    window.repeat.setText(PASSPHRASE + "x")
    window.create_button.click()
    assert "differ" in window.error.text()

    window.repeat.setText(PASSPHRASE)
    window.remember.setChecked(True)
    assert window.policy.currentData() == "lambeth"  # the default, shown before creating
    window.policy.setCurrentIndex(window.policy.findData("kent"))
    window.create_button.click()
    qtbot.waitUntil(lambda: bool(window.recovery_key.text()), timeout=10_000)
    assert len(window.recovery_key.text()) == 39
    shown = window.recovery_key
    assert shown.contentsRect().width() >= shown.fontMetrics().horizontalAdvance(shown.text())
    assert not window.continue_button.isEnabled()
    printed = tmp_path / "key.pdf"  # "write it down or print it": Print… prints the key
    window.print_button.click()
    window.print_dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    window.print_dialog.printer().setOutputFileName(str(printed))
    window.print_dialog.accepted.emit(window.print_dialog.printer())
    on_paper = subprocess.run(["pdftotext", str(printed), "-"], capture_output=True,
                              text=True, check=True).stdout
    assert window.recovery_key.text() in on_paper and "Bryn Testing" not in on_paper
    window.print_dialog.reject()
    window.stored.setChecked(True)
    window.continue_button.click()
    _wait_for(qtbot, desktop, MainWindow)
    assert "Bryn Testing" in desktop.window.windowTitle()
    assert desktop.vault is not None
    assert keyring.load(desktop.vault.vault_id) is not None
    assert compliance.vault_profile(desktop.vault).id == "kent"
    desktop.shutdown()


def test_unlock_wrong_then_right_passphrase_and_lock(
    vault_folder: Path, keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    desktop = _desktop(vault_folder, keyring, qtbot)
    window = desktop.window
    assert isinstance(window, UnlockWindow)
    window.passphrase.setText("not my passphrase")
    window.unlock_button.click()
    qtbot.waitUntil(lambda: "not right" in window.error.text(), timeout=10_000)
    assert desktop.vault is None

    window.passphrase.setText(PASSPHRASE)
    window.unlock_button.click()
    _wait_for(qtbot, desktop, MainWindow)
    assert OWNER in desktop.window.windowTitle()

    desktop.window.lock_action.trigger()
    _wait_for(qtbot, desktop, UnlockWindow)
    assert desktop.vault is None
    assert "Locked" in desktop.window.notice.text()


def test_remembered_key_unlocks_without_passphrase(
    vault_folder: Path, data_key: bytes, keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    from supervision_desktop.store.keyfile import KeyFile

    keyring.store(KeyFile.load(vault_folder).vault_id, data_key)
    desktop = _desktop(vault_folder, keyring, qtbot)
    assert isinstance(desktop.window, MainWindow)
    desktop.shutdown()


def test_recovery_key_unlocks_and_sets_new_passphrase(
    vault_folder: Path, recovery_key: str, keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    desktop = _desktop(vault_folder, keyring, qtbot)
    window = desktop.window
    assert isinstance(window, UnlockWindow)
    window.recovery_key.setText("AAAA-BBBB")
    window.new_passphrase.setText("my new long passphrase")
    window.new_repeat.setText("my new long passphrase")
    window.recover_button.click()
    qtbot.waitUntil(lambda: "recovery key is not right" in window.recovery_error.text(),
                    timeout=10_000)
    window.recovery_key.setText(recovery_key)
    window.recover_button.click()
    _wait_for(qtbot, desktop, MainWindow)
    desktop.shutdown()
    from supervision_desktop.store import vault as vaults

    vaults.open_with_passphrase(vault_folder, "my new long passphrase").close()


def test_idle_timeout_locks(vault_folder: Path, data_key: bytes, keyring: MemoryKeyring,
                            qtbot: QtBot) -> None:
    from supervision_desktop.store.keyfile import KeyFile

    keyring.store(KeyFile.load(vault_folder).vault_id, data_key)
    desktop = _desktop(vault_folder, keyring, qtbot, idle_minutes=0.002)
    assert isinstance(desktop.window, MainWindow)
    _wait_for(qtbot, desktop, UnlockWindow)
    assert desktop.vault is None
