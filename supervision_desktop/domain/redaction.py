"""Which words of a subject access disclosure name someone else, and the text without them.

A person asking for what is held about them (UK GDPR Art. 15) is not entitled to other
people's personal data held alongside it: a sibling's name in a record about them, a
carer's name in a child's record. The vault knows the people it holds, so each other
person's full name, first name alone (written as a name: "Jack", or "jack" where that is
not also an English word) and ids (the person's vault id, a child's case id) are
proposed for redaction. The disclosed person's own names are never redacted.

A redaction removes the words from the text (replaced by ``REDACTED``) before anything
is drawn, so the PDF's text layer never holds them. Pure: no vault.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

REDACTED = "[redacted]"
WITHHELD = "withheld"
"""A signature value's key (never in a record: templates refuse it) set by a disclosure
that leaves another person's drawn signature out; the PDF then says so."""
FULL_NAME, FIRST_NAME, VAULT_ID, CASE_ID = "full name", "first name", "id", "case id"
MIN_NAME = 2  # letters: a lone initial is never proposed
MIN_ID = 3  # characters: a case id of "7" would take every 7 out of the text
NOT_FIRST_NAMES = frozenset({"the", "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev",
                             "sir", "dame", "lord", "lady", "master"})


@dataclass(frozen=True)
class KnownPerson:
    """Someone the vault holds: their name, any other names (a household's carers) and
    their ids."""

    id: str
    name: str
    other_names: tuple[str, ...] = ()
    case_id: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.name, *self.other_names) if n.strip())


@dataclass(frozen=True)
class Term:
    """Words proposed for redaction: what is matched, and whose it is."""

    text: str  # as the vault holds it ("Jack", "Jack Fernsby", "C-2002")
    kind: str  # FULL_NAME, FIRST_NAME, VAULT_ID or CASE_ID
    person: str  # the full name of the person it belongs to
    exact_case: bool = False  # a first name that is also a word: matched as a name only


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _first_name(name: str) -> str:
    words = name.split()
    if len(words) < 2:  # a single name is matched whole, as the full name
        return ""
    word = words[0].strip(".,")
    if word.casefold() in NOT_FIRST_NAMES or len(word) < MIN_NAME:
        return ""
    return word


def terms_for(person: KnownPerson, others: Iterable[KnownPerson],
              words: Collection[str] = frozenset()) -> list[Term]:
    """The terms to propose for a disclosure about ``person``: each other person's full
    names, first names and ids, never any of ``person``'s own names or name words.
    ``words`` are lower-case dictionary words: a first name that is one ("Will", "May")
    is matched only as written with a capital, so "we will" keeps its "will"."""
    own_names = {_fold(n) for n in person.names}
    own_words = {w for n in own_names for w in n.split()}
    found: dict[str, Term] = {}

    def add(term: Term) -> None:
        key = _fold(term.text)
        if key and key not in own_names and key not in own_words and key not in found:
            found[key] = term

    for other in others:
        if other.id == person.id:
            continue
        for name in other.names:
            if len(name.strip()) >= MIN_NAME:
                add(Term(" ".join(name.split()), FULL_NAME, other.name))
        for name in other.names:
            first = _first_name(name)
            if first:
                add(Term(first, FIRST_NAME, other.name,
                         exact_case=first.casefold() in words))
        for text, kind in ((other.id, VAULT_ID), (other.case_id.strip(), CASE_ID)):
            if len(text) >= MIN_ID:
                add(Term(text, kind, other.name))
    return sorted(found.values(), key=lambda t: (t.person.casefold(), t.kind, t.text))


def _pattern(term: Term) -> str:
    body = r"\s+".join(re.escape(word) for word in term.text.split())
    if term.exact_case:  # "Will" or "WILL", never "will"
        return f"(?:{body}|{re.escape(term.text.upper())})"
    return f"(?i:{body})"


@dataclass
class Redactor:
    """Finds and removes terms in text; counts what it found, per term and per item."""

    terms: Sequence[Term]
    keep: Collection[str] = ()  # term texts (folded) left in the text

    def __post_init__(self) -> None:
        # one named group per term, longest first: the group that matched is the term
        self._longest_first = sorted(self.terms, key=lambda t: len(t.text), reverse=True)
        self._regex = (re.compile(r"(?<!\w)(?:" + "|".join(
            f"(?P<t{number}>{_pattern(term)})"
            for number, term in enumerate(self._longest_first)) + r")(?!\w)")
            if self.terms else None)
        self._kept = {_fold(k) for k in self.keep}
        self.found: dict[Term, dict[int, int]] = {}  # term -> item number -> times

    def text(self, text: str, item: int) -> str:
        """``text`` with every term not kept replaced by REDACTED; counted for ``item``."""
        if self._regex is None or not text:
            return text

        def replace(match: re.Match[str]) -> str:
            term = self._longest_first[int(str(match.lastgroup)[1:])]
            per_item = self.found.setdefault(term, {})
            per_item[item] = per_item.get(item, 0) + 1
            return match.group(0) if _fold(term.text) in self._kept else REDACTED

        return self._regex.sub(replace, text)

    def value(self, value: Any, item: int,
              keep_key: Callable[[str], bool] = lambda key: False) -> Any:
        """A record value (text, list, table row, signature) with every text redacted;
        dictionary keys (field and column ids) are left as they are, and so are the values
        of keys ``keep_key`` accepts (a drawn signature's strokes)."""
        if isinstance(value, str):
            return self.text(value, item)
        if isinstance(value, list):
            return [self.value(v, item, keep_key) for v in value]
        if isinstance(value, Mapping):
            return {k: v if keep_key(str(k)) else self.value(v, item, keep_key)
                    for k, v in value.items()}
        return value

    def is_kept(self, term: Term) -> bool:
        return _fold(term.text) in self._kept

    def redactions(self, term: Term) -> int:
        """How many times ``term`` was taken out (0 if it was kept)."""
        if self.is_kept(term):
            return 0
        return sum(self.found.get(term, {}).values())


def kept_terms(terms: Sequence[Term], names: Iterable[str]) -> tuple[set[str], list[str]]:
    """The term texts (folded) that ``names`` keep, and the names that match nothing.

    A name keeps the term written that way ("Jack": the first name only) or, when it is
    a person's full name, every name of that person (not their ids: keep those by id)."""
    kept: set[str] = set()
    unknown: list[str] = []
    for name in names:
        key = _fold(name)
        hits = [t for t in terms if _fold(t.text) == key
                or (_fold(t.person) == key and t.kind in (FULL_NAME, FIRST_NAME))]
        if not hits:
            unknown.append(name)
        kept.update(_fold(t.text) for t in hits)
    return kept, unknown
