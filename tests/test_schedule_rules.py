"""The due-date rules of schedule.py pinned at their boundaries, with literal dates.

Every expected value is worked out by hand from the seed policy named beside it (003
Lambeth, 004 Kent, 001 Birmingham IFA, 002 Walsall), never with the code under test.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from supervision_desktop.cli.common import json_data, json_text
from supervision_desktop.domain import schedule
from supervision_desktop.domain.policy import Period
from supervision_desktop.domain.schedule import SEVERITY, Deviation, DueStatus, RuleRef
from supervision_desktop.services.compliance import get_profile

D = dt.date
OK, DUE, OVERDUE, NO_RULE = DueStatus.OK, DueStatus.DUE, DueStatus.OVERDUE, DueStatus.NO_RULE


def _deviation(every: Period, agreed_on: dt.date) -> Deviation:
    return Deviation(every, agreed_on, "Works 15 hours a week", "Priya Shah, Service Manager")


# --- status --------------------------------------------------------------------------


STATUS_CASES = {
    "due in 8 days with a 7-day window is ok": (D(2026, 12, 12), D(2026, 12, 4), 7, (OK, 0)),
    "due in exactly 7 days is due": (D(2026, 12, 11), D(2026, 12, 4), 7, (DUE, 0)),
    "due tomorrow is due": (D(2026, 12, 5), D(2026, 12, 4), 7, (DUE, 0)),
    "due today is due, not overdue": (D(2026, 12, 4), D(2026, 12, 4), 7, (DUE, 0)),
    "due yesterday is 1 day overdue": (D(2026, 12, 3), D(2026, 12, 4), 7, (OVERDUE, 1)),
    "due a month ago is 30 days overdue": (D(2026, 11, 4), D(2026, 12, 4), 7, (OVERDUE, 30)),
    "over a leap day: 28 Feb to 1 Mar 2028 is 2 days overdue":
        (D(2028, 2, 28), D(2028, 3, 1), 7, (OVERDUE, 2)),
    "a window of 0 days: due today is due": (D(2026, 12, 4), D(2026, 12, 4), 0, (DUE, 0)),
    "a window of 0 days: due tomorrow is ok": (D(2026, 12, 5), D(2026, 12, 4), 0, (OK, 0)),
    "a 60-day window: due in 60 days is due": (D(2027, 2, 2), D(2026, 12, 4), 60, (DUE, 0)),
    "a 60-day window: due in 61 days is ok": (D(2027, 2, 3), D(2026, 12, 4), 60, (OK, 0)),
}


@pytest.mark.parametrize("next_due, as_of, window, expected", STATUS_CASES.values(),
                         ids=STATUS_CASES.keys())
def test_status_at_the_edges_of_the_due_soon_window(
        next_due: dt.date, as_of: dt.date, window: int,
        expected: tuple[DueStatus, int]) -> None:
    assert schedule.status_of(next_due, as_of, window) == expected


def test_statuses_are_named_and_ranked_most_urgent_first() -> None:
    assert [s.value for s in (OK, DUE, OVERDUE, NO_RULE)] == ["ok", "due", "overdue", "no_rule"]
    assert SEVERITY == {OVERDUE: 0, DUE: 1, OK: 2, NO_RULE: 3}
    assert sorted(DueStatus, key=SEVERITY.__getitem__) == [OVERDUE, DUE, OK, NO_RULE]


# --- which rule set a date -----------------------------------------------------------


STAFF_REFS = {
    "lambeth social worker, every 6 weeks (003 line 267)": (
        "lambeth", "social_worker",
        RuleRef("lambeth", "staff_supervision.social_worker", "003 §3 table line 267",
                "every 6 weeks")),
    "kent nqsw, three phases (004 lines 129 and 137)": (
        "kent", "nqsw",
        RuleRef("kent", "staff_supervision.nqsw", "004 §6.1 lines 129 and 137",
                "every 2 weeks for the first 6 months, then every 3 weeks until 12 months, "
                "then monthly")),
    "birmingham support staff, monthly (001 line 122)": (
        "birmingham-ifa", "support_staff",
        RuleRef("birmingham-ifa", "staff_supervision.support_staff", "001 Frequency line 122",
                "monthly")),
}


@pytest.mark.parametrize("profile_id, group, expected", STAFF_REFS.values(),
                         ids=STAFF_REFS.keys())
def test_a_staff_due_date_names_the_rule_that_set_it(profile_id: str, group: str,
                                                     expected: RuleRef) -> None:
    assert schedule.staff_rule_ref(get_profile(profile_id), group) == expected


def test_a_staff_group_without_a_frequency_has_no_rule() -> None:
    # custom.yaml: "support_staff: null  # your policy sets no frequency for this group"
    assert schedule.staff_rule_ref(get_profile("custom"), "support_staff") is None


def test_a_rule_reference_as_the_report_writes_it() -> None:
    ref = schedule.staff_rule_ref(get_profile("walsall"), "team_manager")
    assert ref is not None
    assert json_data(ref) == {"profile": "walsall", "id": "staff_supervision.team_manager",
                              "ref": "002 line 9", "summary": "monthly"}


def test_a_deviation_names_who_approved_it_and_the_policy_that_allows_it() -> None:
    # Kent 004 §6.1 line 159: a permanent deviation "approved and signed by the Service
    # Manager".
    deviation = _deviation(Period(weeks=6), D(2026, 10, 5))
    assert schedule.deviation_ref(get_profile("kent"), deviation) == RuleRef(
        "kent", "deviation", "004 §6.1 line 159",
        "every 6 weeks (agreed deviation, approved by Priya Shah, Service Manager)")
    weekly = _deviation(Period(weeks=1), D(2026, 10, 5))
    assert schedule.deviation_ref(get_profile("lambeth"), weekly) == RuleRef(
        "lambeth", "deviation", "003 §3.1 line 255",
        "weekly (agreed deviation, approved by Priya Shah, Service Manager)")


def test_a_deviation_under_a_profile_without_a_deviation_clause_cites_nothing() -> None:
    # Walsall 002 has no clause on deviations; one recorded in the vault still applies.
    deviation = _deviation(Period(months=2), D(2026, 10, 5))
    assert schedule.deviation_ref(get_profile("walsall"), deviation) == RuleRef(
        "walsall", "deviation", "",
        "every 2 months (agreed deviation, approved by Priya Shah, Service Manager)")


def test_a_deviation_as_the_report_writes_it() -> None:
    deviation = _deviation(Period(weeks=6), D(2026, 10, 5))
    assert json.loads(json_text(deviation)) == {
        "every": "6 weeks", "agreed_on": "2026-10-05", "reason": "Works 15 hours a week",
        "approved_by": "Priya Shah, Service Manager"}


# --- staff supervision ---------------------------------------------------------------


def _next(profile_id: str, group: str, *, start: dt.date | None, last: dt.date | None,
          added: dt.date, as_of: dt.date, deviation: Deviation | None = None) -> dt.date:
    rule = get_profile(profile_id).staff_rule(group)
    assert rule is not None
    return schedule.next_supervision(rule, start=start, last_session=last, added_on=added,
                                     as_of=as_of, deviation=deviation)


NEXT_SUPERVISION = {
    # (profile, group, start, last session, added to the vault, as of) -> next due
    "lambeth nqsw added 8 weeks in, none held: fortnightly from the day added":
        ("lambeth", "nqsw", D(2026, 1, 5), None, D(2026, 3, 2), D(2026, 3, 2),
         D(2026, 3, 16)),
    "lambeth nqsw added on the day week 6 ends, none held: fortnightly":
        ("lambeth", "nqsw", D(2026, 1, 5), None, D(2026, 2, 16), D(2026, 2, 16),
         D(2026, 3, 2)),
    "lambeth nqsw added the day before week 6 ends, none held: weekly":
        ("lambeth", "nqsw", D(2026, 1, 5), None, D(2026, 2, 15), D(2026, 2, 15),
         D(2026, 2, 22)),
    "lambeth nqsw starting after being added: weekly from the start date":
        ("lambeth", "nqsw", D(2026, 1, 12), None, D(2026, 1, 5), D(2026, 1, 5),
         D(2026, 1, 19)),
    "walsall social worker with no start date, none held: a month after being added":
        ("walsall", "social_worker", None, None, D(2026, 1, 31), D(2026, 2, 1),
         D(2026, 2, 28)),
    "kent nqsw with no start date: monthly, the steady phase (004 line 137)":
        ("kent", "nqsw", None, D(2026, 3, 3), D(2026, 1, 5), D(2026, 3, 3), D(2026, 4, 3)),
    "kent support staff seen the day before 3 months: fortnightly (004 line 143)":
        ("kent", "support_staff", D(2026, 9, 1), D(2026, 11, 30), D(2026, 9, 1),
         D(2026, 11, 30), D(2026, 12, 14)),
    "kent support staff seen on the 3-month day: monthly":
        ("kent", "support_staff", D(2026, 9, 1), D(2026, 12, 1), D(2026, 9, 1),
         D(2026, 12, 1), D(2027, 1, 1)),
    "birmingham nqsw seen on a leap day, 8 weeks in: fortnightly (001 line 122)":
        ("birmingham-ifa", "nqsw", D(2028, 1, 4), D(2028, 2, 29), D(2028, 1, 4),
         D(2028, 2, 29), D(2028, 3, 14)),
}


@pytest.mark.parametrize("profile_id, group, start, last, added, as_of, expected",
                         NEXT_SUPERVISION.values(), ids=NEXT_SUPERVISION.keys())
def test_next_supervision_due(profile_id: str, group: str, start: dt.date | None,
                              last: dt.date | None, added: dt.date, as_of: dt.date,
                              expected: dt.date) -> None:
    assert _next(profile_id, group, start=start, last=last, added=added,
                 as_of=as_of) == expected


DEVIATIONS = {
    # Kent social worker, monthly (004 line 137), last seen 10/03/2026; 6-weekly agreed.
    "agreed the day before: every 6 weeks": (D(2026, 3, 14), D(2026, 4, 21)),
    "agreed on the day asked about: every 6 weeks": (D(2026, 3, 15), D(2026, 4, 21)),
    "agreed the day after: still monthly": (D(2026, 3, 16), D(2026, 4, 10)),
}


@pytest.mark.parametrize("agreed_on, expected", DEVIATIONS.values(), ids=DEVIATIONS.keys())
def test_a_deviation_applies_from_the_day_it_was_agreed(agreed_on: dt.date,
                                                        expected: dt.date) -> None:
    deviation = _deviation(Period(weeks=6), agreed_on)
    assert _next("kent", "social_worker", start=None, last=D(2026, 3, 10),
                 added=D(2025, 1, 1), as_of=D(2026, 3, 15), deviation=deviation) == expected


def test_a_deviation_also_replaces_an_nqsws_first_weeks() -> None:
    # Lambeth NQSW started 05/01/2026 would be weekly; a fortnightly deviation agreed on
    # the start date applies from the first session.
    deviation = _deviation(Period(weeks=2), D(2026, 1, 5))
    assert _next("lambeth", "nqsw", start=D(2026, 1, 5), last=None, added=D(2026, 1, 5),
                 as_of=D(2026, 1, 5), deviation=deviation) == D(2026, 1, 19)


def test_a_sequence_of_sessions_held_on_every_due_date() -> None:
    # Kent support staff started Tuesday 01/09/2026: fortnightly for the first three
    # months (to 01/12/2026, 004 line 143), then monthly. The session of 24/11 is in the
    # first three months (next 08/12); 08/12 is after, so monthly from then on.
    rule = get_profile("kent").staff_rule("support_staff")
    assert rule is not None
    assert schedule.supervision_sequence(rule, D(2026, 9, 1), 9) == [
        D(2026, 9, 15), D(2026, 9, 29), D(2026, 10, 13), D(2026, 10, 27), D(2026, 11, 10),
        D(2026, 11, 24), D(2026, 12, 8), D(2027, 1, 8), D(2027, 2, 8)]
    assert schedule.supervision_sequence(rule, D(2026, 9, 1), 0) == []


def test_a_sequence_with_a_deviation_agreed_later() -> None:
    # Walsall social worker from 31/01/2026, monthly (002 line 9): 28/02, 28/03; a
    # fortnightly deviation agreed 20/03/2026 is in force from the session of 28/03.
    rule = get_profile("walsall").staff_rule("social_worker")
    assert rule is not None
    deviation = _deviation(Period(weeks=2), D(2026, 3, 20))
    assert schedule.supervision_sequence(rule, D(2026, 1, 31), 4, deviation) == [
        D(2026, 2, 28), D(2026, 3, 28), D(2026, 4, 11), D(2026, 4, 25)]


# --- children's cases ----------------------------------------------------------------


AGES = {
    "no date of birth": (None, D(2026, 12, 4), None),
    "the day before the 16th birthday": (D(2010, 12, 5), D(2026, 12, 4), 15),
    "on the 16th birthday": (D(2010, 12, 4), D(2026, 12, 4), 16),
    "the day after the 16th birthday": (D(2010, 12, 3), D(2026, 12, 4), 16),
    "a month before the birthday": (D(2010, 1, 4), D(2025, 12, 4), 15),
    "born on a leap day, 28 February 2026 (no 29th): still 17": (D(2008, 2, 29),
                                                                D(2026, 2, 28), 17),
    "born on a leap day, 1 March 2026: 18": (D(2008, 2, 29), D(2026, 3, 1), 18),
    "born on a leap day, 29 February 2024: 16": (D(2008, 2, 29), D(2024, 2, 29), 16),
}


@pytest.mark.parametrize("dob, day, age", AGES.values(), ids=AGES.keys())
def test_a_childs_age_on_a_day(dob: dt.date | None, day: dt.date, age: int | None) -> None:
    assert schedule.age_on(dob, day) == age


CASE_KEYS = {
    "child protection": ("child_protection", 10, False, ["child_protection", "all_cases"]),
    "child in need": ("child_in_need", 10, False, ["child_in_need", "all_cases"]),
    "care leaver (no 16+ rule: only looked-after children)":
        ("care_leaver", 19, False, ["care_leaver", "all_cases"]),
    "child protection at 17 (no 16+ rule)":
        ("child_protection", 17, False, ["child_protection", "all_cases"]),
    "looked after, not matched, 15":
        ("looked_after", 15, False, ["looked_after_not_matched", "all_cases"]),
    "looked after, matched, 15": ("looked_after", 15, True, ["looked_after_matched", "all_cases"]),
    "looked after, not matched, 16":
        ("looked_after", 16, False, ["looked_after_not_matched", "sixteen_plus", "all_cases"]),
    "looked after, matched, 17":
        ("looked_after", 17, True, ["looked_after_matched", "sixteen_plus", "all_cases"]),
    "looked after, age unknown": ("looked_after", None, False,
                                  ["looked_after_not_matched", "all_cases"]),
    "no plan": ("none", 16, False, ["all_cases"]),
}


@pytest.mark.parametrize("plan, age, matched, keys", CASE_KEYS.values(), ids=CASE_KEYS.keys())
def test_the_case_rules_a_child_falls_under(plan: str, age: int | None, matched: bool,
                                            keys: list[str]) -> None:
    assert schedule.case_keys(plan, age=age, matched=matched) == keys


BINDING = {
    "walsall child protection: 2 months beats every case's 6 (002 lines 19, 17)": (
        "walsall", ["child_protection", "all_cases"],
        RuleRef("walsall", "case_discussion.child_protection", "002 line 19",
                "Child protection plan: every 2 months"), Period(months=2)),
    "walsall looked after, not matched: only every case (002 line 17)": (
        "walsall", ["looked_after_not_matched", "sixteen_plus", "all_cases"],
        RuleRef("walsall", "case_discussion.all_cases", "002 line 17",
                "Every case: every 6 months"), Period(months=6)),
    "lambeth 16+ not matched: 8 weeks each, the plan's rule named first (003 line 254)": (
        "lambeth", ["looked_after_not_matched", "sixteen_plus", "all_cases"],
        RuleRef("lambeth", "case_discussion.looked_after_not_matched", "003 §3.1 line 254",
                "Looked after (not matched): every 8 weeks"), Period(weeks=8)),
    "custom matched 16+: 8 weeks beats 3 months (003 line 256)": (
        "custom", ["looked_after_matched", "sixteen_plus", "all_cases"],
        RuleRef("custom", "case_discussion.sixteen_plus", "003 §3.1 line 256",
                "Young person (16+): every 8 weeks"), Period(weeks=8)),
    "custom matched 15: 3 months each, the plan's rule named first (002 line 20)": (
        "custom", ["looked_after_matched", "all_cases"],
        RuleRef("custom", "case_discussion.looked_after_matched", "002 line 20",
                "Looked after (matched, stable placement): every 3 months"),
        Period(months=3)),
    "kent child protection: only every case, 3 months (004 §9 line 225)": (
        "kent", ["child_protection", "all_cases"],
        RuleRef("kent", "case_discussion.all_cases", "004 §9 line 225",
                "Every case: every 3 months"), Period(months=3)),
}


@pytest.mark.parametrize("profile_id, keys, ref, period", BINDING.values(), ids=BINDING.keys())
def test_the_shortest_case_rule_that_applies_binds(profile_id: str, keys: list[str],
                                                   ref: RuleRef, period: Period) -> None:
    assert schedule.binding_case_rule(get_profile(profile_id), keys) == (ref, period)


def test_a_case_with_no_rule_that_applies_has_none() -> None:
    # Lambeth sets no "every case" rule: a child with no plan has no case frequency.
    assert schedule.binding_case_rule(get_profile("lambeth"), ["all_cases"]) is None
    assert schedule.binding_case_rule(get_profile("birmingham-ifa"),
                                      ["looked_after_matched", "all_cases"]) is None


NEXT_CASE = {
    # Lambeth child protection, every 4 weeks (003 line 253)
    "discussed 01/10/2026: due 29/10": (Period(weeks=4), D(2026, 10, 1), D(2026, 1, 1),
                                        D(2026, 10, 20), None, D(2026, 10, 29)),
    "none held, added 02/11/2026: due 30/11": (Period(weeks=4), None, D(2026, 11, 2),
                                               D(2026, 11, 2), None, D(2026, 11, 30)),
    # Walsall child in need, every 3 months (002 line 21), from a month end
    "discussed 30/11/2027: due 29/02/2028 (leap year)": (Period(months=3), D(2027, 11, 30),
                                                         D(2027, 1, 1), D(2027, 12, 1), None,
                                                         D(2028, 2, 29)),
    "a 6-week deviation agreed the day asked about replaces 4 weeks":
        (Period(weeks=4), D(2026, 10, 1), D(2026, 1, 1), D(2026, 10, 20),
         _deviation(Period(weeks=6), D(2026, 10, 20)), D(2026, 11, 12)),
    "a deviation agreed the day after is not yet in force":
        (Period(weeks=4), D(2026, 10, 1), D(2026, 1, 1), D(2026, 10, 20),
         _deviation(Period(weeks=6), D(2026, 10, 21)), D(2026, 10, 29)),
}


@pytest.mark.parametrize("period, last, added, as_of, deviation, expected",
                         NEXT_CASE.values(), ids=NEXT_CASE.keys())
def test_next_case_discussion_due(period: Period, last: dt.date | None, added: dt.date,
                                  as_of: dt.date, deviation: Deviation | None,
                                  expected: dt.date) -> None:
    assert schedule.next_case_discussion(period, last_discussion=last, added_on=added,
                                         as_of=as_of, deviation=deviation) == expected
