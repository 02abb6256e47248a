"""Policy profiles: an agency's supervision rules as data, parsed strictly.

A profile is a YAML file under ``resources/policies/`` (format documented in
``resources/policies/README.md``): how often each staff group is supervised, how often
each child's case is discussed by plan, when supervision agreements are reviewed, how
long a session lasts at least, and how soon a record is uploaded. Every rule carries
``ref``, the seed document and line it comes from, so a due date can always be traced
back to the sentence in the policy that set it. Unknown keys, missing staff groups and
badly ordered phases are errors naming the file and the rule.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from supervision_desktop.domain import safe_input
from supervision_desktop.domain.people import STAFF_GROUP_LABELS, StaffGroup
from supervision_desktop.domain.templates import Category, Source, _describe_location
from supervision_desktop.domain.yaml_lines import FileProblems, line_of, read_yaml

PROFILE_ID_PATTERN = r"^[a-z][a-z0-9-]*$"
STAFF_GROUPS: tuple[str, ...] = tuple(STAFF_GROUP_LABELS)

# The case-discussion rules a child can fall under; sixteen_plus and the matched /
# not matched split of looked_after are worked out from the child's details.
CaseKey = Literal[
    "child_protection",
    "child_in_need",
    "looked_after_not_matched",
    "looked_after_matched",
    "sixteen_plus",
    "care_leaver",
    "all_cases",
]
CASE_LABELS: dict[str, str] = {
    "child_protection": "Child protection plan",
    "child_in_need": "Child in need",
    "looked_after_not_matched": "Looked after (not matched)",
    "looked_after_matched": "Looked after (matched, stable placement)",
    "sixteen_plus": "Young person (16+)",
    "care_leaver": "Care leaver",
    "all_cases": "Every case",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Period(_Strict):
    """A length of time in one unit: ``{weeks: 6}``, ``{months: 1}`` or ``{days: 10}``."""

    days: int = Field(default=0, ge=0)
    weeks: int = Field(default=0, ge=0)
    months: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _one_unit(self) -> Period:
        if sum(1 for n in (self.days, self.weeks, self.months) if n) != 1:
            raise ValueError("a period is one of days, weeks or months, more than zero")
        return self

    def after(self, day: dt.date) -> dt.date:
        """The date one period after ``day`` (31 January + 1 month = 28 or 29 February)."""
        return day + relativedelta(days=self.days, weeks=self.weeks, months=self.months)

    def approximate_days(self) -> float:
        return self.days + self.weeks * 7 + self.months * 30.44

    def describe(self) -> str:
        number, unit = next(
            (n, u) for n, u in ((self.days, "day"), (self.weeks, "week"), (self.months, "month"))
            if n
        )
        return f"{number} {unit}" + ("s" if number != 1 else "")

    def every(self) -> str:
        """'weekly', 'every 2 weeks', 'monthly', 'every 6 weeks'."""
        if self.weeks == 1:
            return "weekly"
        if self.months == 1:
            return "monthly"
        if self.months == 12:
            return "annually"
        return f"every {self.describe()}"

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read '6 weeks', '1 month', '10 days' (as typed on the command line)."""
        match = re.fullmatch(r"\s*(\d+)\s*(day|week|month)s?\s*", text.lower())
        if not match:
            raise ValueError(f"'{text}' is not a period such as '6 weeks' or '1 month'")
        number, unit = int(match.group(1)), match.group(2) + "s"
        return cls.model_validate({unit: number})


class _Rule(_Strict):
    ref: str = Field(min_length=1, description="seed file, section and line of the rule")
    note: str = ""  # an interpretation made when encoding the rule


class Phase(_Strict):
    every: Period
    until: Period | None = None  # measured from the supervisee's start date


class StaffRule(_Rule):
    """How often one staff group is supervised, in phases from the start date."""

    phases: tuple[Phase, ...]

    @model_validator(mode="after")
    def _phases_in_order(self) -> StaffRule:
        if not self.phases:
            raise ValueError("a staff rule needs at least one phase")
        if self.phases[-1].until is not None:
            raise ValueError("the last phase has no 'until': it applies from then on")
        reference = dt.date(2001, 1, 1)
        previous = reference
        for phase in self.phases[:-1]:
            if phase.until is None:
                raise ValueError("only the last phase may leave out 'until'")
            end = phase.until.after(reference)
            if end <= previous:
                raise ValueError("each phase's 'until' must be later than the one before")
            previous = end
        return self

    def phase_on(self, start: dt.date | None, day: dt.date) -> Phase:
        """The phase in force on ``day`` for someone who started on ``start``."""
        if start is None:
            return self.phases[-1]
        for phase in self.phases:
            if phase.until is None or day < phase.until.after(start):
                return phase
        return self.phases[-1]

    def describe(self) -> str:
        parts = []
        for number, phase in enumerate(self.phases):
            text = phase.every.every()
            if phase.until is not None:
                text += (" for the first " if number == 0 else " until ") + phase.until.describe()
            parts.append(text)
        return ", then ".join(parts)


class StaffSupervision(_Strict):
    counts: tuple[Category, ...] = ("supervision",)  # template categories that are sessions
    groups: dict[StaffGroup, StaffRule | None]

    @model_validator(mode="after")
    def _every_group(self) -> StaffSupervision:
        missing = [g for g in STAFF_GROUPS if g not in self.groups]
        if missing:
            raise ValueError(
                f"every staff group needs a rule (or null): missing {', '.join(missing)}"
            )
        return self


class CaseRule(_Rule):
    every: Period


class CaseDiscussion(_Strict):
    counts: tuple[Category, ...] = ("case_discussion", "oversight")
    counts_ref: str = ""  # where the profile says which discussions count
    rules: dict[CaseKey, CaseRule] = {}


class SessionLength(_Rule):
    minutes: int = Field(ge=1, le=24 * 60)


class SessionsPerYear(_Rule):
    sessions: int = Field(ge=1, le=366)


class AgreementRule(_Rule):
    review_every: Period | None = None  # None: an agreement is needed, no review interval


class AppraisalRule(_Rule):
    every: Period


class UploadRule(_Rule):
    working_days: int = Field(ge=1, le=60)
    categories: tuple[Category, ...] = ()  # empty: every record


class CancellationRule(_Rule):
    reschedule_within_month: bool = False


class DeviationRule(_Rule):
    approver: str = Field(min_length=1)  # who must approve a permanent deviation


class PolicyProfile(_Strict):
    """One agency's supervision rules."""

    id: str = Field(pattern=PROFILE_ID_PATTERN)
    title: str
    source: Source
    due_soon_days: int = Field(default=7, ge=0, le=60)
    staff_supervision: StaffSupervision
    sessions_per_year: SessionsPerYear | None = None
    session_length: SessionLength | None = None
    case_discussion: CaseDiscussion
    agreement: AgreementRule | None = None
    appraisal: AppraisalRule | None = None
    upload: UploadRule | None = None
    cancellation: CancellationRule | None = None
    deviations: DeviationRule | None = None

    def staff_rule(self, group: str) -> StaffRule | None:
        for key, rule in self.staff_supervision.groups.items():
            if key == group:
                return rule
        return None

    def snapshot(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_snapshot(cls, text: str) -> PolicyProfile:
        return cls.model_validate_json(text)


# --- loading -------------------------------------------------------------------------


class PolicyError(FileProblems):
    """A profile file that cannot be used; the message names the file and the rule,
    ``located`` the line of each problem."""


def parse_profile(data: Any, path: Path | str, text: str | None = None) -> PolicyProfile:
    """Validate a profile's parsed YAML; ``text`` (the file's) gives problems lines."""
    try:
        return PolicyProfile.model_validate(data)
    except ValidationError as exc:
        problems, lines = [], []
        for error in exc.errors():
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{_describe_location(data, error['loc'])}: {message}")
            lines.append(line_of(text, error["loc"]) if text is not None else 1)
        raise PolicyError(path, problems, lines) from None


def load_profile(path: Path | str) -> PolicyProfile:
    """Load and validate one profile file, raising PolicyError for any problem."""
    path = Path(path)
    try:
        data, text = read_yaml(path)
    except safe_input.InputProblem as exc:
        raise PolicyError.unreadable(path, exc.problem) from None
    if not isinstance(data, dict):
        raise PolicyError(path, ["must be a mapping of profile keys"])
    return parse_profile(data, path, text)


@dataclass(frozen=True)
class ProfileCatalogue:
    profiles: tuple[PolicyProfile, ...]
    errors: tuple[PolicyError, ...]

    def get(self, profile_id: str) -> PolicyProfile:
        for profile in self.profiles:
            if profile.id == profile_id:
                return profile
        raise KeyError(profile_id)


def load_profiles(folder: Path | str) -> ProfileCatalogue:
    """Every ``*.yaml`` profile in a folder; a broken file never stops the others."""
    profiles: dict[str, PolicyProfile] = {}
    errors: list[PolicyError] = []
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            profile = load_profile(path)
        except PolicyError as exc:
            errors.append(exc)
            continue
        if profile.id in profiles:
            errors.append(PolicyError(path, [f"id '{profile.id}' is already used"]))
            continue
        profiles[profile.id] = profile
    return ProfileCatalogue(tuple(profiles.values()), tuple(errors))


# The seed documents the shipped profiles cite by number ("003 §3 table line 267").
SEED_DOCUMENTS = {
    "000": "Fosterline forum thread",
    "001": "Birmingham Children's Trust IFA guidance",
    "002": "Walsall 1.3 Supervision Guidance",
    "003": "Lambeth Supervision Policy (2021)",
    "004": "Kent Supervision Policy 1.1.8",
}
_SEED_NUMBER = re.compile(r"^(\d{3})\b\s*")
_LINES = re.compile(r"\s*\blines? \d+(?: and \d+)?")


def cite(ref: str) -> str:
    """A rule's source as a person reads it: '003 §3 table line 267' → 'Lambeth Supervision
    Policy (2021) §3, table' (the developers' seed numbers and line numbers left out)."""
    cited: list[str] = []
    for part in (p.strip() for p in ref.split(";")):
        document = ""
        found = _SEED_NUMBER.match(part)
        if found:
            document = SEED_DOCUMENTS.get(found.group(1), "")
            part = part[found.end():]
        part = _LINES.sub("", part).strip()
        if part.endswith(" table"):
            part = part.removesuffix(" table") + ", table"
        if document and part:
            part = f"{document} {part}" if part.startswith("§") else f"{document}, {part}"
        part = part or document
        if part and part not in cited:
            cited.append(part)
    return "; ".join(cited)


def describe_profile(profile: PolicyProfile) -> str:
    """The profile's rules in plain sentences, each with where the policy says it."""
    lines = [f"{profile.title} (id {profile.id})",
             f"{profile.source.organisation}: {profile.source.document}",
             f"“Due soon” means within {profile.due_soon_days} days of the due date.", "",
             "Staff supervision"]
    for group, rule in profile.staff_supervision.groups.items():
        text = f"{rule.describe()}  [{cite(rule.ref)}]" if rule else "no frequency set"
        lines.append(f"  {STAFF_GROUP_LABELS[group]}: {text}")
    if profile.sessions_per_year:
        per_year = profile.sessions_per_year
        lines.append(f"  At least {per_year.sessions} sessions a year  [{cite(per_year.ref)}]")
    if profile.session_length:
        lines.append(f"  Sessions last at least {profile.session_length.minutes} minutes  "
                     f"[{cite(profile.session_length.ref)}]")
    lines += ["", "Case discussion"]
    for key, case in profile.case_discussion.rules.items():
        lines.append(f"  {CASE_LABELS[key]}: {case.every.every()}  [{cite(case.ref)}]")
    if not profile.case_discussion.rules:
        lines.append("  no frequency set")
    lines.append("")
    if profile.agreement:
        review = profile.agreement.review_every
        lines.append("Supervision agreement: "
                     + (f"reviewed {review.every()}" if review else "needed, no review interval")
                     + f"  [{cite(profile.agreement.ref)}]")
    if profile.appraisal:
        lines.append(f"Appraisal: {profile.appraisal.every.every()}  "
                     f"[{cite(profile.appraisal.ref)}]")
    if profile.upload:
        lines.append(f"Upload within {profile.upload.working_days} working days  "
                     f"[{cite(profile.upload.ref)}]")
    if profile.deviations:
        lines.append(f"Changes to a frequency approved by the {profile.deviations.approver}  "
                     f"[{cite(profile.deviations.ref)}]")
    return "\n".join(lines)
