"""The spelling rules, pinned case by case (the mutation run for domain/spelling.py reads
this file): what counts as a known word, how suggestions are chosen and ordered, and
what the person's dictionary takes. Small word lists make each rule visible."""

from __future__ import annotations

import pytest

from supervision_desktop.domain.spelling import (
    MAX_PERSONAL_WORD,
    Speller,
    _shared_start,
    check_personal_word,
    corrected,
)

WORDS = ["dog", "james", "colour", "supervision", "supervisor", "carer"]


@pytest.mark.parametrize(("word", "known"), [
    ("x", True),  # a single letter is never marked
    ("qz", False),  # two letters are looked up
    ("NQSW", True), ("ABCDEF", True),  # acronyms of up to six capitals
    ("ABCDEFG", False),
    ("SGOs", True), ("SGs", True), ("ABCDEFs", True),  # and their plurals
    ("ABCDEFGs", False), ("Sgos", False), ("SGos", False), ("Ks", False),
    ("Colour", True), ("COLOURS", False),  # case does not matter; the word does
    ("dog's", True), ("dogs'", True), ("james'", True), ("James’", True),
    ("dogs", False),  # no plural in this list
])
def test_what_counts_as_a_known_word(word: str, known: bool) -> None:
    assert Speller(WORDS).knows(word) is known


def test_a_word_list_is_looked_up_in_lower_case() -> None:
    assert Speller(["Colour"]).knows("colour")
    assert Speller(frozenset({"colour"})).knows("COLOUR")


def test_only_the_given_words_are_suggested_never_an_american_one() -> None:
    speller = Speller(["colour"])
    assert speller.suggestions("color") == ["colour"]  # pyspellchecker's own "en" unused
    assert speller.suggestions("colour") == []  # a known word is not its own suggestion
    assert speller.suggestions("cxlxuy") == []  # three edits away: too far


def test_suggestions_keep_the_capital_and_stop_at_six() -> None:
    speller = Speller(["bat", "bad", "ban", "bag", "bar", "bap", "bay", "cat", "hat"])
    assert speller.suggestions("Baz") == ["Bad", "Bag", "Ban", "Bap", "Bar", "Bat"]
    assert len(speller.suggestions("baz", limit=2)) == 2


def test_a_word_added_while_in_use_is_suggested_at_once() -> None:
    speller = Speller(["colour"])
    assert speller.suggestions("Cymry") == []  # pyspellchecker is made now
    speller.add("Cymru")
    assert speller.suggestions("Cymry") == ["Cymru"]
    assert speller.knows("cymru")


@pytest.mark.parametrize(("a", "b", "shared"), [
    ("supervisor", "supervison", 9), ("abc", "xyz", 0), ("abc", "abcd", 3), ("", "a", 0),
])
def test_the_shared_start_of_two_words(a: str, b: str, shared: int) -> None:
    assert _shared_start(a, b) == shared


def test_did_you_mean_replaces_each_misspelt_word_with_its_first_suggestion() -> None:
    speller = Speller(WORDS)
    assert corrected(speller, "carrer supervison") == "carer supervisor"
    assert corrected(speller, "carer supervision") is None
    assert corrected(speller, "zzzzzzz") is None  # nothing close: nothing to offer


def test_a_personal_word_is_one_word_of_up_to_64_letters() -> None:
    assert MAX_PERSONAL_WORD == 64
    assert check_personal_word("a" * 64) == "a" * 64
    assert check_personal_word(" O’Neill ") == "O'Neill"
    with pytest.raises(ValueError) as refused:
        check_personal_word("a" * 65)
    assert str(refused.value) == (f"“{'a' * 64}” is not one word, so it was not added to your "
                                  "dictionary.")


def test_two_edits_are_tried_only_for_a_short_word() -> None:
    speller = Speller(["colour", "abcdefghij"])
    assert speller.suggestions("culor") == ["colour"]  # 5 letters, two edits away
    assert speller.suggestions("abcdefghix") == ["abcdefghij"]  # one edit
    assert speller.suggestions("abcdefghixy") == []  # 11 letters, two edits: not tried
    assert speller.suggestions("safeguardingarrangements") == []  # answered at once


def test_accents_written_as_combining_marks_are_part_of_the_word() -> None:
    """Text pasted from a Mac often has ŵ as "w" and a combining circumflex."""
    import unicodedata

    speller = Speller(["café", "naïve"], personal=["Dŵr"])
    text = unicodedata.normalize("NFD", "café Dŵr naïve cafe")
    assert [text[a:a + n] for a, n in speller.misspelt(text)] == ["cafe"]


def test_two_edits_are_still_tried_at_eight_letters() -> None:
    assert Speller(["abcdefgh"]).suggestions("abcdefxy") == ["abcdefgh"]  # 8 letters
    assert Speller(["abcdefghi"]).suggestions("abcdefgxy") == []  # 9: one edit only
