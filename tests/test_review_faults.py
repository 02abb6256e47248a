"""Faults a reviewer found in issue 15's work, each reproduced with real files and real
processes: `backup status` on an empty or older vault.db says what unlock says (not
"wrong key", not "all fine"), and a closed pipe is not a crash."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from supervision_desktop.cli import run
from supervision_desktop.services import audit, people
from supervision_desktop.store import vault as vaults
from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def older_copy(vault_folder: Path, data_key: bytes, tmp_path: Path) -> Path:
    """vault.db as it was before two more people were added (a sync client's copy)."""
    shutil.copy(vault_folder / "vault.db", tmp_path / "older.db")
    with vaults.open_with_key(vault_folder, data_key) as vault:
        for name in ("Ada Example", "Bryn Example"):
            people.add_person(vault, "child", {"name": name})
    return tmp_path / "older.db"


def _status(vault_folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = run(["backup", "status", "--vault", str(vault_folder)])
    out, err = capsys.readouterr()
    return code, out + err


def test_backup_status_on_an_empty_vault_db_says_it_is_empty(
    vault_folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    (vault_folder / "vault.db").write_bytes(b"")
    code, said = _status(vault_folder, capsys)
    assert code == 1
    assert said.startswith(f"error: The vault database {vault_folder / 'vault.db'} is empty "
                           "(0 bytes)")
    assert "not right" not in said and "key" not in said


def test_backup_status_on_an_older_vault_db_refuses_it_as_unlock_does(
    vault_folder: Path, older_copy: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    shutil.copy(older_copy, vault_folder / "vault.db")
    for name in ("vault.db-wal", "vault.db-shm"):
        (vault_folder / name).unlink(missing_ok=True)
    code, said = _status(vault_folder, capsys)
    assert code == 1  # not 0 "Last backup …": a monitoring task must see the fault
    assert "error: The vault on disk is older than the one last opened here: 2 changes" in said


def test_a_closed_pipe_is_not_a_crash(vault_folder: Path, data_key: bytes,
                                      tmp_path: Path) -> None:
    with vaults.open_with_key(vault_folder, data_key) as vault, vault.transaction() as session:
        for n in range(4000):  # far more than a pipe holds (64 KB)
            audit.log_event(session, "open", detail=f"entry {n} " + "x" * 60)
    env = {**os.environ, "SUPERVISION_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(ROOT),
           "XDG_DATA_HOME": str(tmp_path / "data")}
    with subprocess.Popen([sys.executable, "-m", "supervision_desktop", "--vault",
                           str(vault_folder), "audit", "list"], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        assert child.stdout is not None and child.stderr is not None
        child.stdout.readline()  # like `| head -1`
        child.stdout.close()
        err = child.stderr.read().decode()
        code = child.wait(timeout=60)
    assert (code, err) == (0, "")
    assert not (tmp_path / "data").exists() or not list((tmp_path / "data").rglob("crash.log"))
