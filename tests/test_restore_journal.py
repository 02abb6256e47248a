"""A restore killed at any point leaves one whole vault: the old one or the restored one,
with the key file and state marker that belong to it, and the next unlock never asks.

The restore replaces three files (database, key file, marker). The child process below
restores over a vault and dies (os._exit, as abrupt as kill -9 for the files) at the
n-th file-system step it takes (each fsync and each rename), for every n until a restore
completes. After each death the folder is opened normally, with no "keep it as it is".
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from supervision_desktop.errors import WrongPassphrase
from supervision_desktop.services import backup, people
from supervision_desktop.store import restore_journal
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.state_marker import MARKER_NAME
from tests.conftest import PASSPHRASE

NEW_PASSPHRASE = "maple orbit lantern quietly 48"

DIE_AT_STEP = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from supervision_desktop.services import backup
    source, folder, die_at = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    recovery_key, new_passphrase = sys.stdin.readline().strip(), sys.stdin.readline().strip()
    steps = 0
    def dying(real):
        def step(*args, **kwargs):
            global steps
            steps += 1
            if steps == die_at:
                os._exit(9)  # no clean-up, no buffers flushed: as abrupt as kill -9
            return real(*args, **kwargs)
        return step
    os.replace, os.fsync = dying(os.replace), dying(os.fsync)
    backup.restore(source, folder, recovery_key=recovery_key, new_passphrase=new_passphrase,
                   replace=True)
    print("restored", flush=True)
""")


def names_in(folder: Path, passphrase: str) -> list[str]:
    with vaults.open_with_passphrase(folder, passphrase) as vault:
        assert vault.check_integrity() is None
        return sorted(p.name for p in people.list_people(vault))


@pytest.mark.slow
def test_a_restore_killed_at_any_step_leaves_the_old_vault_or_the_new_whole(
    vault_folder: Path, data_key: bytes, recovery_key: str, tmp_path: Path
) -> None:
    with vaults.open_with_key(vault_folder, data_key) as vault:
        people.add_person(vault, "child", {"name": "Ada Example"})
        made = backup.back_up(vault, tmp_path / "backup.sdbackup")
        people.add_person(vault, "child", {"name": "Bryn Example"})  # not in the backup
        old = backup.back_up(vault, tmp_path / "old.sdbackup")  # to start each round again
    root = Path(__file__).resolve().parents[1]
    seen: set[str] = set()
    for die_at in range(1, 60):
        child = subprocess.run(
            [sys.executable, "-c", DIE_AT_STEP, str(made.path), str(vault_folder), str(die_at)],
            input=f"{recovery_key}\n{NEW_PASSPHRASE}\n", capture_output=True, text=True,
            env={**os.environ, "PYTHONPATH": str(root)}, timeout=120, check=False)
        assert child.returncode in (0, 9), child.stderr
        # One whole vault, its own key file: the old passphrase opens the old records,
        # the new passphrase the restored ones, never a mix.
        try:
            names = names_in(vault_folder, PASSPHRASE)
            assert names == ["Ada Example", "Bryn Example"], f"step {die_at}: {names}"
            seen.add("old")
        except WrongPassphrase:
            names = names_in(vault_folder, NEW_PASSPHRASE)
            assert names == ["Ada Example"], f"step {die_at}: {names}"
            seen.add("restored")
        leftovers = [p.name for p in vault_folder.iterdir()
                     if p.name.endswith((".restoring", ".new")) or "journal" in p.name]
        assert leftovers == [], f"step {die_at}: {leftovers}"
        if child.returncode == 0:
            assert child.stdout.strip() == "restored"
            break
        if "restored" in seen:  # start again from the old vault for the next step
            backup.restore(old.path, vault_folder, passphrase=PASSPHRASE, replace=True)
    else:
        pytest.fail("the restore never finished")
    assert seen == {"old", "restored"}, "the deaths fell both before and after the decision"


def test_staged_files_without_a_journal_are_removed_and_the_old_vault_opens(
    vault_folder: Path, data_key: bytes
) -> None:
    for name in restore_journal.REPLACEABLE:
        restore_journal.stage(vault_folder, name, b"half a restore")
    with vaults.open_with_key(vault_folder, data_key) as vault:  # no question asked
        assert vault.check_integrity() is None
    assert not any(p.name.endswith(".restoring") for p in vault_folder.iterdir())


def test_a_decided_restore_is_completed_when_the_folder_is_next_looked_at(
    vault_folder: Path, data_key: bytes, tmp_path: Path
) -> None:
    """Killed after the journal and before any rename: a fresh folder shows as a vault
    (not as "no vault yet") and opens as the restored one."""
    with vaults.open_with_key(vault_folder, data_key) as vault:
        people.add_person(vault, "child", {"name": "Cai Example"})
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    for name in restore_journal.REPLACEABLE:
        source = vault_folder / name
        restore_journal.stage(fresh, name, source.read_bytes())
    (fresh / restore_journal.JOURNAL_NAME).write_text(
        '{"format": "supervision-desktop-restore-journal", '
        '"files": ["vault.db", "vault.key", "vault.state"]}', encoding="utf-8")
    assert vaults.vault_exists(fresh)
    with vaults.open_with_key(fresh, data_key) as vault:
        assert [p.name for p in people.list_people(vault)] == ["Cai Example"]
    assert sorted(p.name for p in fresh.iterdir() if p.name.startswith("vault.")) == [
        "vault.db", "vault.key", "vault.lock", MARKER_NAME]
