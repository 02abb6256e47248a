"""A record page builds its form lazily: the first screenful at once, the rest when idle.

Whatever the moment, the form must behave as one built whole: every value is kept and
saved, read-only and loaded values reach fields built later, the tab order and the
sections end up the same, and opening a record without touching it writes nothing.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from supervision_desktop.domain.templates import Template
from supervision_desktop.services import people, records, templates
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.forms import FormChoices, FormView
from supervision_desktop.ui.record_page import AUTOSAVE_DELAY_MS, RecordPage
from tests.conftest import ODD_TEXT
from tests.sample_values import fill_every_field

pytestmark = pytest.mark.gui

LARGEST = "foster-carer-supervision"  # 12 sections, 10 tables: never one screenful
LONG = "\n\n".join(["Talked through the week and the plan for contact; agreed next steps."] * 6)


def _template(template_id: str = LARGEST) -> Template:
    return templates.get_template(template_id)


def _lazy(qtbot: QtBot, template: Template, values: dict[str, object]) -> FormView:
    form = FormView(template, FormChoices(), lazy=True)
    qtbot.addWidget(form)
    form.set_values(values)
    return form


def _tab_chain(form: FormView) -> list[QWidget]:
    """The inputs in the order Tab visits them, starting from the outline."""
    inputs = form.input_widgets()
    wanted = set(map(id, inputs))
    chain: list[QWidget] = []
    widget = form.outline.nextInFocusChain()
    while widget is not None and widget is not form.outline and len(chain) < len(inputs):
        if id(widget) in wanted:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def test_a_lazy_form_gives_back_every_value_before_it_is_finished(qtbot: QtBot) -> None:
    template = _template()
    values = fill_every_field(template, ODD_TEXT, LONG)
    whole = FormView(template, FormChoices())
    qtbot.addWidget(whole)
    whole.set_values(values)

    form = _lazy(qtbot, template, values)
    assert not form.is_complete()  # the test means something: some fields wait
    assert form.values() == whole.values()
    form.complete()
    assert form.values() == whole.values()


def test_idle_time_finishes_the_form_and_says_so(qtbot: QtBot) -> None:
    template = _template()
    form = _lazy(qtbot, template, fill_every_field(template, "Sample"))
    form.resize(1280, 760)
    with qtbot.waitSignal(form.built, timeout=5000):
        form.show()
    assert form.is_complete()
    assert [block.section.id for block in form.sections] == [s.id for s in template.sections]
    assert list(form.editors) == [f.id for f in template.fields()]


def test_sections_without_fields_are_shown_too(qtbot: QtBot) -> None:
    template = _template("agreement-bct")
    assert any(not section.fields for section in template.sections)
    form = _lazy(qtbot, template, {})
    assert [block.section.id for block in form.sections] == [s.id for s in template.sections]


def test_read_only_and_new_values_reach_fields_built_later(qtbot: QtBot) -> None:
    template = _template()
    form = _lazy(qtbot, template, {})
    later = fill_every_field(template, "Written later")
    form.set_values(later)
    form.set_read_only(True)
    assert not form.is_complete()
    assert form.values() == _whole_values(qtbot, template, later)
    for widget in form.input_widgets():  # builds the rest
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            assert widget.isReadOnly(), widget.accessibleName()
        elif isinstance(widget, QComboBox):
            assert not widget.isEnabled(), widget.accessibleName()
    assert form.values() == _whole_values(qtbot, template, later)


def _whole_values(qtbot: QtBot, template: Template, values: dict[str, object]) -> object:
    whole = FormView(template, FormChoices())
    qtbot.addWidget(whole)
    whole.set_values(dict(values))
    return whole.values()


def test_tab_order_and_names_are_those_of_a_form_built_whole(qtbot: QtBot) -> None:
    template = _template()
    whole = FormView(template, FormChoices())
    qtbot.addWidget(whole)
    form = _lazy(qtbot, template, {})
    form.resize(1280, 760)
    with qtbot.waitSignal(form.built, timeout=5000):
        form.show()
    names = [w.accessibleName() for w in _tab_chain(form)]
    assert names == [w.accessibleName() for w in _tab_chain(whole)]
    assert names == [w.accessibleName() for w in form.input_widgets()]
    assert all(names)


def test_going_to_a_section_not_built_yet_builds_it(qtbot: QtBot) -> None:
    template = _template()
    form = _lazy(qtbot, template, {})
    last = len(template.sections)
    form.focus_section(last)
    assert form.is_complete()
    assert form.outline.currentRow() == last


# --- the record page ----------------------------------------------------------------------


def _carer_record(vault: Vault, fields: dict[str, object]) -> str:
    carer = people.add_person(vault, "carer", {"name": "The Examplewood household",
                                                "carers": ["Alex Examplewood"]})
    return records.create_record(vault, _template(), subject_id=carer.id,
                                 session_date="2026-11-20", fields=fields)


def _page(vault: Vault, record_id: str, qtbot: QtBot) -> tuple[QWidget, RecordPage]:
    host = QWidget()  # as in the main window: the page is put in its place, then shown
    qtbot.addWidget(host)
    host.resize(1280, 760)
    page = RecordPage(vault, record_id)
    page.setParent(host)
    page.resize(1280, 760)
    return host, page


def test_an_edit_before_the_form_is_finished_keeps_every_other_value(
    vault: Vault, qtbot: QtBot
) -> None:
    template = _template()
    values = fill_every_field(template, "Kept", LONG)
    record_id = _carer_record(vault, values)
    stored = records.get_record(vault, record_id).fields
    _host, page = _page(vault, record_id, qtbot)
    form = page.form
    assert not form.is_complete()
    first = template.sections[0].fields[-1]  # a one-line text, built at once
    edit = form._editors[first.id].inputs()[0]  # noqa: SLF001 (not building the rest)
    assert isinstance(edit, QLineEdit)
    edit.setText("Changed before the rest was built")
    assert not form.is_complete()
    assert page.save_now()
    saved = records.get_record(vault, record_id).fields
    assert saved == {**stored, first.id: "Changed before the rest was built"}


def test_opening_and_leaving_an_untouched_draft_writes_nothing(
    vault: Vault, qtbot: QtBot
) -> None:
    template = _template()
    record_id = _carer_record(vault, fill_every_field(template, "Untouched", LONG))
    before = records.get_record(vault, record_id).summary.updated_at
    host, page = _page(vault, record_id, qtbot)
    assert not page.has_unsaved_changes()  # before the rest is built
    assert not page.form.is_complete()
    with qtbot.waitSignal(page.form.built, timeout=5000):
        host.show()
    qtbot.wait(AUTOSAVE_DELAY_MS + 100)
    assert not page.has_unsaved_changes()
    page.close_record()
    assert records.get_record(vault, record_id).summary.updated_at == before


def test_a_form_deleted_before_it_is_finished_stops_building(qtbot: QtBot) -> None:
    """Leaving a long record at once (the page is deleted while the rest of the form is
    still being built between events) must not build into deleted widgets."""
    template = _template()
    form = FormView(template, FormChoices(), lazy=True)  # not kept by qtbot: it is deleted
    form.set_values(fill_every_field(template, ODD_TEXT))
    form.resize(1280, 760)
    form.show()
    assert not form.is_complete()
    form.deleteLater()
    qtbot.wait(50)  # the deletion, then any slice that was queued: pytest-qt fails on errors
    survivor = _lazy(qtbot, template, {})
    with qtbot.waitSignal(survivor.built, timeout=5000):
        survivor.show()
    assert survivor.is_complete()


def test_a_form_off_screen_waits_and_finishes_once_shown(qtbot: QtBot) -> None:
    """Idle building is for a form on screen: a form never shown (a page left behind, or
    one being torn down) builds nothing more until it is shown."""
    template = _template()
    form = _lazy(qtbot, template, fill_every_field(template, "Sample"))
    qtbot.wait(100)
    assert not form.is_complete()
    with qtbot.waitSignal(form.built, timeout=5000):
        form.show()
    assert form.is_complete()
