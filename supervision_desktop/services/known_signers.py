"""Known signers: which certificate this vault accepts for each person who signs for it.

Every certificate our app makes is self-signed, so a certificate by itself proves only
that whoever made it wrote that name in it. What makes a signer *known* is this vault's
own memory (trust on first use, as SSH and Signal do):

- the first time a signed record from a name arrives, its certificate is pinned to that
  name (and to the person record of that name, where the vault has one);
- later files under that name must carry a pinned certificate. One signed by a different
  certificate is a MISMATCH: "signed by a different certificate than the one you have for
  this worker" — an impostor, or the worker's new laptop. Accepting the new certificate
  is a deliberate act with a reason, written to the audit log (``replace``); the earlier
  certificates stay accepted for what they signed;
- a certificate issued by an agency CA this computer trusts (see
  ``services.certificates.trust_anchors``) is TRUSTED whatever the pins say;
- the vault's own certificates (current and replaced) are KNOWN as the owner's.

People compare a certificate out of band by its ``fingerprint_words``: twelve groups of
five digits from its SHA-256, read aloud by phone or side by side in person.

The API, used for signed PDFs and for signed transfer bundles alike::

    found = standing(session, cert_der)                 # or name=..., person_id=...
    found.standing   # Standing.TRUSTED | KNOWN | NEW | MISMATCH
    found.genuine    # TRUSTED or KNOWN: the signer is someone this vault trusts
    found.message    # one sentence for people
    pin(session, cert_der)                              # first use (audited)
    replace(session, cert_der, reason="new laptop")    # a deliberate change (audited)

``session`` is a session inside ``vault.transaction()`` (``None`` means no vault: nobody
is known). Nothing here commits on its own: pin and replace join the caller's transaction
so the pin and what it was for are kept together.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from pydantic import Field, computed_field, field_serializer
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import audit
from supervision_desktop.store import settings
from supervision_desktop.store.models import KnownSigner, Person
from supervision_desktop.store.vault import Vault

FIRST_USE, REPLACED, AGENCY_CA, OWN = "first_use", "replaced", "agency_ca", "own"
HOW_LABELS = {FIRST_USE: "first use", REPLACED: "accepted as a replacement",
              AGENCY_CA: "issued by a trusted agency CA", OWN: "your own certificate"}
WORD_GROUPS, GROUP_DIGITS = 12, 5
MISMATCH_TEXT = "signed by a different certificate than the one you have for this worker"

Certificate = bytes | x509.Certificate  # DER or PEM bytes, or a loaded certificate


class Standing(StrEnum):
    TRUSTED = "trusted"  # issued by an agency CA this computer or vault trusts
    KNOWN = "known"  # a certificate this vault has accepted for this name (or its own)
    NEW = "new"  # nobody of this name is known yet: first time
    MISMATCH = "mismatch"  # the name is known, with a different certificate


@dataclass(frozen=True)
class PinnedCertificate:
    """One accepted certificate, as listed by ``signers list``."""

    id: int
    person_id: str | None
    name: str
    fingerprint: Annotated[str, Field(serialization_alias="sha256")]
    first_seen: dt.datetime
    accepted_how: str
    reason: str

    @computed_field(alias="fingerprint_words")  # type: ignore[prop-decorator]
    @property
    def words(self) -> str:
        return fingerprint_words(self.fingerprint)


@dataclass(frozen=True)
class Fingerprint:
    """A certificate's SHA-256 (hex) with the words to read it out by, as JSON names them."""

    sha256: str

    @computed_field(alias="fingerprint_words")  # type: ignore[prop-decorator]
    @property
    def words(self) -> str:
        return fingerprint_words(self.sha256)


@dataclass(frozen=True)
class SignerStanding:
    """How far this vault trusts one signer's certificate, and why."""

    standing: Standing
    name: str  # the name the signer claims (the certificate's common name by default)
    fingerprint: Annotated[str, Field(serialization_alias="sha256")]  # SHA-256, hex
    person_id: str | None = None  # the person record the name is bound to, if any
    how: str = ""  # for KNOWN/TRUSTED: first_use, replaced, agency_ca or own
    issuer: str = ""  # for TRUSTED: the CA's name
    on_file: tuple[str, ...] = field(default=())  # fingerprints held for this name

    @property
    def genuine(self) -> bool:
        return self.standing in (Standing.TRUSTED, Standing.KNOWN)

    @computed_field(alias="fingerprint_words")  # type: ignore[prop-decorator]
    @property
    def words(self) -> str:
        return fingerprint_words(self.fingerprint)

    @field_serializer("on_file")
    def _on_file_with_words(self, on_file: tuple[str, ...]) -> list[Fingerprint]:
        return [Fingerprint(sha256) for sha256 in on_file]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def message(self) -> str:
        who = self.name or "this signer"
        if self.standing is Standing.TRUSTED:
            return (f"Trusted: the certificate was issued by {self.issuer or 'an agency CA'}, "
                    "which this computer trusts.")
        if self.standing is Standing.KNOWN:
            if self.how == OWN:
                return "Known: your own certificate."
            return f"Known: the certificate you have for {who}."
        if self.standing is Standing.NEW:
            return (f"Not known yet: this vault has no certificate for {who}. Compare the "
                    "fingerprint with them by phone or in person before relying on it.")
        return (f"NOT the known signer: {MISMATCH_TEXT} ({who}). Ask {who} whether they "
                "have a new certificate (a new laptop) and compare fingerprints before "
                "accepting it.")


# --- certificates and names ---------------------------------------------------------------


def load_certificate(certificate: Certificate) -> x509.Certificate:
    """A certificate from DER or PEM bytes; InvalidInput if it is neither."""
    if isinstance(certificate, x509.Certificate):
        return certificate
    try:
        if certificate.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(certificate)
        return x509.load_der_x509_certificate(certificate)
    except ValueError:
        raise InvalidInput("This is not a certificate this app can read.") from None


def certificate_der(certificate: Certificate) -> bytes:
    return load_certificate(certificate).public_bytes(serialization.Encoding.DER)


def sha256_of(certificate: Certificate) -> str:
    return hashlib.sha256(certificate_der(certificate)).hexdigest()


def common_name(certificate: Certificate) -> str:
    values = load_certificate(certificate).subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else ""


def name_key(name: str) -> str:
    """A name folded for comparing: "Morgan  TESTWELL" and "morgan testwell" are one."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def fingerprint_words(certificate_or_sha256: Certificate | str) -> str:
    """Twelve groups of five digits from the certificate's SHA-256 (like Signal's safety
    numbers): easy to read out and compare. The 60 digits are the SHA-256 as a number,
    modulo 10**60 (about 199 of its 256 bits)."""
    if isinstance(certificate_or_sha256, str):
        digest = bytes.fromhex(certificate_or_sha256)
    else:
        digest = hashlib.sha256(certificate_der(certificate_or_sha256)).digest()
    digits = str(int.from_bytes(digest, "big") % 10 ** (WORD_GROUPS * GROUP_DIGITS))
    digits = digits.zfill(WORD_GROUPS * GROUP_DIGITS)
    return " ".join(digits[i:i + GROUP_DIGITS]
                    for i in range(0, len(digits), GROUP_DIGITS))


def issued_by_anchor(certificate: Certificate, anchors: Sequence[bytes], *,
                     intermediates: Sequence[bytes] = (),
                     moment: dt.datetime | None = None) -> bool:
    """Whether ``certificate`` chains to one of ``anchors`` (DER or PEM) and may sign.

    For signed data other than PDFs (a transfer bundle); PDF signatures are checked the
    same way by ``export.verification`` through pyHanko.
    """
    if not anchors:
        return False
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

    def asn1(data: Certificate) -> Any:
        return asn1_x509.Certificate.load(certificate_der(data))

    context = ValidationContext(trust_roots=[asn1(a) for a in anchors], allow_fetching=False,
                                revocation_mode="soft-fail", moment=moment)
    validator = CertificateValidator(asn1(certificate), [asn1(i) for i in intermediates],
                                     validation_context=context)
    try:
        asyncio.run(validator.async_validate_usage({"digital_signature"}))  # type: ignore[no-untyped-call]
    except (PathBuildingError, PathValidationError, ValueError):
        return False
    return True


# --- the standing of a certificate -----------------------------------------------------------


def _own(session: Session) -> tuple[str, set[str]]:
    """The owner's name key and the fingerprints of every certificate they signed with."""
    from supervision_desktop.services.certificates import own_fingerprints_in

    return name_key(settings.read(session, settings.OWNER_NAME)), own_fingerprints_in(session)


def _pins(session: Session, key: str, person_id: str | None) -> list[KnownSigner]:
    condition = KnownSigner.name_key == key
    if person_id is not None:
        condition = or_(condition, KnownSigner.person_id == person_id)
    return list(session.scalars(select(KnownSigner).where(condition).order_by(KnownSigner.id)))


def standing(session: Session | None, certificate: Certificate, *, name: str | None = None,
             person_id: str | None = None, issued_by_trusted_ca: bool = False,
             issuer: str = "") -> SignerStanding:
    """How this vault stands towards ``certificate`` signing as ``name`` (default: the
    certificate's common name) or as the person ``person_id``.

    ``issued_by_trusted_ca``: the caller validated the certificate against the trust
    anchors (pyHanko for a PDF, ``issued_by_anchor`` otherwise); then it is TRUSTED.
    """
    fingerprint = sha256_of(certificate)
    claimed = common_name(certificate) if name is None else name
    if issued_by_trusted_ca:
        return SignerStanding(Standing.TRUSTED, claimed, fingerprint, person_id, AGENCY_CA,
                              issuer)
    if session is None:
        return SignerStanding(Standing.NEW, claimed, fingerprint, person_id)
    return standing_by_fingerprint(session, fingerprint, claimed, person_id=person_id)


def standing_by_fingerprint(session: Session, fingerprint: str, name: str, *,
                            person_id: str | None = None) -> SignerStanding:
    """``standing`` for a certificate known only by its SHA-256 (hex) and the name it
    gives, as a kept document's signer list holds them. Never TRUSTED by itself: an
    agency-issued certificate is pinned as such when its file is imported."""
    claimed = name
    key = name_key(claimed)
    owner_key, own = _own(session)
    if fingerprint in own:
        return SignerStanding(Standing.KNOWN, claimed, fingerprint, None, OWN)
    pins = _pins(session, key, person_id)
    on_file = tuple(p.fingerprint for p in pins)
    if key and key == owner_key:
        on_file = (*sorted(own), *on_file)
    bound = person_id or next((p.person_id for p in pins if p.person_id), None)
    for pinned in pins:
        if pinned.fingerprint == fingerprint:
            return SignerStanding(Standing.KNOWN, claimed, fingerprint, bound,
                                  pinned.accepted_how, on_file=on_file)
    if on_file:
        return SignerStanding(Standing.MISMATCH, claimed, fingerprint, bound, on_file=on_file)
    return SignerStanding(Standing.NEW, claimed, fingerprint, bound)


# --- accepting certificates ---------------------------------------------------------------------


def person_named(session: Session, name: str) -> str | None:
    """The id of the one person record with this name, if exactly one has it."""
    key = name_key(name)
    found = [p.id for p in session.scalars(select(Person)) if name_key(p.name) == key]
    return found[0] if len(found) == 1 else None


def _view(row: KnownSigner) -> PinnedCertificate:
    return PinnedCertificate(row.id, row.person_id, row.name, row.fingerprint,
                             row.first_seen, row.accepted_how, row.reason)


def _add(session: Session, certificate: Certificate, *, how: str, reason: str,
         name: str | None, person_id: str | None) -> PinnedCertificate:
    der = certificate_der(certificate)
    fingerprint = hashlib.sha256(der).hexdigest()
    claimed = common_name(der) if name is None else name
    if person_id is None:
        person_id = person_named(session, claimed)
    existing = session.scalars(
        select(KnownSigner).where(KnownSigner.fingerprint == fingerprint)).first()
    if existing is not None:  # accepted already: bind it to the person if it was not
        if existing.person_id is None and person_id is not None:
            existing.person_id = person_id
            session.flush()
        return _view(existing)
    row = KnownSigner(person_id=person_id, name=claimed, name_key=name_key(claimed),
                      certificate=der, fingerprint=fingerprint, accepted_how=how,
                      reason=reason.strip())
    session.add(row)
    session.flush()
    audit.log_event(session, "signer_change", person_id=person_id,
                    detail=f"certificate {fingerprint[:16]} accepted: {HOW_LABELS[how]}"
                    + (" (reason given)" if reason.strip() else ""))
    return _view(row)


def pin(session: Session, certificate: Certificate, *, name: str | None = None,
        person_id: str | None = None, how: str = FIRST_USE) -> PinnedCertificate:
    """Keep ``certificate`` as accepted for ``name`` (first use, or ``AGENCY_CA``).

    Refuses to pin over a different certificate already held for the name: that is a
    ``replace``, with a reason. Pinning a certificate already held changes nothing.
    """
    found = standing(session, certificate, name=name, person_id=person_id)
    if found.standing is Standing.MISMATCH:
        raise InvalidInput(f"This vault already has a different certificate for "
                           f"{found.name}; accepting this one needs a reason.")
    if found.how == OWN:
        raise InvalidInput("That is your own certificate; there is nothing to accept.")
    return _add(session, certificate, how=how, reason="", name=name, person_id=person_id)


def replace(session: Session, certificate: Certificate, *, reason: str,
            name: str | None = None, person_id: str | None = None) -> PinnedCertificate:
    """Accept a different certificate for a known signer, deliberately: e.g. the worker's
    new laptop, after comparing fingerprints with them. Needs a reason; audited. The
    certificates held before stay accepted for what they signed."""
    if not reason.strip():
        raise InvalidInput("Say why you accept this certificate (for example: \"new laptop, "
                           "fingerprint compared by phone\").")
    found = standing(session, certificate, name=name, person_id=person_id)
    if found.how == OWN:
        raise InvalidInput("That is your own certificate; there is nothing to accept.")
    how = REPLACED if found.standing is Standing.MISMATCH else FIRST_USE
    return _add(session, certificate, how=how, reason=reason, name=name,
                person_id=person_id or found.person_id)


def list_signers(vault: Vault) -> list[PinnedCertificate]:
    """Every accepted certificate, by name and then in the order accepted."""
    with vault.transaction() as session:
        rows = session.scalars(select(KnownSigner).order_by(KnownSigner.name_key,
                                                            KnownSigner.id))
        return [_view(row) for row in rows]


def accept_from_file(vault: Vault, path: Path | str, *, reason: str = "",
                     ca_dir: Path | None = None) -> list[PinnedCertificate]:
    """Accept the certificates that signed a PDF (``signers accept`` and the verify
    window's button): a first-time signer is pinned; a known name's different certificate
    is accepted only with a reason (``replace``). Only from a file unchanged since signing.
    """
    from supervision_desktop.services.verify import verify_file

    checked = verify_file(path, vault, ca_dir=ca_dir)
    if not checked.report.ok:
        raise InvalidInput(f"{checked.path.name} is not unchanged since signing, so no "
                           f"certificate can be accepted from it: {checked.report.summary}")
    pending = [(s, c) for s, c in zip(checked.signers, checked.report.signatures, strict=True)
               if s.standing in (Standing.NEW, Standing.MISMATCH)]
    if not pending:
        raise InvalidInput(f"Every signer of {checked.path.name} is already known or "
                           "trusted; there is nothing to accept.")
    if any(s.standing is Standing.MISMATCH for s, _c in pending) and not reason.strip():
        raise InvalidInput("This file is signed by a different certificate than the one "
                           "you have for this worker. Compare fingerprints with them, then "
                           "say why you accept it (--reason).")
    accepted = []
    with vault.transaction() as session:
        for signer, check in pending:
            if signer.standing is Standing.MISMATCH or reason.strip():
                accepted.append(replace(session, check.certificate, reason=reason,
                                        name=signer.name))
            else:
                accepted.append(pin(session, check.certificate, name=signer.name))
    return accepted


def signers_of(vault: Vault, person_id: str) -> list[PinnedCertificate]:
    """The certificates accepted for one person record, oldest first (the person page)."""
    with vault.transaction() as session:
        rows = session.scalars(select(KnownSigner).where(KnownSigner.person_id == person_id)
                               .order_by(KnownSigner.id))
        return [_view(row) for row in rows]
