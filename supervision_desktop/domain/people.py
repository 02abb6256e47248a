"""The people records are about: supervisees, foster carer households and children.

Each kind is a strict pydantic model, so ``person add --data FILE.json`` and the GUI
both get one clear message per wrong or unknown key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

StaffGroup = Literal[
    "nqsw", "social_worker", "senior_practitioner", "team_manager", "service_manager",
    "support_staff",
]
STAFF_GROUP_LABELS: dict[str, str] = {
    "nqsw": "Newly qualified social worker (ASYE)",
    "social_worker": "Social worker",
    "senior_practitioner": "Senior practitioner",
    "team_manager": "Team manager",
    "service_manager": "Service manager",
    "support_staff": "Support staff",
}
Plan = Literal["child_protection", "child_in_need", "looked_after", "care_leaver", "none"]
PLAN_LABELS: dict[str, str] = {
    "child_protection": "Child protection",
    "child_in_need": "Child in need",
    "looked_after": "Looked after",
    "care_leaver": "Care leaver",
    "none": "None",
}
ApprovalStatus = Literal["approved", "in_assessment", "on_hold", "under_review", "ended"]
APPROVAL_LABELS: dict[str, str] = {
    "approved": "Approved",
    "in_assessment": "In assessment",
    "on_hold": "On hold",
    "under_review": "Under review",
    "ended": "Approval ended",
}
PersonKind = Literal["supervisee", "carer", "child"]
KIND_LABELS: dict[str, str] = {
    "supervisee": "Supervisee",
    "carer": "Foster carer household",
    "child": "Child",
}


class _PersonDetails(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: str = Field(min_length=1)
    end_date: dt.date | None = None  # left the service, approval ended: starts retention

    @field_validator("end_date", mode="before")
    @classmethod
    def _blank_date_is_none(cls, value: object) -> object:
        return None if value == "" else value


class Supervisee(_PersonDetails):
    job_title: str = ""
    staff_group: StaffGroup = "social_worker"
    start_date: dt.date | None = None
    supervisor: str = ""

    @field_validator("start_date", mode="before")
    @classmethod
    def _blank_start_is_none(cls, value: object) -> object:
        return None if value == "" else value


class CarerHousehold(_PersonDetails):
    carers: tuple[str, ...] = ()  # the individual carers' names
    approval_status: ApprovalStatus = "approved"


class Child(_PersonDetails):
    case_id: str = ""
    dob: dt.date | None = None
    legal_status: str = ""
    plan: Plan = "none"
    placement_matched: bool = False  # looked after: matched to a long-term placement
    placed_with: str = ""  # the carer household the child lives with (its name)
    placed_from: dt.date | None = None
    placed_until: dt.date | None = None  # None: still placed there

    @field_validator("dob", "placed_from", "placed_until", mode="before")
    @classmethod
    def _blank_dob_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="after")
    def _placement_makes_sense(self) -> Child:
        if (self.placed_from or self.placed_until) and not self.placed_with:
            raise ValueError("placed_with: say which carer household the child is placed with")
        if self.placed_from and self.placed_until and self.placed_until < self.placed_from:
            raise ValueError("placed_until: the placement cannot end before it began")
        return self

    def placed_with_on(self, day: dt.date | None) -> str:
        """The household the child was placed with on ``day`` (now, without one), or ""."""
        if not self.placed_with:
            return ""
        if day is None:
            return self.placed_with if self.placed_until is None else ""
        began = self.placed_from is None or self.placed_from <= day
        ongoing = self.placed_until is None or day <= self.placed_until
        return self.placed_with if began and ongoing else ""


MODELS: dict[str, type[_PersonDetails]] = {
    "supervisee": Supervisee,
    "carer": CarerHousehold,
    "child": Child,
}


class PersonDataError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def parse_person(kind: str, data: object) -> _PersonDetails:
    """Validate a person's details for their kind, or raise PersonDataError listing why."""
    model = MODELS.get(kind)
    if model is None:
        raise PersonDataError([f"kind must be one of {', '.join(MODELS)}"])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise PersonDataError([_describe(kind, e) for e in exc.errors()]) from None


def _describe(kind: str, error: Any) -> str:
    where = ".".join(str(p) for p in error["loc"]) or kind
    if not error["loc"] and error["type"] == "value_error":  # a rule across details
        return str(error["msg"]).removeprefix("Value error, ")
    if where == "name" and error["type"] in ("string_too_short", "missing"):
        return "enter a name"
    return f"{where}: {error['msg']}"


def children_placed_with(household: str, children: Iterable[tuple[str, Mapping[str, Any]]],
                         day: dt.date | None) -> list[str]:
    """The names of the children placed with ``household`` (by its name) on ``day`` (still
    placed there, without a day), in name order; ``children`` are (name, details) pairs."""
    placed = []
    for name, details in children:
        try:
            child = Child.model_validate({**details, "name": name})
        except ValidationError:  # details written before a rule existed: not placed
            continue
        if household and child.placed_with_on(day) == household:
            placed.append(name)
    return sorted(placed, key=str.casefold)
