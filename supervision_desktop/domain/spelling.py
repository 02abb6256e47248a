"""UK English spelling: which words of a text are not known, and what they may have meant.

The words are SCOWL's British English list (resources/dictionaries), plus the person's own
dictionary (names, places, terms of the trade: kept in the encrypted vault). Suggestions are
the words one edit away (two for a short word), made with pyspellchecker's edits, closest
first, only when asked (a context menu opening), never while typing.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

# A word: letters (any script, so ŵ and ŷ are letters) with any combining accents (text
# pasted from a Mac often writes ŵ as w and a combining circumflex), joined by apostrophes.
_LETTERS = r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*"
WORD = re.compile(rf"{_LETTERS}(?:['’]{_LETTERS})*")
MAX_PERSONAL_WORD = 64


def _plain(word: str) -> str:
    return unicodedata.normalize("NFC", word).replace("’", "'")


# Suggestions: known words one edit away; two edits only for a short word, where the
# second step's hundreds of thousands of candidates still take a fraction of a second.
SECOND_EDIT_UP_TO = 8  # letters


@functools.lru_cache(maxsize=2)
def _edits(words: frozenset[str]) -> Any:
    """pyspellchecker over ``words``, for its edit generation (over the words' letters),
    made once per word list (the shipped one is one set for the whole process)."""
    from spellchecker import SpellChecker

    editor = SpellChecker(language=None, case_sensitive=False)
    editor.word_frequency.load_words(words)
    return editor


class Speller:
    """Looks words up in the dictionary and the person's own words (case-insensitively)."""

    def __init__(self, words: Iterable[str], personal: Iterable[str] = ()) -> None:
        # a frozenset is taken as already lower case: one set shared by every speller
        self._words = (words if isinstance(words, frozenset)
                       else frozenset(w.lower() for w in words))
        self._personal = {_plain(w).lower() for w in personal}
        self._seen: dict[str, bool] = {}  # each word's answer: a paragraph is re-read per key

    def add(self, word: str) -> None:
        self._personal.add(_plain(word).lower())
        self._seen.clear()

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
        """Known words one edit away (two, for a short word), closest first; capitalised
        like ``word``. A long run-together word gets its answer in milliseconds."""
        plain = _plain(word)
        lower = plain.lower()
        first = _edits(self._words).edit_distance_1(lower)
        found = self._known(first) - {lower}
        if not found and len(lower) <= SECOND_EDIT_UP_TO:
            editor = _edits(self._words)
            found = self._known(e for near in first for e in editor.edit_distance_1(near))
            found.discard(lower)
        ranked = sorted(found, key=lambda w: (-_shared_start(w, lower), w))
        if plain[:1].isupper():
            ranked = [w[:1].upper() + w[1:] for w in ranked]
        return ranked[:limit]

    def _known(self, candidates: Iterable[str]) -> set[str]:
        return {c for c in candidates if c in self._words or c in self._personal}


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
