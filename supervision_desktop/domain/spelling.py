"""UK English spelling: which words of a text are not known, and what they may have meant.

The words are SCOWL's British English list (resources/dictionaries), plus the person's own
dictionary (names, places, terms of the trade: kept in the encrypted vault). Suggestions are
pyspellchecker's edits one and two away that are in those words, closest first, made only
when asked (a context menu opening), never while typing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# A word: letters (any script, so ŵ and ŷ are letters), joined by apostrophes.
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
MAX_PERSONAL_WORD = 64


def _plain(word: str) -> str:
    return word.replace("’", "'")


class Speller:
    """Looks words up in the dictionary and the person's own words (case-insensitively)."""

    def __init__(self, words: Iterable[str], personal: Iterable[str] = ()) -> None:
        # a frozenset is taken as already lower case: one set shared by every speller
        self._words = (words if isinstance(words, frozenset)
                       else frozenset(w.lower() for w in words))
        self._personal = {_plain(w).lower() for w in personal}
        self._editor: Any = None  # pyspellchecker, made on the first suggestion asked
        self._seen: dict[str, bool] = {}  # each word's answer: a paragraph is re-read per key

    def add(self, word: str) -> None:
        self._personal.add(_plain(word).lower())
        self._seen.clear()
        if self._editor is not None:
            self._editor.word_frequency.add(_plain(word).lower())

    def knows(self, word: str) -> bool:
        known = self._seen.get(word)
        if known is None:
            if len(self._seen) > 50_000:
                self._seen.clear()
            known = self._seen[word] = self._looked_up(word)
        return known

    def _looked_up(self, word: str) -> bool:
        word = _plain(word)
        lower = word.lower()
        if len(word) < 2 or (word.isupper() and len(word) <= 6):  # "I", "NQSW", "SGO"
            return True
        if word.endswith("s") and word[:-1].isupper() and 2 <= len(word) - 1 <= 6:  # "SGOs"
            return True
        if lower in self._words or lower in self._personal:
            return True
        for ending in ("'s", "s'", "'"):  # possessives of words it knows
            if lower.endswith(ending) and self._looked_up(word[: -len(ending)]):
                return True
        return False

    def misspelt(self, text: str) -> list[tuple[int, int]]:
        """(start, length) in characters of each word of ``text`` it does not know."""
        return [(m.start(), m.end() - m.start()) for m in WORD.finditer(text)
                if not self.knows(m.group())]

    def suggestions(self, word: str, limit: int = 6) -> list[str]:
        """Known words one or two edits away, closest first; capitalised like ``word``."""
        plain = _plain(word)
        found = self._checker().candidates(plain.lower()) or set()
        found.discard(plain.lower())
        ranked = sorted(found, key=lambda w: (-_shared_start(w, plain.lower()), w))
        if plain[:1].isupper():
            ranked = [w[:1].upper() + w[1:] for w in ranked]
        return ranked[:limit]

    def _checker(self) -> Any:
        if self._editor is None:
            from spellchecker import SpellChecker

            editor = SpellChecker(language=None, case_sensitive=False, distance=2)
            editor.word_frequency.load_words([*self._words, *self._personal])
            self._editor = editor
        return self._editor


def _shared_start(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def corrected(speller: Speller, typed: str) -> str | None:
    """``typed`` with each misspelt word replaced by its first suggestion, or None when
    no word was misspelt or none has a suggestion (a search's "Did you mean …?")."""
    changed = False

    def better(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group()
        if speller.knows(word):
            return word
        found = speller.suggestions(word, limit=1)
        if not found:
            return word
        changed = True
        return found[0]

    result = WORD.sub(better, typed)
    return result if changed else None


def check_personal_word(word: str) -> str:
    """The word to add to the person's dictionary, or ValueError saying why it cannot be."""
    word = _plain(word.strip())
    if not word or len(word) > MAX_PERSONAL_WORD or WORD.fullmatch(word) is None:
        raise ValueError(f"“{word[:MAX_PERSONAL_WORD]}” is not one word, so it was not added "
                         "to your dictionary.")
    return word
