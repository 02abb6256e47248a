"""The shipped templates and the template format an agency edits.

Every shipped form loads and keeps the invariants the application relies on; a broken
file is reported by file and field and never stops the other forms loading; the format
README documents every key and kind, and its example works; a record keeps the template
version it was written with.
"""

from __future__ import annotations

import json
import re
import shutil
import typing
from pathlib import Path

import pytest

from supervision_desktop.cli import run
from supervision_desktop.domain.templates import (
    Column,
    ColumnKind,
    FieldKind,
    Section,
    Template,
    TemplateError,
    TemplateField,
    load_directory,
    load_template,
    missing_required,
    validate_values,
)
from supervision_desktop.errors import TemplateProblem
from supervision_desktop.paths import templates_dir
from supervision_desktop.services.records import create_record, get_record, list_records
from supervision_desktop.services.templates import catalogue
from supervision_desktop.store.vault import Vault
from tests.sample_values import fill_every_field

SHIPPED_IDS = {
    "front-sheet",
    "agreement-bct",
    "agreement-lambeth",
    "staff-supervision-social-worker",
    "staff-supervision-manager",
    "monitoring-sheet",
    "case-discussion-family",
    "case-discussion-cla",
    "reflective-group-discussion",
    "professional-supervision",
    "personal-supervision",
    "case-supervision-sos",
    "foster-carer-supervision",
    "management-oversight",
    # not a seed form: the carer's answer to a record sent to them, in the words of the
    # foster carers' forum (000): "a true reflection of what was said"
    "carer-response",
}

# Forms whose source prints no signature line. The front sheet and monitoring sheet are
# documents kept on the supervision file (001, 004 §12.2); Lambeth's case discussion and
# reflective discussion tools (003 Appendices B-D) are recorded straight onto the child's
# file. Every other form is a record the seed has signed or signed off.
UNSIGNED_IN_SEED = {
    "front-sheet",
    "monitoring-sheet",
    "case-discussion-family",
    "case-discussion-cla",
    "reflective-group-discussion",
}
# Where the seed prints a named signing line, that signer must have a signature block.
NAMED_SIGNERS_IN_SEED = {
    "agreement-bct": {"Supervisor", "Supervisee"},  # 001 "Signed (Supervisor)" ...
    "staff-supervision-social-worker": {"Supervisor", "Supervisee"},  # 001
    "staff-supervision-manager": {"Supervisor", "Supervisee"},  # 001
    "agreement-lambeth": {"Supervisor", "Supervisee"},  # 003 Appendix A "Signed"
}

SEED_FILE_NAME = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
SHIPPED = catalogue().templates
README = templates_dir() / "README.md"


def _each(templates: tuple[Template, ...] = SHIPPED) -> typing.Any:
    return pytest.mark.parametrize("template", templates, ids=[t.id for t in templates])


def _tables(template: Template) -> list[TemplateField]:
    return [f for f in template.fields() if f.kind is FieldKind.TABLE]


def _signatures(template: Template) -> list[TemplateField]:
    return [f for f in template.fields() if f.kind is FieldKind.SIGNATURE]


# --- the shipped library -------------------------------------------------------------


def test_every_shipped_template_loads_without_errors() -> None:
    loaded = load_directory(templates_dir())
    assert [str(error) for error in loaded.errors] == []
    assert catalogue().errors == ()
    assert {t.id for t in loaded.templates} == {t.id for t in SHIPPED}


def test_exactly_the_shipped_forms_are_the_seeds_fourteen_and_the_carer_response() -> None:
    assert sorted(t.id for t in SHIPPED) == sorted(SHIPPED_IDS)


def test_each_file_is_named_after_its_template_id() -> None:
    files = sorted(templates_dir().glob("*.yaml"))
    assert {path.stem for path in files} == SHIPPED_IDS
    for path in files:
        assert load_template(path).id == path.stem, path.name


@_each()
def test_ids_are_unique_and_every_heading_and_label_has_words(template: Template) -> None:
    section_ids = [s.id for s in template.sections]
    field_ids = [f.id for f in template.fields()]
    assert len(set(section_ids)) == len(section_ids)
    assert len(set(field_ids)) == len(field_ids)
    assert template.title.strip() == template.title != ""
    for section in template.sections:
        assert section.title.strip() == section.title != "", section.id
        assert all(line.strip() for line in section.guidance), section.id
    for field in template.fields():
        assert field.label.strip() == field.label != "", field.id
        assert all(line.strip() for line in field.guidance), field.id
        assert len(set(field.options)) == len(field.options), field.id
        column_ids = [c.id for c in field.columns]
        assert len(set(column_ids)) == len(column_ids), field.id
        for column in field.columns:
            assert column.label.strip() == column.label != "", f"{field.id}.{column.id}"
            assert len(set(column.options)) == len(column.options), f"{field.id}.{column.id}"


@_each()
def test_source_names_a_seed_document(template: Template) -> None:
    # CI checks the repository out with shared/ beside it, so check the name's shape
    # (NNN_<16 hex>.txt), not that the file is on this machine.
    assert SEED_FILE_NAME.match(template.source.seed), template.source.seed
    assert template.source.organisation.strip()
    assert template.source.document.strip()
    assert template.version >= 1


@_each()
def test_every_signed_record_has_a_required_signature(template: Template) -> None:
    signatures = _signatures(template)
    if template.id in UNSIGNED_IN_SEED:
        return  # the seed prints no signing line for this form (see UNSIGNED_IN_SEED)
    assert signatures, f"{template.id} has no signature field"
    assert any(f.required for f in signatures), f"{template.id}: no signature is required"
    signers = {f.signer for f in signatures}
    assert NAMED_SIGNERS_IN_SEED.get(template.id, set()) <= signers


def test_signature_expectations_name_only_shipped_forms() -> None:
    assert UNSIGNED_IN_SEED <= SHIPPED_IDS
    assert set(NAMED_SIGNERS_IN_SEED) <= SHIPPED_IDS - UNSIGNED_IN_SEED


@_each()
def test_every_action_table_has_a_text_action_column(template: Template) -> None:
    for table in _tables(template):
        if table.role is None:
            continue
        columns = {c.id: c for c in table.columns}
        assert "action" in columns, f"{template.id}.{table.id}"
        assert columns["action"].kind in (ColumnKind.TEXT, ColumnKind.LONGTEXT)


def test_action_tables_exist_where_actions_are_tracked() -> None:
    with_actions = {t.id for t in SHIPPED if any(f.role == "actions" for f in _tables(t))}
    # The staff supervision records and the Lambeth tools all end with an actions table.
    assert {"staff-supervision-manager", "professional-supervision",
            "case-discussion-family"} <= with_actions


@_each()
def test_a_value_in_every_field_is_accepted_and_the_snapshot_round_trips(
    template: Template,
) -> None:
    values = fill_every_field(template, "Jo Bloggs")
    values |= {f.id: "2026-11-22" if f.fills == "session_date" else "Jo Bloggs"
               for f in template.fields() if f.asked_in_header}  # what the header gives
    assert validate_values(template, values) == []
    assert missing_required(template, values) == []
    assert Template.from_snapshot(template.snapshot()) == template


# --- the three Birmingham file documents ---------------------------------------------


def test_monitoring_sheet_has_the_seed_columns_typed() -> None:
    sheet = catalogue().get("monitoring-sheet")
    sessions = next(f for f in sheet.fields() if f.kind is FieldKind.TABLE)
    assert [(c.label, c.kind.value) for c in sessions.columns] == [
        ("Date", "date"),
        ("Time", "time"),
        ("Completed (YES/NO)", "yesno"),
        ("Date Rescheduled for", "date"),
        ("Any comments", "text"),
        ("Reasons for postponement", "text"),
    ]


def test_front_sheet_holds_what_kent_asks_for() -> None:
    sheet = catalogue().get("front-sheet")
    labels = " | ".join(f.label for f in sheet.fields()).lower()
    for needed in ("name of supervisor", "name of supervisee", "job title", "next of kin",
                   "emergency contacts", "business use"):
        assert needed in labels
    contacts = sheet.field("emergency_contacts")
    assert contacts.kind is FieldKind.TABLE and len(contacts.columns) >= 3


def test_bct_agreement_is_signed_by_both_and_records_the_venue() -> None:
    agreement = catalogue().get("agreement-bct")
    assert [s.title for s in agreement.sections][1:-1] == [
        "Vision and Purpose", "Frequency", "Duration of Sessions", "Cancellation",
        "Supervisee Responsibility", "Agenda and Content",
    ]
    assert agreement.field("venue").kind is FieldKind.TEXT
    unsigned = missing_required(agreement, {"supervisor_name": "A", "supervisee_name": "B"})
    assert [f.signer for f in unsigned] == ["Supervisor", "Supervisee"]


# --- broken files --------------------------------------------------------------------

GOOD = """\
id: agency-form
version: 1
title: Agency form
category: supervision
subject_kind: supervisee
source:
  organisation: Example Agency
  document: Supervision Policy
  seed: 999_0123456789abcdef.txt
sections:
  - id: first
    title: First section
    fields:
      - id: mood
        kind: choice
        label: How are you?
        options: [Well, Not so well]
      - id: agreed_actions
        kind: table
        label: Actions
        role: actions
        columns:
          - {id: action, label: Task}
          - {id: by_when, label: By when, kind: date}
      - id: supervisor_signature
        kind: signature
        label: Signed (Supervisor)
        signer: Supervisor
"""

MOOD = "      - id: mood\n        kind: choice\n"
BROKEN = {
    # name: (file text, words the message must contain besides the file name)
    "unknown key": (GOOD.replace(MOOD, MOOD + "        colour: red\n"), ["'mood'", "colour"]),
    "unknown kind": (GOOD.replace("kind: choice", "kind: dropdown"), ["'mood'", "kind"]),
    "duplicate field id": (GOOD.replace("id: agreed_actions", "id: mood"),
                           ["repeated", "mood"]),
    "choice without options": (GOOD.replace("        options: [Well, Not so well]\n", ""),
                               ["'mood'", "needs options"]),
    "action table without action": (GOOD.replace("{id: action, label", "{id: task, label"),
                                     ["'agreed_actions'", "column 'action'"]),
    "signature without signer": (GOOD.replace("        signer: Supervisor\n", ""),
                                 ["'supervisor_signature'", "needs signer"]),
    "unknown top-level key": (GOOD + "colour: red\n", ["colour"]),
    "bad YAML": (GOOD.replace("title: First section", "title: First: section"),
                 ["line 12", "not valid YAML"]),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_template_names_the_file_and_the_field(case: str, tmp_path: Path) -> None:
    text, words = BROKEN[case]
    path = tmp_path / "agency-form.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        load_template(path)
    message = str(raised.value)
    assert message.startswith("agency-form.yaml: ")
    for word in words:
        assert word in message


def test_the_good_example_used_above_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "agency-form.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_template(path).key == ("agency-form", 1)


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "agency-form.yaml"
    path.write_bytes(GOOD.replace("Agency form", "Café form").encode("cp1252"))
    with pytest.raises(TemplateError, match=r"^agency-form\.yaml: is not UTF-8 text$"):
        load_template(path)


def test_a_broken_file_does_not_stop_the_others_loading(tmp_path: Path) -> None:
    for template_id in ("front-sheet", "monitoring-sheet"):
        shutil.copy(templates_dir() / f"{template_id}.yaml", tmp_path)
    (tmp_path / "agency-form.yaml").write_text(
        GOOD.replace("kind: choice", "kind: dropdown"), encoding="utf-8")
    # Loaded after front-sheet.yaml (files load in name order), so this one is refused.
    (tmp_path / "second-front-sheet.yaml").write_bytes(
        (templates_dir() / "front-sheet.yaml").read_bytes())

    loaded = catalogue(tmp_path)

    assert sorted(t.id for t in loaded.templates) == ["front-sheet", "monitoring-sheet"]
    problems = sorted(str(error) for error in loaded.errors)
    assert len(problems) == 2
    assert problems[0].startswith("agency-form.yaml: ") and "'mood'" in problems[0]
    assert problems[1] == "second-front-sheet.yaml: id 'front-sheet' is already used"


# --- templates check on the command line ---------------------------------------------


def test_templates_check_passes_good_files_and_names_broken_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "agency-form.yaml"
    good.write_text(GOOD, encoding="utf-8")
    assert run(["templates", "check", str(good)]) == 0
    assert capsys.readouterr().out.strip() == f"{good}: ok (agency-form version 1)"

    broken = tmp_path / "broken-form.yaml"
    broken.write_text(GOOD.replace("        options: [Well, Not so well]\n", ""),
                      encoding="utf-8")
    assert run(["templates", "check", str(good), str(broken)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{good}: ok (agency-form version 1)"
    assert lines[1].startswith(f"{broken}: ")
    assert "'mood'" in lines[1] and "needs options" in lines[1]

    assert run(["templates", "check", "--json", str(broken)]) == 1
    [result] = json.loads(capsys.readouterr().out)
    assert result["ok"] is False and "needs options" in result["problems"][0]


def test_templates_check_accepts_every_shipped_file(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(p) for p in templates_dir().glob("*.yaml"))
    assert run(["templates", "check", *files]) == 0
    assert capsys.readouterr().out.count(": ok (") == len(SHIPPED_IDS)


# --- the format README ---------------------------------------------------------------


def _literal_values(annotation: typing.Any) -> set[str]:
    values: set[str] = set()
    for arg in typing.get_args(annotation):
        values |= _literal_values(arg) if typing.get_args(arg) else {arg}
    return {v for v in values if isinstance(v, str)}


def test_readme_documents_every_key_kind_and_value() -> None:
    readme = README.read_text(encoding="utf-8")
    keys: set[str] = set()
    for model in (Template, Section, TemplateField, Column):
        keys |= set(model.model_fields)
    words = keys | {"organisation", "document", "seed", "reference"}
    words |= {kind.value for kind in FieldKind} | {kind.value for kind in ColumnKind}
    for model, name in ((Template, "category"), (Template, "subject_kind"),
                        (Template, "audience"), (TemplateField, "person_kind"),
                        (TemplateField, "role"), (TemplateField, "fills"),
                        (TemplateField, "content")):
        words |= _literal_values(model.model_fields[name].annotation)
    undocumented = sorted(w for w in words if f"`{w}`" not in readme)
    assert undocumented == []
    assert "supervision-desktop templates check" in readme


def test_readme_example_is_valid_and_its_data_file_fits_it(tmp_path: Path) -> None:
    readme = README.read_text(encoding="utf-8")
    [example_yaml] = re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
    [example_json] = re.findall(r"```json\n(.*?)```", readme, re.DOTALL)
    path = tmp_path / "example.yaml"
    path.write_text(example_yaml, encoding="utf-8")
    template = load_template(path)
    data = json.loads(example_json)
    assert set(data) == {"subject", "date", "fields"}
    assert validate_values(template, data["fields"]) == []
    assert missing_required(template, data["fields"]) == []


# --- versions ------------------------------------------------------------------------


def test_a_record_keeps_the_template_version_it_was_written_with(vault: Vault) -> None:
    first = catalogue().get("monitoring-sheet")
    assert first.version == 2
    values = {"supervisor_name": "Morgan Testwell", "supervisee_name": "Jo Bloggs",
              "sessions": [{"session_date": "2026-11-22", "session_time": "14:30",
                            "completed": True}]}
    old_id = create_record(vault, first, session_date="2026-11-22", fields=values)

    header = first.sections[0]
    venue = TemplateField(id="venue", kind=FieldKind.TEXT, label="Venue")
    second = first.model_copy(update={
        "version": 3,
        "title": "Supervision monitoring sheet (revised)",
        "sections": (header.model_copy(update={"fields": (*header.fields, venue)}),
                     *first.sections[1:]),
    })
    new_id = create_record(vault, second, session_date="2026-12-20",
                           fields={**values, "venue": "Room 4"})

    old = get_record(vault, old_id)
    assert old.summary.template_version == 2
    assert old.summary.template_title == "Supervision monitoring sheet"
    assert old.template == first
    assert [f.id for f in old.template.sections[0].fields] == [f.id for f in header.fields]
    assert old.fields == values

    new = get_record(vault, new_id)
    assert new.summary.template_version == 3
    assert new.template.field("venue").label == "Venue"
    titles = {s.id: s.template_title for s in list_records(vault)}
    assert titles == {old_id: "Supervision monitoring sheet",
                      new_id: "Supervision monitoring sheet (revised)"}


def test_a_template_changed_without_a_new_version_is_refused_not_silently_replaced(
    vault: Vault,
) -> None:
    template = catalogue().get("professional-supervision")
    create_record(vault, template)
    edited = template.model_copy(update={"title": template.title + " (edited)"})
    with pytest.raises(TemplateProblem, match="Raise its version number"):
        create_record(vault, edited)
    assert [r.template_title for r in list_records(vault)] == [template.title]


@pytest.mark.parametrize(("kind", "value", "problem"), [
    ("date", "2026-W47-7", "'2026-W47-7' is not a date written 2026-11-22"),  # ISO week date
    ("date", "2026-11-22\n", "'2026-11-22\n' is not a date written 2026-11-22"),
    ("date", "２026-11-22", "'２026-11-22' is not a date written 2026-11-22"),
    ("time", "14:30\n", "must be a time written 14:30"),
    ("time", "1٤:30", "must be a time written 14:30"),  # an Arabic-Indic digit
])
def test_dates_and_times_are_only_the_documented_forms(kind: str, value: str,
                                                       problem: str) -> None:
    template = Template.model_validate({
        "id": "t", "version": 1, "title": "T", "category": "supervision",
        "subject_kind": "none", "source": {"organisation": "O", "document": "D", "seed": "s"},
        "sections": [{"id": "s", "title": "S", "fields": [
            {"id": "when", "kind": kind, "label": "When"}]}]})
    assert validate_values(template, {"when": value}) == [f"when: {problem}"]
    good = "2026-11-22" if kind == "date" else "14:30"
    assert validate_values(template, {"when": good}) == []
