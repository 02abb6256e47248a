"""The form generated from a template: values in and out, dates, tables, signatures, keyboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QPoint, QPointF, Qt
from PySide6.QtGui import QAccessible, QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from supervision_desktop.domain.templates import Template, validate_values
from supervision_desktop.services import templates
from supervision_desktop.ui.forms import FormChoices, FormView, Subject
from supervision_desktop.ui.forms.date_field import DateLine
from supervision_desktop.ui.forms.fields import ComboEditor, PersonEditor
from supervision_desktop.ui.forms.signature_pad import PAD_HEIGHT, PAD_WIDTH, SignatureEditor
from supervision_desktop.ui.forms.table_field import TableEditor
from supervision_desktop.ui.forms.values import parse_date_text, parse_time_text, table_value
from tests.conftest import ODD_TEXT
from tests.sample_values import fill_every_field

pytestmark = pytest.mark.gui

CHOICES = FormChoices(
    names={"child": ("Ada Example", "Bea Sample"), "supervisor": ("Morgan Testwell",)},
    subjects=(Subject("p1", "Casey Fictional"), Subject("p2", "Drew Madeup")),
)


def every_kind_template() -> Template:
    """A template with every field kind and every column kind, some required."""
    return Template.model_validate({
        "id": "every-kind",
        "version": 1,
        "title": "Every kind of field",
        "category": "supervision",
        "subject_kind": "supervisee",
        "source": {"organisation": "Test Trust", "document": "Test guidance",
                   "seed": "none.txt", "reference": "Appendix Z"},
        "notice": "Remember: <b>not bold</b> & plain.",
        "sections": [
            {"id": "basics", "title": "Basics", "guidance": ["Say who was there.",
                                                             "Say <i>why</i>."],
             "fields": [
                 {"id": "venue", "kind": "text", "label": "Venue", "required": True},
                 {"id": "notes", "kind": "longtext", "label": "Notes <b>&amp;</b> thoughts",
                  "guidance": ["What went well?", "What was hard?"]},
                 {"id": "met_on", "kind": "date", "label": "Met on", "required": True},
                 {"id": "start", "kind": "time", "label": "Start time"},
                 {"id": "length", "kind": "duration", "label": "Length"},
             ]},
            {"id": "answers", "title": "Answers", "staff_only": True, "fields": [
                {"id": "agreed", "kind": "yesno", "label": "Agreed?"},
                {"id": "frequency", "kind": "choice", "label": "Frequency",
                 "options": ["Monthly", "Six-weekly", "Health & safety"]},
                {"id": "topics", "kind": "multichoice", "label": "Topics",
                 "options": ["Wellbeing", "Training & development", "Caseload"]},
                {"id": "child_name", "kind": "person", "label": "Child",
                 "person_kind": "child"},
            ]},
            {"id": "actions", "title": "Actions", "fields": [
                {"id": "action_table", "kind": "table", "label": "Actions", "role": "actions",
                 "columns": [
                     {"id": "action", "label": "Action"},
                     {"id": "detail", "label": "Detail", "kind": "longtext"},
                     {"id": "by_whom", "label": "By whom", "kind": "person",
                      "person_kind": "supervisor"},
                     {"id": "due", "label": "By when", "kind": "date"},
                     {"id": "at", "label": "At", "kind": "time"},
                     {"id": "done", "label": "Done", "kind": "yesno"},
                     {"id": "status", "label": "Status", "kind": "choice",
                      "options": ["Open", "Closed"]},
                 ]},
                {"id": "key_dates", "kind": "table", "label": "Key dates",
                 "columns": [{"id": "event", "label": "Event"},
                             {"id": "date", "label": "Date", "kind": "date"}],
                 "preset_rows": ["Placement start", "Last review"]},
            ]},
            {"id": "signatures", "title": "Signatures", "fields": [
                {"id": "supervisor_signature", "kind": "signature", "label": "Supervisor",
                 "signer": "Supervisor"},
            ]},
        ],
    })


@pytest.fixture
def form(qtbot: QtBot) -> FormView:
    view = FormView(every_kind_template(), CHOICES)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    return view


def _shown(qtbot: QtBot, view: FormView) -> FormView:
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    return view


# --- values ------------------------------------------------------------------------------


def test_every_kind_round_trips_odd_text(form: FormView) -> None:
    values = fill_every_field(form.template, ODD_TEXT, long_text=ODD_TEXT + "\nline two\u00a0")
    form.set_values(values)
    assert form.values() == values
    assert validate_values(form.template, form.values()) == []


def test_partly_answered_form_gives_only_what_was_answered(form: FormView) -> None:
    values: dict[str, Any] = {
        "agreed": False,
        "length": 45,
        "topics": ["Training & development"],
        "frequency": "Health & safety",
        "key_dates": [{"event": "Placement start", "date": "2026-11-22"},
                      {"event": "Last review"}],
        "supervisor_signature": {"name": "Morgan Testwell"},
    }
    form.set_values(values)
    assert form.values() == values
    assert validate_values(form.template, values) == []


def test_untouched_form_is_empty_though_it_shows_preset_rows(form: FormView) -> None:
    assert form.values() == {}
    table = form.editors["key_dates"]
    assert isinstance(table, TableEditor)
    assert [table.table.item(r, 0).text() for r in range(table.table.rowCount())] == [
        "Placement start", "Last review",
    ]
    form.set_values({"venue": "Room 2"})
    form.set_values({})
    assert form.values() == {}


@pytest.mark.parametrize("template_id", [t.id for t in templates.catalogue().templates])
def test_every_shipped_template_builds_and_round_trips(qtbot: QtBot, template_id: str) -> None:
    template = templates.get_template(template_id)
    view = FormView(template, CHOICES)
    qtbot.addWidget(view)
    assert view.values() == {}
    values = fill_every_field(template, ODD_TEXT)
    view.set_values(values)
    assert view.values() == values
    assert validate_values(template, view.values()) == []


def test_loading_values_is_not_an_edit_but_typing_is(qtbot: QtBot, form: FormView) -> None:
    with qtbot.assertNotEmitted(form.changed):
        form.set_values(fill_every_field(form.template, "text"))
        form.set_session_date("2026-11-22")
        form.set_subject("p2")
    with qtbot.waitSignal(form.changed, timeout=1000):
        qtbot.keyClicks(form.editors["venue"].inputs()[0], "!")
    assert form.values()["venue"] == "!text"  # loaded text shows from its start


def test_text_survives_exactly_including_a_100_kb_paste(qtbot: QtBot, form: FormView) -> None:
    big = ("Dŵr ŷ Łódź مرحبا 你好 👍🏽 <b>&amp;</b>\t\u00a0" * 3000)[:100_000]
    QApplication.clipboard().setText(big)
    notes = form.editors["notes"].inputs()[0]
    venue = form.editors["venue"].inputs()[0]
    assert isinstance(notes, QPlainTextEdit) and isinstance(venue, QLineEdit)
    notes.paste()
    venue.paste()
    assert form.values()["notes"] == big
    assert form.values()["venue"] == big
    assert notes.height() < 800  # the box grows with its text, then scrolls


# --- widgets per kind --------------------------------------------------------------------


def test_date_shows_and_reads_22_11_2026_and_can_be_empty(qtbot: QtBot, form: FormView) -> None:
    form.set_values({"met_on": "2026-11-22"})
    edit = form.editors["met_on"].inputs()[0]
    assert isinstance(edit, DateLine)
    assert edit.text() == "22/11/2026"
    edit.clear()
    assert "met_on" not in form.values()
    qtbot.keyClicks(edit, "1/2/2027")
    assert form.values()["met_on"] == "2027-02-01"
    edit.editingFinished.emit()
    assert edit.text() == "01/02/2027"
    edit.setText("31/02/2027")
    edit.editingFinished.emit()
    assert "met_on" not in form.values()
    assert form.editors["met_on"].date.hint.isVisibleTo(form)  # type: ignore[attr-defined]


def test_calendar_opens_from_the_keyboard_and_picks_a_date(qtbot: QtBot, form: FormView) -> None:
    _shown(qtbot, form)
    edit = form.editors["met_on"].inputs()[0]
    assert isinstance(edit, DateLine)
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert edit.popup is not None
    qtbot.waitUntil(edit.popup.isVisible)
    edit.popup.calendar.setSelectedDate(QDate(2026, 11, 22))
    edit.popup.calendar.activated.emit(QDate(2026, 11, 22))
    assert edit.text() == "22/11/2026"
    assert form.values()["met_on"] == "2026-11-22"
    assert not edit.popup.isVisible()


def test_time_and_duration(qtbot: QtBot, form: FormView) -> None:
    time = form.editors["start"].inputs()[0]
    assert isinstance(time, QLineEdit)
    qtbot.keyClicks(time, "930")
    time.editingFinished.emit()
    assert time.text() == "09:30"
    spin = form.editors["length"].inputs()[0]
    assert isinstance(spin, QAbstractSpinBox)
    assert spin.text() == "Not recorded"
    form.set_values({"start": "14:30", "length": 90})
    assert spin.text() == "90 min"
    assert form.values() == {"start": "14:30", "length": 90}


def test_yes_no_keeps_not_answered_apart_from_no(form: FormView) -> None:
    editor = form.editors["agreed"]
    assert isinstance(editor, ComboEditor)
    assert [editor.combo.itemText(i) for i in range(3)] == ["Not answered", "Yes", "No"]
    editor.combo.setCurrentIndex(2)
    assert form.values() == {"agreed": False}
    editor.combo.setCurrentIndex(0)
    assert form.values() == {}


def test_person_field_offers_people_and_keeps_any_typed_name(
    qtbot: QtBot, form: FormView
) -> None:
    editor = form.editors["child_name"]
    assert isinstance(editor, PersonEditor)
    assert [editor.combo.itemText(i) for i in range(editor.combo.count())] == [
        "Ada Example", "Bea Sample",
    ]
    assert editor.combo.currentText() == ""
    editor.combo.setCurrentIndex(1)
    assert form.values() == {"child_name": "Bea Sample"}
    form.set_values({"child_name": "Someone Else"})
    assert form.values() == {"child_name": "Someone Else"}


def test_multichoice_options_with_ampersands(form: FormView) -> None:
    boxes = form.editors["topics"].inputs()
    assert [b.text() for b in boxes if isinstance(b, QAbstractButton)] == [
        "Wellbeing", "Training && development", "Caseload",  # && shows as one &
    ]
    boxes[1].click()  # type: ignore[attr-defined]
    assert form.values() == {"topics": ["Training & development"]}


def _edit_cell(qtbot: QtBot, editor: TableEditor, row: int, column: int) -> QWidget:
    table = editor.table
    table.setCurrentCell(row, column)
    table.editItem(table.item(row, column))
    qtbot.waitUntil(lambda: table.indexWidget(table.currentIndex()) is not None)
    widget = table.indexWidget(table.currentIndex())
    assert widget is not None
    return widget


def test_table_adds_and_removes_rows_with_typed_cells(qtbot: QtBot, form: FormView) -> None:
    _shown(qtbot, form)
    editor = form.editors["action_table"]
    assert isinstance(editor, TableEditor)
    assert editor.table.rowCount() == 0
    editor.add_button.click()
    assert editor.table.rowCount() == 1

    cell = _edit_cell(qtbot, editor, 0, 0)
    assert isinstance(cell, QLineEdit)
    qtbot.keyClicks(cell, "Book <b>training</b> & review")
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    cell = _edit_cell(qtbot, editor, 0, 3)
    assert isinstance(cell, DateLine)
    qtbot.keyClicks(cell, "22/11/2026")
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    cell = _edit_cell(qtbot, editor, 0, 5)
    assert isinstance(cell, QComboBox)
    cell.setCurrentIndex(2)
    editor.table.setCurrentCell(0, 0)  # moving away commits the combo
    qtbot.waitUntil(lambda: editor.table.indexWidget(editor.table.model().index(0, 5)) is None)

    assert editor.table.item(0, 3).text() == "22/11/2026"
    assert form.values()["action_table"] == [
        {"action": "Book <b>training</b> & review", "due": "2026-11-22", "done": False},
    ]
    editor.add_button.click()
    assert editor.table.rowCount() == 2
    editor.table.setCurrentCell(1, 0)
    editor.remove_button.click()
    assert editor.table.rowCount() == 1
    assert validate_values(form.template, form.values()) == []


def test_preset_rows_stay_and_their_labels_cannot_be_edited(form: FormView) -> None:
    editor = form.editors["key_dates"]
    assert isinstance(editor, TableEditor)
    editor.table.setCurrentCell(0, 0)
    assert not editor.remove_button.isEnabled()
    assert not editor.table.item(0, 0).flags() & Qt.ItemFlag.ItemIsEditable
    editor.add_button.click()
    editor.table.setCurrentCell(2, 0)
    assert editor.remove_button.isEnabled()


def test_signature_pad_draws_with_mouse_and_pen(qtbot: QtBot, form: FormView) -> None:
    _shown(qtbot, form)
    editor = form.editors["supervisor_signature"]
    assert isinstance(editor, SignatureEditor)
    pad = editor.pad
    form.scroll_area.ensureWidgetVisible(pad)
    with qtbot.waitSignal(pad.changed, timeout=1000):
        qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(20, 30))
        qtbot.mouseMove(pad, QPoint(60, 50))
        qtbot.mouseMove(pad, QPoint(600, 90))  # outside the pad: kept on its edge
        qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(100, 70))
    strokes = pad.strokes()
    assert len(strokes) == 1
    assert strokes[0][0] == [20.0, 30.0]
    assert all(0 <= x <= PAD_WIDTH and 0 <= y <= PAD_HEIGHT for x, y in strokes[0])

    pen = QPointingDevice(
        "test pen", 7, QInputDevice.DeviceType.Stylus, QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure, 1, 2,
    )
    for kind, x in ((QTabletEvent.Type.TabletPress, 200), (QTabletEvent.Type.TabletMove, 240),
                    (QTabletEvent.Type.TabletRelease, 260)):
        event = QTabletEvent(
            kind, pen, QPointF(x, 40), QPointF(pad.mapToGlobal(QPoint(x, 40))), 0.5, 0.0, 0.0,
            0.0, 0.0, 0.0, Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton,
        )
        QApplication.sendEvent(pad, event)
    assert len(pad.strokes()) == 2
    assert pad.strokes()[1][0] == [200.0, 40.0]

    editor.name.setText("Morgan Testwell")
    value = form.values()["supervisor_signature"]
    assert value["name"] == "Morgan Testwell" and len(value["strokes"]) == 2
    assert validate_values(form.template, form.values()) == []

    form.set_values({"supervisor_signature": value})  # drawn back from the stored strokes
    assert pad.strokes() == value["strokes"]
    editor.clear_button.click()
    assert "strokes" not in form.values()["supervisor_signature"]


# --- layout, labels, keyboard ------------------------------------------------------------


def test_labels_are_plain_text_and_required_fields_are_marked(form: FormView) -> None:
    labels = form.findChildren(QLabel)
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    texts = [label.text() for label in labels]
    # a label with a buddy doubles '&' (else it is a shortcut); what is read stays the same
    assert "Notes <b>&&amp;</b> thoughts" in texts
    read = [QAccessible.queryAccessibleInterface(label).text(QAccessible.Text.Name)
            for label in labels]
    assert "Notes <b>&amp;</b> thoughts" in read
    assert "Venue *" in texts and "Met on *" in texts and "Start time" in texts
    assert "What went well?" in "".join(texts)
    assert "Remember: <b>not bold</b> & plain." in texts
    assert "• Say <i>why</i>." in "".join(texts)
    assert any("Test Trust" in t and "Appendix Z" in t for t in texts)


def _input_widgets(form: FormView) -> list[QWidget]:
    return [
        w for w in form.input_widgets()
        if w.isEnabled() and w.isVisibleTo(form) and w.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]


def test_every_input_has_an_accessible_name(form: FormView) -> None:
    widgets = form.input_widgets()
    assert len(widgets) > 20
    every_kind = (QLineEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox, QAbstractButton,
                  QAbstractItemView)
    found = [w for w in form.findChildren(QWidget) if isinstance(w, every_kind)]
    for widget in found:
        if widget.isVisibleTo(form) and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
            assert widget.accessibleName().strip(), widget
    assert form.outline.accessibleName()


def test_tab_order_follows_the_form(qtbot: QtBot, form: FormView) -> None:
    _shown(qtbot, form)
    expected = _input_widgets(form)
    chain: list[QWidget] = []
    widget = form.outline.nextInFocusChain()
    while widget is not form.outline:
        if widget in expected and widget not in chain:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    assert chain == expected

    # and real Tab presses walk the same way, through a long text box and a table
    expected[0].setFocus(Qt.FocusReason.TabFocusReason)
    visited = [QApplication.focusWidget()]
    for _ in range(len(expected) - 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert visited == expected


def test_outline_jumps_to_a_section(qtbot: QtBot, form: FormView) -> None:
    _shown(qtbot, form)
    assert [form.outline.item(i).text() for i in range(form.outline.count())] == [
        "Record details", "Basics", "Answers", "Actions", "Signatures",
    ]
    bar = form.scroll_area.verticalScrollBar()
    assert bar.value() == 0
    form.outline.setCurrentRow(3)
    top = form.sections[2].mapTo(form.scroll_area.widget(), QPoint(0, 0)).y()
    assert bar.value() == min(top, bar.maximum()) > 0
    form.outline.setFocus()
    form.outline.setCurrentRow(2)
    qtbot.keyClick(form.outline, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is form.editors["agreed"].inputs()[0]
    form.outline.setCurrentRow(0)
    assert bar.value() == 0
    bar.setValue(bar.maximum())  # scrolling by hand moves the outline along
    assert form.outline.currentRow() >= 3


def test_header_holds_subject_and_session_date(qtbot: QtBot, form: FormView) -> None:
    assert form.subject_id() is None
    assert form.session_date() == ""
    form.set_subject("p2")
    form.set_session_date("2026-11-22")
    assert form.subject_id() == "p2"
    assert form.header.session_date.edit.text() == "22/11/2026"
    with qtbot.waitSignal(form.changed, timeout=1000):
        assert form.header.subject is not None
        form.header.subject.setCurrentIndex(0)
    assert form.subject_id() == "p1"


def test_read_only_form_takes_no_input(qtbot: QtBot, form: FormView) -> None:
    values = fill_every_field(form.template, "kept")
    form.set_values(values)
    form.set_read_only(True)
    with qtbot.assertNotEmitted(form.changed):
        qtbot.keyClicks(form.editors["venue"].inputs()[0], "changed")
        qtbot.keyClicks(form.editors["notes"].inputs()[0], "changed")
    assert form.values() == values
    table = form.editors["action_table"]
    assert isinstance(table, TableEditor)
    assert not table.add_button.isVisibleTo(form)
    assert table.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers


# --- plain value rules -------------------------------------------------------------------


def test_value_rules_without_qt() -> None:
    assert parse_date_text("22/11/2026") == "2026-11-22"
    assert parse_date_text(" 2.3.2027 ") == "2027-03-02"
    assert parse_date_text("2026-11-22") == "2026-11-22"
    assert parse_date_text("") == ""
    assert parse_date_text("31/02/2026") is None
    assert parse_date_text("22/11/26") is None
    assert parse_time_text("1430") == "14:30"
    assert parse_time_text("9") == "09:00"
    assert parse_time_text("24:00") is None
    presets = ("Start",)
    assert table_value([{"a": "Start", "b": None}], "a", presets) is None
    assert table_value([{"a": "Start", "b": "x"}, {"a": None}], "a", presets) == [
        {"a": "Start", "b": "x"},
    ]


@pytest.mark.parametrize("template_id",
                         ["every-kind", *(t.id for t in templates.catalogue().templates)])
def test_every_fields_visible_label_is_its_inputs_buddy(qtbot: QtBot, template_id: str) -> None:
    """A screen reader links a label to its input through the buddy: each field's label
    (or, for a section that is one field, the section's title) names its first input. A
    '&' in a label stays an '&' on screen (a buddy's label would make it a shortcut)."""
    template = (every_kind_template() if template_id == "every-kind"
                else templates.get_template(template_id))
    view = FormView(template, CHOICES)
    qtbot.addWidget(view)
    buddies = {label.buddy(): label.text() for label in view.findChildren(QLabel)
               if label.buddy() is not None}
    for section in template.sections:
        for field in section.fields:
            if field.asked_in_header:  # asked once, above the sections, in its own words
                first = (view.header.session_date.edit if field.fills == "session_date"
                         else view.header.subject)
                assert field.id not in view.editors
                shown = f"{field.label} *" if field.required else field.label
                assert buddies.get(first) == shown.replace("&", "&&"), field.id
                continue
            first = view.editors[field.id].inputs()[0]
            shown = section.title if section.title_repeats_field else field.label
            shown = f"{shown} *" if field.required else shown
            assert buddies.get(first) == shown.replace("&", "&&"), field.id


def test_a_form_an_agency_edited_as_the_guide_says_builds_and_round_trips(
        qtbot: QtBot, tmp_path: Path) -> None:
    """The authoring guide's worked example (resources/agencies/README.md) in the real
    form: the reworded label, the added choice and the added table are there and keep
    what is entered."""
    from supervision_desktop.services import agency
    from tests.test_agency import edit_as_the_guide_says

    agency.new_pack(tmp_path / "kent", "kent")
    edit_as_the_guide_says(tmp_path / "kent")
    template = agency.load(tmp_path / "kent").templates.get("personal-supervision")
    view = FormView(template, CHOICES)
    qtbot.addWidget(view)
    texts = {label.text().removesuffix(" *") for label in view.findChildren(QLabel)}
    assert {"Date of this supervision session", "Where the session took place",
            "Training since the last supervision"} <= texts
    assert isinstance(view.editors["training_attended"], TableEditor)
    values = fill_every_field(template, ODD_TEXT)
    values["venue"] = "Home visit"
    view.set_values(values)
    assert view.values() == values
    assert validate_values(template, view.values()) == []
