"""Names a form offers in its person fields, read from the vault once per form.

A person field keeps the name as text (people leave, names change, and a record must
read the same later); the vault's people are only offered as suggestions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from supervision_desktop.domain.spelling import Speller
from supervision_desktop.services import spelling
from supervision_desktop.services.info import vault_info
from supervision_desktop.services.people import list_people
from supervision_desktop.store.vault import Vault

# A template's person_kind → the kinds of people in the vault that can fill it.
SOURCES: Mapping[str, tuple[str, ...]] = {
    "supervisor": ("supervisee",),
    "supervisee": ("supervisee",),
    "carer": ("carer",),
    "child": ("child",),
}
OWNER_FILLS = frozenset({"supervisor", "supervisee"})  # the vault owner can be either


@dataclass(frozen=True)
class Subject:
    id: str
    name: str


@dataclass(frozen=True)
class FormChoices:
    """Suggestions for person fields and the people a record can be about."""

    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # person_kind → names
    subjects: tuple[Subject, ...] = ()
    speller: Speller | None = None  # spell check for multi-line boxes (None: none)
    add_word: Callable[[str], object] | None = None  # "Add to dictionary": into the vault

    def names_for(self, person_kind: str | None) -> tuple[str, ...]:
        return self.names.get(person_kind or "", ())


def load_choices(vault: Vault, subject_kind: str) -> FormChoices:
    """Everyone the vault knows, grouped for person fields, and the possible subjects."""
    people = list_people(vault)
    owner = vault_info(vault).owner_name
    names: dict[str, tuple[str, ...]] = {}
    for person_kind, kinds in SOURCES.items():
        found = sorted({p.name for p in people if p.kind in kinds}, key=str.casefold)
        if person_kind in OWNER_FILLS and owner and owner not in found:
            found.insert(0, owner)
        names[person_kind] = tuple(found)
    subjects = tuple(Subject(p.id, p.name) for p in people if p.kind == subject_kind)
    checker = spelling.speller(vault)
    return FormChoices(names, subjects, checker,
                       lambda word: spelling.add_to_dictionary(vault, word, checker))
