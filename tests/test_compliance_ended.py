"""People who have left (``Person.ended_on`` in the past) are not due any more."""

from __future__ import annotations

import datetime as dt

from supervision_desktop.services import compliance, people
from supervision_desktop.store.models import Person
from supervision_desktop.store.vault import Vault

TODAY = dt.date(2026, 11, 22)


def _end(vault: Vault, person_id: str, ended_on: dt.date | None) -> None:
    # Only the column, as retention and carer import set it; the details stay as they were.
    with vault.transaction() as session:
        session.get_one(Person, person_id).ended_on = ended_on


def _due_names(vault: Vault) -> set[str]:
    report = compliance.due_report(vault, TODAY)
    return {e.name for e in report.people} | {e.name for e in report.agreements}


def test_someone_who_left_is_no_longer_due(vault: Vault) -> None:
    left = people.add_person(vault, "supervisee", {"name": "Idris Leaver"}).id
    people.add_person(vault, "supervisee", {"name": "Nia Staying"})
    child = people.add_person(vault, "child", {"name": "Osian Closed",
                                              "plan": "child_protection"}).id
    assert {"Idris Leaver", "Nia Staying", "Osian Closed"} <= _due_names(vault)

    _end(vault, left, TODAY - dt.timedelta(days=1))
    _end(vault, child, TODAY)  # ended today: already gone
    names = _due_names(vault)
    assert "Idris Leaver" not in names
    assert "Osian Closed" not in names
    assert "Nia Staying" in names


def test_an_end_date_still_to_come_keeps_them_due(vault: Vault) -> None:
    leaving = people.add_person(vault, "supervisee", {"name": "Farah Leaving Soon"}).id
    _end(vault, leaving, TODAY + dt.timedelta(days=30))
    assert "Farah Leaving Soon" in _due_names(vault)
