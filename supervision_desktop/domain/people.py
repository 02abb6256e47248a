"""The people records are about: supervisees, foster carer households and children.

Each kind is a strict pydantic model, so ``person add --data FILE.json`` and the GUI
both get one clear message per wrong or unknown key.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

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

    @field_validator("dob", mode="before")
    @classmethod
    def _blank_dob_is_none(cls, value: object) -> object:
        return None if value == "" else value


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
    if where == "name" and error["type"] in ("string_too_short", "missing"):
        return "enter a name"
    return f"{where}: {error['msg']}"
