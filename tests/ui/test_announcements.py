"""Status changes a screen reader must say without the focus moving (WCAG 4.1.3): a save
that failed (at once), saving working again, and the vault locked. Qt's announcement
events are caught where they leave the app, at QAccessible.updateAccessibility."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QAccessible
from pytestqt.qtbot import QtBot

from supervision_desktop.errors import VaultInUse
from supervision_desktop.services import people, records
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common import announce as announce_module
from supervision_desktop.ui.shell.app import DesktopApp
from tests.ui.conftest import Opener
from tests.ui.test_forms import every_kind_template

pytestmark = pytest.mark.gui


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """What was announced, and how (Polite or Assertive)."""
    heard: list[tuple[str, str]] = []

    class Bridge:  # stands in for the platform's accessibility bridge
        AnnouncementPoliteness = QAccessible.AnnouncementPoliteness

        @staticmethod
        def updateAccessibility(event: Any) -> None:  # noqa: N802 (Qt API)
            heard.append((event.message(), event.politeness().name))

    monkeypatch.setattr(announce_module, "QAccessible", Bridge)
    return heard


def test_a_failed_save_is_said_at_once_and_its_recovery_politely(
        vault: Vault, open_page: Opener, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
        said: list[tuple[str, str]]) -> None:
    person = people.add_person(vault, "supervisee", {"name": "Casey Fictional"})
    page = open_page(records.create_record(vault, every_kind_template(), subject_id=person.id))
    real_save = records.save_draft

    def busy(*_args: object, **_kwargs: object) -> None:
        raise VaultInUse("the vault file was busy")

    monkeypatch.setattr(records, "save_draft", busy)
    qtbot.keyClicks(page.form.editors["venue"].inputs()[0], "Room 4")
    assert not page.save_now()
    assert said == [(page.save_label.text(), "Assertive")]
    assert said[0][0].startswith("Not saved: ")
    monkeypatch.setattr(records, "save_draft", real_save)
    assert page.save_now()
    assert said[1][1] == "Polite" and said[1][0].endswith(": the record is saved again.")
    qtbot.keyClicks(page.form.editors["venue"].inputs()[0], "!")
    assert page.save_now()
    assert len(said) == 2  # an ordinary autosave is shown, not said


def test_locking_is_said(desktop: DesktopApp, qtbot: QtBot,
                         said: list[tuple[str, str]]) -> None:
    desktop.start()
    qtbot.waitUntil(lambda: desktop.vault is not None, timeout=10_000)
    desktop.lock()
    assert said and said[-1][0].startswith("Supervision Desktop is locked.")
