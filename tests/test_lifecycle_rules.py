"""The lifecycle's rules pinned one by one: what finalise asks for and in what order, what
amending clears, what marking uploaded needs, what each step writes in the audit log, and
how the chain check reads a received record whose earlier versions never came."""

from __future__ import annotations

import datetime as dt

import pytest

from supervision_desktop.domain.templates import Template
from supervision_desktop.errors import InvalidInput, NotFound
from supervision_desktop.services import actions, audit, lifecycle, people, records
from supervision_desktop.services.templates import get_template
from supervision_desktop.store.models import Record
from supervision_desktop.store.vault import Vault
from tests.sample_values import fill_every_field
from tests.test_lifecycle import TEMPLATE

NOBODY = Template.model_validate({
    **TEMPLATE.model_dump(mode="json"), "id": "lifecycle-nobody", "subject_kind": "none",
})


@pytest.fixture
def person(vault: Vault) -> str:
    return people.add_person(vault, "supervisee", {"name": "Jo Bloggs"}).id


def _finalised(vault: Vault, person: str) -> str:
    record_id = records.create_record(vault, TEMPLATE, subject_id=person,
                                      session_date="2026-11-22",
                                      fields={"wellbeing": "Busy month."})
    lifecycle.finalise(vault, record_id)
    return record_id


def _message(excinfo: pytest.ExceptionInfo[InvalidInput]) -> str:
    return str(excinfo.value)


# --- finalise ------------------------------------------------------------------------


def test_finalise_names_the_date_then_the_subject_then_each_empty_field(vault: Vault) -> None:
    record_id = records.create_record(vault, TEMPLATE, subject_id=None, session_date=None)
    with pytest.raises(InvalidInput) as excinfo:
        lifecycle.finalise(vault, record_id)
    assert _message(excinfo) == (
        "Before finalising, fill in: the session date, who the record is about "
        "(a supervisee), “Welcome and wellbeing check”.")


def test_the_check_before_finalising_says_where_each_missing_thing_is(vault: Vault,
                                                                     person: str) -> None:
    """The GUI asks first and takes the user to each gap: the header's date and subject,
    then each empty field by its id. Asking changes nothing."""
    record_id = records.create_record(vault, TEMPLATE, subject_id=None, session_date=None)
    check = lifecycle.finalise_check(vault, record_id)
    assert (check.missing, check.carried, check.ready) == ((
        lifecycle.Missing("session_date", "the session date"),
        lifecycle.Missing("subject", "who the record is about (a supervisee)"),
        lifecycle.Missing("wellbeing", "“Welcome and wellbeing check”"),
    ), "", False)
    assert records.get_record(vault, record_id).summary.status.value == "draft"
    ready = records.create_record(vault, TEMPLATE, subject_id=person,
                                  session_date="2026-11-22", fields={"wellbeing": "Calm."})
    assert lifecycle.finalise_check(vault, ready) == lifecycle.FinaliseCheck((), "")
    lifecycle.finalise(vault, ready)
    with pytest.raises(InvalidInput) as excinfo:
        lifecycle.finalise_check(vault, ready)
    assert _message(excinfo) == "This record is already finalised."
    with pytest.raises(NotFound) as missing:
        lifecycle.finalise_check(vault, "0" * 32)
    assert str(missing.value) == f"There is no record with id {'0' * 32}."


def test_a_record_about_nobody_needs_no_subject(vault: Vault) -> None:
    record_id = records.create_record(vault, NOBODY, subject_id=None,
                                      session_date="2026-11-22",
                                      fields={"wellbeing": "Team meeting."})
    done = lifecycle.finalise(vault, record_id)
    assert (done.record_id, done.version) == (record_id, 1)


def test_finalising_twice_is_refused(vault: Vault, person: str) -> None:
    record_id = _finalised(vault, person)
    with pytest.raises(InvalidInput) as excinfo:
        lifecycle.finalise(vault, record_id)
    assert _message(excinfo) == "This record is already finalised."


def test_an_unknown_record_is_named(vault: Vault) -> None:
    for step in (lambda: lifecycle.finalise(vault, "nope"),
                 lambda: lifecycle.amend(vault, "nope", "a reason"),
                 lambda: lifecycle.check_chain(vault, "nope"),
                 lambda: lifecycle.mark_uploaded(vault, "nope", dt.date(2026, 11, 23), "x")):
        with pytest.raises(NotFound) as excinfo:
            step()
        assert str(excinfo.value) == "There is no record with id nope."


def test_finalise_and_amend_are_logged_with_record_person_and_version(
        vault: Vault, person: str) -> None:
    record_id = _finalised(vault, person)
    lifecycle.amend(vault, record_id, "Supervisee corrected a date")
    newest = audit.entries(vault, record_id=record_id, limit=2)
    assert [(e.action, e.record_id, e.person_id, e.detail) for e in newest] == [
        ("amend", record_id, person, "version 2 opened"),
        ("finalise", record_id, person, "version 1"),
    ]


# --- amend ---------------------------------------------------------------------------


def test_amend_needs_a_reason_and_a_finalised_record(vault: Vault, person: str) -> None:
    draft = records.create_record(vault, TEMPLATE, subject_id=person, session_date="2026-11-22")
    with pytest.raises(InvalidInput) as excinfo:
        lifecycle.amend(vault, draft, " \n ")
    assert _message(excinfo) == "Say why the record is being amended."
    with pytest.raises(InvalidInput) as excinfo:
        lifecycle.amend(vault, draft, "a reason")
    assert _message(excinfo) == "This record is still a draft: edit it directly."


def test_a_received_record_cannot_be_amended(vault: Vault, person: str) -> None:
    record_id = _finalised(vault, person)
    with vault.transaction() as session:
        session.get_one(Record, record_id).origin = "received"
    with pytest.raises(InvalidInput) as excinfo:
        lifecycle.amend(vault, record_id, "a reason")
    assert _message(excinfo) == ("This record was received as a signed PDF and is read-only "
                                 "here: only its author can amend it.")


def test_an_amendment_keeps_the_subject_and_clears_the_upload(vault: Vault, person: str) -> None:
    record_id = _finalised(vault, person)
    with vault.transaction() as session:  # as export leaves it
        session.get_one(Record, record_id).status = "exported"
    lifecycle.mark_uploaded(vault, record_id, dt.date(2026, 11, 24), "  Mosaic 4471  ")
    assert lifecycle.amend(vault, record_id, "A date was wrong") == 2
    with vault.transaction() as session:
        record = session.get_one(Record, record_id)
        assert (record.status, record.uploaded_on, record.upload_reference,
                record.exported_at) == ("draft", None, "", None)
        assert [v.subject_id for v in record.versions] == [person, person]
        assert record.versions[1].reason == "A date was wrong"


# --- mark uploaded -------------------------------------------------------------------


def test_only_an_exported_record_can_be_marked_uploaded(vault: Vault, person: str) -> None:
    record_id = _finalised(vault, person)
    with pytest.raises(InvalidInput) as excinfo:
        lifecycle.mark_uploaded(vault, record_id, dt.date(2026, 11, 24), "Mosaic 4471")
    assert _message(excinfo) == "Export the record before marking it uploaded."
    with vault.transaction() as session:
        session.get_one(Record, record_id).status = "exported"
    lifecycle.mark_uploaded(vault, record_id, dt.date(2026, 11, 24), "  Mosaic 4471  ")
    with vault.transaction() as session:
        record = session.get_one(Record, record_id)
        assert (record.status, record.uploaded_on, record.upload_reference) == (
            "uploaded", dt.date(2026, 11, 24), "Mosaic 4471")
    newest = audit.entries(vault, record_id=record_id, limit=1)[0]
    assert (newest.action, newest.record_id, newest.person_id, newest.detail) == (
        "mark_uploaded", record_id, person, "uploaded 2026-11-24")


# --- the chain check -----------------------------------------------------------------


def _three_versions(vault: Vault, person: str) -> str:
    record_id = _finalised(vault, person)
    for words in ("Second words.", "Third words."):
        lifecycle.amend(vault, record_id, "corrected")
        records.save_draft(vault, record_id, {"wellbeing": words})
        lifecycle.finalise(vault, record_id)
    return record_id


def test_the_chain_report_lists_every_version(vault: Vault, person: str) -> None:
    record_id = _three_versions(vault, person)
    lifecycle.amend(vault, record_id, "one more")  # an open draft: listed, not hashed
    report = lifecycle.check_chain(vault, record_id)
    assert report.record_id == record_id and report.intact
    with vault.transaction() as session:
        stored = [(v.number, v.reason, v.created_at, v.finalised_at, v.content_hash)
                  for v in session.get_one(Record, record_id).versions]
    assert [(v.number, v.reason, v.created_at, v.finalised_at, v.content_hash)
            for v in report.versions] == stored
    assert [v.number for v in report.versions] == [1, 2, 3, 4]
    assert report.versions[-1].content_hash is None
    assert all(v.finalised_at is not None for v in report.versions[:3])


def _received_from_version_2(vault: Vault, person: str) -> str:
    """A received record of which only versions 2 and 3 ever reached this vault."""
    record_id = _three_versions(vault, person)
    with vault.transaction() as session:
        record = session.get_one(Record, record_id)
        record.versions.remove(record.versions[0])
        record.origin = "received"
    return record_id


def test_a_received_record_is_checked_from_its_first_received_version(
        vault: Vault, person: str) -> None:
    record_id = _received_from_version_2(vault, person)
    report = lifecycle.check_chain(vault, record_id)
    assert [v.number for v in report.versions] == [2, 3]
    assert report.problems == ()


def test_a_received_record_relinked_after_its_first_version_is_caught(
        vault: Vault, person: str) -> None:
    record_id = _received_from_version_2(vault, person)
    with vault.transaction() as session:
        session.get_one(Record, record_id).versions[1].previous_hash = "a" * 64
    assert lifecycle.check_chain(vault, record_id).problems == (
        "version 3 is not linked to the one before it",)


def test_a_received_first_version_given_a_parent_is_caught(vault: Vault, person: str) -> None:
    record_id = _finalised(vault, person)
    with vault.transaction() as session:
        record = session.get_one(Record, record_id)
        record.origin = "received"
        record.versions[0].previous_hash = "b" * 64
    assert lifecycle.check_chain(vault, record_id).problems == (
        "version 1 is not linked to the one before it",)


def test_own_record_with_a_changed_version_is_caught_exactly(vault: Vault, person: str) -> None:
    record_id = _three_versions(vault, person)
    with vault.transaction() as session:
        version = session.get_one(Record, record_id).versions[1]
        version.content = {**version.content, "wellbeing": "Rewritten later."}
    assert lifecycle.check_chain(vault, record_id).problems == (
        "version 2 was changed after it was finalised",)


def test_finalise_says_what_is_missing_and_what_was_carried_in_one_message(
        vault: Vault, person: str) -> None:
    staff = get_template("staff-supervision-social-worker")
    fields = fill_every_field(staff, "Words")
    del fields["last_actions"]
    fields["agreed_actions"] = [{"action": "Book the review", "owner": "Jo Bloggs",
                                 "due": "2026-02-06"}]
    january = records.create_record(vault, staff, subject_id=person,
                                    session_date="2026-01-15", fields=fields)
    lifecycle.finalise(vault, january)
    february = records.create_record(vault, staff, subject_id=person, session_date=None,
                                     fields={k: v for k, v in fields.items()
                                             if k != "agreed_actions"})
    carried = actions.carried_actions(vault, february)[0].action
    with pytest.raises(InvalidInput) as excinfo:
        lifecycle.finalise(vault, february)
    assert _message(excinfo) == (
        "Before finalising, fill in: “Date of Supervision”. Say what happened to 1 action(s) "
        "carried from the last record — mark each done, carried forward or dropped with a "
        f"reason: 1. “Book the review” (Jo Bloggs) [id {carried.id}].")
