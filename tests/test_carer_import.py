"""Signed PDFs between two real vaults: the supervising social worker exports (the full
record or a carer copy), the carer imports; a carer's signed response goes back.

Every check is what a carer or a worker relies on: the same file and the same content
hash on both sides, the record readable and its actions followed up, a changed or
unsigned file refused with one clear message and nothing stored, nothing readable in
the carer's vault folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from supervision_desktop.cli import run
from supervision_desktop.errors import InvalidInput
from supervision_desktop.export.record_attachment import extract_attachment
from supervision_desktop.services import (
    actions,
    audit,
    lifecycle,
    people,
    records,
    vault_access,
)
from supervision_desktop.services.carer_import import import_signed_pdf
from supervision_desktop.services.documents import (
    list_documents,
    responses_to,
    save_document,
    verify_document,
)
from supervision_desktop.services.export import countersign_file, export_record
from supervision_desktop.services.rendering import read_source, render_record_pdf
from supervision_desktop.services.templates import get_template
from supervision_desktop.store.models import Person, Record, SignedDocument
from supervision_desktop.store.vault import Vault
from tests.conftest import PASSPHRASE, files_containing

CARER = "Harriet Quillfeather"  # fictional; the carer household and the carer vault's owner
CHILD = "Kestrel Ashdown"
VIEWS = "Harriet asked to take Kestrel on holiday to Brittany in the spring half-term."
STAFF_ONLY = "Manager to review the Marlowbrook complaint pattern with the worker."
ACTION = "SSW to contact child's SW to apply for passport"


def _signature(name: str, role: str) -> dict[str, object]:
    return {"name": name, "role": role, "date": "2026-11-22",
            "strokes": [[[10, 10], [50.5, 40], [120, 20]]]}


def _values(carer: str) -> dict[str, object]:
    return {
        "carer_household": carer,
        "supervising_social_worker": "Morgan Testwell",
        "supervision_date": "2026-11-22",
        "carers_views": VIEWS,
        "placement_review": [{"placed_child": CHILD,
                              "placement_discussion": "Settled; school attendance good."}],
        "agreements_actions": [{"action": ACTION, "by_whom": "SSW", "by_when": "2026-12-15"}],
        "true_reflection": True,
        "for_worker_supervision": STAFF_ONLY,
        "ssw_signature": _signature("Morgan Testwell", "Supervising social worker"),
        "carer_signature": _signature(carer, "Foster carer"),
    }


@pytest.fixture
def record_id(vault: Vault) -> str:
    """A finalised foster carer supervision record in the worker's vault."""
    carer = people.add_person(vault, "carer", {"name": CARER})
    record = records.create_record(
        vault, get_template("foster-carer-supervision"), subject_id=carer.id,
        session_date="2026-11-22", fields=_values(CARER),
    )
    lifecycle.finalise(vault, record)
    return record


@pytest.fixture
def carer_vault(tmp_path: Path) -> Iterator[Vault]:
    created = vault_access.create_vault(tmp_path / "carer-vault", owner_name=CARER,
                                        role="carer", passphrase=PASSPHRASE)
    yield created.vault
    created.vault.close()


def _export(vault: Vault, record_id: str, folder: Path, *, carer_copy: bool = False) -> Path:
    (path,) = export_record(vault, record_id, folder, carer_copy=carer_copy)
    return path


def _count(vault: Vault, model: type) -> int:
    with vault.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


# --- the round trip -----------------------------------------------------------------------


def test_full_copy_round_trip_same_file_same_hash_same_values_actions_tracked(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path
) -> None:
    path = _export(vault, record_id, tmp_path / "out")
    result = import_signed_pdf(carer_vault, path)

    assert result.outcome == "imported", result.message
    assert result.record_id == record_id
    assert "unchanged since signing" in result.message and "Morgan Testwell" in result.message
    (sent,) = list_documents(vault)
    (received,) = list_documents(carer_vault)
    assert sent.direction == "exported" and received.direction == "imported"
    with vault.transaction() as session:
        sent_sha = session.get_one(SignedDocument, sent.id).sha256
        sent_hash = session.get_one(Record, record_id).versions[-1].content_hash
    with carer_vault.transaction() as session:
        kept = session.get_one(SignedDocument, received.id)
        assert kept.sha256 == sent_sha == hashlib.sha256(path.read_bytes()).hexdigest()
        assert bytes(kept.data) == path.read_bytes()
        copy = session.get_one(Record, record_id)
        assert copy.origin == "received" and copy.status == "finalised"
        assert copy.versions[-1].content_hash == sent_hash
    shown = records.get_record(carer_vault, record_id)
    assert shown.fields == records.get_record(vault, record_id).fields
    assert shown.summary.subject_name == CARER
    assert lifecycle.check_chain(carer_vault, record_id).intact
    (action,) = actions.list_actions(carer_vault)
    assert action.text == ACTION and action.due_on is not None
    assert action.due_on.isoformat() == "2026-12-15"
    assert received.signed_by == "Morgan Testwell" and received.genuine
    assert received.title == "Foster carer supervision record" and received.person == CARER
    assert "export" in {e.action for e in audit.entries(vault, record_id=record_id)}
    assert "import" in {e.action for e in audit.entries(carer_vault, record_id=record_id)}


def test_carer_copy_leaves_out_staff_only_text_and_claims_its_own_hash(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path
) -> None:
    full = _export(vault, record_id, tmp_path / "full")
    copy = _export(vault, record_id, tmp_path / "copy", carer_copy=True)
    assert "carer-copy" in copy.name

    assert STAFF_ONLY in " ".join(_pdftotext(full).split())
    copy_text = " ".join(_pdftotext(copy).split())
    assert STAFF_ONLY not in copy_text and "worker's own supervision" not in copy_text
    assert "Brittany" in copy_text
    attachment = extract_attachment(copy.read_bytes())
    assert attachment is not None
    assert "for_worker_supervision" not in attachment.values
    assert attachment.omitted_sections == ("worker_supervision_section",)
    carer_hash = read_source(vault, record_id, carer_copy=True).carer_hashes[1][0]
    assert attachment.content_hash == attachment.recomputed_hash() == carer_hash
    assert carer_hash != records.get_record(vault, record_id).summary.id  # sanity
    full_attachment = extract_attachment(full.read_bytes())
    assert full_attachment is not None and full_attachment.content_hash != carer_hash

    result = import_signed_pdf(carer_vault, copy)
    assert result.outcome == "imported" and result.kind == "carer_copy", result.message
    shown = records.get_record(carer_vault, record_id)
    assert "for_worker_supervision" not in shown.fields
    assert shown.fields["carers_views"] == VIEWS
    assert lifecycle.check_chain(carer_vault, record_id).intact
    with carer_vault.transaction() as session:
        assert session.get_one(Record, record_id).versions[-1].content_hash == carer_hash


def test_the_workers_own_carer_copy_verifies_as_their_record(
    vault: Vault, record_id: str, tmp_path: Path
) -> None:
    from supervision_desktop.services.verify import verify_file

    copy = _export(vault, record_id, tmp_path / "copy", carer_copy=True)
    checked = verify_file(copy, vault)
    assert checked.ok
    assert checked.vault_match is not None and checked.vault_match.found
    assert checked.vault_match.record_id == record_id and checked.vault_match.version == 1


def test_importing_the_same_file_twice_keeps_one_copy(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path
) -> None:
    path = _export(vault, record_id, tmp_path / "out")
    assert import_signed_pdf(carer_vault, path).outcome == "imported"
    again = import_signed_pdf(carer_vault, path)
    assert again.outcome == "already_held" and again.ok
    assert "already in your vault" in again.message
    assert _count(carer_vault, SignedDocument) == 1
    assert _count(carer_vault, Record) == 1
    assert len(actions.list_actions(carer_vault)) == 1


def test_a_later_version_is_added_and_an_older_one_changes_nothing(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path
) -> None:
    first = _export(vault, record_id, tmp_path / "v1")
    lifecycle.amend(vault, record_id, "Timescale for the passport corrected")
    values = dict(records.get_record(vault, record_id).fields)
    values["agreements_actions"] = [{"action": ACTION, "by_whom": "SSW",
                                     "by_when": "2026-12-20"}]
    records.save_draft(vault, record_id, values)
    lifecycle.finalise(vault, record_id)
    second = _export(vault, record_id, tmp_path / "v2")

    assert import_signed_pdf(carer_vault, first).outcome == "imported"
    result = import_signed_pdf(carer_vault, second)
    assert result.outcome == "imported" and "Version 2" in result.message
    assert records.get_record(carer_vault, record_id).summary.version == 2
    assert lifecycle.check_chain(carer_vault, record_id).intact
    (action,) = actions.list_actions(carer_vault)
    assert action.due_on is not None and action.due_on.isoformat() == "2026-12-20"


def test_only_the_later_version_received_still_checks_out(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path
) -> None:
    lifecycle.amend(vault, record_id, "Typo")
    lifecycle.finalise(vault, record_id)
    second = _export(vault, record_id, tmp_path / "v2")
    assert import_signed_pdf(carer_vault, second).outcome == "imported"
    assert lifecycle.check_chain(carer_vault, record_id).intact


# --- refusals -----------------------------------------------------------------------------


def _one_byte_changed(path: Path) -> Path:
    data = bytearray(path.read_bytes())
    start = data.index(b"stream", len(data) // 4) + 40  # inside a signed content stream
    data[start] ^= 0x01
    changed = path.with_name("changed.pdf")
    changed.write_bytes(bytes(data))
    return changed


def test_one_changed_byte_is_refused_with_a_clear_message_and_nothing_stored(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path
) -> None:
    changed = _one_byte_changed(_export(vault, record_id, tmp_path / "out"))
    before = _count(carer_vault, Person)
    result = import_signed_pdf(carer_vault, changed)
    assert result.outcome == "refused" and not result.ok
    assert result.message.startswith("Refused: changed.pdf is not a genuine signed record.")
    assert "NOT VALID" in result.message and "Nothing was stored" in result.message
    assert _count(carer_vault, SignedDocument) == 0
    assert _count(carer_vault, Record) == 0
    assert _count(carer_vault, Person) == before


def test_a_changed_file_kept_on_request_is_flagged_never_a_record(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path
) -> None:
    changed = _one_byte_changed(_export(vault, record_id, tmp_path / "out"))
    result = import_signed_pdf(carer_vault, changed, keep_flagged=True)
    assert result.outcome == "flagged" and "NOT GENUINE" in result.message
    (kept,) = list_documents(carer_vault)
    assert not kept.genuine and kept.record_id is None
    assert _count(carer_vault, Record) == 0
    assert not verify_document(carer_vault, kept.id).ok


def test_an_unsigned_pdf_is_refused(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path
) -> None:
    unsigned = tmp_path / "unsigned.pdf"
    unsigned.write_bytes(render_record_pdf(vault, record_id).data)
    result = import_signed_pdf(carer_vault, unsigned)
    assert result.outcome == "refused"
    assert "no digital signature" in result.message
    assert _count(carer_vault, SignedDocument) == 0


def test_nothing_of_the_pdf_is_readable_in_the_carer_vault_folder(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path
) -> None:
    folder = tmp_path / "carer-vault"
    for carer_copy in (False, True):
        path = _export(vault, record_id, tmp_path / f"out-{carer_copy}", carer_copy=carer_copy)
        assert import_signed_pdf(carer_vault, path).ok
    for needle in ("Brittany", "Kestrel", "Quillfeather", "passport", "Marlowbrook",
                   "%PDF", "supervision-record.json"):
        assert files_containing(folder, needle) == [], needle


def _resigned(vault: Vault, record_id: str, tmp_path: Path, *, signer: object = None,
              change: dict[str, object] | None = None) -> Path:
    """The record's latest version signed by ``signer`` (default: the worker's own
    certificate), with the embedded values changed by ``change`` but the hash left as it
    was: what someone crafting a file would make."""
    from supervision_desktop.export.record_attachment import embed_attachment
    from supervision_desktop.export.signing import SignedRecordInfo, sign_pdf
    from supervision_desktop.services.certificates import owner_signer

    source = extract_attachment(_export(vault, record_id, tmp_path / "source").read_bytes())
    assert source is not None
    attachment = dataclasses.replace(source, values={**source.values, **(change or {})})
    rendered = render_record_pdf(vault, record_id).data
    signed = sign_pdf(
        embed_attachment(rendered, attachment), signer or owner_signer(vault)[0],
        field_name="Signature1", box=None, reason="crafted",
        record=SignedRecordInfo(source.record_id, source.version, source.content_hash,
                                source.template_id))
    path = tmp_path / "crafted.pdf"
    path.write_bytes(signed)
    return path


def test_validly_signed_record_data_that_does_not_match_its_hash_is_refused(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path
) -> None:
    crafted = _resigned(vault, record_id, tmp_path, change={"carers_views": "Nothing asked."})
    result = import_signed_pdf(carer_vault, crafted)
    assert result.outcome == "refused"
    assert "does not add up to the content hash" in result.message
    assert _count(carer_vault, SignedDocument) == 0 and _count(carer_vault, Record) == 0


def test_a_later_version_signed_by_someone_else_is_not_added(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path
) -> None:
    from tests.test_signing import _signer_for

    import_signed_pdf(carer_vault, _export(vault, record_id, tmp_path / "v1"))
    lifecycle.amend(vault, record_id, "Typo")
    lifecycle.finalise(vault, record_id)
    other = _resigned(vault, record_id, tmp_path, signer=_signer_for("Someone Else"))
    result = import_signed_pdf(carer_vault, other)
    assert result.outcome == "imported"  # kept, genuinely signed by Someone Else
    assert "signed by someone other than the versions you already hold" in result.message
    assert records.get_record(carer_vault, record_id).summary.version == 1


# --- read-only, responses, countersignatures ---------------------------------------------


def test_a_received_record_cannot_be_amended_or_signed_again(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path
) -> None:
    import_signed_pdf(carer_vault, _export(vault, record_id, tmp_path / "out"))
    with pytest.raises(InvalidInput, match="read-only"):
        lifecycle.amend(carer_vault, record_id, "I disagree")
    with pytest.raises(InvalidInput, match="received as a signed PDF"):
        export_record(carer_vault, record_id, tmp_path / "again")


def test_a_carer_response_is_linked_to_the_record_it_answers(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path
) -> None:
    import_signed_pdf(carer_vault, _export(vault, record_id, tmp_path / "out"))
    subject = records.get_record(carer_vault, record_id).summary.subject_id
    response = records.create_record(
        carer_vault, get_template("carer-response"), subject_id=subject,
        session_date="2026-11-25", fields={
            "responds_to": record_id, "responds_to_title": "Foster carer supervision record",
            "true_reflection": False,
            "disagreements": "The respite dates were 3 to 5 January, not 2 to 4.",
            "carer_signature": _signature(CARER, "Foster carer"),
        })
    lifecycle.finalise(carer_vault, response)
    sent = _export(carer_vault, response, tmp_path / "response")

    result = import_signed_pdf(vault, sent)
    assert result.outcome == "imported" and result.kind == "response", result.message
    assert result.record_id == record_id
    assert "NOT a true reflection" in result.message
    (found,) = responses_to(vault, record_id)
    assert found.signed_by == CARER and found.unchanged and found.true_reflection is False
    assert "3 to 5 January" in found.disagreements
    assert _count(vault, Record) == 1  # linked, not taken in as a record


def test_the_carer_countersigned_copy_comes_back_linked_to_the_workers_record(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path
) -> None:
    path = _export(vault, record_id, tmp_path / "out")
    import_signed_pdf(carer_vault, path)
    signed = countersign_file(carer_vault, path, tmp_path / "countersigned.pdf")
    result = import_signed_pdf(vault, signed)
    assert result.outcome == "imported", result.message
    assert result.kind == "countersigned" and result.record_id == record_id
    assert [s.name for s in result.signers] == ["Morgan Testwell", CARER]
    assert "your own record" in result.message
    assert "countersign" in {e.action for e in audit.entries(carer_vault)}
    assert audit.check_log(vault).ok and audit.check_log(carer_vault).ok


def test_a_kept_document_is_saved_back_byte_for_byte(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path
) -> None:
    path = _export(vault, record_id, tmp_path / "out")
    result = import_signed_pdf(carer_vault, path)
    assert result.document_id is not None
    saved = save_document(carer_vault, result.document_id, tmp_path / "saved.pdf")
    assert saved.read_bytes() == path.read_bytes()
    assert verify_document(carer_vault, result.document_id).ok


# --- command line --------------------------------------------------------------------------


def test_cli_export_carer_copy_import_list_save_and_responses(
    vault: Vault, record_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "vault"
    vault.close()
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    carer_folder = tmp_path / "carer-cli"
    vault_access.create_vault(carer_folder, owner_name=CARER, role="carer",
                              passphrase=PASSPHRASE).vault.close()

    assert run(["export", record_id, "--out", str(tmp_path / "out"), "--carer-copy",
                "--vault", str(folder)]) == 0
    (path,) = capsys.readouterr().out.split()
    assert "carer-copy" in path
    assert run(["import", path, "--vault", str(carer_folder)]) == 0
    out = capsys.readouterr().out
    assert "unchanged since signing" in out and "Morgan Testwell" in out
    assert f"Linked to record {record_id}" in out

    changed = _one_byte_changed(Path(path))
    assert run(["import", str(changed), "--vault", str(carer_folder)]) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("Refused")

    assert run(["documents", "list", "--vault", str(carer_folder)]) == 0
    listing = capsys.readouterr().out
    assert "Carer copy" in listing and "Genuine" in listing and CARER in listing
    assert run(["documents", "list", "--json", "--vault", str(carer_folder)]) == 0
    import json

    (document,) = json.loads(capsys.readouterr().out)
    out_file = tmp_path / "copy.pdf"
    assert run(["documents", "save", document["id"], "--out", str(out_file),
                "--vault", str(carer_folder)]) == 0
    capsys.readouterr()
    assert out_file.read_bytes() == Path(path).read_bytes()
    assert run(["documents", "responses", record_id, "--vault", str(folder)]) == 0
    assert "(no responses)" in capsys.readouterr().out


def test_a_received_record_is_not_listed_as_waiting_to_be_exported(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path
) -> None:
    """The worker exports and uploads their record; the carer's copy asks nothing of the
    carer: it is not "finalised, not exported" on any list."""
    from supervision_desktop.services.compliance import due_report

    assert record_id in {r.record_id for r in due_report(vault).not_exported}
    import_signed_pdf(carer_vault, _export(vault, record_id, tmp_path / "out"))
    report = due_report(carer_vault)
    assert record_id not in {r.record_id for r in report.not_exported}
    assert record_id not in {r.record_id for r in report.drafts + report.not_uploaded}


@pytest.mark.parametrize("carer_copy", [False, True])
def test_an_export_reads_the_record_once_and_parses_its_template_once(
    vault: Vault, record_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    carer_copy: bool,
) -> None:
    """One consistent read of the record (never a mix of two moments if an autosave lands
    in between) and one parse of its template, then one write keeping the file."""
    from supervision_desktop.domain.templates import Template

    _export(vault, record_id, tmp_path / "first")  # the signing certificate, made on first use
    parses, reads, writes = [], [], []
    parse, read, write = Template.from_snapshot.__func__, Vault.read, Vault.transaction
    monkeypatch.setattr(Template, "from_snapshot",
                        classmethod(lambda cls, text: parses.append(1) or parse(cls, text)))
    monkeypatch.setattr(Vault, "read", lambda self: reads.append(1) or read(self))
    monkeypatch.setattr(Vault, "transaction", lambda self: writes.append(1) or write(self))
    _export(vault, record_id, tmp_path / "again", carer_copy=carer_copy)
    # the signing certificate read, then the file kept with the record marked and logged
    assert (len(parses), len(reads), len(writes)) == (1, 1, 2)
