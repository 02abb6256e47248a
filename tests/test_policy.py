"""Policy profiles and due dates: the seed policies' rules, worked out by hand.

Every expected date below is computed from the seed text in the comment beside it, not
from the code: start dates, calendars and bank holidays are written out.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from supervision_desktop.domain.policy import (
    STAFF_GROUPS,
    Period,
    PolicyError,
    load_profile,
)
from supervision_desktop.domain.schedule import Deviation, supervision_sequence
from supervision_desktop.domain.working_days import add_working_days, is_bank_holiday
from supervision_desktop.services import compliance, lifecycle, people
from supervision_desktop.store.models import Person, Record
from supervision_desktop.store.vault import Vault
from tests.sample_values import held_session

D = dt.date
START = D(2026, 9, 7)  # a Monday; six months later is 7 March 2027, a year 7 September 2027


def test_every_shipped_profile_loads_and_every_rule_names_its_source() -> None:
    found = compliance.profiles()
    assert found.errors == ()
    assert {p.id for p in found.profiles} == {
        "birmingham-ifa", "walsall", "lambeth", "kent", "custom"}
    for profile in found.profiles:
        assert set(profile.staff_supervision.groups) == set(STAFF_GROUPS)
        rules = [r for r in profile.staff_supervision.groups.values() if r is not None]
        rules += list(profile.case_discussion.rules.values())
        rules += [r for r in (profile.sessions_per_year, profile.session_length,
                              profile.agreement, profile.appraisal, profile.upload,
                              profile.cancellation, profile.deviations) if r is not None]
        for rule in rules:
            assert rule.ref.strip(), f"{profile.id}: a rule without its source"
    assert compliance.DEFAULT_PROFILE in {p.id for p in found.profiles}


def _nqsw(profile_id: str) -> list[dt.date]:
    rule = compliance.get_profile(profile_id).staff_rule("nqsw")
    assert rule is not None
    return supervision_sequence(rule, START, 18)


# Lambeth 003 line 312 and BCT 001 line 122: weekly for the first 6 weeks (7 Sep + 1..6
# weeks), then fortnightly until 6 months (7 Mar 2027): the session of 22 Feb is in that
# time, so the next is 8 Mar; 8 Mar is past 6 months, so monthly from then on.
WEEKLY_FORTNIGHTLY_MONTHLY = [
    D(2026, 9, 14), D(2026, 9, 21), D(2026, 9, 28), D(2026, 10, 5), D(2026, 10, 12),
    D(2026, 10, 19),
    D(2026, 11, 2), D(2026, 11, 16), D(2026, 11, 30), D(2026, 12, 14), D(2026, 12, 28),
    D(2027, 1, 11), D(2027, 1, 25), D(2027, 2, 8), D(2027, 2, 22), D(2027, 3, 8),
    D(2027, 4, 8), D(2027, 5, 8),
]


def test_nqsw_due_dates_lambeth() -> None:
    assert _nqsw("lambeth") == WEEKLY_FORTNIGHTLY_MONTHLY


def test_nqsw_due_dates_birmingham() -> None:
    assert _nqsw("birmingham-ifa") == WEEKLY_FORTNIGHTLY_MONTHLY


def test_nqsw_due_dates_kent() -> None:
    # Kent 004 line 129: fortnightly for the first six months (21 Sep ... 22 Feb, 8 Mar),
    # then three-weekly for the rest of the first year (29 Mar ... 23 Aug, 13 Sep), then
    # monthly (line 137): 13 Oct 2027.
    rule = compliance.get_profile("kent").staff_rule("nqsw")
    assert rule is not None
    assert supervision_sequence(rule, START, 23) == [
        D(2026, 9, 21), D(2026, 10, 5), D(2026, 10, 19), D(2026, 11, 2), D(2026, 11, 16),
        D(2026, 11, 30), D(2026, 12, 14), D(2026, 12, 28), D(2027, 1, 11), D(2027, 1, 25),
        D(2027, 2, 8), D(2027, 2, 22), D(2027, 3, 8),
        D(2027, 3, 29), D(2027, 4, 19), D(2027, 5, 10), D(2027, 5, 31), D(2027, 6, 21),
        D(2027, 7, 12), D(2027, 8, 2), D(2027, 8, 23), D(2027, 9, 13),
        D(2027, 10, 13),
    ]


def test_nqsw_due_dates_walsall() -> None:
    # Walsall 002 line 9: every practitioner at least once a month; no NQSW rule.
    assert _nqsw("walsall")[:5] == [
        D(2026, 10, 7), D(2026, 11, 7), D(2026, 12, 7), D(2027, 1, 7), D(2027, 2, 7)]


def test_a_deviation_replaces_the_frequency_from_the_day_it_was_agreed() -> None:
    rule = compliance.get_profile("kent").staff_rule("social_worker")
    assert rule is not None
    agreed = Deviation(Period(weeks=6), D(2026, 10, 1), "Part-time, 15 hours", "Service Manager")
    # Monthly, then every 6 weeks once the deviation (1 Oct) is in force at a session.
    assert supervision_sequence(rule, D(2026, 8, 3), 4, agreed) == [
        D(2026, 9, 3), D(2026, 10, 3), D(2026, 11, 14), D(2026, 12, 26)]


# --- working days --------------------------------------------------------------------


def test_bank_holidays_move_upload_deadlines() -> None:
    # Thu 24/12/2026 + 2 working days: Fri 25 is Christmas Day, Sat 26 / Sun 27 the
    # weekend, Mon 28 the substitute Boxing Day; Tue 29 is the first working day and
    # Wed 30 the second. (Without the bank holidays it would be Mon 28.)
    assert is_bank_holiday(D(2026, 12, 25)) and is_bank_holiday(D(2026, 12, 28))
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert add_working_days(D(2026, 12, 24), 2) == D(2026, 12, 30)
    # Kent's one week = 5 working days: 29, 30, 31 Dec, (Fri 1 Jan New Year's Day), 4, 5 Jan.
    assert add_working_days(D(2026, 12, 24), 5) == D(2027, 1, 5)
    # Easter 2026: Thu 2 Apr, then Good Friday 3 Apr and Easter Monday 6 Apr -> Wed 8 Apr.
    assert add_working_days(D(2026, 4, 2), 2) == D(2026, 4, 8)
    # An ordinary week: Monday + 2 working days is Wednesday.
    assert add_working_days(D(2026, 11, 23), 2) == D(2026, 11, 25)


# --- broken profiles -----------------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agency.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_broken_profile_is_refused_naming_the_file_and_the_rule(tmp_path: Path) -> None:
    good = (compliance.policies_dir() / "walsall.yaml").read_text(encoding="utf-8")
    with pytest.raises(PolicyError, match=r"agency.yaml: .*missing service_manager"):
        load_profile(_write(tmp_path, good.replace("    service_manager:", "    #")))
    with pytest.raises(PolicyError, match=r"agency.yaml: .*frequency.*Extra inputs"):
        load_profile(_write(tmp_path, good + "frequency: monthly\n"))
    nqsw_backwards = good.replace(
        "        - {every: {months: 1}}\n    social_worker",
        "        - {every: {weeks: 1}, until: {months: 6}}\n"
        "        - {every: {weeks: 2}, until: {weeks: 6}}\n"
        "        - {every: {months: 1}}\n    social_worker", 1)
    with pytest.raises(PolicyError, match=r"nqsw.*later than the one before"):
        load_profile(_write(tmp_path, nqsw_backwards))
    with pytest.raises(PolicyError, match=r"line \d+: not valid YAML"):
        load_profile(_write(tmp_path, "id: [unclosed\n"))


# --- the report over a real vault ----------------------------------------------------


def _added_on(vault: Vault, person_id: str, day: dt.date) -> None:
    """Say when a person was added to the vault (due dates before any session count from it)."""
    with vault.transaction() as session:
        session.get_one(Person, person_id).created_at = dt.datetime.combine(day, dt.time(9))


def _session(vault: Vault, template_id: str, person_id: str, day: dt.date) -> str:
    return held_session(vault, template_id, person_id, day)


def test_a_recorded_deviation_changes_that_persons_due_date(vault: Vault) -> None:
    compliance.set_profile(vault, "kent")
    worker = people.add_person(vault, "supervisee", {
        "name": "Ffion Hughes", "staff_group": "social_worker", "start_date": "2019-05-01"})
    colleague = people.add_person(vault, "supervisee", {
        "name": "Tomasz Nowak", "staff_group": "social_worker", "start_date": "2019-05-01"})
    for person in (worker, colleague):
        _session(vault, "personal-supervision", person.id, D(2026, 10, 1))
    as_of = D(2026, 10, 20)
    before = {e.name: e for e in compliance.due_report(vault, as_of).people}
    assert before["Ffion Hughes"].next_due == D(2026, 11, 1)  # monthly, 004 line 137

    compliance.add_deviation(vault, worker.id, "6 weeks", reason="Works 15 hours a week",
                             approved_by="Priya Shah, Service Manager", agreed_on=D(2026, 10, 5))
    after = {e.name: e for e in compliance.due_report(vault, as_of).people}
    changed = after["Ffion Hughes"]
    assert changed.next_due == D(2026, 11, 12)  # 1 Oct + 6 weeks
    assert changed.rule is not None and changed.rule.rule_id == "deviation"
    assert changed.rule.ref == "004 §6.1 line 159"
    assert changed.deviation is not None and changed.deviation.approved_by.startswith("Priya")
    assert after["Tomasz Nowak"].next_due == D(2026, 11, 1)  # nobody else changes


def test_due_report_statuses_rules_and_children(vault: Vault) -> None:
    compliance.set_profile(vault, "lambeth")
    nqsw = people.add_person(vault, "supervisee", {
        "name": "Amara Okafor", "staff_group": "nqsw", "start_date": "2026-09-07"})
    manager = people.add_person(vault, "supervisee", {
        "name": "Gareth Lewis", "staff_group": "team_manager", "start_date": "2015-01-05"})
    left = people.add_person(vault, "supervisee", {
        "name": "Left Already", "start_date": "2015-01-05", "end_date": "2026-06-30"})
    cp_child = people.add_person(vault, "child", {"name": "Kai Example",
                                                  "plan": "child_protection"})
    teen = people.add_person(vault, "child", {"name": "Rhys Example", "plan": "looked_after",
                                              "dob": "2010-01-15"})
    for person in (nqsw, manager, left, cp_child, teen):
        _added_on(vault, person.id, D(2026, 9, 1))
    as_of = D(2026, 11, 25)
    _session(vault, "professional-supervision", nqsw.id, D(2026, 11, 9))
    _session(vault, "professional-supervision", manager.id, D(2026, 10, 20))
    _session(vault, "case-discussion-family", cp_child.id, D(2026, 10, 1))
    _session(vault, "reflective-group-discussion", teen.id, D(2026, 10, 20))  # 003 line 331

    report = compliance.due_report(vault, as_of)
    entries = {e.name: e for e in report.people}
    assert "Left Already" not in entries
    # NQSW seen 9 Nov, 9 weeks in: fortnightly (003 line 312) -> due 23 Nov, 2 days over.
    assert (entries["Amara Okafor"].next_due, entries["Amara Okafor"].status.value,
            entries["Amara Okafor"].days_overdue) == (D(2026, 11, 23), "overdue", 2)
    # Team manager seen 20 Oct: every 6 weeks (003 line 270) -> 1 Dec, within 7 days: due.
    assert (entries["Gareth Lewis"].next_due, entries["Gareth Lewis"].status.value) == (
        D(2026, 12, 1), "due")
    # Child protection discussed 1 Oct: every 4 weeks (003 line 253) -> 29 Oct.
    kai = entries["Kai Example"]
    assert (kai.next_due, kai.status.value, kai.days_overdue) == (D(2026, 10, 29), "overdue", 27)
    assert kai.rule is not None and (kai.rule.rule_id, kai.rule.ref) == (
        "case_discussion.child_protection", "003 §3.1 line 253")
    # Looked after, 16 on 25 Nov 2026, not matched: 8 weeks (003 line 254/256) -> 15 Dec.
    rhys = entries["Rhys Example"]
    assert (rhys.next_due, rhys.status.value) == (D(2026, 12, 15), "ok")
    # Most urgent first.
    assert [e.name for e in report.people][:2] == ["Kai Example", "Amara Okafor"]
    # Nobody has an agreement: due since they were added (003 line 378: at the start).
    agreements = {e.name: e for e in report.agreements}
    assert agreements["Gareth Lewis"].status.value == "overdue"
    assert agreements["Gareth Lewis"].rule is not None
    assert agreements["Gareth Lewis"].rule.ref == "003 Appendix A line 378"

    compliance.set_profile(vault, "birmingham-ifa")
    bct = {e.name: e for e in compliance.due_report(vault, as_of).people}
    assert bct["Kai Example"].status.value == "no_rule"  # 001 sets no case frequency
    assert bct["Gareth Lewis"].next_due == D(2026, 11, 20)  # monthly, 001 line 122


def test_records_not_uploaded_by_the_deadline_are_listed(vault: Vault) -> None:
    compliance.set_profile(vault, "lambeth")
    child = people.add_person(vault, "child", {"name": "Kai Example", "plan": "child_in_need"})
    christmas_eve = _session(vault, "case-discussion-family", child.id, D(2026, 12, 24))
    finalised = _session(vault, "case-discussion-family", child.id, D(2026, 12, 24))
    with vault.transaction() as session:  # as the export service leaves them
        session.get_one(Record, christmas_eve).status = "exported"
        session.get_one(Record, finalised).status = "finalised"

    def listed(day: dt.date) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        report = compliance.due_report(vault, day)
        return ([(r.record_id, r.upload_deadline, r.deadline_status.value, r.days_overdue)
                 for r in report.not_uploaded],
                [(r.record_id, r.upload_deadline) for r in report.not_exported])

    # 2 working days (003 line 345) after Thu 24 Dec 2026: Tue 29, Wed 30 Dec.
    assert listed(D(2026, 12, 30)) == (
        [(christmas_eve, D(2026, 12, 30), "due", 0)], [(finalised, D(2026, 12, 30))])
    assert listed(D(2027, 1, 4))[0] == [(christmas_eve, D(2026, 12, 30), "overdue", 5)]
    lifecycle.mark_uploaded(vault, christmas_eve, D(2027, 1, 4), "Mosaic case note 123")
    assert listed(D(2027, 1, 4))[0] == []


def test_every_rule_of_a_profile_is_described_with_its_policy_reference() -> None:
    from supervision_desktop.domain.policy import cite, describe_profile
    from supervision_desktop.services.compliance import profiles

    for profile in profiles().profiles:
        text = describe_profile(profile)
        assert text.startswith(f"{profile.title} (id {profile.id})")
        for group, rule in profile.staff_supervision.groups.items():
            if rule is not None:
                assert f"[{cite(rule.ref)}]" in text, (profile.id, group)
        for case in profile.case_discussion.rules.values():
            assert f"[{cite(case.ref)}]" in text
        if profile.appraisal:
            assert f"Appraisal: {profile.appraisal.every.every()}" in text
