"""Checking the signatures of a PDF: unchanged since signing, and by whom.

Pure: no vault. For each signature pyHanko checks the digest (``intact``), the
cryptographic signature (``valid``) and, by comparing revisions, what was changed after
it (``modification_level``, ``docmdp_ok``); ``bottom_line`` combines them. A PDF is
``ok`` only if it has a signature, every signature's bottom line holds, every change
after an earlier signature is only a later signature (a countersignature), and nothing
at all follows the last signature.

Identity: our certificates are self-signed, so no trust store knows them. To check
integrity each signature is validated with its own certificate as the trust anchor, and
the report says plainly that the name is *self-asserted*. Only when the certificate
chains to an agency root the user imported (``trust_roots``) is the identity reported as
confirmed. Certificates are checked as at the signing time the signature states (a
record signed while the certificate was valid stays valid after it expires).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import Field, computed_field

from supervision_desktop.export.signing import (
    RECORD_KEY,
    NotAPdf,
    SignedRecordInfo,
    open_pdf,
    pdf_damage,
)

SELF_ASSERTED = (
    "self-asserted: the certificate was made by the signer, not issued by an authority "
    "you trust, so the name is what the signer says it is"
)


@dataclass(frozen=True)
class SignatureCheck:
    """One signature and what its checks found."""

    field_name: Annotated[str, Field(serialization_alias="field")]
    signer_name: Annotated[str, Field(serialization_alias="signer")]
    signer_organisation: Annotated[str, Field(serialization_alias="organisation")]
    issuer_name: Annotated[str, Field(serialization_alias="issuer")]
    # SHA-256 of the signer's certificate, hex
    fingerprint: Annotated[str, Field(serialization_alias="certificate_sha256")]
    signing_time: dt.datetime | None
    intact: bool  # the signed bytes are unchanged (digest matches)
    valid: bool  # the cryptographic signature over them is good
    identity_confirmed: bool  # chains to an agency root the user imported
    identity: str  # how far the name can be believed, in words
    bottom_line: bool
    coverage: str  # "entire file", "entire revision" or "partial"
    modification_level: str | None  # NONE, LTA_UPDATES, FORM_FILLING, ANNOTATIONS, OTHER
    docmdp_ok: bool | None
    record: SignedRecordInfo | None
    problems: tuple[str, ...] = ()
    # the signer's certificate, DER (to pin or compare it); JSON: its fingerprint
    certificate: Annotated[bytes, Field(exclude=True)] = b""


@dataclass(frozen=True)
class VerificationReport:
    ok: bool
    summary: str  # one line for people
    signatures: tuple[SignatureCheck, ...] = ()
    appended_after_last_signature: bool = False
    empty_signature_fields: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=())

    @computed_field  # type: ignore[prop-decorator]
    @property
    def record(self) -> SignedRecordInfo | None:
        """The record the first signature covers, if the PDF names one."""
        return next((s.record for s in self.signatures if s.record is not None), None)


def _failed(summary: str) -> VerificationReport:
    return VerificationReport(ok=False, summary=summary, problems=(summary,))


# --- reading what a signature says ---------------------------------------------------


def _name_part(name: Any, key: str) -> str:
    try:
        return str(name.native.get(key, "") or "")
    except (AttributeError, ValueError):
        return ""


def _record_info(reader: Any, revision: int) -> SignedRecordInfo | None:
    try:
        entry = reader.get_historical_root(revision).get(RECORD_KEY)
        if entry is None:
            return None
        entry = entry.get_object()
        return SignedRecordInfo(
            record_id=str(entry["/RecordId"]),
            version=int(entry["/Version"]),
            content_hash=str(entry["/ContentHash"]),
            template_id=str(entry.get("/TemplateId", "")),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _coverage_text(coverage: Any) -> str:
    from pyhanko.sign.validation import SignatureCoverageLevel

    return {
        SignatureCoverageLevel.ENTIRE_FILE: "entire file",
        SignatureCoverageLevel.ENTIRE_REVISION: "entire revision",
    }.get(coverage, "partial")


def _context(trust_roots: Sequence[Any], others: Sequence[Any], moment: dt.datetime | None
             ) -> Any:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=list(trust_roots), other_certs=list(others), allow_fetching=False,
        revocation_mode="soft-fail", moment=moment,
    )


def _validate(embedded: Any, trust_roots: Sequence[Any], moment: dt.datetime | None) -> Any:
    from pyhanko.sign.validation import validate_pdf_signature

    others = embedded.other_embedded_certs
    return validate_pdf_signature(embedded, _context(trust_roots, others, moment))


# A certificate that starts a little after the signing time is still taken as valid: a
# signer's clock may be behind (certificate import allows the same day: services/certificates).
CLOCK_SKEW = dt.timedelta(days=1)


def _usable_for_signing(cert: Any, moment: dt.datetime | None) -> bool:
    """Whether ``cert`` could sign at ``moment``: within its dates and, if it states its
    key usage, allowed to sign. pyHanko checks neither for a certificate taken as its own
    trust anchor (a self-made one), so without this an expired certificate, or one only
    for encryption, would pass as valid."""
    validity = cert["tbs_certificate"]["validity"]
    if moment is not None and not (validity["not_before"].native - CLOCK_SKEW <= moment
                                   <= validity["not_after"].native):
        return False
    usage = cert.key_usage_value
    return usage is None or bool({"digital_signature", "non_repudiation"} & set(usage.native))


def _check(reader: Any, embedded: Any, agency_roots: Sequence[Any], last: bool
           ) -> SignatureCheck:
    from pyhanko.sign.diff_analysis import ModificationLevel

    cert = embedded.signer_cert
    moment = embedded.self_reported_timestamp
    status = None
    confirmed = False
    if agency_roots:
        status = _validate(embedded, agency_roots, moment)
        confirmed = bool(status.trusted)
    if not confirmed:
        status = _validate(embedded, [cert], moment)
    assert status is not None
    usable = bool(status.trusted) and (confirmed or _usable_for_signing(cert, moment))
    level = status.modification_level
    problems = []
    if not status.intact:
        problems.append("the signed content was changed after signing")
    elif not status.valid:
        problems.append("the signature does not match the signed content")
    elif not usable:
        problems.append("the certificate was not usable for signing at the signing time")
    if (level is not None and level > ModificationLevel.FORM_FILLING) or status.docmdp_ok is False:
        problems.append("the document was changed after this signature, not only by "
                        "adding further signatures")
    elif not last and level is None:
        problems.append("later changes to the document could not be analysed")
    issuer = _name_part(cert.issuer, "common_name") or _name_part(cert.issuer, "organization_name")
    if confirmed:
        identity = f"confirmed: the certificate was issued by {issuer}, which you trust"
    else:
        identity = SELF_ASSERTED
    return SignatureCheck(
        field_name=str(embedded.field_name),
        signer_name=_name_part(cert.subject, "common_name"),
        signer_organisation=_name_part(cert.subject, "organization_name"),
        issuer_name=issuer,
        fingerprint=cert.sha256.hex(),
        signing_time=moment,
        intact=bool(status.intact),
        valid=bool(status.valid),
        identity_confirmed=confirmed,
        identity=identity,
        bottom_line=bool(status.bottom_line) and not problems,
        coverage=_coverage_text(status.coverage),
        modification_level=level.name if level is not None else None,
        docmdp_ok=status.docmdp_ok,
        record=_record_info(reader, embedded.signed_revision),
        problems=tuple(problems),
        certificate=cert.dump(),
    )


def _unreadable(embedded: Any) -> SignatureCheck:
    return SignatureCheck(
        field_name=str(getattr(embedded, "field_name", "")), signer_name="",
        signer_organisation="", issuer_name="", fingerprint="", signing_time=None,
        intact=False, valid=False, identity_confirmed=False, identity="unknown",
        bottom_line=False, coverage="partial", modification_level=None, docmdp_ok=None,
        record=None, problems=("the signature is damaged and cannot be checked",),
    )


# --- the whole document ---------------------------------------------------------------


def _load_roots(trust_roots: Sequence[bytes]) -> list[Any]:
    from asn1crypto import pem, x509

    roots = []
    for data in trust_roots:
        der = pem.unarmor(data)[2] if pem.detect(data) else data
        roots.append(x509.Certificate.load(der))
    return roots


def verify_pdf(data: bytes, *, trust_roots: Sequence[bytes] = ()) -> VerificationReport:
    """Check every signature of ``data``. Never raises for a bad file: the report says.

    ``trust_roots`` are agency root certificates (DER or PEM) the user chose to trust.
    """
    from pyhanko.sign import fields

    # pyHanko logs a traceback when a later revision is suspicious; we report it instead.
    logging.getLogger("pyhanko").addHandler(logging.NullHandler())
    try:
        reader = open_pdf(data)
        embedded_all = list(reader.embedded_regular_signatures)
        empty = tuple(str(name) for name, _v, _r in
                      fields.enumerate_sig_fields(reader, filled_status=False))
    except NotAPdf as exc:
        return _failed(str(exc))
    except pdf_damage():
        return _failed("This PDF is damaged and its signatures cannot be read.")
    if not embedded_all:
        return _failed("This PDF has no digital signature.")
    embedded_all.sort(key=lambda e: e.signed_revision)
    roots = _load_roots(trust_roots)
    checks = []
    for position, embedded in enumerate(embedded_all):
        last = position == len(embedded_all) - 1
        try:
            checks.append(_check(reader, embedded, roots, last))
        except Exception:  # noqa: BLE001 - untrusted input: a failed signature, not a crash
            checks.append(_unreadable(embedded))
    appended = checks[-1].coverage != "entire file"
    problems = [f"Signature by {c.signer_name or c.field_name}: {p}."
                for c in checks for p in c.problems]
    if appended:
        problems.append("Something was added to the file after the last signature.")
    ok = not problems and all(c.bottom_line for c in checks)
    return VerificationReport(
        ok=ok,
        summary=_summary(ok, checks, appended),
        signatures=tuple(checks),
        appended_after_last_signature=appended,
        empty_signature_fields=empty,
        problems=tuple(problems),
    )


def _summary(ok: bool, checks: Sequence[SignatureCheck], appended: bool) -> str:
    count = len(checks)
    signed = "1 signature" if count == 1 else f"{count} signatures"
    if ok:
        return f"Unchanged since signing ({signed}, all valid)."
    if any(not c.intact for c in checks):
        return f"NOT VALID: the content was changed after signing ({signed})."
    if appended:
        return f"NOT VALID: something was added after the last signature ({signed})."
    return f"NOT VALID: {signed}, not all of them valid."
