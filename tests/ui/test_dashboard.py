"""The dashboard: who is overdue and by how much, under which rule, and clicking through."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from supervision_desktop.services import compliance, lifecycle, people, records, templates
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.columns import TONE_COLOURS, ColumnsModel, Tone
from supervision_desktop.ui.compliance.dashboard_page import DashboardView, Section
from tests.sample_values import fill_every_field

if TYPE_CHECKING:  # imported by the pytest-qt plugin once Qt is chosen
    from pytestqt.modeltest import ModelTester

pytestmark = pytest.mark.gui

TODAY = dt.date(2026, 11, 22)
STAFF = templates.get_template("staff-supervision-social-worker")
NAME, LAST, NEXT, STATUS, RULE = range(5)


@dataclass
class Shown:
    view: DashboardView
    ids: dict[str, str]


def _session(vault: Vault, person: str, day: str, *, finalise: bool = True) -> str:
    fields = fill_every_field(STAFF, "Talked it through")
    fields["agreed_actions"] = []
    del fields["last_actions"]
    made = records.create_record(vault, STAFF, subject_id=person, session_date=day,
                                 fields=fields)
    if finalise:
        lifecycle.finalise(vault, made)
    return made


@pytest.fixture
def shown(vault: Vault, qtbot: QtBot) -> Shown:
    # Lambeth (the default profile): a social worker is supervised at least every 6 weeks
    # (003 §3 table line 267), a senior practitioner too; "due soon" is within 7 days.
    ffion = people.add_person(vault, "supervisee", {"name": "Ffion Overdue",
                                                    "staff_group": "social_worker"}).id
    gethin = people.add_person(vault, "supervisee", {"name": "Gethin Current",
                                                     "staff_group": "social_worker"}).id
    hana = people.add_person(vault, "supervisee", {"name": "Hana Soon",
                                                   "staff_group": "senior_practitioner"}).id
    ellis = people.add_person(vault, "child", {"name": "Ellis No-plan", "plan": "none"}).id
    _session(vault, ffion, "2026-09-01")  # + 6 weeks = 13/10/2026: 40 days before 22/11
    _session(vault, gethin, "2026-11-10")  # due 22/12/2026
    _session(vault, hana, "2026-10-14")  # due 25/11/2026: within the week
    draft = _session(vault, gethin, "2026-11-20", finalise=False)
    view = DashboardView(vault, today=lambda: TODAY)
    qtbot.addWidget(view)
    view.resize(1100, 900)
    return Shown(view, {"ffion": ffion, "gethin": gethin, "hana": hana, "ellis": ellis,
                        "draft": draft})


def _row(section: Section, name: str) -> int:
    for row in range(section.proxy.rowCount()):
        if section.proxy.index(row, NAME).data() == name:
            return row
    raise AssertionError(f"{name} is not listed")


def _cell(section: Section, row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole
          ) -> object:
    return section.proxy.index(row, column).data(role)


def test_overdue_supervisee_shows_days_dates_and_the_rule(shown: Shown) -> None:
    people_list = shown.view.people
    row = _row(people_list, "Ffion Overdue")
    assert _cell(people_list, row, LAST) == "01/09/2026"
    assert _cell(people_list, row, NEXT) == "13/10/2026"
    assert _cell(people_list, row, STATUS) == "Overdue by 40 days"
    assert _cell(people_list, row, STATUS, Qt.ItemDataRole.ForegroundRole) == (
        TONE_COLOURS[Tone.OVERDUE])
    assert _cell(people_list, row, RULE) == (
        "Social worker: every 6 weeks · Lambeth Supervision Policy (2021) §3, table")
    assert "Source: Lambeth Supervision Policy (2021) §3, table" in str(
        _cell(people_list, row, STATUS, Qt.ItemDataRole.ToolTipRole))
    assert row == 0  # the most overdue comes first


def test_every_status_reads_in_words(shown: Shown) -> None:
    people_list = shown.view.people
    statuses = {str(_cell(people_list, r, NAME)): _cell(people_list, r, STATUS)
                for r in range(people_list.proxy.rowCount())}
    assert statuses == {"Ffion Overdue": "Overdue by 40 days", "Hana Soon": "Due soon",
                        "Gethin Current": "Up to date", "Ellis No-plan": "No rule"}
    ellis = _row(people_list, "Ellis No-plan")
    assert _cell(people_list, ellis, NEXT) == "—"
    assert "no frequency" in str(_cell(people_list, ellis, RULE))
    assert shown.view.as_of.text() == "What is due on 22/11/2026."


def test_person_row_asks_for_the_persons_page(shown: Shown, qtbot: QtBot) -> None:
    view = shown.view
    view.show()
    qtbot.waitExposed(view)
    table = view.people.table
    index = view.people.proxy.index(_row(view.people, "Hana Soon"), LAST)
    table.setCurrentIndex(index)
    with qtbot.waitSignal(view.open_person_requested) as by_key:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert by_key.args == [shown.ids["hana"]]

    index = view.people.proxy.index(_row(view.people, "Ffion Overdue"), STATUS)
    centre = table.visualRect(index).center()
    with qtbot.waitSignal(view.open_person_requested) as by_mouse:
        # a double-click reaches a widget as a press and release, then the double-click
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert by_mouse.args == [shown.ids["ffion"]]


def test_unfinished_records_open_the_record(shown: Shown, qtbot: QtBot) -> None:
    drafts = shown.view.drafts
    assert drafts.heading.text() == "Drafts not finalised (1)"
    assert drafts.proxy.index(0, 1).data() == "Gethin Current"
    assert drafts.proxy.index(0, 0).data() == "20/11/2026"
    drafts.table.setCurrentIndex(drafts.proxy.index(0, 2))
    with qtbot.waitSignal(shown.view.open_record_requested) as opened:
        qtbot.keyClick(drafts.table, Qt.Key.Key_Enter)
    assert opened.args == [shown.ids["draft"]]
    # three finalised records, none exported: each waits for export, upload deadline passed
    assert shown.view.not_exported.model.rowCount() == 3
    assert not shown.view.not_uploaded.table.isVisibleTo(shown.view)
    assert shown.view.not_uploaded.empty.isVisibleTo(shown.view)


def test_chart_counts_what_the_lists_show(shown: Shown) -> None:
    bars = {bar.label: bar.count for bar in shown.view.chart.bars()}
    assert bars == {"Overdue": 1, "Due soon": 1, "Up to date": 1, "Drafts": 1,
                    "Not uploaded": 3, "Overdue actions": 0}
    assert "Overdue: 1" in shown.view.chart.accessibleDescription()
    assert shown.view.chart.grab().width() > 0  # paints without error


def test_profile_in_use_is_shown_and_can_be_changed(shown: Shown) -> None:
    view = shown.view
    assert "Lambeth Children's Social Care supervision policy" in view.profile.text()
    dialog = view.change_profile()
    dialog.choose("kent")  # type: ignore[attr-defined]
    assert "Kent" in dialog.details.toPlainText()  # type: ignore[attr-defined]
    dialog.use_button.click()  # type: ignore[attr-defined]
    assert compliance.vault_profile(shown.view._vault).id == "kent"
    assert "Kent" in view.profile.text()
    assert "Lambeth" not in view.profile.text()


def test_models_pass_qt_model_checks(shown: Shown, qtmodeltester: ModelTester) -> None:
    for section in shown.view.sections():
        qtmodeltester.check(section.model)
        qtmodeltester.check(section.proxy)
    assert isinstance(shown.view.people.model, ColumnsModel)


def test_main_window_opens_on_the_dashboard_and_shows_a_person(
    shown: Shown, vault: Vault, qtbot: QtBot
) -> None:
    from supervision_desktop.store.keyring_cache import MemoryKeyring
    from supervision_desktop.ui.shell.main_window import MainWindow

    window = MainWindow(vault, templates.catalogue(), MemoryKeyring(), owner_name="Morgan")
    qtbot.addWidget(window)
    titles = [window.navigation.item(n).text() for n in range(window.navigation.count())]
    assert titles == ["Dashboard", "Records", "People", "Actions", "Search"]
    assert window.stack.currentWidget() is window.dashboard
    window.dashboard.open_person_requested.emit(shown.ids["hana"])
    assert window.stack.currentWidget() is window.people
    assert window.navigation.currentItem().text() == "People"
    assert window.people.selected_person_id() == shown.ids["hana"]
    window.dashboard.open_record_requested.emit(shown.ids["draft"])
    assert getattr(window.stack.currentWidget(), "record_id", None) == shown.ids["draft"]
