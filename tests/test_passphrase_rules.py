"""The passphrase rule at its edges: exactly 10 characters, exactly score 3, only the first
50 characters judged, each meter label, and each reason in its order (issue 17's mutation
run)."""

from __future__ import annotations

from typing import Any

import pytest

from supervision_desktop.domain.passphrase import SUGGESTION, Strength, _name_words, _reason, assess
from tests.conftest import OWNER

NAME = "it contains your name, which people who know you could guess."
THIS_APP = "it is built on a word anyone would try for this app."
REPEATS = "it repeats the same characters or words."
COMMON = "it is one of the most common passwords, or close to one."
RUN = "it contains a run like “abcd” or “1234”."
KEYBOARD = "it is a keyboard pattern like “qwerty”."
DATES = "dates and years are easy to guess."
WORD = ("a common word or name, even with capitals, digits or symbols added, is easy to "
        "guess.")
PADDED = ("a common word or name with digits, symbols or spaces added is one of the first "
          "things tried.")
SIMPLE = "it is too short and simple."
SHORT = f"Too short: use at least 10 characters. {SUGGESTION}"
ENOUGH = "Strong enough. Another unrelated word makes it stronger."


def _guess(reason: str) -> str:
    return f"Too easy to guess: {reason} {SUGGESTION}"


# (passphrase, the owner's name or None, the whole verdict)
EDGES = {
    "empty": ("", None, Strength(False, 0, f"Type a passphrase. {SUGGESTION}")),
    "9 characters, weak: score 0": ("aaaaaaaaa", None, Strength(False, 0, SHORT)),
    "9 characters, random: score held at 1": ("x7#Lq!9vR", None, Strength(False, 1, SHORT)),
    "10 characters, random: accepted": ("x7#Lq!9vRt", None, Strength(True, 3, ENOUGH)),
    "10 spaces": (" " * 10, None,
                  Strength(False, 0, f"Too easy to guess: it is only spaces. {SUGGESTION}")),
    "score 3: strong enough": ("kettle lamp", None, Strength(True, 3, ENOUGH)),
    "score 4: very strong": ("gravel moth 12", None, Strength(True, 4, "Very strong.")),
    "score 1: refused with its score": ("supervision2026", None,
                                        Strength(False, 1, _guess(THIS_APP))),
    "score 0: refused with its score": ("qwertyuiop", None, Strength(False, 0, _guess(COMMON))),
    "a keyboard pattern": ("zxcvbnm,./", None, Strength(False, 1, _guess(KEYBOARD))),
    "a date": ("19/07/1987", None, Strength(False, 1, _guess(DATES))),
    "a word padded: score 2 whatever zxcvbn says": (
        "Lantern 8302#1947", OWNER, Strength(False, 2, _guess(PADDED))),
    "the owner's name padded": ("Testwell 8302#1947", OWNER, Strength(False, 2, _guess(NAME))),
    "the owner's name padded, with no owner given": (
        "Testwell 8302#1947", None, Strength(True, 4, "Very strong.")),
    "two words with a hyphen are not one padded word": (
        "Otter-Violin", None, Strength(True, 3, ENOUGH)),
    "letters only are not padded": ("tangerineplywood", None, Strength(True, 3, ENOUGH)),
    "one word with capitals scattered is judged by its guesses, not as padded": (
        "pHoToSyNtHeSiS", None, Strength(True, 3, ENOUGH)),
    "a name and the owner's name given": ("kettle lamp", "Kettle Lamp",
                                          Strength(False, 0, _guess(NAME))),
}


@pytest.mark.parametrize("case", EDGES)
def test_each_edge_of_the_rule_gives_its_verdict(case: str) -> None:
    passphrase, owner, expected = EDGES[case]
    assert assess(passphrase, [owner] if owner else []) == expected


def test_only_the_first_50_characters_are_judged() -> None:
    """46 a's and "Zq#7x": the first 50 characters score 2, all 51 would score 3."""
    weak_start = "a" * 46 + "Zq#7x"
    assert len(weak_start) == 51
    assert assess(weak_start) == Strength(False, 2, _guess(REPEATS))
    assert assess(weak_start[:50]) == Strength(False, 2, _guess(REPEATS))


@pytest.mark.parametrize(("score", "label"), [
    (0, "Very weak"), (1, "Weak"), (2, "Fair"), (3, "Strong"), (4, "Very strong")])
def test_the_meter_names_each_score(score: int, label: str) -> None:
    assert Strength(score >= 3, score, "").label == label


@pytest.mark.parametrize("passphrase", [
    "supervision2026", "supervisor2026", "desktop2026", "vaulttluav", "fostering2026",
    "foster2026", "carerrerac", "social2026", "worker2026", "children2026", "passphrase2026"])
def test_every_word_of_this_apps_vocabulary_counts_as_an_easy_guess(passphrase: str) -> None:
    assert assess(passphrase) == Strength(False, 1, _guess(THIS_APP))


def test_the_owners_name_counts_in_full_joined_and_word_by_word() -> None:
    assert _name_words(["  Siân O'Neil-Jones ", "J Bloggs", "   ", "", "Al--Ox"]) == {
        "siân o'neil-jones", "siânoneiljones", "siân", "neil", "jones",
        "j bloggs", "jbloggs", "bloggs",
        "al--ox", "alox", "al", "ox"}


@pytest.mark.parametrize(("owner", "passphrase"), [
    ("Siân O'Neil-Jones", "Siân O'Neil-Jones"),
    ("Morgan Testwell", "morgantestwell1"),
    ("Morgan Testwell", "Testwell2026!"),
])
def test_a_passphrase_built_on_the_owners_name_says_so(owner: str, passphrase: str) -> None:
    strength = assess(passphrase, [owner])
    assert (strength.acceptable, strength.hint) == (False, _guess(NAME))


def _match(pattern: str, **more: str) -> dict[str, Any]:
    return {"pattern": pattern, **more}


def _user(word: str) -> dict[str, Any]:
    return _match("dictionary", dictionary_name="user_inputs", matched_word=word)


# zxcvbn's matches, as many as it found: the most telling reason wins, in this order
REASONS = {
    "the owner's name before all": (
        [_match("repeat"), _user("vault"), _user("testwell")], NAME),
    "this app's words before a repeat": ([_match("repeat"), _user("vault")], THIS_APP),
    "another word the user gave is just a word": ([_user("lantern")], WORD),
    "a repeat before a common password": (
        [_match("dictionary", dictionary_name="passwords"), _match("repeat")], REPEATS),
    "a common password before a run": (
        [_match("sequence"), _match("dictionary", dictionary_name="passwords")], COMMON),
    "a run before a keyboard pattern": ([_match("spatial"), _match("sequence")], RUN),
    "a keyboard pattern before a date": ([_match("date"), _match("spatial")], KEYBOARD),
    "a date": ([_match("bruteforce"), _match("date")], DATES),
    "a recent year": ([_match("regex")], DATES),
    "an English word": ([_match("dictionary", dictionary_name="english_wikipedia")], WORD),
    "nothing telling": ([_match("bruteforce")], SIMPLE),
    "nothing at all": ([], SIMPLE),
}


@pytest.mark.parametrize("case", REASONS)
def test_the_most_telling_weakness_is_the_reason_given(case: str) -> None:
    sequence, reason = REASONS[case]
    assert _reason(sequence, {"morgan", "testwell", "morgan testwell"}) == reason
