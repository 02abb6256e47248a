"""Closing an action from the Actions page (by keyboard too), and the dashboard showing
the most urgent rows of a long list with the whole count and where the rest are."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from supervision_desktop.services import actions, lifecycle, people, records, templates
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.actions.actions_page import ActionsView, CloseActionDialog
from supervision_desktop.ui.compliance import dashboard_page
from supervision_desktop.ui.compliance.dashboard_page import DashboardView
from tests.sample_values import fill_every_field

pytestmark = pytest.mark.gui

CASE = templates.get_template("case-discussion-family")  # no review table: never carried
TODAY = dt.date.today()
ACTION, STATUS = 1, 4


def _discussion(vault: Vault, child: str, day: dt.date, agreed: list[dict[str, Any]]) -> str:
    fields = fill_every_field(CASE, "Words")
    fields["actions"] = agreed
    record = records.create_record(vault, CASE, subject_id=child,
                                   session_date=day.isoformat(), fields=fields)
    lifecycle.finalise(vault, record)
    return record


def _visits(vault: Vault, count: int) -> str:
    child = people.add_person(vault, "child", {"name": "Tomos Example",
                                               "plan": "child_in_need"}).id
    for n in range(count):
        day = TODAY - dt.timedelta(days=90 - n)
        _discussion(vault, child, day, [
            {"action": f"Visit <b>{n}</b>", "lead_person": "Dana Reid",
             "done_by": (day + dt.timedelta(days=7)).isoformat()}])
    return child


def _texts(view: ActionsView, column: int = ACTION) -> list[str]:
    return [str(view.model.index(r, column).data()) for r in range(view.model.rowCount())]


def test_an_open_action_is_marked_done_from_the_actions_page_by_keyboard(
    vault: Vault, qtbot: QtBot
) -> None:
    _visits(vault, 2)
    view = ActionsView(vault)
    qtbot.addWidget(view)
    view.show()
    assert not view.done_button.isEnabled()  # nothing chosen yet
    view.select(actions.list_actions(vault)[0].id)
    assert _texts(view)[view.table.currentIndex().row()] == "Visit <b>0</b>"
    assert view.done_button.isEnabled() and view.drop_button.isEnabled()
    for button in (view.done_button, view.drop_button):
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus  # reached with Tab
        assert "&" in button.text()  # and with Alt and its letter

    view.done_button.setFocus()
    qtbot.keyClick(view.done_button, Qt.Key.Key_Space)
    dialog = view.dialog
    assert isinstance(dialog, CloseActionDialog) and dialog.isVisible()
    assert dialog.focusWidget() is dialog.reason  # type straight away
    dialog.ok.click()  # no reason yet: the dialog says so and stays
    assert dialog.isVisible() and "how the action was done" in dialog.error.text()
    qtbot.keyClicks(dialog.reason, "Visited at home with the family")
    day = TODAY - dt.timedelta(days=2)
    dialog.day.setDate(dialog.day.date().addDays(-2))
    with qtbot.waitSignal(dialog.closed):
        dialog.ok.click()

    assert _texts(view) == ["Visit <b>1</b>"]  # only the other one is still open
    view.show_all(True)
    closed = {a.text: a for a in actions.list_actions(vault, status=None)}["Visit <b>0</b>"]
    assert (closed.status, closed.closed_on, closed.closed_reason) == (
        "done", day, "Visited at home with the family")
    row = _texts(view).index("Visit <b>0</b>")
    assert view.model.index(row, STATUS).data() == f"Done {day:%d/%m/%Y}"
    view.select(closed.id)
    assert not view.done_button.isEnabled()  # a closed action cannot be closed again
    assert view.close_selected(actions.DONE) is None


def test_dropping_asks_why_and_cannot_be_dated_in_the_future(
    vault: Vault, qtbot: QtBot
) -> None:
    _visits(vault, 1)
    view = ActionsView(vault)
    qtbot.addWidget(view)
    view.show_all(True)  # with done and dropped: the action stays chosen once closed
    view.select(actions.list_actions(vault)[0].id)
    dialog = view.close_selected(actions.DROPPED)
    assert dialog is not None and dialog.windowTitle() == "Drop the action"
    assert dialog.day.maximumDate() == dialog.day.date()  # today at the latest
    qtbot.keyClicks(dialog.reason, "The family moved out of the area")
    assert dialog.save()
    assert view.model.index(view.table.currentIndex().row(), STATUS).data() == (
        f"Dropped {TODAY:%d/%m/%Y}")
    view.show_all(False)
    assert _texts(view) == []
    assert actions.list_actions(vault, status="dropped")[0].closed_reason == (
        "The family moved out of the area")


def test_the_dashboard_shows_the_most_urgent_rows_and_counts_the_rest(
    vault: Vault, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard_page, "DASHBOARD_ROWS", 3)
    _visits(vault, 5)
    view = DashboardView(vault, today=lambda: TODAY)
    qtbot.addWidget(view)
    section = view.overdue_actions
    assert section.model.rowCount() == 3
    shown = {str(section.model.index(r, ACTION).data()) for r in range(3)}
    assert shown == {"Visit <b>0</b>", "Visit <b>1</b>", "Visit <b>2</b>"}  # longest overdue
    assert section.heading.text() == "Overdue actions (5)"
    assert not section.more.isHidden()
    assert section.more.text() == ("Showing the 3 most urgent, and 2 more — see the Actions "
                                   "page.")
    bars = {bar.label: bar.count for bar in view.chart._bars}
    assert bars["Overdue actions"] == 5

    for action in actions.list_actions(vault)[:3]:
        actions.close_action(vault, action.id, "done", "Visited")
    qtbot.wait(1)
    view.refresh()
    assert section.heading.text() == "Overdue actions (2)"
    assert section.more.isHidden()
