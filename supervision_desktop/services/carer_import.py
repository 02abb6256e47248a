"""Importing a signed PDF someone sent: kept byte for byte, and a read-only record copy.

``import_signed_pdf`` is the one import used by the CLI and the GUI. It verifies every
signature (``export.verification``) and then:

- **genuine** (every signature intact and valid, nothing changed after signing): the
  original bytes are kept, encrypted in the vault (``SignedDocument``, direction
  "imported"). If the PDF carries the record's data (``export.record_attachment``) and
  its content hash is the one the signed revision claims, the record is also taken into
  this vault read-only (``Origin.RECEIVED``): same id, the form as written,
  the signed version with the same content hash, the person it is about (created if
  missing), and its agreed actions tracked with their due dates. A later version of the
  same record is added as a new version. A carer's signed response (``carer-response``)
  is linked to the record it answers instead (``record_id``).
- **signers** (``services.known_signers``): a first-time signer's certificate is pinned
  to their name with the import (trust on first use); a file under a known name with a
  different certificate is refused ("signed by a different certificate than the one you
  have for this worker") until the new certificate is accepted on purpose.
- **not genuine** (altered, unsigned, a signature not valid, record data that does not
  match what was signed, or a known name's different certificate): refused, nothing
  stored. With ``keep_flagged=True`` the file is
  kept for evidence with verdict "flagged", never as genuine and never as a record.

The same file imported twice is kept once. Every import that stores something is in the
audit log ("import", no names).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from supervision_desktop.domain.dates import local_time, uk_date
from supervision_desktop.domain.people import PersonDataError, parse_person
from supervision_desktop.domain.records import Origin, RecordStatus
from supervision_desktop.domain.templates import Template, validate_values
from supervision_desktop.errors import UserError
from supervision_desktop.export.record_attachment import AttachmentProblem, RecordAttachment
from supervision_desktop.export.verification import VerificationReport
from supervision_desktop.services import actions, audit, known_signers, search
from supervision_desktop.services.export import signer_entry
from supervision_desktop.services.known_signers import MISMATCH_TEXT, SignerStanding, Standing
from supervision_desktop.services.verify import signer_standings
from supervision_desktop.store.models import (
    Person,
    Record,
    RecordVersion,
    SignedDocument,
    TemplateSnapshot,
)
from supervision_desktop.store.vault import Vault

RESPONSE_TEMPLATE = "carer-response"
RESPONDS_TO = "responds_to"
RECORD_ID = re.compile(r"[0-9a-f]{32}")  # uuid4().hex, as records and people are made

IMPORTED, ALREADY_HELD, REFUSED, FLAGGED = "imported", "already_held", "refused", "flagged"


@dataclass(frozen=True)
class SignerLine:
    name: str
    signed_at: dt.datetime | None
    unchanged: bool

    def text(self) -> str:
        when = local_time(self.signed_at, empty="an unknown time")
        return f"{self.name or '(no name)'} on {when}"


@dataclass(frozen=True)
class ImportResult:
    """What happened to one file, in one message for people and in parts for code."""

    path: Annotated[Path, Field(serialization_alias="file")]
    outcome: str  # imported, already_held, refused, flagged
    message: str
    document_id: str | None = None
    kind: str = ""  # record, carer_copy, response, countersigned
    record_id: str | None = None  # the record in this vault it is (or answers)
    signers: tuple[SignerLine, ...] = ()
    unchanged: bool = False

    @property
    def ok(self) -> bool:
        return self.outcome in (IMPORTED, ALREADY_HELD)


@dataclass(frozen=True)
class _Outcome:
    """What taking the PDF's record into the vault did (inside the import transaction)."""

    kind: str
    record_id: str | None
    text: str


def _uk(day: dt.date | None) -> str:
    return uk_date(day, empty="no date")


def _signers(report: VerificationReport) -> tuple[SignerLine, ...]:
    return tuple(SignerLine(s.signer_name, s.signing_time, s.intact and s.bottom_line)
                 for s in report.signatures)


def _signed_by(lines: tuple[SignerLine, ...]) -> str:
    return "Signed by " + "; ".join(line.text() for line in lines) + "." if lines else ""


# --- taking the record in --------------------------------------------------------------


def _subject(session: Session, attachment: RecordAttachment) -> str | None:
    subject = attachment.subject
    if subject is None:
        return None
    if session.get(Person, subject.id) is None:
        try:
            details = parse_person(subject.kind, {"name": subject.name})
        except PersonDataError:
            return None
        session.add(Person(id=subject.id, kind=subject.kind, name=subject.name,
                           details=details.model_dump(mode="json", exclude={"name"})))
        session.flush()
        audit.log_event(session, "person_change", person_id=subject.id,
                        detail=f"added from an imported record ({subject.kind})")
    return subject.id


def _snapshot(session: Session, attachment: RecordAttachment, template: Template) -> bool:
    """Store the form the record was written on; False if this vault holds a different
    form under the same id and version."""
    stored = session.get(TemplateSnapshot, (attachment.template_id, attachment.template_version))
    if stored is None:
        session.add(TemplateSnapshot(
            template_id=attachment.template_id, version=attachment.template_version,
            title=template.title, definition=attachment.template_definition))
        session.flush()
        return True
    return stored.definition == attachment.template_definition


def _add_version(session: Session, record: Record, attachment: RecordAttachment,
                 template: Template, subject_id: str | None) -> RecordVersion:
    version = RecordVersion(
        number=attachment.version, subject_id=subject_id,
        session_date=attachment.session_date, content=dict(attachment.values),
        content_hash=attachment.content_hash, previous_hash=attachment.previous_hash,
        finalised_at=attachment.finalised_at,
        reason="" if attachment.version == 1 else "A later version, as received",
    )
    record.versions.append(version)
    record.subject_id = subject_id
    record.session_date = attachment.session_date
    record.status = RecordStatus.FINALISED.value
    session.flush()
    actions.on_finalise(session, record, template, version)
    search.index_record(session, record.id)
    return version


def _first_signers(session: Session, record_id: str) -> set[str]:
    """Certificates that signed the copies of record_id received so far (first signature)."""
    found = set()
    for signers in session.scalars(
        select(SignedDocument.signers).where(SignedDocument.record_id == record_id,
                                             SignedDocument.direction == "imported",
                                             SignedDocument.verdict == "genuine")
    ):
        if signers:
            found.add(str(signers[0].get("fingerprint", "")))
    return found


def _take_record(session: Session, attachment: RecordAttachment, signer: str) -> _Outcome:
    """Create or extend the read-only copy of the record the PDF holds.

    ``signer`` is the fingerprint of the certificate of the PDF's first signature: a
    later version is only added if the versions already held were signed with it."""
    kind = "carer_copy" if attachment.carer_copy else "record"
    template = attachment.template()
    label = f"“{template.title}” of {_uk(attachment.session_date)}"
    record = session.get(Record, attachment.record_id)
    if record is not None and record.origin != Origin.RECEIVED:
        held = {v.content_hash for v in record.versions if v.content_hash}
        if attachment.content_hash in held or attachment.carer_copy:
            return _Outcome(kind, record.id, f"It is your own record {label}, version "
                            f"{attachment.version}; the signed file is kept with it.")
        return _Outcome(kind, record.id, f"It names your record {label}, but its content "
                        "differs from every version your vault holds; the file is kept "
                        "with the record for comparison.")
    if not _snapshot(session, attachment, template):
        return _Outcome(kind, None, f"The file is kept, but your copy of the form "
                        f"“{template.title}” (version {attachment.template_version}) differs "
                        "from the sender's, so it cannot be shown as a record.")
    subject_id = _subject(session, attachment)
    if record is None:
        record = Record(id=attachment.record_id, template_id=attachment.template_id,
                        template_version=attachment.template_version, origin=Origin.RECEIVED,
                        status=RecordStatus.FINALISED.value)
        session.add(record)
        _add_version(session, record, attachment, template, subject_id)
        return _Outcome(kind, record.id, f"Added to your records: {label}, version "
                        f"{attachment.version}, read-only.")
    latest = record.versions[-1]
    if attachment.version <= latest.number:
        return _Outcome(kind, record.id, f"Version {attachment.version} of {label} is "
                        f"already in your records (you hold version {latest.number}); the "
                        "signed file is kept with it.")
    earlier = _first_signers(session, record.id)
    if earlier and signer not in earlier:
        return _Outcome(kind, record.id, f"The file is kept with {label}, but it was signed "
                        "by someone other than the versions you already hold, so it is not "
                        "added as a new version. Ask the sender about it.")
    if (attachment.template_id, attachment.template_version) != (
            record.template_id, record.template_version):
        return _Outcome(kind, record.id, f"The file is kept with {label}, but it was "
                        "written on another version of the form, so the record shows the "
                        "version you already hold.")
    _add_version(session, record, attachment, template, subject_id)
    return _Outcome(kind, record.id, f"Version {attachment.version} of {label} added to "
                    "your records, read-only.")


def _link_response(session: Session, attachment: RecordAttachment) -> _Outcome:
    answered_id = attachment.values.get(RESPONDS_TO)
    answered = session.get(Record, answered_id) if isinstance(answered_id, str) else None
    true = attachment.values.get("true_reflection")
    if true is True:
        says = "says the record is a true reflection"
    elif true is False:
        says = "says the record is NOT a true reflection"
    else:
        says = "does not say whether it is a true reflection"
    if answered is None:
        return _Outcome("response", None, f"A response that {says}. The record it answers "
                        "is not in this vault, so it is not linked.")
    snapshot = session.get_one(TemplateSnapshot, (answered.template_id,
                                                  answered.template_version))
    return _Outcome("response", answered.id, f"A response that {says}; linked to "
                    f"“{snapshot.title}” of {_uk(answered.session_date)}.")


# --- the import ------------------------------------------------------------------------


def _already_held(session: Session, sha256: str) -> SignedDocument | None:
    return session.scalars(
        select(SignedDocument).where(SignedDocument.sha256 == sha256)
        .order_by(SignedDocument.created_at)
    ).first()


def _keep(session: Session, *, path: Path, data: bytes, sha256: str, kind: str,
          record_id: str | None, report: VerificationReport, verdict: str) -> str:
    claimed = report.record
    document = SignedDocument(
        id=uuid.uuid4().hex, direction="imported", kind=kind, record_id=record_id,
        file_name=path.name, sha256=sha256, data=data,
        claimed_record_id=claimed.record_id if claimed else "",
        claimed_version=claimed.version if claimed else None,
        claimed_content_hash=claimed.content_hash if claimed else "",
        signers=[signer_entry(s.signer_name, s.fingerprint, s.signing_time,
                              organisation=s.signer_organisation,
                              unchanged=s.intact, valid=s.bottom_line,
                              identity_confirmed=s.identity_confirmed)
                 for s in report.signatures],
        verdict=verdict, verdict_detail=report.summary,
    )
    session.add(document)
    session.flush()
    audit.log_event(session, "import", record_id=record_id,
                    detail=f"{kind}, {verdict}"
                    + (f", version {claimed.version}" if claimed else ""))
    return document.id


def _data_problem(report: VerificationReport, attachment: RecordAttachment) -> str:
    claimed = report.record
    if claimed is None or (claimed.record_id, claimed.version, claimed.content_hash) != (
            attachment.record_id, attachment.version, attachment.content_hash):
        return "the record data inside does not match what the signature vouches for"
    if attachment.recomputed_hash() != claimed.content_hash:
        return "the record data inside does not add up to the content hash it was signed with"
    if not RECORD_ID.fullmatch(attachment.record_id) or attachment.version < 1:
        return "the record data inside has an id this app does not write"
    try:
        template = attachment.template()
    except AttachmentProblem as exc:
        return str(exc).rstrip(".").lower()
    if template.id != attachment.template_id or template.version != attachment.template_version:
        return "the form inside is not the one the record names"
    if validate_values(template, attachment.values):
        return "the record data inside does not fit its form"
    subject = attachment.subject
    if subject is not None and (not RECORD_ID.fullmatch(subject.id)
                                or template.subject_kind not in ("none", subject.kind)):
        return "the person the record is about does not fit its form"
    return ""


def _signer_problem(standings: tuple[SignerStanding, ...]) -> str:
    """Why the signers stop the import: a known name with a different certificate."""
    mismatched = [s for s in standings if s.standing is Standing.MISMATCH]
    if not mismatched:
        return ""
    names = ", ".join(s.name or "(no name)" for s in mismatched)
    return (f"It is {MISMATCH_TEXT} ({names}). If they have a new certificate (a new "
            "laptop), compare its fingerprint with them, accept it with 'signers accept', "
            "then import the file again.")


def _pin_signers(session: Session, standings: tuple[SignerStanding, ...],
                 report: VerificationReport) -> str:
    """Pin first-time signers (and agency-issued certificates); the words saying so."""
    said = []
    for signer, check in zip(standings, report.signatures, strict=True):
        if signer.standing is Standing.NEW:
            known_signers.pin(session, check.certificate, name=signer.name)
            said.append(f" First file from {signer.name or '(no name)'}: their certificate "
                        f"is now kept as theirs (fingerprint {signer.words}); compare it "
                        "with them by phone or in person.")
        elif signer.standing is Standing.TRUSTED:
            known_signers.pin(session, check.certificate, name=signer.name,
                              how=known_signers.AGENCY_CA)
    return "".join(said)


def import_signed_pdf(vault: Vault, path: Path | str, *, keep_flagged: bool = False,
                      ca_dir: Path | None = None) -> ImportResult:
    """Verify one signed PDF and keep it (see the module's docstring). Never raises for a
    bad file: the result says what happened, in one message. ``ca_dir`` stands in for
    the machine-wide agency CA folder (tests)."""
    from supervision_desktop.export.record_attachment import extract_attachment
    from supervision_desktop.export.verification import verify_pdf
    from supervision_desktop.services.certificates import trusted_roots
    from supervision_desktop.services.export import read_pdf_file

    path = Path(path).expanduser()
    try:
        data = read_pdf_file(path)
    except UserError as exc:
        return ImportResult(path, REFUSED, f"Not imported: {exc}")
    sha256 = hashlib.sha256(data).hexdigest()
    with vault.transaction() as session:
        held = _already_held(session, sha256)
        if held is not None:
            how = ("you exported it from this vault" if held.direction == "exported"
                   else f"imported on {_uk(held.created_at.date())}")
            return ImportResult(path, ALREADY_HELD, f"{path.name} is already in your vault "
                                f"({how}). Nothing was added.", held.id, held.kind,
                                held.record_id, unchanged=held.verdict == "genuine")
    report = verify_pdf(data, trust_roots=trusted_roots(vault, ca_dir=ca_dir))
    signers = _signers(report)
    attachment: RecordAttachment | None = None
    problem = "" if report.ok else report.summary
    if report.ok:
        try:
            attachment = extract_attachment(data)
        except (AttachmentProblem, UserError) as exc:
            problem = str(exc)
        if attachment is not None:
            problem = _data_problem(report, attachment)
            problem = f"NOT VALID: {problem}." if problem else ""
    standings: tuple[SignerStanding, ...] = ()
    if not problem:
        with vault.transaction() as session:
            standings = signer_standings(session, report)
        problem = _signer_problem(standings)
    if problem:
        if not keep_flagged:
            return ImportResult(path, REFUSED, f"Refused: {path.name} is not a genuine signed "
                                f"record. {problem} Nothing was stored.", signers=signers)
        with vault.transaction() as session:
            document_id = _keep(session, path=path, data=data, sha256=sha256, kind="record",
                                record_id=None, report=report, verdict="flagged")
        return ImportResult(path, FLAGGED, f"Kept as NOT GENUINE: {path.name}. {problem} "
                            "It is flagged in red and is not one of your records.",
                            document_id, "record", None, signers)
    with vault.transaction() as session:
        if attachment is None:
            claimed = report.record
            linked = (claimed.record_id if claimed and session.get(Record, claimed.record_id)
                      else None)
            outcome = _Outcome("record", linked, "It carries no record data, so it is kept "
                               "as a signed file only.")
        elif attachment.template_id == RESPONSE_TEMPLATE:
            outcome = _link_response(session, attachment)
        else:
            outcome = _take_record(session, attachment, report.signatures[0].fingerprint)
        kind = outcome.kind
        if kind == "record" and len(report.signatures) > 1:
            kind = "countersigned"
        document_id = _keep(session, path=path, data=data, sha256=sha256, kind=kind,
                            record_id=outcome.record_id, report=report, verdict="genuine")
        first_time = _pin_signers(session, standings, report)
    message = (f"Imported {path.name}: unchanged since signing. {_signed_by(signers)} "
               f"{outcome.text}{first_time}")
    return ImportResult(path, IMPORTED, message, document_id, kind, outcome.record_id,
                        signers, unchanged=True)


def import_files(vault: Vault, paths: list[Path], *, keep_flagged: bool = False
                 ) -> list[ImportResult]:
    """``import_signed_pdf`` for each file, in order."""
    return [import_signed_pdf(vault, path, keep_flagged=keep_flagged) for path in paths]
