"""Fixtures shared by the GUI tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from supervision_desktop.services import templates
from supervision_desktop.store.keyfile import KeyFile
from supervision_desktop.store.keyring_cache import MemoryKeyring
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.records.record_page import RecordPage
from supervision_desktop.ui.shell.app import DesktopApp

Opener = Callable[[str], RecordPage]


@pytest.fixture
def open_page(vault: Vault, qtbot: QtBot) -> Opener:
    """Opens a record page on a shown, window-sized widget, closed after the test."""

    def opener(record_id: str) -> RecordPage:
        page = RecordPage(vault, record_id)
        qtbot.addWidget(page)
        page.resize(1280, 760)
        page.show()
        qtbot.waitExposed(page)
        return page

    return opener


@pytest.fixture
def desktop(vault_folder: Path, data_key: bytes, qtbot: QtBot) -> Iterator[DesktopApp]:
    """The whole app on a vault whose key is remembered (in memory): start() unlocks it."""
    keyring = MemoryKeyring()
    keyring.store(KeyFile.load(vault_folder).vault_id, data_key)
    app = DesktopApp(vault_folder, keyring, templates.catalogue(), idle_minutes=10)
    yield app
    app.shutdown()
    if app.window is not None and shiboken6.isValid(app.window):
        app.window.close()
        app.window.deleteLater()
    qtbot.wait(1)
