"""kill -9 at random points of backup and rotation (benchmarks/kill_backup.py runs
hundreds): no partial file under a backup's name, the earlier backups intact and
restorable, no temporary folder left after the next start."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import kill_backup, kill_restore
from supervision_desktop.services import backup
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.vault import Vault
from tests.conftest import PASSPHRASE
from tests.whole_file import make_whole_file


@pytest.mark.slow
def test_kill_9_during_backup_and_rotation_never_loses_a_backup(
    vault: Vault, vault_folder: Path, data_key: bytes, tmp_path: Path,
) -> None:
    make_whole_file(vault)
    vault.close()
    result = kill_backup.run(15, vault_folder, data_key, tmp_path)
    assert result["backups_finished"] >= 5  # the kills landed among real work
    kept = sorted((tmp_path / "usb").glob("supervision-backup_*.sdbackup"))
    assert 1 <= len(kept) == result["kept"]
    restored = backup.restore(kept[-1], tmp_path / "restored", passphrase=PASSPHRASE)
    assert restored.counts.records == 4
    with vaults.open_with_key(tmp_path / "restored", data_key) as opened:
        assert opened.check_integrity() is None


@pytest.mark.slow
def test_kill_9_during_restore_leaves_a_whole_vault(tmp_path: Path) -> None:
    """Killed at any point of restoring over a vault, the folder holds one whole vault:
    the one it had or the backup's, with its own key file, every page sound, never half
    of each; and it opens without the question "is this the newest copy?"."""
    made = kill_restore.prepare(tmp_path)
    result = kill_restore.run(6, made.folder, made.restored_from, made.old, made.recovery_key)
    assert result["restores_finished"] >= 3  # the kills landed among real restores
    assert result["old"] + result["restored"] == 6
