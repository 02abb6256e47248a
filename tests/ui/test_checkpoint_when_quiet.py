"""A pause in typing copies the vault's write-ahead log into vault.db, so a -wal lost to
a crash or a careless copy of vault.db loses little (the lock and close do it too)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from supervision_desktop.services import people
from supervision_desktop.ui.shell.app import DesktopApp
from supervision_desktop.ui.shell.idle import IdleWatcher

pytestmark = pytest.mark.gui


def test_the_watcher_says_quiet_once_after_a_pause_and_not_while_locked(qtbot: QtBot) -> None:
    watcher = IdleWatcher(10, quiet_seconds=0.05)
    heard: list[str] = []
    watcher.quiet.connect(lambda: heard.append("quiet"))
    qtbot.waitUntil(lambda: heard == ["quiet"], timeout=2000)
    qtbot.wait(200)
    assert heard == ["quiet"]  # once per pause, not every 50 ms
    watcher.stop()  # locked
    watcher.restart()
    watcher.stop()
    qtbot.wait(200)
    assert heard == ["quiet"]


def test_a_pause_empties_the_wal_into_the_database(
    desktop: DesktopApp, vault_folder: Path, qtbot: QtBot
) -> None:
    desktop.start()
    assert desktop.vault is not None
    people.add_person(desktop.vault, "child", {"name": "Ada Example"})
    wal = vault_folder / "vault.db-wal"
    assert wal.stat().st_size > 0  # the change is in the WAL only
    desktop.idle.quiet.emit()  # what 30 s without input does
    qtbot.waitUntil(lambda: wal.stat().st_size == 0, timeout=10_000)
