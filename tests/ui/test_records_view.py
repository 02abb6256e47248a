"""The records list: what it shows, how its filters narrow it, and opening a record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from supervision_desktop.domain.records import RecordStatus
from supervision_desktop.domain.templates import Template, TemplateCatalogue
from supervision_desktop.services import lifecycle, people, records, templates
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.table_models import RecordsTableModel
from supervision_desktop.ui.records.records_page import NO_MATCHES, NO_RECORDS, RecordsView
from tests.conftest import ODD_TEXT

if TYPE_CHECKING:  # imported by the pytest-qt plugin once Qt is chosen
    from pytestqt.modeltest import ModelTester

pytestmark = pytest.mark.gui


def _template(template_id: str, title: str, subject_kind: str, organisation: str) -> Template:
    return Template.model_validate(
        {
            "id": template_id, "version": 1, "title": title, "category": "supervision",
            "subject_kind": subject_kind,
            "source": {"organisation": organisation, "document": "Test guidance", "seed": "none"},
            "sections": [{"id": "main", "title": "Main", "fields": [
                {"id": "notes", "kind": "longtext", "label": "Notes"},
            ]}],
        }
    )


STAFF = _template("test-staff", "Staff supervision (test)", "supervisee", "Testshire Council")
CARER = _template("test-carer", "Foster carer supervision (test)", "carer", "Exampleton Trust")
SHIPPED = templates.catalogue().templates


@dataclass
class Filled:
    vault: Vault
    view: RecordsView
    ids: dict[str, str]  # a short name → record id
    people: dict[str, str]  # a short name → person id


def _rows(view: RecordsView) -> list[str]:
    proxy = view.proxy
    return [
        proxy.index(row, 0).data(RecordsTableModel.RECORD_ID_ROLE)
        for row in range(proxy.rowCount())
    ]


def _cell(view: RecordsView, row: int, column: int) -> str:
    return str(view.proxy.index(row, column).data())


@pytest.fixture
def filled(vault: Vault, qtbot: QtBot) -> Filled:
    amira = people.add_person(vault, "supervisee", {"name": "Amira Testfield"})
    odd = people.add_person(vault, "supervisee", {"name": ODD_TEXT})
    house = people.add_person(vault, "carer", {"name": "The Sampleford household"})
    ids = {
        "amira_jan": records.create_record(vault, STAFF, subject_id=amira.id,
                                           session_date="2026-01-10"),
        "amira_mar": records.create_record(vault, STAFF, subject_id=amira.id,
                                           session_date="2026-03-05"),
        "odd_feb": records.create_record(vault, STAFF, subject_id=odd.id,
                                         session_date="2026-02-14"),
        "house_nov": records.create_record(vault, CARER, subject_id=house.id,
                                           session_date="2026-11-22"),
    }
    lifecycle.finalise(vault, ids["amira_mar"])
    for number, template in enumerate(SHIPPED):  # every shipped template can be listed
        subject = {"supervisee": amira.id, "carer": house.id}.get(template.subject_kind)
        if template.subject_kind == "child":
            subject = people.add_person(vault, "child", {"name": f"Child {number}"}).id
        ids[template.id] = records.create_record(
            vault, template, subject_id=subject, session_date="2025-06-01"
        )
    catalogue = TemplateCatalogue((STAFF, CARER, *SHIPPED), ())
    view = RecordsView(vault, catalogue)
    qtbot.addWidget(view)
    return Filled(vault, view, ids, {"amira": amira.id, "odd": odd.id, "house": house.id})


def test_model_passes_qt_model_checks(filled: Filled, qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(filled.view.model)
    qtmodeltester.check(filled.view.proxy)


def test_lists_every_record_newest_first_with_uk_dates(filled: Filled) -> None:
    view = filled.view
    assert len(_rows(view)) == len(filled.ids)
    assert _rows(view)[:4] == [filled.ids[k] for k in ("house_nov", "amira_mar", "odd_feb",
                                                       "amira_jan")]
    assert [view.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "Date", "Template", "About", "Status", "Version",
    ]
    assert [_cell(view, 0, c) for c in range(5)] == [
        "22/11/2026", "Foster carer supervision (test)", "The Sampleford household", "Draft", "1",
    ]
    assert _cell(view, 1, RecordsTableModel.STATUS) == "Finalised"
    assert view.count.text() == f"{len(filled.ids)} records shown"


def test_names_with_markup_and_other_scripts_show_exactly(filled: Filled) -> None:
    view = filled.view
    row = _rows(view).index(filled.ids["odd_feb"])
    assert _cell(view, row, RecordsTableModel.ABOUT) == ODD_TEXT
    texts = [view.person.itemText(i) for i in range(view.person.count())]
    assert f"{ODD_TEXT} (Supervisee)" in texts


def test_sorting_by_a_column_header(filled: Filled) -> None:
    view = filled.view
    view.table.sortByColumn(RecordsTableModel.DATE, Qt.SortOrder.AscendingOrder)
    dates = [view.proxy.index(r, 0).data(RecordsTableModel.SORT_ROLE)
             for r in range(view.proxy.rowCount())]
    assert dates == sorted(dates)
    view.table.sortByColumn(RecordsTableModel.ABOUT, Qt.SortOrder.AscendingOrder)
    names = [_cell(view, r, RecordsTableModel.ABOUT).casefold()
             for r in range(view.proxy.rowCount())]
    assert names == sorted(names)


def test_person_filter(filled: Filled) -> None:
    view = filled.view
    view.person.setCurrentIndex(view.person.findData(filled.people["amira"]))
    amiras = {filled.ids["amira_jan"], filled.ids["amira_mar"]}
    amiras |= {i for t, i in filled.ids.items() if t in {s.id for s in SHIPPED
                                                          if s.subject_kind == "supervisee"}}
    assert set(_rows(view)) == amiras


def test_template_filter_names_the_organisation(filled: Filled) -> None:
    view = filled.view
    found = view.template.findData("test-carer")
    assert view.template.itemText(found) == "Foster carer supervision (test) · Exampleton Trust"
    view.template.setCurrentIndex(found)
    assert _rows(view) == [filled.ids["house_nov"]]
    for template in SHIPPED:
        view.template.setCurrentIndex(view.template.findData(template.id))
        assert _rows(view) == [filled.ids[template.id]]


def test_status_filter(filled: Filled) -> None:
    view = filled.view
    view.status.setCurrentIndex(view.status.findData(RecordStatus.FINALISED.value))
    assert _rows(view) == [filled.ids["amira_mar"]]
    view.status.setCurrentIndex(view.status.findData(RecordStatus.DRAFT.value))
    assert filled.ids["amira_mar"] not in _rows(view)
    assert len(_rows(view)) == len(filled.ids) - 1


def test_date_range_filter_and_clearing(filled: Filled) -> None:
    view = filled.view
    view.date_from.setDate(QDate(2026, 2, 1))
    view.use_from.setChecked(True)
    assert view.date_from.isEnabled()
    assert set(_rows(view)) == {filled.ids[k] for k in ("odd_feb", "amira_mar", "house_nov")}
    view.date_to.setDate(QDate(2026, 3, 5))
    view.use_to.setChecked(True)
    assert _rows(view) == [filled.ids["amira_mar"], filled.ids["odd_feb"]]
    view.date_to.setDate(QDate(2026, 1, 31))
    assert _rows(view) == []
    assert view.stack.currentWidget() is view.empty
    assert view.empty.text() == NO_MATCHES
    view.clear_button.click()
    assert not view.use_from.isChecked() and not view.date_from.isEnabled()
    assert len(_rows(view)) == len(filled.ids)
    assert view.stack.currentWidget() is view.table


def test_filters_combine(filled: Filled) -> None:
    view = filled.view
    view.person.setCurrentIndex(view.person.findData(filled.people["amira"]))
    view.template.setCurrentIndex(view.template.findData("test-staff"))
    view.status.setCurrentIndex(view.status.findData(RecordStatus.DRAFT.value))
    assert _rows(view) == [filled.ids["amira_jan"]]


def test_double_click_and_enter_open_the_record(filled: Filled, qtbot: QtBot) -> None:
    view = filled.view
    view.show()
    qtbot.waitExposed(view)
    table = view.table
    row = _rows(view).index(filled.ids["odd_feb"])
    rect = table.visualRect(view.proxy.index(row, RecordsTableModel.TEMPLATE))
    every: list[str] = []
    view.open_record_requested.connect(every.append)
    with qtbot.waitSignal(view.open_record_requested) as opened:
        # a double-click reaches a widget as a press and release, then the double-click
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [filled.ids["odd_feb"]]
    assert every == [filled.ids["odd_feb"]]  # opened once, not once per event

    table.setFocus()
    table.setCurrentIndex(view.proxy.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Down)  # keyboard only: move to the second row
    second = _rows(view)[1]
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        with qtbot.waitSignal(view.open_record_requested) as opened:
            qtbot.keyClick(table, key)
        assert opened.args == [second]
    assert every == [filled.ids["odd_feb"], second, second]


def test_refresh_picks_up_new_people_and_records(filled: Filled) -> None:
    view = filled.view
    newcomer = people.add_person(filled.vault, "supervisee", {"name": "Nia Newcombe"})
    made = records.create_record(filled.vault, STAFF, subject_id=newcomer.id,
                                 session_date=dt.date(2027, 1, 4))
    view.refresh()
    assert _rows(view)[0] == made
    view.person.setCurrentIndex(view.person.findData(newcomer.id))
    assert _rows(view) == [made]


def test_empty_vault_says_what_to_do_and_new_record_button(vault: Vault, qtbot: QtBot) -> None:
    view = RecordsView(vault, TemplateCatalogue((STAFF,), ()))
    qtbot.addWidget(view)
    assert view.stack.currentWidget() is view.empty
    assert view.empty.text() == NO_RECORDS
    assert view.empty.text() == "No records yet. Choose New record… to start one."
    with qtbot.waitSignal(view.new_record_requested):
        view.new_button.click()


def test_every_input_has_an_accessible_name(filled: Filled) -> None:
    view = filled.view
    for widget in (view.person, view.template, view.status, view.use_from, view.date_from,
                   view.use_to, view.date_to, view.table, view.new_button):
        assert widget.accessibleName(), widget
    assert view.date_from.displayFormat() == "dd/MM/yyyy"


def test_tab_goes_through_the_filters_to_the_list(filled: Filled, qtbot: QtBot) -> None:
    view = filled.view
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    view.new_button.setFocus()
    qtbot.waitUntil(view.new_button.hasFocus)
    expected = [view.person, view.template, view.status, view.use_from,  # dates off: skipped
                view.use_to, view.clear_button, view.table]
    for widget in expected:
        qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Tab)
        assert view.focusWidget() is widget
    assert view.table.currentIndex().row() == 0  # arrows and Enter work at once
    with qtbot.waitSignal(view.open_record_requested) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [_rows(view)[0]]
