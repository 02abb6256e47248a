"""Countersigning a signed PDF: one core for the CLI, the carer's page and Documents.

``countersign_data`` verifies the PDF (a countersignature would otherwise vouch for a
changed record), refuses one that already carries this vault's signature, signs it with
the vault's certificate into its free signature box (a visible stamp, with the drawn or
typed signature when one is given) or invisibly when it has none, writes it, and keeps
it in the vault as a signed document ("countersigned", exported) with every signer.

Callers: ``export.countersign_file`` (a PDF on disk, ``countersign`` on the command
line), ``responses.countersign_received`` (the carer's received record) and
``countersign_document`` (any document the vault keeps: the Documents page).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from pathlib import Path

from supervision_desktop.errors import InvalidInput
from supervision_desktop.export.signing import HandMark
from supervision_desktop.services import audit
from supervision_desktop.services.documents import document_bytes
from supervision_desktop.services.export import (
    COUNTERSIGN_REASON,
    signer_entry,
    write_atomically,
)
from supervision_desktop.store.models import Record, SignedDocument
from supervision_desktop.store.vault import Vault


def has_free_box(data: bytes) -> bool:
    """Whether the PDF has an empty visible signature box (so a stamp can be shown)."""
    from supervision_desktop.export.signing import free_signature_fields

    return any(f.box is not None for f in free_signature_fields(data))


def countersign_data(vault: Vault, data: bytes, destination: Path | str, *, what: str,
                     file_name: str, reason: str = "", mark: HandMark | None = None) -> Path:
    """Countersign ``data`` and write it to ``destination`` (a path, or a folder for
    ``file_name``); ``what`` names the file in messages ("The received PDF")."""
    from supervision_desktop.export.signing import free_signature_fields, sign_pdf
    from supervision_desktop.export.verification import verify_pdf
    from supervision_desktop.services.certificates import owner_signer, trusted_roots

    report = verify_pdf(data, trust_roots=trusted_roots(vault))
    if not report.ok:
        raise InvalidInput(f"{what} was not countersigned: {report.summary}")
    signer, certificate = owner_signer(vault)
    if any(s.fingerprint == certificate.fingerprint for s in report.signatures):
        raise InvalidInput(f"{what} already carries your signature.")
    free = free_signature_fields(data)
    if free:
        field_name = free[0].name
    else:
        taken = {s.field_name for s in report.signatures}
        field_name = next(f"Signature{n}" for n in range(2, 100) if f"Signature{n}" not in taken)
    signed = sign_pdf(data, signer, field_name=field_name, box=None,
                      reason=reason.strip() or COUNTERSIGN_REASON,
                      signer_name=certificate.common_name, mark=mark)
    target = Path(destination).expanduser()
    if target.is_dir():
        target = target / Path(file_name).name
    elif not target.parent.is_dir():
        raise InvalidInput(f"The folder {target.parent} does not exist.")
    write_atomically(target, signed)
    claimed = report.record
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    signers = [signer_entry(s.signer_name, s.fingerprint, s.signing_time,
                            organisation=s.signer_organisation,
                            identity_confirmed=s.identity_confirmed)
               for s in report.signatures]
    signers.append(signer_entry(certificate.common_name, certificate.fingerprint, now))
    with vault.transaction() as session:
        linked = (claimed.record_id if claimed is not None
                  and session.get(Record, claimed.record_id) is not None else None)
        session.add(SignedDocument(
            id=uuid.uuid4().hex, direction="exported", kind="countersigned",
            record_id=linked, file_name=target.name,
            sha256=hashlib.sha256(signed).hexdigest(), data=signed,
            claimed_record_id=claimed.record_id if claimed else "",
            claimed_version=claimed.version if claimed else None,
            claimed_content_hash=claimed.content_hash if claimed else "",
            signers=signers, verdict="genuine",
        ))
        audit.log_event(session, "countersign", record_id=linked,
                        detail=f"{len(signers)} signatures")
    return target


def countersign_document(vault: Vault, document_id: str, destination: Path | str, *,
                         reason: str = "", mark: HandMark | None = None) -> Path:
    """Countersign a signed PDF the vault keeps (received or exported); the kept original
    is left as it is and the countersigned copy is kept beside it."""
    name, data = document_bytes(vault, document_id)
    return countersign_data(vault, data, destination, what=name or "This PDF",
                            file_name=name or f"{document_id[:8]}.pdf", reason=reason,
                            mark=mark)
