"""Rules of a split export, without a vault: a field's ``content`` in a template (format
3) and how ``domain.split`` cuts a record into the staff-file part and one case extract
per child (Kent §12.1–12.2, Lambeth §2.2 and Appendix E)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from supervision_desktop.domain.split import (
    SplitRefused,
    case_fields,
    children_discussed,
    split_record,
)
from supervision_desktop.domain.templates import (
    FORMAT,
    Template,
    TemplateError,
    load_template,
    parse_template,
)
from supervision_desktop.services.templates import get_template

SOURCE = {"organisation": "Example Agency", "document": "Supervision Policy",
          "seed": "999_0123456789abcdef.txt"}
CHILD = {"id": "child", "label": "Child", "kind": "person", "person_kind": "child"}
TALK = {"id": "talk", "label": "Discussion", "kind": "longtext"}
CASES = {"id": "cases", "kind": "table", "label": "Case discussions", "content": "case",
         "columns": [CHILD, TALK]}


def _data(*fields: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"format": 3, "id": "agency-form", "version": 1, "title": "Agency form",
            "category": "supervision", "subject_kind": "supervisee", "source": dict(SOURCE),
            "sections": [{"id": "first", "title": "First section", "fields": list(fields)}],
            **top}


def _problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(TemplateError) as raised:
        parse_template(data, "agency-form.yaml")
    return raised.value.problems


AT = "sections[1] 'first' > fields[1] 'extra'"
BROKEN_CONTENT = {
    "an unknown content": (
        _data({"id": "extra", "kind": "longtext", "label": "X", "content": "private"}),
        [f"{AT} > content: Input should be 'personal', 'case' or 'shared'"]),
    "case content on a longtext": (
        _data({"id": "extra", "kind": "longtext", "label": "X", "content": "case"}),
        [f"{AT}: field 'extra' is case content, so it must be a table with one column "
         "naming the child (kind person, person_kind child)"]),
    "a case table with no child column": (
        _data({**CASES, "id": "extra", "columns": [
            {**CHILD, "person_kind": "carer"}, {"id": "who", "label": "Who"}, TALK]}),
        [f"{AT}: field 'extra' is case content, so it must be a table with one column "
         "naming the child (kind person, person_kind child)"]),
    "a case table with two child columns": (
        _data({**CASES, "id": "extra", "columns": [CHILD, {**CHILD, "id": "sibling"}]}),
        [f"{AT}: field 'extra' is case content, so it must be a table with one column "
         "naming the child (kind person, person_kind child)"]),
    "content in a format 2 file": (
        _data({"id": "extra", "kind": "longtext", "label": "X", "content": "personal"},
              format=2),
        ["template: field 'extra' uses content, which needs format: 3 at the top of the "
         "file"]),
    "a format newer than this app reads": (
        _data(format=FORMAT + 1),
        [f"template: it is written in template format {FORMAT + 1}, which a newer version "
         "of Supervision Desktop reads: update the application"]),
}


@pytest.mark.parametrize("data, problems", BROKEN_CONTENT.values(), ids=list(BROKEN_CONTENT))
def test_a_bad_content_is_named_with_the_field_and_the_rule(
        data: dict[str, Any], problems: list[str]) -> None:
    assert _problems(data) == problems


def test_a_bad_content_in_a_file_is_one_line_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "agency-form.yaml"
    path.write_text(
        "format: 3\nid: agency-form\nversion: 1\ntitle: Agency form\ncategory: supervision\n"
        "subject_kind: supervisee\nsource:\n  organisation: Example Agency\n"
        "  document: Supervision Policy\n  seed: 999_0123456789abcdef.txt\nsections:\n"
        "  - id: first\n    title: First section\n    fields:\n"
        "      - id: wellbeing\n        kind: longtext\n        label: Wellbeing\n"
        "        content: persnal\n", encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        load_template(path)
    assert raised.value.problems == [
        "sections[1] 'first' > fields[1] 'wellbeing' > content: Input should be "
        "'personal', 'case' or 'shared'"]
    assert raised.value.located[0][0] == 18  # the content: line


def test_each_content_loads_on_the_fields_it_fits() -> None:
    template = Template.model_validate(_data(
        {"id": "who", "kind": "text", "label": "Who", "content": "shared"},
        {"id": "mood", "kind": "longtext", "label": "Mood", "content": "personal"},
        {**CASES, "columns": [TALK, {**CHILD, "id": "name"}]},  # the child column anywhere
        {"id": "other", "kind": "text", "label": "Other"}))
    assert [f.content for f in template.fields()] == ["shared", "personal", "case", None]
    assert [f.id for f in case_fields(template)] == ["cases"]
    assert template.field("cases").child_column() == template.field("cases").columns[1]
    assert template.field("who").child_column() is None


def test_content_is_in_the_snapshot_only_where_used() -> None:
    used = json.loads(Template.model_validate(_data(
        {"id": "mood", "kind": "longtext", "label": "Mood", "content": "personal"},
        {"id": "other", "kind": "text", "label": "Other"})).snapshot())
    fields = used["sections"][0]["fields"]
    assert fields[0]["content"] == "personal" and "content" not in fields[1]
    assert "content" not in Template.model_validate(_data(
        {"id": "other", "kind": "text", "label": "Other"}, format=1)).snapshot()


def test_the_staff_supervision_forms_mark_what_is_personal_and_what_is_case_work() -> None:
    for template_id, personal in (
        ("staff-supervision-social-worker",
         {"wellbeing_check", "performance_discussion", "learning_development",
          "welfare_discussion", "appraisal_evidence"}),
        ("staff-supervision-manager",
         {"wellbeing_check", "hr_discussion", "performance_discussion",
          "learning_development", "welfare_discussion", "appraisal_evidence"}),
    ):
        template = get_template(template_id)
        assert (template.format, template.version) == (3, 3)
        assert {f.id for f in template.fields() if f.content == "personal"} == personal
        assert [f.id for f in case_fields(template)] == ["child_case_discussions"]
        assert {f.id for f in template.fields() if f.content == "shared"} == {
            "supervisor_name", "supervisee_name", "supervision_date",
            "supervisor_signature", "supervisee_signature"}
    # Lambeth App. E and Kent §12.2 forms are wholly for the staff file: nothing to split
    for template_id in ("professional-supervision", "personal-supervision"):
        assert case_fields(get_template(template_id)) == ()


# --- the split -------------------------------------------------------------------------

FORM = Template.model_validate(_data(
    {"id": "who", "kind": "text", "label": "Who", "content": "shared"},
    {"id": "mood", "kind": "longtext", "label": "Mood", "content": "personal"},
    {"id": "aob", "kind": "longtext", "label": "Any other business"},
    CASES,
    {"id": "more", "kind": "table", "label": "More", "content": "case",
     "columns": [{"id": "note", "label": "Note"}, CHILD]},
))


def _values(cases: list[Any], more: list[Any] | None = None) -> dict[str, Any]:
    return {"who": "Jo Bloggs", "mood": "Tired", "aob": "Parking", "cases": cases,
            "more": more or []}


def test_the_staff_file_part_is_everything_but_the_case_tables() -> None:
    split = split_record(FORM, _values([{"child": "Amy", "talk": "A"}]))
    assert split.personal.child is None
    assert split.personal.values == {"who": "Jo Bloggs", "mood": "Tired", "aob": "Parking"}
    assert [f.id for f in split.personal.template.fields()] == ["who", "mood", "aob"]


def test_each_child_gets_the_shared_fields_and_only_their_own_rows() -> None:
    split = split_record(FORM, _values(
        [{"child": "Amy Ward", "talk": "A1"}, {"child": "Ben Ward", "talk": "B1"},
         {"child": "  amy   WARD ", "talk": "A2"}],
        [{"note": "B2", "child": "Ben Ward"}, {"note": "C1", "child": "Cal Ward"}]))
    assert [e.child for e in split.extracts] == ["Amy Ward", "Ben Ward", "Cal Ward"]
    amy, ben, cal = (dict(e.values) for e in split.extracts)
    assert amy == {"who": "Jo Bloggs", "cases": [{"child": "Amy Ward", "talk": "A1"},
                                                 {"child": "  amy   WARD ", "talk": "A2"}],
                   "more": []}
    assert ben == {"who": "Jo Bloggs", "cases": [{"child": "Ben Ward", "talk": "B1"}],
                   "more": [{"note": "B2", "child": "Ben Ward"}]}
    assert cal["cases"] == [] and cal["more"] == [{"note": "C1", "child": "Cal Ward"}]
    assert [f.id for f in split.extracts[0].template.fields()] == ["who", "cases", "more"]
    assert [s.id for s in split.extracts[0].template.sections] == ["first"]


def test_empty_sections_are_left_out_of_a_part() -> None:
    form = Template.model_validate(_data(sections=[
        {"id": "me", "title": "Me", "fields": [
            {"id": "mood", "kind": "longtext", "label": "Mood", "content": "personal"}]},
        {"id": "kids", "title": "Children", "fields": [CASES]},
        {"id": "blank", "title": "Text only", "fields": []}]))
    split = split_record(form, {"mood": "Fine", "cases": [{"child": "Amy", "talk": "A"}]})
    assert [s.id for s in split.personal.template.sections] == ["me"]
    assert [s.id for s in split.extracts[0].template.sections] == ["kids"]


def test_a_child_is_named_once_in_the_spelling_first_used() -> None:
    assert children_discussed(FORM, _values(
        [{"child": " Amy  Ward\n", "talk": "A"}, {"child": "AMY WARD", "talk": "B"}],
        [{"note": "x", "child": "amy ward"}])) == ["Amy Ward"]


@pytest.mark.parametrize("row", [
    {"talk": ""}, {"child": "", "talk": "  "}, {"child": None, "talk": None}, {}])
def test_an_empty_row_is_no_discussion(row: dict[str, Any]) -> None:
    split = split_record(FORM, _values([row, {"child": "Amy", "talk": "A"}]))
    assert [e.child for e in split.extracts] == ["Amy"]
    assert split.extracts[0].values["cases"] == [{"child": "Amy", "talk": "A"}]


@pytest.mark.parametrize("cases, more, message", [
    ([{"child": "Amy", "talk": "A"}, {"child": " ", "talk": "Whose?"}], None,
     "Row 2 of \u201cCase discussions\u201d names no child"),
    ([], [{"note": "Whose?"}], "Row 1 of \u201cMore\u201d names no child"),
    ([{"child": 7, "talk": "Seven"}], None, "Row 1 of \u201cCase discussions\u201d"),
])
def test_a_discussion_with_no_child_is_refused(cases: list[Any], more: list[Any] | None,
                                               message: str) -> None:
    with pytest.raises(SplitRefused, match=message):
        split_record(FORM, _values(cases, more))


def test_the_refusal_says_how_to_put_it_right() -> None:
    with pytest.raises(SplitRefused) as refused:
        split_record(FORM, _values(["not a row", {"child": "Amy", "talk": "A"},
                                    {"child": "", "talk": "Whose?"}]))
    assert str(refused.value) == (
        "Row 3 of \u201cCase discussions\u201d names no child, so it cannot go to a child's "
        "file: fill in \u201cChild\u201d (amend the record) and split it again.")


@pytest.mark.parametrize("row", [{"child": 7, "talk": ""}, {"child": ["Amy"]}])
def test_a_child_cell_that_is_not_a_name_is_no_words(row: dict[str, Any]) -> None:
    assert children_discussed(FORM, _values([row, {"child": "Amy", "talk": "A"}])) == ["Amy"]


def test_a_row_that_is_not_a_row_does_not_hide_the_rows_after_it() -> None:
    assert children_discussed(FORM, _values(["not a row", 3, {"child": "Amy", "talk": "A"}])
                              ) == ["Amy"]


def test_a_second_case_table_left_empty_gives_each_child_an_empty_list() -> None:
    split = split_record(FORM, {"cases": [{"child": "Amy", "talk": "A"}]})
    assert split.extracts[0].values["cases"] == [{"child": "Amy", "talk": "A"}]
    assert [f.id for f in case_fields(FORM)] == ["cases", "more"]
    assert split.extracts[0].values["more"] == []


@pytest.mark.parametrize("cases", [[], None, "not rows", ["not a row"], [{"talk": ""}]])
def test_a_record_that_names_no_child_has_nothing_to_split(cases: Any) -> None:
    with pytest.raises(SplitRefused) as refused:
        split_record(FORM, {"who": "Jo", "cases": cases})
    assert str(refused.value) == ("This record discusses no child by name, so there is "
                                  "nothing to split: export it instead.")


def test_a_template_without_case_content_is_refused() -> None:
    form = Template.model_validate(_data(
        {"id": "mood", "kind": "longtext", "label": "Mood", "content": "personal"}))
    with pytest.raises(SplitRefused) as refused:
        split_record(form, {"mood": "Fine"})
    assert str(refused.value) == (
        "This template has no case discussions to split: the whole record belongs on the "
        "staff file. Export it instead.")
