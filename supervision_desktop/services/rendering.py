"""A record from the vault as an unsigned PDF (signing happens afterwards, on these bytes).

The record's current version is printed: a finalised version with its content hash, or a
draft marked as such on every page. A record whose hash chain does not check out is not
printed, since the PDF would vouch for altered content.

A carer copy (``carer_copy=True``) leaves out the template's staff-only sections and
prints the carer copy's own content hashes (see ``export.record_attachment``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from supervision_desktop.domain.records import Origin, RecordContent, RecordStatus
from supervision_desktop.domain.templates import Template
from supervision_desktop.errors import InvalidInput
from supervision_desktop.export.pdf import (
    DEFAULT_MARKING,
    RecordDocument,
    RenderedPdf,
    VersionEntry,
    render_document,
)
from supervision_desktop.export.record_attachment import Subject
from supervision_desktop.services import agency, lifecycle, records
from supervision_desktop.store import settings
from supervision_desktop.store.models import Person, Record, TemplateSnapshot
from supervision_desktop.store.vault import Vault


@dataclass(frozen=True)
class RecordSource:
    """Everything a record's PDFs are made from, read in one transaction with one parse of
    its template: the record as `records.get_record` gives it, its chain check, the
    facts of its newest version, the vault's owner and children, and (for a carer copy)
    the carer copy's chained hashes."""

    view: records.RecordView
    chain: lifecycle.ChainReport
    origin: Origin
    definition: str  # the template snapshot as stored (the attachment embeds it)
    latest_subject: Subject | None  # the newest version's subject
    latest_session_date: dt.date | None
    latest_previous_hash: str | None
    owner: str
    children: tuple[Subject, ...]  # every child in the vault, oldest first
    carer_hashes: dict[int, tuple[str, str | None]]  # version → (hash, previous); {} unless asked


def read_source(vault: Vault, record_id: str, *, carer_copy: bool = False) -> RecordSource:
    """One consistent read of what `record_document` and an export need."""
    with vault.read() as session:
        view = records.view_in(session, record_id)
        record = session.get_one(Record, record_id)
        latest = record.versions[-1]
        subject = session.get(Person, latest.subject_id) if latest.subject_id else None
        children = tuple(Subject(p.id, p.kind, p.name) for p in session.scalars(
            select(Person).where(Person.kind == "child").order_by(Person.created_at)))
        return RecordSource(
            view=view,
            chain=lifecycle.chain_report(record),
            origin=Origin(record.origin),
            definition=session.get_one(
                TemplateSnapshot, (record.template_id, record.template_version)).definition,
            latest_subject=Subject(subject.id, subject.kind, subject.name) if subject else None,
            latest_session_date=latest.session_date,
            latest_previous_hash=latest.previous_hash,
            owner=settings.read(session, settings.OWNER_NAME),
            children=children,
            carer_hashes=_carer_copy_hashes(record, view.template) if carer_copy else {},
        )


def _carer_copy_hashes(record: Record, template: Template) -> dict[int, tuple[str, str | None]]:
    """Each finalised version's carer-copy content hash and the one before it.

    The same hash as the record's own (``domain.records``), over the values without the
    staff-only sections, chained from one carer copy to the next.
    """
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
    source: RecordSource,
    *,
    child_id: str | None = None,
    marking: str | None = None,
    signature_placeholder: bool = True,
    carer_copy: bool = False,
) -> RecordDocument:
    """Everything the PDF prints about a record; the protective marking and logo are the
    agency pack's unless a marking is given."""
    view, chain = source.view, source.chain
    if not chain.intact:
        raise InvalidInput(
            "This record cannot be exported: its stored history does not check out ("
            + "; ".join(chain.problems) + ")."
        )
    latest = chain.versions[-1]
    final = view.summary.status is not RecordStatus.DRAFT and latest.finalised_at is not None
    child_name = None
    if child_id is not None:
        child = next((c for c in source.children if c.id == child_id), None)
        if child is None:
            raise InvalidInput(
                "A per-child copy needs a child of this vault, but that person is not one.")
        child_name = child.name
    template, values = view.template, view.fields
    hashes = {v.number: v.content_hash for v in chain.versions}
    if carer_copy:
        template, values = template.carer_copy(), template.carer_values(values)
        hashes = {number: pair[0] for number, pair in source.carer_hashes.items()}
    return RecordDocument(
        template=template,
        values=values,
        record_id=view.summary.id,
        version=latest.number,
        content_hash=hashes.get(latest.number) if final else None,
        subject_name=view.summary.subject_name,
        session_date=view.summary.session_date,
        owner=source.owner,
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
    source = read_source(vault, record_id, carer_copy=carer_copy)
    document = record_document(source, child_id=child_id, marking=marking,
                               signature_placeholder=signature_placeholder,
                               carer_copy=carer_copy)
    return render_document(document)
