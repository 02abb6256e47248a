"""Signing and verifying PDFs: what a recipient's PDF reader and our `verify` both see.

Checked independently with poppler's ``pdfsig`` and ``pdftotext``. The PDFs here are
small reportlab documents with uncompressed text, so a tamper test can change an entered
value in place.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from reportlab.pdfgen.canvas import Canvas

from supervision_desktop.errors import InvalidInput
from supervision_desktop.export.signing import (
    SignedRecordInfo,
    free_signature_fields,
    make_signer,
    sign_pdf,
)
from supervision_desktop.export.verification import SELF_ASSERTED, verify_pdf
from supervision_desktop.services import certificates
from supervision_desktop.store.vault import Vault
from tests.conftest import OWNER, files_containing

RECORD = SignedRecordInfo("0123456789abcdef0123456789abcdef", 2, "ab" * 32, "test-template")
OWNER_BOX = (2, 60.0, 60.0, 260.0, 130.0)
SECOND_BOX = (2, 320.0, 60.0, 520.0, 130.0)


def _unsigned_pdf(pages: int = 3) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pageCompression=0)
    for number in range(1, pages + 1):
        canvas.drawString(72, 720, f"Page {number}: Agreed payment 100 pounds")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _signer_for(name: str):  # type: ignore[no-untyped-def]
    key_pem, cert_pem = certificates.generate_certificate(name)
    key = serialization.load_pem_private_key(key_pem, None)
    cert = x509.load_pem_x509_certificate(cert_pem)
    return make_signer(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption()),
        cert.public_bytes(serialization.Encoding.DER),
    )


def _sign_first(data: bytes, signer) -> bytes:  # type: ignore[no-untyped-def]
    return sign_pdf(data, signer, field_name="Signature1", box=OWNER_BOX,
                    reason="Finalised supervision record, version 2", record=RECORD,
                    reserve=[("Signature2", SECOND_BOX)])


def _pdfsig(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "checked.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    return done.stdout + done.stderr


def _pdftotext(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _append_page(data: bytes) -> bytes:
    """What a forger does: an incremental update adding a page after the signature."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.writer import PageObject

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    text = b"BT /F1 12 Tf 72 720 Td (Added later) Tj ET"
    font = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Font"),
        generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
        generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
    })
    resources = generic.DictionaryObject({generic.NameObject("/Font"): generic.DictionaryObject(
        {generic.NameObject("/F1"): writer.add_object(font)})})
    writer.insert_page(PageObject(
        contents=writer.add_object(generic.StreamObject(stream_data=text)),
        media_box=[0, 0, 595, 842], resources=resources,
    ))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


@pytest.fixture(scope="module")
def owner_signer():  # type: ignore[no-untyped-def]
    return _signer_for("Morgan Testwell")


@pytest.fixture(scope="module")
def signed(owner_signer) -> bytes:  # type: ignore[no-untyped-def]
    return _sign_first(_unsigned_pdf(), owner_signer)


# --- signing and what readers see ----------------------------------------------------


def test_signed_pdf_is_valid_in_poppler_and_keeps_its_text(signed: bytes, tmp_path: Path
                                                           ) -> None:
    report = _pdfsig(signed, tmp_path)
    assert "Signer Certificate Common Name: Morgan Testwell" in report
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    assert "ETSI.CAdES.detached" in report  # PAdES
    text = _pdftotext(signed, tmp_path)
    assert text.count("Agreed payment 100 pounds") == 3
    # the visible stamp on the evidence page
    assert "Morgan Testwell" in text and "Digitally signed" in text
    assert "Finalised supervision record, version 2" in text


def test_verify_reports_signer_record_and_self_asserted_identity(signed: bytes) -> None:
    report = verify_pdf(signed)
    assert report.ok, report.problems
    assert report.summary == "Unchanged since signing (1 signature, all valid)."
    (check,) = report.signatures
    assert check.signer_name == "Morgan Testwell"
    assert check.signer_organisation == "Supervision Desktop"
    assert check.intact and check.valid and check.bottom_line
    assert check.coverage == "entire file" and check.modification_level == "NONE"
    assert not check.identity_confirmed and check.identity == SELF_ASSERTED
    assert check.signing_time is not None
    assert abs(check.signing_time - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert report.record == RECORD
    assert report.empty_signature_fields == ("Signature2",)
    assert not report.appended_after_last_signature


def test_one_changed_byte_fails_verify_and_poppler(signed: bytes, tmp_path: Path) -> None:
    at = signed.index(b"Agreed payment 100") + len("Agreed payment ")
    tampered = signed[:at] + b"9" + signed[at + 1:]
    assert b"Agreed payment 900" in tampered and len(tampered) == len(signed)
    report = verify_pdf(tampered)
    assert not report.ok
    assert not report.signatures[0].intact
    assert report.summary.startswith("NOT VALID: the content was changed after signing")
    assert "Digest Mismatch" in _pdfsig(tampered, tmp_path)


def test_a_page_appended_after_signing_fails_verify(signed: bytes, tmp_path: Path) -> None:
    forged = _append_page(signed)
    assert "Added later" in _pdftotext(forged, tmp_path)
    poppler = _pdfsig(forged, tmp_path)
    # poppler alone is fooled: the signed bytes are intact, only "not total document"
    assert "Signature is Valid" in poppler and "Not total document signed" in poppler
    report = verify_pdf(forged)
    assert not report.ok
    assert report.appended_after_last_signature
    (check,) = report.signatures
    assert check.intact  # the signed revision itself is untouched ...
    assert not check.bottom_line  # ... but what came after is not a signature
    assert check.modification_level == "OTHER" and check.docmdp_ok is False
    assert any("added to the file after the last signature" in p for p in report.problems)


def test_countersignature_keeps_the_first_valid(signed: bytes, tmp_path: Path) -> None:
    assert [f.name for f in free_signature_fields(signed)] == ["Signature2"]
    assert free_signature_fields(signed)[0].box == SECOND_BOX[1:]
    carer = _signer_for("Siân Ŵyn")
    both = sign_pdf(signed, carer, field_name="Signature2", box=None, reason="Countersigned")
    report = verify_pdf(both)
    assert report.ok, report.problems
    assert [s.signer_name for s in report.signatures] == ["Morgan Testwell", "Siân Ŵyn"]
    first, second = report.signatures
    assert first.coverage == "entire revision" and first.modification_level == "FORM_FILLING"
    assert second.coverage == "entire file"
    assert report.empty_signature_fields == ()
    assert report.record == RECORD
    poppler = _pdfsig(both, tmp_path)
    assert poppler.count("Signature is Valid") == 2
    assert "Siân Ŵyn" in poppler
    text = _pdftotext(both, tmp_path)
    assert "Siân Ŵyn" in text and "Countersigned" in text
    # a page added after the countersignature is caught too
    assert not verify_pdf(_append_page(both)).ok


def test_without_a_free_box_a_countersignature_is_invisible_and_valid(
    owner_signer, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    alone = sign_pdf(_unsigned_pdf(), owner_signer, field_name="Signature1", box=None,
                     reason="")
    assert free_signature_fields(alone) == []
    both = sign_pdf(alone, _signer_for("Riley Carer"), field_name="Signature2", box=None,
                    reason="Countersigned")
    report = verify_pdf(both)
    assert report.ok and [s.signer_name for s in report.signatures] == [
        "Morgan Testwell", "Riley Carer"]
    assert _pdfsig(both, tmp_path).count("Signature is Valid") == 2
    assert "Riley Carer" not in _pdftotext(both, tmp_path)  # nothing drawn


def test_a_field_is_signed_only_once(signed: bytes, owner_signer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="already signed"):
        sign_pdf(signed, owner_signer, field_name="Signature1", box=None, reason="")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "This file is not a PDF."),
        (b"PK\x03\x04 a zip file", "This file is not a PDF."),
        (_unsigned_pdf(), "This PDF has no digital signature."),
    ],
    ids=["empty", "zip", "unsigned"],
)
def test_not_a_signed_pdf_gets_a_clear_message(data: bytes, message: str) -> None:
    report = verify_pdf(data)
    assert not report.ok and report.summary == message and report.signatures == ()


def test_truncated_pdf_gets_a_clear_message(signed: bytes) -> None:
    for cut in (len(signed) // 2, len(signed) - 40, 200):
        report = verify_pdf(signed[:cut])
        assert not report.ok
        assert "cut short" in report.summary or "no digital signature" in report.summary


# --- the owner's certificate ---------------------------------------------------------


def test_certificate_is_made_once_inside_the_encrypted_vault(vault: Vault, vault_folder: Path
                                                             ) -> None:
    info = certificates.certificate_info(vault)
    assert info.common_name == OWNER and info.organisation == "Supervision Desktop"
    assert info.self_signed and info.source == "generated"
    assert 3650 <= (info.not_after - info.not_before).days <= 3655
    signer, again = certificates.owner_signer(vault)
    assert again == info  # not regenerated
    assert certificates.owner_signer(vault)[0] is signer  # cached while the vault is open
    cert = signer.signing_cert
    assert cert["tbs_certificate"]["subject_public_key_info"].curve[1] == "secp256r1"
    assert cert.key_usage_value.native == {"digital_signature", "non_repudiation"}
    assert files_containing(vault_folder, "PRIVATE KEY") == []
    assert files_containing(vault_folder, OWNER) == []


def test_a_name_certificates_cannot_hold_is_written_in_latin_letters() -> None:
    _, cert_pem = certificates.generate_certificate("Siân مرحبا")
    cert = x509.load_pem_x509_certificate(cert_pem)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Sian"


# --- agency certificates -------------------------------------------------------------


def _agency_p12(tmp_path: Path, password: bytes, *, with_ca: bool = True) -> Path:
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Example Trust Signing CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([
                x509.NameAttribute(NameOID.COMMON_NAME, "Alex Agency-Signer"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Children's Trust"),
            ]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=730))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    data = pkcs12.serialize_key_and_certificates(
        b"agency", key, leaf, [ca] if with_ca else None,
        serialization.BestAvailableEncryption(password),
    )
    path = tmp_path / "agency.p12"
    path.write_bytes(data)
    return path


def test_pkcs12_import_replaces_the_certificate_and_trusts_its_agency(
    vault: Vault, tmp_path: Path
) -> None:
    generated = certificates.owner_signer(vault)[0]
    path = _agency_p12(tmp_path, b"agency pass")
    info = certificates.import_pkcs12(vault, path, "agency pass")
    assert info.common_name == "Alex Agency-Signer" and info.source == "imported"
    assert info.issuer == "Example Trust Signing CA" and not info.self_signed
    signer, shown = certificates.owner_signer(vault)
    assert signer is not generated and shown == info
    data = _sign_first(_unsigned_pdf(), signer)
    confirmed = verify_pdf(data, trust_roots=certificates.trusted_roots(vault))
    assert confirmed.ok and confirmed.signatures[0].identity_confirmed
    assert "Example Trust Signing CA" in confirmed.signatures[0].identity
    elsewhere = verify_pdf(data)  # someone without the agency root: valid, self-asserted
    assert elsewhere.ok and not elsewhere.signatures[0].identity_confirmed


def test_pkcs12_problems_are_explained(vault: Vault, tmp_path: Path) -> None:
    path = _agency_p12(tmp_path, b"right")
    with pytest.raises(InvalidInput, match=r"password for agency\.p12 is not right"):
        certificates.import_pkcs12(vault, path, "wrong")
    with pytest.raises(InvalidInput, match="needs its password"):
        certificates.import_pkcs12(vault, path, "")
    not_p12 = tmp_path / "letter.p12"
    not_p12.write_bytes(_unsigned_pdf(1))
    with pytest.raises(InvalidInput, match=r"letter\.p12 is not a PKCS#12 certificate file"):
        certificates.import_pkcs12(vault, not_p12, "right")
    with pytest.raises(InvalidInput, match=r"^There is no file missing\.p12 "):
        certificates.import_pkcs12(vault, tmp_path / "missing.p12", "right")
    assert certificates.certificate_info(vault).source == "generated"  # nothing changed
