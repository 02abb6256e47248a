"""The carer's evidence pack: every supervision, response and action in one signed PDF.

Foster carers keep signed records "as evidence in the event of any concerns or
allegations" (seed 000). The pack gathers what the vault holds for a period: received
copies and the carer's own records, their responses, and the actions agreed, in date
order, each record marked unchanged (its hash chain and any imported signature check
out) or flagged. The original signed PDFs held in the vault are attached byte for byte.
Drafts are left out and the pack says how many.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.domain.records import Origin
from supervision_desktop.domain.templates import FieldKind, Template
from supervision_desktop.errors import InvalidInput
from supervision_desktop.export.evidence_pack import (
    Attachment,
    EvidencePack,
    IndexRow,
    PackRecord,
)
from supervision_desktop.services import agency, lifecycle
from supervision_desktop.services.audit import log_event
from supervision_desktop.services.responses import RESPONSE_TEMPLATE
from supervision_desktop.store import settings
from supervision_desktop.store.models import (
    Record,
    SignedDocument,
    TemplateSnapshot,
    TrackedAction,
)
from supervision_desktop.store.vault import Vault

PACK_FIELD = "Signature1"


@dataclass(frozen=True)
class PackResult:
    path: Path
    records: int
    actions: int
    attachments: int
    flagged: int

    @property
    def summary(self) -> str:
        flagged = f", {self.flagged} flagged" if self.flagged else ""
        return (f"{self.records} records, {self.actions} actions, {self.attachments} "
                f"signed PDFs attached{flagged}.")


def _signers(documents: list[SignedDocument], template: Template | None,
             values: dict[str, Any]) -> str:
    names: list[str] = []
    for document in documents:
        for signer in document.signers or []:
            if isinstance(signer, dict):
                name = signer.get("name") or signer.get("signer") or ""
            else:
                name = str(signer)
            if name and name not in names:
                names.append(str(name))
    if template is not None:
        for item in template.fields():
            value = values.get(item.id)
            if item.kind is FieldKind.SIGNATURE and isinstance(value, dict):
                name = str(value.get("name", "")).strip()
                if name and value.get("date") and name not in names:
                    names.append(name)
    return ", ".join(names)


def _action_status(action: TrackedAction, today: dt.date) -> str:
    if action.status == "done":
        return f"Done {uk_date(action.closed_on)}" if action.closed_on else "Done"
    if action.status == "dropped":
        return "Dropped"
    if action.due_on is not None and action.due_on < today:
        return f"Overdue since {uk_date(action.due_on)}"
    return f"Open, due {uk_date(action.due_on)}" if action.due_on else "Open"


def _untracked_actions(template: Template | None, values: dict[str, Any]) -> list[str]:
    """Action rows written in a record whose actions are not tracked (a received copy)."""
    if template is None:
        return []
    texts = []
    for item in template.fields():
        if item.kind is FieldKind.TABLE and item.role == "actions":
            for row in values.get(item.id) or []:
                text = str(row.get("action", "")).strip() if isinstance(row, dict) else ""
                if text:
                    texts.append(text)
    return texts


def _what(record: Record, title: str, values: dict[str, Any]) -> tuple[str, str]:
    """The index line and the "where from" of a record."""
    if record.template_id == RESPONSE_TEMPLATE:
        answered = str(values.get("responds_to_title") or "a supervision record")
        when = uk_date(values.get("responds_to_date"))
        line = f"My response to {answered}" + (f" of {when}" if when else "")
        reflection = values.get("true_reflection")
        if reflection is not None:
            line += ": a true reflection" if reflection else ": NOT a true reflection"
        return line, "My response"
    if record.origin == Origin.RECEIVED:
        return f"{title} (received copy)", "Received as a signed PDF"
    if record.origin == Origin.TRANSFERRED:
        return f"{title} (transferred)", "Transferred from another vault"
    return f"{title} (my own record)", "My own record"


def build_pack(vault: Vault, *, date_from: dt.date | None = None,
               date_to: dt.date | None = None, today: dt.date | None = None) -> EvidencePack:
    """What the pack holds, read from the vault (nothing written)."""
    today = today or dt.date.today()
    if date_from and date_to and date_from > date_to:
        raise InvalidInput("The --from date is after the --to date.")
    groups: list[tuple[tuple[int, dt.date, dt.datetime], list[IndexRow], dict[str, Any]]] = []
    drafts = 0
    with vault.transaction() as session:
        owner = settings.read(session, settings.OWNER_NAME)
        for record in session.scalars(select(Record).order_by(Record.created_at)):
            finalised = [v for v in record.versions if v.finalised_at is not None]
            if not finalised:
                drafts += 1
                continue
            version = finalised[-1]
            date = version.session_date or record.session_date
            if (date_from and (date is None or date < date_from)) or \
                    (date_to and (date is None or date > date_to)):
                continue
            snapshot = session.get(TemplateSnapshot,
                                   (record.template_id, record.template_version))
            template = Template.from_snapshot(snapshot.definition) if snapshot else None
            title = snapshot.title if snapshot else record.template_id
            values = dict(version.content)
            documents = list(session.scalars(
                select(SignedDocument)
                .where(SignedDocument.record_id == record.id,
                       SignedDocument.kind != "evidence_pack")
                .order_by(SignedDocument.created_at)))
            actions = list(session.scalars(
                select(TrackedAction).where(TrackedAction.source_record_id == record.id)
                .order_by(TrackedAction.row_number)))
            what, origin = _what(record, title, values)
            groups.append(((0 if date else 1, date or dt.date.max, record.created_at),
                           [IndexRow(date, "response" if record.template_id == RESPONSE_TEMPLATE
                                     else "supervision", what,
                                     signed_by=_signers(documents, template, values))],
                           {"record": record.id, "title": what, "date": date,
                            "origin": origin, "template": template, "values": values,
                            "documents": [(d.file_name, bytes(d.data), d.direction, d.kind,
                                           d.verdict, d.verdict_detail) for d in documents],
                            "actions": [(a.text, a.owner, _action_status(a, today))
                                        for a in actions]}))
        flagged_files = [(d.file_name, bytes(d.data), d.created_at, d.verdict_detail)
                         for d in session.scalars(
                             select(SignedDocument)
                             .where(SignedDocument.record_id.is_(None),
                                    SignedDocument.verdict != "genuine")
                             .order_by(SignedDocument.created_at))]
    groups.sort(key=lambda group: group[0])
    rows: list[IndexRow] = []
    records: list[PackRecord] = []
    attachments: list[Attachment] = []
    used_names: set[str] = set()
    for number, (_key, (record_row,), data) in enumerate(groups, start=1):
        chain = lifecycle.check_chain(vault, data["record"])
        flagged = [f"{name or 'signed PDF'}: {detail or 'did not verify'}"
                   for name, _d, direction, _k, verdict, detail in data["documents"]
                   if direction == "imported" and verdict != "genuine"]
        problems = list(chain.problems) + flagged
        names = []
        for file_name, blob, direction, kind, _v, _dt in data["documents"]:
            name = _unique(Path(file_name or f"{data['record'][:8]}.pdf").name, used_names)
            names.append(name)
            attachments.append(Attachment(
                name, blob, f"{data['title']} – {uk_date(data['date'])} "
                            f"({'received' if direction == 'imported' else 'exported'} {kind})"))
        check = "Unchanged: its history checks out" + (
            " and its signed PDF verifies" if data["documents"] else "")
        if problems:
            check = "Flagged: " + "; ".join(problems)
        rows.append(IndexRow(record_row.date, record_row.kind, record_row.what,
                             signed_by=record_row.signed_by, unchanged=not problems,
                             check_detail="; ".join(problems), section=number))
        tracked = data["actions"]
        if tracked:
            rows.extend(IndexRow(record_row.date, "action", f"Action: {text}"
                                 + (f" ({owner_})" if owner_ else ""), action_status=status)
                        for text, owner_, status in tracked)
        else:
            rows.extend(IndexRow(record_row.date, "action", f"Action: {text}",
                                 action_status="Agreed (not followed up here)")
                        for text in _untracked_actions(data["template"], data["values"]))
        records.append(PackRecord(number, data["title"], data["date"], data["origin"],
                                  data["template"], data["values"], check, tuple(names)))
    for file_name, blob, created_at, detail in flagged_files:
        day = created_at.date()
        if (date_from and day < date_from) or (date_to and day > date_to):
            continue
        name = _unique(Path(file_name or "flagged.pdf").name, used_names)
        attachments.append(Attachment(name, blob, "kept for evidence: did NOT verify"))
        rows.append(IndexRow(day, "flagged", f"File kept for evidence: {name} (imported; not "
                             "one of the records)", unchanged=False,
                             check_detail=detail or "did not verify"))
    rows.sort(key=lambda row: (row.date is None, row.date or dt.date.max))
    left_out = (f"{drafts} draft{'s are' if drafts != 1 else ' is'} not included: only "
                "finalised records are evidence.",) if drafts else ()
    return EvidencePack(owner=owner, produced_on=today, rows=tuple(rows),
                        records=tuple(records), attachments=tuple(attachments),
                        date_from=date_from, date_to=date_to, left_out=left_out,
                        marking=agency.marking())


def _unique(name: str, used: set[str]) -> str:
    stem, suffix = Path(name).stem, Path(name).suffix or ".pdf"
    candidate, number = f"{stem}{suffix}", 2
    while candidate in used:
        candidate, number = f"{stem}-{number}{suffix}", number + 1
    used.add(candidate)
    return candidate


def export_evidence_pack(vault: Vault, destination: Path | str, *,
                         date_from: dt.date | None = None, date_to: dt.date | None = None
                         ) -> PackResult:
    """Write the signed evidence pack to destination (a .pdf path or a folder)."""
    from supervision_desktop.export.evidence_pack import render_evidence_pack
    from supervision_desktop.export.signing import sign_pdf
    from supervision_desktop.services.certificates import owner_signer
    from supervision_desktop.services.export import write_atomically

    target = Path(destination).expanduser()
    if target.is_dir():
        target = target / f"evidence-pack_{dt.date.today().isoformat()}.pdf"
    elif not target.parent.is_dir():
        raise InvalidInput(f"The folder {target.parent} does not exist.")
    pack = build_pack(vault, date_from=date_from, date_to=date_to)
    signer, certificate = owner_signer(vault)
    signed = sign_pdf(render_evidence_pack(pack), signer, field_name=PACK_FIELD, box=None,
                      reason="Evidence pack", signer_name=certificate.common_name)
    write_atomically(target, signed)
    result = PackResult(
        target,
        records=sum(1 for r in pack.rows if r.kind in ("supervision", "response")),
        actions=sum(1 for r in pack.rows if r.kind == "action"),
        attachments=len(pack.attachments),
        flagged=sum(1 for r in pack.rows if r.unchanged is False),
    )
    with vault.transaction() as session:
        log_event(session, "export", detail=f"evidence pack: {result.records} records")
    return result

