"""The template rules pinned: the value each field kind accepts and the exact problem
reported for a wrong one, required fields, table columns and choice options, and the
messages a worker or IT reads when a template file is broken
(``resources/templates/README.md`` — those messages are part of the format's contract).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from supervision_desktop.domain.templates import (
    Section,
    Source,
    Template,
    TemplateCatalogue,
    TemplateError,
    TemplateField,
    is_empty,
    load_directory,
    load_template,
    missing_required,
    parse_template,
    validate_values,
)
from tests.test_templates import GOOD

SOURCE = {"organisation": "Example Agency", "document": "Supervision Policy",
          "seed": "999_0123456789abcdef.txt"}


def _data(*fields: dict[str, Any], sections: list[dict[str, Any]] | None = None,
          **top: Any) -> dict[str, Any]:
    """A template's parsed YAML: one section "first" holding ``fields``."""
    return {
        "id": "agency-form", "version": 1, "title": "Agency form",
        "category": "supervision", "subject_kind": "supervisee", "source": dict(SOURCE),
        "sections": sections if sections is not None else [
            {"id": "first", "title": "First section", "fields": list(fields)}],
        **top,
    }


def _template(*fields: dict[str, Any], **top: Any) -> Template:
    return Template.model_validate(_data(*fields, **top))


def _problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(TemplateError) as raised:
        parse_template(data, "agency-form.yaml")
    return raised.value.problems


MOOD = {"id": "mood", "kind": "choice", "label": "How are you?",
        "options": ["Well", "Not so well"]}
ACTIONS = {"id": "agreed_actions", "kind": "table", "label": "Actions", "role": "actions",
           "columns": [{"id": "action", "label": "Task"},
                       {"id": "by_when", "label": "By when", "kind": "date"},
                       {"id": "done", "label": "Done", "kind": "yesno"},
                       {"id": "status", "label": "Status", "kind": "choice",
                        "options": ["Open", "Closed"]}]}
SIGNED = {"id": "supervisor_signature", "kind": "signature", "label": "Signed (Supervisor)",
          "signer": "Supervisor"}
EVERY_KIND = _template(
    {"id": "note", "kind": "text", "label": "Note"},
    {"id": "story", "kind": "longtext", "label": "Story"},
    {"id": "held_on", "kind": "date", "label": "Date"},
    {"id": "started", "kind": "time", "label": "Start"},
    {"id": "length", "kind": "duration", "label": "Length"},
    {"id": "shared", "kind": "yesno", "label": "Shared?"},
    MOOD,
    {"id": "support", "kind": "multichoice", "label": "Support",
     "options": ["Respite", "Training", "Advice"]},
    {"id": "supervisor", "kind": "person", "label": "Supervisor", "person_kind": "supervisor"},
    ACTIONS,
    SIGNED,
)


# --- values: what each kind accepts ---------------------------------------------------

ACCEPTED = {
    "text": ("note", "Team manager"),
    "text left empty": ("note", ""),
    "text given as null": ("note", None),
    "longtext with new lines": ("story", "First.\nSecond."),
    "date": ("held_on", "2026-11-22"),
    "a leap day": ("held_on", "2028-02-29"),
    "date left empty": ("held_on", ""),
    "time at midnight": ("started", "00:00"),
    "time late evening": ("started", "19:59"),
    "last minute of the day": ("started", "23:59"),
    "duration of none": ("length", 0),
    "duration of a whole day": ("length", 1440),
    "duration given as null": ("length", None),
    "yes": ("shared", True),
    "no": ("shared", False),
    "choice": ("mood", "Not so well"),
    "choice left empty": ("mood", ""),
    "multichoice": ("support", ["Respite", "Advice"]),
    "multichoice of nothing": ("support", []),
    "person": ("supervisor", "Alex Example"),
    "table of no rows": ("agreed_actions", []),
    "table row leaving columns out": ("agreed_actions", [{"action": "Book training"}]),
    "table with every column": ("agreed_actions", [
        {"action": "Book training", "by_when": "2026-12-01", "done": False,
         "status": "Open"},
        {"action": "Visit", "by_when": "", "done": None, "status": "Closed"}]),
    "signature typed only": ("supervisor_signature", {
        "name": "Morgan Example", "role": "Supervisor", "date": "2026-11-22",
        "strokes": []}),
    "signature drawn": ("supervisor_signature", {
        "name": "Morgan Example", "date": "2026-11-22",
        "strokes": [[[10, 10], [50.5, 40]], [[60, 12], [80, 30]], []]}),
    "signature with nothing in it": ("supervisor_signature", {}),
    "signature with an empty date": ("supervisor_signature", {"name": "Morgan", "date": ""}),
}


@pytest.mark.parametrize("field_id, value", ACCEPTED.values(), ids=list(ACCEPTED))
def test_a_value_of_the_documented_shape_is_accepted(field_id: str, value: Any) -> None:
    assert validate_values(EVERY_KIND, {field_id: value}) == []


REFUSED = {
    "number as text": ("note", 12, "note: must be text"),
    "list as longtext": ("story", ["a"], "story: must be text"),
    "number as a person": ("supervisor", 7, "supervisor: must be text"),
    "date as a number": ("held_on", 20261122, "held_on: must be a date written 2026-11-22"),
    "date as a list": ("held_on", ["2026-11-22"],
                       "held_on: must be a date written 2026-11-22"),
    "date written the British way": (
        "held_on", "22/11/2026", "held_on: '22/11/2026' is not a date written 2026-11-22"),
    "date that does not exist": (
        "held_on", "2026-02-30", "held_on: '2026-02-30' is not a date written 2026-11-22"),
    "date without hyphens": (
        "held_on", "20261122", "held_on: '20261122' is not a date written 2026-11-22"),
    "time without a colon": ("started", "1430", "started: must be a time written 14:30"),
    "time of one hour digit": ("started", "9:30", "started: must be a time written 14:30"),
    "time at 24:00": ("started", "24:00", "started: must be a time written 14:30"),
    "time at 20 past 25": ("started", "25:20", "started: must be a time written 14:30"),
    "time of 60 minutes": ("started", "10:60", "started: must be a time written 14:30"),
    "time with seconds": ("started", "10:30:00", "started: must be a time written 14:30"),
    "time with words before": ("started", "at 10:30", "started: must be a time written 14:30"),
    "time as a number": ("started", 1430, "started: must be a time written 14:30"),
    "duration below none": ("length", -1, "length: must be whole minutes between 0 and 1440"),
    "duration over a day": ("length", 1441,
                            "length: must be whole minutes between 0 and 1440"),
    "duration as text": ("length", "90", "length: must be whole minutes between 0 and 1440"),
    "duration in part minutes": ("length", 90.5,
                                 "length: must be whole minutes between 0 and 1440"),
    "duration as yes": ("length", True, "length: must be whole minutes between 0 and 1440"),
    "yes written as a word": ("shared", "yes", "shared: must be true or false"),
    "yes written as one": ("shared", 1, "shared: must be true or false"),
    "choice not among the options": ("mood", "Fine", "mood: must be one of: Well, Not so well"),
    "choice in the wrong case": ("mood", "well", "mood: must be one of: Well, Not so well"),
    "choice given as a list": ("mood", ["Well"], "mood: must be one of: Well, Not so well"),
    "multichoice as one string": (
        "support", "Respite", "support: must be a list drawn from: Respite, Training, Advice"),
    "multichoice with an unknown option": (
        "support", ["Respite", "Holiday"],
        "support: must be a list drawn from: Respite, Training, Advice"),
}


@pytest.mark.parametrize("field_id, value, problem", REFUSED.values(), ids=list(REFUSED))
def test_a_value_of_the_wrong_shape_is_reported_in_words(
    field_id: str, value: Any, problem: str
) -> None:
    assert validate_values(EVERY_KIND, {field_id: value}) == [problem]


def test_a_value_for_a_field_the_template_does_not_have_is_named() -> None:
    assert validate_values(EVERY_KIND, {"colour": "red", "note": "fine"}) == [
        "colour: no such field in agency-form"]


def test_every_problem_is_reported_in_the_order_the_values_came() -> None:
    values = {"started": "1430", "note": "fine", "colour": "red", "length": 2000}
    assert validate_values(EVERY_KIND, values) == [
        "started: must be a time written 14:30",
        "colour: no such field in agency-form",
        "length: must be whole minutes between 0 and 1440",
    ]


TABLE_REFUSED = {
    "not a list": ({"action": "Visit"}, ["agreed_actions: must be a list of rows"]),
    "text instead of rows": ("Visit", ["agreed_actions: must be a list of rows"]),
    "a row that is not an object": (
        [{"action": "Visit"}, "Call"],
        ["agreed_actions row 2: must be an object of column values"]),
    "a column the table does not have": (
        [{"action": "Visit", "owner": "Alex"}], ["agreed_actions row 1: no column 'owner'"]),
    "a bad date cell": (
        [{"action": "Visit", "by_when": "2026-02-30"}],
        ["agreed_actions row 1 by_when: '2026-02-30' is not a date written 2026-11-22"]),
    "a bad choice cell": (
        [{"action": "Visit", "status": "Done"}],
        ["agreed_actions row 1 status: must be one of: Open, Closed"]),
    "a bad yes/no cell": (
        [{"action": "Visit", "done": "no"}],
        ["agreed_actions row 1 done: must be true or false"]),
    "problems on several rows, all reported": (
        ["Call", {"owner": "Alex", "action": 3, "by_when": "soon"}, {"action": "Visit"},
         {"done": "yes", "colour": "red"}],
        ["agreed_actions row 1: must be an object of column values",
         "agreed_actions row 2: no column 'owner'",
         "agreed_actions row 2 action: must be text",
         "agreed_actions row 2 by_when: 'soon' is not a date written 2026-11-22",
         "agreed_actions row 4 done: must be true or false",
         "agreed_actions row 4: no column 'colour'"]),
}


@pytest.mark.parametrize("value, problems", TABLE_REFUSED.values(), ids=list(TABLE_REFUSED))
def test_a_table_reports_each_bad_row_and_cell_by_number_and_column(
    value: Any, problems: list[str]
) -> None:
    assert validate_values(EVERY_KIND, {"agreed_actions": value}) == problems


SIGNATURE_REFUSED = {
    "not an object": ("Morgan Example", [
        "supervisor_signature: must be an object with name, role, date and strokes"]),
    "unknown keys, sorted": (
        {"name": "Morgan", "size": 3, "colour": "blue"},
        ["supervisor_signature: unknown keys colour, size"]),
    "a name that is not text": ({"name": 12}, ["supervisor_signature name: must be text"]),
    "a role that is not text": ({"role": None}, ["supervisor_signature role: must be text"]),
    "a date written the British way": (
        {"name": "Morgan", "date": "22/11/2026"},
        ["supervisor_signature date: '22/11/2026' is not a date written 2026-11-22"]),
    "a date that is a number": (
        {"date": 20261122},
        ["supervisor_signature date: must be a date written 2026-11-22"]),
    "strokes that are not a list": (
        {"strokes": "scribble"},
        ["supervisor_signature strokes: must be a list of strokes of [x, y] points"]),
    "a stroke that is not a list": (
        {"strokes": [[[1, 2]], "line"]},
        ["supervisor_signature strokes: must be a list of strokes of [x, y] points"]),
    "a point that is not a list": (
        {"strokes": [[[1, 2], (3, 4)]]},
        ["supervisor_signature strokes: must be a list of strokes of [x, y] points"]),
    "a point of three numbers": (
        {"strokes": [[[1, 2], [3, 4, 5]]]},
        ["supervisor_signature strokes: must be a list of strokes of [x, y] points"]),
    "a point of one number": (
        {"strokes": [[[1]]]},
        ["supervisor_signature strokes: must be a list of strokes of [x, y] points"]),
    "a point with a text coordinate": (
        {"strokes": [[[1, 2]], [[3, "4"]]]},
        ["supervisor_signature strokes: must be a list of strokes of [x, y] points"]),
    "everything wrong at once": (
        {"name": 1, "role": 2, "date": "tomorrow", "strokes": None, "pen": "red"},
        ["supervisor_signature: unknown keys pen",
         "supervisor_signature name: must be text",
         "supervisor_signature role: must be text",
         "supervisor_signature date: 'tomorrow' is not a date written 2026-11-22",
         "supervisor_signature strokes: must be a list of strokes of [x, y] points"]),
}


@pytest.mark.parametrize("value, problems", SIGNATURE_REFUSED.values(),
                         ids=list(SIGNATURE_REFUSED))
def test_a_signature_reports_each_bad_part(value: Any, problems: list[str]) -> None:
    assert validate_values(EVERY_KIND, {"supervisor_signature": value}) == problems


@pytest.mark.parametrize(("value", "problems"), [
    ({"name": "Morgan Testwell", "date": "2026-11-22", "typed": True}, []),
    ({"name": "Morgan Testwell", "typed": False}, []),
    ({"typed": True}, ["supervisor_signature typed: a typed signature needs the signer's "
                       "name"]),
    ({"name": "   ", "typed": True}, ["supervisor_signature typed: a typed signature needs "
                                      "the signer's name"]),
    ({"name": "Morgan Testwell", "typed": "yes"},
     ["supervisor_signature typed: must be true or false"]),
    ({"name": "Morgan Testwell", "typed": 1},
     ["supervisor_signature typed: must be true or false"]),
], ids=["typed and named", "not typed", "typed without a name", "typed with a blank name",
        "typed as text", "typed as a number"])
def test_a_signature_typed_from_the_keyboard_needs_a_name(value: Any,
                                                         problems: list[str]) -> None:
    assert validate_values(EVERY_KIND, {"supervisor_signature": value}) == problems


# --- required fields ------------------------------------------------------------------

REQUIRED = _template(
    {"id": "held_on", "kind": "date", "label": "Date", "required": True},
    {"id": "note", "kind": "text", "label": "Note"},
    {"id": "shared", "kind": "yesno", "label": "Shared?", "required": True},
    {"id": "length", "kind": "duration", "label": "Length", "required": True},
    {"id": "support", "kind": "multichoice", "label": "Support", "required": True,
     "options": ["Respite", "Training"]},
    {**ACTIONS, "required": True},
    {**SIGNED, "required": True},
)
ALL_REQUIRED = ["held_on", "shared", "length", "support", "agreed_actions",
                "supervisor_signature"]


def _missing(values: dict[str, Any]) -> list[str]:
    return [f.id for f in missing_required(REQUIRED, values)]


def test_required_fields_left_out_are_listed_in_form_order_and_optional_ones_never() -> None:
    assert _missing({}) == ALL_REQUIRED
    assert _missing({"note": "", "held_on": None}) == ALL_REQUIRED


def test_a_complete_record_has_nothing_missing() -> None:
    assert _missing({
        "held_on": "2026-11-22", "shared": True, "length": 60, "support": ["Training"],
        "agreed_actions": [{"action": "Book training"}],
        "supervisor_signature": {"name": "Morgan Example", "date": "2026-11-22"},
    }) == []


def test_no_and_zero_minutes_are_answers_not_empty_boxes() -> None:
    values = {"shared": False, "length": 0}
    assert _missing(values) == ["held_on", "support", "agreed_actions",
                                "supervisor_signature"]


EMPTY = {
    "blank text": ("held_on", "   \n", True),
    "no options picked": ("support", [], True),
    "a table of no rows": ("agreed_actions", [], True),
    "a table of empty rows": ("agreed_actions", [{}, {}], True),
    "a table of blank cells": ("agreed_actions", [{"action": " ", "by_when": ""}], True),
    "a table with one cell filled": (
        "agreed_actions", [{"action": " "}, {"by_when": "2026-12-01"}], False),
    "a table with a yes/no cell": ("agreed_actions", [{"done": False}], False),
    "a signature without a date": ("supervisor_signature", {"name": "Morgan"}, True),
    "a signature with an empty date": (
        "supervisor_signature", {"name": "Morgan", "date": ""}, True),
    "a signature without a name": ("supervisor_signature", {"date": "2026-11-22"}, True),
    "a signature with a blank name": (
        "supervisor_signature", {"name": "  ", "date": "2026-11-22"}, True),
    "a signature drawn but not named": (
        "supervisor_signature", {"date": "2026-11-22", "strokes": [[[1, 2], [3, 4]]]}, True),
    "a signature with name and date": (
        "supervisor_signature", {"name": "Morgan", "date": "2026-11-22"}, False),
    "text with words": ("held_on", " x ", False),
    "placeholder letters typed": ("held_on", "XXXX", False),
}


@pytest.mark.parametrize("field_id, value, empty", EMPTY.values(), ids=list(EMPTY))
def test_what_counts_as_an_empty_box(field_id: str, value: Any, empty: bool) -> None:
    assert is_empty(REQUIRED.field(field_id), value) is empty
    assert (field_id in _missing({field_id: value})) is empty


# --- the template file: messages a worker or IT reads ---------------------------------

TABLE = {"id": "contacts", "kind": "table", "label": "Contacts",
         "columns": [{"id": "name", "label": "Name"}]}
AT_FIELD = "sections[1] 'first' > fields[2] 'extra'"


def _with(extra: dict[str, Any]) -> dict[str, Any]:
    return _data({"id": "note", "kind": "text", "label": "Note"}, {"id": "extra", **extra})


BROKEN_FIELDS = {
    "choice without options": (
        {"kind": "choice", "label": "X"}, "field 'extra' of kind choice needs options"),
    "multichoice without options": (
        {"kind": "multichoice", "label": "X", "options": []},
        "field 'extra' of kind multichoice needs options"),
    "options on a text field": (
        {"kind": "text", "label": "X", "options": ["a"]},
        "field 'extra' has options but is not a choice"),
    "person without person_kind": (
        {"kind": "person", "label": "X"}, "field 'extra' of kind person needs person_kind"),
    "columns on a longtext": (
        {"kind": "longtext", "label": "X", "columns": [{"id": "a", "label": "A"}]},
        "field 'extra' has table attributes but is not a table"),
    "preset_rows on a text field": (
        {"kind": "text", "label": "X", "preset_rows": ["ICPC"]},
        "field 'extra' has table attributes but is not a table"),
    "role on a date field": (
        {"kind": "date", "label": "X", "role": "actions"},
        "field 'extra' has table attributes but is not a table"),
    "signature without signer": (
        {"kind": "signature", "label": "X"}, "field 'extra' of kind signature needs signer"),
    "table without columns": ({"kind": "table", "label": "X"}, "table 'extra' needs columns"),
    "table repeating column ids": (
        {"kind": "table", "label": "X",
         "columns": [{"id": "c", "label": "C"}, {"id": "b", "label": "B"},
                     {"id": "c", "label": "C2"}, {"id": "b", "label": "B2"},
                     {"id": "a", "label": "A"}]},
        "table 'extra' repeats column id b, c"),
    "actions table without action": (
        {"kind": "table", "label": "X", "role": "actions",
         "columns": [{"id": "task", "label": "Task"}]},
        "table 'extra' with role actions needs a column 'action'"),
    "action review table without action": (
        {"kind": "table", "label": "X", "role": "action_review",
         "columns": [{"id": "task", "label": "Task"}]},
        "table 'extra' with role action_review needs a column 'action'"),
    "preset_rows with a date first column": (
        {"kind": "table", "label": "X", "preset_rows": ["ICPC"],
         "columns": [{"id": "held", "label": "Held", "kind": "date"},
                     {"id": "what", "label": "What"}]},
        "table 'extra' has preset_rows, so its first column must be text"),
}


@pytest.mark.parametrize("field, problem", BROKEN_FIELDS.values(), ids=list(BROKEN_FIELDS))
def test_a_field_whose_keys_do_not_fit_its_kind_is_named_with_the_rule(
    field: dict[str, Any], problem: str
) -> None:
    assert _problems(_with(field)) == [f"{AT_FIELD}: {problem}"]


BROKEN_COLUMNS = {
    "choice column without options": (
        {"id": "level", "label": "Level", "kind": "choice"},
        "column 'level' of kind choice needs options"),
    "options on a date column": (
        {"id": "level", "label": "Level", "kind": "date", "options": ["a"]},
        "column 'level' has options but is not a choice"),
    "options on a column of the default kind": (
        {"id": "level", "label": "Level", "options": ["a"]},
        "column 'level' has options but is not a choice"),
}


@pytest.mark.parametrize("column, problem", BROKEN_COLUMNS.values(), ids=list(BROKEN_COLUMNS))
def test_a_column_whose_options_do_not_fit_its_kind_is_named(
    column: dict[str, Any], problem: str
) -> None:
    table = {**TABLE, "columns": [{"id": "name", "label": "Name"}, column]}
    assert _problems(_data(table)) == [
        f"sections[1] 'first' > fields[1] 'contacts' > columns[2] 'level': {problem}"]


GOOD_FIELDS = {
    "choice with options": {"kind": "choice", "label": "X", "options": ["a"]},
    "multichoice with options": {"kind": "multichoice", "label": "X", "options": ["a", "b"]},
    "person with person_kind": {"kind": "person", "label": "X", "person_kind": "child"},
    "signature with signer": {"kind": "signature", "label": "X", "signer": "Foster carer"},
    "table without role or action": {"kind": "table", "label": "X",
                                     "columns": [{"id": "name", "label": "Name"}]},
    "actions table with action": {"kind": "table", "label": "X", "role": "actions",
                                  "columns": [{"id": "due", "label": "Due", "kind": "date"},
                                              {"id": "action", "label": "Action"}]},
    "action review with action": {"kind": "table", "label": "X", "role": "action_review",
                                  "columns": [{"id": "action", "label": "Action"}]},
    "preset_rows with a text first column": {
        "kind": "table", "label": "X", "preset_rows": ["Strategy discussion", "ICPC"],
        "columns": [{"id": "event", "label": "Event"},
                    {"id": "held", "label": "Held", "kind": "date"}]},
    "choice and plain columns": {
        "kind": "table", "label": "X",
        "columns": [{"id": "name", "label": "Name", "kind": "person",
                     "person_kind": "carer"},
                    {"id": "level", "label": "Level", "kind": "choice",
                     "options": ["Low", "High"]}]},
}


@pytest.mark.parametrize("field", GOOD_FIELDS.values(), ids=list(GOOD_FIELDS))
def test_a_field_with_the_keys_its_kind_needs_loads(field: dict[str, Any]) -> None:
    template = parse_template(_with(field), "agency-form.yaml")
    assert [f.id for f in template.fields()] == ["note", "extra"]


BROKEN_TOP = {
    "no sections": (_data(sections=[]), ["template: a template needs at least one section"]),
    "a section id repeated": (
        _data(sections=[{"id": "b", "title": "B", "fields": []},
                        {"id": "a", "title": "A", "fields": []},
                        {"id": "b", "title": "B again", "fields": []},
                        {"id": "a", "title": "A again", "fields": []},
                        {"id": "c", "title": "C", "fields": []}]),
        ["template: section id repeated: a, b"]),
    "field ids repeated across sections": (
        _data(sections=[
            {"id": "one", "title": "One",
             "fields": [{"id": "note", "kind": "text", "label": "Note"},
                        {"id": "date", "kind": "date", "label": "Date"}]},
            {"id": "two", "title": "Two",
             "fields": [{"id": "date", "kind": "date", "label": "Date"},
                        {"id": "other", "kind": "text", "label": "Other"},
                        {"id": "note", "kind": "longtext", "label": "Note"}]}]),
        ["template: field id repeated: date, note"]),
    "version 0": (_data(version=0), ["version: Input should be greater than or equal to 1"]),
    "a template id with an underscore": (
        _data(id="agency_form"), ["id: String should match pattern '^[a-z][a-z0-9-]*$'"]),
    "a field id with a hyphen": (
        _data({"id": "my-note", "kind": "text", "label": "Note"}),
        ["sections[1] 'first' > fields[1] 'my-note' > id: "
         "String should match pattern '^[a-z][a-z0-9_]*$'"]),
    "an unknown category": (
        _data(category="review"),
        ["category: Input should be 'front_sheet', 'agreement', 'supervision', 'monitoring', "
         "'case_discussion', 'group_discussion' or 'oversight'"]),
    "a missing title": (
        {k: v for k, v in _data().items() if k != "title"}, ["title: Field required"]),
    "an unknown key on the source": (
        _data(source={**SOURCE, "page": 4}), ["source > page: Extra inputs are not permitted"]),
    "a field without an id": (
        _data({"kind": "text", "label": "Note"}),
        ["sections[1] 'first' > fields[1] > id: Field required"]),
    "a numbered key typed on a field": (
        _data({"id": "mood", "kind": "text", "label": "Mood", 2: "Check in"}),
        ["sections[1] 'first' > fields[1] 'mood' > 2: Keys should be strings"]),
    "a field that is not a mapping": (
        _data("Note"),
        ["sections[1] 'first' > fields[1]: "
         "Input should be a valid dictionary or instance of TemplateField"]),
    "an unknown kind and a missing label together": (
        _data({"id": "note", "kind": "text", "label": "Note"},
              {"id": "mood", "kind": "dropdown"}),
        ["sections[1] 'first' > fields[2] 'mood' > kind: Input should be 'text', 'longtext', "
         "'date', 'time', 'duration', 'yesno', 'choice', 'multichoice', 'person', 'table' "
         "or 'signature'",
         "sections[1] 'first' > fields[2] 'mood' > label: Field required"]),
}


@pytest.mark.parametrize("data, problems", BROKEN_TOP.values(), ids=list(BROKEN_TOP))
def test_a_broken_template_says_where_and_what_in_readable_words(
    data: dict[str, Any], problems: list[str]
) -> None:
    assert _problems(data) == problems


# test_templates' good file without its signature block: the lines pinned below are its
GOOD_TEXT = GOOD[: GOOD.index("      - id: supervisor_signature")]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _load_error(tmp_path: Path, text: str) -> TemplateError:
    with pytest.raises(TemplateError) as raised:
        load_template(_write(tmp_path, "agency-form.yaml", text))
    return raised.value


def test_each_problem_in_a_file_is_given_the_line_it_is_on(tmp_path: Path) -> None:
    text = (GOOD_TEXT.replace("title: Agency form\n", "")
            .replace("kind: choice", "kind: dropdown")
            .replace("{id: by_when, label: By when, kind: date}",
                     "{id: by_when, label: By when, kind: date, colour: red}"))
    error = _load_error(tmp_path, text)
    assert str(error) == (
        "agency-form.yaml: title: Field required; "
        "sections[1] 'first' > fields[1] 'mood' > kind: Input should be 'text', 'longtext', "
        "'date', 'time', 'duration', 'yesno', 'choice', 'multichoice', 'person', 'table' or "
        "'signature'; "
        "sections[1] 'first' > fields[2] 'agreed_actions' > columns[2] 'by_when' > colour: "
        "Extra inputs are not permitted")
    assert error.located == [
        (1, "title: Field required"),
        (14, "sections[1] 'first' > fields[1] 'mood' > kind: Input should be 'text', "
             "'longtext', 'date', 'time', 'duration', 'yesno', 'choice', 'multichoice', "
             "'person', 'table' or 'signature'"),
        (23, "sections[1] 'first' > fields[2] 'agreed_actions' > columns[2] 'by_when' > "
             "colour: Extra inputs are not permitted"),
    ]


def test_a_rule_broken_inside_a_field_is_on_the_fields_line(tmp_path: Path) -> None:
    error = _load_error(tmp_path, GOOD_TEXT.replace("        options: [Well, Not so well]\n",
                                                    ""))
    assert error.located == [
        (14, "sections[1] 'first' > fields[1] 'mood': field 'mood' of kind choice needs "
             "options")]


def test_problems_checked_without_the_files_text_are_all_on_line_one() -> None:
    with pytest.raises(TemplateError) as raised:
        parse_template(_data({"id": "mood", "kind": "choice", "label": "Mood"},
                             {"id": "who", "kind": "person", "label": "Who"}),
                       Path("/somewhere/agency-form.yaml"))
    assert raised.value.located == [
        (1, "sections[1] 'first' > fields[1] 'mood': field 'mood' of kind choice needs "
            "options"),
        (1, "sections[1] 'first' > fields[2] 'who': field 'who' of kind person needs "
            "person_kind"),
    ]
    assert raised.value.path == Path("/somewhere/agency-form.yaml")


UNREADABLE = {
    "a colon in a title": (
        GOOD_TEXT.replace("title: First section", "title: First: section"),
        "agency-form.yaml: line 12: not valid YAML (mapping values are not allowed in this "
        "context)",
        [(12, "not valid YAML (mapping values are not allowed in this context)")]),
    "a list, not a mapping": (
        "- id: agency-form\n- version: 1\n",
        "agency-form.yaml: must be a mapping of template keys",
        [(1, "must be a mapping of template keys")]),
    "only a string": (
        "agency form\n", "agency-form.yaml: must be a mapping of template keys",
        [(1, "must be a mapping of template keys")]),
    "an empty file": ("", "agency-form.yaml: is empty", [(1, "is empty")]),
}


@pytest.mark.parametrize("text, message, located", UNREADABLE.values(), ids=list(UNREADABLE))
def test_a_file_that_is_not_a_template_at_all_is_named_with_why(
    tmp_path: Path, text: str, message: str, located: list[tuple[int, str]]
) -> None:
    error = _load_error(tmp_path, text)
    assert str(error) == message
    assert error.located == located


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as raised:
        load_template(str(tmp_path / "gone.yaml"))
    assert str(raised.value) == "gone.yaml: does not exist (was it moved or deleted?)"


# --- a folder of templates ------------------------------------------------------------


def _form(template_id: str, title: str) -> str:
    return GOOD_TEXT.replace("id: agency-form", f"id: {template_id}").replace(
        "title: Agency form", f"title: {title}")


def test_a_folder_loads_its_yaml_files_in_name_order_and_reports_each_broken_one(
    tmp_path: Path,
) -> None:
    _write(tmp_path, "c-form.yaml", _form("c-form", "C"))
    _write(tmp_path, "a-broken.yaml", GOOD_TEXT.replace("kind: choice", "kind: dropdown"))
    _write(tmp_path, "b-form.yaml", _form("b-form", "B"))
    _write(tmp_path, "b-copy.yaml", _form("c-form", "C copy"))  # loads before c-form.yaml
    _write(tmp_path, "d-copy.yaml", _form("b-form", "B copy"))
    _write(tmp_path, "e-empty.yaml", "")
    _write(tmp_path, "f-form.yaml", _form("f-form", "F"))
    _write(tmp_path, "g-form.yml", _form("g-form", "G"))  # not .yaml: not a template
    _write(tmp_path, "README.md", "# Our forms\n")

    loaded = load_directory(tmp_path)

    assert [(t.id, t.title) for t in loaded.templates] == [
        ("c-form", "C copy"), ("b-form", "B"), ("f-form", "F")]
    assert [str(error) for error in loaded.errors] == [
        "a-broken.yaml: sections[1] 'first' > fields[1] 'mood' > kind: Input should be "
        "'text', 'longtext', 'date', 'time', 'duration', 'yesno', 'choice', 'multichoice', "
        "'person', 'table' or 'signature'",
        "c-form.yaml: id 'c-form' is already used",
        "d-copy.yaml: id 'b-form' is already used",
        "e-empty.yaml: is empty",
    ]
    assert loaded.errors[1].path == tmp_path / "c-form.yaml"


def test_a_catalogue_finds_a_template_by_id_or_says_it_has_none(tmp_path: Path) -> None:
    first, second = _template(), _template(title="Agency form, later")
    other = _template(id="other-form")
    catalogue = TemplateCatalogue((other, first, second), ())
    assert catalogue.get("agency-form") is first
    assert catalogue.find("agency-form") is first
    assert catalogue.find("other-form") is other
    assert catalogue.find("missing-form") is None
    with pytest.raises(KeyError, match="missing-form"):
        catalogue.get("missing-form")


# --- the template model ---------------------------------------------------------------


def test_a_field_is_found_by_id_across_sections_and_a_missing_one_is_a_key_error() -> None:
    template = _template(sections=[
        {"id": "one", "title": "One", "fields": [{"id": "a", "kind": "text", "label": "A"}]},
        {"id": "two", "title": "Two", "fields": []},
        {"id": "three", "title": "Three",
         "fields": [{"id": "b", "kind": "text", "label": "B"},
                    {"id": "c", "kind": "date", "label": "C"}]}])
    assert [f.id for f in template.fields()] == ["a", "b", "c"]
    assert template.field("c").label == "C"
    assert template.field("a").label == "A"
    assert template.key == ("agency-form", 1)
    with pytest.raises(KeyError, match="'d'"):
        template.field("d")


CARER_FORM = _template(audience="both", sections=[
    {"id": "about", "title": "About", "fields": [{"id": "a", "kind": "text", "label": "A"}]},
    {"id": "manager", "title": "Manager's view", "staff_only": True,
     "fields": [{"id": "b", "kind": "text", "label": "B"},
                {"id": "c", "kind": "yesno", "label": "C"}]},
    {"id": "next", "title": "Next", "fields": [{"id": "d", "kind": "text", "label": "D"}]},
    {"id": "notes", "title": "Notes", "staff_only": True, "fields": []},
])


def test_a_carer_copy_leaves_out_the_staff_only_sections_and_their_values() -> None:
    assert CARER_FORM.staff_only_sections() == ("manager", "notes")
    copy_ = CARER_FORM.carer_copy()
    assert [s.id for s in copy_.sections] == ["about", "next"]
    assert copy_.title == "Agency form" and copy_.audience == "both"
    assert [s.id for s in CARER_FORM.sections] == ["about", "manager", "next", "notes"]
    values = {"a": "kept", "b": "left out", "c": False, "d": "kept too", "z": "not a field"}
    assert CARER_FORM.carer_values(values) == {"a": "kept", "d": "kept too",
                                               "z": "not a field"}


def test_a_form_with_no_staff_only_section_is_the_same_in_a_carer_copy() -> None:
    template = _template({"id": "a", "kind": "text", "label": "A"})
    assert template.staff_only_sections() == ()
    assert template.carer_copy() == template
    assert template.carer_values({"a": "x"}) == {"a": "x"}


def _section(title: str, *labels: str) -> Section:
    fields = tuple(TemplateField(id=f"f{n}", kind="longtext", label=label)
                   for n, label in enumerate(labels))
    return Section(id="s", title=title, fields=fields)


TITLE_REPEATS = {
    "one field labelled as the section": (_section("Decision", "Decision"), True),
    "the same words with spaces round them": (_section(" Decision", "Decision \n"), True),
    "one field with its own label": (_section("Decision", "Rationale"), False),
    "two fields, the first labelled as the section": (
        _section("Decision", "Decision", "Rationale"), False),
    "no fields": (_section("Decision"), False),
}


@pytest.mark.parametrize("section, repeats", TITLE_REPEATS.values(), ids=list(TITLE_REPEATS))
def test_a_section_shows_its_words_once_when_its_only_field_repeats_them(
    section: Section, repeats: bool
) -> None:
    assert section.title_repeats_field is repeats


SOURCES = {
    "with a section and its seed file": (
        {"reference": "Appendix B (000_2f73382fddf12733.txt)"},
        "Example Agency — Supervision Policy — Appendix B", "Supervision Policy — Appendix B"),
    "seed file without brackets": (
        {"reference": "Section 7 001_c36bc96d2f7751be.txt"},
        "Example Agency — Supervision Policy — Section 7", "Supervision Policy — Section 7"),
    "only a seed file as reference": (
        {"reference": "(000_2f73382fddf12733.txt)"},
        "Example Agency — Supervision Policy", "Supervision Policy"),
    "no reference": ({}, "Example Agency — Supervision Policy", "Supervision Policy"),
    "a reference with a number that is no seed file": (
        {"reference": "Section 123_4 (2024)"},
        "Example Agency — Supervision Policy — Section 123_4 (2024)",
        "Supervision Policy — Section 123_4 (2024)"),
}


@pytest.mark.parametrize("extra, shown, document", SOURCES.values(), ids=list(SOURCES))
def test_a_source_is_shown_without_the_developers_seed_file_names(
    extra: dict[str, str], shown: str, document: str
) -> None:
    source = Source(**SOURCE, **extra)
    assert source.shown() == shown
    assert source.document_shown() == document


def test_a_source_can_be_shown_with_another_separator() -> None:
    source = Source(**SOURCE, reference="Appendix B (000_2f73382fddf12733.txt)")
    assert source.shown(", ") == "Example Agency, Supervision Policy, Appendix B"


TINY = {"id": "tiny-form", "version": 2, "title": "Café note", "category": "oversight",
        "subject_kind": "none",
        "source": {**SOURCE, "document": "Policy"},
        "sections": [{"id": "only", "title": "Only",
                      "fields": [{"id": "note", "kind": "text", "label": "Note"}]}]}


def test_the_snapshot_stored_with_a_record_is_canonical_json() -> None:
    assert Template.model_validate(TINY).snapshot() == (
        '{"audience": "staff", "category": "oversight", "id": "tiny-form", "notice": "", '
        '"per_child": false, "sections": [{"fields": [{"columns": [], "guidance": [], '
        '"id": "note", "kind": "text", "label": "Note", "options": [], "person_kind": null, '
        '"preset_rows": [], "required": false, "role": null, "signer": ""}], '
        '"guidance": [], "id": "only", "staff_only": false, "title": "Only"}], '
        '"source": {"document": "Policy", "organisation": "Example Agency", '
        '"reference": "", "seed": "999_0123456789abcdef.txt"}, "subject_kind": "none", '
        '"title": "Café note", "version": 2}')


def test_a_snapshot_reads_back_once_and_is_shared() -> None:
    data = copy.deepcopy(TINY)
    data["title"] = "Shared snapshot note"
    text = Template.model_validate(data).snapshot()
    first = Template.from_snapshot(text)
    assert first.title == "Shared snapshot note" and first.key == ("tiny-form", 2)
    assert Template.from_snapshot(text) is first


class _AgencyTemplate(Template):
    """A subclass reads its own snapshots (the shared copies are plain templates)."""


def test_a_subclass_reads_a_snapshot_as_itself() -> None:
    text = Template.model_validate(TINY).snapshot()
    read = _AgencyTemplate.from_snapshot(text)
    assert type(read) is _AgencyTemplate
    assert read.title == "Café note"
    assert type(Template.from_snapshot(text)) is Template


TINY_FILLED = {**TINY, "format": 2, "version": 3, "title": "Note", "subject_kind": "child",
               "sections": [{"id": "only", "title": "Only", "fields": [
                   {"id": "held_on", "kind": "date", "label": "Date", "fills": "session_date"},
                   {"id": "note", "kind": "text", "label": "Note"}]}]}


def test_a_format_2_snapshot_keeps_its_format_and_fills_only_where_used() -> None:
    assert Template.model_validate(TINY_FILLED).snapshot() == (
        '{"audience": "staff", "category": "oversight", "format": 2, "id": "tiny-form", '
        '"notice": "", "per_child": false, "sections": [{"fields": [{"columns": [], '
        '"fills": "session_date", "guidance": [], "id": "held_on", "kind": "date", '
        '"label": "Date", "options": [], "person_kind": null, "preset_rows": [], '
        '"required": false, "role": null, "signer": ""}, {"columns": [], "guidance": [], '
        '"id": "note", "kind": "text", "label": "Note", "options": [], "person_kind": null, '
        '"preset_rows": [], "required": false, "role": null, "signer": ""}], '
        '"guidance": [], "id": "only", "staff_only": false, "title": "Only"}], '
        '"source": {"document": "Policy", "organisation": "Example Agency", '
        '"reference": "", "seed": "999_0123456789abcdef.txt"}, "subject_kind": "child", '
        '"title": "Note", "version": 3}')


# --- filled in from what the app knows (format 2) -------------------------------------


def _fills(fact: str, kind: str, field_id: str = "extra") -> dict[str, Any]:
    return {"id": field_id, "kind": kind, "label": "X", "fills": fact}


BROKEN_FILLS = {
    "a format newer than this app reads": (
        _data(format=4),
        ["template: it is written in template format 4, which a newer version of "
         "Supervision Desktop reads: update the application"]),
    "format 0": (_data(format=0), ["format: Input should be greater than or equal to 1"]),
    "fills without format 2": (
        _data(_fills("session_date", "date", "held_on")),
        ["template: field 'held_on' uses fills, which needs format: 2 at the top of the "
         "file"]),
    "the session date filled by a text field": (
        _with(_fills("session_date", "text")) | {"format": 2},
        [f"{AT_FIELD}: field 'extra' fills session_date, so it must be of kind date"]),
    "the subject filled by a date field": (
        _with(_fills("subject", "date")) | {"format": 2},
        [f"{AT_FIELD}: field 'extra' fills subject, so it must be of kind person or text"]),
    "the carers filled by a person field": (
        _with({**_fills("carers", "person"), "person_kind": "carer"}) | {"format": 2},
        [f"{AT_FIELD}: field 'extra' fills carers, so it must be of kind text or longtext"]),
    "an unknown fact": (
        _with(_fills("postcode", "text")) | {"format": 2},
        [f"{AT_FIELD} > fills: Input should be 'session_date', 'subject', 'supervisor', "
         "'carers', 'date_of_birth' or 'children_placed'"]),
    "the children placed filled by a longtext": (
        _with(_fills("children_placed", "longtext")) | {"format": 2},
        [f"{AT_FIELD}: field 'extra' fills children_placed, so it must be of kind table"]),
    "the children placed in a table whose first column is a date": (
        _with({**TABLE, **_fills("children_placed", "table"),
               "columns": [{"id": "since", "label": "Since", "kind": "date"},
                           {"id": "name", "label": "Name"}]}) | {"format": 2},
        [f"{AT_FIELD}: table 'extra' fills children_placed, so its first column (the "
         "child's name) must be text or person"]),
    "two fields filling the session date": (
        _data(_fills("session_date", "date", "held_on"), _fills("session_date", "date", "on"),
              format=2),
        ["template: only one field may fill session_date: held_on, on"]),
    "two fields filling the subject": (
        _data(_fills("subject", "text", "about"), _fills("subject", "text", "who"),
              format=2),
        ["template: only one field may fill subject: about, who"]),
    "a subject to fill on a form about no one": (
        _data(_fills("subject", "text", "about"), format=2, subject_kind="none"),
        ["template: a template about no one (subject_kind: none) has no subject to fill"]),
}


@pytest.mark.parametrize("data, problems", BROKEN_FILLS.values(), ids=list(BROKEN_FILLS))
def test_a_broken_fills_or_format_is_named_with_the_rule(
    data: dict[str, Any], problems: list[str]
) -> None:
    assert _problems(data) == problems


FILLED = _template(
    {"id": "note", "kind": "text", "label": "Note"},
    _fills("session_date", "date", "held_on"),
    {**_fills("subject", "person", "supervisee"), "person_kind": "supervisee"},
    {**_fills("supervisor", "person", "supervisor"), "person_kind": "supervisor"},
    _fills("carers", "longtext", "carers_present"),
    _fills("date_of_birth", "date", "dob"),
    {**_fills("children_placed", "table", "placements"),
     "columns": [{"id": "child", "label": "Child", "kind": "person", "person_kind": "child"},
                 {"id": "progress", "label": "Progress", "kind": "longtext"}]},
    format=2,
)
FACTS = {"session_date": "2026-11-22", "subject": "Jo Bloggs",
         "supervisor": "Priya Sampleton", "carers": "Sam Carter and Alex Carter",
         "date_of_birth": "2016-03-04", "children_placed": ["Kai Example", "Lee Example"]}


def test_the_header_field_is_the_one_that_fills_the_fact() -> None:
    assert FILLED.header_field("session_date") is FILLED.field("held_on")
    assert FILLED.header_field("subject") is FILLED.field("supervisee")
    assert _template({"id": "note", "kind": "text", "label": "Note"}).header_field(
        "session_date") is None


def test_an_empty_form_is_filled_with_every_known_fact() -> None:
    assert FILLED.filled_from(FACTS, {"note": "Hello"}) == {
        "note": "Hello", "held_on": "2026-11-22", "supervisee": "Jo Bloggs",
        "supervisor": "Priya Sampleton", "carers_present": "Sam Carter and Alex Carter",
        "dob": "2016-03-04",
        "placements": [{"child": "Kai Example"}, {"child": "Lee Example"}]}


def test_the_date_and_subject_follow_the_header_but_typed_details_are_kept() -> None:
    typed = {"held_on": "2026-11-01", "supervisee": "Ana Testwood",
             "supervisor": "Dana Placeholder", "carers_present": "Sam Carter only",
             "dob": "2016-03-05", "placements": [{"progress": "Settled well"}]}
    assert FILLED.filled_from(FACTS, typed) == {
        "held_on": "2026-11-22", "supervisee": "Jo Bloggs",
        "supervisor": "Dana Placeholder", "carers_present": "Sam Carter only",
        "dob": "2016-03-05", "placements": [{"progress": "Settled well"}]}
    assert typed["held_on"] == "2026-11-01"  # the values given are not changed


def test_an_emptied_header_empties_its_field_and_an_unknown_fact_fills_nothing() -> None:
    values = {"held_on": "2026-11-01", "supervisee": "Ana Testwood", "note": "Hello",
              "carers_present": "  "}
    facts = {"session_date": None, "subject": "", "supervisor": None, "carers": "",
             "date_of_birth": None, "children_placed": []}
    assert FILLED.filled_from(facts, values) == {"note": "Hello", "carers_present": "  "}


def test_a_blank_detail_is_filled_and_facts_not_given_leave_their_fields_alone() -> None:
    values = {"held_on": "2026-11-01", "carers_present": " \n", "supervisor": "",
              "placements": [{"child": " ", "progress": ""}]}
    facts = {"carers": "Sam Carter", "supervisor": "Priya Sampleton",
             "children_placed": ["Kai Example"]}
    assert FILLED.filled_from(facts, values) == {
        "held_on": "2026-11-01", "carers_present": "Sam Carter",
        "supervisor": "Priya Sampleton", "placements": [{"child": "Kai Example"}]}


def test_a_value_of_the_wrong_shape_is_kept_for_validation_to_report() -> None:
    values = {"dob": 20160304}
    filled = FILLED.filled_from({"date_of_birth": "2016-03-04"}, values)
    assert filled == {"dob": 20160304}
    assert validate_values(FILLED, filled) == ["dob: must be a date written 2026-11-22"]
