"""The Actions page: actions from finalised records, whose they are, when due, and where from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from supervision_desktop.services import actions, lifecycle, people, records, templates
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.actions.actions_page import NO_OPEN, ActionsView
from supervision_desktop.ui.common.columns import TONE_COLOURS, ColumnsModel, Tone
from tests.sample_values import fill_every_field

if TYPE_CHECKING:  # imported by the pytest-qt plugin once Qt is chosen
    from pytestqt.modeltest import ModelTester

pytestmark = pytest.mark.gui

TODAY = dt.date(2026, 2, 10)
STAFF = templates.get_template("staff-supervision-social-worker")
DUE, ACTION, OWNER, ABOUT, STATUS, SOURCE = range(6)


def staff_record(vault: Vault, person: str, day: str, agreed: list[dict[str, Any]]) -> str:
    """A filled staff supervision record whose action table is ``agreed``."""
    fields = fill_every_field(STAFF, "Words")
    del fields["last_actions"]  # filled with the carried actions
    fields["agreed_actions"] = agreed
    return records.create_record(vault, STAFF, subject_id=person, session_date=day,
                                 fields=fields)


@dataclass
class Page:
    view: ActionsView
    ffion: str
    iolo: str
    january: str


@pytest.fixture
def page(vault: Vault, qtbot: QtBot) -> Page:
    ffion = people.add_person(vault, "supervisee", {"name": "Ffion Hughes"}).id
    iolo = people.add_person(vault, "supervisee", {"name": "Iolo <b>Sample</b>"}).id
    january = staff_record(vault, ffion, "2026-01-15", [
        {"action": "Book the ASYE mid-point review", "owner": "Ffion Hughes",
         "due": "2026-02-06"},
        {"action": "Find a shadowing opportunity", "owner": "Team manager"},
    ])
    lifecycle.finalise(vault, january)
    other = staff_record(vault, iolo, "2026-01-20", [
        {"action": "Read the <i>new</i> standards", "owner": "Iolo", "due": "2026-03-01"}])
    lifecycle.finalise(vault, other)
    view = ActionsView(vault, today=lambda: TODAY)
    qtbot.addWidget(view)
    return Page(view, ffion, iolo, january)


def _texts(view: ActionsView, column: int = ACTION) -> list[str]:
    return [str(view.proxy.index(r, column).data()) for r in range(view.proxy.rowCount())]


def _row(view: ActionsView, text: str) -> int:
    return _texts(view).index(text)


def test_lists_actions_from_finalised_records(page: Page) -> None:
    view = page.view
    assert _texts(view) == ["Book the ASYE mid-point review", "Read the <i>new</i> standards",
                            "Find a shadowing opportunity"]  # soonest due first, undated last
    row = _row(view, "Book the ASYE mid-point review")
    cells = [view.proxy.index(row, c).data() for c in range(6)]
    assert cells == ["06/02/2026", "Book the ASYE mid-point review", "Ffion Hughes",
                     "Ffion Hughes", "Overdue by 4 days",
                     "Staff supervision agenda & record — social worker, 15/01/2026"]
    assert view.proxy.index(row, STATUS).data(Qt.ItemDataRole.ForegroundRole) == (
        TONE_COLOURS[Tone.OVERDUE])
    undated = _row(view, "Find a shadowing opportunity")
    assert view.proxy.index(undated, DUE).data() == "No date"
    assert view.proxy.index(undated, STATUS).data() == "Open"
    assert view.count.text() == "3 actions, 1 overdue"
    marked = _row(view, "Read the <i>new</i> standards")
    tip = str(view.proxy.index(marked, ACTION).data(Qt.ItemDataRole.ToolTipRole))
    assert "Read the &lt;i&gt;new&lt;/i&gt; standards" in tip  # a tooltip never obeys markup
    assert "<i>" not in tip


def test_filter_by_person_and_open_or_all(page: Page, vault: Vault) -> None:
    view = page.view
    view.show_person(page.iolo)
    assert _texts(view) == ["Read the <i>new</i> standards"]
    assert _texts(view, ABOUT) == ["Iolo <b>Sample</b>"]
    view.show_person(page.ffion)
    assert len(_texts(view)) == 2

    february = staff_record(vault, page.ffion, "2026-02-09", [])
    for carried in actions.carried_actions(vault, february):
        actions.resolve_carried_action(vault, february, carried.action.id, "done")
    lifecycle.finalise(vault, february)
    view.refresh()
    assert view.person.currentData() == page.ffion  # the filter survives a refresh
    assert _texts(view) == []
    assert view.empty.text() == NO_OPEN
    view.show_all(True)
    assert sorted(_texts(view, STATUS)) == ["Done 09/02/2026", "Done 09/02/2026"]
    view.show_person(None)
    assert len(_texts(view)) == 3


def test_enter_and_button_open_the_source_record(page: Page, qtbot: QtBot) -> None:
    view = page.view
    assert not view.open_button.isEnabled()  # nothing chosen yet
    view.table.setCurrentIndex(view.proxy.index(_row(view, "Find a shadowing opportunity"), 0))
    with qtbot.waitSignal(view.open_record_requested) as by_key:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert by_key.args == [page.january]
    with qtbot.waitSignal(view.open_record_requested) as by_button:
        view.open_button.click()
    assert by_button.args == [page.january]


def test_carried_action_can_be_resolved_from_the_page(page: Page, vault: Vault) -> None:
    view = page.view
    february = staff_record(vault, page.ffion, "2026-02-09", [])
    view.refresh()
    row = _row(view, "Book the ASYE mid-point review")
    assert view.proxy.index(row, STATUS).data() == "Overdue by 4 days · to review in a draft"
    view.table.setCurrentIndex(view.proxy.index(row, 0))
    assert view.resolve_button.isEnabled()
    dialog = view.resolve_carried()
    assert dialog is not None and dialog.record_id == february
    for row_widget in dialog.rows:
        row_widget.choose("done")
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    lifecycle.finalise(vault, february)  # nothing left undecided
    view.refresh()
    assert _texts(view) == ["Read the <i>new</i> standards"]  # Ffion's are done


def test_model_passes_qt_model_checks(page: Page, qtmodeltester: ModelTester) -> None:
    assert isinstance(page.view.model, ColumnsModel)
    qtmodeltester.check(page.view.model)
    qtmodeltester.check(page.view.proxy)
