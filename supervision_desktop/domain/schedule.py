"""When the next session is due, from a policy profile and the sessions held so far.

Pure functions, no storage. The rules, as encoded here:

- The next session is due one interval after the last one held. With none held yet it
  is due one interval after the later of the supervisee's start date and the day they
  were added to the vault (nothing before that can be known).
- The interval is the phase in force on the day of the last session, counted from the
  start date: an NQSW seen in week 5 is next due a week later, one seen at 7 weeks a
  fortnight later. Without a start date the last (steady) phase applies.
- An agreed deviation (Kent §6.1) replaces the profile's interval for that person from
  the day it was agreed.
- A child's case is due by the shortest of the rules that apply to them (their plan,
  16+, matched or not, and the profile's "every case" rule).
- Status: ``overdue`` after the due date, ``due`` from ``due_soon_days`` before it,
  otherwise ``ok``; ``no_rule`` when the profile sets no frequency for that person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_serializer

from supervision_desktop.domain.policy import CASE_LABELS, Period, PolicyProfile, StaffRule


class DueStatus(StrEnum):
    OK = "ok"
    DUE = "due"
    OVERDUE = "overdue"
    NO_RULE = "no_rule"


SEVERITY = {DueStatus.OVERDUE: 0, DueStatus.DUE: 1, DueStatus.OK: 2, DueStatus.NO_RULE: 3}


@dataclass(frozen=True)
class RuleRef:
    """Which rule of which profile set a date, and where the policy says so."""

    profile_id: Annotated[str, Field(serialization_alias="profile")]
    rule_id: Annotated[str, Field(serialization_alias="id")]
    ref: str
    summary: str


@dataclass(frozen=True)
class Deviation:
    """A permanent change to one person's frequency, agreed and approved (Kent §6.1)."""

    every: Period
    agreed_on: dt.date
    reason: str
    approved_by: str

    @field_serializer("every")
    def _every_in_words(self, every: Period) -> str:
        return every.describe()  # "6 weeks"


def status_of(next_due: dt.date, as_of: dt.date, window_days: int) -> tuple[DueStatus, int]:
    """The status on ``as_of`` of something due on ``next_due``, and days overdue."""
    days_left = (next_due - as_of).days
    if days_left < 0:
        return DueStatus.OVERDUE, -days_left
    if days_left <= window_days:
        return DueStatus.DUE, 0
    return DueStatus.OK, 0


# --- staff supervision ---------------------------------------------------------------


def staff_rule_ref(profile: PolicyProfile, group: str) -> RuleRef | None:
    rule = profile.staff_rule(group)
    if rule is None:
        return None
    return RuleRef(profile.id, f"staff_supervision.{group}", rule.ref, rule.describe())


def deviation_ref(profile: PolicyProfile, deviation: Deviation) -> RuleRef:
    ref = profile.deviations.ref if profile.deviations else ""
    return RuleRef(
        profile.id, "deviation", ref,
        f"{deviation.every.every()} (agreed deviation, approved by {deviation.approved_by})",
    )


def _in_force(deviation: Deviation | None, as_of: dt.date) -> Deviation | None:
    return deviation if deviation is not None and deviation.agreed_on <= as_of else None


def next_supervision(
    rule: StaffRule,
    *,
    start: dt.date | None,
    last_session: dt.date | None,
    added_on: dt.date,
    as_of: dt.date,
    deviation: Deviation | None = None,
) -> dt.date:
    """The date the next staff supervision session is due."""
    if last_session is not None:
        base = last_session
    else:
        base = max(d for d in (start, added_on) if d is not None)
    agreed = _in_force(deviation, as_of)
    period = agreed.every if agreed is not None else rule.phase_on(start, base).every
    return period.after(base)


def supervision_sequence(
    rule: StaffRule, start: dt.date, count: int, deviation: Deviation | None = None
) -> list[dt.date]:
    """The due dates of someone who starts on ``start`` and is seen on every due date."""
    dates: list[dt.date] = []
    last: dt.date | None = None
    for _ in range(count):
        due = next_supervision(rule, start=start, last_session=last, added_on=start,
                               as_of=last or start, deviation=deviation)
        dates.append(due)
        last = due
    return dates


# --- case discussion -----------------------------------------------------------------


def age_on(dob: dt.date | None, day: dt.date) -> int | None:
    if dob is None:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def case_keys(plan: str, *, age: int | None, matched: bool) -> list[str]:
    """The case-discussion rules a child falls under, most specific first."""
    keys: list[str] = []
    if plan in ("child_protection", "child_in_need", "care_leaver"):
        keys.append(plan)
    elif plan == "looked_after":
        keys.append("looked_after_matched" if matched else "looked_after_not_matched")
        if age is not None and age >= 16:
            keys.append("sixteen_plus")
    keys.append("all_cases")
    return keys


def binding_case_rule(profile: PolicyProfile, keys: list[str]) -> tuple[RuleRef, Period] | None:
    """The shortest interval among the rules that apply, or None if none does."""
    rules = profile.case_discussion.rules
    found = [(key, rules[key]) for key in keys if key in rules]
    if not found:
        return None
    key, rule = min(found, key=lambda item: item[1].every.approximate_days())
    summary = f"{CASE_LABELS[key]}: {rule.every.every()}"
    return RuleRef(profile.id, f"case_discussion.{key}", rule.ref, summary), rule.every


def next_case_discussion(
    period: Period,
    *,
    last_discussion: dt.date | None,
    added_on: dt.date,
    as_of: dt.date,
    deviation: Deviation | None = None,
) -> dt.date:
    base = last_discussion if last_discussion is not None else added_on
    agreed = _in_force(deviation, as_of)
    return (agreed.every if agreed is not None else period).after(base)
