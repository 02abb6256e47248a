"""Adding, changing and listing the people records are about."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from supervision_desktop.domain.people import PersonDataError, parse_person
from supervision_desktop.errors import InvalidInput, NotFound
from supervision_desktop.store.models import Person
from supervision_desktop.store.vault import Vault


@dataclass(frozen=True)
class PersonView:
    id: str
    kind: str
    name: str
    details: dict[str, Any]  # every attribute but the name, JSON-ready

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "name": self.name, **self.details}


def _validated(kind: str, data: Any) -> tuple[str, dict[str, Any]]:
    try:
        person = parse_person(kind, data)
    except PersonDataError as exc:
        raise InvalidInput(f"The {kind} details are not valid: {exc}") from None
    details = person.model_dump(mode="json", exclude={"name"})
    return person.name, details


def _view(person: Person) -> PersonView:
    return PersonView(person.id, person.kind, person.name, dict(person.details))


def add_person(vault: Vault, kind: str, data: Any) -> PersonView:
    name, details = _validated(kind, data)
    person = Person(id=uuid.uuid4().hex, kind=kind, name=name, details=details)
    with vault.transaction() as session:
        session.add(person)
    return _view(person)


def update_person(vault: Vault, person_id: str, data: Any) -> PersonView:
    with vault.transaction() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(f"There is no person with id {person_id}.")
        person.name, person.details = _validated(person.kind, data)
        person.updated_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
        return _view(person)


def get_person(vault: Vault, person_id: str) -> PersonView:
    with vault.transaction() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(f"There is no person with id {person_id}.")
        return _view(person)


def list_people(vault: Vault, kind: str | None = None) -> list[PersonView]:
    query = select(Person).order_by(Person.kind, Person.name)
    if kind is not None:
        query = query.where(Person.kind == kind)
    with vault.transaction() as session:
        return [_view(p) for p in session.scalars(query)]
