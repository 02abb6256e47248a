"""A record from the vault as an unsigned PDF (signing happens afterwards, on these bytes).

The record's current version is printed: a finalised version with its content hash, or a
draft marked as such on every page. A record whose hash chain does not check out is not
printed, since the PDF would vouch for altered content.
"""

from __future__ import annotations

import datetime as dt

from supervision_desktop.domain.records import RecordStatus
from supervision_desktop.errors import InvalidInput
from supervision_desktop.export.pdf import (
    DEFAULT_MARKING,
    RecordDocument,
    RenderedPdf,
    VersionEntry,
    render_document,
)
from supervision_desktop.services import lifecycle, people, records
from supervision_desktop.store import settings
from supervision_desktop.store.vault import Vault


def _owner_name(vault: Vault) -> str:
    with vault.transaction() as session:
        return settings.read(session, settings.OWNER_NAME)


def record_document(
    vault: Vault,
    record_id: str,
    *,
    child_id: str | None = None,
    marking: str = DEFAULT_MARKING,
    signature_placeholder: bool = True,
) -> RecordDocument:
    """Everything the PDF prints about a record, read from the vault."""
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
            raise InvalidInput(f"A per-child copy needs a child, but {child.name} is a {child.kind}.")
        child_name = child.name
    return RecordDocument(
        template=view.template,
        values=view.fields,
        record_id=view.summary.id,
        version=latest.number,
        content_hash=latest.content_hash if final else None,
        subject_name=view.summary.subject_name,
        session_date=view.summary.session_date,
        owner=_owner_name(vault),
        versions=tuple(
            VersionEntry(v.number, v.created_at, v.finalised_at, v.reason, v.content_hash)
            for v in chain.versions
        ),
        marking=marking.strip() or DEFAULT_MARKING,
        child_name=child_name,
        produced_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        signature_slots=2 if signature_placeholder else 0,
    )


def render_record_pdf(
    vault: Vault,
    record_id: str,
    *,
    child_id: str | None = None,
    marking: str = DEFAULT_MARKING,
    signature_placeholder: bool = True,
) -> RenderedPdf:
    """The record's PDF bytes and the boxes reserved for up to two visible signatures.

    ``child_id`` renders the copy for one child of a family (templates with
    ``per_child``); the caller decides which children get a copy.
    """
    document = record_document(vault, record_id, child_id=child_id, marking=marking,
                               signature_placeholder=signature_placeholder)
    return render_document(document)
