"""Split export: a staff supervision record as one signed PDF for the staff file and one
signed case extract per child discussed (``domain.split``; Kent §12.1–12.2, Lambeth §2.2
and Appendix E).

Each file is signed like a normal export (``services.export``): the owner's certificate
in the first box, a free box for a countersignature, and the signed revision naming the
record, version and the part's own content hash. That hash is the record's content hash
(``domain.records``) over the part's values, chained to the full record's hash, so it
stands for this part of this version only; each file also prints the full record's id,
version and content hash, which links it back to the full record.

Unlike a normal export, the files carry no embedded record data (``record_attachment``):
that is the whole record, and a child's extract must hold only that child's discussion.
Each file is kept in the vault, so ``verify`` finds the record a part belongs to.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from supervision_desktop.domain.dates import utc_now
from supervision_desktop.domain.records import RecordContent, RecordStatus
from supervision_desktop.domain.split import RecordPart, SplitRefused, split_record
from supervision_desktop.errors import InvalidInput
from supervision_desktop.export.signing import SignedRecordInfo
from supervision_desktop.services import audit
from supervision_desktop.services.export import (
    COUNTERSIGN_FIELD,
    OWNER_FIELD,
    ExportPlan,
    export_plan,
    file_name,
    signature_box,
    signer_entry,
    slug,
    write_atomically,
)
from supervision_desktop.store.models import Record, SignedDocument
from supervision_desktop.store.vault import Vault

STAFF_FILE = "Staff file: personal supervision (case discussions left out)"
CASE_FILE = "Child's file: case extract (only this child's discussion)"


@dataclass(frozen=True)
class SplitFile:
    """One file of a split export."""

    path: Path
    part: Literal["staff_file", "case_extract"]
    child: str | None  # the child a case extract is for, as named in the record
    content_hash: str  # this part's own content hash, as its signature claims


@dataclass(frozen=True)
class SplitExport:
    """What a split export wrote, and the full record each file is an extract of."""

    record_id: str
    version: int
    content_hash: str  # the full record's: every file prints it
    files: tuple[SplitFile, ...]


def _part_hash(source_hash: str, template_id: str, template_version: int,
               subject_id: str | None, session_date: dt.date | None, part: RecordPart) -> str:
    return RecordContent(
        template_id=template_id, template_version=template_version, subject_id=subject_id,
        session_date=session_date.isoformat() if session_date else None,
        fields=dict(part.values),
    ).content_hash(source_hash)


def _path(folder: Path, plan: ExportPlan, include_names: bool, position: int,
          child: str | None) -> Path:
    stem = file_name(plan, include_names=include_names).removesuffix(".pdf")
    if child is None:
        return folder / f"{stem}_staff-file.pdf"
    name = f"{stem}_child-{position}"
    if include_names and slug(child):
        name += f"_{slug(child)}"
    return folder / f"{name}.pdf"


def split_export(vault: Vault, record_id: str, folder: Path | str, *,
                 include_names: bool = False) -> SplitExport:
    """Write the record's staff-file PDF and one case extract per child into ``folder``
    (made if missing), each signed and kept in the vault; refused (InvalidInput) for a
    draft, a received record, or a template or record with no case discussion."""
    from supervision_desktop.export.pdf import render_document
    from supervision_desktop.export.signing import sign_pdf
    from supervision_desktop.services.certificates import owner_signer
    from supervision_desktop.services.rendering import read_source, record_document

    source = read_source(vault, record_id)
    plan = export_plan(source)  # refuses drafts and records received from someone else
    full = plan.info
    view = source.view
    try:
        split = split_record(view.template, view.fields)
    except SplitRefused as exc:
        raise InvalidInput(str(exc)) from None
    destination = Path(folder).expanduser()
    if destination.suffix.lower() == ".pdf":
        raise InvalidInput("A split export writes several files: give a folder, not a "
                           ".pdf file.")
    try:
        destination.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"Cannot make the folder {destination}: {exc.strerror}.") from None
    document = record_document(source)
    subject = source.latest_subject
    signer, certificate = owner_signer(vault)
    written: list[tuple[SplitFile, bytes]] = []
    for position, part in enumerate((split.personal, *split.extracts)):
        content_hash = _part_hash(full.content_hash, view.summary.template_id,
                                  view.summary.template_version,
                                  subject.id if subject else None,
                                  source.latest_session_date, part)
        rendered = render_document(dataclasses.replace(
            document, template=part.template, values=part.values, content_hash=content_hash,
            child_name=part.child, part=CASE_FILE if part.child else STAFF_FILE,
            extract_of=full.content_hash))
        what = ("Case extract for one child" if part.child
                else "Staff-file part (personal supervision)")
        reserve = signature_box(rendered.signature_boxes, 1)
        signed = sign_pdf(
            rendered.data, signer, field_name=OWNER_FIELD,
            box=signature_box(rendered.signature_boxes, 0),
            reason=f"{what} of supervision record {full.record_id[:8]}, version "
                   f"{full.version}",
            signer_name=certificate.common_name,
            record=SignedRecordInfo(full.record_id, full.version, content_hash,
                                    full.template_id),
            reserve=[(COUNTERSIGN_FIELD, reserve)] if reserve else [],
        )
        path = _path(destination, plan, include_names, position, part.child)
        write_atomically(path, signed)
        written.append((SplitFile(path, "case_extract" if part.child else "staff_file",
                                  part.child, content_hash), signed))
    _keep(vault, full, written, signer_entry(
        certificate.common_name, certificate.fingerprint,
        dt.datetime.now(dt.UTC).replace(microsecond=0)))
    return SplitExport(full.record_id, full.version, full.content_hash,
                       tuple(f for f, _data in written))


def _keep(vault: Vault, info: SignedRecordInfo, written: list[tuple[SplitFile, bytes]],
          signer: dict[str, object]) -> None:
    """Keep every file, mark the record exported and log it, in one transaction."""
    with vault.transaction() as session:
        for split_file, data in written:
            session.add(SignedDocument(
                id=uuid.uuid4().hex, direction="exported", kind=split_file.part,
                record_id=info.record_id, file_name=split_file.path.name,
                sha256=hashlib.sha256(data).hexdigest(), data=data,
                claimed_record_id=info.record_id, claimed_version=info.version,
                claimed_content_hash=split_file.content_hash, signers=[signer],
                verdict="genuine",
            ))
        record = session.get_one(Record, info.record_id)
        if record.versions[-1].number == info.version:
            if record.status in (RecordStatus.FINALISED.value, RecordStatus.SIGNED.value):
                record.status = RecordStatus.EXPORTED.value
            record.exported_at = utc_now()
        extracts = len(written) - 1
        audit.log_event(session, "export", record_id=info.record_id,
                        detail=f"version {info.version}, split: staff file and {extracts} "
                               f"case extract(s)")
