"""Transfer bundles: one person's whole file, handed to the next line manager.

A bundle holds a supervisee's (or carer household's) person entry, every record about
them with all versions (content, hashes, chain), the template snapshots they were
written on, signed PDFs byte for byte, tracked actions and carries, cancellations and
deviations. It is JSON encrypted with AES-256-GCM under a key derived by Argon2id from a
one-time transfer passphrase (5 groups of 5 characters, about 124 bits), which the
sender gives the recipient another way. Layout::

    MAGIC | header length (u32) | header (JSON: format, KDF, nonce) | ciphertext

The header is the associated data, so the KDF cost cannot be lowered. Importing keeps
every id, so importing twice adds nothing; every finalised version's hash chain and
every signed document's SHA-256 is checked before anything is written.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import secrets
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Date, LargeBinary, select
from sqlalchemy.orm import Session

from supervision_desktop.domain import safe_input
from supervision_desktop.domain.dates import iso_date, moment
from supervision_desktop.domain.records import Origin, RecordContent
from supervision_desktop.errors import InvalidInput, NotFound, UserError
from supervision_desktop.export import bundle_signature
from supervision_desktop.services import search
from supervision_desktop.services.audit import log_event
from supervision_desktop.services.certificates import describe as describe_certificate
from supervision_desktop.services.export import write_atomically
from supervision_desktop.services.transfer_senders import (
    Standing,
    readable_fingerprint,
    remember_sender,
    sender_standing,
)
from supervision_desktop.store.kdf import UnsafeKdfSettings, derive_argon2id
from supervision_desktop.store.keyfile import (
    ARGON2_MEMORY_KIB,
    ARGON2_PARALLELISM,
    ARGON2_TIME_COST,
)
from supervision_desktop.store.models import (
    ActionCarry,
    Base,
    Cancellation,
    Deviation,
    Person,
    Record,
    RecordVersion,
    SignedDocument,
    TemplateSnapshot,
    TrackedAction,
    UTCDateTime,
)
from supervision_desktop.store.vault import Vault

MAGIC = b"SDTRANSFER1\n"
FORMAT = "supervision-desktop-transfer"
FORMAT_VERSION = 2  # 2: signed by the sender's certificate inside the seal
SUFFIX = ".sdtransfer"
PASSPHRASE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud safely
PASSPHRASE_GROUPS = 5
GROUP_LENGTH = 5
TRANSFERABLE_KINDS = ("supervisee", "carer")
_LENGTH = struct.Struct(">I")

WRONG_PASSPHRASE = "The transfer passphrase is wrong."


class TransferRefused(UserError):
    """The bundle cannot be imported: damaged, altered or not a bundle. Nothing was written."""


def new_transfer_passphrase() -> str:
    """Five groups of five characters from a 31-letter alphabet: about 124 bits."""
    letters = "".join(secrets.choice(PASSPHRASE_ALPHABET)
                      for _ in range(PASSPHRASE_GROUPS * GROUP_LENGTH))
    return "-".join(letters[i : i + GROUP_LENGTH] for i in range(0, len(letters), GROUP_LENGTH))


def _normalise(passphrase: str) -> bytes:
    """Spaces, dashes and case do not matter when it is typed back."""
    return "".join(ch for ch in passphrase.upper() if ch.isalnum()).encode("ascii", "replace")


def default_file_name(today: dt.date | None = None) -> str:
    return f"supervision-transfer_{(today or dt.date.today()).isoformat()}{SUFFIX}"


# --- rows as JSON, generically ---------------------------------------------------------

_SURROGATE = {RecordVersion: "id", ActionCarry: "id"}  # numbered by the receiving vault


def _dump(row: Base) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in row.__table__.columns:
        if _SURROGATE.get(type(row)) == column.key:
            continue
        value = getattr(row, column.key)
        if isinstance(value, bytes):
            value = base64.b64encode(value).decode("ascii")
        elif isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        out[column.key] = value
    return out


def _load(model: type[Base], data: dict[str, Any]) -> Any:
    values: dict[str, Any] = {}
    for column in model.__table__.columns:
        if column.key not in data:
            continue
        value = data[column.key]
        if value is not None:
            if isinstance(column.type, LargeBinary):
                value = base64.b64decode(value)
            elif isinstance(column.type, UTCDateTime):
                value = moment(value)
            elif isinstance(column.type, Date):
                value = iso_date(value)
        values[column.key] = value
    return model(**values)


# --- export ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    path: Path
    passphrase: str  # shown once, given to the recipient another way
    records: int


def _collect(session: Session, person: Person) -> dict[str, Any]:
    records = session.scalars(select(Record).where(Record.subject_id == person.id)
                              .order_by(Record.created_at, Record.id)).all()
    ids = [r.id for r in records]
    snapshots = {(r.template_id, r.template_version) for r in records}
    actions = session.scalars(select(TrackedAction)
                              .where(TrackedAction.source_record_id.in_(ids))).all()
    action_ids = [a.id for a in actions]
    # an earlier version may be about someone else (the subject was corrected); the
    # version's hash covers its subject, so that person travels with it
    earlier_subjects = {v.subject_id for r in records for v in r.versions
                        if v.subject_id and v.subject_id != person.id}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "person": _dump(person),
        "other_people": [_dump(session.get_one(Person, i)) for i in sorted(earlier_subjects)],
        "template_snapshots": [_dump(session.get_one(TemplateSnapshot, key))
                               for key in sorted(snapshots)],
        "records": [{**_dump(r), "versions": [_dump(v) for v in r.versions]} for r in records],
        "signed_documents": [_dump(d) for d in session.scalars(
            select(SignedDocument).where(SignedDocument.record_id.in_(ids)))],
        "tracked_actions": [_dump(a) for a in actions],
        "action_carries": [_dump(c) for c in session.scalars(
            select(ActionCarry).where(ActionCarry.record_id.in_(ids),
                                      ActionCarry.action_id.in_(action_ids)))],
        "cancellations": [_dump(c) for c in session.scalars(
            select(Cancellation).where(Cancellation.person_id == person.id))],
        "deviations": [_dump(d) for d in session.scalars(
            select(Deviation).where(Deviation.person_id == person.id))],
    }


def _derive(kdf: dict[str, Any], passphrase: str) -> bytes:
    """The bundle key, with the bundle's Argon2id settings bounded first (store.kdf)."""
    try:
        return derive_argon2id(kdf, _normalise(passphrase))
    except UnsafeKdfSettings as exc:
        weakened = " (its protection was weakened)" if "minimum" in exc.detail else ""
        raise TransferRefused(f"This transfer bundle asks for unsafe settings ({exc.detail}): "
                              f"it has been altered{weakened}. It was not imported.") from None


def seal(envelope: dict[str, Any], passphrase: str) -> bytes:
    """Encrypt a bundle's envelope (see ``sign_document``) under the transfer passphrase."""
    kdf: dict[str, Any] = {
        "name": "argon2id", "time_cost": ARGON2_TIME_COST,
        "memory_kib": ARGON2_MEMORY_KIB, "parallelism": ARGON2_PARALLELISM,
        "salt": base64.b64encode(secrets.token_bytes(16)).decode("ascii"),
    }
    nonce = secrets.token_bytes(12)
    header = {
        "format": FORMAT, "format_version": envelope.get("format_version", FORMAT_VERSION),
        "kdf": kdf, "nonce": base64.b64encode(nonce).decode("ascii"),
    }
    header_bytes = json.dumps(header, sort_keys=True).encode("utf-8")
    plaintext = json.dumps(envelope).encode("ascii")
    key = _derive(kdf, passphrase)
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, MAGIC + header_bytes)
    return MAGIC + _LENGTH.pack(len(header_bytes)) + header_bytes + ciphertext


def encode_content(document: dict[str, Any]) -> bytes:
    """The bytes that are signed and carried: the document as compressed JSON."""
    return zlib.compress(json.dumps(document, ensure_ascii=False).encode("utf-8"))


def sign_document(document: dict[str, Any], key: Any, certificate: x509.Certificate,
                  chain: list[x509.Certificate] | None = None) -> dict[str, Any]:
    """The envelope: the document's bytes and a signature over them by ``key``."""
    content = encode_content(document)
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "content": base64.b64encode(content).decode("ascii"),
        "signature": bundle_signature.sign(content, key, certificate, chain or []),
    }


def _owner_key(vault: Vault) -> tuple[Any, x509.Certificate, list[x509.Certificate]]:
    """This vault's signing key, certificate and chain (the ones its PDFs are signed with)."""
    from pyhanko.sign.signers import SimpleSigner

    from supervision_desktop.services.certificates import owner_signer

    signer, _info = owner_signer(vault)
    der = serialization.Encoding.DER
    assert isinstance(signer, SimpleSigner) and signer.signing_cert is not None
    certificate = x509.load_der_x509_certificate(signer.signing_cert.dump())
    key = serialization.load_der_private_key(signer.signing_key.dump(), password=None)
    chain = [x509.load_der_x509_certificate(c.dump()) for c in signer.cert_registry
             if c.dump() != certificate.public_bytes(der)]
    return key, certificate, chain


def export_person(vault: Vault, person_id: str, out: Path,
                  now: dt.datetime | None = None) -> Exported:
    """Write one person's whole file as a signed, encrypted bundle; returns the passphrase."""
    with vault.transaction() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(f"There is no person with id {person_id}.")
        if person.kind not in TRANSFERABLE_KINDS:
            raise InvalidInput("Only a supervisee's or a carer household's file can be "
                               "transferred.")
        document = _collect(session, person)
    document["sender"] = {"vault_id": vault.vault_id,
                          "sent_at": (now or dt.datetime.now(dt.UTC)).isoformat()}
    key, certificate, chain = _owner_key(vault)
    envelope = sign_document(document, key, certificate, chain)
    passphrase = new_transfer_passphrase()
    out = Path(out).expanduser()
    if out.is_dir():
        out = out / default_file_name()
    write_atomically(out, seal(envelope, passphrase))
    count = len(document["records"])
    with vault.transaction() as session:
        log_event(session, "transfer_out", person_id=person_id,
                  detail=f"{count} records, signed")
    return Exported(out, passphrase, count)


# --- import ----------------------------------------------------------------------------


_STANDING_TEXT = {
    Standing.TRUSTED: "Its certificate was issued by an agency your vault trusts.",
    Standing.KNOWN: "It is signed by a certificate you have accepted before.",
    Standing.NEW: "It is signed by a certificate you do not know.",
    Standing.MISMATCH: "It is signed by a different certificate than the one you have for "
                       "this person.",
}


@dataclass(frozen=True)
class Sender:
    """Who signed a bundle, and how far this vault trusts that certificate."""

    name: str  # the certificate's name (anyone can put any name in a self-made one)
    organisation: str
    fingerprint: str  # SHA-256 of the certificate, hex
    vault_id: str  # the sending vault, as signed in the bundle
    standing: Standing
    sent_at: str = ""
    certificate: x509.Certificate | None = field(default=None, compare=False, repr=False)

    @property
    def readable_fingerprint(self) -> str:
        return readable_fingerprint(self.fingerprint)

    @property
    def standing_text(self) -> str:
        return _STANDING_TEXT[self.standing]

    @property
    def description(self) -> str:
        """Two or three lines: who, the fingerprint, and what that means."""
        who = self.name or "(no name)"
        if self.organisation:
            who += f" ({self.organisation})"
        text = (f"Sent by {who}.\nCertificate fingerprint: {self.readable_fingerprint}\n"
                f"{self.standing_text}")
        if self.standing is Standing.NEW:
            text += (f" Compare the fingerprint with {self.name or 'the sender'} by phone or "
                     "in person before you accept it.")
        elif self.standing is Standing.MISMATCH:
            text += (" It may be someone else using the same name, or the sender's new "
                     "computer: check the fingerprint with them before you accept it.")
        return text


@dataclass(frozen=True)
class OpenedBundle:
    document: dict[str, Any]
    sender: Sender


class SenderNotAccepted(TransferRefused):
    """The signature is good but this vault does not (yet) trust the certificate."""

    def __init__(self, sender: Sender, message: str = "") -> None:
        self.sender = sender
        super().__init__(message or (
            f"{sender.description}\nNothing was imported. If the fingerprint is right, "
            "import it again and accept this certificate."))


def _plaintext(path: Path, passphrase: str) -> bytes:
    data = safe_input.read_bytes(Path(path).expanduser(), name=str(path),
                                 max_bytes=safe_input.LARGE_DOCUMENT_BYTES)
    if not data.startswith(MAGIC):
        raise TransferRefused(f"{path} is not a Supervision Desktop transfer bundle.")
    try:
        (length,) = _LENGTH.unpack_from(data, len(MAGIC))
        start = len(MAGIC) + _LENGTH.size
        header_bytes = data[start : start + length]
        header = safe_input.loads_json(header_bytes, "bundle header")
        if header["format_version"] > FORMAT_VERSION:
            raise TransferRefused("This bundle was made by a newer version of Supervision "
                                  "Desktop; update the application to import it.")
        if header["format_version"] < FORMAT_VERSION:
            raise TransferRefused(UNSIGNED)
        key = _derive(header["kdf"], passphrase)
        nonce = base64.b64decode(header["nonce"])
    except (struct.error, ValueError, KeyError, TypeError, safe_input.InputProblem):
        raise TransferRefused(_DAMAGED) from None
    try:
        return AESGCM(key).decrypt(nonce, data[start + length :], MAGIC + header_bytes)
    except InvalidTag:
        # AES-GCM cannot tell a wrong passphrase from an altered file; the passphrase is
        # by far the likelier, and the message says what to check for both.
        raise TransferRefused(WRONG_PASSPHRASE + " Check it with the sender (if it is "
                              "right, the file was damaged on the way).") from None


def open_bundle(vault: Vault, path: Path, passphrase: str) -> OpenedBundle:
    """Decrypt a bundle, check its signature and say who sent it; nothing is written.

    Wrong passphrase, damage and a broken signature each get their own message; whether
    the sender may be imported without asking is ``sender.standing``.
    """
    try:
        envelope = safe_input.loads_json(_plaintext(path, passphrase), "bundle",
                                         max_bytes=safe_input.LARGE_DOCUMENT_BYTES)
        content = base64.b64decode(envelope["content"], validate=True)
        signature = envelope["signature"]
    except (ValueError, KeyError, TypeError, safe_input.InputProblem):
        raise TransferRefused(_DAMAGED) from None
    try:
        signed = bundle_signature.check(content, signature)
    except bundle_signature.BadSignature:
        raise TransferRefused(ALTERED) from None
    try:
        inflated = safe_input.inflate(content, "The transfer bundle",
                                      max_bytes=safe_input.LARGE_DOCUMENT_BYTES)
        document = safe_input.loads_json(inflated, "bundle",
                                         max_bytes=safe_input.LARGE_DOCUMENT_BYTES)
        sender_data = document["sender"]
        sender_vault = str(sender_data["vault_id"])
    except safe_input.FileTooLarge as exc:
        raise TransferRefused(f"{exc} Nothing was imported.") from None
    except (zlib.error, ValueError, KeyError, TypeError, safe_input.InputProblem):
        raise TransferRefused(_DAMAGED) from None
    if document.get("format") != FORMAT:
        raise TransferRefused(_DAMAGED)
    info = describe_certificate(signed.certificate, "")
    standing = sender_standing(vault, signed.certificate, list(signed.chain), sender_vault,
                               info.common_name)
    sender = Sender(info.common_name, info.organisation, info.fingerprint, sender_vault,
                    standing, str(sender_data.get("sent_at", "")), signed.certificate)
    return OpenedBundle(dict(document), sender)


_DAMAGED = "This transfer bundle is damaged and cannot be read. Nothing was imported."
ALTERED = ("This transfer bundle was changed after it was signed: it is not the file the "
           "sender wrote. Nothing was imported. Ask the sender to transfer the file again.")
UNSIGNED = ("This transfer bundle was made by an older version of Supervision Desktop and "
            "is not signed, so nobody can tell who made it or whether it was changed. "
            "Nothing was imported. Ask the sender to update Supervision Desktop and transfer "
            "the file again.")


def _check_integrity(document: dict[str, Any]) -> None:
    """Every finalised version hashes to its stored hash, chained; every PDF to its SHA-256."""
    for record in document["records"]:
        previous: str | None = None
        for version in record["versions"]:
            if version["finalised_at"] is None:
                continue
            content = RecordContent(record["template_id"], record["template_version"],
                                    version["subject_id"], version["session_date"],
                                    version["content"])
            if (version["previous_hash"] != previous
                    or version["content_hash"] != content.content_hash(previous)):
                raise TransferRefused(
                    f"Version {version['number']} of a record in this bundle no longer matches "
                    "its hash: it was changed after it was finalised. Nothing was imported."
                )
            previous = version["content_hash"]
    for signed in document["signed_documents"]:
        if hashlib.sha256(base64.b64decode(signed["data"])).hexdigest() != signed["sha256"]:
            raise TransferRefused("A signed document in this bundle is not the file that was "
                                  "signed. Nothing was imported.")


@dataclass
class Imported:
    person_id: str
    person_name: str
    records_added: int = 0
    records_skipped: int = 0  # already in this vault (imported before)
    versions_added: int = 0
    other_rows_added: int = 0
    notes: list[str] = field(default_factory=list)
    sender: Sender | None = None
    accepted: bool = False  # the sender's certificate was accepted on purpose just now

    @property
    def message(self) -> str:
        if not self.records_added and not self.versions_added and not self.other_rows_added:
            text = (f"Everything in this bundle for {self.person_name} is already in your "
                    "vault; nothing was added.")
        else:
            skipped = (f" ({self.records_skipped} already here)" if self.records_skipped
                       else "")
            text = (f"Imported {self.person_name}'s file: {self.records_added} records "
                    f"added{skipped}, {self.versions_added} versions.")
        if self.sender is not None:
            how = {Standing.TRUSTED: "a certificate your agency issued",
                   Standing.KNOWN: "a certificate you know"}.get(
                self.sender.standing, "a certificate you accepted just now")
            text += (f" Signed by {self.sender.name or '(no name)'} "
                     f"({self.sender.readable_fingerprint[:19]} …), {how}.")
        return " ".join([text, *self.notes])


def _add_if_new(session: Session, model: type[Base], data: dict[str, Any], key: Any) -> bool:
    if session.get(model, key) is not None:
        return False
    session.add(_load(model, data))
    return True


def _same_fingerprint(accepted: str | None, fingerprint: str) -> bool:
    return accepted is not None and \
        "".join(accepted.split()).replace(":", "").lower() == fingerprint


def import_bundle(vault: Vault, path: Path, passphrase: str, *,
                  accept_fingerprint: str | None = None,
                  now: dt.datetime | None = None) -> Imported:
    """Import a bundle by ids: what is already here is kept, only what is new is added.

    A sender whose standing is NEW or MISMATCH is refused (``SenderNotAccepted``, with
    who and the fingerprint) unless ``accept_fingerprint`` is that certificate's
    fingerprint: the user compared it and accepts it. Accepting is audited and pins the
    certificate for that sending vault, so its next bundle is KNOWN.
    """
    opened = open_bundle(vault, path, passphrase)
    sender, document = opened.sender, opened.document
    accepted = False
    if sender.standing.needs_acceptance:
        if accept_fingerprint is None:
            raise SenderNotAccepted(sender)
        if not _same_fingerprint(accept_fingerprint, sender.fingerprint):
            raise SenderNotAccepted(sender, (
                f"{sender.description}\nThe fingerprint you accepted is not this "
                "certificate's. Nothing was imported."))
        accepted = True
    moment = now or dt.datetime.now(dt.UTC)
    try:
        _check_integrity(document)
        flagged = _recheck_signed_documents(vault, document)
        with vault.transaction() as session:
            result = _import(session, document)
            result.sender, result.accepted = sender, accepted
            if flagged:
                result.notes.append(f"{flagged} signed PDF{'s' if flagged > 1 else ''} in it "
                                    "did not verify and {} kept flagged, not as genuine."
                                    .format("are" if flagged > 1 else "is"))
            if accepted or sender.standing is Standing.KNOWN:
                assert sender.certificate is not None
                remember_sender(session, sender.certificate, sender.vault_id, sender.name,
                                moment)
            detail = (f"{result.records_added} records, {result.versions_added} versions; "
                      f"signed by certificate {sender.fingerprint[:16]}, {sender.standing}")
            if accepted:
                detail += ", accepted on purpose"
            log_event(session, "transfer_in", person_id=result.person_id, detail=detail)
    except (KeyError, TypeError, ValueError):
        raise TransferRefused(_DAMAGED) from None
    return result


def _recheck_signed_documents(vault: Vault, document: dict[str, Any]) -> int:
    """Verify each signed PDF again; one that does not verify arrives flagged.

    The sender's own verdict is never taken on trust: a PDF is listed as genuine here
    only because it verifies here. Returns how many were flagged.
    """
    from supervision_desktop.export.verification import verify_pdf
    from supervision_desktop.services.certificates import trusted_roots

    roots = trusted_roots(vault)
    flagged = 0
    for signed in document["signed_documents"]:
        if signed.get("verdict") != "genuine":
            continue
        report = verify_pdf(base64.b64decode(signed["data"]), trust_roots=roots)
        if not report.ok:
            signed["verdict"], signed["verdict_detail"] = "flagged", report.summary
            flagged += 1
    return flagged


def _import(session: Session, document: dict[str, Any]) -> Imported:
    person_data = document["person"]
    result = Imported(person_data["id"], person_data["name"])
    existing = session.get(Person, person_data["id"])
    if existing is None:
        session.add(_load(Person, person_data))
    elif existing.kind != person_data["kind"]:
        raise TransferRefused("This bundle's person clashes with someone else in your vault. "
                              "Nothing was imported.")
    for snapshot in document["template_snapshots"]:
        _add_if_new(session, TemplateSnapshot, snapshot,
                    (snapshot["template_id"], snapshot["version"]))
    for other in document.get("other_people", []):
        _add_if_new(session, Person, other, other["id"])
    session.flush()
    known_people = {person_data["id"]}
    for record_data in document["records"]:
        if session.get(Record, record_data["id"]) is not None:
            result.records_skipped += 1
            continue
        record = _load(Record, {**record_data, "origin": Origin.TRANSFERRED.value})
        for version_data in record_data["versions"]:
            record.versions.append(_load(RecordVersion, version_data))
            result.versions_added += 1
        session.add(record)
        result.records_added += 1
    session.flush()
    for action in document["tracked_actions"]:
        if action.get("subject_id") not in known_people:
            action = {**action, "subject_id": None}
        result.other_rows_added += _add_if_new(session, TrackedAction, action, action["id"])
    for model, key in ((SignedDocument, "signed_documents"), (Cancellation, "cancellations"),
                       (Deviation, "deviations")):
        for row in document[key]:
            result.other_rows_added += _add_if_new(session, model, row, row["id"])
    session.flush()
    for carry in document["action_carries"]:
        already = session.scalar(select(ActionCarry.id).where(
            ActionCarry.action_id == carry["action_id"],
            ActionCarry.record_id == carry["record_id"]))
        if already is None:
            session.add(_load(ActionCarry, carry))
            result.other_rows_added += 1
    session.flush()
    for record_data in document["records"]:
        search.index_record(session, record_data["id"])
    return result
