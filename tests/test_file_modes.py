"""Every file the app writes is 0600 and its folders 0700, whatever the umask (POSIX).

SQLite creates vault.db-wal and vault.db-shm itself, copying the database file's mode;
vault.db is created 0600 before SQLite first opens it, and these tests show the
companions follow under umask 000.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from supervision_desktop.services import audit, backup, people, retention, transfer, vault_access
from supervision_desktop.services.export import write_atomically
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.private_files import create_empty, open_private
from supervision_desktop.store.vault import Vault
from tests.conftest import PASSPHRASE

VAULT_FILES = ["vault.db", "vault.db-shm", "vault.db-wal", "vault.key", "vault.lock",
               "vault.state"]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o000, 0o022], ids=["umask 000", "umask 022"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


def _modes(folder: Path) -> dict[str, int]:
    return {p.name: _mode(p) for p in sorted(folder.iterdir())}


def test_a_new_vault_and_its_sqlite_companions_are_private(umask: int, tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    created = vault_access.create_vault(folder, owner_name="Bryn Example", role="supervisor",
                                        passphrase=PASSPHRASE)
    try:
        people.add_person(created.vault, "supervisee", {"name": "Ceri Example"})
        assert _modes(folder) == dict.fromkeys(VAULT_FILES, 0o600)
        assert _mode(folder) == 0o700
        vault_access.change_passphrase(created.vault, PASSPHRASE, "kettle lantern harbour quince")
        assert _mode(folder / "vault.key") == 0o600  # rewritten, still private
    finally:
        created.vault.close()


def test_an_older_world_readable_vault_is_tightened_when_opened(
    umask: int, vault_folder: Path
) -> None:
    for path in [vault_folder, *vault_folder.iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    with vaults.open_with_passphrase(vault_folder, PASSPHRASE) as vault:
        people.add_person(vault, "supervisee", {"name": "Ceri Example"})
        assert _modes(vault_folder) == dict.fromkeys(VAULT_FILES, 0o600)
    assert _mode(vault_folder) == 0o700


def test_backups_and_restored_vaults_are_private(
    umask: int, vault: Vault, tmp_path: Path, recovery_key: str
) -> None:
    (tmp_path / "usb").mkdir()
    made = backup.back_up(vault, tmp_path / "usb")
    assert _mode(made.path) == 0o600
    backup.restore(made.path, tmp_path / "restored", recovery_key=recovery_key,
                   new_passphrase="kettle lantern harbour quince")
    restored = _modes(tmp_path / "restored")
    assert restored == {"vault.db": 0o600, "vault.key": 0o600, "vault.lock": 0o600,
                        "vault.state": 0o600}
    assert _mode(tmp_path / "restored") == 0o700


def test_exports_bundles_and_reports_are_private(
    umask: int, vault: Vault, tmp_path: Path
) -> None:
    pdf = tmp_path / "record.pdf"
    write_atomically(pdf, b"%PDF-1.7 stand-in")  # every PDF, bundle and backup goes here
    assert _mode(pdf) == 0o600
    pdf.chmod(0o644)
    write_atomically(pdf, b"%PDF-1.7 again")  # replacing a wider file leaves a private one
    assert _mode(pdf) == 0o600

    person = people.add_person(vault, "supervisee", {"name": "Ceri Example"})
    sent = transfer.export_person(vault, person.id, tmp_path / "out.sdtransfer")
    assert _mode(sent.path) == 0o600
    audit.export_csv(vault, tmp_path / "audit.csv")
    retention.write_report_csv(vault, tmp_path / "disposals.csv")
    assert _mode(tmp_path / "audit.csv") == 0o600
    assert _mode(tmp_path / "disposals.csv") == 0o600


def test_private_files_override_what_was_there(umask: int, tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_text("old")
    path.chmod(0o666)
    with open_private(path, "w", encoding="utf-8") as handle:
        handle.write("new")
    assert (_mode(path), path.read_text()) == (0o600, "new")
    create_empty(tmp_path / "empty.db")
    assert _mode(tmp_path / "empty.db") == 0o600
