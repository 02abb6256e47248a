"""Moments in the vault: kept as UTC text without a zone (as every vault always has, so
hashes and the audit chain never move) and read back aware, in UTC."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from supervision_desktop.store.models import Person
from supervision_desktop.store.vault import Vault

BST = dt.timezone(dt.timedelta(hours=1))


def test_a_moment_from_a_clock_in_summer_time_is_kept_as_its_utc_time(vault: Vault) -> None:
    with vault.transaction() as session:
        session.add(Person(id="p" * 32, kind="supervisee", name="Tamsin Fictional",
                           created_at=dt.datetime(2026, 7, 1, 9, 0, tzinfo=BST),
                           updated_at=dt.datetime(2026, 7, 1, 8, 0)))  # no zone: UTC
    with vault.transaction() as session:
        kept = session.execute(text(
            "SELECT created_at, updated_at FROM people WHERE id = :id"), {"id": "p" * 32}).one()
        person = session.get_one(Person, "p" * 32)
        read = (person.created_at, person.updated_at)
    assert tuple(kept) == ("2026-07-01 08:00:00.000000", "2026-07-01 08:00:00.000000")
    assert read == (dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC),) * 2
    assert all(moment.tzinfo is dt.UTC for moment in read)

