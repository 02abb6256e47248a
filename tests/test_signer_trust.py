"""Who signed it, and do we trust them: known signers and agency CAs between real vaults.

A worker's vault exports; a carer's vault imports (the first file pins the worker's
certificate). An impostor with a certificate in the worker's name is refused, shown as
not genuine and exits 3; a new certificate is accepted only on purpose, with a reason in
the audit log. A certificate IT issues from the vault's own request (CSR) is trusted
where the agency CA is installed machine-wide or imported, and nowhere else. Checked
against poppler's ``pdfsig`` as a second opinion.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from supervision_desktop import paths
from supervision_desktop.cli import run
from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import audit, certificates, known_signers, vault_access
from supervision_desktop.services.carer_import import import_signed_pdf
from supervision_desktop.services.documents import list_documents, verify_document
from supervision_desktop.services.verify import State, verify_file
from supervision_desktop.store.vault import Vault
from tests.conftest import OWNER, PASSPHRASE
from tests.test_carer_import import (  # noqa: F401 - fixtures
    CARER,
    _count,
    _export,
    _resigned,
    carer_vault,
    record_id,
)
from tests.test_signing import _signer_for

# --- helpers ----------------------------------------------------------------------------


def _pdfsig(path: Path) -> str:
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True,
                          check=False).stdout


def _impostor_pdf(vault: Vault, record: str, tmp_path: Path) -> Path:
    """The worker's record, signed by a certificate someone else made in the worker's name."""
    return _resigned(vault, record, tmp_path, signer=_signer_for(OWNER))


def _valid_for(days: int) -> tuple[dt.datetime, dt.datetime]:
    """From a day before the earlier of the suite's clock (SUPERVISION_TEST_TODAY) and the
    real one, which poppler reads, to ``days`` after the later: valid for both."""
    from time_machine import escape_hatch

    suite = dt.datetime.now(dt.UTC)
    real = (dt.datetime.fromtimestamp(escape_hatch.time.time(), dt.UTC)
            if escape_hatch.is_travelling() else suite)
    return (min(suite, real) - dt.timedelta(days=1), max(suite, real) + dt.timedelta(days=days))


def _ca(name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    start, end = _valid_for(3650)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                         False), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def _issue(csr_pem: bytes, ca: tuple[ec.EllipticCurvePrivateKey, x509.Certificate]) -> bytes:
    """What IT does with the request: a two-year signing certificate, chain appended."""
    ca_key, ca_cert = ca
    csr = x509.load_pem_x509_csr(csr_pem)
    assert csr.is_signature_valid
    start, end = _valid_for(730)
    cert = (x509.CertificateBuilder().subject_name(csr.subject)
            .issuer_name(ca_cert.subject).public_key(csr.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    return cert.public_bytes(pem) + ca_cert.public_bytes(pem)


def _ca_folder(folder: Path, ca: x509.Certificate) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "agency-root.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return folder


# --- known signers on import ---------------------------------------------------------------


def test_first_sender_is_pinned_then_an_impostor_is_refused_listed_and_exits_3(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    genuine = _export(vault, record_id, tmp_path / "out")
    first = import_signed_pdf(carer_vault, genuine)
    assert first.outcome == "imported", first.message
    words = known_signers.fingerprint_words(certificates.certificate_info(vault).fingerprint)
    assert f"First file from {OWNER}: their certificate is now kept as theirs " \
           f"(fingerprint {words})" in first.message
    (pinned,) = known_signers.list_signers(carer_vault)
    assert pinned.name == OWNER and pinned.accepted_how == "first_use"

    impostor = _impostor_pdf(vault, record_id, tmp_path)
    assert "Signature is Valid" in _pdfsig(impostor)  # cryptographically fine to poppler
    refused = import_signed_pdf(carer_vault, impostor)
    assert refused.outcome == "refused" and not refused.ok
    assert ("signed by a different certificate than the one you have for this worker "
            f"({OWNER})") in refused.message
    assert "Nothing was stored" in refused.message
    assert len(list_documents(carer_vault)) == 1

    flagged = import_signed_pdf(carer_vault, impostor, keep_flagged=True)
    assert flagged.outcome == "flagged"
    states = {d.file_name: (d.state, d.genuine) for d in list_documents(carer_vault)}
    assert states[impostor.name] == ("not_genuine", False)
    assert states[genuine.name] == ("genuine", True)

    checked = verify_file(impostor, carer_vault)
    assert checked.report.ok and checked.state is State.UNKNOWN_SIGNER
    assert checked.exit_code == 3 and not checked.ok
    assert checked.signers[0].standing is known_signers.Standing.MISMATCH
    assert checked.signers[0].on_file == (pinned.fingerprint,)
    assert len(known_signers.list_signers(carer_vault)) == 1  # neither refusal pinned it


def test_cli_verify_exit_codes_are_0_3_and_1(
    vault: Vault, record_id: str, vault_folder: Path, tmp_path: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    genuine = _export(vault, record_id, tmp_path / "out")
    impostor = _impostor_pdf(vault, record_id, tmp_path)
    stranger = _resigned(vault, record_id, tmp_path / "s", signer=_signer_for("Tam Stranger"))
    altered = tmp_path / "altered.pdf"
    data = bytearray(genuine.read_bytes())
    data[data.index(b"stream", len(data) // 4) + 40] ^= 0x01
    altered.write_bytes(bytes(data))
    vault.close()
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)

    def verify(path: Path) -> tuple[int, str]:
        status = run(["verify", str(path), "--vault", str(vault_folder)])
        return status, capsys.readouterr().out

    status, out = verify(genuine)
    assert status == 0 and "Genuine: unchanged since signing" in out
    status, out = verify(impostor)
    assert status == 3
    assert (f"NOT GENUINE: unchanged since signing, but signed by a different certificate "
            f"than the one you have for this worker ({OWNER})." in out)
    assert "You have:" in out
    status, out = verify(stranger)
    assert status == 3
    assert "the signer is not known to you (Tam Stranger)" in out
    status, out = verify(altered)
    assert status == 1 and "NOT VALID: the content was changed after signing" in out


def test_a_new_certificate_is_accepted_only_on_purpose_and_audited(
    vault: Vault, record_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    carer_folder = tmp_path / "carer-cli"
    vault_access.create_vault(carer_folder, owner_name=CARER, role="carer",
                              passphrase=PASSPHRASE).vault.close()
    genuine = _export(vault, record_id, tmp_path / "out")
    new_laptop = _impostor_pdf(vault, record_id, tmp_path)  # a new key in the same name
    vault.close()
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)

    def cli(*argv: str) -> tuple[int, str, str]:
        status = run([*argv, "--vault", str(carer_folder)])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return status, out, err

    assert cli("import", str(genuine))[0] == 0
    assert cli("import", str(new_laptop))[0] == 1
    status, _out, err = cli("signers", "accept", str(new_laptop))
    assert status == 1
    assert "signed by a different certificate than the one you have for this worker" in err
    assert cli("verify", str(new_laptop))[0] == 3  # still not accepted

    status, out, _err = cli("signers", "accept", str(new_laptop),
                            "--reason", "New laptop; fingerprint read out by phone")
    assert status == 0 and f"Accepted for {OWNER} (accepted as a replacement):" in out
    assert cli("verify", str(new_laptop))[0] == 0
    assert cli("verify", str(genuine))[0] == 0  # the earlier certificate still counts
    status, out, _err = cli("signers", "list", "--json")
    listed = json.loads(out)
    assert [(s["name"], s["accepted_how"], s["reason"]) for s in listed] == [
        (OWNER, "first_use", ""),
        (OWNER, "replaced", "New laptop; fingerprint read out by phone")]
    assert all(len(s["fingerprint_words"].split()) == 12 for s in listed)
    status, out, _err = cli("import", str(new_laptop))
    assert status == 0, out
    status, out, _err = cli("audit", "list", "--json")
    newest_first = [e["detail"] for e in json.loads(out) if e["action"] == "signer_change"]
    assert newest_first[::-1] == [
        f"certificate {listed[0]['sha256'][:16]} accepted: first use",
        f"certificate {listed[1]['sha256'][:16]} accepted: accepted as a replacement "
        "(reason given)"]


# --- agency CA: the CSR flow and trust anchors ---------------------------------------------


def test_a_certificate_it_issues_from_the_vaults_request_is_trusted_where_its_ca_is(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    agency, other = _ca("Example Children's Trust Signing CA"), _ca("Elsewhere Council CA")
    own_key = serialization.load_pem_private_key(
        certificates._ensure(vault).key_pem, password=None)
    csr = x509.load_pem_x509_csr(certificates.certificate_request(vault))
    raw = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    assert csr.public_key().public_bytes(*raw) == own_key.public_key().public_bytes(*raw)
    assert csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == OWNER

    wrong = tmp_path / "someone-else.crt"
    someone = certificates.generate_certificate("Somebody Else")[1]
    wrong.write_bytes(someone)
    with pytest.raises(InvalidInput, match="is not for this vault's key"):
        certificates.import_signed(vault, wrong)
    issued = tmp_path / "worker.crt"
    issued.write_bytes(_issue(certificates.certificate_request(vault), agency))
    info = certificates.import_signed(vault, issued)
    assert info.source == "issued" and info.issuer == "Example Children's Trust Signing CA"
    assert not info.self_signed
    pdf = _export(vault, record_id, tmp_path / "out")
    poppler = _pdfsig(pdf)
    assert "Signature is Valid" in poppler and f"Common Name: {OWNER}" in poppler
    assert "Certificate issuer isn't Trusted" in poppler  # poppler has no agency CA

    machine = _ca_folder(tmp_path / "machine-ca", agency[1])
    trusted = verify_file(pdf, carer_vault, ca_dir=machine)
    assert trusted.state is State.GENUINE and trusted.exit_code == 0
    assert trusted.signers[0].standing is known_signers.Standing.TRUSTED
    assert "issued by Example Children's Trust Signing CA" in trusted.signers[0].message

    elsewhere = verify_file(pdf, carer_vault, ca_dir=_ca_folder(tmp_path / "other", other[1]))
    assert elsewhere.state is State.UNKNOWN_SIGNER and elsewhere.exit_code == 3
    assert elsewhere.signers[0].standing is known_signers.Standing.NEW

    # a per-user folder, or the XDG variables pointing elsewhere, add nothing
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CONFIG_DIRS", "XDG_DATA_DIRS"):
        folder = tmp_path / variable
        _ca_folder(folder / "SupervisionDesktop" / "ca", agency[1])
        monkeypatch.setenv(variable, str(folder))
    _ca_folder(Path(paths.default_vault_dir()).parent / "ca", agency[1])
    assert paths.machine_ca_dir() == Path("/etc/xdg/SupervisionDesktop/ca")
    assert verify_file(pdf, carer_vault).state is State.UNKNOWN_SIGNER

    imported = import_signed_pdf(carer_vault, pdf, ca_dir=machine)
    assert imported.outcome == "imported", imported.message
    (pinned,) = known_signers.list_signers(carer_vault)
    assert pinned.accepted_how == "agency_ca"
    (kept,) = list_documents(carer_vault)
    assert kept.state == "genuine"
    assert verify_document(carer_vault, kept.id).exit_code == 0  # pinned: known from now on


def _signed_under_agency_ca(vault: Vault, record: str, tmp_path: Path
                            ) -> tuple[x509.Certificate, Path, Path]:
    """The agency CA, the worker certificate it issued from the vault's own request (now
    the vault's), and the record exported and signed with it."""
    key, ca = _ca("Example Children's Trust Signing CA")
    issued = tmp_path / "worker.crt"
    issued.write_bytes(_issue(certificates.certificate_request(vault), (key, ca)))
    certificates.import_signed(vault, issued)
    return ca, issued, _export(vault, record, tmp_path / "out")


def test_an_agency_ca_is_trusted_in_a_vault_only_by_an_audited_import(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path,  # noqa: F811
) -> None:
    agency_ca, issued, pdf = _signed_under_agency_ca(vault, record_id, tmp_path)
    nowhere = tmp_path / "empty-machine-folder"
    assert verify_file(pdf, carer_vault, ca_dir=nowhere).exit_code == 3

    leaf_only = tmp_path / "leaf.crt"
    leaf_only.write_bytes(issued.read_bytes().split(b"-----END CERTIFICATE-----")[0]
                          + b"-----END CERTIFICATE-----\n")
    with pytest.raises(InvalidInput, match="holds no CA certificate"):
        from supervision_desktop.services.agency_trust import import_ca

        import_ca(carer_vault, leaf_only)
    ca_file = _ca_folder(tmp_path / "ca", agency_ca) / "agency-root.pem"
    (added,) = import_ca(carer_vault, ca_file)
    assert added.name == "Example Children's Trust Signing CA"
    assert import_ca(carer_vault, ca_file) == []  # once
    assert verify_file(pdf, carer_vault, ca_dir=nowhere).exit_code == 0
    assert [e.detail for e in audit.entries(carer_vault) if e.action == "trust_change"] == [
        f"agency CA {added.fingerprint[:16]} trusted (imported by the owner)"]
    assert audit.check_log(carer_vault).ok


def test_a_ca_in_the_agency_pack_is_trusted_only_when_it_installed_machine_wide(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from supervision_desktop.services import agency as agency_service

    agency_ca, _issued, pdf = _signed_under_agency_ca(vault, record_id, tmp_path)
    pack = tmp_path / "pack"
    agency_service.new_pack(pack, "walsall")
    _ca_folder(pack / "ca", agency_ca)
    monkeypatch.setattr(paths, "machine_ca_dir", lambda: tmp_path / "no-ca-folder")
    monkeypatch.setattr(paths, "user_agency_dir", lambda: tmp_path / "no-user-pack")
    monkeypatch.delenv(agency_service.ENVIRONMENT, raising=False)

    monkeypatch.setattr(paths, "machine_agency_dir", lambda: tmp_path / "no-machine-pack")
    assert verify_file(pdf, carer_vault).exit_code == 3  # no pack: not trusted
    monkeypatch.setenv(agency_service.ENVIRONMENT, str(pack))
    assert verify_file(pdf, carer_vault).exit_code == 3  # a user's setting adds no trust
    monkeypatch.delenv(agency_service.ENVIRONMENT)
    monkeypatch.setattr(paths, "user_agency_dir", lambda: pack)
    assert verify_file(pdf, carer_vault).exit_code == 3  # nor does the user's own folder
    monkeypatch.setattr(paths, "machine_agency_dir", lambda: pack)
    assert verify_file(pdf, carer_vault).exit_code == 0  # installed by IT: trusted
