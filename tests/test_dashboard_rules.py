"""The dashboard counts only sessions held: an unfinished draft is not a "last session"
(an amendment in progress still is: its first version was finalised), and only a
finalised record has an upload deadline (Lambeth: 2 working days, 003 line 345)."""

from __future__ import annotations

import datetime as dt

from supervision_desktop.services import compliance, lifecycle, people, records
from supervision_desktop.services.templates import get_template
from supervision_desktop.store.vault import Vault
from tests.sample_values import held_session

AS_OF = dt.date(2026, 11, 25)


def _worker(vault: Vault) -> str:
    return people.add_person(vault, "supervisee", {
        "name": "Amara Okafor", "staff_group": "social_worker",
        "start_date": "2019-05-01"}).id


def _entry(vault: Vault) -> compliance.DueEntry:
    [entry] = compliance.due_report(vault, AS_OF).people
    return entry


def test_an_unfinished_draft_is_not_the_last_session(vault: Vault) -> None:
    worker = _worker(vault)
    held = held_session(vault, "professional-supervision", worker, dt.date(2026, 10, 20))
    records.create_record(vault, get_template("professional-supervision"),
                          subject_id=worker, session_date=dt.date(2026, 11, 20))
    entry = _entry(vault)
    assert (entry.last_session, entry.last_record_id) == (dt.date(2026, 10, 20), held)
    # every 6 weeks (Lambeth 003 table line 267) from 20/10, not from the draft of 20/11
    assert (entry.next_due, entry.status.value) == (dt.date(2026, 12, 1), "due")


def test_no_session_held_yet_when_the_only_record_is_a_draft(vault: Vault) -> None:
    worker = _worker(vault)
    records.create_record(vault, get_template("professional-supervision"),
                          subject_id=worker, session_date=dt.date(2026, 11, 20))
    assert _entry(vault).last_session is None


def test_a_record_being_amended_still_counts_as_the_session_held(vault: Vault) -> None:
    worker = _worker(vault)
    held = held_session(vault, "professional-supervision", worker, dt.date(2026, 11, 2))
    lifecycle.amend(vault, held, "Corrected the duration")  # a draft again, version 2
    entry = _entry(vault)
    assert (entry.last_session, entry.next_due) == (dt.date(2026, 11, 2), dt.date(2026, 12, 14))


def test_only_a_finalised_record_has_an_upload_deadline(vault: Vault) -> None:
    worker = _worker(vault)
    held = held_session(vault, "professional-supervision", worker, dt.date(2026, 11, 19))
    draft = records.create_record(vault, get_template("professional-supervision"),
                                  subject_id=worker, session_date=dt.date(2026, 11, 19))
    report = compliance.due_report(vault, AS_OF)
    [waiting] = report.drafts
    assert waiting.record_id == draft
    assert (waiting.upload_deadline, waiting.deadline_status.value) == (None, "no_rule")
    [finalised] = report.not_exported
    assert finalised.record_id == held
    # Thu 19/11 + 2 working days = Mon 23/11: two days late on 25/11
    assert (finalised.upload_deadline, finalised.deadline_status.value,
            finalised.days_overdue) == (dt.date(2026, 11, 23), "overdue", 2)
