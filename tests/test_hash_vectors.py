"""Fixed test vectors for the hashes records and the audit log depend on.

Each expected value is a literal worked out once with plain ``hashlib`` outside the app,
so any change of canonical form, chaining or field order fails here loudly. A deliberate
format change must bump a version and add new vectors beside these, never edit them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from sqlalchemy import select

from supervision_desktop.domain.records import RecordContent
from supervision_desktop.services import audit, lifecycle, people, records
from supervision_desktop.services.audit import GENESIS, _entry_hash
from supervision_desktop.store.models import AuditEvent, Record, RecordVersion
from supervision_desktop.store.vault import Vault
from tests.test_lifecycle import TEMPLATE

ODD_TEXT = "Dydd da — ŵ ŷ; محمد 12345; 🙂 <b>&amp;</b>"
VERSION_1 = RecordContent(
    template_id="staff-supervision-sw",
    template_version=3,
    subject_id="5f0c2a4e9b1d4c7e8a6f3b2d1c0e9f8a",
    session_date="2026-02-29",
    fields={"wellbeing": ODD_TEXT, "minutes": 90, "attended": True,
            "actions": [{"who": "Alex", "due": "2026-03-13", "action": "Ring the school"}]},
)
VERSION_2 = RecordContent(**{**VERSION_1.__dict__,
                             "fields": {**VERSION_1.fields, "wellbeing": "Corrected"}})

CANONICAL_1 = (
    '{"date":"2026-02-29","fields":{"actions":[{"action":"Ring the school","due":'
    '"2026-03-13","who":"Alex"}],"attended":true,"minutes":90,"wellbeing":'
    '"Dydd da — ŵ ŷ; محمد 12345; 🙂 <b>&amp;</b>"},"subject":'
    '"5f0c2a4e9b1d4c7e8a6f3b2d1c0e9f8a","template":["staff-supervision-sw",3]}'
)
HASH_1 = "ffb3ba848fd5ac6a8182c04d55123e8b74087b0f799f4710593d8e28ec4e063f"
HASH_2_AFTER_1 = "c2550d281b83fd9df4be0b2097278badcdac3c024147e569f09dbe3a92e2b943"

AUDIT_1 = "0177d62be24ba2b5a3aac7792786f3be2437dbec7fde6c518abad8d4bbd2e378"
AUDIT_2 = "8cb1768616f6dd007920c33d509fe39cd5893f74a9757fc2746c434eb5e9bd65"


# --- record content ------------------------------------------------------------------


def test_canonical_json_is_sorted_compact_utf8_with_text_as_written() -> None:
    assert VERSION_1.canonical_json() == CANONICAL_1


def test_first_version_hash_has_an_empty_link() -> None:
    assert VERSION_1.content_hash() == HASH_1
    assert VERSION_1.content_hash(None) == HASH_1


def test_second_version_hash_is_chained_to_the_first() -> None:
    assert VERSION_2.content_hash(HASH_1) == HASH_2_AFTER_1
    assert VERSION_2.content_hash() != HASH_2_AFTER_1  # the link is part of the hash


# --- the chain as the vault stores it ------------------------------------------------


def _independent_hash(previous: str | None, record: Record, version: RecordVersion) -> str:
    """The chain rule written out again by hand, not with the code under test."""
    document = {
        "template": [record.template_id, record.template_version],
        "subject": version.subject_id,
        "date": version.session_date.isoformat() if version.session_date else None,
        "fields": version.content,
    }
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((previous or "").encode() + b"\n" + canonical.encode()).hexdigest()


@pytest.fixture
def amended(vault: Vault) -> str:
    person = people.add_person(vault, "supervisee", {"name": "Jo Bloggs"})
    record_id = records.create_record(vault, TEMPLATE, subject_id=person.id,
                                      session_date="2026-11-22",
                                      fields={"wellbeing": ODD_TEXT})
    lifecycle.finalise(vault, record_id)
    lifecycle.amend(vault, record_id, "Supervisee corrected a date")
    records.save_draft(vault, record_id, {"wellbeing": "Corrected"})
    lifecycle.finalise(vault, record_id)
    return record_id


def test_stored_versions_follow_the_chain_rule(vault: Vault, amended: str) -> None:
    with vault.transaction() as session:
        record = session.get_one(Record, amended)
        first, second = record.versions
        assert first.previous_hash is None
        assert first.content_hash == _independent_hash(None, record, first)
        assert second.previous_hash == first.content_hash
        assert second.content_hash == _independent_hash(first.content_hash, record, second)


def test_a_version_relinked_to_another_parent_is_caught(vault: Vault, amended: str) -> None:
    """Only the link is changed; the version's own hash still matches its content."""
    with vault.transaction() as session:
        session.get_one(Record, amended).versions[1].previous_hash = "f" * 64
    report = lifecycle.check_chain(vault, amended)
    assert report.problems == ("version 2 is not linked to the one before it",)


def test_a_first_version_given_a_parent_is_caught(vault: Vault, amended: str) -> None:
    with vault.transaction() as session:
        session.get_one(Record, amended).versions[0].previous_hash = "0" * 64
    assert "version 1 is not linked to the one before it" in (
        lifecycle.check_chain(vault, amended).problems)


# --- the audit log -------------------------------------------------------------------


def test_audit_entry_hash_vectors() -> None:
    first = _entry_hash(GENESIS, dt.datetime(2026, 11, 22, 14, 10), "Sam Example", "finalise",
                        "rec1", "per1", "version 1")
    assert first == AUDIT_1
    second = _entry_hash(first, dt.datetime(2026, 11, 22, 14, 12, 30, 250000), "Sam Example",
                         "export", "rec1", None, "version 1")
    assert second == AUDIT_2


def test_audit_hash_is_of_the_utc_time_however_it_was_given() -> None:
    summer = dt.timezone(dt.timedelta(hours=1))  # a BST clock reading 15:10 is 14:10 UTC
    for at in (dt.datetime(2026, 11, 22, 14, 10, tzinfo=dt.UTC),
               dt.datetime(2026, 11, 22, 15, 10, tzinfo=summer)):
        assert _entry_hash(GENESIS, at, "Sam Example", "finalise", "rec1", "per1",
                           "version 1") == AUDIT_1


def test_an_audit_entry_relinked_is_caught_even_with_its_own_hash_intact(vault: Vault) -> None:
    """Only the stored link is changed: the entry's own hash still matches its fields."""
    for n in range(3):
        audit.log(vault, "backup", detail=f"{n} records")
    with vault.transaction() as session:
        ids = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
        session.get_one(AuditEvent, ids[-2]).previous_hash = "e" * 64
    check = audit.check_log(vault)
    assert not check.ok
    assert check.first_bad_id == ids[-2]


def test_audit_log_first_entry_follows_genesis(vault: Vault) -> None:
    audit.log(vault, "backup", detail="0 records")
    with vault.transaction() as session:
        first = session.scalars(select(AuditEvent).order_by(AuditEvent.id).limit(1)).one()
        assert first.previous_hash == GENESIS
        assert first.hash == _entry_hash(GENESIS, first.at, first.actor, first.action,
                                         first.record_id, first.person_id, first.detail)
