"""Fixtures shared by the GUI tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.records.record_page import RecordPage

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
