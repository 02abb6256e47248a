"""The Search page: records containing the words typed, shown as plain text."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from supervision_desktop.services import people, records, templates
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.records.search_page import (
    CLOSE_MARK,
    HINT,
    MATCH,
    OPEN_MARK,
    SearchModel,
    SearchView,
    split_marks,
)

if TYPE_CHECKING:  # imported by the pytest-qt plugin once Qt is chosen
    from pytestqt.modeltest import ModelTester

pytestmark = pytest.mark.gui

STAFF = templates.get_template("staff-supervision-social-worker")
TYPED = "Ffion said the <b>chronology</b> & the plan 🙂 are up to date"


@pytest.fixture
def found(vault: Vault, qtbot: QtBot) -> tuple[SearchView, str]:
    ffion = people.add_person(vault, "supervisee", {"name": "Ffion Hughes"}).id
    record = records.create_record(vault, STAFF, subject_id=ffion, session_date="2026-11-22",
                                   fields={"agreed_actions": [{"action": TYPED}]})
    records.create_record(vault, STAFF, subject_id=ffion, session_date="2026-11-01",
                          fields={"agreed_actions": [{"action": "Nothing about it"}]})
    view = SearchView(vault)
    qtbot.addWidget(view)
    return view, record


def _search(view: SearchView, qtbot: QtBot, text: str) -> None:
    with qtbot.waitSignal(view.searched, timeout=10_000):
        view.search(text)


def test_finds_a_word_typed_into_a_record_and_shows_markup_literally(
    found: tuple[SearchView, str], qtbot: QtBot
) -> None:
    view, record = found
    _search(view, qtbot, "chronol")
    assert view.proxy.rowCount() == 1
    cells = [view.proxy.index(0, column).data() for column in range(5)]
    assert cells[:4] == ["22/11/2026", "Staff supervision agenda & record — social worker",
                         "Ffion Hughes", "Draft"]
    snippet = cells[MATCH]
    assert "<b>chronology</b> & the plan 🙂" in snippet  # exactly as typed, tags and all
    assert OPEN_MARK not in snippet and CLOSE_MARK not in snippet
    start, length = view.proxy.index(0, MATCH).data(SearchModel.MATCHES_ROLE)[0]
    assert snippet.encode("utf-16-le")[start * 2:(start + length) * 2].decode(
        "utf-16-le") == "chronology"
    assert view.summary.text().startswith("1 record contains “chronol”")
    view.resize(900, 400)
    assert view.grab().width() == 900  # the snippet delegate paints
    view.resize(300, 400)
    assert view.grab().width() == 300  # and elides when narrow

    view.table.setCurrentIndex(view.proxy.index(0, 0))
    with qtbot.waitSignal(view.open_record_requested) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [record]


def test_nothing_found_and_nothing_typed(found: tuple[SearchView, str], qtbot: QtBot) -> None:
    view, _record = found
    _search(view, qtbot, "zebra")
    assert view.proxy.rowCount() == 0
    assert view.summary.text() == "No records contain “zebra”."
    assert view.stack.currentWidget() is view.empty
    _search(view, qtbot, "<>")  # no word in it: the service's own message
    assert view.summary.text() == "Type at least one word to search for."
    view.search("   ")
    assert view.summary.text() == HINT


def test_a_misspelt_search_offers_the_right_spelling(
        found: tuple[SearchView, str], qtbot: QtBot) -> None:
    view, _record = found
    _search(view, qtbot, "cronology")
    assert view.summary.text() == ("No records contain “cronology”. Did you mean "
                                   "“chronology”?")
    assert not view.did_you_mean.isHidden() and view.did_you_mean.text() == (
        "Search for “chronology”")
    with qtbot.waitSignal(view.searched, timeout=10_000):
        view.did_you_mean.click()
    assert view.query() == "chronology" and view.proxy.rowCount() == 1
    assert view.did_you_mean.isHidden()


def test_only_the_latest_search_is_shown(found: tuple[SearchView, str], qtbot: QtBot) -> None:
    view, _record = found
    shown: list[str] = []
    view.searched.connect(shown.append)
    view.search("zebra")
    with qtbot.waitSignal(view.searched, timeout=10_000):
        view.search("chronology")
    qtbot.waitUntil(lambda: shown == ["chronology"])
    assert view.proxy.rowCount() == 1


def test_split_marks_counts_positions_as_qt_does() -> None:
    text, ranges = split_marks(f"🙂 a {OPEN_MARK}word{CLOSE_MARK} and {OPEN_MARK}more{CLOSE_MARK}")
    assert text == "🙂 a word and more"
    assert ranges == ((5, 4), (14, 4))  # the emoji is two UTF-16 units


def test_model_passes_qt_model_checks(found: tuple[SearchView, str], qtbot: QtBot,
                                      qtmodeltester: ModelTester) -> None:
    view, _record = found
    _search(view, qtbot, "chronology")
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)


def test_search_box_in_the_main_window_shows_results_and_opens_the_record(
    found: tuple[SearchView, str], vault: Vault, qtbot: QtBot
) -> None:
    from supervision_desktop.store.keyring_cache import MemoryKeyring
    from supervision_desktop.ui.records.record_page import RecordPage
    from supervision_desktop.ui.shell.main_window import MainWindow

    _view, record = found
    window = MainWindow(vault, templates.catalogue(), MemoryKeyring(), owner_name="Morgan")
    qtbot.addWidget(window)
    assert window.navigation.currentItem().text() == "Dashboard"
    assert window.stack.currentWidget() is window.dashboard
    window.search_box.setText("chronology")
    with qtbot.waitSignal(window.search_page.searched, timeout=10_000):
        qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert window.navigation.currentItem().text() == "Search"
    assert window.stack.currentWidget() is window.search_page
    table = window.search_page.table
    table.setCurrentIndex(window.search_page.proxy.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    page = window.stack.currentWidget()
    assert isinstance(page, RecordPage) and page.record_id == record
