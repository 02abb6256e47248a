"""How strong a new passphrase is, in words a user can act on."""

from __future__ import annotations

from dataclasses import dataclass

MINIMUM_LENGTH = 10


@dataclass(frozen=True)
class Strength:
    acceptable: bool
    hint: str


def assess(passphrase: str) -> Strength:
    length = len(passphrase)
    if length < MINIMUM_LENGTH:
        return Strength(False, f"Too short: use at least {MINIMUM_LENGTH} characters.")
    words = len(passphrase.split())
    kinds = sum(
        (
            any(c.islower() for c in passphrase),
            any(c.isupper() for c in passphrase),
            any(c.isdigit() for c in passphrase),
            any(not c.isalnum() for c in passphrase),
        )
    )
    if length >= 20 or words >= 4:
        return Strength(True, "Strong.")
    if kinds >= 3:
        return Strength(True, "Good. Four or more unrelated words make it stronger still.")
    return Strength(True, "Acceptable. A longer phrase of unrelated words is stronger.")
