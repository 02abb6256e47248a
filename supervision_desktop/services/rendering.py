"""A record from the vault as an unsigned PDF (signing happens afterwards, on these bytes).

The record's current version is printed: a finalised version with its content hash, or a
draft marked as such on every page. A record whose hash chain does not check out is not
printed, since the PDF would vouch for altered content.

A carer copy (``carer_copy=True``) leaves out the template's staff-only sections and
prints the carer copy's own content hashes (see ``export.record_attachment``).
"""

from __future__ import annotations

import datetime as dt

from supervision_desktop.domain.records import RecordContent, RecordStatus
from supervision_desktop.domain.templates import Template
from supervision_desktop.errors import InvalidInput, NotFound
from supervision_desktop.export.pdf import (
    DEFAULT_MARKING,
    RecordDocument,
    RenderedPdf,
    VersionEntry,
    render_document,
)
from supervision_desktop.services import agency, lifecycle, people, records
from supervision_desktop.store import settings
from supervision_desktop.store.models import Record, TemplateSnapshot
from supervision_desktop.store.vault import Vault


def _owner_name(vault: Vault) -> str:
    with vault.transaction() as session:
        return settings.read(session, settings.OWNER_NAME)


def carer_copy_hashes(vault: Vault, record_id: str) -> dict[int, tuple[str, str | None]]:
    """Each finalised version's carer-copy content hash and the one before it.

    The same hash as the record's own (``domain.records``), over the values without the
    staff-only sections, chained from one carer copy to the next.
    """
    with vault.transaction() as session:
        record = session.get(Record, record_id)
        if record is None:
            raise NotFound(f"There is no record with id {record_id}.")
        template = Template.from_snapshot(
            session.get_one(TemplateSnapshot, (record.template_id, record.template_version))
            .definition
        )
        hashes: dict[int, tuple[str, str | None]] = {}
        previous: str | None = None
        for version in record.versions:
            if version.finalised_at is None:
                continue
            content = RecordContent(
                template_id=record.template_id,
                template_version=record.template_version,
                subject_id=version.subject_id,
                session_date=version.session_date.isoformat() if version.session_date else None,
                fields=template.carer_values(version.content),
            )
            current = content.content_hash(previous)
            hashes[version.number] = (current, previous)
            previous = current
        return hashes


def record_document(
    vault: Vault,
    record_id: str,
    *,
    child_id: str | None = None,
    marking: str | None = None,
    signature_placeholder: bool = True,
    carer_copy: bool = False,
) -> RecordDocument:
    """Everything the PDF prints about a record, read from the vault; the protective
    marking and logo are the agency pack's unless a marking is given."""
    view = records.get_record(vault, record_id)
    chain = lifecycle.check_chain(vault, record_id)
    if not chain.intact:
        raise InvalidInput(
            "This record cannot be exported: its stored history does not check out ("
            + "; ".join(chain.problems) + ")."
        )
    latest = chain.versions[-1]
    final = view.summary.status is not RecordStatus.DRAFT and latest.finalised_at is not None
    child_name = None
    if child_id is not None:
        child = people.get_person(vault, child_id)
        if child.kind != "child":
            raise InvalidInput(
                f"A per-child copy needs a child, but {child.name} is a {child.kind}."
            )
        child_name = child.name
    template, values = view.template, view.fields
    hashes = {v.number: v.content_hash for v in chain.versions}
    if carer_copy:
        template, values = template.carer_copy(), template.carer_values(values)
        hashes = {number: pair[0] for number, pair in
                  carer_copy_hashes(vault, record_id).items()}
    return RecordDocument(
        template=template,
        values=values,
        record_id=view.summary.id,
        version=latest.number,
        content_hash=hashes.get(latest.number) if final else None,
        subject_name=view.summary.subject_name,
        session_date=view.summary.session_date,
        owner=_owner_name(vault),
        versions=tuple(
            VersionEntry(v.number, v.created_at, v.finalised_at, v.reason,
                         hashes.get(v.number) if v.finalised_at else None)
            for v in chain.versions
        ),
        marking=(marking or agency.marking()).strip() or DEFAULT_MARKING,
        logo=agency.logo(),
        child_name=child_name,
        produced_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        signature_slots=2 if signature_placeholder else 0,
        carer_copy=carer_copy,
    )


def render_record_pdf(
    vault: Vault,
    record_id: str,
    *,
    child_id: str | None = None,
    marking: str | None = None,
    signature_placeholder: bool = True,
    carer_copy: bool = False,
) -> RenderedPdf:
    """The record's PDF bytes and the boxes reserved for up to two visible signatures.

    ``child_id`` renders the copy for one child of a family (templates with
    ``per_child``); the caller decides which children get a copy. ``carer_copy`` leaves
    out the staff-only sections.
    """
    document = record_document(vault, record_id, child_id=child_id, marking=marking,
                               signature_placeholder=signature_placeholder,
                               carer_copy=carer_copy)
    return render_document(document)
