"""Subject access: everything the vault holds about one person, in one signed PDF.

UK GDPR Art. 15 (and the ICO's subject access guidance) lets a child, a carer or a
worker ask for all that is held about them. A record is about someone when it is about
them (its subject), names them in a person field or a table's person column, or names
them (full name, vault id or case id) in its text. What is gathered: each such record's
newest finalised version (a carer's response is a record too), the carers' signed
responses imported for those records, the carer's notes about a child, and the actions
from those records or owned by the person. A record with no finalised version is listed
in the index with its text left out: a draft is not yet the record.

Other people's names and ids are proposed for redaction (``domain.redaction``);
``review`` lists the proposals, ``disclose`` writes the bundle with them applied except
the names kept. The text is removed before it is drawn, never covered. The signed file is
kept in the vault (``SignedDocument`` kind "disclosure") and the audit log says how many
items and redactions, never whose.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import computed_field
from sqlalchemy import select
from sqlalchemy.orm import Session

from supervision_desktop.domain import redaction
from supervision_desktop.domain.dates import uk_date
from supervision_desktop.domain.people import KIND_LABELS
from supervision_desktop.domain.records import Origin
from supervision_desktop.domain.redaction import WITHHELD, KnownPerson, Redactor, Term
from supervision_desktop.domain.templates import FieldKind, Template
from supervision_desktop.errors import InvalidInput, NotFound
from supervision_desktop.services import agency, audit, lifecycle
from supervision_desktop.services.responses import RESPONSE_TEMPLATE
from supervision_desktop.store import settings
from supervision_desktop.store.models import (
    Note,
    Person,
    Record,
    SignedDocument,
    TemplateSnapshot,
    TrackedAction,
)
from supervision_desktop.store.vault import Vault

if TYPE_CHECKING:  # the renderer (reportlab) loads when a disclosure is written
    from supervision_desktop.export.disclosure import DisclosedItem, RedactionCount

KIND = "disclosure"  # SignedDocument.kind of the file kept
FIELD_NAME = "Signature1"
ABOUT = "About them"
IN_TEXT = "Named in the text"
_KIND_WORDS = {redaction.FULL_NAME: "Another person's full name",
               redaction.FIRST_NAME: "Another person's first name",
               redaction.VAULT_ID: "Another person's id in this vault",
               redaction.CASE_ID: "Another person's case id"}
SIGNATURE_LEFT_OUT = "Another person's drawn signature"
_NOTE_KINDS = {"life_story": "Life story note", "professional": "Professional note"}


@dataclass(frozen=True)
class Redaction:
    """One proposed redaction: the words, whose they are, how often and where."""

    name: str
    whose: str
    kind: str  # full name, first name, id, case id
    count: int
    items: tuple[int, ...]  # the bundle's item numbers it was found in
    kept: bool  # left in the text (``--keep``)


@dataclass(frozen=True)
class DisclosureResult:
    path: Path | None  # None for a review (nothing written)
    person_id: str
    items: int
    records: int
    responses: int
    drafts: int
    notes: int
    actions: int
    signatures_left_out: int  # other people's drawn signatures not reproduced
    redactions: tuple[Redaction, ...] = field(default=())

    @computed_field  # type: ignore[prop-decorator]
    @property
    def redacted(self) -> int:
        """Redactions applied in the text (kept names not counted)."""
        return sum(r.count for r in self.redactions if not r.kept)


@dataclass
class _Raw:
    """An item as held, before redaction."""

    kind: str
    title: str
    date: dt.date | None
    source: str
    why: str
    sort: tuple[Any, ...]
    template: Template | None = None
    values: dict[str, Any] = field(default_factory=dict)
    lines: list[tuple[str, str]] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    withheld: str = ""
    record_id: str | None = None


# --- who is who ------------------------------------------------------------------------


def _known(person: Person) -> KnownPerson:
    details = person.details or {}
    carers = tuple(str(c) for c in details.get("carers") or () if str(c).strip())
    return KnownPerson(person.id, person.name, carers, str(details.get("case_id") or ""))


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _named_in(template: Template, values: dict[str, Any], names: set[str]) -> list[str]:
    """The labels of the person fields and person columns holding one of ``names``."""
    found: list[str] = []
    for item in template.fields():
        value = values.get(item.id)
        if item.kind is FieldKind.PERSON and isinstance(value, str) and _fold(value) in names:
            found.append(item.label)
        elif item.kind is FieldKind.TABLE and isinstance(value, list):
            columns = [c for c in item.columns if c.kind.value == "person"]
            for column in columns:
                if any(isinstance(row, dict) and isinstance(row.get(column.id), str)
                       and _fold(row[column.id]) in names for row in value):
                    found.append(f"{item.label} ({column.label})")
    return found


@dataclass
class _Finder:
    """Finds the person in text: their full names and ids (never a first name alone: too
    many people share one)."""

    person: KnownPerson

    def __post_init__(self) -> None:
        person = self.person
        terms = [Term(n, redaction.FULL_NAME, person.name) for n in person.names
                 if len(n.strip()) >= redaction.MIN_NAME]
        terms += [Term(t, redaction.VAULT_ID, person.name) for t in (person.id, person.case_id)
                  if len(t.strip()) >= redaction.MIN_ID]
        self._redactor = Redactor(terms)
        self.names = {_fold(n) for n in person.names}

    def mentioned(self, values: Any) -> bool:
        self._redactor.found = {}
        self._redactor.value(values, 0)
        return bool(self._redactor.found)

    def why(self, subject_id: str | None, template: Template | None,
            values: dict[str, Any]) -> str:
        """Why a record (or response) is about the person, or "" if it is not."""
        if subject_id == self.person.id:
            return ABOUT
        if template is not None:
            fields = _named_in(template, values, self.names)
            if fields:
                return "Named in " + "; ".join(fields)
        return IN_TEXT if self.mentioned(values) else ""


# --- gathering -------------------------------------------------------------------------


def _template(session: Session, record: Record) -> tuple[Template | None, str]:
    snapshot = session.get(TemplateSnapshot, (record.template_id, record.template_version))
    if snapshot is None:
        return None, record.template_id
    return Template.from_snapshot(snapshot.definition), snapshot.title


def _records(session: Session, finder: _Finder, owner: str) -> list[_Raw]:
    found: list[_Raw] = []
    for record in session.scalars(select(Record).order_by(Record.created_at)):
        finalised = [v for v in record.versions if v.finalised_at is not None]
        version = finalised[-1] if finalised else record.versions[-1]
        template, title = _template(session, record)
        values = dict(version.content)
        why = finder.why(version.subject_id or record.subject_id, template, values)
        if not why:
            continue
        date = version.session_date or record.session_date
        subject = session.get(Person, version.subject_id) if version.subject_id else None
        response = record.template_id == RESPONSE_TEMPLATE
        kind = "response" if response else "record"
        title = f"Carer's response: {title}" if response else title
        if record.origin == Origin.RECEIVED.value:
            title += " (received copy)"
        short = f"Record {record.id[:8]}"
        if not finalised:
            found.append(_Raw("draft", f"{title} (draft)", date, f"{short}, draft", why,
                              (date or dt.date.max, record.created_at), record_id=record.id,
                              withheld="This record is a draft: it has not been finalised, "
                                       "so its text is not included."))
            continue
        chain = lifecycle.chain_report(record)
        source = (f"{short}, version {version.number}, finalised "
                  f"{uk_date(version.finalised_at.date() if version.finalised_at else None)}")
        if version is not record.versions[-1]:
            source += "; a newer draft amendment is not included"
        if not chain.intact:
            source += "; its stored history does NOT check out"
        facts = [("About", subject.name if subject else ""), ("Written by", owner)]
        found.append(_Raw(kind, title, date, source, why, (date or dt.date.max,
                                                           record.created_at),
                          template=template, values=values, facts=facts,
                          record_id=record.id))
    return found


def _imported_responses(session: Session, finder: _Finder, record_ids: set[str]
                        ) -> list[_Raw]:
    """Carers' signed responses imported here, for a record gathered or about the person."""
    from supervision_desktop.export.record_attachment import AttachmentProblem, extract_attachment

    found: list[_Raw] = []
    for document in session.scalars(select(SignedDocument).where(
            SignedDocument.kind == "response", SignedDocument.direction == "imported")
            .order_by(SignedDocument.created_at)):
        try:
            attachment = extract_attachment(bytes(document.data))
            template = attachment.template() if attachment is not None else None
        except AttachmentProblem:
            continue
        if attachment is None or template is None:
            continue
        subject = attachment.subject.id if attachment.subject else None
        linked = document.record_id in record_ids
        why = "Answers a record included here" if linked else finder.why(
            subject, template, attachment.values)
        if not why:
            continue
        date = attachment.session_date
        found.append(_Raw(
            "response", f"Carer's response (signed, received): {template.title}", date,
            f"Signed file {document.id[:8]}, version {attachment.version}", why,
            (date or dt.date.max, document.created_at), template=template,
            values=dict(attachment.values)))
    return found


def _notes(session: Session, finder: _Finder) -> list[_Raw]:
    found = []
    for note in session.scalars(select(Note).order_by(Note.written_on, Note.created_at)):
        text = {"title": note.title, "body": note.body}
        why = ABOUT if note.child_id == finder.person.id else (
            IN_TEXT if finder.mentioned(text) else "")
        if why:
            found.append(_Raw("note", _NOTE_KINDS.get(note.kind, "Note") + (
                f": {note.title}" if note.title else ""), note.written_on,
                f"Note {note.id[:8]}", why, (note.written_on, note.created_at),
                lines=[("Note", note.body)]))
    return found


def _actions(session: Session, finder: _Finder, record_ids: set[str]) -> list[_Raw]:
    found = []
    for action in session.scalars(select(TrackedAction).order_by(
            TrackedAction.created_at, TrackedAction.row_number)):
        if action.subject_id == finder.person.id:
            why = ABOUT
        elif _fold(action.owner) in finder.names:
            why = "Theirs to do"
        elif action.source_record_id in record_ids:
            why = "Agreed in a record included here"
        else:
            continue
        status = action.status.replace("_", " ").capitalize()
        if action.closed_on:
            status += f" {uk_date(action.closed_on)}"
        elif action.due_on:
            status += f", due {uk_date(action.due_on)}"
        lines = [("Action", action.text), ("Owner", action.owner),
                 ("Due", uk_date(action.due_on) or "—"), ("Status", status)]
        if action.comments:
            lines.append(("Comments", action.comments))
        if action.closed_reason:
            lines.append(("Why closed", action.closed_reason))
        found.append(_Raw("action", f"Action ({status.lower()})", action.due_on,
                          f"Record {action.source_record_id[:8]}, row {action.row_number}",
                          why, (action.due_on or dt.date.max, action.created_at),
                          lines=lines))
    return found


def _gather(session: Session, person: KnownPerson, owner: str) -> list[_Raw]:
    """Records and responses in date order, then notes, then actions."""
    finder = _Finder(person)
    records = _records(session, finder, owner)
    record_ids = {r.record_id for r in records if r.record_id}
    return [*sorted(records + _imported_responses(session, finder, record_ids),
                    key=lambda raw: raw.sort),
            *_notes(session, finder), *_actions(session, finder, record_ids)]


# --- redacting -------------------------------------------------------------------------


def _own_signature(value: Any, own: set[str]) -> bool:
    """Whether a signature is the person's: signed with their name or part of it."""
    name = _fold(str(value.get("name") or "")) if isinstance(value, dict) else ""
    words = {w for n in own for w in n.split()}
    return bool(name) and (name in own or set(name.split()) <= words)


def _redacted(raw: _Raw, number: int, redactor: Redactor, own: set[str]
              ) -> tuple[DisclosedItem, int]:
    """The item's values and lines redacted, and how many drawn signatures were left out."""
    from supervision_desktop.export.disclosure import DisclosedItem

    values = dict(raw.values)
    left_out = 0
    if raw.template is not None:
        for item in raw.template.fields():
            value = values.get(item.id)
            if item.kind is FieldKind.SIGNATURE and isinstance(value, dict) \
                    and value.get("strokes") and not _own_signature(value, own):
                values[item.id] = {**value, "strokes": [], WITHHELD: True}
                left_out += 1
    values = redactor.value(values, number, keep_key=lambda key: key == "strokes")
    lines = tuple((label, redactor.text(text, number)) for label, text in raw.lines)
    facts = tuple((label, redactor.text(text, number)) for label, text in raw.facts)
    return DisclosedItem(
        number=number, kind=raw.kind, title=redactor.text(raw.title, number), date=raw.date,
        source=raw.source, why=redactor.text(raw.why, number), redactions=0,
        template=raw.template, values=values, lines=lines, facts=facts,
        withheld=raw.withheld,
    ), left_out


@dataclass(frozen=True)
class _Prepared:
    person: Person
    owner: str
    raws: list[_Raw]
    terms: list[Term]


def _prepare(vault: Vault, person_id: str) -> _Prepared:
    from supervision_desktop.services.spelling import shipped_words

    with vault.read() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(f"There is no person with id {person_id}. 'person list' shows "
                           "who the vault holds.")
        session.expunge(person)
        owner = settings.read(session, settings.OWNER_NAME)
        known = _known(person)
        others = [_known(p) for p in session.scalars(select(Person).order_by(Person.created_at))]
        raws = _gather(session, known, owner)
    return _Prepared(person, owner, raws, redaction.terms_for(known, others, shipped_words()))


def _apply(prepared: _Prepared, keep: Sequence[str]) -> tuple[
        list[DisclosedItem], list[Redaction], list[int]]:
    """The items redacted, the proposals (kept or applied), and the item number of each
    drawn signature left out."""
    kept, unknown = redaction.kept_terms(prepared.terms, keep)
    if unknown:
        raise InvalidInput(
            f"Nothing proposed for redaction is called {', '.join(repr(n) for n in unknown)}."
            " Run without --keep to see the proposals, then keep a name as it is listed.")
    known = _known(prepared.person)
    own = {_fold(n) for n in known.names}
    redactor = Redactor(prepared.terms, keep=kept)
    items, signatures = [], []
    for number, raw in enumerate(prepared.raws, start=1):
        item, left_out = _redacted(raw, number, redactor, own)
        items.append(item)
        signatures += [number] * left_out
    proposals = [Redaction(term.text, term.person, term.kind,
                           sum(redactor.found[term].values()),
                           tuple(sorted(redactor.found[term])), redactor.is_kept(term))
                 for term in prepared.terms if term in redactor.found]
    counted = []
    for item in items:
        applied = sum(redactor.found.get(t, {}).get(item.number, 0) for t in prepared.terms
                      if not redactor.is_kept(t))
        counted.append(dataclasses.replace(item, redactions=applied))
    return counted, proposals, signatures


def _summary(person_id: str, items: Sequence[DisclosedItem], proposals: Sequence[Redaction],
             signatures: Sequence[int], path: Path | None) -> DisclosureResult:
    def count(kind: str) -> int:
        return sum(1 for i in items if i.kind == kind)

    return DisclosureResult(path, person_id, len(items), count("record"), count("response"),
                            count("draft"), count("note"), count("action"), len(signatures),
                            tuple(proposals))


def review(vault: Vault, person_id: str) -> DisclosureResult:
    """What a disclosure about the person would hold and the redactions proposed
    (nothing written)."""
    prepared = _prepare(vault, person_id)
    items, proposals, signatures = _apply(prepared, ())
    return _summary(person_id, items, proposals, signatures, None)


def _counts(proposals: Iterable[Redaction], signatures: Sequence[int]
            ) -> tuple[RedactionCount, ...]:
    """The PDF's redaction summary: counts by kind, never the words or whose."""
    from supervision_desktop.export.disclosure import RedactionCount

    lines = []
    for kind, words in _KIND_WORDS.items():
        applied = [p for p in proposals if p.kind == kind and not p.kept]
        if applied:
            lines.append(RedactionCount(words, sum(p.count for p in applied),
                                        tuple(sorted({n for p in applied for n in p.items}))))
    if signatures:
        lines.append(RedactionCount(SIGNATURE_LEFT_OUT + " (not reproduced)", len(signatures),
                                    tuple(sorted(set(signatures)))))
    return tuple(lines)


def _target(folder: Path | str, person_id: str, today: dt.date) -> Path:
    target = Path(folder).expanduser()
    if target.exists() and not target.is_dir():
        raise InvalidInput(f"{target} is a file, not a folder: give the folder to write the "
                           "disclosure in.")
    try:
        target.mkdir(mode=0o700, parents=True, exist_ok=True)  # new: owner only
    except OSError as exc:
        raise InvalidInput(f"Cannot make the folder {target}: {exc.strerror}.") from None
    return target / f"subject-access_{today.isoformat()}_{person_id[:8]}.pdf"


def disclose(vault: Vault, person_id: str, folder: Path | str, *,
             keep: Sequence[str] = ()) -> DisclosureResult:
    """Write the signed disclosure about the person into ``folder`` (made if missing),
    every proposed redaction applied except the names in ``keep``; keep the file in the
    vault and log it. A person with nothing held still gets a bundle saying so."""
    from supervision_desktop.export.disclosure import DisclosureBundle, render_disclosure
    from supervision_desktop.export.signing import sign_pdf
    from supervision_desktop.services.certificates import owner_signer
    from supervision_desktop.services.export import signer_entry, write_atomically

    prepared = _prepare(vault, person_id)
    items, proposals, signatures = _apply(prepared, keep)
    today = dt.date.today()
    target = _target(folder, person_id, today)
    bundle = DisclosureBundle(
        person=prepared.person.name,
        person_kind=KIND_LABELS.get(prepared.person.kind, prepared.person.kind),
        owner=prepared.owner, produced_on=today, items=tuple(items),
        redactions=_counts(proposals, signatures), marking=agency.marking())
    signer, certificate = owner_signer(vault)
    signed = sign_pdf(render_disclosure(bundle), signer, field_name=FIELD_NAME, box=None,
                      reason="Subject access disclosure", signer_name=certificate.common_name)
    write_atomically(target, signed)
    result = _summary(person_id, items, proposals, signatures, target)
    with vault.transaction() as session:
        session.add(SignedDocument(
            id=uuid.uuid4().hex, direction="exported", kind=KIND, record_id=None,
            file_name=target.name, sha256=hashlib.sha256(signed).hexdigest(), data=signed,
            signers=[signer_entry(certificate.common_name, certificate.fingerprint,
                                  dt.datetime.now(dt.UTC).replace(microsecond=0))],
            verdict="genuine"))
        audit.log_event(session, "disclosure", person_id=person_id,
                        detail=f"{result.items} items, {result.redacted} redactions")
    return result
