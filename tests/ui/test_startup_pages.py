"""Unlocking shows the window without reading lists that are not on screen yet; each page
is filled when it is first shown."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from supervision_desktop.services import people, templates
from supervision_desktop.store.keyring_cache import MemoryKeyring
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.people.people_page import PeopleView
from supervision_desktop.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.gui


def _window(vault: Vault, qtbot: QtBot) -> MainWindow:
    window = MainWindow(vault, templates.catalogue(), MemoryKeyring(), owner_name="Ola Tester")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _row(window: MainWindow, title: str) -> int:
    titles = [window.navigation.item(n).text() for n in range(window.navigation.count())]
    return titles.index(title)


def test_people_page_is_read_when_shown_not_at_unlock(vault: Vault, qtbot: QtBot) -> None:
    people.add_person(vault, "supervisee", {"name": "Carys Example"})
    window = _window(vault, qtbot)
    assert window.people.model.rowCount() == 0  # nothing read for a page not on screen
    window.navigation.setCurrentRow(_row(window, "People"))
    assert window.stack.currentWidget() is window.people
    assert window.people.model.rowCount() == 1
    assert window.people.model.row_at(0).name == "Carys Example"


def test_a_person_added_after_unlock_is_listed_when_the_page_shows(
    vault: Vault, qtbot: QtBot
) -> None:
    window = _window(vault, qtbot)
    person_id = people.add_person(vault, "child", {"name": "Dafydd Example"}).id
    window.show_person(person_id)
    assert window.stack.currentWidget() is window.people
    assert window.people.selected_person_id() == person_id


def test_people_view_on_its_own_still_loads_at_once(vault: Vault, qtbot: QtBot) -> None:
    people.add_person(vault, "supervisee", {"name": "Eira Example"})
    view = PeopleView(vault, templates.catalogue())
    qtbot.addWidget(view)
    assert view.model.rowCount() == 1
