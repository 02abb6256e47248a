"""Starting a record: the template, who it is about (only the right kind) and the date."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from supervision_desktop.domain.templates import Template, TemplateCatalogue
from supervision_desktop.services import people, records, templates
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.records.new_record_dialog import NewRecordDialog, template_label
from tests.conftest import ODD_TEXT

pytestmark = pytest.mark.gui


def _template(template_id: str, title: str, subject_kind: str, category: str) -> Template:
    return Template.model_validate(
        {
            "id": template_id, "version": 1, "title": title, "category": category,
            "subject_kind": subject_kind,
            "source": {"organisation": "Testshire Council", "document": "Test guidance",
                       "seed": "none", "reference": "Appendix Z"},
            "sections": [{"id": "main", "title": "Main", "fields": [
                {"id": "notes", "kind": "longtext", "label": "Notes"},
            ]}],
        }
    )


STAFF = _template("test-staff", "Staff supervision (test)", "supervisee", "supervision")
CARER = _template("test-carer", "Foster carer supervision (test)", "carer", "supervision")
CHILD = _template("test-child", "Case discussion (test)", "child", "case_discussion")
GROUP = _template("test-group", "Group discussion (test)", "none", "group_discussion")
CATALOGUE = TemplateCatalogue((STAFF, CARER, CHILD, GROUP), ())


@pytest.fixture
def folk(vault: Vault) -> dict[str, str]:
    return {
        "amira": people.add_person(vault, "supervisee", {"name": "Amira Testfield"}).id,
        "odd": people.add_person(vault, "supervisee", {"name": ODD_TEXT}).id,
        "house": people.add_person(vault, "carer", {"name": "The Sampleford household"}).id,
    }


def _dialog(vault: Vault, qtbot: QtBot, person_id: str | None = None,
            catalogue: TemplateCatalogue = CATALOGUE) -> NewRecordDialog:
    dialog = NewRecordDialog(vault, catalogue, person_id)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def _offered(dialog: NewRecordDialog) -> list[str]:
    return [dialog.subject.itemText(i) for i in range(dialog.subject.count())]


def _templates_shown(dialog: NewRecordDialog) -> dict[str, list[str]]:
    tree = dialog.templates
    return {
        tree.topLevelItem(g).text(0): [
            f"{tree.topLevelItem(g).child(c).text(0)} | {tree.topLevelItem(g).child(c).text(1)}"
            for c in range(tree.topLevelItem(g).childCount())
        ]
        for g in range(tree.topLevelItemCount())
    }


def test_templates_are_grouped_by_category_with_their_organisation(
    vault: Vault, qtbot: QtBot
) -> None:
    dialog = _dialog(vault, qtbot)
    assert _templates_shown(dialog) == {
        "Supervision records": [
            "Foster carer supervision (test) | Testshire Council",
            "Staff supervision (test) | Testshire Council",
        ],
        "Case discussions": ["Case discussion (test) | Testshire Council"],
        "Group and reflective discussions": ["Group discussion (test) | Testshire Council"],
    }
    dialog.select_template("test-child")
    assert dialog.source.text() == "From Testshire Council: Test guidance — Appendix Z"


def test_shipped_templates_are_offered_with_their_organisation(
    vault: Vault, qtbot: QtBot
) -> None:
    shipped = templates.catalogue()
    dialog = _dialog(vault, qtbot, catalogue=TemplateCatalogue((*shipped.templates, STAFF), ()))
    shown = [line for group in _templates_shown(dialog).values() for line in group]
    staff_forms = [t for t in (*shipped.templates, STAFF) if t.audience != "carer"]
    expected = [f"{t.title} | {t.source.organisation}" for t in staff_forms]
    assert sorted(shown) == sorted(expected)
    response = next(t for t in shipped.templates if t.id == "carer-response")
    assert not any(line.startswith(response.title) for line in shown)  # a carer's own form
    for template in staff_forms[:-1]:
        dialog.select_template(template.id)
        assert dialog.chosen_template() == template
    assert template_label(STAFF) == "Staff supervision (test) · Testshire Council"


def test_offers_only_people_the_template_is_about(
    vault: Vault, qtbot: QtBot, folk: dict[str, str]
) -> None:
    dialog = _dialog(vault, qtbot)
    dialog.select_template("test-staff")
    assert sorted(_offered(dialog)) == sorted(["Amira Testfield", ODD_TEXT])
    assert dialog.subject.isEnabled() and dialog.create_button.isEnabled()
    dialog.select_template("test-carer")
    assert _offered(dialog) == ["The Sampleford household"]
    dialog.select_template("test-group")
    assert not dialog.subject.isEnabled()
    assert dialog.subject.currentData() is None
    assert dialog.create_button.isEnabled()
    dialog.select_template("test-child")  # nobody of that kind yet
    assert not dialog.create_button.isEnabled()
    assert "Add them on the People page first" in dialog.no_subject.text()


def test_creates_the_record_and_emits_its_id(
    vault: Vault, qtbot: QtBot, folk: dict[str, str]
) -> None:
    dialog = _dialog(vault, qtbot)
    dialog.select_template("test-staff")
    dialog.subject.setCurrentIndex(dialog.subject.findData(folk["odd"]))
    today = dt.date.today()  # the services' clock, which a test run may set
    assert dialog.date.date() == QDate(today.year, today.month, today.day)
    assert dialog.date.displayFormat() == "dd/MM/yyyy"
    dialog.date.setDate(QDate(2026, 11, 22))
    assert dialog.date.text() == "22/11/2026"
    with qtbot.waitSignal(dialog.record_created) as created:
        dialog.create_button.click()
    assert not dialog.isVisible()
    [summary] = records.list_records(vault)
    assert created.args == [summary.id]
    assert summary.template_id == "test-staff"
    assert summary.subject_id == folk["odd"]
    assert summary.subject_name == ODD_TEXT
    assert summary.session_date == dt.date(2026, 11, 22)


def test_a_record_about_nobody_in_particular(vault: Vault, qtbot: QtBot) -> None:
    dialog = _dialog(vault, qtbot)
    dialog.select_template("test-group")
    with qtbot.waitSignal(dialog.record_created) as created:
        dialog.create_button.click()
    summary = records.get_record(vault, created.args[0]).summary
    assert (summary.template_id, summary.subject_id) == ("test-group", None)
    assert summary.session_date == dt.date.today()


def test_opened_from_a_persons_page_preselects_them(
    vault: Vault, qtbot: QtBot, folk: dict[str, str]
) -> None:
    dialog = _dialog(vault, qtbot, folk["odd"])
    assert _templates_shown(dialog) == {
        "Supervision records": ["Staff supervision (test) | Testshire Council"]
    }
    assert dialog.chosen_template() == STAFF
    assert dialog.subject.currentData() == folk["odd"]
    assert dialog.subject.currentText() == ODD_TEXT
    assert ODD_TEXT in dialog.intro.text()
    assert dialog.intro.textFormat() == Qt.TextFormat.PlainText
    with qtbot.waitSignal(dialog.record_created) as created:
        qtbot.keyClick(dialog.templates, Qt.Key.Key_Return)  # Enter creates
    assert records.get_record(vault, created.args[0]).summary.subject_id == folk["odd"]


def test_keyboard_only(vault: Vault, qtbot: QtBot, folk: dict[str, str]) -> None:
    dialog = _dialog(vault, qtbot)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.templates.setFocus()
    dialog.select_template("test-staff")
    qtbot.keyClick(dialog.templates, Qt.Key.Key_Up)  # the carer template sits above
    assert dialog.chosen_template() == CARER
    qtbot.keyClick(dialog.templates, Qt.Key.Key_Up)  # the first: stays, not on a heading
    assert dialog.chosen_template() == CARER
    qtbot.keyClick(dialog.templates, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.templates, Qt.Key.Key_Down)  # over "Case discussions"
    assert dialog.chosen_template() == CHILD
    qtbot.keyClick(dialog.templates, Qt.Key.Key_Up)  # and back over it
    assert dialog.chosen_template() == STAFF
    qtbot.keyClick(dialog.templates, Qt.Key.Key_Up)
    assert dialog.subject.currentText() == "The Sampleford household"
    qtbot.waitUntil(dialog.templates.hasFocus)
    for widget in (dialog.subject, dialog.date):  # Tab goes template → about → date
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        assert dialog.focusWidget() is widget or widget.isAncestorOf(dialog.focusWidget())
    for widget in (dialog.templates, dialog.subject, dialog.date):
        assert widget.accessibleName()
    with qtbot.waitSignal(dialog.record_created) as created:
        qtbot.keyClick(dialog.date, Qt.Key.Key_Return)
    assert records.get_record(vault, created.args[0]).summary.subject_id == folk["house"]


def test_cancel_creates_nothing(vault: Vault, qtbot: QtBot, folk: dict[str, str]) -> None:
    dialog = _dialog(vault, qtbot)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert records.list_records(vault) == []


@pytest.mark.usefixtures("no_installed_pack")
def test_under_an_agency_pack_only_its_forms_are_offered(
    vault: Vault, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the app passes the dialog (templates.offered, as run_gui does) under Kent's
    pack: Kent's three forms, none of the other organisations'."""
    from supervision_desktop import paths
    from supervision_desktop.services import agency

    monkeypatch.setenv(agency.ENVIRONMENT, str(paths.agencies_dir() / "kent"))
    dialog = _dialog(vault, qtbot, catalogue=templates.offered())
    shown = [line for group in _templates_shown(dialog).values() for line in group]
    assert sorted(shown) == sorted(f"{t.title} | {t.source.organisation}" for t in (
        templates.get_template(t)
        for t in ("personal-supervision", "case-supervision-sos", "management-oversight")))
    assert len(shown) == 3 and all("Kent" in line for line in shown)
