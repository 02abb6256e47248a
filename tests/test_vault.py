"""The vault keeps its promises: encrypted at rest, right errors, one process at a time."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from supervision_desktop.errors import (
    VaultDamaged,
    VaultExists,
    VaultInUse,
    VaultMissing,
    VaultTooNew,
    WrongPassphrase,
)
from supervision_desktop.services import people, vault_access
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.engine import PLAINTEXT_HEADER
from supervision_desktop.store.keyfile import KEY_FILE_NAME, KeyFile
from tests.conftest import PASSPHRASE, files_containing

MARKER = "ZEBEDEE-MARKER-7f3a"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_no_plaintext_in_any_vault_file_while_open_and_after_close(vault_folder: Path) -> None:
    vault = vaults.open_with_passphrase(vault_folder, PASSPHRASE)
    people.add_person(vault, "supervisee", {"name": MARKER, "job_title": MARKER})
    assert sorted(p.name for p in vault_folder.iterdir()) == [
        "vault.db", "vault.db-shm", "vault.db-wal", "vault.key", "vault.lock", "vault.state"
    ]
    assert files_containing(vault_folder, MARKER) == []
    vault.close()
    assert files_containing(vault_folder, MARKER) == []
    assert (vault_folder / "vault.db").read_bytes()[:16] != PLAINTEXT_HEADER
    # and the owner's name, which is content too
    assert files_containing(vault_folder, "Morgan Testwell") == []


def test_every_connection_keeps_temporary_data_in_memory(vault: vaults.Vault) -> None:
    with vault.engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("temp_store", "journal_mode", "synchronous", "foreign_keys")
        }
    assert pragmas == {"temp_store": 2, "journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}


def test_key_wrap_round_trip_and_wrong_passphrase(vault_folder: Path) -> None:
    key_file = KeyFile.load(vault_folder)
    data_key = key_file.unwrap_with_passphrase(PASSPHRASE)
    assert len(data_key) == 32
    with pytest.raises(WrongPassphrase):
        key_file.unwrap_with_passphrase(PASSPHRASE + " ")
    with pytest.raises(WrongPassphrase, match="passphrase is not right"):
        vaults.open_with_passphrase(vault_folder, "not the passphrase")


def test_lowered_kdf_parameters_are_refused(vault_folder: Path) -> None:
    path = vault_folder / KEY_FILE_NAME
    document = json.loads(path.read_text())
    document["wraps"]["passphrase"]["kdf"]["memory_kib"] = 8
    document["wraps"]["passphrase"]["kdf"]["time_cost"] = 1
    path.write_text(json.dumps(document))
    with pytest.raises(VaultDamaged, match="altered"):
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)


def test_changed_salt_cannot_be_used_to_unwrap(vault_folder: Path) -> None:
    path = vault_folder / KEY_FILE_NAME
    document = json.loads(path.read_text())
    document["wraps"]["passphrase"]["kdf"]["salt"] = "AAAAAAAAAAAAAAAAAAAAAA=="
    path.write_text(json.dumps(document))
    with pytest.raises(WrongPassphrase):
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)


def test_recovery_key_opens_and_sets_a_new_passphrase(
    vault_folder: Path, recovery_key: str
) -> None:
    typed_loosely = recovery_key.lower().replace("-", " ")
    vault = vault_access.unlock_with_recovery_key(
        vault_folder, typed_loosely, "a brand new passphrase"
    )
    vault.close()
    with pytest.raises(WrongPassphrase):
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)
    vaults.open_with_passphrase(vault_folder, "a brand new passphrase").close()
    with pytest.raises(WrongPassphrase, match="recovery key"):
        vault_access.unlock_with_recovery_key(
            vault_folder, "AAAA-" * 7 + "AAAA", "whatever long one"
        )


def test_changing_passphrase_rewraps_without_reencrypting(vault_folder: Path) -> None:
    database = vault_folder / "vault.db"
    vault = vaults.open_with_passphrase(vault_folder, PASSPHRASE)
    first_page_before = database.read_bytes()[:4096]
    with pytest.raises(WrongPassphrase):
        vault_access.change_passphrase(vault, "wrong current", "new passphrase here")
    vault_access.change_passphrase(vault, PASSPHRASE, "new passphrase here")
    vault.close()
    assert database.read_bytes()[:4096] == first_page_before
    with pytest.raises(WrongPassphrase):
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)
    vaults.open_with_passphrase(vault_folder, "new passphrase here").close()


def test_damaged_inner_page_is_reported_as_damage_and_nothing_is_written(
    vault_folder: Path,
) -> None:
    vault = vaults.open_with_passphrase(vault_folder, PASSPHRASE)
    for number in range(40):
        people.add_person(vault, "child", {"name": f"Child {number}", "legal_status": "x" * 500})
    vault.close()
    database = vault_folder / "vault.db"
    data = bytearray(database.read_bytes())
    assert len(data) > 5 * 4096
    data[3 * 4096 + 100 : 3 * 4096 + 110] = b"\xff" * 10
    database.write_bytes(bytes(data))
    before = _digest(database)
    with pytest.raises(VaultDamaged) as caught:
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)
    message = str(caught.value)
    assert "damaged" in message and "passphrase is right" in message
    assert _digest(database) == before
    assert not (vault_folder / "vault.db-wal").exists() or (
        (vault_folder / "vault.db-wal").stat().st_size == 0
    )


def test_damaged_first_page_is_not_called_a_wrong_passphrase(vault_folder: Path) -> None:
    database = vault_folder / "vault.db"
    data = bytearray(database.read_bytes())
    data[200:220] = b"\x00" * 20
    database.write_bytes(bytes(data))
    with pytest.raises(VaultDamaged, match="damaged"):
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)


def test_missing_key_file_says_so(vault_folder: Path) -> None:
    (vault_folder / KEY_FILE_NAME).unlink()
    with pytest.raises(VaultMissing, match="key file"):
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)


def test_creating_over_an_existing_vault_is_refused(vault_folder: Path) -> None:
    before = _digest(vault_folder / "vault.db")
    with pytest.raises(VaultExists):
        vault_access.create_vault(
            vault_folder, owner_name="Someone Else", role="supervisor",
            passphrase="gravel moth cinema tulip",
        )
    assert _digest(vault_folder / "vault.db") == before


def test_vault_from_a_newer_version_is_refused_untouched(
    vault_folder: Path, data_key: bytes
) -> None:
    vault = vaults.open_with_key(vault_folder, data_key)
    with vault.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    vault.close()
    before = _digest(vault_folder / "vault.db")
    with pytest.raises(VaultTooNew, match="newer version"):
        vaults.open_with_key(vault_folder, data_key)
    assert _digest(vault_folder / "vault.db") == before


HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from supervision_desktop.store import vault as vaults
    vault = vaults.open_with_key(Path(sys.argv[1]), bytes.fromhex(sys.argv[2]))
    print("open", flush=True)
    time.sleep(120)
    """
)


def test_second_process_is_refused_and_a_killed_holder_leaves_no_stale_lock(
    vault_folder: Path, data_key: bytes
) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(vault_folder), data_key.hex()],
        stdout=subprocess.PIPE, text=True,
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
            with pytest.raises(VaultInUse, match=f"process {holder.pid}"):
                vaults.open_with_passphrase(vault_folder, PASSPHRASE)
        finally:
            holder.send_signal(signal.SIGKILL)
    vaults.open_with_passphrase(vault_folder, PASSPHRASE).close()


AUTOSAVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from supervision_desktop.services import records
    from supervision_desktop.services.templates import catalogue
    from supervision_desktop.store import vault as vaults
    vault = vaults.open_with_key(Path(sys.argv[1]), bytes.fromhex(sys.argv[2]))
    record_id = sys.argv[3]
    field_id = sys.argv[4]
    counter = 0
    while True:
        counter += 1
        records.save_draft(vault, record_id, {field_id: f"autosave {counter}"})
        print(counter, flush=True)
    """
)


@pytest.mark.slow
def test_sigkill_during_autosave_loses_nothing_committed(
    vault_folder: Path, data_key: bytes
) -> None:
    from supervision_desktop.domain.templates import Template
    from supervision_desktop.services import records

    template = Template.model_validate(
        {
            "id": "kill-test", "version": 1, "title": "Kill test", "category": "supervision",
            "subject_kind": "none",
            "source": {"organisation": "Test", "document": "Test", "seed": "none"},
            "sections": [{"id": "s", "title": "S",
                          "fields": [{"id": "note", "kind": "longtext", "label": "Note"}]}],
        }
    )
    vault = vaults.open_with_key(vault_folder, data_key)
    record_id = records.create_record(vault, template)
    vault.close()
    for kill in range(20):
        with subprocess.Popen(
            [sys.executable, "-c", AUTOSAVER, str(vault_folder), data_key.hex(), record_id,
             "note"],
            stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        ) as saver:
            assert saver.stdout is not None
            last = 0
            for _ in range(3 + kill % 7):  # let a few commits land, then kill mid-loop
                last = int(saver.stdout.readline())
            saver.send_signal(signal.SIGKILL)
        vault = vaults.open_with_key(vault_folder, data_key)  # runs the integrity check
        saved = records.get_record(vault, record_id).fields["note"]
        vault.close()
        assert int(saved.split()[1]) >= last
