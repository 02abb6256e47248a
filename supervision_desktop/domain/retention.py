"""Retention rules: how long records are kept, as data, and which records are past it.

A rules file is YAML (format in ``resources/retention/README.md``): an ordered list of
rules, each matching records by the template's category and the kind of person the
record is about, and saying how long after what the record is kept. The first rule that
matches a record applies to it. Every rule carries ``ref``: the seed sentence it
encodes, or a plain statement that the seeds are silent. A rule with ``keep: null``
keeps records until the agency sets a period: nothing is ever due under it.

Pure: given people, records and today, `assess` says for every record which rule
applies, the date it falls due (if any) and whether that date has passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from supervision_desktop.domain import safe_input
from supervision_desktop.domain.dates import uk_date
from supervision_desktop.domain.templates import Category, SubjectKind, _describe_location
from supervision_desktop.domain.yaml_lines import FileProblems, line_of, read_yaml

RULE_ID_PATTERN = r"^[a-z][a-z0-9-]*$"
Anchor = Literal["subject_ended", "session_date"]
ANCHOR_LABELS: dict[str, str] = {
    "subject_ended": "after the person's work ended (left, approval ended, case closed)",
    "session_date": "after the session date",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Keep(_Strict):
    """A retention period in whole years and/or months: ``{years: 6}``."""

    years: int = Field(default=0, ge=0, le=150)
    months: int = Field(default=0, ge=0, le=1800)

    @model_validator(mode="after")
    def _not_zero(self) -> Keep:
        if not (self.years or self.months):
            raise ValueError("a retention period is more than zero years or months")
        return self

    def after(self, day: dt.date) -> dt.date:
        """``day`` plus the period (29 February + 1 year = 28 February)."""
        return day + relativedelta(years=self.years, months=self.months)

    def describe(self) -> str:
        parts = []
        if self.years:
            parts.append(f"{self.years} year" + ("s" if self.years != 1 else ""))
        if self.months:
            parts.append(f"{self.months} month" + ("s" if self.months != 1 else ""))
        return " and ".join(parts)


class AppliesTo(_Strict):
    """Which records a rule is for; an empty list matches any."""

    categories: tuple[Category, ...] = ()
    subject_kinds: tuple[SubjectKind, ...] = ()

    def matches(self, category: str, subject_kind: str) -> bool:
        return ((not self.categories or category in self.categories)
                and (not self.subject_kinds or subject_kind in self.subject_kinds))


class RetentionRule(_Strict):
    id: str = Field(pattern=RULE_ID_PATTERN)
    title: str = Field(min_length=1)
    applies_to: AppliesTo = AppliesTo()
    keep: Keep | None  # None: kept until the agency sets a period (never due)
    after: Anchor = "subject_ended"
    ref: str = Field(min_length=1, description="the seed sentence, or that the seeds are silent")
    note: str = ""

    def describe(self) -> str:
        if self.keep is None:
            return f"{self.title}: kept until a retention period is set (none is set)"
        return f"{self.title}: kept {self.keep.describe()} {ANCHOR_LABELS[self.after]}"


class RetentionRules(_Strict):
    id: str = Field(pattern=RULE_ID_PATTERN)
    title: str = Field(min_length=1)
    rules: tuple[RetentionRule, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> RetentionRules:
        if not self.rules:
            raise ValueError("a rules file needs at least one rule")
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule id '{rule.id}' is used twice")
            seen.add(rule.id)
        return self

    def rule_for(self, category: str, subject_kind: str) -> RetentionRule | None:
        return next((r for r in self.rules if r.applies_to.matches(category, subject_kind)),
                    None)

    def get(self, rule_id: str) -> RetentionRule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def snapshot(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_snapshot(cls, text: str) -> RetentionRules:
        return cls.model_validate_json(text)


class RetentionError(FileProblems):
    """A rules file that cannot be used; the message names the file and the rule,
    ``located`` the line of each problem."""


def parse_rules(data: Any, path: Path | str, text: str | None = None) -> RetentionRules:
    """Validate rules' parsed YAML; ``text`` (the file's) gives problems lines."""
    if not isinstance(data, dict):
        raise RetentionError(path, ["must be a mapping with id, title and rules"])
    try:
        return RetentionRules.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        # a problem with the whole file (no location) is the file's: the message names it
        problems = [(f"{_describe_location(data, e['loc'])}: " if e["loc"] else "")
                    + e["msg"].removeprefix("Value error, ") for e in errors]
        lines = [line_of(text, e["loc"]) if text is not None else 1 for e in errors]
        raise RetentionError(path, problems, lines) from None


def load_rules(path: Path | str) -> RetentionRules:
    path = Path(path)
    try:
        data, text = read_yaml(path)
    except safe_input.InputProblem as exc:
        raise RetentionError.unreadable(path, exc.problem) from None
    return parse_rules(data, path, text)


# --- assessing records ---------------------------------------------------------------


@dataclass(frozen=True)
class PersonFacts:
    id: str
    kind: str
    ended_on: dt.date | None


@dataclass(frozen=True)
class RecordFacts:
    id: str
    category: str  # the template's category
    subject_kind: str  # the template's subject kind
    subject_id: str | None
    session_date: dt.date | None


@dataclass(frozen=True)
class Assessment:
    record_id: str
    rule: RetentionRule | None
    due_on: dt.date | None  # when the record may be destroyed; None: not (yet) known
    why: str  # plain words: why it is due, or why it is not

    def is_due(self, today: dt.date) -> bool:
        return self.due_on is not None and self.due_on <= today


def assess_record(rules: RetentionRules, record: RecordFacts,
                  people: dict[str, PersonFacts]) -> Assessment:
    rule = rules.rule_for(record.category, record.subject_kind)
    if rule is None:
        return Assessment(record.id, None, None, "no retention rule applies: kept")
    if rule.keep is None:
        return Assessment(record.id, rule, None, "no retention period is set for these records")
    if rule.after == "session_date":
        if record.session_date is None:
            return Assessment(record.id, rule, None, "the record has no session date yet")
        due = rule.keep.after(record.session_date)
        return Assessment(record.id, rule, due,
                          f"{rule.keep.describe()} after the session on {_uk(record.session_date)}")
    person = people.get(record.subject_id or "")
    if person is None:
        return Assessment(record.id, rule, None, "the record is about no one: kept")
    if person.ended_on is None:
        return Assessment(record.id, rule, None, "the person's work has not ended")
    # a session recorded after the end date (late write-up) keeps the record longer
    start = max(person.ended_on, record.session_date or person.ended_on)
    due = rule.keep.after(start)
    return Assessment(record.id, rule, due,
                      f"{rule.keep.describe()} after the work ended on {_uk(person.ended_on)}")


def assess(rules: RetentionRules, people: Iterable[PersonFacts],
           records: Iterable[RecordFacts]) -> list[Assessment]:
    by_id = {p.id: p for p in people}
    return [assess_record(rules, record, by_id) for record in records]


def due_for_disposal(rules: RetentionRules, people: Iterable[PersonFacts],
                     records: Iterable[RecordFacts], today: dt.date) -> list[Assessment]:
    """The records whose retention date has come (on or before ``today``), oldest first."""
    due = [a for a in assess(rules, people, records) if a.is_due(today)]
    return sorted(due, key=lambda a: (a.due_on or dt.date.min, a.record_id))


def describe_rules(rules: RetentionRules) -> str:
    lines = [f"{rules.title} (id {rules.id})"]
    for rule in rules.rules:
        applies = []
        if rule.applies_to.categories:
            applies.append("categories " + ", ".join(rule.applies_to.categories))
        if rule.applies_to.subject_kinds:
            applies.append("about a " + " or ".join(rule.applies_to.subject_kinds))
        lines.append(f"  {rule.describe()}")
        lines.append(f"    applies to: {'; '.join(applies) or 'every record'}")
        lines.append(f"    source: {rule.ref}")
        if rule.note:
            lines.append(f"    note: {rule.note}")
    return "\n".join(lines)


def _uk(day: dt.date) -> str:
    return uk_date(day)
