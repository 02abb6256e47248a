"""Subject access disclosure (issue 20): one signed PDF of all held about one person.

The issue's proof: a disclosure for one child of a sibling pair, where the record text
names the sibling by first name only and by case id, and neither appears in the text
poppler extracts; every signature valid in ``pdfsig`` and in pyHanko (our verifier).
All names are fictional.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from supervision_desktop.cli import run
from supervision_desktop.domain import redaction
from supervision_desktop.domain.redaction import REDACTED
from supervision_desktop.export.verification import verify_pdf
from supervision_desktop.services import audit, disclosure, documents, lifecycle, notes, people
from supervision_desktop.services import records as record_service
from supervision_desktop.services.templates import get_template
from supervision_desktop.store.vault import Vault
from tests.conftest import OWNER, PASSPHRASE

POPPY, JACK = "Poppy Fernsby", "Jack Fernsby"
POPPY_CASE, JACK_CASE = "FC-40117", "FC-40118"
WORKER = "Tamsin Okoro"
HOUSEHOLD, OTHER_CARER = "Wren Halloway", "Idris Halloway"
COLLEAGUE = "Will Marsh"  # a first name that is also an English word
SOS = "case-supervision-sos"
WORRIED = (f"Poppy said Jack took her tablet again. Jack ({JACK_CASE}) moves school in "
           "January; we will review how Poppy copes. Will Marsh to advise.")
WORKING = "Poppy enjoys swimming with Wren on Saturdays; Poppy's reading is much better."
WISHES = "Poppy wants to see JACK more often, and to keep her own room."
DRAFT_TEXT = "Unfinished thoughts QUILLWORT about contact"


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("SUPERVISION_CERTIFICATE_PASSWORD", raising=False)


@dataclass(frozen=True)
class Family:
    poppy: str
    jack: str
    worker: str
    household: str
    about_poppy: str
    about_jack: str
    draft: str


def _signature(name: str, role: str) -> dict[str, object]:
    return {"name": name, "role": role, "date": "2026-10-14",
            "strokes": [[[10, 10], [50.5, 40], [120, 20]]]}


def _make_family(vault: Vault) -> Family:
    poppy = people.add_person(vault, "child", {"name": POPPY, "case_id": POPPY_CASE,
                                               "plan": "child_in_need"}).id
    jack = people.add_person(vault, "child", {"name": JACK, "case_id": JACK_CASE,
                                              "plan": "child_in_need"}).id
    worker = people.add_person(vault, "supervisee", {"name": WORKER}).id
    household = people.add_person(vault, "carer", {"name": HOUSEHOLD,
                                                   "carers": [HOUSEHOLD, OTHER_CARER]}).id
    people.add_person(vault, "supervisee", {"name": COLLEAGUE})
    template = get_template(SOS)
    about_poppy = record_service.create_record(
        vault, template, subject_id=poppy, session_date="2026-10-14", fields={
            "child": POPPY, "social_worker": WORKER, "supervision_date": "2026-10-14",
            "children_discussed": [{"family_child": POPPY}, {"family_child": JACK}],
            "worried_about": WORRIED, "working_well": WORKING, "wishes_feelings": WISHES,
            "decision_scope": "This child only",
            "decisions": [{"decision": "Keep the sibling contact weekly",
                           "decision_rationale": f"Jack asked for it; {HOUSEHOLD} agrees."}],
            "actions": [{"action": "Arrange contact between Poppy and Jack",
                         "by_whom": WORKER, "by_when": "2026-11-30"}],
            "supervisor_signature": _signature(OWNER, "Team manager"),
            "social_worker_signature": _signature(WORKER, "Social worker"),
        })
    lifecycle.finalise(vault, about_poppy)
    about_jack = record_service.create_record(
        vault, template, subject_id=jack, session_date="2026-10-21", fields={
            "child": JACK, "social_worker": WORKER, "supervision_date": "2026-10-21",
            "children_discussed": [{"family_child": JACK}, {"family_child": POPPY}],
            "worried_about": "Jack is settled at his father's; no worries this month.",
            "decisions": [{"decision": "No change", "decision_rationale": "Settled"}],
            "decision_scope": "This child only",
            "supervisor_signature": _signature(OWNER, "Team manager"),
        })
    lifecycle.finalise(vault, about_jack)
    draft = record_service.create_record(
        vault, template, subject_id=poppy, session_date="2026-11-18",
        fields={"worried_about": DRAFT_TEXT})
    notes.add_note(vault, "life_story", child_id=poppy, written_on="2026-10-30",
                   title="Ducks", body="Poppy and Jack fed the ducks at the lake.")
    return Family(poppy, jack, worker, household, about_poppy, about_jack, draft)


@pytest.fixture
def family(vault: Vault) -> Family:
    return _make_family(vault)


def _text(path: Path, *pages: int) -> str:
    """The text poppler extracts, its runs of white space (line breaks) made one space."""
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return " ".join(subprocess.run(["pdftotext", *span, str(path), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())


def _pdfsig(path: Path) -> str:
    done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    return done.stdout + done.stderr


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


# --- the proof ---------------------------------------------------------------------


def test_a_siblings_first_name_and_case_id_never_reach_the_pdf_text(
        vault: Vault, family: Family, tmp_path: Path) -> None:
    result = disclosure.disclose(vault, family.poppy, tmp_path / "out")
    assert result.path is not None and result.path.parent == tmp_path / "out"
    text = _text(result.path)
    for gone in ("Jack", "JACK", JACK_CASE, family.jack, WORKER, "Tamsin", "Okoro",
                 HOUSEHOLD, "Wren", "Idris", OTHER_CARER, "Will Marsh", "Halloway"):
        assert gone not in text, gone
    # the person's own name and words are there, and only the names are gone
    assert POPPY in text and "Poppy said [redacted] took her tablet again." in text
    assert "[redacted] ([redacted]) moves school" in text
    assert "we will review how Poppy copes. [redacted] Marsh to advise." not in text
    assert "we will review how Poppy copes. [redacted] to advise." in text  # full name first
    assert "swimming with [redacted] on Saturdays" in text
    assert "see [redacted] more often" in text
    assert "Poppy's reading" in text and "Fernsby" in text
    assert REDACTED in text
    # the vault owner (the supervisor writing) is not a person of the vault: kept
    assert OWNER in text
    # the draft is listed, its text is not included
    assert "(draft)" in text and "QUILLWORT" not in text
    # the same with poppler's raw text order (no layout), and in the raw file bytes
    raw = subprocess.run(["pdftotext", str(result.path), "-"], check=True,
                         capture_output=True, text=True).stdout
    assert "Jack" not in raw and JACK_CASE not in raw


def test_every_signature_is_valid_in_pdfsig_and_in_pyhanko(
        vault: Vault, family: Family, tmp_path: Path) -> None:
    result = disclosure.disclose(vault, family.poppy, tmp_path)
    assert result.path is not None
    checked = _pdfsig(result.path)
    assert "Signature is Valid" in checked and "Signature is Invalid" not in checked
    assert "Total document signed" in checked
    report = verify_pdf(result.path.read_bytes())
    assert report.signatures and all(s.bottom_line for s in report.signatures)
    assert report.ok


def test_the_index_lists_each_item_and_the_redactions_by_kind_without_names(
        vault: Vault, family: Family, tmp_path: Path) -> None:
    result = disclosure.disclose(vault, family.poppy, tmp_path)
    assert result.path is not None
    index = _text(result.path, 1, 2)
    assert "Subject access disclosure" in index and POPPY in index
    # items: the record about Poppy, the one about Jack naming her, the draft, the note,
    # the action agreed
    assert (result.records, result.drafts, result.notes, result.actions) == (2, 1, 1, 1)
    assert result.items == 5
    for line in ("Case supervision", "About them", "Named in", "(draft)",
                 "Life story note: Ducks", "Action", f"Record {family.about_poppy[:8]}",
                 f"Record {family.about_jack[:8]}", f"Record {family.draft[:8]}"):
        assert line in index, line
    assert "Another person's first name" in index
    assert "Another person's case id" in index
    assert "Another person's full name" in index
    assert "Another person's drawn signature" in index  # the worker's, not reproduced
    # the worker's on Poppy's record, the supervisor's on both: Poppy signed neither
    assert result.signatures_left_out == 3
    # the proposals name what was redacted, for the person making the disclosure
    found = {(r.name, r.kind): r for r in result.redactions}
    assert found[("Jack", redaction.FIRST_NAME)].count >= 5
    assert found[(JACK_CASE, redaction.CASE_ID)].count == 1
    assert found[(JACK_CASE, redaction.CASE_ID)].items == (1,)
    assert found[(COLLEAGUE, redaction.FULL_NAME)].whose == COLLEAGUE
    assert ("Will", redaction.FIRST_NAME) not in found  # "we will review" is not a name
    assert not any(r.kept for r in result.redactions)
    assert result.redacted == sum(r.count for r in result.redactions)


def test_the_audit_log_and_the_kept_file_carry_no_names(
        vault: Vault, family: Family, tmp_path: Path) -> None:
    result = disclosure.disclose(vault, family.poppy, tmp_path)
    entry = next(e for e in audit.entries(vault) if e.action == "disclosure")
    assert entry.person_id == family.poppy
    assert entry.detail == f"{result.items} items, {result.redacted} redactions"
    assert audit.check_log(vault).ok
    kept = [d for d in documents.list_documents(vault) if d.kind == disclosure.KIND]
    assert len(kept) == 1 and kept[0].direction == "exported"
    assert kept[0].kind_label == "Subject access disclosure"
    assert kept[0].file_name == result.path.name if result.path else False
    assert "Poppy" not in kept[0].file_name and "Fernsby" not in kept[0].file_name
    assert documents.verify_document(vault, kept[0].id).ok


def test_a_name_kept_stays_in_the_text_and_its_case_id_still_goes(
        vault: Vault, family: Family, tmp_path: Path) -> None:
    result = disclosure.disclose(vault, family.poppy, tmp_path, keep=["Jack"])
    assert result.path is not None
    text = _text(result.path)
    assert "Poppy said Jack took her tablet again." in text
    assert JACK_CASE not in text and WORKER not in text
    assert [r.kept for r in result.redactions if r.name == "Jack"] == [True]


def test_a_record_about_the_sibling_naming_the_child_is_included_redacted(
        vault: Vault, family: Family, tmp_path: Path) -> None:
    result = disclosure.disclose(vault, family.poppy, tmp_path)
    assert result.path is not None
    text = _text(result.path)
    assert "[redacted] is settled at his father's" in text


# --- the command line ------------------------------------------------------------------------


def test_disclose_on_the_command_line_lists_each_redaction(
        vault: Vault, vault_folder: Path, family: Family, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    vault.close()
    out_dir = tmp_path / "sar"
    status, out, err = _cli(capsys, "disclose", "--person", family.poppy, "--out", str(out_dir),
                            "--vault", str(vault_folder))
    assert status == 0, err
    (written,) = out_dir.glob("*.pdf")
    assert f"Wrote {written} (signed)" in out
    assert "Jack" in out and JACK_CASE in out and "first name" in out
    assert "1 draft(s) listed" in out

    status, out, err = _cli(capsys, "disclose", "--person", family.poppy, "--out", str(out_dir),
                            "--keep", "Jack", "--json", "--vault", str(vault_folder))
    assert status == 0, err
    data = json.loads(out)
    assert data["items"] == 5 and data["drafts"] == 1
    jack = next(r for r in data["redactions"] if r["name"] == "Jack")
    assert jack["kept"] is True and jack["whose"] == JACK
    assert data["redacted"] == sum(r["count"] for r in data["redactions"] if not r["kept"])
    assert "Jack took her tablet" in _text(Path(data["path"]))


def test_bad_input_gets_one_clear_message(
        vault: Vault, vault_folder: Path, family: Family, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    vault.close()
    where = ("--vault", str(vault_folder))
    status, _out, err = _cli(capsys, "disclose", "--person", "0" * 32, "--out", str(tmp_path),
                             *where)
    assert status == 1 and err.startswith("error: There is no person with id")
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    status, _out, err = _cli(capsys, "disclose", "--person", family.poppy, "--out",
                             str(a_file), *where)
    assert status == 1 and "is a file, not a folder" in err
    status, _out, err = _cli(capsys, "disclose", "--person", family.poppy, "--out",
                             str(a_file / "inside"), *where)  # a folder under a file
    assert status == 1 and "Cannot make the folder" in err
    status, _out, err = _cli(capsys, "disclose", "--person", family.poppy, "--out",
                             str(tmp_path), "--keep", "Jak", *where)
    assert status == 1 and "Nothing proposed for redaction is called 'Jak'" in err
    assert not list(tmp_path.glob("*.pdf"))  # nothing written for any of them


def test_a_person_with_nothing_held_gets_a_signed_index_saying_so(
        vault: Vault, tmp_path: Path) -> None:
    lonely = people.add_person(vault, "supervisee", {"name": "Ottilie Brackwater"}).id
    result = disclosure.disclose(vault, lonely, tmp_path)
    assert result.path is not None and result.items == 0 and not result.redactions
    text = _text(result.path)
    assert "Nothing is held about this person in this vault." in text
    assert "Nothing was redacted." in text
    assert verify_pdf(result.path.read_bytes()).ok


def test_a_review_proposes_without_writing(vault: Vault, family: Family) -> None:
    before = len(audit.entries(vault))
    review = disclosure.review(vault, family.poppy)
    assert review.path is None and review.items == 5
    assert any(r.name == JACK_CASE for r in review.redactions)
    assert len(audit.entries(vault)) == before


def test_a_workers_disclosure_keeps_their_own_signature_and_redacts_the_children(
        vault: Vault, family: Family, tmp_path: Path) -> None:
    result = disclosure.disclose(vault, family.worker, tmp_path)
    assert result.path is not None
    # named in a person field of both finalised records, owner of the action, and named in
    # the draft (the action carried into its review table)
    assert (result.records, result.drafts, result.actions) == (2, 1, 1)
    assert result.signatures_left_out == 2  # the supervisor's, on each record; hers stays
    text = _text(result.path)
    assert WORKER in text and "Named in Social worker" in text
    for gone in ("Poppy", "Jack", POPPY_CASE, JACK_CASE, "Wren"):
        assert gone not in text, gone
