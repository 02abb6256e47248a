"""UK English spelling: what is underlined, what is suggested, and the person's own words,
kept in the encrypted vault (they are names)."""

from __future__ import annotations

from pathlib import Path

import pytest

from supervision_desktop.domain.spelling import Speller, check_personal_word
from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import spelling
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.vault import Vault
from tests.conftest import PASSPHRASE, files_containing


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller(spelling.shipped_words())


def _underlined(speller: Speller, text: str) -> list[str]:
    return [text[start:start + length] for start, length in speller.misspelt(text)]


def test_uk_spellings_pass_and_misspellings_are_found(speller: Speller) -> None:
    text = ("Discussed the colleauges’ concerns about safegaurding; the organisation's "
            "colour-coded plan is behaviour-led. I’d recieve the NQSW's notes 👍🏽 Dŵr & "
            "<b>Łódź</b> on 22/11/2026.")
    assert _underlined(speller, text) == ["colleauges", "safegaurding", "recieve", "Dŵr",
                                          "Łódź"]


def test_american_spellings_are_marked(speller: Speller) -> None:
    assert _underlined(speller, "color organize behavior") == ["color", "organize", "behavior"]


@pytest.mark.parametrize(("word", "expected"), [
    ("colleauges", ["colleagues"]),
    ("Recieve", ["Receive", "Relieve"]),
    ("safegaurding", ["safeguarding"]),
    ("supervison", ["supervisor", "supervision"]),  # the longer shared start first
])
def test_suggestions_are_the_closest_known_words(speller: Speller, word: str,
                                                 expected: list[str]) -> None:
    assert speller.suggestions(word) == expected


@pytest.mark.parametrize("word", ["", "two words", "x" * 65, "<b>", "22/11"])
def test_only_one_word_goes_into_the_dictionary(word: str) -> None:
    with pytest.raises(ValueError, match="is not one word"):
        check_personal_word(word)


def test_added_words_are_kept_in_the_vault_not_in_a_plain_file(
        vault_folder: Path, data_key: bytes) -> None:
    with vaults.open_with_key(vault_folder, data_key) as vault:
        checker = spelling.speller(vault)
        assert not checker.knows("Dŵr")
        assert spelling.add_to_dictionary(vault, " Dŵr ", checker) == "Dŵr"
        assert checker.knows("Dŵr") and checker.knows("dŵr") and checker.knows("Dŵr's")
        spelling.add_to_dictionary(vault, "Dŵr", checker)  # once only
        with pytest.raises(InvalidInput, match="is not one word"):
            spelling.add_to_dictionary(vault, "Dŵr Cymru", checker)
    with vaults.open_with_passphrase(vault_folder, PASSPHRASE) as vault:
        assert spelling.speller(vault).knows("Dŵr")
        assert spelling._personal(vault) == ["Dŵr"]
    assert files_containing(vault_folder, "Dŵr") == []


def test_a_damaged_personal_dictionary_setting_is_an_empty_one(vault: Vault) -> None:
    from supervision_desktop.store import settings

    with vault.transaction() as session:
        settings.write(session, settings.PERSONAL_WORDS, "[not json")
    assert spelling._personal(vault) == []
    assert spelling.add_to_dictionary(vault, "Cymru") == "Cymru"
    assert spelling._personal(vault) == ["Cymru"]


def test_the_names_of_people_in_the_vault_are_never_marked(vault: Vault) -> None:
    from supervision_desktop.services import people

    people.add_person(vault, "supervisee", {"name": "Siôn Aberhonddu"})
    checker = spelling.speller(vault)
    assert checker.misspelt("Siôn Aberhonddu met Morgan Testwell") == []


def test_a_search_with_a_misspelt_word_asks_did_you_mean(vault: Vault) -> None:
    from supervision_desktop.services import people, records, search, templates

    person = people.add_person(vault, "supervisee", {"name": "Jo Bloggs"})
    records.create_record(vault, templates.get_template("personal-supervision"),
                          subject_id=person.id, fields={"workload": "Spoke to colleagues."})
    misspelt = search.search(vault, "colleauges")
    assert len(misspelt) == 0 and misspelt.suggestion == "colleagues"
    assert misspelt.summary("colleauges") == (
        "No records contain “colleauges”. Did you mean “colleagues”?")
    right = search.search(vault, "colleagues Bloggs")
    assert len(right) == 1 and right.suggestion is None  # a name is not a misspelling
