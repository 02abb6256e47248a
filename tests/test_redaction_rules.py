"""The redaction rules of a subject access disclosure, one by one (domain/redaction.py).

Which words are proposed (other people's full names, first names, ids; never the
disclosed person's own names), how they are matched (whole words, any case, a first name
that is also an English word only as a name), what is kept, and what is counted. Pure:
no vault. All names are fictional.
"""

from __future__ import annotations

import pytest

from supervision_desktop.domain import redaction
from supervision_desktop.domain.redaction import (
    CASE_ID,
    FIRST_NAME,
    FULL_NAME,
    REDACTED,
    VAULT_ID,
    KnownPerson,
    Redactor,
    Term,
    kept_terms,
    terms_for,
)

POPPY = KnownPerson("p" * 32, "Poppy Fernsby", case_id="FC-40117")
JACK = KnownPerson("j" * 32, "Jack Fernsby", case_id="FC-40118")
WILL = KnownPerson("w" * 32, "Will Marsh")


def _texts(terms: list[Term]) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in terms]


def test_another_persons_full_name_first_name_and_both_ids_are_proposed() -> None:
    assert _texts(terms_for(POPPY, [JACK])) == [
        (CASE_ID, "FC-40118"), (FIRST_NAME, "Jack"), (FULL_NAME, "Jack Fernsby"),
        (VAULT_ID, "j" * 32)]
    assert {t.person for t in terms_for(POPPY, [JACK])} == {"Jack Fernsby"}


def test_the_disclosed_persons_own_names_words_and_ids_are_never_proposed() -> None:
    me_again = KnownPerson(POPPY.id, "Someone Else", case_id="ZZ-1")
    same_first = KnownPerson("s" * 32, "Poppy Marsh")
    surname_only = KnownPerson("f" * 32, "Fernsby")
    texts = {t.text for t in terms_for(POPPY, [me_again, same_first, surname_only])}
    assert "Someone Else" not in texts and "ZZ-1" not in texts  # the same id: it is her
    assert "Poppy" not in texts and "Fernsby" not in texts  # her own name words
    assert "Poppy Marsh" in texts and "Marsh" not in texts  # surnames alone are not proposed


def test_own_names_are_compared_ignoring_case_spacing_and_unicode_form() -> None:
    me = KnownPerson("m" * 32, "Siân  Powell")
    decomposed = KnownPerson("o" * 32, "SIA\u0302N Powell")  # the same name, decomposed
    other = KnownPerson("x" * 32, "Siân Ellis")
    assert {t.text for t in terms_for(me, [decomposed, other])} == {
        "o" * 32, "x" * 32, "Siân Ellis"}


def test_a_household_is_proposed_by_each_of_its_names() -> None:
    household = KnownPerson("h" * 32, "Wren Halloway", other_names=("Idris Halloway", " "))
    assert household.names == ("Wren Halloway", "Idris Halloway")
    found = terms_for(POPPY, [household])
    assert _texts(found) == [
        (FIRST_NAME, "Idris"), (FIRST_NAME, "Wren"), (FULL_NAME, "Idris Halloway"),
        (FULL_NAME, "Wren Halloway"), (VAULT_ID, "h" * 32)]
    assert {t.person for t in found} == {"Wren Halloway"}


def test_titles_single_letters_and_single_names_give_no_first_name() -> None:
    people = [KnownPerson("a" * 32, "Mrs Okafor"), KnownPerson("b" * 32, "The Ash household"),
              KnownPerson("c" * 32, "J. Bright"), KnownPerson("d" * 32, "Jo Bright"),
              KnownPerson("e" * 32, "Cher"), KnownPerson("g" * 32, "Dr. Ade Lowe"),
              KnownPerson("i" * 32, "Xena, Ruiz")]
    firsts = {t.text for t in terms_for(POPPY, people) if t.kind == FIRST_NAME}
    assert firsts == {"Jo", "Xena"}  # two letters is a name; "Dr." is a title like "Dr"
    fulls = {t.text for t in terms_for(POPPY, people) if t.kind == FULL_NAME}
    assert "Cher" in fulls and "Mrs Okafor" in fulls


def test_a_one_letter_name_and_ids_shorter_than_three_characters_are_not_proposed() -> None:
    tiny = KnownPerson("ab", "Q", case_id="7")
    assert terms_for(POPPY, [tiny]) == []
    short = KnownPerson("abc", "Qi", case_id=" 12 ")
    assert _texts(terms_for(POPPY, [short])) == [(FULL_NAME, "Qi"), (VAULT_ID, "abc")]
    three = KnownPerson("abcd", "Bo", case_id=" 123 ")
    assert (CASE_ID, "123") in _texts(terms_for(POPPY, [three]))


def test_a_name_written_with_odd_spacing_is_proposed_with_single_spaces() -> None:
    spaced = KnownPerson("k" * 32, "  Kit   Amberley ")
    assert (FULL_NAME, "Kit Amberley") in _texts(terms_for(POPPY, [spaced]))


def test_the_same_words_for_two_people_are_proposed_once_for_the_first() -> None:
    twin = KnownPerson("t" * 32, "Jack Fernsby")
    found = terms_for(POPPY, [JACK, twin])
    assert [t.text for t in found].count("Jack Fernsby") == 1
    assert [t.text for t in found].count("Jack") == 1


def test_terms_are_sorted_by_person_ignoring_case_then_kind_then_text() -> None:
    people = [KnownPerson("z" * 32, "zed Bloom"), KnownPerson("y" * 32, "Amy Bloom")]
    persons = [t.person for t in terms_for(POPPY, people)]
    assert persons == sorted(persons, key=str.casefold)
    assert persons[0] == "Amy Bloom"


def test_a_first_name_that_is_a_word_is_matched_only_as_a_name() -> None:
    terms = terms_for(POPPY, [WILL], words={"will"})
    assert [t.exact_case for t in terms if t.kind == FIRST_NAME] == [True]
    assert [t.exact_case for t in terms if t.kind == FULL_NAME] == [False]
    redactor = Redactor(terms)
    assert redactor.text("we will ask; Will came. WILL! wIll?", 1) == (
        f"we will ask; {REDACTED} came. {REDACTED}! wIll?")
    plain = Redactor(terms_for(POPPY, [WILL]))
    assert plain.text("we will ask", 1) == f"we {REDACTED} ask"


def test_only_whole_words_are_taken_in_any_case_and_any_spacing() -> None:
    redactor = Redactor(terms_for(POPPY, [JACK]))
    assert redactor.text("Jackson and Jack's bike, hijack", 1) == (
        f"Jackson and {REDACTED}'s bike, hijack")
    assert redactor.text("jack fernsby\nand  JACK   FERNSBY", 2) == f"{REDACTED}\nand  {REDACTED}"
    assert redactor.text("case fc-40118, FC-401180", 3) == f"case {REDACTED}, FC-401180"
    assert redactor.text("_Jack Jack_ 1Jack", 4) == "_Jack Jack_ 1Jack"


def test_the_longest_term_is_taken_whole() -> None:
    redactor = Redactor(terms_for(POPPY, [JACK]))
    assert redactor.text("Jack Fernsby came", 1) == f"{REDACTED} came"
    assert redactor.redactions(next(t for t in redactor.terms if t.text == "Jack")) == 0


def test_nothing_to_redact_leaves_the_text_as_it_is() -> None:
    assert Redactor([]).text("Jack, came. (", 1) == "Jack, came. ("
    redactor = Redactor(terms_for(POPPY, [JACK]))
    assert redactor.text("", 1) == ""
    assert redactor.found == {}


def test_a_long_s_that_folds_differently_is_still_counted() -> None:
    sam = KnownPerson("s" * 32, "Sam Ives")
    redactor = Redactor(terms_for(POPPY, [sam]))
    assert redactor.text("ſam came", 5) == f"{REDACTED} came"
    (term,) = [t for t in redactor.terms if t.text == "Sam"]
    assert redactor.found == {term: {5: 1}}


def test_each_term_is_counted_per_item_and_a_kept_term_counts_nothing() -> None:
    terms = terms_for(POPPY, [JACK])
    jack = next(t for t in terms if t.text == "Jack")
    case = next(t for t in terms if t.kind == CASE_ID)
    redactor = Redactor(terms, keep={" JACK "})
    assert redactor.text("Jack, Jack and FC-40118", 1) == f"Jack, Jack and {REDACTED}"
    assert redactor.text("Jack", 2) == "Jack"
    assert redactor.found[jack] == {1: 2, 2: 1}
    assert redactor.is_kept(jack) and not redactor.is_kept(case)
    assert redactor.redactions(jack) == 0
    assert redactor.redactions(case) == 1
    untouched = next(t for t in terms if t.kind == VAULT_ID)
    assert redactor.redactions(untouched) == 0


def test_a_record_value_is_redacted_all_through_but_its_keys_are_not() -> None:
    redactor = Redactor(terms_for(POPPY, [JACK]))
    value = {"Jack": ["Jack said", {"who": "Jack", "strokes": "Jack", "n": 3}], "x": None}
    assert redactor.value(value, 1, keep_key=lambda key: key == "strokes") == {
        "Jack": [f"{REDACTED} said", {"who": REDACTED, "strokes": "Jack", "n": 3}], "x": None}
    assert redactor.value(["Jack", "Jack"], 7) == [REDACTED, REDACTED]
    assert redactor.found == {redactor.terms[1]: {1: 2, 7: 2}}  # counted for its item
    assert redactor.value(value, 2) == {
        "Jack": [f"{REDACTED} said", {"who": REDACTED, "strokes": REDACTED, "n": 3}],
        "x": None}
    assert redactor.value(True, 3) is True


def test_kept_terms_keep_a_term_as_written_or_all_of_a_persons_names() -> None:
    terms = terms_for(POPPY, [JACK, WILL])
    assert kept_terms(terms, ["jack"]) == ({"jack"}, [])
    kept, unknown = kept_terms(terms, ["Jack  Fernsby", "Nobody"])
    assert kept == {"jack", "jack fernsby"} and unknown == ["Nobody"]  # not the ids
    assert kept_terms(terms, ["fc-40118"]) == ({"fc-40118"}, [])
    assert kept_terms(terms, []) == (set(), [])


@pytest.mark.parametrize("name", ["Mr Jack", "Lady Jane", "Master Tom", "Sir Ian"])
def test_a_title_before_a_name_is_not_its_first_name(name: str) -> None:
    firsts = [t for t in terms_for(POPPY, [KnownPerson("t" * 32, name)]) if t.kind == FIRST_NAME]
    assert firsts == []


def test_the_titles_are_the_ones_a_record_uses() -> None:
    assert {"mr", "mrs", "ms", "miss", "mx", "dr"} <= redaction.NOT_FIRST_NAMES
