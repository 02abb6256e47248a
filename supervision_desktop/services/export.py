"""Exporting finalised records as signed PDFs, and countersigning a signed PDF.

An export renders the record's latest finalised version, signs it with the owner's
certificate into the first reserved box (the second box is left as an empty signature
field for a countersignature), writes it atomically and marks the record exported.
File names carry no personal data unless asked for. A per-child template covering
several children is written once per child.

Every file carries the record's data as a signed attachment (``export.record_attachment``)
so another vault can import it, and every file written is also kept in the vault byte for
byte (``SignedDocument``), so the sender can always show exactly what was sent. A carer
copy leaves out the staff-only sections and claims its own content hash.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import hashlib
import os
import re
import tempfile
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from supervision_desktop.domain import safe_input
from supervision_desktop.domain.dates import utc_now
from supervision_desktop.domain.records import Origin, RecordStatus
from supervision_desktop.domain.templates import FieldKind, Template
from supervision_desktop.errors import InvalidInput
from supervision_desktop.export.record_attachment import RecordAttachment, Subject
from supervision_desktop.export.signing import Box, SignedRecordInfo
from supervision_desktop.services import audit
from supervision_desktop.store.models import (
    Record,
    SignedDocument,
)
from supervision_desktop.store.vault import Vault

if TYPE_CHECKING:  # the renderer (reportlab) loads on first export, not with the window
    from supervision_desktop.services.rendering import RecordSource

OWNER_FIELD = "Signature1"
COUNTERSIGN_FIELD = "Signature2"
COUNTERSIGN_REASON = "Countersigned"
_EXPORTABLE = {s.value for s in (RecordStatus.FINALISED, RecordStatus.SIGNED,
                                 RecordStatus.EXPORTED, RecordStatus.UPLOADED)}


@dataclass(frozen=True)
class _Child:
    id: str
    name: str


@dataclass(frozen=True)
class ExportPlan:
    info: SignedRecordInfo
    date: dt.date
    subject_name: str
    children: tuple[_Child, ...]  # empty unless the template is per child


# --- what to export ------------------------------------------------------------------


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def _child_names(template: Template, values: dict[str, Any]) -> list[str]:
    """Names entered in the record's person fields (and table columns) for children."""
    names: list[str] = []
    for field in template.fields():
        value = values.get(field.id)
        if field.kind is FieldKind.PERSON and field.person_kind == "child":
            if isinstance(value, str):
                names.append(value)
        elif field.kind is FieldKind.TABLE and isinstance(value, list):
            columns = [c.id for c in field.columns if c.person_kind == "child"]
            for row in value:
                if isinstance(row, dict):
                    names.extend(row[c] for c in columns if isinstance(row.get(c), str))
    return names


def export_plan(source: RecordSource) -> ExportPlan:
    """What to write, or why not: from the one read of the record (`read_source`)."""
    if source.origin == Origin.RECEIVED:
        raise InvalidInput(
            "This record was received as a signed PDF, so it is not yours to sign. "
            "Save a copy of the signed file you received instead.")
    summary, latest = source.view.summary, source.chain.versions[-1]
    if summary.status not in _EXPORTABLE or latest.content_hash is None:
        what = (f"Version {latest.number} of this record is a draft amendment"
                if latest.number > 1 else "This record is a draft")
        raise InvalidInput(f"{what}. Finalise the record first, then export it.")
    template, subject = source.view.template, source.latest_subject
    children: list[_Child] = []
    if template.per_child:
        if subject is not None and subject.kind == "child":
            children.append(_Child(subject.id, subject.name))
        vault_children: dict[str, Subject] = {}
        for person in source.children:
            vault_children.setdefault(_normal(person.name), person)
        for name in _child_names(template, source.view.fields):
            named = vault_children.get(_normal(name))
            if named is not None and all(c.id != named.id for c in children):
                children.append(_Child(named.id, named.name))
    finalised = latest.finalised_at or utc_now()
    return ExportPlan(
        info=SignedRecordInfo(summary.id, latest.number, latest.content_hash,
                              summary.template_id),
        date=source.latest_session_date or finalised.date(),
        subject_name=subject.name if subject else "",
        children=tuple(children) if len(children) > 1 else (),
    )


def slug(text: str) -> str:
    """text as a file-name part: ASCII letters and digits joined by hyphens, at most 40."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")[:40]


def file_name(plan: ExportPlan, *, include_names: bool, child: tuple[int, _Child] | None = None,
              carer_copy: bool = False) -> str:
    """``supervision-record_<template>_<date>_<id8>_v<n>[_carer-copy][_child-<k>].pdf``;
    names only if asked for."""
    parts = ["supervision-record", plan.info.template_id, plan.date.isoformat()]
    if include_names and slug(plan.subject_name):
        parts.append(slug(plan.subject_name))
    parts += [plan.info.record_id[:8], f"v{plan.info.version}"]
    if carer_copy:
        parts.append("carer-copy")
    if child is not None:
        position, person = child
        parts.append(f"child-{position}")
        if include_names and slug(person.name):
            parts.append(slug(person.name))
    return "_".join(parts) + ".pdf"


def _targets(plan: ExportPlan, destination: Path, include_names: bool, carer_copy: bool
             ) -> list[tuple[_Child | None, Path]]:
    copies: list[tuple[int, _Child] | None] = (
        list(enumerate(plan.children, start=1)) if plan.children else [None]
    )
    if destination.suffix.lower() == ".pdf" and not destination.is_dir():
        if not destination.parent.is_dir():
            raise InvalidInput(f"The folder {destination.parent} does not exist.")
        if len(copies) == 1:
            return [(None, destination)]
        return [(copy[1], destination.with_name(f"{destination.stem}_child-{copy[0]}.pdf"))
                for copy in copies if copy is not None]
    try:
        destination.mkdir(mode=0o700, parents=True, exist_ok=True)  # new: owner only
    except OSError as exc:
        raise InvalidInput(f"Cannot make the folder {destination}: {exc.strerror}.") from None
    return [(copy[1] if copy else None,
             destination / file_name(plan, include_names=include_names, child=copy,
                                     carer_copy=carer_copy))
            for copy in copies]


# --- writing -------------------------------------------------------------------------


def write_atomically(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a temporary file, fsync, then rename over."""
    folder = path.parent
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise InvalidInput(f"Cannot write in {folder}: {exc.strerror}.") from None
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
            output.flush()
            os.fsync(output.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise InvalidInput(f"There is not enough space on the disk to write {path}. "
                               "Nothing was written; free some space and try again.") from None
        raise InvalidInput(f"Cannot write {path}: {exc.strerror}.") from None
    try:
        directory = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not every platform can open a folder (Windows); the rename is done
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def signature_box(boxes: Sequence[Any], index: int) -> Box | None:
    """The index-th signature box the renderer drew, or None if it drew fewer."""
    if len(boxes) <= index:
        return None
    box = boxes[index]
    return (box.page_index, *box.box)


def _attachment(source: RecordSource, plan: ExportPlan, carer_copy: bool) -> RecordAttachment:
    """The record's data as the PDF carries it (filtered and re-hashed for a carer copy)."""
    summary, template = source.view.summary, source.view.template
    values = dict(source.view.fields)
    omitted: tuple[str, ...] = ()
    content_hash, previous = plan.info.content_hash, source.latest_previous_hash
    if carer_copy:
        values, omitted = template.carer_values(values), template.staff_only_sections()
        content_hash, previous = source.carer_hashes[plan.info.version]
    return RecordAttachment(
        record_id=summary.id, version=plan.info.version, content_hash=content_hash,
        previous_hash=previous, template_id=summary.template_id,
        template_version=summary.template_version, template_definition=source.definition,
        values=values, subject=source.latest_subject,
        session_date=source.latest_session_date,
        finalised_at=source.chain.versions[-1].finalised_at, omitted_sections=omitted,
    )


def signer_entry(name: str, fingerprint: str, signed_at: dt.datetime | None, *,
                 organisation: str = "", unchanged: bool = True, valid: bool = True,
                 identity_confirmed: bool = False) -> dict[str, Any]:
    """One signature as a kept document lists it (``SignedDocument.signers``)."""
    return {"name": name, "organisation": organisation, "fingerprint": fingerprint,
            "signed_at": signed_at.isoformat() if signed_at else None,
            "unchanged": unchanged, "valid": valid, "identity_confirmed": identity_confirmed}


def _keep_exports(vault: Vault, plan: ExportPlan, written: list[tuple[Path, bytes]], *,
                  kind: str, signer: dict[str, Any]) -> None:
    """Keep the files, mark the record exported and log it, in one transaction."""
    info = plan.info
    with vault.transaction() as session:
        for path, data in written:
            session.add(SignedDocument(
                id=uuid.uuid4().hex, direction="exported", kind=kind, record_id=info.record_id,
                file_name=path.name, sha256=hashlib.sha256(data).hexdigest(), data=data,
                claimed_record_id=info.record_id, claimed_version=info.version,
                claimed_content_hash=info.content_hash, signers=[signer], verdict="genuine",
            ))
        record = session.get_one(Record, info.record_id)
        if record.versions[-1].number == info.version:  # not amended meanwhile
            if record.status in (RecordStatus.FINALISED.value, RecordStatus.SIGNED.value):
                record.status = RecordStatus.EXPORTED.value
            record.exported_at = utc_now()
        detail = f"version {info.version}, {len(written)} file(s)"
        audit.log_event(session, "export", record_id=info.record_id,
                        detail=detail + (", carer copy" if kind == "carer_copy" else ""))


def export_record(
    vault: Vault, record_id: str, folder_or_file: Path | str, *, include_names: bool = False,
    carer_copy: bool = False,
) -> list[Path]:
    """Write the record's signed PDF (one per child for per-child templates).

    ``folder_or_file`` is a folder (made if missing; files are named without personal
    data unless ``include_names``) or a ``.pdf`` path. ``carer_copy`` leaves out the
    template's staff-only sections. Each file is also kept in the vault. Returns the
    files written.
    """
    from supervision_desktop.export.pdf import render_document
    from supervision_desktop.export.record_attachment import embed_attachment
    from supervision_desktop.export.signing import sign_pdf
    from supervision_desktop.services.certificates import owner_signer
    from supervision_desktop.services.rendering import read_source, record_document

    source = read_source(vault, record_id, carer_copy=carer_copy)  # one read, one parse
    plan = export_plan(source)
    attachment = _attachment(source, plan, carer_copy)
    plan = dataclasses.replace(
        plan, info=dataclasses.replace(plan.info, content_hash=attachment.content_hash))
    targets = _targets(plan, Path(folder_or_file).expanduser(), include_names, carer_copy)
    signer, certificate = owner_signer(vault)
    written: list[tuple[Path, bytes]] = []
    for child, path in targets:
        rendered = render_document(record_document(
            source, child_id=child.id if child else None, carer_copy=carer_copy))
        reserve = signature_box(rendered.signature_boxes, 1)
        signed = sign_pdf(
            embed_attachment(rendered.data, attachment),
            signer,
            field_name=OWNER_FIELD,
            box=signature_box(rendered.signature_boxes, 0),
            reason=f"Finalised supervision record, version {plan.info.version}"
            + (" (carer copy)" if carer_copy else ""),
            signer_name=certificate.common_name,
            record=plan.info,
            reserve=[(COUNTERSIGN_FIELD, reserve)] if reserve else [],
        )
        write_atomically(path, signed)
        written.append((path, signed))
    _keep_exports(vault, plan, written, kind="carer_copy" if carer_copy else "record",
                  signer=signer_entry(certificate.common_name, certificate.fingerprint,
                                      dt.datetime.now(dt.UTC).replace(microsecond=0)))
    return [path for path, _data in written]


# --- countersigning ------------------------------------------------------------------


def read_pdf_file(path: Path) -> bytes:
    """A PDF's bytes, at most MAX_PDF_BYTES; a missing file, a folder, no permission or
    an empty file is its own message (see domain/safe_input)."""
    return safe_input.read_bytes(path, max_bytes=MAX_PDF_BYTES, name=str(path))


MAX_PDF_BYTES = 200 * 1024 * 1024
"""Larger than any record, scanned letter or evidence pack a worker is sent."""


def countersign_file(
    vault: Vault, source: Path | str, destination: Path | str, *, reason: str = ""
) -> Path:
    """Add this vault's signature to a signed PDF file (see ``services.countersign``).

    Refused if the file does not verify (a countersignature would vouch for a changed
    record) or already carries this certificate's signature.
    """
    from supervision_desktop.services.countersign import countersign_data

    source = Path(source).expanduser()
    return countersign_data(vault, read_pdf_file(source), destination, what=source.name,
                            file_name=source.name, reason=reason)
