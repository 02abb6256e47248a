"""What the app knows that a new record's fields can be filled from (a field's ``fills``).

The facts come from the record's header (its session date and who it is about), that
person's details (a supervisee's supervisor, a household's carers, a child's date of
birth) and the vault's owner. Pure: the services read the person and the owner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any


def names_in_words(names: Sequence[str]) -> str:
    """"Sam Carter", "Sam Carter and Alex Carter", "A, B and C"."""
    names = [n.strip() for n in names if n.strip()]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def header_facts(subject_name: str | None, session_date: dt.date | str | None
                 ) -> dict[str, Any]:
    """The facts kept in step with the form's header on every save: the session date
    (None when it was emptied) and, once the record is about someone, their name (a
    name typed into a record about no one is left as it is)."""
    date = session_date.isoformat() if isinstance(session_date, dt.date) else session_date
    facts: dict[str, Any] = {"session_date": date or None}
    if subject_name:
        facts["subject"] = subject_name
    return facts


def subject_facts(kind: str | None, details: Mapping[str, Any], *, owner_name: str,
                  owner_role: str, children_placed: Sequence[str] = ()) -> dict[str, Any]:
    """The facts a new record is filled with from its subject's details and the vault's
    owner: the supervisee's recorded supervisor, else the owner when the owner
    supervises; a household's carers and the children placed with it; a child's date
    of birth."""
    supervisor = str(details.get("supervisor") or "").strip() if kind == "supervisee" else ""
    if not supervisor and owner_role == "supervisor":
        supervisor = owner_name.strip()
    facts: dict[str, Any] = {"supervisor": supervisor or None}
    if kind == "carer":
        facts["carers"] = names_in_words(list(details.get("carers") or ())) or None
        facts["children_placed"] = list(children_placed)
    if kind == "child":
        facts["date_of_birth"] = details.get("dob") or None
    return facts
