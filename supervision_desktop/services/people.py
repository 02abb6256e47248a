"""Adding, changing and listing the people records are about; their end dates.

A person's end date (worker left, approval ended, child's case closed) is held in two
places kept equal here: ``details["end_date"]`` (what the forms and the due list read)
and ``Person.ended_on`` with ``end_reason`` (what retention reads). Every change is in
the audit log, without names.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supervision_desktop.domain import safe_input
from supervision_desktop.domain.dates import iso_date
from supervision_desktop.domain.people import PersonDataError, parse_person
from supervision_desktop.errors import InvalidInput, NotFound
from supervision_desktop.services.audit import log_event
from supervision_desktop.store.models import Person, Record
from supervision_desktop.store.vault import Vault


@dataclass(frozen=True)
class PersonRef:
    """Whom something is about, as JSON output names them."""

    id: str | None
    name: str


@dataclass(frozen=True)
class PersonView:
    """A person; as JSON, the id, kind and name with every detail beside them."""

    id: str
    kind: str
    name: str
    details: dict[str, Any]  # every attribute but the name, JSON-ready
    ended_on: Annotated[dt.date | None, Field(exclude=True)] = None  # in details too
    end_reason: Annotated[str, Field(exclude=True)] = ""

    @model_serializer(mode="wrap")
    def _details_beside(self, write: SerializerFunctionWrapHandler) -> dict[str, Any]:
        written: dict[str, Any] = write(self)
        details = written.pop("details")
        return {**written, **details}


def _validated(kind: str, data: Any) -> tuple[str, dict[str, Any]]:
    data = safe_input.clean_values(data)  # typed text: lone surrogates → U+FFFD
    try:
        person = parse_person(kind, data)
    except PersonDataError as exc:
        raise InvalidInput(f"The {kind} details are not valid: {exc}") from None
    details = person.model_dump(mode="json", exclude={"name"})
    return person.name, details


def _view(person: Person) -> PersonView:
    return PersonView(person.id, person.kind, person.name, dict(person.details),
                      person.ended_on, person.end_reason or "")


def _end_from_details(person: Person, end_reason: str | None) -> None:
    """Keep ``ended_on`` equal to the details' end date; the reason goes with it."""
    raw = person.details.get("end_date")
    person.ended_on = iso_date(raw) if raw else None
    if person.ended_on is None:
        person.end_reason = ""
    elif end_reason is not None:
        person.end_reason = safe_input.clean_text(end_reason.strip())


def add_person(vault: Vault, kind: str, data: Any, *, end_reason: str | None = None
               ) -> PersonView:
    name, details = _validated(kind, data)
    person = Person(id=uuid.uuid4().hex, kind=kind, name=name, details=details)
    _end_from_details(person, end_reason)
    with vault.transaction() as session:
        session.add(person)
        log_event(session, "person_change", person_id=person.id, detail=f"added ({kind})")
    return _view(person)


def update_person(vault: Vault, person_id: str, data: Any, *,
                  end_reason: str | None = None) -> PersonView:
    with vault.transaction() as session:
        person = _person(session, person_id)
        old_name = person.name
        person.name, person.details = _validated(person.kind, data)
        _end_from_details(person, end_reason)
        if person.kind == "carer" and person.name != old_name:
            _follow_household_rename(session, old_name, person.name)
        person.updated_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
        log_event(session, "person_change", person_id=person.id, detail="details changed")
        return _view(person)


def _follow_household_rename(session: Session, old: str, new: str) -> None:
    """A child placed with a household keeps its name: renamed, they follow it."""
    for child in session.scalars(select(Person).where(Person.kind == "child")):
        if child.details.get("placed_with") == old:
            child.details = {**child.details, "placed_with": new}
            log_event(session, "person_change", person_id=child.id,
                      detail="placement follows the household's new name")


def set_end(vault: Vault, person_id: str, ended_on: dt.date | None, reason: str = ""
            ) -> PersonView:
    """Record when the work with a person ended and why (None clears it)."""
    reason = reason.strip()
    if ended_on is not None and not reason:
        raise InvalidInput("Say why the work ended (for example: Left the team).")
    with vault.transaction() as session:
        person = _person(session, person_id)
        person.details = {**person.details,
                          "end_date": ended_on.isoformat() if ended_on else None}
        person.ended_on = ended_on
        person.end_reason = reason if ended_on else ""
        person.updated_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
        log_event(session, "person_change", person_id=person.id,
                  detail=f"end date set to {ended_on.isoformat()}" if ended_on
                  else "end date cleared")
        return _view(person)


def record_count(vault: Vault, person_id: str) -> int:
    with vault.transaction() as session:
        return session.scalar(
            select(func.count(Record.id)).where(Record.subject_id == person_id)) or 0


def remove_person(vault: Vault, person_id: str) -> None:
    """Delete a person who has no records left (after disposal): their name is personal
    data. Their cancellations and agreed deviations go with them."""
    with vault.transaction() as session:
        person = _person(session, person_id)
        held = session.scalar(
            select(func.count(Record.id)).where(Record.subject_id == person_id)) or 0
        if held:
            raise InvalidInput(
                f"This person still has {held} record{'s' if held != 1 else ''}; "
                "only someone with no records left can be removed.")
        kind = person.kind
        session.delete(person)
        session.flush()
        log_event(session, "person_change", person_id=person_id, detail=f"removed ({kind})")


def _person(session: Session, person_id: str) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"There is no person with id {person_id}.")
    return person


def get_person(vault: Vault, person_id: str) -> PersonView:
    with vault.transaction() as session:
        return _view(_person(session, person_id))


def list_people(vault: Vault, kind: str | None = None) -> list[PersonView]:
    query = select(Person).order_by(Person.kind, Person.name)
    if kind is not None:
        query = query.where(Person.kind == kind)
    with vault.transaction() as session:
        return [_view(p) for p in session.scalars(query)]
