"""Finalise, amend and the hash chain: nothing overwritten, tampering evident."""

from __future__ import annotations

import pytest

from supervision_desktop.domain.templates import Template
from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import lifecycle, people, records
from supervision_desktop.store.models import Record
from supervision_desktop.store.vault import Vault

TEMPLATE = Template.model_validate(
    {
        "id": "lifecycle-test", "version": 1, "title": "Lifecycle test",
        "category": "supervision", "subject_kind": "supervisee",
        "source": {"organisation": "Test", "document": "Test", "seed": "none"},
        "sections": [{"id": "main", "title": "Main", "fields": [
            {"id": "wellbeing", "kind": "longtext", "label": "Welcome and wellbeing check",
             "required": True},
            {"id": "aob", "kind": "longtext", "label": "Any Other Business"},
        ]}],
    }
)


@pytest.fixture
def draft(vault: Vault) -> str:
    person = people.add_person(vault, "supervisee", {"name": "Jo Bloggs"})
    return records.create_record(vault, TEMPLATE, subject_id=person.id,
                                 session_date="2026-11-22", fields={"aob": "nothing"})


def test_finalise_lists_what_is_missing_and_changes_nothing(vault: Vault, draft: str) -> None:
    with pytest.raises(InvalidInput, match="“Welcome and wellbeing check”"):
        lifecycle.finalise(vault, draft)
    assert records.get_record(vault, draft).summary.status.value == "draft"


def test_finalised_record_is_read_only_and_hashed(vault: Vault, draft: str) -> None:
    records.save_draft(vault, draft, {"wellbeing": "Well, busy month.", "aob": "none"})
    done = lifecycle.finalise(vault, draft)
    assert len(done.content_hash) == 64
    with pytest.raises(InvalidInput, match="amendment"):
        records.save_draft(vault, draft, {"wellbeing": "rewritten"})
    assert records.get_record(vault, draft).fields["wellbeing"] == "Well, busy month."
    assert lifecycle.check_chain(vault, draft).intact


def test_amendment_is_a_new_linked_version_and_the_old_one_stays(vault: Vault, draft: str) -> None:
    records.save_draft(vault, draft, {"wellbeing": "Original words."})
    first = lifecycle.finalise(vault, draft)
    with pytest.raises(InvalidInput, match="why"):
        lifecycle.amend(vault, draft, "  ")
    assert lifecycle.amend(vault, draft, "Supervisee asked to correct a date") == 2
    records.save_draft(vault, draft, {"wellbeing": "Corrected words."})
    second = lifecycle.finalise(vault, draft)
    report = lifecycle.check_chain(vault, draft)
    assert report.intact
    assert [v.number for v in report.versions] == [1, 2]
    assert report.versions[1].reason == "Supervisee asked to correct a date"
    assert second.content_hash != first.content_hash
    with vault.engine.connect() as connection:
        old = connection.exec_driver_sql(
            "SELECT content FROM record_versions WHERE record_id = ? AND number = 1", (draft,)
        ).scalar()
    assert "Original words." in old


def test_tampering_with_a_stored_version_breaks_the_chain(vault: Vault, draft: str) -> None:
    records.save_draft(vault, draft, {"wellbeing": "What was said."})
    lifecycle.finalise(vault, draft)
    lifecycle.amend(vault, draft, "typo")
    lifecycle.finalise(vault, draft)
    with vault.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE record_versions SET content = ? WHERE record_id = ? AND number = 1",
            ('{"wellbeing": "What was NOT said."}', draft),
        )
    report = lifecycle.check_chain(vault, draft)
    assert not report.intact
    assert report.problems == ("version 1 was changed after it was finalised",)


def test_a_draft_session_date_can_be_emptied_and_is_kept_when_not_given(
    vault: Vault, draft: str
) -> None:
    """A date typed in error can be removed again (the form's date emptied); an autosave
    that says nothing about the date leaves it as it was."""
    records.save_draft(vault, draft, {"aob": "later"})
    assert records.get_record(vault, draft).summary.session_date is not None
    records.save_draft(vault, draft, {"aob": "later"}, session_date=None)
    view = records.get_record(vault, draft)
    assert view.summary.session_date is None
    with vault.transaction() as session:
        assert session.get_one(Record, draft).versions[-1].session_date is None
