"""The signed PDFs a vault holds: list them, check them again, save a copy, responses.

Every PDF this vault exported or imported is kept byte for byte (``SignedDocument``).
Listing reads who signed and what each file is linked to; ``save_document`` writes the
exact bytes back out; ``verify_document`` checks the signatures again and that the kept
bytes are still the ones stored. ``responses_to`` lists carers' signed responses linked
to a record, with whether the carer says it is a true reflection.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, computed_field
from sqlalchemy import select
from sqlalchemy.orm import Session

from supervision_desktop.domain.dates import moment
from supervision_desktop.errors import InvalidInput, NotFound
from supervision_desktop.export.verification import VerificationReport
from supervision_desktop.services import audit
from supervision_desktop.services.known_signers import SignerStanding
from supervision_desktop.services.verify import (
    EXIT_CODES,
    State,
    signer_standings,
    state_of,
    state_text,
)
from supervision_desktop.store.models import Person, Record, SignedDocument, TemplateSnapshot
from supervision_desktop.store.vault import Vault

GENUINE, UNKNOWN_SIGNER, NOT_GENUINE = "genuine", "unknown_signer", "not_genuine"
STATE_LABELS = {GENUINE: "Genuine", UNKNOWN_SIGNER: "Signer not known",
                NOT_GENUINE: "NOT GENUINE"}
KIND_LABELS = {"record": "Record", "carer_copy": "Carer copy", "response": "Response",
               "countersigned": "Countersigned record", "evidence_pack": "Evidence pack",
               "disclosure": "Subject access disclosure",
               "staff_file": "Staff-file part (split export)",
               "case_extract": "Case extract (split export)"}


@dataclass(frozen=True)
class Signature:
    name: str
    signed_at: dt.datetime | None
    unchanged: bool


@dataclass(frozen=True)
class DocumentView:
    id: str
    direction: str  # exported, imported
    kind: str
    file_name: str
    title: str  # the form's title, or the file name if no record is linked
    person: str  # whom the linked record is about
    session_date: dt.date | None
    record_id: str | None  # the record in this vault it is (or answers, for a response)
    signatures: tuple[Signature, ...]
    # genuine: unchanged and every signer trusted or known here; unknown_signer: unchanged
    # but a signer is not (or no longer) known; not_genuine: kept flagged, never relied on
    state: str
    verdict_detail: str
    kept_at: dt.datetime
    claimed_version: Annotated[int | None, Field(serialization_alias="version")]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def genuine(self) -> bool:
        return self.state == GENUINE

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def signed_by(self) -> str:
        return ", ".join(s.name or "(no name)" for s in self.signatures)

    @property
    def signed_on(self) -> dt.datetime | None:
        return self.signatures[0].signed_at if self.signatures else None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind.replace("_", " ").capitalize())


def _time(text: Any) -> dt.datetime | None:
    if not text:
        return None
    return moment(str(text))


def _view(session: Any, document: SignedDocument) -> DocumentView:
    record = session.get(Record, document.record_id) if document.record_id else None
    title, person, day = document.file_name, "", None
    if record is not None:
        title = session.get_one(TemplateSnapshot,
                                (record.template_id, record.template_version)).title
        subject = session.get(Person, record.subject_id) if record.subject_id else None
        person = subject.name if subject else ""
        day = record.session_date
        if document.kind == "response":
            title = f"Response to {title}"
    signatures = tuple(Signature(str(s.get("name", "")), _time(s.get("signed_at")),
                                 bool(s.get("unchanged")) and bool(s.get("valid", True)))
                       for s in document.signers or [])
    state = _state(session, document, signatures)
    return DocumentView(
        id=document.id, direction=document.direction, kind=document.kind,
        file_name=document.file_name, title=title, person=person, session_date=day,
        record_id=document.record_id, signatures=signatures,
        state=state, verdict_detail=document.verdict_detail,
        kept_at=document.created_at, claimed_version=document.claimed_version,
    )


def _state(session: Session, document: SignedDocument,
           signatures: tuple[Signature, ...]) -> str:
    """Genuine only if kept as genuine, every signature unchanged, and every signer's
    certificate one this vault trusts or knows now (never just "the hashes match")."""
    from supervision_desktop.services.known_signers import standing_by_fingerprint

    if document.verdict != "genuine" or not signatures:
        return NOT_GENUINE
    if not all(s.unchanged for s in signatures):
        return NOT_GENUINE
    for entry in document.signers or []:
        fingerprint = str(entry.get("fingerprint", ""))
        if not fingerprint:
            return UNKNOWN_SIGNER
        if entry.get("identity_confirmed"):  # an agency CA vouched for it when kept
            continue
        found = standing_by_fingerprint(session, fingerprint, str(entry.get("name", "")))
        if not found.genuine:
            return UNKNOWN_SIGNER
    return GENUINE


def list_documents(vault: Vault, *, record_id: str | None = None,
                   direction: str | None = None) -> list[DocumentView]:
    """Signed documents held, newest first (all, or those linked to one record)."""
    query = select(SignedDocument).order_by(SignedDocument.created_at.desc(),
                                            SignedDocument.id)
    if record_id is not None:
        query = query.where(SignedDocument.record_id == record_id)
    if direction is not None:
        query = query.where(SignedDocument.direction == direction)
    with vault.read() as session:
        return [_view(session, d) for d in session.scalars(query)]


def get_document(vault: Vault, document_id: str) -> DocumentView:
    with vault.transaction() as session:
        return _view(session, _document(session, document_id))


def _document(session: Session, document_id: str) -> SignedDocument:
    document = session.get(SignedDocument, document_id)
    if document is None:
        raise NotFound(f"There is no signed document with id {document_id}.")
    return document


def document_bytes(vault: Vault, document_id: str) -> tuple[str, bytes]:
    """The file name and the exact bytes kept."""
    with vault.transaction() as session:
        document = _document(session, document_id)
        return document.file_name, bytes(document.data)


def save_document(vault: Vault, document_id: str, out: Path | str) -> Path:
    """Write the kept bytes to ``out`` (a ``.pdf`` path, or a folder: its own name)."""
    from supervision_desktop.services.export import write_atomically

    name, data = document_bytes(vault, document_id)
    target = Path(out).expanduser()
    if target.is_dir():
        target = target / (Path(name).name or f"{document_id[:8]}.pdf")
    elif not target.parent.is_dir():
        raise InvalidInput(f"The folder {target.parent} does not exist.")
    write_atomically(target, data)
    with vault.transaction() as session:
        document = _document(session, document_id)
        audit.log_event(session, "export", record_id=document.record_id,
                        detail=f"copy of a kept {document.direction} signed file")
    return target


@dataclass(frozen=True)
class DocumentCheck:
    report: VerificationReport
    bytes_as_kept: bool  # the stored bytes still have the SHA-256 taken when kept
    signers: tuple[SignerStanding, ...] = ()

    @property
    def state(self) -> State:
        if not self.bytes_as_kept:
            return State.NOT_GENUINE
        return state_of(self.report, self.signers)

    @property
    def ok(self) -> bool:
        return self.state is State.GENUINE

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.state]

    @property
    def message(self) -> str:
        if not self.bytes_as_kept:
            return "The kept file no longer matches the fingerprint taken when it was kept."
        return state_text(self.state, self.report, self.signers)


def verify_document(vault: Vault, document_id: str) -> DocumentCheck:
    """Check a kept document's signatures and signers again."""
    from supervision_desktop.export.verification import verify_pdf
    from supervision_desktop.services.certificates import trusted_roots

    with vault.transaction() as session:
        document = _document(session, document_id)
        data, sha256 = bytes(document.data), document.sha256
    report = verify_pdf(data, trust_roots=trusted_roots(vault))
    with vault.transaction() as session:
        signers = signer_standings(session, report)
    return DocumentCheck(report, hashlib.sha256(data).hexdigest() == sha256, signers)


# --- carers' responses -----------------------------------------------------------------


@dataclass(frozen=True)
class ResponseView:
    document_id: str
    signed_by: str
    signed_at: dt.datetime | None
    unchanged: bool
    true_reflection: bool | None  # what the carer answered; None if not said
    disagreements: str


def responses_to(vault: Vault, record_id: str) -> list[ResponseView]:
    """Carers' signed responses imported and linked to ``record_id``, oldest first."""
    from supervision_desktop.export.record_attachment import AttachmentProblem, extract_attachment

    with vault.transaction() as session:
        kept = [(d.id, bytes(d.data), _view(session, d)) for d in session.scalars(
            select(SignedDocument).where(SignedDocument.record_id == record_id,
                                         SignedDocument.kind == "response")
            .order_by(SignedDocument.created_at))]
    found = []
    for document_id, data, view in kept:
        values: dict[str, Any] = {}
        try:
            attachment = extract_attachment(data)
        except AttachmentProblem:
            attachment = None
        if attachment is not None:
            values = attachment.values
        true = values.get("true_reflection")
        found.append(ResponseView(
            document_id, view.signed_by, view.signed_on,
            view.genuine and all(s.unchanged for s in view.signatures),
            true if isinstance(true, bool) else None,
            str(values.get("disagreements") or ""),
        ))
    return found
