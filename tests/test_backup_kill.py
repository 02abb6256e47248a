"""kill -9 at random points of backup and rotation (benchmarks/kill_backup.py runs
hundreds): no partial file under a backup's name, the earlier backups intact and
restorable, no temporary folder left after the next start."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import kill_backup
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


RESTORE_CHILD = """
import sys
from pathlib import Path
from supervision_desktop.services import backup
source, folder, passphrase = Path(sys.argv[1]), Path(sys.argv[2]), sys.stdin.readline().strip()
print("ready", flush=True)
while True:
    backup.restore(source, folder, passphrase=passphrase, replace=True)
"""


@pytest.mark.slow
def test_kill_9_during_restore_leaves_a_whole_vault(
    vault: Vault, vault_folder: Path, data_key: bytes, tmp_path: Path,
) -> None:
    """Killed at any point of restoring over a vault, the folder holds one whole vault:
    the one it had or the backup's, every page sound, never half of each."""
    import os
    import random
    import subprocess
    import sys
    import time

    make_whole_file(vault)
    made = backup.back_up(vault, tmp_path / "backup.sdbackup")
    vault.close()
    root = Path(__file__).resolve().parents[1]
    rng = random.Random(20261203)
    for _ in range(6):
        with subprocess.Popen(
            [sys.executable, "-c", RESTORE_CHILD, str(made.path), str(vault_folder)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(root)},
        ) as child:
            assert child.stdin is not None and child.stdout is not None
            child.stdin.write(PASSPHRASE + "\n")
            child.stdin.flush()
            assert child.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.05, 1.5))
            child.kill()
        with vaults.open_with_key(vault_folder, data_key) as opened:  # never asks
            assert opened.check_integrity() is None
            assert backup.status(opened).last_backup_at is not None
            with opened.transaction() as session:
                from supervision_desktop.store.models import Record

                assert session.query(Record).count() == made.counts.records
