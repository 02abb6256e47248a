"""A foster carer's own notes, in two kinds kept apart.

"Life story" notes are written for the child, who may read them one day; "professional"
notes are the carer's working record. The forum carers asked for exactly this split
(seed 000: "one that the child can access and help build their lifestory in the future
and the other for professional purposes"). Nothing here ever mixes the two: every
listing and the life-story export ask for one kind. Every change is in the audit log,
without its content.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, computed_field
from sqlalchemy import select

from supervision_desktop.domain import safe_input
from supervision_desktop.domain.dates import iso_date, utc_now
from supervision_desktop.errors import InvalidInput, NotFound
from supervision_desktop.services.audit import log_event
from supervision_desktop.services.people import PersonRef
from supervision_desktop.store import settings
from supervision_desktop.store.models import Note, Person
from supervision_desktop.store.vault import Vault

LIFE_STORY = "life_story"
PROFESSIONAL = "professional"
KINDS = (LIFE_STORY, PROFESSIONAL)
KIND_LABELS = {
    LIFE_STORY: "For the child's life story",
    PROFESSIONAL: "Professional notes",
}


@dataclass(frozen=True)
class NoteView:
    id: str
    kind: str
    child_id: Annotated[str | None, Field(exclude=True)]  # JSON: under "child"
    child_name: Annotated[str, Field(exclude=True)]
    written_on: Annotated[dt.date, Field(serialization_alias="date")]
    title: str
    body: str
    updated_at: dt.datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def child(self) -> PersonRef:
        return PersonRef(self.child_id, self.child_name)


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput(f"A note is either {' or '.join(KINDS)}, not '{kind}'.")
    return kind


def _date(value: dt.date | str | None) -> dt.date:
    if value is None or value == "":
        return dt.date.today()
    if isinstance(value, dt.date):
        return value
    try:
        return iso_date(value)
    except ValueError as problem:
        raise InvalidInput(f"{problem}.") from None


def _check_child(session: Any, child_id: str | None) -> None:
    if child_id is None:
        return
    person = session.get(Person, child_id)
    if person is None:
        raise InvalidInput(f"There is no person with id {child_id}.")
    if person.kind != "child":
        raise InvalidInput(f"A note is about a child, but {child_id} is a {person.kind}.")


def _view(session: Any, note: Note) -> NoteView:
    child = session.get(Person, note.child_id) if note.child_id else None
    return NoteView(note.id, note.kind, note.child_id, child.name if child else "",
                    note.written_on, note.title, note.body, note.updated_at)


def add_note(vault: Vault, kind: str, *, child_id: str | None = None,
             written_on: dt.date | str | None = None, title: str = "", body: str = ""
             ) -> NoteView:
    """A new note of kind (life_story or professional); returns it."""
    note = Note(id=uuid.uuid4().hex, kind=_check_kind(kind), child_id=child_id,
                written_on=_date(written_on), title=safe_input.clean_text(title),
                body=safe_input.clean_text(body))
    with vault.transaction() as session:
        _check_child(session, child_id)
        session.add(note)
        session.flush()
        log_event(session, "note_change", person_id=child_id, detail=f"added {kind} note")
        return _view(session, note)


_UNSET: Any = object()


def edit_note(vault: Vault, note_id: str, *, title: str | None = None,
              body: str | None = None, written_on: dt.date | str | None = None,
              child_id: str | None = _UNSET) -> NoteView:
    """Change a note (only what is given); its kind never changes."""
    title = None if title is None else safe_input.clean_text(title)
    body = None if body is None else safe_input.clean_text(body)
    with vault.transaction() as session:
        note = session.get(Note, note_id)
        if note is None:
            raise NotFound(f"There is no note with id {note_id}.")
        changed = False
        if title is not None and title != note.title:
            note.title, changed = title, True
        if body is not None and body != note.body:
            note.body, changed = body, True
        if written_on is not None and _date(written_on) != note.written_on:
            note.written_on, changed = _date(written_on), True
        if child_id is not _UNSET and child_id != note.child_id:
            _check_child(session, child_id)
            note.child_id, changed = child_id, True
        if changed:
            note.updated_at = utc_now()
            session.flush()
            log_event(session, "note_change", person_id=note.child_id,
                      detail=f"edited {note.kind} note")
        return _view(session, note)


def delete_note(vault: Vault, note_id: str) -> None:
    with vault.transaction() as session:
        note = session.get(Note, note_id)
        if note is None:
            raise NotFound(f"There is no note with id {note_id}.")
        kind, child_id = note.kind, note.child_id
        session.delete(note)
        log_event(session, "note_change", person_id=child_id, detail=f"deleted {kind} note")


def get_note(vault: Vault, note_id: str) -> NoteView:
    with vault.transaction() as session:
        note = session.get(Note, note_id)
        if note is None:
            raise NotFound(f"There is no note with id {note_id}.")
        return _view(session, note)


def list_notes(vault: Vault, kind: str, *, child_id: str | None = None,
               date_from: dt.date | None = None, date_to: dt.date | None = None
               ) -> list[NoteView]:
    """Notes of one kind (never both), oldest first, as a story reads."""
    query = (select(Note).where(Note.kind == _check_kind(kind))
             .order_by(Note.written_on, Note.created_at))
    if child_id is not None:
        query = query.where(Note.child_id == child_id)
    if date_from is not None:
        query = query.where(Note.written_on >= date_from)
    if date_to is not None:
        query = query.where(Note.written_on <= date_to)
    with vault.transaction() as session:
        return [_view(session, note) for note in session.scalars(query)]


def export_life_story(vault: Vault, destination: Path | str, *,
                      child_id: str | None = None) -> Path:
    """Write the life-story notes (only those) as a PDF signed with the owner's
    certificate; returns the path written."""
    from supervision_desktop.export.notes_pdf import render_life_story
    from supervision_desktop.export.signing import sign_pdf
    from supervision_desktop.services.certificates import owner_signer
    from supervision_desktop.services.export import write_atomically

    notes = list_notes(vault, LIFE_STORY, child_id=child_id)
    with vault.transaction() as session:
        owner = settings.read(session, settings.OWNER_NAME)
        child = session.get(Person, child_id) if child_id else None
        child_name = child.name if child is not None else ""
    if child_id is not None and child is None:
        raise InvalidInput(f"There is no person with id {child_id}.")
    target = Path(destination).expanduser()
    if target.is_dir():
        target = target / "life-story-notes.pdf"
    elif not target.parent.is_dir():
        raise InvalidInput(f"The folder {target.parent} does not exist.")
    data = render_life_story(notes, owner=owner, child_name=child_name)
    signer, certificate = owner_signer(vault)
    signed = sign_pdf(data, signer, field_name="Signature1", box=None,
                      reason="Life story notes", signer_name=certificate.common_name)
    write_atomically(target, signed)
    with vault.transaction() as session:
        log_event(session, "export", person_id=child_id,
                  detail=f"life story notes ({len(notes)})")
    return target
