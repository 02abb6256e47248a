"""The verdicts a recipient reads when checking a signed record, pinned word for word.

Every PDF starts as the app's own export of a finalised record (or its countersignature by
a carer), made once per module with the clock stopped so signing times are known;
then it is changed the way a forger, a damaged copy or an expired certificate would change
it. Signing is slow: the variants are built from those few files, not signed afresh.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import time_machine
from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from supervision_desktop.cli.common import json_data, json_text
from supervision_desktop.export.signing import RECORD_KEY, make_signer, sign_pdf
from supervision_desktop.export.verification import SELF_ASSERTED, verify_pdf
from supervision_desktop.services import certificates, vault_access
from supervision_desktop.services.export import export_record
from supervision_desktop.store.models import Record
from supervision_desktop.store.vault import Vault
from tests.conftest import OWNER, PASSPHRASE
from tests.test_carer_mode import CARER, supervision_record

EXPORTED_AT = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
COUNTERSIGNED_AT = dt.datetime(2026, 11, 24, 10, 15, tzinfo=dt.UTC)
AGENCY_CA = "Example Trust Root CA"
AGENCY_SIGNER = "Alex Agency-Signer"


@dataclass(frozen=True)
class Made:
    exported: bytes  # the owner's export, one signature, a free field for a countersignature
    countersigned: bytes  # the same, countersigned by the carer
    unsigned: bytes  # the same record as rendered, before it was signed
    record: dict[str, Any]  # the record as the vault knows it
    owner_sha256: str  # the owner's certificate, as the vault describes it
    carer_sha256: str
    agency_signed: bytes  # a record exported after importing an agency's certificate
    agency_root_pem: bytes
    agency_root_der: bytes


def _agency_p12(folder: Path) -> tuple[Path, x509.Certificate]:
    """An agency's PKCS#12: root CA, intermediate CA, the worker's certificate."""
    start = EXPORTED_AT - dt.timedelta(days=30)

    def build(subject: x509.Name, issuer: x509.Name, public: Any, signing_key: Any, *,
              ca: bool) -> x509.Certificate:
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
                   .public_key(public).serial_number(x509.random_serial_number())
                   .not_valid_before(start).not_valid_after(start + dt.timedelta(days=3650)))
        if ca:
            builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None),
                                            critical=True)
        else:
            builder = builder.add_extension(
                x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                critical=True)
        return builder.sign(signing_key, hashes.SHA256())

    def name(*parts: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
        return x509.Name([x509.NameAttribute(oid, value) for oid, value in parts])

    root_key, middle_key, key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root_name = name((NameOID.COMMON_NAME, AGENCY_CA))
    middle_name = name((NameOID.COMMON_NAME, "Example Trust Issuing CA"))
    root = build(root_name, root_name, root_key.public_key(), root_key, ca=True)
    middle = build(middle_name, root_name, middle_key.public_key(), root_key, ca=True)
    leaf = build(name((NameOID.COMMON_NAME, AGENCY_SIGNER),
                      (NameOID.ORGANIZATION_NAME, "Example Children's Trust")),
                 middle_name, key.public_key(), middle_key, ca=False)
    path = folder / "agency.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"agency", key, leaf, [middle, root],
        serialization.BestAvailableEncryption(b"agency pass")))
    return path, root


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Made:
    """One vault exports a record with its own certificate, then again after importing an
    agency's certificate; a carer's certificate countersigns the first,
    as the app's countersigning does (an empty field filled with an invisible signature)."""
    folder = tmp_path_factory.mktemp("verification-rules")
    staff = vault_access.create_vault(folder / "staff", owner_name=OWNER, role="supervisor",
                                      passphrase=PASSPHRASE).vault
    try:
        with time_machine.travel(EXPORTED_AT, tick=False):
            record_id = supervision_record(staff, date="2026-11-20")
            (pdf,) = export_record(staff, record_id, folder / "out")
            owner_sha256 = certificates.certificate_info(staff).fingerprint
            with staff.read() as session:
                version = session.get_one(Record, record_id).versions[-1]
                record = {"record_id": record_id, "version": version.number,
                          "content_hash": version.content_hash,
                          "template_id": "foster-carer-supervision"}
            p12, root = _agency_p12(folder)
            certificates.import_pkcs12(staff, p12, "agency pass")
            (agency_pdf,) = export_record(staff, record_id, folder / "agency-out")
    finally:
        staff.close()
    exported = pdf.read_bytes()
    carer, carer_cert = _self_signed(CARER, "Supervision Desktop")
    with time_machine.travel(COUNTERSIGNED_AT, tick=False):
        both = sign_pdf(exported, carer, field_name="Signature2", box=None,
                        reason="Countersigned", signer_name=CARER)
    return Made(
        exported=exported, countersigned=both,
        # what was signed: the export's bytes up to the end of its first revision
        unsigned=exported[:exported.index(b"%%EOF") + len(b"%%EOF\n")],
        record=record, owner_sha256=owner_sha256,
        carer_sha256=carer_cert.fingerprint(hashes.SHA256()).hex(),
        agency_signed=agency_pdf.read_bytes(),
        agency_root_pem=root.public_bytes(serialization.Encoding.PEM),
        agency_root_der=root.public_bytes(serialization.Encoding.DER),
    )


# --- what a forger or a damaged copy does to a file -----------------------------------


def _updated(data: bytes, change: Any) -> bytes:
    """An incremental update after the last signature, as any PDF editor writes one."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    change(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _language_set(writer: Any) -> None:
    """A harmless change to the catalogue: not a signature, but not forbidden either."""
    from pyhanko.pdf_utils import generic

    writer.root["/Lang"] = generic.TextStringObject("en-GB")
    writer.update_root()


def _page_added(writer: Any) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PageObject

    font = writer.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Font"),
        generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
        generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
    }))
    writer.insert_page(PageObject(
        contents=writer.add_object(generic.StreamObject(
            stream_data=b"BT /F1 12 Tf 72 720 Td (Carer agreed to everything) Tj ET")),
        media_box=[0, 0, 595, 842],
        resources=generic.DictionaryObject({generic.NameObject("/Font"): generic.DictionaryObject(
            {generic.NameObject("/F1"): font})}),
    ))


def _reason_changed(data: bytes, old: bytes, new: bytes) -> bytes:
    """One signed character changed in place (the file keeps its length)."""
    assert len(old) == len(new) and data.count(old) == 1
    return data.replace(old, new)


def _signature_bytes_changed(data: bytes, *, part: str) -> bytes:
    """A bit flipped inside the last signature's CMS blob, which the digest does not cover:
    ``value`` in the signature value, ``signer`` in the serial number naming the signer."""
    found = list(re.finditer(rb"/Contents <([0-9a-fA-F]+)>", data))[-1]
    blob = bytes.fromhex(found.group(1).decode("ascii"))
    signer_info = cms.ContentInfo.load(blob)["content"]["signer_infos"][0]
    if part == "value":
        at = blob.index(signer_info["signature"].native) + 10
    else:
        at = blob.rindex(signer_info["sid"].chosen["serial_number"].contents) + 3
    changed = bytearray(blob)
    changed[at] ^= 0x01
    text = changed.hex().encode("ascii")
    if found.group(1).isupper():
        text = text.upper()
    return data[:found.start(1)] + text + data[found.end(1):]


def _self_signed(common_name: str | None, organisation: str, *,
                 valid: tuple[dt.datetime, dt.datetime] | None = None,
                 signs: bool = True, usage: tuple[bool, bool] | None = None
                 ) -> tuple[Any, x509.Certificate]:
    """A pyHanko signer and its certificate with the given names, valid (by default) from
    a day before the export for ten years; ``signs=False``: for key encipherment only."""
    key = ec.generate_private_key(ec.SECP256R1())
    parts = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)]
    if common_name is not None:
        parts.insert(0, x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    name = x509.Name(parts)
    start, end = valid or (EXPORTED_AT - dt.timedelta(days=1),
                           EXPORTED_AT + dt.timedelta(days=3650))
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.KeyUsage(*(usage or (signs, signs)), not signs, False, False,
                                         False, False, False, False), critical=True)
            .sign(key, hashes.SHA256()))
    return make_signer(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption()),
        cert.public_bytes(serialization.Encoding.DER)), cert


# --- a genuine file -------------------------------------------------------------------


def _owner_check(made: Made, **changes: Any) -> dict[str, Any]:
    return {
        "field": "Signature1", "signer": OWNER, "organisation": "Supervision Desktop",
        "issuer": OWNER, "certificate_sha256": made.owner_sha256,
        "signing_time": "2026-11-20T15:00:00+00:00", "intact": True, "valid": True,
        "identity_confirmed": False, "identity": SELF_ASSERTED, "bottom_line": True,
        "coverage": "entire file", "modification_level": "NONE", "docmdp_ok": True,
        "record": made.record, "problems": [], **changes,
    }


def test_an_exported_record_is_unchanged_since_signing_and_says_so_in_every_detail(
    made: Made,
) -> None:
    report = verify_pdf(made.exported)
    assert report.ok is True
    assert json.loads(json_text(report)) == {
        "ok": True, "summary": "Unchanged since signing (1 signature, all valid).",
        "signatures": [_owner_check(made)], "appended_after_last_signature": False,
        "empty_signature_fields": ["Signature2"], "record": made.record, "problems": [],
    }
    (check,) = report.signatures
    assert check.signing_time == EXPORTED_AT
    assert check.certificate[:1] == b"\x30"  # DER, which pins the very certificate
    assert certificates.describe(x509.load_der_x509_certificate(check.certificate),
                                 "generated").fingerprint == made.owner_sha256


def test_a_countersigned_record_lists_both_signers_in_signing_order(made: Made) -> None:
    report = verify_pdf(made.countersigned)
    assert json.loads(json_text(report)) == {
        "ok": True, "summary": "Unchanged since signing (2 signatures, all valid).",
        "signatures": [
            # the owner's signature covers its own revision; only a signature came after
            _owner_check(made, coverage="entire revision", modification_level="FORM_FILLING"),
            _owner_check(made, field="Signature2", signer=CARER, issuer=CARER,
                         certificate_sha256=made.carer_sha256,
                         signing_time="2026-11-24T10:15:00+00:00"),
        ],
        "appended_after_last_signature": False, "empty_signature_fields": [],
        "record": made.record, "problems": [],
    }


def test_a_record_signed_while_its_certificate_was_valid_stays_valid_after_it_expires(
    made: Made,
) -> None:
    """The agency's certificates expire in 2036; checked in 2041, as at the signing time."""
    with time_machine.travel(dt.datetime(2041, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        report = verify_pdf(made.agency_signed, trust_roots=[made.agency_root_der])
    assert (report.ok, report.summary) == (
        True, "Unchanged since signing (1 signature, all valid).")
    assert report.signatures[0].identity_confirmed is True


# --- identities -----------------------------------------------------------------------


@pytest.mark.parametrize("form", ["pem", "der"])
def test_a_signer_chaining_to_an_imported_agency_root_is_confirmed(made: Made, form: str
                                                                   ) -> None:
    root = made.agency_root_pem if form == "pem" else made.agency_root_der
    report = verify_pdf(made.agency_signed, trust_roots=[root])
    assert (report.ok, report.summary) == (
        True, "Unchanged since signing (1 signature, all valid).")
    (check,) = report.signatures
    assert (check.signer_name, check.signer_organisation, check.issuer_name) == (
        AGENCY_SIGNER, "Example Children's Trust", "Example Trust Issuing CA")
    assert check.identity_confirmed is True
    assert check.identity == ("confirmed: the certificate was issued by Example Trust "
                              "Issuing CA, which you trust")


@pytest.mark.parametrize(
    ("pdf", "roots"),
    [("agency_signed", ()), ("exported", ("agency_root_der",))],
    ids=["agency-signer-without-its-root", "own-certificate-beside-an-agency-root"],
)
def test_a_signer_not_chaining_to_a_trusted_root_is_valid_but_self_asserted(
    made: Made, pdf: str, roots: tuple[str, ...],
) -> None:
    report = verify_pdf(getattr(made, pdf), trust_roots=[getattr(made, r) for r in roots])
    assert (report.ok, report.summary, report.problems) == (
        True, "Unchanged since signing (1 signature, all valid).", ())
    (check,) = report.signatures
    assert (check.identity_confirmed, check.identity) == (False, SELF_ASSERTED)


# --- verdicts on files that are not what was signed ----------------------------------

OWNER_CHANGED = f"Signature by {OWNER}: the signed content was changed after signing."
OWNER_OVERTAKEN = (f"Signature by {OWNER}: the document was changed after this signature, "
                   "not only by adding further signatures.")
ADDED = "Something was added to the file after the last signature."


def _variant(made: Made, name: str) -> bytes:
    if name == "owner-reason-edited":
        return _reason_changed(made.exported, b"record\\054 version 1)",
                               b"record\\054 version 7)")
    if name == "countersignature-reason-edited":
        return _reason_changed(made.countersigned, b"(Countersigned)", b"(Countersignex)")
    if name == "signature-value-damaged":
        return _signature_bytes_changed(made.exported, part="value")
    if name == "page-added":
        return _updated(made.exported, _page_added)
    if name == "page-added-after-countersignature":
        return _updated(made.countersigned, _page_added)
    if name == "byte-range-shortened":
        found = re.search(rb"/ByteRange \[0 (\d+) (\d+) (\d+)\]", made.exported)
        assert found is not None
        shorter = str(int(found.group(3)) - 10).encode("ascii")
        return made.exported[:found.start(3)] + shorter.rjust(len(found.group(3))) + \
            made.exported[found.end(3):]
    if name == "catalogue-edited":
        return _updated(made.exported, _language_set)
    raise AssertionError(name)


VERDICTS = {
    "owner-reason-edited": (
        "NOT VALID: the content was changed after signing (1 signature).",
        (OWNER_CHANGED,), [(False, True, "entire file")]),
    # the owner's revision is untouched: only the countersignature's own bytes changed
    "countersignature-reason-edited": (
        "NOT VALID: the content was changed after signing (2 signatures).",
        (f"Signature by {CARER}: the signed content was changed after signing.",),
        [(True, True, "entire revision"), (False, True, "entire file")]),
    # the digest matches, the signature over it does not
    "signature-value-damaged": (
        "NOT VALID: 1 signature, not all of them valid.",
        (f"Signature by {OWNER}: the signature does not match the signed content.",),
        [(True, False, "entire file")]),
    "page-added": (
        "NOT VALID: something was added after the last signature (1 signature).",
        (OWNER_OVERTAKEN, ADDED), [(True, True, "entire revision")]),
    "page-added-after-countersignature": (
        "NOT VALID: something was added after the last signature (2 signatures).",
        (OWNER_OVERTAKEN, f"Signature by {CARER}: the document was changed after this "
         "signature, not only by adding further signatures.", ADDED),
        [(True, True, "entire revision"), (True, True, "entire revision")]),
    # the signature claims less than its own revision: the rest of it is unsigned
    "byte-range-shortened": (
        "NOT VALID: the content was changed after signing (1 signature).",
        (OWNER_CHANGED, OWNER_OVERTAKEN, ADDED), [(False, True, "partial")]),
    # allowed after a signature, so each signature holds, but the file is not as signed
    "catalogue-edited": (
        "NOT VALID: something was added after the last signature (1 signature).",
        (ADDED,), [(True, True, "entire revision")]),
}


@pytest.mark.parametrize("name", VERDICTS, ids=VERDICTS)
def test_a_file_changed_after_signing_is_not_valid_and_says_what_happened(
    made: Made, name: str,
) -> None:
    summary, problems, checks = VERDICTS[name]
    report = verify_pdf(_variant(made, name))
    assert (report.ok, report.summary, report.problems) == (False, summary, problems)
    assert [(c.intact, c.valid, c.coverage) for c in report.signatures] == checks
    assert report.appended_after_last_signature is (checks[-1][2] != "entire file")


def test_only_changes_after_a_signature_are_held_against_it(made: Made) -> None:
    report = verify_pdf(_variant(made, "page-added-after-countersignature"))
    first, second = report.signatures
    assert (first.modification_level, first.docmdp_ok, first.bottom_line) == (
        "OTHER", False, False)
    assert (second.modification_level, second.docmdp_ok, second.bottom_line) == (
        "OTHER", False, False)
    edited = verify_pdf(_variant(made, "catalogue-edited")).signatures[0]
    assert (edited.modification_level, edited.docmdp_ok, edited.bottom_line) == (
        "LTA_UPDATES", True, True)


def test_a_signer_without_a_common_name_is_shown_by_organisation_and_field(made: Made
                                                                          ) -> None:
    """A certificate naming only an organisation: valid, and where a problem must name
    the signature, the field's name stands in for the missing signer's name."""
    signer, _ = _self_signed(None, "Example Fostering Ltd")
    with time_machine.travel(COUNTERSIGNED_AT, tick=False):
        both = sign_pdf(made.exported, signer, field_name="Signature2", box=None,
                        reason="Countersigned")
    report = verify_pdf(both)
    assert (report.ok, report.summary) == (
        True, "Unchanged since signing (2 signatures, all valid).")
    late = report.signatures[1]
    assert (late.signer_name, late.signer_organisation, late.issuer_name) == (
        "", "Example Fostering Ltd", "Example Fostering Ltd")
    assert late.signing_time == COUNTERSIGNED_AT
    forged = verify_pdf(_updated(both, _page_added))
    assert forged.problems[1:] == (
        "Signature by Signature2: the document was changed after this signature, not only "
        "by adding further signatures.", ADDED)


def test_a_signature_whose_signer_cannot_be_found_is_reported_damaged(made: Made) -> None:
    report = verify_pdf(_signature_bytes_changed(made.exported, part="signer"))
    assert report.ok is False
    assert report.problems[0] == ("Signature by Signature1: the signature is damaged and "
                                  "cannot be checked.")
    (check,) = report.signatures
    assert json.loads(json_text(check)) == {
        "field": "Signature1", "signer": "", "organisation": "", "issuer": "",
        "certificate_sha256": "", "signing_time": None, "intact": False, "valid": False,
        "identity_confirmed": False, "identity": "unknown", "bottom_line": False,
        "coverage": "partial", "modification_level": None, "docmdp_ok": None,
        "record": None,
        "problems": ["the signature is damaged and cannot be checked"],
    }
    assert check.certificate == b""


def test_signatures_are_checked_in_signing_order_not_field_order(made: Made) -> None:
    """The field signed first can come last in the form: the order is the signing order."""
    owner, _ = _self_signed(OWNER, "Supervision Desktop")
    with time_machine.travel(EXPORTED_AT, tick=False):
        first = sign_pdf(made.unsigned, owner, field_name="Signature2", box=None,
                         reason="Finalised", reserve=[("Signature1", (1, 60, 60, 260, 130))])
    with time_machine.travel(COUNTERSIGNED_AT, tick=False):
        both = sign_pdf(first, owner, field_name="Signature1", box=None, reason="Countersigned")
    report = verify_pdf(both)
    assert (report.ok, report.summary) == (
        True, "Unchanged since signing (2 signatures, all valid).")
    assert [(c.field_name, c.signing_time) for c in report.signatures] == [
        ("Signature2", EXPORTED_AT), ("Signature1", COUNTERSIGNED_AT)]
    assert report.record is None  # signed outside an export: no record named


def test_a_record_written_before_template_ids_were_kept_reads_with_an_empty_template(
    made: Made,
) -> None:
    from pyhanko.pdf_utils import generic

    def older_record(writer: Any) -> None:
        writer.root[RECORD_KEY] = generic.DictionaryObject({
            generic.NameObject("/RecordId"): generic.TextStringObject("0" * 32),
            generic.NameObject("/Version"): generic.NumberObject(3),
            generic.NameObject("/ContentHash"): generic.TextStringObject("ab" * 32),
        })
        writer.update_root()

    signer, _ = _self_signed(OWNER, "Supervision Desktop")
    with time_machine.travel(EXPORTED_AT, tick=False):
        signed = sign_pdf(_updated(made.unsigned, older_record), signer,
                          field_name="Signature1", box=None, reason="")
    report = verify_pdf(signed)
    assert report.ok is True
    assert json_data(report)["record"] == {"record_id": "0" * 32, "version": 3,
                                           "content_hash": "ab" * 32, "template_id": ""}


@pytest.mark.parametrize(
    ("data", "summary"),
    [
        ("unsigned", "This PDF has no digital signature."),
        ("signature-blob-zeroed", "This PDF is damaged and its signatures cannot be read."),
        (b"GIF89a not a pdf", "This file is not a PDF."),
        (b"%PDF-1.7\n" + b"[" * 100_000,
         "This PDF is damaged or incomplete (perhaps cut short) and cannot be read."),
    ],
    ids=["unsigned", "signature-blob-zeroed", "not-a-pdf", "nested-too-deep"],
)
def test_a_file_without_a_readable_signature_is_refused_in_one_sentence(
    made: Made, data: bytes | str, summary: str,
) -> None:
    if data == "unsigned":
        data = made.unsigned
    elif data == "signature-blob-zeroed":  # the signature's CMS blob overwritten with zeros
        found = re.search(rb"/Contents <([0-9a-fA-F]+)>", made.exported)
        assert found is not None
        data = (made.exported[:found.start(1)] + b"0" * len(found.group(1))
                + made.exported[found.end(1):])
    assert isinstance(data, bytes)
    report = verify_pdf(data)
    assert json.loads(json_text(report)) == {
        "ok": False, "summary": summary, "signatures": [],
        "appended_after_last_signature": False, "empty_signature_fields": [],
        "record": None, "problems": [summary],
    }



def test_a_suspicious_later_revision_is_reported_not_printed_to_the_terminal(
    made: Made, tmp_path: Path,
) -> None:
    """pyHanko logs a warning (with a traceback) about the page added after signing; the
    verdict says it, and nothing reaches the command line's error output."""
    import subprocess
    import sys

    path = tmp_path / "forged.pdf"
    path.write_bytes(_variant(made, "page-added"))
    done = subprocess.run(
        [sys.executable, "-c", "import sys\n"
         "from supervision_desktop.export.verification import verify_pdf\n"
         "print(verify_pdf(open(sys.argv[1], 'rb').read()).summary)", str(path)],
        capture_output=True, text=True, check=True)
    assert (done.stdout, done.stderr) == (
        "NOT VALID: something was added after the last signature (1 signature).\n", "")
    assert verify_pdf(path.read_bytes()).summary == done.stdout.strip()  # and in-process


@pytest.mark.parametrize(("case", "valid", "signs"), [
    ("expired before signing", (dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
                                dt.datetime(2025, 1, 1, tzinfo=dt.UTC)), True),
    ("not valid yet", (dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
                       dt.datetime(2030, 1, 1, tzinfo=dt.UTC)), True),
    ("only for encryption", None, False),
])
def test_a_self_made_certificate_that_could_not_sign_then_is_not_valid(
        made: Made, case: str, valid: tuple[dt.datetime, dt.datetime] | None,
        signs: bool) -> None:
    """pyHanko does not check a self-anchored certificate's dates or key usage: the
    verifier does, so an expired certificate cannot pass as a valid signature."""
    signer, _ = _self_signed("Dana Placeholder", "Example Fostering Ltd", valid=valid,
                             signs=signs)
    with time_machine.travel(COUNTERSIGNED_AT, tick=False):
        both = sign_pdf(made.exported, signer, field_name="Signature2", box=None,
                        reason="Countersigned")
    report = verify_pdf(both)
    late = report.signatures[1]
    assert not report.ok and not late.bottom_line
    assert (late.intact, late.valid) == (True, True)  # the bytes are as signed
    assert late.problems == ("the certificate was not usable for signing at the signing "
                             "time",)
    assert report.signatures[0].bottom_line  # the owner's own signature is still good


def test_a_certificate_starting_a_little_after_the_signing_time_is_still_valid(
        made: Made) -> None:
    """A signer's clock a few hours slow: the same day's grace the import allows."""
    signer, _ = _self_signed("Dana Placeholder", "Example Fostering Ltd", valid=(
        COUNTERSIGNED_AT + dt.timedelta(hours=2), COUNTERSIGNED_AT + dt.timedelta(days=365)))
    with time_machine.travel(COUNTERSIGNED_AT, tick=False):
        both = sign_pdf(made.exported, signer, field_name="Signature2", box=None,
                        reason="Countersigned")
    report = verify_pdf(both)
    assert report.ok and report.signatures[1].problems == ()


def test_the_app_never_signs_with_a_certificate_that_has_expired(
        vault: Vault, tmp_path: Path) -> None:
    """What the verifier would refuse is refused before anything is signed."""
    from supervision_desktop.errors import InvalidInput
    from supervision_desktop.services import lifecycle, people, records, templates
    from tests.sample_values import fill_every_field

    person = people.add_person(vault, "supervisee", {"name": "Jo Bloggs"})
    form = templates.get_template("personal-supervision")

    made = records.create_record(vault, form, subject_id=person.id, session_date="2026-11-22",
                                 fields=fill_every_field(form, "Noted"))
    lifecycle.finalise(vault, made)
    expiry = certificates.certificate_info(vault).not_after
    with time_machine.travel(expiry + dt.timedelta(days=1), tick=False), \
            pytest.raises(InvalidInput) as refused:
        export_record(vault, made, tmp_path)
    assert str(refused.value).startswith(
        f"Your signing certificate expired on {expiry:%d/%m/%Y}, so nothing was signed")
    assert list(tmp_path.glob("*.pdf")) == []


@pytest.mark.parametrize("usage", [(True, False), (False, True)],
                         ids=["digital signature only", "non-repudiation only"])
def test_either_signing_key_usage_is_enough(made: Made, usage: tuple[bool, bool]) -> None:
    signer, _ = _self_signed("Dana Placeholder", "Example Fostering Ltd", usage=usage)
    with time_machine.travel(COUNTERSIGNED_AT, tick=False):
        both = sign_pdf(made.exported, signer, field_name="Signature2", box=None,
                        reason="Countersigned")
    assert verify_pdf(both).ok


@pytest.mark.parametrize(("start", "end", "ok"), [
    (COUNTERSIGNED_AT + dt.timedelta(days=1), COUNTERSIGNED_AT + dt.timedelta(days=9), True),
    (COUNTERSIGNED_AT + dt.timedelta(days=1, seconds=1),
     COUNTERSIGNED_AT + dt.timedelta(days=9), False),
    (COUNTERSIGNED_AT - dt.timedelta(days=9), COUNTERSIGNED_AT, True),
    (COUNTERSIGNED_AT - dt.timedelta(days=9), COUNTERSIGNED_AT - dt.timedelta(seconds=1),
     False),
], ids=["starts a day after", "a second more", "ends at the signing", "a second before"])
def test_the_signing_time_is_inside_the_certificates_dates_to_the_second(
        made: Made, start: dt.datetime, end: dt.datetime, ok: bool) -> None:
    signer, _ = _self_signed("Dana Placeholder", "Example Fostering Ltd", valid=(start, end))
    with time_machine.travel(COUNTERSIGNED_AT, tick=False):
        both = sign_pdf(made.exported, signer, field_name="Signature2", box=None,
                        reason="Countersigned")
    assert verify_pdf(both).ok is ok


# --- found by the mutation run (issue 17) ----------------------------------------------


def test_a_record_certified_against_any_change_and_signed_again_is_not_valid(
    made: Made, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first signer certified the record with no changes allowed at all (DocMDP 1);
    a tool that ignores that adds a second signature: only a signature was added, but
    the certification forbade even that, so the first signature no longer holds."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.sign.signers.pdf_signer import PdfSigner

    author, _ = _self_signed("Dana Placeholder", "Example Fostering Ltd")
    with time_machine.travel(EXPORTED_AT, tick=False):
        certified = signers.sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(made.unsigned)),
            signers.PdfSignatureMetadata(field_name="Certified", certify=True,
                                         docmdp_permissions=MDPPerm.NO_CHANGES),
            signer=author).getvalue()
    assert verify_pdf(certified).ok
    monkeypatch.setattr(PdfSigner, "_enforce_certification_constraints",
                        lambda self, reader: None)
    carer, _ = _self_signed(CARER, "Supervision Desktop")
    with time_machine.travel(COUNTERSIGNED_AT, tick=False):
        both = sign_pdf(certified, carer, field_name="Signature2", box=None,
                        reason="Countersigned")
    report = verify_pdf(both)
    first, second = report.signatures
    assert (report.ok, report.summary, report.problems) == (
        False, "NOT VALID: 2 signatures, not all of them valid.",
        ("Signature by Dana Placeholder: the document was changed after this signature, "
         "not only by adding further signatures.",))
    assert (first.modification_level, first.docmdp_ok, first.bottom_line) == (
        "FORM_FILLING", False, False)
    assert (second.signer_name, second.bottom_line, second.problems) == (CARER, True, ())


def test_checking_a_signature_never_asks_the_network(made: Made) -> None:
    """An agency certificate names where to ask whether it was revoked (a CRL and an
    OCSP responder, here on this machine): checking a record asks neither, so opening
    a file tells nobody it was opened, and the verdict does not depend on a server."""
    import http.server
    import threading

    from cryptography.x509.oid import AuthorityInformationAccessOID

    asked: list[str] = []

    class Responder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Responder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        start = EXPORTED_AT - dt.timedelta(days=30)
        root_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(
            ec.SECP256R1())
        root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, AGENCY_CA)])
        root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
                .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(start).not_valid_after(start + dt.timedelta(days=3650))
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .sign(root_key, hashes.SHA256()))
        leaf = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                                            AGENCY_SIGNER)]))
                .issuer_name(root_name).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(start).not_valid_after(start + dt.timedelta(days=3650))
                .add_extension(x509.KeyUsage(True, True, False, False, False, False, False,
                                             False, False), critical=True)
                .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                    [x509.UniformResourceIdentifier(url + "/agency.crl")], None, None,
                    None)]), critical=False)
                .add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
                    AuthorityInformationAccessOID.OCSP,
                    x509.UniformResourceIdentifier(url + "/ocsp"))]), critical=False)
                .sign(root_key, hashes.SHA256()))
        signer = make_signer(
            key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()),
            leaf.public_bytes(serialization.Encoding.DER),
            [root.public_bytes(serialization.Encoding.DER)])
        with time_machine.travel(COUNTERSIGNED_AT, tick=False):
            both = sign_pdf(made.exported, signer, field_name="Signature2", box=None,
                            reason="Countersigned")
        report = verify_pdf(both, trust_roots=[root.public_bytes(serialization.Encoding.PEM)])
    finally:
        server.shutdown()
        server.server_close()
    assert (report.ok, report.summary) == (
        True, "Unchanged since signing (2 signatures, all valid).")
    assert (report.signatures[1].signer_name, report.signatures[1].identity_confirmed) == (
        AGENCY_SIGNER, True)
    assert asked == []
