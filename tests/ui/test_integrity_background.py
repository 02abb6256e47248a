"""The app opens at once and checks every page of the vault afterwards, off the GUI thread;
damage found then locks the vault and says what to do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from supervision_desktop.services import templates
from supervision_desktop.store.keyfile import KeyFile
from supervision_desktop.store.keyring_cache import MemoryKeyring
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.shell.app import DesktopApp
from supervision_desktop.ui.shell.main_window import MainWindow
from supervision_desktop.ui.shell.unlock import UnlockWindow
from tests.conftest import PASSPHRASE
from tests.test_vault_integrity import damage_a_page_nobody_reads_at_unlock

pytestmark = pytest.mark.gui


@pytest.fixture
def desktop(vault_folder: Path, data_key: bytes, qtbot: QtBot,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[DesktopApp]:
    monkeypatch.setattr(DesktopApp, "INTEGRITY_CHECK_DELAY_MS", 0)
    keyring = MemoryKeyring()
    keyring.store(KeyFile.load(vault_folder).vault_id, data_key)
    app = DesktopApp(vault_folder, keyring, templates.catalogue())
    yield app
    app.shutdown()
    if app.window is not None and shiboken6.isValid(app.window):
        app.window.close()
        app.window.deleteLater()
    qtbot.wait(1)


def test_a_sound_vault_stays_open_after_the_background_check(
    desktop: DesktopApp, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    results: list[str | None] = []
    original = DesktopApp._integrity_checked

    def checked(self: DesktopApp, vault: Vault, problem: str | None) -> None:
        results.append(problem)
        original(self, vault, problem)

    monkeypatch.setattr(DesktopApp, "_integrity_checked", checked)
    desktop.start()
    assert isinstance(desktop.window, MainWindow)
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    assert results == [None]
    assert isinstance(desktop.window, MainWindow) and desktop.vault is not None


def test_damage_found_after_the_window_shows_locks_with_the_damage_message(
    vault_folder: Path, data_key: bytes, desktop: DesktopApp, qtbot: QtBot
) -> None:
    damage_a_page_nobody_reads_at_unlock(vault_folder, data_key)
    desktop.start()
    assert isinstance(desktop.window, MainWindow)  # opened at once: the quick check passed
    qtbot.waitUntil(lambda: isinstance(desktop.window, UnlockWindow), timeout=10_000)
    window = desktop.window
    assert isinstance(window, UnlockWindow)
    assert desktop.vault is None
    notice = window.notice.text()
    assert "damaged" in notice and "Restore your most recent backup" in notice
    assert "was locked" in notice and "Nothing was written" not in notice
    assert window.notice.isVisibleTo(window)

    # Unlocking again checks every page first, so it is refused with the reason.
    window.passphrase.setText(PASSPHRASE)
    window.unlock_button.click()
    qtbot.waitUntil(lambda: "damaged" in window.error.text(), timeout=10_000)
    assert desktop.vault is None and desktop.window is window


def test_a_check_that_cannot_run_leaves_the_vault_open_and_says_so(
    desktop: DesktopApp, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlcipher3

    from supervision_desktop.store.vault import Vault

    def busy(_vault: object) -> str | None:
        raise sqlcipher3.dbapi2.OperationalError("database is locked")

    monkeypatch.setattr(Vault, "check_integrity", busy)  # the file is busy
    desktop.start()
    window = desktop.window
    assert isinstance(window, MainWindow)
    qtbot.waitUntil(lambda: "could not run" in window.statusBar().currentMessage(),
                    timeout=10_000)
    assert desktop.window is window and desktop.vault is not None
