"""How strong a new passphrase is, in words a user can act on.

Strength is estimated with zxcvbn (Dropbox's estimator: it knows the common passwords,
names, words, keyboard patterns, repeats, runs, dates and look-alike swaps an attacker
tries first) and a passphrase is accepted from score 3 ("safely unguessable", about
10^8 guesses or more, which Argon2id makes years of work) and 10 characters. The
owner's name and this app's own vocabulary count as guesses too. Every refusal says
why, with the same suggestion: several unrelated words.

zxcvbn's time grows steeply with length (a 100-character paste took two seconds), so it
sees only the first `ESTIMATED_CHARACTERS`: a strong start is strong enough, and typing
stays instant. zxcvbn keeps the user's words in a module-level dictionary, so calls are
serialised (the GUI estimates while a background thread may be checking too).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from zxcvbn import zxcvbn

MINIMUM_LENGTH = 10
MINIMUM_SCORE = 3  # zxcvbn's 0..4
ESTIMATED_CHARACTERS = 50  # ~0.1 s at worst on a laptop; see the module docstring
# Words anyone attacking this app's files would try first.
CONTEXT_WORDS = ("supervision", "supervisor", "desktop", "vault", "fostering", "foster",
                 "carer", "social", "worker", "children", "passphrase")
SUGGESTION = ("Try four or more unrelated words that only you would put together, "
              "with spaces between them.")
LABELS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")

_estimator_lock = threading.Lock()


@dataclass(frozen=True)
class Strength:
    acceptable: bool
    score: int  # 0 (very weak) .. 4 (very strong): for a meter
    hint: str  # why it is refused and what to do instead, or how good it is

    @property
    def label(self) -> str:
        return LABELS[self.score]


def _name_words(user_inputs: Iterable[str]) -> set[str]:
    words: set[str] = set()
    for text in user_inputs:
        text = text.strip().lower()
        if text:
            parts = [w for w in re.split(r"[\s\-']+", text) if w]
            words.update({text, "".join(parts)}, (w for w in parts if len(w) >= 2))
    return words


def _reason(sequence: Sequence[dict[str, Any]], names: set[str]) -> str:
    """The most telling weakness among what zxcvbn matched, in plain UK English."""
    def has(predicate: Any) -> bool:
        return any(predicate(match) for match in sequence)

    def dictionary(name: str) -> Any:
        return lambda m: m["pattern"] == "dictionary" and m.get("dictionary_name") == name

    def user_word(words: set[str] | tuple[str, ...]) -> Any:
        return lambda m: dictionary("user_inputs")(m) and m.get("matched_word") in words

    checks = [
        (user_word(names), "it contains your name, which people who know you could guess."),
        (user_word(CONTEXT_WORDS), "it is built on a word anyone would try for this app."),
        (lambda m: m["pattern"] == "repeat", "it repeats the same characters or words."),
        (dictionary("passwords"), "it is one of the most common passwords, or close to one."),
        (lambda m: m["pattern"] == "sequence", "it contains a run like “abcd” or “1234”."),
        (lambda m: m["pattern"] == "spatial", "it is a keyboard pattern like “qwerty”."),
        (lambda m: m["pattern"] in ("date", "regex"), "dates and years are easy to guess."),
        (lambda m: m["pattern"] == "dictionary",
         "a common word or name, even with capitals, digits or symbols added, is easy "
         "to guess."),
    ]
    for predicate, reason in checks:
        if has(predicate):
            return reason
    return "it is too short and simple."


def _estimate(text: str, names: set[str]) -> dict[str, Any]:
    with _estimator_lock:
        result: dict[str, Any] = zxcvbn(text[:ESTIMATED_CHARACTERS],
                                        user_inputs=[*sorted(names), *CONTEXT_WORDS])
    return result


def _padded_word(passphrase: str, names: set[str]) -> str | None:
    """Why it is weak if it is one word (or name) with digits, symbols or spaces around
    it, like "Desktop12345!"; None otherwise."""
    letters = "".join(ch for ch in passphrase.lower() if ch.isalpha())
    if not letters or letters == passphrase.lower():
        return None
    sequence = _estimate(letters, names)["sequence"]
    if len(sequence) != 1 or sequence[0]["pattern"] != "dictionary":
        return None
    if sequence[0].get("matched_word") in names:
        return "it contains your name, which people who know you could guess."
    return ("a common word or name with digits, symbols or spaces added is one of the "
            "first things tried.")


def assess(passphrase: str, user_inputs: Sequence[str] = ()) -> Strength:
    """How strong ``passphrase`` is; ``user_inputs``: the owner's name and anything else
    about them that an attacker would know (it counts as an easy guess)."""
    if not passphrase:
        return Strength(False, 0, f"Type a passphrase. {SUGGESTION}")
    names = _name_words(user_inputs)
    result = _estimate(passphrase, names)
    score = int(result["score"])
    if len(passphrase) < MINIMUM_LENGTH:
        return Strength(False, min(score, 1),
                        f"Too short: use at least {MINIMUM_LENGTH} characters. {SUGGESTION}")
    if not passphrase.strip():
        return Strength(False, 0, f"Too easy to guess: it is only spaces. {SUGGESTION}")
    if score < MINIMUM_SCORE:
        reason = _reason(result["sequence"], names)
        return Strength(False, score, f"Too easy to guess: {reason} {SUGGESTION}")
    padded = _padded_word(passphrase, names)
    if padded:
        return Strength(False, 2, f"Too easy to guess: {padded} {SUGGESTION}")
    if score == MINIMUM_SCORE:
        return Strength(True, score, "Strong enough. Another unrelated word makes it stronger.")
    return Strength(True, score, "Very strong.")
