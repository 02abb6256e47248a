"""The shipped policy profiles as tables of cases, worked out by hand from the seed text.

Each row: who (profile, staff group or child's plan), start date, date added to the vault,
last session, agreed deviation, the day asked about → the next due date and the status
that day. Every boundary has a row on each side of it: due today, due in exactly the
due-soon window (7 days in every shipped profile) and one day more, the day a cadence
phase ends, month ends and leap years, bank holidays in working-day deadlines.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pytest

from supervision_desktop.domain import schedule
from supervision_desktop.domain.policy import Period, PolicyProfile
from supervision_desktop.domain.schedule import Deviation, DueStatus
from supervision_desktop.domain.working_days import add_working_days
from supervision_desktop.services import compliance, people, records
from supervision_desktop.services.compliance import get_profile
from supervision_desktop.services.templates import get_template
from supervision_desktop.store.models import Record
from supervision_desktop.store.vault import Vault

D = dt.date
OK, DUE, OVERDUE = DueStatus.OK, DueStatus.DUE, DueStatus.OVERDUE


def _deviation(every: str, agreed_on: dt.date) -> Deviation:
    return Deviation(Period.parse(every), agreed_on, "agreed in supervision", "Service Manager")


class StaffCase(NamedTuple):
    profile: str
    group: str
    start: dt.date | None
    added: dt.date
    last: dt.date | None
    deviation: Deviation | None
    as_of: dt.date
    next_due: dt.date
    status: DueStatus
    days_overdue: int = 0


STAFF_CASES = {
    # --- Lambeth NQSW (003 §3.3 line 312): weekly to 6 weeks, fortnightly to 6 months,
    # then monthly; started Monday 05/01/2026, so weekly until 16/02, fortnightly until 05/07.
    "lambeth nqsw, none held: a week after starting":
        StaffCase("lambeth", "nqsw", D(2026, 1, 5), D(2026, 1, 5), None, None,
                  D(2026, 1, 4), D(2026, 1, 12), OK),
    "lambeth nqsw, due in exactly 7 days is due":
        StaffCase("lambeth", "nqsw", D(2026, 1, 5), D(2026, 1, 5), None, None,
                  D(2026, 1, 5), D(2026, 1, 12), DUE),
    "lambeth nqsw, due today is due, not overdue":
        StaffCase("lambeth", "nqsw", D(2026, 1, 5), D(2026, 1, 5), None, None,
                  D(2026, 1, 12), D(2026, 1, 12), DUE),
    "lambeth nqsw, the day after is 1 day overdue":
        StaffCase("lambeth", "nqsw", D(2026, 1, 5), D(2026, 1, 5), None, None,
                  D(2026, 1, 13), D(2026, 1, 12), OVERDUE, 1),
    "lambeth nqsw, seen the day before week 6 ends: still weekly":
        StaffCase("lambeth", "nqsw", D(2026, 1, 5), D(2026, 1, 5), D(2026, 2, 15), None,
                  D(2026, 2, 15), D(2026, 2, 22), DUE),
    "lambeth nqsw, seen the day week 6 ends: fortnightly":
        StaffCase("lambeth", "nqsw", D(2026, 1, 5), D(2026, 1, 5), D(2026, 2, 16), None,
                  D(2026, 2, 16), D(2026, 3, 2), OK),
    "lambeth nqsw, seen the day before 6 months: still fortnightly":
        StaffCase("lambeth", "nqsw", D(2026, 1, 5), D(2026, 1, 5), D(2026, 7, 4), None,
                  D(2026, 7, 4), D(2026, 7, 18), OK),
    "lambeth nqsw, seen on the 6-month day: monthly":
        StaffCase("lambeth", "nqsw", D(2026, 1, 5), D(2026, 1, 5), D(2026, 7, 5), None,
                  D(2026, 7, 5), D(2026, 8, 5), OK),
    "lambeth nqsw, no start date: the steady monthly phase":
        StaffCase("lambeth", "nqsw", None, D(2026, 1, 5), D(2026, 1, 20), None,
                  D(2026, 1, 20), D(2026, 2, 20), OK),
    # --- first session: counted from the later of start date and date added
    "lambeth social worker, added after starting: from the day added":
        StaffCase("lambeth", "social_worker", D(2026, 1, 5), D(2026, 3, 1), None, None,
                  D(2026, 3, 1), D(2026, 4, 12), OK),
    "lambeth social worker, starting after being added: from the start date":
        StaffCase("lambeth", "social_worker", D(2026, 3, 10), D(2026, 3, 1), None, None,
                  D(2026, 3, 1), D(2026, 4, 21), OK),
    "lambeth social worker, every 6 weeks from the last session":
        StaffCase("lambeth", "social_worker", D(2020, 1, 6), D(2024, 1, 1), D(2026, 10, 1),
                  None, D(2026, 11, 12), D(2026, 11, 12), DUE),
    # --- Kent (004 §6.1): monthly; month ends and leap years
    "kent social worker, 31 January + 1 month is 28 February":
        StaffCase("kent", "social_worker", None, D(2025, 1, 1), D(2026, 1, 31), None,
                  D(2026, 2, 20), D(2026, 2, 28), OK),
    "kent social worker, in a leap year 29 February":
        StaffCase("kent", "social_worker", None, D(2023, 1, 1), D(2024, 1, 31), None,
                  D(2024, 2, 22), D(2024, 2, 29), DUE),
    "kent social worker, seen on a leap day: 29 March":
        StaffCase("kent", "social_worker", None, D(2027, 1, 1), D(2028, 2, 29), None,
                  D(2028, 3, 30), D(2028, 3, 29), OVERDUE, 1),
    # Kent NQSW: every 2 weeks for 6 months, every 3 weeks to 12 months, then monthly
    "kent nqsw, the day before 6 months: fortnightly":
        StaffCase("kent", "nqsw", D(2026, 1, 1), D(2026, 1, 1), D(2026, 6, 30), None,
                  D(2026, 6, 30), D(2026, 7, 14), OK),
    "kent nqsw, on the 6-month day: every 3 weeks":
        StaffCase("kent", "nqsw", D(2026, 1, 1), D(2026, 1, 1), D(2026, 7, 1), None,
                  D(2026, 7, 1), D(2026, 7, 22), OK),
    "kent nqsw, the day before 12 months: every 3 weeks":
        StaffCase("kent", "nqsw", D(2026, 1, 1), D(2026, 1, 1), D(2026, 12, 31), None,
                  D(2027, 1, 14), D(2027, 1, 21), DUE),
    "kent nqsw, on the 12-month day: monthly":
        StaffCase("kent", "nqsw", D(2026, 1, 1), D(2026, 1, 1), D(2027, 1, 1), None,
                  D(2027, 1, 1), D(2027, 2, 1), OK),
    "kent support staff, fortnightly for the first 3 months":
        StaffCase("kent", "support_staff", D(2026, 9, 1), D(2026, 9, 1), D(2026, 11, 30), None,
                  D(2026, 12, 3), D(2026, 12, 14), OK),
    "kent support staff, monthly from 3 months":
        StaffCase("kent", "support_staff", D(2026, 9, 1), D(2026, 9, 1), D(2026, 12, 1), None,
                  D(2026, 12, 3), D(2027, 1, 1), OK),
    # --- an agreed deviation (004 §6.1 line 159) replaces the interval from its day
    "kent, a 6-weekly deviation agreed before the day asked about":
        StaffCase("kent", "social_worker", None, D(2025, 1, 1), D(2026, 3, 10),
                  _deviation("6 weeks", D(2026, 3, 1)), D(2026, 3, 15), D(2026, 4, 21), OK),
    "kent, a deviation agreed on the day asked about is in force":
        StaffCase("kent", "social_worker", None, D(2025, 1, 1), D(2026, 2, 20),
                  _deviation("6 weeks", D(2026, 3, 1)), D(2026, 3, 1), D(2026, 4, 3), OK),
    "kent, a deviation agreed after the day asked about is not yet":
        StaffCase("kent", "social_worker", None, D(2025, 1, 1), D(2026, 2, 20),
                  _deviation("6 weeks", D(2026, 3, 1)), D(2026, 2, 28), D(2026, 3, 20), OK),
    # --- Birmingham IFA (001 line 122): monthly; Walsall (002 line 9): monthly
    "birmingham-ifa social worker, monthly":
        StaffCase("birmingham-ifa", "social_worker", None, D(2025, 1, 1), D(2026, 11, 3), None,
                  D(2026, 12, 3), D(2026, 12, 3), DUE),
    "birmingham-ifa nqsw, weekly in the first 6 weeks":
        StaffCase("birmingham-ifa", "nqsw", D(2026, 11, 2), D(2026, 11, 2), D(2026, 11, 23),
                  None, D(2026, 12, 1), D(2026, 11, 30), OVERDUE, 1),
    "walsall nqsw, monthly from the start (002 gives no NQSW phase)":
        StaffCase("walsall", "nqsw", D(2026, 11, 2), D(2026, 11, 2), None, None,
                  D(2026, 11, 24), D(2026, 12, 2), OK),
}


@pytest.mark.parametrize("case", STAFF_CASES.values(), ids=STAFF_CASES.keys())
def test_staff_supervision_due_dates(case: StaffCase) -> None:
    profile = get_profile(case.profile)
    rule = profile.staff_rule(case.group)
    assert rule is not None
    next_due = schedule.next_supervision(rule, start=case.start, last_session=case.last,
                                         added_on=case.added, as_of=case.as_of,
                                         deviation=case.deviation)
    assert next_due == case.next_due
    status = schedule.status_of(next_due, case.as_of, profile.due_soon_days)
    assert status == (case.status, case.days_overdue)


def test_every_shipped_profile_calls_seven_days_due_soon() -> None:
    """The tables above assume it: a profile that changes it must get its own rows."""
    assert {get_profile(p).due_soon_days for p in
            ("lambeth", "kent", "walsall", "birmingham-ifa", "custom")} == {7}


class CaseCase(NamedTuple):
    profile: str
    plan: str
    matched: bool
    dob: dt.date | None
    added: dt.date
    last: dt.date | None
    as_of: dt.date
    rule: str
    next_due: dt.date


CASE_CASES = {
    "walsall child protection, every 2 months (002 line 19), from a month end":
        CaseCase("walsall", "child_protection", False, D(2015, 5, 1), D(2026, 1, 1),
                 D(2026, 12, 31), D(2027, 1, 10), "case_discussion.child_protection",
                 D(2027, 2, 28)),
    "walsall looked after and matched: 3 months beats every case's 6":
        CaseCase("walsall", "looked_after", True, D(2015, 5, 1), D(2026, 1, 1),
                 D(2026, 9, 15), D(2026, 10, 1), "case_discussion.looked_after_matched",
                 D(2026, 12, 15)),
    "walsall looked after, not matched: only every case's 6 months (002 line 17)":
        CaseCase("walsall", "looked_after", False, D(2015, 5, 1), D(2026, 1, 1),
                 D(2026, 9, 15), D(2026, 10, 1), "case_discussion.all_cases", D(2027, 3, 15)),
    "lambeth child protection, every 4 weeks; none held: from the day added":
        CaseCase("lambeth", "child_protection", False, D(2015, 5, 1), D(2026, 11, 2), None,
                 D(2026, 11, 2), "case_discussion.child_protection", D(2026, 11, 30)),
    "custom looked after matched, 15 the day before their birthday: 3 months":
        CaseCase("custom", "looked_after", True, D(2010, 12, 4), D(2026, 1, 1),
                 D(2026, 11, 1), D(2026, 12, 3), "case_discussion.looked_after_matched",
                 D(2027, 2, 1)),
    "custom looked after matched, 16 on their birthday: the 16+ 8 weeks":
        CaseCase("custom", "looked_after", True, D(2010, 12, 3), D(2026, 1, 1),
                 D(2026, 11, 1), D(2026, 12, 3), "case_discussion.sixteen_plus",
                 D(2026, 12, 27)),
    "kent child in need: only every case, 3 months (004 §9 line 225)":
        CaseCase("kent", "child_in_need", False, D(2015, 5, 1), D(2026, 1, 1),
                 D(2026, 11, 30), D(2026, 12, 3), "case_discussion.all_cases", D(2027, 2, 28)),
}


@pytest.mark.parametrize("case", CASE_CASES.values(), ids=CASE_CASES.keys())
def test_case_discussion_due_dates(case: CaseCase) -> None:
    profile: PolicyProfile = get_profile(case.profile)
    keys = schedule.case_keys(case.plan, age=schedule.age_on(case.dob, case.as_of),
                              matched=case.matched)
    found = schedule.binding_case_rule(profile, keys)
    assert found is not None
    ref, period = found
    assert ref.rule_id == case.rule
    assert schedule.next_case_discussion(period, last_discussion=case.last,
                                         added_on=case.added, as_of=case.as_of) == case.next_due


def test_a_profile_with_no_rule_for_a_plan_says_so() -> None:
    """Kent's only case rule is "every case"; a profile without one has nothing due."""
    birmingham = get_profile("birmingham-ifa")
    assert schedule.binding_case_rule(birmingham, ["child_protection", "all_cases"]) is None


UPLOAD_CASES = {
    # Lambeth: 2 working days (003 §4 line 345)
    "a Monday session: Wednesday": (D(2026, 11, 30), 2, D(2026, 12, 2)),
    "a Friday session: Tuesday": (D(2026, 11, 27), 2, D(2026, 12, 1)),
    "a Saturday session: counted from Monday, so Tuesday": (D(2026, 11, 28), 2, D(2026, 12, 1)),
    "Christmas Eve 2026: Christmas, the weekend and the Boxing Day substitute (28/12) "
    "skipped": (D(2026, 12, 24), 2, D(2026, 12, 30)),
    "before Easter 2026: Good Friday 03/04 and Easter Monday 06/04 skipped":
        (D(2026, 4, 2), 2, D(2026, 4, 8)),
    "the early May bank holiday 04/05/2026 skipped": (D(2026, 5, 1), 2, D(2026, 5, 6)),
    # Kent: 5 working days (004 §12.1 line 278)
    "Kent, a Saturday session: the Friday after": (D(2026, 11, 21), 5, D(2026, 11, 27)),
    "Kent, a leap day 29/02/2028 (Tuesday): the Tuesday after": (D(2028, 2, 29), 5,
                                                                  D(2028, 3, 7)),
}


@pytest.mark.parametrize("start, days, deadline", UPLOAD_CASES.values(),
                         ids=UPLOAD_CASES.keys())
def test_upload_deadlines_in_working_days(start: dt.date, days: int, deadline: dt.date) -> None:
    assert add_working_days(start, days) == deadline


def test_the_shipped_upload_rules() -> None:
    lambeth, kent = get_profile("lambeth").upload, get_profile("kent").upload
    assert lambeth is not None and kent is not None
    assert (lambeth.working_days, lambeth.categories) == (2, ())
    assert (kent.working_days, kent.categories) == (
        5, ("case_discussion", "oversight", "group_discussion"))


def test_kent_upload_deadlines_only_for_the_categories_it_names(vault: Vault) -> None:
    """004 §12.1 line 278 sets the week for case records; staff supervision minutes have
    no upload deadline under Kent, while Lambeth's 2 days cover every record."""
    child = people.add_person(vault, "child", {"name": "Kai Example", "plan": "child_in_need"})
    worker = people.add_person(vault, "supervisee", {"name": "Ffion Hughes"})
    discussion = records.create_record(vault, get_template("case-discussion-family"),
                                       subject_id=child.id, session_date=D(2026, 11, 21))
    supervision = records.create_record(vault, get_template("personal-supervision"),
                                        subject_id=worker.id, session_date=D(2026, 11, 21))
    with vault.transaction() as session:  # as the export service leaves them
        for record_id in (discussion, supervision):
            session.get_one(Record, record_id).status = "exported"

    def deadlines() -> dict[str, dt.date | None]:
        report = compliance.due_report(vault, D(2026, 11, 23))
        return {r.record_id: r.upload_deadline for r in report.not_uploaded}

    compliance.set_profile(vault, "kent")
    assert deadlines() == {discussion: D(2026, 11, 27), supervision: None}
    compliance.set_profile(vault, "lambeth")
    assert deadlines() == {discussion: D(2026, 11, 24), supervision: D(2026, 11, 24)}
