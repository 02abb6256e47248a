"""A child's placement with a carer household: recorded with the child (from and until),
and used by the household's supervision record, which lists each child placed there on
the session date."""

from __future__ import annotations

import datetime as dt

import pytest

from supervision_desktop.domain.people import Child, children_placed_with
from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import people, records, templates
from supervision_desktop.store.vault import Vault

CARTERS = "The Carter household"


@pytest.mark.parametrize(("day", "placed"), [
    (dt.date(2026, 4, 30), ""),  # the day before it began
    (dt.date(2026, 5, 1), CARTERS),  # the day it began
    (dt.date(2026, 10, 31), CARTERS),  # the day it ended
    (dt.date(2026, 11, 1), ""),  # the day after
    (None, ""),  # now: it has ended
])
def test_a_placement_counts_from_its_first_day_to_its_last(day: dt.date | None,
                                                           placed: str) -> None:
    child = Child.model_validate({"name": "Kai Example", "placed_with": CARTERS,
                                  "placed_from": "2026-05-01", "placed_until": "2026-10-31"})
    assert child.placed_with_on(day) == placed


def test_a_child_placed_with_no_one_is_placed_nowhere_on_any_day() -> None:
    child = Child.model_validate({"name": "Kai Example"})
    assert child.placed_with_on(None) == "" and child.placed_with_on(dt.date(2026, 5, 1)) == ""


def test_an_open_placement_is_current() -> None:
    child = Child.model_validate({"name": "Kai Example", "placed_with": CARTERS,
                                  "placed_from": "2026-05-01"})
    assert child.placed_with_on(None) == CARTERS
    assert child.placed_with_on(dt.date(2030, 1, 1)) == CARTERS


@pytest.mark.parametrize(("details", "message"), [
    ({"placed_from": "2026-05-01"},
     "say which carer household the child is placed with"),
    ({"placed_with": CARTERS, "placed_from": "2026-05-01", "placed_until": "2026-04-30"},
     "the placement cannot end before it began"),
])
def test_a_placement_that_cannot_be_is_refused(vault: Vault, details: dict,
                                               message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        people.add_person(vault, "child", {"name": "Kai Example", **details})


def test_children_are_listed_in_name_order_and_only_those_placed_there() -> None:
    children = [
        ("Eve Example", {"placed_with": CARTERS, "placed_until": "2025-01-01",
                         "placed_from": "2026-01-01"}),  # inconsistent, and first
        ("Zara Example", {"placed_with": CARTERS, "placed_from": "2026-01-01"}),
        ("amir lowercase", {"placed_with": CARTERS}),
        ("Amir Example", {"placed_with": CARTERS}),
        ("Bea Example", {"placed_with": "The Okafor household"}),
        ("Cai Example", {"placed_with": CARTERS, "placed_until": "2026-02-01"}),
        ("Dee Example", {"placed_with": CARTERS, "placed_until": "2025-01-01",
                         "placed_from": "2026-01-01"}),  # inconsistent: never counted
    ]
    assert children_placed_with(CARTERS, children, dt.date(2026, 3, 1)) == [
        "Amir Example", "amir lowercase", "Zara Example"]  # capitals do not sort first
    assert children_placed_with(CARTERS, children, dt.date(2026, 1, 15)) == [
        "Amir Example", "amir lowercase", "Cai Example", "Zara Example"]
    assert children_placed_with("", children, None) == []


def test_the_households_record_reviews_each_child_placed_there_on_the_day(
        vault: Vault) -> None:
    household = people.add_person(vault, "carer", {"name": CARTERS, "carers": ["Sam Carter"]})
    for name, details in (("Kai Example", {"placed_from": "2026-05-01"}),
                          ("Ana Example", {"placed_from": "2026-11-01"}),
                          ("Leo Example", {"placed_from": "2025-01-01",
                                           "placed_until": "2026-06-30"})):
        people.add_person(vault, "child", {"name": name, "placed_with": CARTERS, **details})
    form = templates.get_template("foster-carer-supervision")
    made = records.create_record(vault, form, subject_id=household.id,
                                 session_date="2026-06-15")
    assert records.get_record(vault, made).fields["placement_review"] == [
        {"placed_child": "Kai Example"}, {"placed_child": "Leo Example"}]
    later = records.create_record(vault, form, subject_id=household.id,
                                  session_date="2026-11-22")
    assert records.get_record(vault, later).fields["placement_review"] == [
        {"placed_child": "Ana Example"}, {"placed_child": "Kai Example"}]
    typed = records.create_record(vault, form, subject_id=household.id,
                                  session_date="2026-11-22",
                                  fields={"placement_review": [{"placed_child": "Someone"}]})
    assert records.get_record(vault, typed).fields["placement_review"] == [
        {"placed_child": "Someone"}]


@pytest.mark.parametrize(("details", "problem"), [
    ({"placed_from": "2026-05-01"},
     "placed_with: say which carer household the child is placed with"),
    ({"placed_with": CARTERS, "placed_from": "2026-05-01", "placed_until": "2026-04-30"},
     "placed_until: the placement cannot end before it began"),
])
def test_the_problem_with_a_placement_is_said_in_plain_words(details: dict,
                                                             problem: str) -> None:
    from supervision_desktop.domain.people import PersonDataError, parse_person

    with pytest.raises(PersonDataError) as refused:
        parse_person("child", {"name": "Kai Example", **details})
    assert refused.value.problems == [problem]


def test_renaming_a_household_keeps_its_children_placed_with_it(vault: Vault) -> None:
    household = people.add_person(vault, "carer", {"name": CARTERS})
    child = people.add_person(vault, "child", {"name": "Kai Example", "placed_with": CARTERS})
    elsewhere = people.add_person(vault, "child", {"name": "Bea Example",
                                                   "placed_with": "The Okafor household"})
    people.update_person(vault, household.id, {"name": "The Carter family"})
    assert people.get_person(vault, child.id).details["placed_with"] == "The Carter family"
    assert people.get_person(vault, elsewhere.id).details["placed_with"] == (
        "The Okafor household")
    made = records.create_record(vault, templates.get_template("foster-carer-supervision"),
                                 subject_id=household.id, session_date="2026-11-22")
    assert records.get_record(vault, made).fields["placement_review"] == [
        {"placed_child": "Kai Example"}]
