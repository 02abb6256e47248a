"""The spell checker for a vault: the shipped UK English words and the person's own
dictionary, which holds names and so is kept inside the encrypted vault (a setting)."""

from __future__ import annotations

import functools
import json

from sqlalchemy import select

from supervision_desktop import paths
from supervision_desktop.domain.spelling import WORD, Speller, check_personal_word
from supervision_desktop.errors import InvalidInput
from supervision_desktop.store import settings
from supervision_desktop.store.models import Person
from supervision_desktop.store.vault import Vault

DICTIONARY_FILES = ("en_GB.txt", "social-care.txt")  # resources/dictionaries/README.md
MAX_PERSONAL_WORDS = 10_000


@functools.lru_cache(maxsize=1)
def shipped_words() -> frozenset[str]:
    """SCOWL's British English list and the social care words (resources/dictionaries),
    lower case, read once per process and shared by every speller."""
    folder = paths.resources_dir() / "dictionaries"
    return frozenset(word.lower() for name in DICTIONARY_FILES
                     for word in (folder / name).read_text(encoding="utf-8").split())


def _personal(vault: Vault) -> list[str]:
    with vault.read() as session:
        stored = settings.read(session, settings.PERSONAL_WORDS)
    try:
        words = json.loads(stored) if stored else []
    except ValueError:
        return []
    return [w for w in words if isinstance(w, str)] if isinstance(words, list) else []


def _names(vault: Vault) -> list[str]:
    """Every word of the names of the people and the owner in the vault: never misspelt."""
    with vault.read() as session:
        names = [*session.scalars(select(Person.name)),
                 settings.read(session, settings.OWNER_NAME)]
    return [m.group() for name in names for m in WORD.finditer(name)]


def speller(vault: Vault) -> Speller:
    """The shipped words, the person's own and the names of everyone in the vault."""
    return Speller(shipped_words(), [*_personal(vault), *_names(vault)])


def add_to_dictionary(vault: Vault, word: str, speller_in_use: Speller | None = None) -> str:
    """Keep ``word`` in the person's dictionary (in the vault); returns it as stored."""
    try:
        word = check_personal_word(word)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    with vault.transaction() as session:
        stored = settings.read(session, settings.PERSONAL_WORDS)
        try:
            words = list(json.loads(stored)) if stored else []
        except ValueError:
            words = []
        if word.lower() not in {str(w).lower() for w in words}:
            if len(words) >= MAX_PERSONAL_WORDS:
                raise InvalidInput(f"Your dictionary is full ({MAX_PERSONAL_WORDS} words).")
            words.append(word)
            settings.write(session, settings.PERSONAL_WORDS,
                           json.dumps(sorted(words, key=str.casefold), ensure_ascii=False))
    if speller_in_use is not None:
        speller_in_use.add(word)
    return word
