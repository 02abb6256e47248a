"""New passphrases: common weak ones refused with the reason and a suggestion, strong ones
accepted; the same rule at first run, change, recovery and restore, in the CLI too."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from supervision_desktop.cli import run
from supervision_desktop.domain.passphrase import SUGGESTION, assess
from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import vault_access
from supervision_desktop.store import vault as vaults
from tests.conftest import OWNER, PASSPHRASE

COMMON = "it is one of the most common passwords, or close to one."
REPEATS = "it repeats the same characters or words."
THIS_APP = "it is built on a word anyone would try for this app."
NAME = "it contains your name, which people who know you could guess."
DATES = "dates and years are easy to guess."
RUN = "it contains a run like “abcd” or “1234”."
PADDED = ("a common word or name with digits, symbols or spaces added is one of the first "
          "things tried.")
SHORT = "Too short: use at least 10 characters."

# (passphrase, the reason given): the owner is Morgan Testwell
WEAK = [
    (" " * 10, "it is only spaces."),
    (" " * 40, "it is only spaces."),
    ("aaaaaaaaaaaa", REPEATS),
    ("11111111111", REPEATS),
    ("abc123abc123", REPEATS),
    ("trustno1trustno1", REPEATS),
    ("vaultvault12", REPEATS),
    ("Password123!", COMMON),
    ("P@ssw0rd2026", COMMON),
    ("password1234", COMMON),
    ("qwertyuiop", COMMON),
    ("qwerty123456", COMMON),
    ("1234567890", COMMON),
    ("iloveyou123", COMMON),
    ("letmein12345", COMMON),
    ("welcome2026", COMMON),
    ("football123", COMMON),
    ("sunshine2026", COMMON),
    ("monkey123456", COMMON),
    ("Liverpool1892", COMMON),
    ("correcthorse", COMMON),
    ("supervision2026", THIS_APP),
    ("Supervision2026!", THIS_APP),
    ("Fostering2026", THIS_APP),
    ("Children1234", THIS_APP),
    ("abcdefghijkl", RUN),
    ("January2026", DATES),
    ("01/01/1990x!", DATES),
    ("Morgan Testwell", NAME),
    ("morgantestwell1", NAME),
    ("Testwell2026!", NAME),
    ("Morgan-Testwell-88", NAME),
    ("Desktop12345!", PADDED),
    ("Rhiannon1999!!", PADDED),
    ("hello world", PADDED),
]


@pytest.mark.parametrize(("passphrase", "reason"), WEAK, ids=[repr(p) for p, _ in WEAK])
def test_common_weak_passphrases_are_refused_with_the_reason_and_a_suggestion(
    passphrase: str, reason: str
) -> None:
    strength = assess(passphrase, [OWNER])
    assert not strength.acceptable
    assert strength.hint == f"Too easy to guess: {reason} {SUGGESTION}"
    assert strength.score <= 2


def test_the_suggestion_is_several_unrelated_words() -> None:
    assert SUGGESTION == ("Try four or more unrelated words that only you would put together, "
                          "with spaces between them.")


@pytest.mark.parametrize("passphrase", ["", "short", "Ab1!xyz", "nine char"])
def test_short_passphrases_are_refused(passphrase: str) -> None:
    strength = assess(passphrase)
    assert not strength.acceptable
    assert strength.hint.endswith(SUGGESTION)
    assert strength.hint.startswith(SHORT if passphrase else "Type a passphrase.")


STRONG = [
    PASSPHRASE,  # "correct horse battery staple"
    "tangerine plywood orbit lantern",
    "kettle lantern harbour quince",
    "purple giraffe mends teapots",
    "Otter-Violin-Gravel-Sunday",
    "seven damp kites over Rhyl",
    "the heron sells blue umbrellas",
    "gravel moth cinema tulip",
    "x7#Lq!9vRt2&mZ",
    "8302 1947 5521 0038",
    "Tr0ub4dor&3 walks slowly",
]


@pytest.mark.parametrize("passphrase", STRONG)
def test_strong_passphrases_are_accepted(passphrase: str) -> None:
    strength = assess(passphrase, [OWNER])
    assert strength.acceptable
    assert (strength.score, strength.label, strength.hint) == (4, "Very strong", "Very strong.")


def test_the_owners_name_counts_only_when_given() -> None:
    assert assess("Morgan Testwell lantern").acceptable
    assert not assess("morgantestwell1", ["Morgan Testwell"]).acceptable
    assert not assess("Rhiannon Wyn!!", ["Rhiannon Wyn"]).acceptable


def test_a_long_paste_is_estimated_quickly_from_its_start() -> None:
    """zxcvbn alone takes seconds on 100 characters and refuses more than 72; only the
    first 50 are estimated, so a long paste is judged by a strong start."""
    paste = "gravel moth cinema tulip " * 40  # 1,000 characters
    started = time.perf_counter()
    strength = assess(paste)
    assert strength.acceptable
    assert time.perf_counter() - started < 2.0  # measured ~0.1 s; generous for a busy CI
    assert not assess("a" * 60 + "gravel moth cinema tulip").acceptable  # the start decides


# --- every place a new passphrase is set ---------------------------------------------


def test_first_run_refuses_a_weak_passphrase_and_makes_nothing(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        vault_access.create_vault(tmp_path / "v", owner_name="Morgan Testwell",
                                  role="supervisor", passphrase="Testwell2026!")
    assert str(caught.value) == f"Passphrase: Too easy to guess: {NAME} {SUGGESTION}"
    assert not (tmp_path / "v").exists()


def test_changing_to_the_owners_name_is_refused(vault_folder: Path) -> None:
    with vaults.open_with_passphrase(vault_folder, PASSPHRASE) as vault:
        with pytest.raises(InvalidInput, match="contains your name"):
            vault_access.change_passphrase(vault, PASSPHRASE, "Morgan Testwell 2026")
        with pytest.raises(InvalidInput, match="only spaces"):
            vault_access.change_passphrase(vault, PASSPHRASE, " " * 12)
    vaults.open_with_passphrase(vault_folder, PASSPHRASE).close()  # unchanged


def test_recovery_refuses_a_weak_new_passphrase(vault_folder: Path, recovery_key: str) -> None:
    with pytest.raises(InvalidInput, match="most common passwords"):
        vault_access.unlock_with_recovery_key(vault_folder, recovery_key, "Password123!")
    vaults.open_with_passphrase(vault_folder, PASSPHRASE).close()  # unchanged


def test_cli_init_refuses_a_common_password_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", "Password123!")
    status = run(["init", "--vault", str(tmp_path / "v"), "--name", "Bryn Example"])
    _, err = capsys.readouterr()
    assert status == 1
    assert f"Too easy to guess: {COMMON}" in err
    assert "four or more unrelated words" in err
    assert not (tmp_path / "v").exists()
