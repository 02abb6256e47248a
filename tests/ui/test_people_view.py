"""The People page: listing by kind, adding and editing people, and a person's own page."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from supervision_desktop.domain.templates import Template, TemplateCatalogue
from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import people, records
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.table_models import PeopleTableModel, RecordsTableModel
from supervision_desktop.ui.people.people_page import NO_PEOPLE, PeopleView
from supervision_desktop.ui.people.person_editor import PersonDialog
from tests.conftest import ODD_TEXT

if TYPE_CHECKING:  # imported by the pytest-qt plugin once Qt is chosen
    from pytestqt.modeltest import ModelTester

pytestmark = pytest.mark.gui

STAFF = Template.model_validate(
    {
        "id": "test-staff", "version": 1, "title": "Staff supervision (test)",
        "category": "supervision", "subject_kind": "supervisee",
        "source": {"organisation": "Testshire Council", "document": "Test", "seed": "none"},
        "sections": [{"id": "main", "title": "Main", "fields": [
            {"id": "notes", "kind": "longtext", "label": "Notes"},
        ]}],
    }
)


@pytest.fixture
def view(vault: Vault, qtbot: QtBot) -> PeopleView:
    widget = PeopleView(vault, TemplateCatalogue((STAFF,), ()))
    qtbot.addWidget(widget)
    return widget


def _names(view: PeopleView) -> list[str]:
    return [str(view.proxy.index(r, PeopleTableModel.NAME).data())
            for r in range(view.proxy.rowCount())]


def _line(dialog: PersonDialog, key: str) -> QLineEdit:
    widget = dialog.input(key)
    assert isinstance(widget, QLineEdit)
    return widget


def _combo(dialog: PersonDialog, key: str) -> QComboBox:
    widget = dialog.input(key)
    assert isinstance(widget, QComboBox)
    return widget


def test_model_passes_qt_model_checks(
    vault: Vault, view: PeopleView, qtmodeltester: ModelTester
) -> None:
    people.add_person(vault, "supervisee",
                      {"name": "Amira Testfield", "job_title": "Social worker"})
    people.add_person(vault, "carer", {"name": "The Sampleford household", "carers": ["A", "B"]})
    people.add_person(vault, "child", {"name": "Kit Example", "case_id": "C-104",
                                       "plan": "looked_after"})
    view.refresh()
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)


def test_empty_vault_says_what_to_do(view: PeopleView) -> None:
    assert view.list_stack.currentWidget() is view.no_people
    assert view.no_people.text() == NO_PEOPLE
    assert "Add person…" in view.no_people.text()


def test_lists_people_and_filters_by_kind(vault: Vault, view: PeopleView) -> None:
    people.add_person(vault, "supervisee", {"name": "Amira Testfield", "staff_group": "nqsw"})
    people.add_person(vault, "carer", {"name": "The Sampleford household",
                                       "carers": ["Dee Sampleford", "Lee Sampleford"],
                                       "approval_status": "under_review"})
    people.add_person(vault, "child", {"name": "Kit Example", "case_id": "C-104",
                                       "plan": "child_protection"})
    view.refresh()
    assert _names(view) == ["Amira Testfield", "Kit Example", "The Sampleford household"]
    details = {view.proxy.index(r, PeopleTableModel.NAME).data():
               view.proxy.index(r, PeopleTableModel.DETAILS).data()
               for r in range(view.proxy.rowCount())}
    assert details["Kit Example"] == "Case C-104 · Child protection"
    assert details["The Sampleford household"] == (
        "Dee Sampleford, Lee Sampleford · Under review"
    )
    assert details["Amira Testfield"] == "Newly qualified social worker (ASYE)"
    view.kind_filter.setCurrentIndex(view.kind_filter.findData("carer"))
    assert _names(view) == ["The Sampleford household"]
    assert view.proxy.index(0, PeopleTableModel.KIND).data() == "Foster carer household"


def test_adding_a_person_through_the_dialog_stores_them(
    vault: Vault, view: PeopleView, qtbot: QtBot
) -> None:
    dialog = view.add_person()
    assert dialog.isVisible()
    dialog.kind.setCurrentIndex(dialog.kind.findData("carer"))
    _line(dialog, "name").setText("The Okafor-Testwell household")
    carers = dialog.input("carers")
    assert isinstance(carers, QPlainTextEdit)
    carers.setPlainText("Ngozi Okafor-Testwell\n\n  Sam Testwell  \n")
    approval = _combo(dialog, "approval_status")
    approval.setCurrentIndex(approval.findText("In assessment"))
    with qtbot.waitSignal(dialog.person_saved) as saved:
        dialog.save_button.click()
    assert not dialog.isVisible()
    [stored] = people.list_people(vault)
    assert saved.args == [stored.id]
    assert (stored.kind, stored.name) == ("carer", "The Okafor-Testwell household")
    assert stored.details["carers"] == ["Ngozi Okafor-Testwell", "Sam Testwell"]
    assert stored.details["approval_status"] == "in_assessment"
    assert view.selected_person_id() == stored.id  # shown at once
    assert view.page.name.text() == "The Okafor-Testwell household"
    assert view.page.values["approval_status"].text() == "In assessment"


def test_adding_a_child_with_uk_dates(vault: Vault, view: PeopleView) -> None:
    dialog = view.add_person()
    dialog.kind.setCurrentIndex(dialog.kind.findData("child"))
    _line(dialog, "name").setText("Kit Example")
    _line(dialog, "case_id").setText("C-104")
    _line(dialog, "dob").setText("07/03/2015")
    _combo(dialog, "legal_status").setEditText("Care order (section 31)")
    plan = _combo(dialog, "plan")
    plan.setCurrentIndex(plan.findText("Looked after"))
    dialog.save_button.click()
    [child] = people.list_people(vault, "child")
    assert child.details["dob"] == "2015-03-07"
    assert child.details["legal_status"] == "Care order (section 31)"
    assert child.details["plan"] == "looked_after"
    assert view.page.values["dob"].text() == "07/03/2015"


def test_a_childs_placement_is_chosen_from_the_households(vault: Vault,
                                                          view: PeopleView) -> None:
    people.add_person(vault, "carer", {"name": "The Carter household"})
    dialog = view.add_person()
    dialog.kind.setCurrentIndex(dialog.kind.findData("child"))
    _line(dialog, "name").setText("Kit Example")
    placed = _combo(dialog, "placed_with")
    assert [placed.itemText(i) for i in range(placed.count())] == ["", "The Carter household"]
    placed.setCurrentIndex(1)
    _line(dialog, "placed_from").setText("01/05/2026")
    dialog.save_button.click()
    [child] = people.list_people(vault, "child")
    assert (child.details["placed_with"], child.details["placed_from"],
            child.details["placed_until"]) == ("The Carter household", "2026-05-01", None)
    assert view.page.values["placed_with"].text() == "The Carter household"
    assert view.page.values["placed_from"].text() == "01/05/2026"


def test_a_childs_matched_placement_is_set_in_the_editor_and_changes_what_is_due(
    vault: Vault, view: PeopleView
) -> None:
    """Walsall asks for case discussion of looked-after children less often once the
    placement is matched: the editor must be able to say so."""
    from PySide6.QtWidgets import QCheckBox

    from supervision_desktop.services import compliance

    dialog = view.add_person()
    dialog.kind.setCurrentIndex(dialog.kind.findData("child"))
    _line(dialog, "name").setText("Kit Example")
    plan = _combo(dialog, "plan")
    plan.setCurrentIndex(plan.findText("Looked after"))
    dialog.save_button.click()
    [child] = people.list_people(vault, "child")
    assert child.details["placement_matched"] is False
    compliance.set_profile(vault, "walsall")
    before = next(e for e in compliance.due_report(vault).people if e.person_id == child.id)

    dialog = view.edit_person(child.id)
    matched = dialog.input("placement_matched")
    assert isinstance(matched, QCheckBox) and not matched.isChecked()
    matched.setChecked(True)
    dialog.save_button.click()
    assert people.get_person(vault, child.id).details["placement_matched"] is True
    assert view.page.values["placement_matched"].text() == "Yes"
    after = next(e for e in compliance.due_report(vault).people if e.person_id == child.id)
    assert after.rule != before.rule


def test_empty_name_shows_the_service_message_and_keeps_what_was_typed(
    vault: Vault, view: PeopleView
) -> None:
    with pytest.raises(InvalidInput) as refused:
        people.add_person(vault, "supervisee", {"name": "", "job_title": "Social worker"})
    dialog = view.add_person()
    _line(dialog, "job_title").setText("Senior practitioner, <b>Team 2</b>")
    _line(dialog, "start_date").setText("01/09/2025")
    dialog.save_button.click()
    assert dialog.isVisible()
    assert dialog.error.isVisibleTo(dialog)
    assert dialog.error.text() == str(refused.value)
    assert dialog.error.textFormat() == Qt.TextFormat.PlainText
    assert _line(dialog, "job_title").text() == "Senior practitioner, <b>Team 2</b>"
    assert _line(dialog, "start_date").text() == "01/09/2025"
    assert people.list_people(vault) == []

    _line(dialog, "name").setText("Amira Testfield")
    dialog.save_button.click()
    assert not dialog.isVisible()
    [stored] = people.list_people(vault)
    assert stored.details["job_title"] == "Senior practitioner, <b>Team 2</b>"
    assert stored.details["start_date"] == "2025-09-01"


def test_a_date_that_is_not_a_date_is_explained(vault: Vault, view: PeopleView) -> None:
    dialog = view.add_person()
    _line(dialog, "name").setText("Amira Testfield")
    _line(dialog, "start_date").setText("31/02/2026")
    dialog.save_button.click()
    assert dialog.isVisible()
    assert "Start date" in dialog.error.text() and "31/02/2026" in dialog.error.text()
    assert _line(dialog, "start_date").text() == "31/02/2026"
    assert people.list_people(vault) == []


def test_leaving_is_asked_only_of_someone_already_added(vault: Vault,
                                                        view: PeopleView) -> None:
    adding = view.add_person()
    for kind in ("supervisee", "carer", "child"):
        adding.kind.setCurrentIndex(adding.kind.findData(kind))
        assert not adding.input("end_date").isVisible(), kind
    assert not adding.end_reason.isVisible() and not adding.end_reason_label.isVisible()
    adding.reject()
    person = people.add_person(vault, "supervisee", {"name": "Jo Bloggs"})
    editing = view.edit_person(person.id)
    assert editing is not None
    assert editing.input("end_date").isVisible() and editing.end_reason.isVisible()


def test_editing_a_person_updates_them(vault: Vault, view: PeopleView) -> None:
    person = people.add_person(vault, "supervisee", {
        "name": "Amira Testfield", "job_title": "Social worker", "staff_group": "nqsw",
        "start_date": "2025-09-01", "supervisor": "Morgan Testwell",
    })
    view.refresh()
    view.select_person(person.id)
    assert view.page.values["staff_group"].text() == "Newly qualified social worker (ASYE)"
    assert view.page.values["start_date"].text() == "01/09/2025"
    view.page.edit_button.click()
    dialog = view.editor
    assert dialog is not None and dialog.isVisible()
    assert not dialog.kind.isEnabled()
    assert _line(dialog, "name").text() == "Amira Testfield"
    assert _line(dialog, "start_date").text() == "01/09/2025"
    _line(dialog, "job_title").setText("Senior practitioner")
    group = _combo(dialog, "staff_group")
    group.setCurrentIndex(group.findData("senior_practitioner"))
    _line(dialog, "supervisor").clear()
    dialog.save_button.click()
    assert not dialog.isVisible()
    updated = people.get_person(vault, person.id)
    assert updated.details["job_title"] == "Senior practitioner"
    assert updated.details["staff_group"] == "senior_practitioner"
    assert updated.details["start_date"] == "2025-09-01"
    assert updated.details["supervisor"] == ""
    assert view.page.values["staff_group"].text() == "Senior practitioner"
    assert view.page.values["supervisor"].text() == "Not recorded"


def test_person_page_lists_their_records_and_opens_them(
    vault: Vault, view: PeopleView, qtbot: QtBot
) -> None:
    amira = people.add_person(vault, "supervisee", {"name": "Amira Testfield"})
    other = people.add_person(vault, "supervisee", {"name": "Bea Otherton"})
    mine = [records.create_record(vault, STAFF, subject_id=amira.id, session_date=day)
            for day in ("2026-01-10", "2026-02-14")]
    records.create_record(vault, STAFF, subject_id=other.id, session_date="2026-03-01")
    view.refresh()
    view.select_person(amira.id)
    page = view.page
    assert view.page_stack.currentWidget() is page
    shown = [page.proxy.index(r, 0).data(RecordsTableModel.RECORD_ID_ROLE)
             for r in range(page.proxy.rowCount())]
    assert shown == [mine[1], mine[0]]
    assert page.proxy.index(0, RecordsTableModel.DATE).data() == "14/02/2026"
    assert page.table.isColumnHidden(RecordsTableModel.ABOUT)

    view.show()
    qtbot.waitExposed(view)
    rect = page.table.visualRect(page.proxy.index(1, RecordsTableModel.TEMPLATE))
    with qtbot.waitSignal(view.open_record_requested) as opened:
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [mine[0]]
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    with qtbot.waitSignal(view.open_record_requested) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [mine[1]]

    with qtbot.waitSignal(view.new_record_for_person) as wanted:
        page.new_button.click()
    assert wanted.args == [amira.id]


def test_person_page_without_records_says_what_to_do(vault: Vault, view: PeopleView) -> None:
    person = people.add_person(vault, "child", {"name": "Kit Example"})
    view.refresh()
    view.select_person(person.id)
    assert view.page.records_stack.currentWidget() is view.page.no_records
    assert view.page.no_records.text() == (
        "No records about Kit Example yet. Choose New supervision… to start one."
    )


def test_odd_names_show_exactly(vault: Vault, view: PeopleView) -> None:
    person = people.add_person(vault, "carer", {"name": ODD_TEXT, "carers": [ODD_TEXT]})
    view.refresh()
    assert _names(view) == [ODD_TEXT]
    view.select_person(person.id)
    assert view.page.name.text() == ODD_TEXT
    assert view.page.name.textFormat() == Qt.TextFormat.PlainText
    assert view.page.values["carers"].text() == ODD_TEXT
    assert view.page.values["carers"].textFormat() == Qt.TextFormat.PlainText
    assert view.page.no_records.textFormat() == Qt.TextFormat.PlainText
    assert ODD_TEXT in view.page.no_records.text()
    view.page.edit_button.click()
    assert view.editor is not None
    assert _line(view.editor, "name").text() == ODD_TEXT


def test_selecting_with_the_keyboard_shows_the_person(vault: Vault, view: PeopleView,
                                                      qtbot: QtBot) -> None:
    people.add_person(vault, "supervisee", {"name": "Amira Testfield"})
    second = people.add_person(vault, "supervisee", {"name": "Bea Otherton"})
    view.refresh()
    view.show()
    qtbot.waitExposed(view)
    view.table.setFocus()
    view.table.setCurrentIndex(view.proxy.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.selected_person_id() == second.id
    assert view.page.name.text() == "Bea Otherton"


def test_every_input_has_an_accessible_name(view: PeopleView) -> None:
    for widget in (view.kind_filter, view.add_button, view.table, view.page.new_button,
                   view.page.edit_button, view.page.table):
        assert widget.accessibleName()
    dialog = view.add_person()
    assert dialog.kind.accessibleName()
    inputs = dialog.every_input()
    assert len(inputs) == 20  # six for a supervisee, four for a household, ten for a child
    for widget in inputs:
        assert widget.accessibleName()


def test_tab_from_the_list_to_the_persons_page(vault: Vault, view: PeopleView,
                                               qtbot: QtBot) -> None:
    person = people.add_person(vault, "supervisee", {"name": "Amira Testfield"})
    records.create_record(vault, STAFF, subject_id=person.id, session_date="2026-11-22")
    view.refresh()
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    view.kind_filter.setFocus()
    qtbot.waitUntil(view.kind_filter.hasFocus)
    for widget in (view.add_button, view.table, view.page.new_button, view.page.edit_button,
                   view.page.table):
        qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Tab)
        assert view.focusWidget() is widget
        if widget is view.table:  # the first person is shown as the list takes focus
            assert view.selected_person_id() == person.id
            assert view.table.selectionModel().isRowSelected(0)
