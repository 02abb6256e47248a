"""The dashboard on a big vault: the report is worked out once at unlock, and long lists
sort themselves in the order a sorting proxy gave (and keep the selected row)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt
from pytestqt.qtbot import QtBot

from supervision_desktop.services import compliance, people
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.columns import Column, ColumnsModel
from supervision_desktop.ui.compliance.dashboard_page import DashboardView

pytestmark = pytest.mark.gui

TODAY = dt.date(2026, 11, 22)


def test_the_report_is_worked_out_once_when_the_page_is_built_and_shown(
    vault: Vault, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    people.add_person(vault, "supervisee", {"name": "Aled First"})
    calls: list[dt.date | None] = []
    real = compliance.due_report

    def counted(vault: Vault, as_of: dt.date | None = None, *,
                limit: int | None = None) -> compliance.DueReport:
        calls.append(as_of)
        return real(vault, as_of, limit=limit)

    monkeypatch.setattr(compliance, "due_report", counted)
    view = DashboardView(vault, today=lambda: TODAY)
    qtbot.addWidget(view)
    view.refresh()  # what the main window does as it shows the page, in the same turn
    assert len(calls) == 1

    qtbot.wait(1)  # a later turn of the event loop: a refresh works it out again
    people.add_person(vault, "supervisee", {"name": "Bronwen Later"})
    view.refresh()
    assert len(calls) == 2
    names = {view.people.model.index(r, 0).data() for r in range(view.people.model.rowCount())}
    assert {"Aled First", "Bronwen Later"} <= names


@dataclass(frozen=True)
class Row:
    id: str
    name: str
    due: dt.date | None


COLUMNS = (
    Column("Name", lambda r: r.name),
    Column("Due", lambda r: r.due.strftime("%d/%m/%Y") if r.due else "No date",
           sort=lambda r: r.due.isoformat() if r.due else "9999"),
)
ROWS = [Row("a", "carys", dt.date(2026, 3, 1)), Row("b", "Aled", None),
        Row("c", "bethan", dt.date(2025, 1, 9)), Row("d", "Dafydd", dt.date(2026, 3, 1)),
        Row("e", "aled", dt.date(2024, 5, 5))]


def _column(model: object, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]  # type: ignore[attr-defined]


@pytest.mark.parametrize("column", [0, 1])
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_a_list_sorts_itself_as_the_sorting_proxy_did(column: int, order: Qt.SortOrder) -> None:
    by_proxy: ColumnsModel[Row] = ColumnsModel(COLUMNS, lambda r: r.id)
    by_proxy.set_rows(ROWS)
    proxy = QSortFilterProxyModel()  # as columns.sorting_proxy sets it up, unparented
    proxy.setSourceModel(by_proxy)
    proxy.setSortRole(ColumnsModel.SORT_ROLE)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.sort(column, order)
    itself: ColumnsModel[Row] = ColumnsModel(COLUMNS, lambda r: r.id)
    itself.sort(column, order)
    itself.set_rows(ROWS)  # new rows keep the chosen order
    assert _column(itself, 0) == _column(proxy, 0)
    assert _column(itself, 1) == _column(proxy, 1)


def test_sorting_keeps_the_selected_row_on_the_same_person(qtbot: QtBot) -> None:
    from supervision_desktop.ui.common.record_table import RecordTable

    model: ColumnsModel[Row] = ColumnsModel(COLUMNS, lambda r: r.id)
    model.set_rows(ROWS)
    table = RecordTable()
    qtbot.addWidget(table)
    table.setModel(model)
    table.setCurrentIndex(model.index(2, 0))  # bethan
    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert table.currentIndex().data() == "bethan"
    assert table.currentIndex().data(ColumnsModel.ID_ROLE) == "c"
    assert _column(model, 0) == ["aled", "bethan", "carys", "Dafydd", "Aled"]


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_the_records_and_people_lists_sort_themselves_as_the_proxy_did(
    order: Qt.SortOrder,
) -> None:
    from supervision_desktop.services.people import PersonView
    from supervision_desktop.ui.common.table_models import PeopleTableModel

    everyone = [PersonView(str(n), kind, name, {}) for n, (kind, name) in enumerate(
        [("child", "carys"), ("supervisee", "Aled"), ("carer", "bethan"), ("child", "aled"),
         ("supervisee", "Dafydd")])]
    by_proxy = PeopleTableModel()
    by_proxy.set_rows(everyone)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(by_proxy)
    proxy.setSortRole(PeopleTableModel.SORT_ROLE)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    itself = PeopleTableModel()
    itself.set_rows(everyone)
    for column in (PeopleTableModel.NAME, PeopleTableModel.KIND):
        proxy.sort(column, order)
        itself.sort(column, order)
        # the same order of what is sorted on (rows that tie may come in another order)
        keys = [[model.index(r, column).data(PeopleTableModel.SORT_ROLE)
                 for r in range(model.rowCount())] for model in (itself, proxy)]
        assert keys[0] == keys[1]
        assert sorted(_column(itself, 0)) == sorted(_column(proxy, 0))


def test_lists_built_without_loading_fill_when_refreshed(vault: Vault, qtbot: QtBot) -> None:
    from supervision_desktop.services import records, templates
    from supervision_desktop.ui.actions.actions_page import ActionsView
    from supervision_desktop.ui.records.records_page import RecordsView

    child = people.add_person(vault, "child", {"name": "Tomos Later", "plan": "none"}).id
    form = templates.get_template("case-discussion-family")
    made = records.create_record(vault, form, subject_id=child, session_date="2026-11-20")
    listed = RecordsView(vault, templates.catalogue(), load=False)
    qtbot.addWidget(listed)
    acting = ActionsView(vault, load=False)
    qtbot.addWidget(acting)
    assert listed.model.rowCount() == 0  # nothing read while the main window is built
    listed.refresh()  # as the main window does when the page is shown
    acting.refresh()
    assert [listed.model.index(r, 0).data(ColumnsModel.ID_ROLE)
            for r in range(listed.model.rowCount())] == [made]
