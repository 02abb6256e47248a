"""A new record is filled in from what the vault knows, and asks its date and subject once.

A field's ``fills`` (template format 2) says what it holds: the record's session date and
subject are kept in step with the header on every save; the subject's supervisor, a
household's carers and a child's date of birth fill empty fields when the record is made.
The GUI and ``record create`` go through the same service."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from supervision_desktop.cli import run
from supervision_desktop.domain.record_facts import names_in_words
from supervision_desktop.domain.templates import TemplateError, parse_template
from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import people, records, templates
from supervision_desktop.services.rendering import render_record_pdf
from supervision_desktop.store.vault import Vault
from tests.conftest import OWNER, PASSPHRASE


def _fields(vault: Vault, record_id: str) -> dict:
    return records.get_record(vault, record_id).fields


def test_a_staff_record_is_filled_with_supervisee_supervisor_and_date(vault: Vault) -> None:
    with_supervisor = people.add_person(vault, "supervisee", {
        "name": "Jo Bloggs", "supervisor": "Priya Sampleton"})
    without = people.add_person(vault, "supervisee", {"name": "Rhys Example"})
    form = templates.get_template("personal-supervision")
    first = records.create_record(vault, form, subject_id=with_supervisor.id,
                                  session_date="2026-11-22")
    second = records.create_record(vault, form, subject_id=without.id,
                                   session_date="2026-11-23")
    assert _fields(vault, first) == {"supervisee": "Jo Bloggs",
                                     "supervisor": "Priya Sampleton",
                                     "supervision_date": "2026-11-22"}
    # no supervisor recorded: the vault's owner, who supervises
    assert _fields(vault, second) == {"supervisee": "Rhys Example", "supervisor": OWNER,
                                      "supervision_date": "2026-11-23"}


def test_a_carer_record_names_the_households_carers_and_a_child_record_the_birth_date(
        vault: Vault) -> None:
    household = people.add_person(vault, "carer", {
        "name": "The Carter household", "carers": ["Sam Carter", "Alex Carter"]})
    made = records.create_record(vault, templates.get_template("foster-carer-supervision"),
                                 subject_id=household.id, session_date="2026-11-22")
    filled = _fields(vault, made)
    assert (filled["carer_household"], filled["carers_present"],
            filled["supervising_social_worker"], filled["supervision_date"]) == (
        "The Carter household", "Sam Carter and Alex Carter", OWNER, "2026-11-22")
    child = people.add_person(vault, "child", {"name": "Kai Example", "dob": "2016-03-04"})
    made = records.create_record(vault, templates.get_template("case-discussion-cla"),
                                 subject_id=child.id)
    assert _fields(vault, made) == {"child_name": "Kai Example", "dob": "2016-03-04"}


def test_what_was_typed_is_never_overwritten(vault: Vault) -> None:
    household = people.add_person(vault, "carer", {
        "name": "The Carter household", "carers": ["Sam Carter"]})
    made = records.create_record(
        vault, templates.get_template("foster-carer-supervision"), subject_id=household.id,
        fields={"carers_present": "Sam Carter only (Alex was at work)",
                "supervising_social_worker": "Dana Placeholder"})
    filled = _fields(vault, made)
    assert filled["carers_present"] == "Sam Carter only (Alex was at work)"
    assert filled["supervising_social_worker"] == "Dana Placeholder"


def test_the_date_and_subject_follow_the_header_on_every_save(vault: Vault) -> None:
    jo = people.add_person(vault, "supervisee", {"name": "Jo Bloggs"})
    ana = people.add_person(vault, "supervisee", {"name": "Ana Testwood"})
    made = records.create_record(vault, templates.get_template("personal-supervision"),
                                 subject_id=jo.id, session_date="2026-11-22")
    records.save_draft(vault, made, {"supervisor": OWNER, "workload": "Fine"},
                       subject_id=ana.id, session_date=dt.date(2026, 11, 29))
    assert _fields(vault, made) == {"supervisor": OWNER, "workload": "Fine",
                                    "supervisee": "Ana Testwood",
                                    "supervision_date": "2026-11-29"}
    records.save_draft(vault, made, {"supervisor": OWNER}, session_date=None)  # emptied
    assert _fields(vault, made) == {"supervisor": OWNER, "supervisee": "Ana Testwood"}
    assert records.get_record(vault, made).summary.session_date is None


def test_a_record_about_no_one_keeps_a_typed_name(vault: Vault) -> None:
    made = records.create_record(vault, templates.get_template("personal-supervision"),
                                 fields={"supervisee": "Someone not yet added"})
    assert _fields(vault, made)["supervisee"] == "Someone not yet added"


def test_record_create_takes_the_date_from_the_forms_own_date_field(
        vault_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A data file written before the date was asked once still works; two dates that
    disagree are refused rather than one silently winning."""
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    common = ["--vault", str(vault_folder)]
    person = tmp_path / "person.json"
    person.write_text(json.dumps({"name": "Jo Bloggs"}), encoding="utf-8")
    assert run(["person", "add", "--kind", "supervisee", "--data", str(person), *common]) == 0
    subject = capsys.readouterr().out.strip()
    data = tmp_path / "record.json"
    data.write_text(json.dumps({"subject": subject,
                                "fields": {"supervision_date": "2026-11-20"}}))
    assert run(["record", "create", "--template", "personal-supervision", "--data",
                str(data), *common]) == 0
    record_id = capsys.readouterr().out.strip()
    assert run(["record", "show", record_id, "--json", *common]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["date"], shown["fields"]["supervisee"], shown["fields"]["supervisor"]) == (
        "2026-11-20", "Jo Bloggs", OWNER)
    data.write_text(json.dumps({"subject": subject, "date": "2026-11-22",
                                "fields": {"supervision_date": "2026-11-20"}}))
    assert run(["record", "create", "--template", "personal-supervision", "--data",
                str(data), *common]) == 1
    assert capsys.readouterr().err.strip() == (
        "error: supervision_date: 2026-11-20 is not the record's date (2026-11-22); give "
        "the date once.")


def test_the_filled_values_are_in_the_pdf_text_layer(vault: Vault, tmp_path: Path) -> None:
    jo = people.add_person(vault, "supervisee", {"name": "Jo Bloggs"})
    made = records.create_record(vault, templates.get_template("personal-supervision"),
                                 subject_id=jo.id, session_date="2026-11-22")
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(render_record_pdf(vault, made).data)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "Supervisee Jo Bloggs" in text
    assert f"Supervisor {OWNER}" in text
    assert "Date of supervision 22/11/2026" in text


# --- the template format ------------------------------------------------------------------


def _template(fields: list[dict], **top: object) -> dict:
    return {"id": "test-form", "version": 1, "title": "Test form", "category": "supervision",
            "subject_kind": "supervisee",
            "source": {"organisation": "Testshire", "document": "Guide", "seed": "x.txt"},
            "sections": [{"id": "main", "title": "Main", "fields": fields}], **top}


DATE = {"id": "held_on", "kind": "date", "label": "Date", "fills": "session_date"}


@pytest.mark.parametrize(("data", "message"), [
    (_template([DATE]), "template: field 'held_on' uses fills, which needs format: 2 at the "
                        "top of the file"),
    (_template([DATE], format=4), "template: it is written in template format 4, which a "
                                  "newer version of Supervision Desktop reads: update the "
                                  "application"),
    (_template([{**DATE, "kind": "text"}], format=2),
     "sections[1] 'main' > fields[1] 'held_on': field 'held_on' fills session_date, so it "
     "must be of kind date"),
    (_template([DATE, {**DATE, "id": "again"}], format=2),
     "template: only one field may fill session_date: held_on, again"),
    (_template([{"id": "who", "kind": "text", "label": "Who", "fills": "subject"}],
               format=2, subject_kind="none"),
     "template: a template about no one (subject_kind: none) has no subject to fill"),
    (_template([{"id": "who", "kind": "person", "person_kind": "child", "label": "Who",
                 "fills": "subject"}], format=2),
     "template: field 'who' fills the subject, a supervisee, so its person_kind must be "
     "supervisee"),
    (_template([{**DATE, "fills": "birthday"}], format=2),
     "sections[1] 'main' > fields[1] 'held_on' > fills: Input should be 'session_date', "
     "'subject', 'supervisor', 'carers', 'date_of_birth' or 'children_placed'"),
])
def test_a_wrong_fills_is_refused_with_what_to_do(data: dict, message: str) -> None:
    with pytest.raises(TemplateError) as refused:
        parse_template(data, "test-form.yaml")
    assert refused.value.problems == [message]


def test_a_template_without_fills_keeps_the_snapshot_it_always_had() -> None:
    """Vaults compare a template's snapshot with the one stored for its version: a format-1
    template must not gain keys, or every existing vault would refuse it as changed."""
    plain = parse_template(_template([{"id": "notes", "kind": "text", "label": "Notes"}]),
                           "x.yaml")
    assert plain.snapshot() == (
        '{"audience": "staff", "category": "supervision", "id": "test-form", "notice": "", '
        '"per_child": false, "sections": [{"fields": [{"columns": [], "guidance": [], '
        '"id": "notes", "kind": "text", "label": "Notes", "options": [], "person_kind": null, '
        '"preset_rows": [], "required": false, "role": null, "signer": ""}], "guidance": [], '
        '"id": "main", "staff_only": false, "title": "Main"}], "source": {"document": '
        '"Guide", "organisation": "Testshire", "reference": "", "seed": "x.txt"}, '
        '"subject_kind": "supervisee", "title": "Test form", "version": 1}')
    filling = parse_template(_template([DATE], format=2), "x.yaml")
    assert '"fills": "session_date"' in filling.snapshot() and '"format": 2' in filling.snapshot()
    assert type(filling).from_snapshot(filling.snapshot()) == filling


@pytest.mark.parametrize(("names", "words"), [
    ([], ""), (["Sam Carter"], "Sam Carter"), (["Sam Carter", " "], "Sam Carter"),
    (["Sam Carter", "Alex Carter"], "Sam Carter and Alex Carter"),
    (["A Test", "B Test", "C Test"], "A Test, B Test and C Test"),
])
def test_carers_are_named_as_a_person_writes_them(names: list[str], words: str) -> None:
    assert names_in_words(names) == words


def test_an_invalid_value_given_with_a_header_date_is_still_refused(vault: Vault) -> None:
    with pytest.raises(InvalidInput, match="supervision_date: 'soon' is not a date"):
        records.create_record(vault, templates.get_template("personal-supervision"),
                              fields={"supervision_date": "soon"})


def test_a_name_typed_into_a_record_about_no_one_survives_the_forms_saves(
        vault: Vault) -> None:
    """The form does not show the field the header asks; saving what the form gives must
    not drop what `record create` put there."""
    made = records.create_record(vault, templates.get_template("personal-supervision"),
                                 fields={"supervisee": "Jo Bloggs (agency locum)"})
    records.save_draft(vault, made, {"workload": "Fine"})  # what the form gives
    assert _fields(vault, made) == {"supervisee": "Jo Bloggs (agency locum)",
                                    "workload": "Fine"}
