"""Unlocking quickly, checking every page later: damage is still found and reported."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from supervision_desktop.errors import VaultDamaged
from supervision_desktop.services import people, vault_access
from supervision_desktop.store import vault as vaults
from tests.conftest import PASSPHRASE


def damage_a_page_nobody_reads_at_unlock(folder: Path, data_key: bytes) -> None:
    """Fill a table of its own with many pages (after everything else in the file), then
    spoil one of its later pages: a damaged page a quick check does not read."""
    vault = vaults.open_with_key(folder, data_key)
    with vault.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE filler (text TEXT)")
        for number in range(120):
            connection.exec_driver_sql("INSERT INTO filler VALUES (?)", (f"{number} " * 400,))
    vault.close()
    database = folder / "vault.db"
    data = bytearray(database.read_bytes())
    pages = len(data) // 4096
    assert pages > 60
    page = pages - 20
    data[page * 4096 + 1000 : page * 4096 + 1010] = b"\xff" * 10
    database.write_bytes(bytes(data))


def test_quick_open_of_a_sound_vault_then_the_full_check_finds_nothing(
    vault_folder: Path,
) -> None:
    unlocked = vault_access.unlock_with_passphrase(vault_folder, PASSPHRASE, full_check=False)
    assert unlocked.check_pending
    with unlocked.vault as vault:
        people.add_person(vault, "child", {"name": "Ffion Example"})
        assert vault_access.check_integrity(vault) is None
        assert [p.name for p in people.list_people(vault)] == ["Ffion Example"]


def test_full_open_is_the_default_and_needs_no_later_check(vault_folder: Path) -> None:
    unlocked = vault_access.unlock_with_passphrase(vault_folder, PASSPHRASE)
    unlocked.vault.close()
    assert not unlocked.check_pending


def test_damage_the_quick_check_misses_is_found_by_the_full_check(
    vault_folder: Path, data_key: bytes
) -> None:
    damage_a_page_nobody_reads_at_unlock(vault_folder, data_key)
    database = vault_folder / "vault.db"
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    with pytest.raises(VaultDamaged, match="passphrase is right"):  # the default: every page
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before

    with vaults.open_with_key(vault_folder, data_key, full_check=False) as vault:
        problem = vault.check_integrity()
    assert problem is not None
    assert "damaged" in problem and "Restore your most recent backup" in problem


def test_damage_to_the_first_page_is_caught_by_the_quick_check(vault_folder: Path) -> None:
    database = vault_folder / "vault.db"
    data = bytearray(database.read_bytes())
    data[200:220] = b"\x00" * 20
    database.write_bytes(bytes(data))
    with pytest.raises(VaultDamaged, match="damaged"):
        vaults.open_with_passphrase(vault_folder, PASSPHRASE, full_check=False)


def test_check_after_closing_reports_nothing_and_reads_nothing(
    vault_folder: Path, data_key: bytes
) -> None:
    vault = vaults.open_with_key(vault_folder, data_key, full_check=False)
    vault.close()
    assert vault.check_integrity() is None
