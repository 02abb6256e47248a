"""Export, countersign, verify and certificates from the command line, on real vaults.

Every exported file is checked by poppler (``pdfsig``, ``pdftotext``) as a recipient
would, and by our own ``verify``; tampering and pages added after signing must fail.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from supervision_desktop.cli import run
from supervision_desktop.domain.templates import Template
from supervision_desktop.export.signing import sign_pdf
from supervision_desktop.export.verification import verify_pdf
from supervision_desktop.services import lifecycle, people, records
from supervision_desktop.services.templates import get_template
from supervision_desktop.store import settings
from supervision_desktop.store import vault as vaults
from tests.conftest import OWNER, PASSPHRASE, files_containing
from tests.sample_values import fill_every_field
from tests.test_signing import _agency_p12, _append_page, _signer_for, _unsigned_pdf

TEMPLATE = Template.model_validate({
    "id": "export-test", "version": 1, "title": "Export test supervision",
    "category": "supervision", "subject_kind": "supervisee",
    "source": {"organisation": "Test", "document": "Test", "seed": "none"},
    "sections": [{"id": "main", "title": "Discussion", "fields": [
        {"id": "wellbeing", "kind": "longtext", "label": "Welcome and wellbeing check",
         "required": True},
        {"id": "caseload", "kind": "longtext", "label": "Caseload discussion"},
        {"id": "next_date", "kind": "date", "label": "Next supervision"},
    ]}],
})
WELLBEING = "Jo said the new rota is working; Dŵr Łódź 你好 & <b>not bold</b>."
CASELOAD = "\n\n".join(f"Case {n}: visit planned, chronology updated, plan reviewed on time."
                       for n in range(1, 120))  # long enough for several pages


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("SUPERVISION_CERTIFICATE_PASSWORD", raising=False)


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


def _ok(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    status, out, err = _cli(capsys, *argv)
    assert status == 0, err
    return out


def _pdfsig(path: Path) -> str:
    done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    return done.stdout + done.stderr


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _record(folder: Path, data_key: bytes, *, finalise: bool = True) -> str:
    with vaults.open_with_key(folder, data_key) as vault:
        person = people.add_person(vault, "supervisee", {"name": "Jo Bloggs"})
        record_id = records.create_record(
            vault, TEMPLATE, subject_id=person.id, session_date="2026-11-22",
            fields={"wellbeing": WELLBEING, "caseload": CASELOAD, "next_date": "2026-12-20"},
        )
        if finalise:
            lifecycle.finalise(vault, record_id)
    return record_id


def _status(capsys: pytest.CaptureFixture[str], record_id: str, folder: Path) -> str:
    shown = json.loads(_ok(capsys, "record", "show", record_id, "--json", "--vault", str(folder)))
    return str(shown["status"])


@pytest.fixture
def exported(vault_folder: Path, data_key: bytes, tmp_path: Path,
             capsys: pytest.CaptureFixture[str]) -> tuple[str, Path]:
    record_id = _record(vault_folder, data_key)
    out = _ok(capsys, "export", record_id, "--out", str(tmp_path / "out"),
              "--vault", str(vault_folder))
    (path,) = [Path(line) for line in out.splitlines()]
    return record_id, path


@pytest.fixture
def pristine(_vault_template: tuple[Path, bytes, str]) -> Path:
    """The session's new, never-used vault (no certificate yet), to copy from."""
    return _vault_template[0]


def _other_vault(pristine: Path, data_key: bytes, tmp_path: Path, owner: str) -> Path:
    """A second person's vault (its own certificate, made at first need)."""
    other = tmp_path / "other-vault"
    shutil.copytree(pristine, other)
    with vaults.open_with_key(other, data_key) as vault, vault.transaction() as session:
        settings.write(session, settings.OWNER_NAME, owner)
    return other


# --- export --------------------------------------------------------------------------


def test_export_writes_a_signed_pdf_poppler_accepts(
    exported: tuple[str, Path], vault_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record_id, path = exported
    assert re.fullmatch(rf"supervision-record_export-test_2026-11-22_{record_id[:8]}_v1\.pdf",
                        path.name)
    poppler = _pdfsig(path)
    assert poppler.count("Signature is Valid") == 1
    assert f"Signer Certificate Common Name: {OWNER}" in poppler
    assert "Total document signed" in poppler
    text = _pdftotext(path)
    assert text.count("\f") >= 3  # several pages
    flat = " ".join(text.split())
    assert "Jo said the new rota is working; Dŵr Łódź 你好 & <b>not bold</b>." in flat
    assert "Case 119: visit planned" in flat and "20/12/2026" in flat
    assert "Digitally signed" in flat  # the visible stamp
    assert _status(capsys, record_id, vault_folder) == "exported"
    assert files_containing(vault_folder, "PRIVATE KEY") == []


def test_names_go_into_the_file_name_only_when_asked(
    vault_folder: Path, data_key: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record_id = _record(vault_folder, data_key)
    out = _ok(capsys, "export", record_id, "--out", str(tmp_path), "--names",
              "--vault", str(vault_folder))
    assert Path(out.strip()).name.startswith("supervision-record_export-test_2026-11-22_Jo-Bloggs_")
    chosen = tmp_path / "chosen name.pdf"
    out = _ok(capsys, "export", record_id, "--out", str(chosen), "--vault", str(vault_folder))
    assert Path(out.strip()) == chosen and "Signature is Valid" in _pdfsig(chosen)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_a_draft_cannot_be_exported(
    vault_folder: Path, data_key: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record_id = _record(vault_folder, data_key, finalise=False)
    status, _out, err = _cli(capsys, "export", record_id, "--out", str(tmp_path / "out"),
                             "--vault", str(vault_folder))
    assert status == 1 and "Finalise the record first" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert _status(capsys, record_id, vault_folder) == "draft"


# --- verify --------------------------------------------------------------------------


def test_verify_passes_an_untouched_export_and_finds_it_in_the_vault(
    exported: tuple[str, Path], vault_folder: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str]
) -> None:
    record_id, path = exported
    out = _ok(capsys, "verify", str(path), "--vault", str(vault_folder))
    assert (f"Genuine: unchanged since signing, signed by {OWNER}, whom you trust."
            in out)
    assert "Signatures: Unchanged since signing (1 signature, all valid)." in out
    assert "Signer:     Known: your own certificate." in out
    assert f"Signed by:  {OWNER}, Supervision Desktop" in out
    assert "self-asserted" in out
    assert f"Your vault: Matches record {record_id}, version 1." in out
    report = json.loads(_ok(capsys, "verify", str(path), "--json", "--vault", str(vault_folder)))
    assert report["ok"] and report["state"] == "genuine"
    assert report["record"]["record_id"] == record_id
    assert report["vault"]["found"] and report["vault"]["version"] == 1
    assert report["signatures"][0]["bottom_line"] and not report["appended_after_last_signature"]
    # anyone without a vault: unchanged, but nobody is known to them (exit 3)
    status, nobody, _err = _cli(capsys, "verify", str(path),
                                "--vault", str(tmp_path / "no-vault-here"))
    assert status == 3
    assert f"Unchanged since signing, but the signer is not known to you ({OWNER})" in nobody
    assert "Your vault" not in nobody


def test_one_changed_byte_fails_verify_and_poppler(
    exported: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _record_id, path = exported
    data = path.read_bytes()
    inside = data.index(b"stream\n", len(data) // 4) + len(b"stream\n") + 20
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(data[:inside] + bytes([data[inside] ^ 0x01]) + data[inside + 1:])
    status, out, _err = _cli(capsys, "verify", str(tampered), "--vault", str(tmp_path / "none"))
    assert status == 1
    assert "NOT VALID: the content was changed after signing" in out
    assert "Digest Mismatch" in _pdfsig(tampered)


def test_a_page_added_after_signing_fails_verify(
    exported: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _record_id, path = exported
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(_append_page(path.read_bytes()))
    poppler = _pdfsig(forged)
    assert "Signature is Valid" in poppler and "Not total document signed" in poppler
    status, out, _err = _cli(capsys, "verify", str(forged), "--json",
                             "--vault", str(tmp_path / "none"))
    assert status == 1
    report = json.loads(out)
    assert not report["ok"] and report["appended_after_last_signature"]


def test_a_pdf_that_only_claims_to_be_our_record_is_flagged(
    exported: tuple[str, Path], vault_folder: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str]
) -> None:
    """Anyone can write our record id and hash into a PDF they sign themselves."""
    record_id, path = exported
    claimed = verify_pdf(path.read_bytes()).record
    assert claimed is not None and claimed.record_id == record_id
    forger = _signer_for(OWNER)  # same name, different key
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(sign_pdf(_unsigned_pdf(), forger, field_name="Signature1",
                              box=(0, 60, 60, 260, 130), reason="", record=claimed))
    status, out, _err = _cli(capsys, "verify", str(fake), "--json",
                             "--vault", str(vault_folder))
    assert status == 3
    report = json.loads(out)
    assert report["intact"] and not report["ok"]  # a valid signature, by another key ...
    assert report["state"] == "unknown_signer"
    assert report["signers"][0]["standing"] == "mismatch"
    assert "signed by a different certificate than the one you have" in report["state_summary"]
    assert report["vault"]["found"] and not report["vault"]["signed_here"]
    assert "not signed with this vault's certificate" in report["vault"]["message"]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a pdf at all", "This file is not a PDF."),
     (None, "There is no file")],
    ids=["not-pdf", "missing"],
)
def test_verify_explains_files_it_cannot_check(
    content: bytes | None, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "record.pdf"
    if content is not None:
        path.write_bytes(content)
    status, out, err = _cli(capsys, "verify", str(path), "--vault", str(tmp_path / "none"))
    assert status == 1 and message in out + err


# --- countersign ---------------------------------------------------------------------


def test_countersigned_export_has_two_valid_signatures(
    exported: tuple[str, Path], vault_folder: Path, pristine: Path, data_key: bytes,
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record_id, path = exported
    carer = _other_vault(pristine, data_key, tmp_path, "Riley Carer")
    both = tmp_path / "countersigned.pdf"
    _ok(capsys, "countersign", str(path), "--out", str(both), "--vault", str(carer))
    poppler = _pdfsig(both)
    assert poppler.count("Signature is Valid") == 2
    assert f"Common Name: {OWNER}" in poppler and "Common Name: Riley Carer" in poppler
    status, out, _err = _cli(capsys, "verify", str(both), "--vault", str(vault_folder))
    assert status == 3  # Riley Carer has never sent this vault anything
    assert "Signatures: Unchanged since signing (2 signatures, all valid)." in out
    assert "the signer is not known to you (Riley Carer)" in out
    assert f"Matches record {record_id}, version 1." in out
    assert "Riley Carer" in _pdftotext(both) and "Countersigned" in _pdftotext(both)
    status, _out, err = _cli(capsys, "countersign", str(both), "--out", str(tmp_path / "3.pdf"),
                             "--vault", str(carer))
    assert status == 1 and "already carries your signature" in err
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(_append_page(path.read_bytes()))
    status, _out, err = _cli(capsys, "countersign", str(forged), "--out",
                             str(tmp_path / "4.pdf"), "--vault", str(carer))
    assert status == 1 and "was not countersigned" in err
    assert not (tmp_path / "4.pdf").exists()


# --- certificates --------------------------------------------------------------------


def test_imported_agency_certificate_signs_exports(
    vault_folder: Path, data_key: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = json.loads(_ok(capsys, "certificate", "show", "--json", "--vault", str(vault_folder)))
    assert shown["common_name"] == OWNER and shown["self_signed"]
    earlier = Path(_ok(capsys, "export", _record(vault_folder, data_key), "--out",
                       str(tmp_path / "earlier"), "--vault", str(vault_folder)).strip())
    p12 = _agency_p12(tmp_path, b"agency pass")
    monkeypatch.setenv("SUPERVISION_CERTIFICATE_PASSWORD", "wrong pass")
    status, _out, err = _cli(capsys, "certificate", "import", str(p12),
                             "--vault", str(vault_folder))
    assert status == 1
    assert "error: The password for agency.p12 is not right. Nothing was changed." in err
    monkeypatch.setenv("SUPERVISION_CERTIFICATE_PASSWORD", "agency pass")
    out = _ok(capsys, "certificate", "import", str(p12), "--vault", str(vault_folder))
    assert "Alex Agency-Signer" in out and "issued by Example Trust Signing CA" in out
    record_id = _record(vault_folder, data_key)
    written = Path(_ok(capsys, "export", record_id, "--out", str(tmp_path / "out"),
                       "--vault", str(vault_folder)).strip())
    poppler = _pdfsig(written)
    assert "Signer Certificate Common Name: Alex Agency-Signer" in poppler
    assert "Signature is Valid" in poppler
    report = json.loads(_ok(capsys, "verify", str(written), "--json",
                            "--vault", str(vault_folder)))
    assert report["signatures"][0]["identity_confirmed"]
    assert report["vault"]["signed_here"]
    before = json.loads(_ok(capsys, "verify", str(earlier), "--json",
                            "--vault", str(vault_folder)))
    assert before["vault"]["signed_here"]  # exported with the certificate it replaced
    assert not before["signatures"][0]["identity_confirmed"]


# --- per child and uploads -----------------------------------------------------------


def test_per_child_record_is_exported_once_per_child(
    vault_folder: Path, data_key: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = get_template("case-supervision-sos")
    with vaults.open_with_key(vault_folder, data_key) as vault:
        kai = people.add_person(vault, "child", {"name": "Kai Example"})
        people.add_person(vault, "child", {"name": "Lola Example"})
        fields = fill_every_field(template, "Discussed")
        fields["child"] = "Kai Example"
        fields["children_discussed"] = [
            {"family_child": "Kai Example", "copy_made": "2026-11-22"},
            {"family_child": " lola  example", "copy_made": "2026-11-22"},
            {"family_child": "Someone Not In The Vault"},
        ]
        record_id = records.create_record(vault, template, subject_id=kai.id,
                                          session_date="2026-11-22", fields=fields)
        lifecycle.finalise(vault, record_id)
    out = _ok(capsys, "export", record_id, "--out", str(tmp_path), "--vault", str(vault_folder))
    paths = [Path(line) for line in out.splitlines()]
    assert [p.name[-12:] for p in paths] == ["_child-1.pdf", "_child-2.pdf"]
    for path, child in zip(paths, ("Kai Example", "Lola Example"), strict=True):
        assert "Signature is Valid" in _pdfsig(path)
        assert f"Copy for: {child}" in _pdftotext(path)
        assert "Kai" not in path.name and "Lola" not in path.name


def test_marking_uploaded_needs_an_export_and_survives_re_export(
    vault_folder: Path, data_key: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record_id = _record(vault_folder, data_key)
    folder = ["--vault", str(vault_folder)]
    status, _out, err = _cli(capsys, "mark-uploaded", record_id, "--reference", "LCS-123",
                             *folder)
    assert status == 1 and "Export the record before" in err
    _ok(capsys, "export", record_id, "--out", str(tmp_path), *folder)
    out = _ok(capsys, "mark-uploaded", record_id, "--date", "22/11/2026", "--reference",
              "LCS-123", *folder)
    assert "22/11/2026" in out and "LCS-123" in out
    assert _status(capsys, record_id, vault_folder) == "uploaded"
    _ok(capsys, "export", record_id, "--out", str(tmp_path), *folder)
    assert _status(capsys, record_id, vault_folder) == "uploaded"
