"""Verifying a signed record PDF, and matching it to this vault's records when one is open.

The signature checks need no vault. With a vault open, the content hash the PDF carries
in its signed revision is looked up among the finalised versions here, which says which
record and version the file is, and whether a later version has superseded it.

Each signer's standing comes from ``services.known_signers`` (trusted by an agency CA,
known, new, or a known name with a different certificate), and the file gets one of three
states (``State``), each with its own ``verify`` exit code:

- GENUINE (0): unchanged since signing, and every signer is trusted or known;
- UNKNOWN_SIGNER (3): unchanged, but a signer is not known here: a first-time sender
  (whatever certificate the file carries), or a known name with a different certificate;
- NOT_GENUINE (1): changed after signing, unsigned, a signature not valid, or damaged.

Verifying never pins a certificate: only an import (or ``signers accept``) does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SerializerFunctionWrapHandler, computed_field, model_serializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from supervision_desktop.export.verification import VerificationReport
from supervision_desktop.services.known_signers import SignerStanding, Standing, standing
from supervision_desktop.store.models import Record, RecordVersion, SignedDocument
from supervision_desktop.store.vault import Vault


@dataclass(frozen=True)
class VaultMatch:
    """What this vault knows about the signed content."""

    found: bool
    record_id: str | None = None
    version: int | None = None
    latest_version: int | None = None
    status: str | None = None
    signed_here: bool = False  # one of the signatures is this vault's own certificate

    @computed_field  # type: ignore[prop-decorator]
    @property
    def message(self) -> str:
        if not self.found:
            return "No finalised record in this vault has this content."
        text = f"Matches record {self.record_id}, version {self.version}"
        if self.latest_version is not None and self.latest_version > (self.version or 0):
            text += f" (superseded: the record is now at version {self.latest_version})"
        if not self.signed_here:
            text += (", but it was not signed with this vault's certificate, so the file may "
                     "not show what this vault holds")
        return text + "."


class State(StrEnum):
    GENUINE = "genuine"
    UNKNOWN_SIGNER = "unknown_signer"
    NOT_GENUINE = "not_genuine"


EXIT_CODES = {State.GENUINE: 0, State.NOT_GENUINE: 1, State.UNKNOWN_SIGNER: 3}


def signer_standings(session: Session | None, report: VerificationReport
                     ) -> tuple[SignerStanding, ...]:
    """Each signature's signer as this vault stands towards them (``None``: no vault)."""
    return tuple(
        standing(session, check.certificate, name=check.signer_name,
                 issued_by_trusted_ca=check.identity_confirmed, issuer=check.issuer_name)
        for check in report.signatures if check.certificate
    )


def state_of(report: VerificationReport, signers: Sequence[SignerStanding]) -> State:
    if not report.ok or len(signers) != len(report.signatures):
        return State.NOT_GENUINE
    return State.GENUINE if all(s.genuine for s in signers) else State.UNKNOWN_SIGNER


def state_text(state: State, report: VerificationReport,
               signers: Sequence[SignerStanding]) -> str:
    """One line for people: what the state means for this file."""
    if state is State.NOT_GENUINE:
        return report.summary
    if state is State.GENUINE:
        names = ", ".join(s.name or "(no name)" for s in signers)
        return f"Genuine: unchanged since signing, signed by {names}, whom you trust."
    mismatched = [s for s in signers if s.standing is Standing.MISMATCH]
    if mismatched:
        names = ", ".join(s.name or "(no name)" for s in mismatched)
        return ("NOT GENUINE: unchanged since signing, but signed by a different certificate "
                f"than the one you have for this worker ({names}).")
    names = ", ".join(s.name or "(no name)" for s in signers if not s.genuine)
    return (f"Unchanged since signing, but the signer is not known to you ({names}): compare "
            "the certificate's fingerprint with them before relying on it.")


@dataclass(frozen=True)
class FileVerification:
    """A file's verdict; as JSON, the report's keys beside the file's own, its "ok" the
    file's (genuine) and the report's under "intact"."""

    path: Annotated[Path, Field(serialization_alias="file")]
    report: VerificationReport
    # None: no vault was open
    vault_match: Annotated[VaultMatch | None, Field(serialization_alias="vault")] = None
    signers: tuple[SignerStanding, ...] = ()  # one per signature, in order

    @computed_field  # type: ignore[prop-decorator]
    @property
    def state(self) -> State:
        return state_of(self.report, self.signers)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        """Genuine: unchanged and signed by someone this vault trusts or knows."""
        return self.state is State.GENUINE

    @computed_field  # type: ignore[prop-decorator]
    @property
    def intact(self) -> bool:
        """Unchanged since signing, every signature valid (whoever signed)."""
        return self.report.ok

    @computed_field(alias="state_summary")  # type: ignore[prop-decorator]
    @property
    def summary(self) -> str:
        return state_text(self.state, self.report, self.signers)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.state]

    @model_serializer(mode="wrap")
    def _report_beside(self, write: SerializerFunctionWrapHandler) -> dict[str, Any]:
        written: dict[str, Any] = write(self)
        report = written.pop("report")
        return {**report, **written}  # the file's "ok" over the report's


def match_in_vault(vault: Vault, content_hash: str, record_id: str = "",
                   signed_here: bool = False) -> VaultMatch:
    """The finalised version with this content hash (of ``record_id`` if several have it).

    The hash is what the PDF claims; only a signature by this vault's own certificate
    (``signed_here``) shows the claim was made by this vault's export.
    """
    finalised_with_hash = select(RecordVersion).where(
        RecordVersion.content_hash == content_hash, RecordVersion.finalised_at.is_not(None))
    with vault.transaction() as session:
        # The record the PDF names first, through its index: content_hash has none, and
        # looking for it reads every version's content (a third of a second on 10 years).
        version = session.scalars(
            finalised_with_hash.where(RecordVersion.record_id == record_id).limit(1)
        ).first() if record_id else None
        if version is None:
            versions = session.scalars(finalised_with_hash).all()
            version = versions[0] if versions else None
        if version is None:  # a carer copy claims the hash of its filtered content
            exported = session.scalars(select(SignedDocument).where(
                SignedDocument.direction == "exported",
                SignedDocument.claimed_content_hash == content_hash,
                SignedDocument.record_id.is_not(None),
            ).limit(1)).first()
            if exported is None or exported.record_id is None:
                return VaultMatch(found=False)
            record = session.get_one(Record, exported.record_id)
            return VaultMatch(True, record.id, exported.claimed_version,
                              record.versions[-1].number, record.status, signed_here)
        record = session.get_one(Record, version.record_id)
        return VaultMatch(True, record.id, version.number, record.versions[-1].number,
                          record.status, signed_here)


def verify_file(path: Path | str, vault: Vault | None = None, *,
                ca_dir: Path | None = None) -> FileVerification:
    """Check a PDF's signatures and signers; with a vault, also which record it holds.

    ``ca_dir`` stands in for the machine-wide agency CA folder (tests).
    """
    from supervision_desktop.export.verification import verify_pdf
    from supervision_desktop.services.certificates import own_fingerprints, trusted_roots
    from supervision_desktop.services.export import read_pdf_file

    path = Path(path).expanduser()
    data = read_pdf_file(path)
    report = verify_pdf(data, trust_roots=trusted_roots(vault, ca_dir=ca_dir))
    if vault is None:
        return FileVerification(path, report, signers=signer_standings(None, report))
    with vault.transaction() as session:
        signers = signer_standings(session, report)
    if report.record is None:
        return FileVerification(path, report, VaultMatch(found=False), signers)
    ours = own_fingerprints(vault)
    signed_here = any(s.fingerprint in ours and s.bottom_line for s in report.signatures)
    match = match_in_vault(vault, report.record.content_hash, report.record.record_id,
                           signed_here)
    return FileVerification(path, report, match, signers)
