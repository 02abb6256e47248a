"""People's details pinned with literal values (issue 17's mutation run): every label a
form or list shows, every default, blank dates from a form, and each message."""

from __future__ import annotations

import datetime as dt

import pytest

from supervision_desktop.domain import people
from supervision_desktop.domain.people import PersonDataError, parse_person


def test_every_label_shown_for_a_choice() -> None:
    assert people.STAFF_GROUP_LABELS == {
        "nqsw": "Newly qualified social worker (ASYE)",
        "social_worker": "Social worker",
        "senior_practitioner": "Senior practitioner",
        "team_manager": "Team manager",
        "service_manager": "Service manager",
        "support_staff": "Support staff",
    }
    assert people.PLAN_LABELS == {
        "child_protection": "Child protection", "child_in_need": "Child in need",
        "looked_after": "Looked after", "care_leaver": "Care leaver", "none": "None",
    }
    assert people.APPROVAL_LABELS == {
        "approved": "Approved", "in_assessment": "In assessment", "on_hold": "On hold",
        "under_review": "Under review", "ended": "Approval ended",
    }
    assert people.KIND_LABELS == {"supervisee": "Supervisee",
                                  "carer": "Foster carer household", "child": "Child"}


def test_defaults_of_each_kind_of_person() -> None:
    assert parse_person("supervisee", {"name": "Ffion Example"}).model_dump() == {
        "name": "Ffion Example", "end_date": None, "job_title": "",
        "staff_group": "social_worker", "start_date": None, "supervisor": ""}
    assert parse_person("carer", {"name": "The Example household"}).model_dump() == {
        "name": "The Example household", "end_date": None, "carers": (),
        "approval_status": "approved"}
    assert parse_person("child", {"name": "Kai Example"}).model_dump() == {
        "name": "Kai Example", "end_date": None, "case_id": "", "dob": None,
        "legal_status": "", "plan": "none", "placement_matched": False,
        "placed_with": "", "placed_from": None, "placed_until": None}


def test_blank_dates_from_a_form_are_no_date_and_real_ones_are_read() -> None:
    child = parse_person("child", {"name": " Kai Example ", "dob": "", "end_date": ""})
    assert (child.name, child.end_date) == ("Kai Example", None)
    assert parse_person("supervisee", {"name": "Ffion", "start_date": ""}).model_dump()[
        "start_date"] is None
    dated = parse_person("supervisee", {"name": "Ffion", "start_date": "2026-09-01",
                                        "end_date": "2027-02-28"})
    assert dated.model_dump()["start_date"] == dt.date(2026, 9, 1)
    assert dated.end_date == dt.date(2027, 2, 28)
    assert parse_person("child", {"name": "Kai", "dob": "2020-02-29"}).model_dump()[
        "dob"] == dt.date(2020, 2, 29)


@pytest.mark.parametrize(("kind", "data", "problems"), [
    ("alien", {"name": "X"}, ["kind must be one of supervisee, carer, child"]),
    ("carer", {"name": "   "}, ["enter a name"]),
    ("supervisee", {}, ["enter a name"]),
    ("carer", {"name": "X", "colour": "red"}, ["colour: Extra inputs are not permitted"]),
    ("child", {"name": "X", "plan": "other"},
     ["plan: Input should be 'child_protection', 'child_in_need', 'looked_after', "
      "'care_leaver' or 'none'"]),
    ("carer", {"name": "X", "carers": ["Sam", 5]}, ["carers.1: Input should be a valid string"]),
    ("child", {"name": 5}, ["name: Input should be a valid string"]),
    ("child", "text", ["child: Input should be a valid dictionary or instance of Child"]),
    ("child", {"name": "", "dob": "x"},
     ["enter a name", "dob: Input should be a valid date or datetime, input is too short"]),
])
def test_each_mistake_has_its_message(kind: str, data: object,
                                      problems: list[str]) -> None:
    with pytest.raises(PersonDataError) as refused:
        parse_person(kind, data)
    assert refused.value.problems == problems
    assert str(refused.value) == "; ".join(problems)
