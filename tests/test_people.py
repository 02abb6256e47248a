"""People's details: what a form can send is accepted, and mistakes get plain messages."""

from __future__ import annotations

import pytest

from supervision_desktop.errors import InvalidInput
from supervision_desktop.services.people import add_person, list_people, update_person
from supervision_desktop.store.vault import Vault
from tests.conftest import ODD_TEXT


def test_blank_optional_fields_from_a_form_are_accepted(vault: Vault) -> None:
    person = add_person(vault, "supervisee", {"name": "Ffion Example", "job_title": "",
                                              "start_date": "", "supervisor": ""})
    assert person.details["job_title"] == "" and person.details["start_date"] is None
    child = add_person(vault, "child", {"name": "Kai Example", "dob": "", "case_id": ""})
    assert child.details["dob"] is None


def test_an_empty_name_is_a_plain_message_and_nothing_is_stored(vault: Vault) -> None:
    with pytest.raises(InvalidInput, match="enter a name"):
        add_person(vault, "carer", {"name": "   "})
    assert list_people(vault) == []


def test_a_wrong_date_names_the_field(vault: Vault) -> None:
    with pytest.raises(InvalidInput, match="dob"):
        add_person(vault, "child", {"name": "Kai Example", "dob": "2020-13-01"})


def test_odd_names_are_kept_exactly_and_can_be_edited(vault: Vault) -> None:
    person = add_person(vault, "carer", {"name": ODD_TEXT, "carers": [ODD_TEXT]})
    assert list_people(vault, "carer")[0].name == ODD_TEXT
    updated = update_person(vault, person.id, {"name": "The Carter household",
                                               "approval_status": "on_hold"})
    assert updated.name == "The Carter household"
    assert updated.details["approval_status"] == "on_hold"
