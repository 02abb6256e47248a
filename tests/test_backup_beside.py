"""Backups while the app has the vault open, rotation in a folder, damage refused, the
restore lock, and temporary folders left by a killed run (real processes, real files)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from supervision_desktop.domain.backup_rotation import Keep
from supervision_desktop.errors import VaultDamaged, VaultInUse
from supervision_desktop.services import backup
from supervision_desktop.store import settings
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.instance_lock import InstanceLock
from supervision_desktop.store.vault import Vault
from tests.conftest import PASSPHRASE
from tests.whole_file import make_whole_file

ROOT = Path(__file__).resolve().parents[1]

# The app, as far as the vault can tell: opens it with the lock and commits in a loop,
# each transaction two rows that belong together. The key comes on stdin, never argv.
WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from supervision_desktop.store import settings, vault as vaults
    vault = vaults.open_with_key(Path(sys.argv[1]), bytes.fromhex(sys.stdin.readline()))
    print("open", flush=True)
    n = 0
    while True:
        with vault.transaction() as session:
            settings.write(session, f"tick-{n:06d}-a", "x" * 500)
            settings.write(session, f"tick-{n:06d}-b", "y" * 500)
        n += 1
        if n == 20:
            print("writing", flush=True)
    """
)


def _env(**extra: str) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "TZ": "UTC",
            "HOME": os.environ.get("HOME", "/tmp"), **extra}


@pytest.fixture
def app_writing(vault_folder: Path, data_key: bytes) -> Iterator[subprocess.Popen[str]]:
    """A second process holding the vault open and committing all the while."""
    with subprocess.Popen([sys.executable, "-c", WRITER, str(vault_folder)],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                          env=_env()) as writer:
        assert writer.stdin is not None and writer.stdout is not None
        writer.stdin.write(data_key.hex() + "\n")
        writer.stdin.flush()
        try:
            assert writer.stdout.readline().strip() == "open"
            assert writer.stdout.readline().strip() == "writing"
            yield writer
        finally:
            writer.kill()


def _cli(*argv: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "supervision_desktop", *argv],
                          capture_output=True, text=True, timeout=120,
                          env=_env(SUPERVISION_PASSPHRASE=PASSPHRASE, TMPDIR=str(tmp)))


def _ticks(vault: Vault) -> list[str]:
    from sqlalchemy import select

    from supervision_desktop.store.models import Setting

    with vault.transaction() as session:
        return list(session.scalars(select(Setting.key).where(Setting.key.like("tick-%"))))


def test_cli_backup_and_status_work_while_another_process_writes(
    vault_folder: Path, data_key: bytes, tmp_path: Path,
    app_writing: subprocess.Popen[str],
) -> None:
    with pytest.raises(VaultInUse):  # the writer really holds the lock
        vaults.open_with_key(vault_folder, data_key)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    (tmp_path / "usb").mkdir()
    result = _cli("backup", "--vault", str(vault_folder), "--out", str(tmp_path / "usb"),
                  tmp=temporary)
    assert result.returncode == 0, result.stderr
    assert "checked after writing" in result.stdout and result.stderr == ""
    status = _cli("backup", "status", "--vault", str(vault_folder), tmp=temporary)
    assert status.returncode == 0, status.stderr
    assert status.stdout.startswith("Last backup: ") and "(today)" in status.stdout
    assert list(temporary.iterdir()) == []  # the private copies were removed
    app_writing.kill()
    app_writing.wait()

    [made] = (tmp_path / "usb").iterdir()
    assert backup.FILE_PREFIX in made.name
    assert backup.read_backup(made).header["counts"]["records"] == 0
    backup.restore(made, tmp_path / "restored", passphrase=PASSPHRASE)
    with vaults.open_with_key(tmp_path / "restored", data_key) as restored:
        ticks = _ticks(restored)
        assert restored.check_integrity() is None
    with vaults.open_with_key(vault_folder, data_key) as live:
        written = _ticks(live)
    numbers = sorted({int(t[5:11]) for t in ticks})
    assert numbers == list(range(len(numbers))) and len(numbers) >= 20  # a prefix...
    assert len(ticks) == 2 * len(numbers)  # ...of whole transactions
    assert len(written) > len(ticks)  # the writer went on after the snapshot


def test_a_damaged_vault_is_never_backed_up_nor_rotates_a_good_backup_out(
    vault: Vault, vault_folder: Path, data_key: bytes, tmp_path: Path,
) -> None:
    make_whole_file(vault)
    usb = tmp_path / "usb"
    usb.mkdir()
    good = backup.back_up(vault, usb, now=dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC)).path
    vault.close()
    database = vault_folder / "vault.db"
    data = bytearray(database.read_bytes())
    data[4096 * 3 + 100] ^= 0xFF  # one byte on the fourth page
    database.write_bytes(bytes(data))
    with pytest.raises(VaultDamaged, match="no backup was made"):
        backup.back_up_beside(vault_folder, data_key, usb, keep=Keep(0, 0, 0),
                              now=dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC))
    assert list(usb.iterdir()) == [good]
    assert backup.read_backup(good).counts.records == 4


def _backup_at(vault: Vault, folder: Path, when: str, keep: Keep) -> backup.BackupResult:
    return backup.back_up(vault, folder, keep=keep,
                          now=dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC))


def test_backups_into_a_folder_are_a_file_per_run_then_rotated(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        usb = tmp_path / "usb"
        usb.mkdir()
        foreign = usb / "supervision-backup_2026-11-01T100000.sdbackup"
        foreign.write_bytes(b"my own notes, named like a backup")
        other = usb / "holiday.jpg"
        other.write_bytes(b"\xff\xd8")
        keep = Keep(daily=2, weekly=0, monthly=0)
        first = _backup_at(vault, usb, "2026-12-01T09:00:00", keep)
        second = _backup_at(vault, usb, "2026-12-01T09:00:00", keep)  # same second
        assert first.path.name == "supervision-backup_2026-12-01T090000.sdbackup"
        assert second.path.name == "supervision-backup_2026-12-01T090000-2.sdbackup"
        assert second.removed == [first.path]  # the same day: only its newest is kept
        third = _backup_at(vault, usb, "2026-12-02T09:00:00", keep)
        assert third.removed == []  # two days, two backups
        fourth = _backup_at(vault, usb, "2026-12-03T09:00:00", keep)
        assert fourth.removed == [second.path]  # a third day: the oldest day goes
        assert sorted(p.name for p in usb.iterdir()) == sorted([
            foreign.name, other.name, third.path.name, fourth.path.name])
        assert foreign.read_bytes() == b"my own notes, named like a backup"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_rotation_follows_the_vault_setting(vault: Vault, tmp_path: Path) -> None:
    backup.set_keep(vault, Keep(1, 0, 0))
    assert backup.keep_setting(vault) == Keep(1, 0, 0)
    usb = tmp_path / "usb"
    usb.mkdir()
    first = backup.back_up(vault, usb, now=dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC))
    second = backup.back_up(vault, usb, now=dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC))
    assert second.removed == [first.path] and list(usb.iterdir()) == [second.path]


def test_restore_refuses_a_vault_open_elsewhere_and_keeps_this_process_lock(
    vault: Vault, vault_folder: Path, data_key: bytes, tmp_path: Path,
) -> None:
    made = backup.back_up(vault, tmp_path / "b.sdbackup").path
    before = (vault_folder / "vault.db").read_bytes()
    with pytest.raises(VaultInUse, match="already open in this copy"):
        backup.restore(made, vault_folder, passphrase=PASSPHRASE, replace=True)
    assert (vault_folder / "vault.db").read_bytes() == before
    # the open vault still holds its lock: a second opener is still refused
    with pytest.raises(VaultInUse):
        InstanceLock(vault_folder).acquire()
    with vault.transaction() as session:
        settings.write(session, "still", "writable")


def test_restore_leaves_the_folder_unlocked_after(
    vault: Vault, tmp_path: Path, data_key: bytes,
) -> None:
    made = backup.back_up(vault, tmp_path / "b.sdbackup").path
    backup.restore(made, tmp_path / "new", passphrase=PASSPHRASE)
    vaults.open_with_key(tmp_path / "new", data_key).close()


def test_stale_temporary_folders_are_removed_at_start(tmp_path: Path) -> None:
    now = dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC)
    old = now.timestamp() - 11 * 60
    stale = [tmp_path / "sd-backup-abc", tmp_path / "sd-backup-check-def"]
    for folder in stale:
        folder.mkdir()
        (folder / "vault.db").write_bytes(b"x")
        os.utime(folder, (old, old))
    fresh = tmp_path / "sd-backup-running"  # a backup under way (9 minutes old)
    fresh.mkdir()
    os.utime(fresh, (now.timestamp() - 9 * 60,) * 2)
    not_ours = tmp_path / "sd-other"
    not_ours.mkdir()
    os.utime(not_ours, (old, old))
    assert backup.remove_stale_temporaries(now=now, root=tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sd-backup-running", "sd-other"]


def test_temporary_copies_are_private(monkeypatch: pytest.MonkeyPatch, vault: Vault,
                                      tmp_path: Path) -> None:
    modes = []
    real = backup._check_database

    def spy(database: Path, key: bytes) -> backup.Counts:
        modes.append(database.parent.stat().st_mode & 0o777)
        return real(database, key)

    monkeypatch.setattr(backup, "_check_database", spy)
    backup.back_up(vault, tmp_path / "b.sdbackup")
    assert modes == [0o700, 0o700]  # the snapshot's folder, then the read-back check's


def test_backups_made_beside_the_app_enter_the_audit_log_once_at_the_next_unlock(
    vault_folder: Path, data_key: bytes, tmp_path: Path, app_writing: subprocess.Popen[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:

    monkeypatch.setenv("TZ", "Europe/London")  # times are shown in the worker's own zone
    time.tzset()
    try:
        _check_backups_logged(vault_folder, data_key, tmp_path, app_writing)
    finally:
        monkeypatch.undo()
        time.tzset()


def _check_backups_logged(vault_folder: Path, data_key: bytes, tmp_path: Path,
                          app_writing: subprocess.Popen[str]) -> None:
    from supervision_desktop.services import audit, vault_access

    (tmp_path / "usb").mkdir()
    first = dt.datetime(2026, 11, 30, 17, 5, tzinfo=dt.UTC)
    second = dt.datetime(2026, 12, 1, 17, 10, tzinfo=dt.UTC)
    for when in (first, second):  # e.g. the scheduled task, while the app stays open
        backup.back_up_beside(vault_folder, data_key, tmp_path / "usb", now=when)
    app_writing.kill()
    app_writing.wait()

    def backups_logged() -> list[str]:
        unlocked = vault_access.unlock_with_passphrase(vault_folder, PASSPHRASE)
        with unlocked.vault as vault:
            found = [(e.action, e.detail) for e in audit.entries(vault)]
            assert audit.check_log(vault).ok
            assert backup.status(vault, now=second).last_backup_at == second
        assert found[0][0] == "unlock"  # newest first: the backups happened before it
        return [detail for action, detail in reversed(found) if action == "backup"]

    assert backups_logged() == [
        "0 records; made while the vault was open or locked, at 30/11/2026 17:05",
        "0 records; made while the vault was open or locked, at 01/12/2026 17:10"]
    assert len(backups_logged()) == 2  # not entered again at the next unlock


def test_a_garbled_backup_stamp_never_stops_an_unlock(vault_folder: Path) -> None:
    from supervision_desktop.services import vault_access

    (vault_folder / "vault.last-backup").write_bytes(b'{"vault_id": [' * 50_000 + b"\xff")
    with vault_access.unlock_with_passphrase(vault_folder, PASSPHRASE).vault as vault:
        assert backup.status(vault).last_backup_at is None
