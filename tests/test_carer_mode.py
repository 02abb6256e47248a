"""Carer mode: the carer's response to a record they were sent, and their own record.

Two real vaults: the supervising social worker's exports a signed foster carer
supervision record; the carer's imports it, answers it ("is it a true reflection?"),
finalises and exports a signed response, and can countersign the PDF they received.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from supervision_desktop.cli import run
from supervision_desktop.errors import InvalidInput
from supervision_desktop.export.verification import verify_pdf
from supervision_desktop.services import lifecycle, people, records, responses, vault_access
from supervision_desktop.services.carer_import import import_signed_pdf
from supervision_desktop.services.export import export_record
from supervision_desktop.services.templates import catalogue, get_template
from supervision_desktop.store.vault import Vault
from tests.conftest import PASSPHRASE

CARER = "Jo Marsh"  # fictional
SSW = "Priya Shah"  # fictional
PASSPORT = "SSW to contact child's SW to apply for passport"
DISAGREE = "The minutes say the holiday was refused; it was agreed subject to the passport."


def signature(name: str, role: str, date: str = "2026-11-20") -> dict[str, Any]:
    return {"name": name, "role": role, "date": date, "strokes": [[[2, 2], [40, 18]]]}


def make_carer_vault(folder: Path) -> Vault:
    """A foster carer's own vault (role carer), unlocked."""
    return vault_access.create_vault(folder, owner_name=CARER, role="carer",
                                     passphrase=PASSPHRASE).vault


@pytest.fixture
def carer_vault(tmp_path: Path) -> Iterator[Vault]:
    vault = make_carer_vault(tmp_path / "carer-vault")
    yield vault
    vault.close()


def supervision_record(vault: Vault, *, date: str = "2026-11-20", conflict: str = "",
                       due: str = "2026-12-01") -> str:
    """A finalised foster carer supervision record written in vault (the SSW's)."""
    household = next((p.id for p in people.list_people(vault, "carer")), None) \
        or people.add_person(vault, "carer", {"name": CARER}).id
    record_id = records.create_record(
        vault, get_template("foster-carer-supervision"), subject_id=household,
        session_date=date,
        fields={
            "carer_household": CARER, "supervising_social_worker": SSW,
            "supervision_date": date,
            "carers_views": "Jo would like to take Ellie to Spain at half term.",
            "conflict": conflict,
            "agreements_actions": [{"action": PASSPORT, "by_whom": SSW, "by_when": due}],
            "ssw_signature": signature(SSW, "Supervising social worker", date),
            "carer_signature": signature(CARER, "Foster carer", date),
        })
    lifecycle.finalise(vault, record_id)
    return record_id


def sent_to_carer(staff: Vault, carer: Vault, folder: Path, **kwargs: Any) -> str:
    """The SSW exports a signed record; the carer imports it. Returns the record id."""
    record_id = supervision_record(staff, **kwargs)
    (pdf,) = export_record(staff, record_id, folder)
    result = import_signed_pdf(carer, pdf)
    assert result.ok, result.message
    assert result.record_id == record_id
    return record_id


def answer(carer: Vault, response_id: str, *, true_reflection: bool) -> None:
    view = records.get_record(carer, response_id)
    records.save_draft(carer, response_id, {
        **view.fields, "true_reflection": true_reflection,
        "disagreements": "" if true_reflection else DISAGREE,
        "carer_signature": signature(CARER, "Foster carer", "2026-11-24"),
    }, session_date=dt.date(2026, 11, 24))


def test_response_template_is_for_carers_only_and_asks_the_forum_question() -> None:
    template = get_template("carer-response")
    assert (template.audience, template.subject_kind) == ("carer", "carer")
    labels = [f.label for f in template.fields()]
    assert "Is this record a true reflection of what was said?" in labels
    assert "What I disagree with, and why" in labels
    assert template.field("carer_signature").required
    carer_offered = {t.id for t in catalogue().templates if t.audience in ("carer", "both")}
    assert {"carer-response", "foster-carer-supervision"} <= carer_offered
    assert not any(t.subject_kind == "supervisee" for t in catalogue().templates
                   if t.audience in ("carer", "both"))


def test_respond_prefills_the_record_answered_and_the_household(
    vault: Vault, carer_vault: Vault, tmp_path: Path
) -> None:
    record_id = sent_to_carer(vault, carer_vault, tmp_path)
    assert responses.record_origin(carer_vault, record_id).origin == "received"
    response_id = responses.start_response(carer_vault, record_id)
    draft = records.get_record(carer_vault, response_id)
    assert draft.summary.template_id == "carer-response"
    assert draft.fields["responds_to"] == record_id
    assert draft.fields["responds_to_title"] == "Foster carer supervision record"
    assert draft.fields["responds_to_date"] == "2026-11-20"
    assert draft.summary.subject_name == CARER  # the household the record is about
    assert responses.responses_to(carer_vault, record_id) == [response_id]
    with pytest.raises(InvalidInput, match="already a response"):
        responses.start_response(carer_vault, response_id)


def test_signed_response_goes_back_and_is_linked_in_the_ssw_vault(
    vault: Vault, carer_vault: Vault, tmp_path: Path
) -> None:
    record_id = sent_to_carer(vault, carer_vault, tmp_path / "sent")
    response_id = responses.start_response(carer_vault, record_id)
    with pytest.raises(InvalidInput, match="true reflection"):
        lifecycle.finalise(carer_vault, response_id)  # the question must be answered
    answer(carer_vault, response_id, true_reflection=False)
    lifecycle.finalise(carer_vault, response_id)
    with pytest.raises(InvalidInput):  # locked once finalised
        records.save_draft(carer_vault, response_id, {"additions": "later thoughts"})
    (response_pdf,) = export_record(carer_vault, response_id, tmp_path / "back")
    report = verify_pdf(response_pdf.read_bytes())
    assert report.ok and report.signatures[0].signer_name == CARER
    text = subprocess.run(["pdftotext", str(response_pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "holiday was refused" in text and "Foster carer supervision record" in text
    back = import_signed_pdf(vault, response_pdf)  # the SSW takes the response in
    assert back.ok and back.kind == "response" and back.record_id == record_id
    assert "NOT a true reflection" in back.message


def test_carer_countersigns_the_pdf_they_received(
    vault: Vault, carer_vault: Vault, tmp_path: Path
) -> None:
    own = supervision_record(carer_vault, date="2026-10-15")  # written by the carer
    record_id = sent_to_carer(vault, carer_vault, tmp_path / "sent")
    out = responses.countersign_received(carer_vault, record_id, tmp_path / "signed.pdf")
    report = verify_pdf(out.read_bytes())
    assert report.ok
    assert [s.signer_name for s in report.signatures] == ["Morgan Testwell", CARER]
    check = subprocess.run(["pdfsig", str(out)], capture_output=True, text=True).stdout
    assert check.count("Signature is Valid") == 2
    with pytest.raises(InvalidInput, match="nothing to countersign"):
        responses.countersign_received(carer_vault, own, tmp_path / "x.pdf")


def test_carer_keeps_an_own_record_locked_when_finalised(carer_vault: Vault) -> None:
    record_id = supervision_record(carer_vault, date="2026-10-15")
    summary = records.get_record(carer_vault, record_id).summary
    assert summary.status.value == "finalised"
    assert responses.record_origin(carer_vault, record_id).origin == "own"
    with pytest.raises(InvalidInput, match="finalised"):
        records.save_draft(carer_vault, record_id, {"conflict": "changed afterwards"})
    assert lifecycle.check_chain(carer_vault, record_id).intact


def test_cli_respond_prints_the_new_draft_id(
    vault: Vault, carer_vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    record_id = sent_to_carer(vault, carer_vault, tmp_path / "sent")
    folder = carer_vault.folder
    carer_vault.close()
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    capsys.readouterr()
    assert run(["--vault", str(folder), "respond", record_id]) == 0
    response_id = capsys.readouterr().out.strip()
    assert run(["--vault", str(folder), "record", "show", response_id]) == 0
    shown = capsys.readouterr().out
    assert "Response to a supervision record" in shown and record_id in shown
    assert run(["--vault", str(folder), "respond", "0" * 32]) == 1
    assert "no record" in capsys.readouterr().err


def test_cli_init_offers_the_carer_role(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    folder = tmp_path / "v"
    assert run(["--vault", str(folder), "init", "--name", CARER, "--role", "carer"]) == 0
    assert run(["--vault", str(folder), "info"]) == 0
    assert "Role:           carer" in capsys.readouterr().out
