"""Split export (issue 20; Kent §12.1–12.2, Lambeth §2.2 and Appendix E): a staff
supervision record that discussed two children becomes one signed PDF for the staff file
and one signed case extract per child, each read back by poppler (``pdftotext``,
``pdfsig``) and pyHanko, each naming the full record's content hash."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from supervision_desktop.cli import run
from supervision_desktop.errors import InvalidInput
from supervision_desktop.export.verification import verify_pdf
from supervision_desktop.services import lifecycle, people, records
from supervision_desktop.services.split_export import split_export
from supervision_desktop.services.templates import get_template
from supervision_desktop.services.verify import verify_file
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.models import Record
from supervision_desktop.store.vault import Vault
from tests.conftest import OWNER, PASSPHRASE

STAFF = "staff-supervision-social-worker"
# Fictional people only.
SUPERVISEE = "Jo Bloggs"
POPPY, TOMASZ = "Poppy Lindqvist", "Tomasz Arden"
WELLBEING = "Jo is tired after the court week; a day of TOIL agreed."
WELFARE = "Dentist appointment on Friday afternoon."
APPRAISAL = "Objective two met: the chronology training was delivered to the team."
SAFEGUARDING = "No section 47 enquiries open this month."
POPPY_TALK = "Family time with her birth mother moves to fortnightly, as Poppy asked."
POPPY_MORE = "Life story work starts in January with the foster carer."
TOMASZ_TALK = "School place at Elmfield confirmed; transport agreed with the carers."


def _signature(name: str, role: str) -> dict[str, Any]:
    return {"name": name, "role": role, "date": "2026-11-22", "strokes": [[[10, 10], [40, 30]]]}


def _values(case_rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "wellbeing_check": WELLBEING,
        "welfare_discussion": WELFARE,
        "appraisal_evidence": APPRAISAL,
        "safeguarding_issues": SAFEGUARDING,
        "child_case_discussions": case_rows,
        "supervisor_signature": _signature(OWNER, "Supervisor"),
        "supervisee_signature": _signature(SUPERVISEE, "Supervisee"),
    }


TWO_CHILDREN = [
    {"child": POPPY, "discussion": POPPY_TALK},
    {"child": TOMASZ, "discussion": TOMASZ_TALK},
    {"child": " poppy  LINDQVIST ", "discussion": POPPY_MORE},  # as typed a second time
]


def _record(vault: Vault, rows: list[dict[str, Any]] = TWO_CHILDREN, *,
            template: str = STAFF, values: dict[str, Any] | None = None,
            finalise: bool = True) -> str:
    person = people.add_person(vault, "supervisee", {"name": SUPERVISEE})
    for child in (POPPY, TOMASZ):
        people.add_person(vault, "child", {"name": child})
    record_id = records.create_record(
        vault, get_template(template), subject_id=person.id, session_date="2026-11-22",
        fields=_values(rows) if values is None else values)
    if finalise:
        lifecycle.finalise(vault, record_id)
    return record_id


def _text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True)
    return " ".join(done.stdout.split())


def _pdfsig(path: Path) -> str:
    done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    return done.stdout + done.stderr


def _full_hash(vault: Vault, record_id: str) -> str:
    """The content hash the vault stores for the record's finalised version."""
    with vault.read() as session:
        digest = session.get_one(Record, record_id).versions[-1].content_hash
    assert digest is not None and len(digest) == 64
    return digest


# --- the split ------------------------------------------------------------------------


def test_a_record_discussing_two_children_splits_into_three_signed_pdfs(
        vault: Vault, tmp_path: Path) -> None:
    record_id = _record(vault)
    full_hash = _full_hash(vault, record_id)
    result = split_export(vault, record_id, tmp_path / "split")

    assert (result.record_id, result.version, result.content_hash) == (record_id, 1, full_hash)
    assert [(f.part, f.child) for f in result.files] == [
        ("staff_file", None), ("case_extract", POPPY), ("case_extract", TOMASZ)]
    staff, poppy, tomasz = (f.path for f in result.files)
    assert staff.name.endswith(f"_{record_id[:8]}_v1_staff-file.pdf")
    assert poppy.name.endswith("_v1_child-1.pdf") and tomasz.name.endswith("_v1_child-2.pdf")
    assert sorted(p.name for p in (tmp_path / "split").iterdir()) == sorted(
        p.name for p in (staff, poppy, tomasz))

    staff_text, poppy_text, tomasz_text = (_text(p) for p in (staff, poppy, tomasz))
    # the staff file: the worker's own matters, none of the children's discussions
    for words in (WELLBEING, WELFARE, APPRAISAL, SAFEGUARDING):
        assert words in staff_text
    for words in (POPPY_TALK, POPPY_MORE, TOMASZ_TALK, POPPY, TOMASZ):
        assert words not in staff_text
    # each child's extract: that child's discussion only, nothing personal
    assert POPPY_TALK in poppy_text and POPPY_MORE in poppy_text
    assert TOMASZ_TALK in tomasz_text
    for text, other in ((poppy_text, TOMASZ), (tomasz_text, POPPY)):
        assert other not in text and other.split()[1] not in text
        for words in (WELLBEING, WELFARE, APPRAISAL, SAFEGUARDING):
            assert words not in text
        assert SUPERVISEE in text and OWNER in text and "22/11/2026" in text  # who, when
    assert TOMASZ_TALK not in poppy_text and POPPY_TALK not in tomasz_text
    assert f"Copy for {POPPY}" in poppy_text and f"Copy for {TOMASZ}" in tomasz_text
    # every file is an extract of this record and version, and names its content hash
    for split_file, text in zip(result.files, (staff_text, poppy_text, tomasz_text),
                                strict=True):
        assert (f"This is an extract of supervision record {record_id}, version 1. The "
                f"full record's content hash (SHA-256) is {full_hash}.") in text
        assert split_file.content_hash in text and split_file.content_hash != full_hash
    assert len({f.content_hash for f in result.files}) == 3

    for split_file in result.files:
        poppler = _pdfsig(split_file.path)
        assert poppler.count("Signature is Valid") == 1, poppler
        assert "Total document signed" in poppler
        report = verify_pdf(split_file.path.read_bytes())
        assert report.ok and report.record is not None
        assert (report.record.record_id, report.record.version,
                report.record.content_hash) == (record_id, 1, split_file.content_hash)
        # no embedded record data: that would be the whole record
        assert b"supervision-record.json" not in split_file.path.read_bytes()
        found = verify_file(split_file.path, vault).vault_match
        assert found is not None and (found.found, found.record_id, found.version) == (
            True, record_id, 1)
    assert records.get_record(vault, record_id).summary.status.value == "exported"


def test_names_go_into_the_file_names_only_when_asked(vault: Vault, tmp_path: Path) -> None:
    record_id = _record(vault)
    result = split_export(vault, record_id, tmp_path / "named", include_names=True)
    names = [f.path.name for f in result.files]
    assert "Jo-Bloggs" in names[0] and names[0].endswith("_staff-file.pdf")
    assert names[1].endswith("_child-1_Poppy-Lindqvist.pdf")
    assert names[2].endswith("_child-2_Tomasz-Arden.pdf")


# --- refused --------------------------------------------------------------------------


def test_a_draft_is_not_split(vault: Vault, tmp_path: Path) -> None:
    record_id = _record(vault, finalise=False)
    with pytest.raises(InvalidInput, match="Finalise the record first"):
        split_export(vault, record_id, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_template_with_no_case_content_is_not_split(vault: Vault, tmp_path: Path) -> None:
    values = {"health_and_wellbeing": WELLBEING,
              "supervisee_signature": _signature(SUPERVISEE, "Supervisee"),
              "supervisor_signature": _signature(OWNER, "Supervisor")}
    record_id = _record(vault, template="professional-supervision", values=values)
    with pytest.raises(InvalidInput, match="This template has no case discussions to split"):
        split_export(vault, record_id, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_record_that_discussed_no_child_is_not_split(vault: Vault, tmp_path: Path) -> None:
    record_id = _record(vault, [])
    with pytest.raises(InvalidInput, match="discusses no child by name"):
        split_export(vault, record_id, tmp_path / "out")


def test_a_discussion_naming_no_child_is_refused_not_dropped(
        vault: Vault, tmp_path: Path) -> None:
    record_id = _record(vault, [{"child": POPPY, "discussion": POPPY_TALK},
                                {"child": "", "discussion": TOMASZ_TALK}])
    with pytest.raises(InvalidInput) as refused:
        split_export(vault, record_id, tmp_path / "out")
    assert str(refused.value) == (
        "Row 2 of \u201cIndividual case discussions\u201d names no child, so it cannot go "
        "to a child's file: fill in \u201cChild\u201d (amend the record) and split it again.")
    assert not (tmp_path / "out").exists()


def test_a_pdf_file_name_is_refused_for_several_files(vault: Vault, tmp_path: Path) -> None:
    record_id = _record(vault)
    with pytest.raises(InvalidInput, match="give a folder"):
        split_export(vault, record_id, tmp_path / "one.pdf")


# --- the command line -----------------------------------------------------------------


def test_the_command_writes_the_files_and_lists_them(
        vault_folder: Path, data_key: bytes, tmp_path: Path,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    with vaults.open_with_key(vault_folder, data_key) as vault:
        record_id = _record(vault)
        full_hash = _full_hash(vault, record_id)
    out_dir = tmp_path / "out"
    assert run(["split-export", record_id, "--out", str(out_dir), "--json",
                "--vault", str(vault_folder)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["record_id"] == record_id and printed["content_hash"] == full_hash
    assert [(f["part"], f["child"]) for f in printed["files"]] == [
        ("staff_file", None), ("case_extract", POPPY), ("case_extract", TOMASZ)]
    assert all(Path(f["path"]).parent == out_dir for f in printed["files"])

    assert run(["split-export", record_id, "--out", str(tmp_path / "again"),
                "--vault", str(vault_folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Record {record_id}, version 1, content hash {full_hash}:"
    assert lines[1].endswith("_staff-file.pdf (staff file)")
    assert lines[2].endswith(f"_child-1.pdf (case extract for {POPPY})")

    with vaults.open_with_key(vault_folder, data_key) as vault:
        other = _record(vault, [{"child": "", "discussion": TOMASZ_TALK}])
    assert run(["split-export", other, "--out", str(tmp_path / "no"),
                "--vault", str(vault_folder)]) == 1
    captured = capsys.readouterr()
    assert "names no child" in captured.err and "Traceback" not in captured.err
