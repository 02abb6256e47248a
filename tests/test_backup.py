"""Backups: one encrypted file that restores everything, refuses damage, never overwrites."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from supervision_desktop.errors import VaultExists, WrongPassphrase
from supervision_desktop.services import audit, backup
from supervision_desktop.store import settings
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.engine import make_engine
from supervision_desktop.store.models import AuditEvent
from supervision_desktop.store.vault import Vault
from tests.conftest import ODD_TEXT, PASSPHRASE, files_containing
from tests.whole_file import OTHER_NAME, SUPERVISEE_NAME, make_whole_file, snapshot_of

NEW_PASSPHRASE = "a brand new passphrase for the restored vault"
MADE_AT = dt.datetime(2026, 11, 25, 14, 30, 5, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """File names carry local time: the tests say which zone that is."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def backed_up(vault: Vault, tmp_path: Path) -> tuple[Path, dict, dict]:
    """A vault with two people's files, backed up into tmp_path/usb."""
    made = make_whole_file(vault)
    (tmp_path / "usb").mkdir()
    result = backup.back_up(vault, tmp_path / "usb", now=MADE_AT)
    return result.path, snapshot_of(vault, made.person_id), snapshot_of(vault, made.other_person_id)


def _restored(folder: Path, person_id: str, data_key: bytes) -> dict:
    with vaults.open_with_key(folder, data_key) as restored:
        return snapshot_of(restored, person_id)


def test_backup_restores_every_record_version_and_signature(
    backed_up: tuple[Path, dict, dict], tmp_path: Path, data_key: bytes
) -> None:
    path, mine, other = backed_up
    assert path.name == "supervision-backup_2026-11-25T143005.sdbackup"
    result = backup.restore(path, tmp_path / "new-laptop", passphrase=PASSPHRASE)
    assert result.counts.records == 4 and result.counts.versions == 5
    assert _restored(tmp_path / "new-laptop", mine["person"]["id"], data_key) == mine
    assert _restored(tmp_path / "new-laptop", other["person"]["id"], data_key) == other
    assert mine["signed"][0]["data"].startswith(b"%PDF")
    assert len(mine["versions"]) == 4 and mine["actions"] and mine["cancellations"]


def test_restore_with_the_recovery_key_sets_a_new_passphrase(
    backed_up: tuple[Path, dict, dict], tmp_path: Path, recovery_key: str
) -> None:
    path, mine, _ = backed_up
    backup.restore(path, tmp_path / "restored", recovery_key=recovery_key,
                   new_passphrase=NEW_PASSPHRASE)
    with vaults.open_with_passphrase(tmp_path / "restored", NEW_PASSPHRASE) as restored:
        assert snapshot_of(restored, mine["person"]["id"]) == mine
        actions = [e.action for e in audit.entries(restored)]
        assert actions[0] == "restore"  # the backup's own entry came after its snapshot
        assert audit.check_log(restored).ok
        assert backup.status(restored).last_backup_at is not None


def test_wrong_passphrase_writes_nothing(
    backed_up: tuple[Path, dict, dict], tmp_path: Path
) -> None:
    with pytest.raises(WrongPassphrase):
        backup.restore(backed_up[0], tmp_path / "restored", passphrase="not the passphrase")
    assert not (tmp_path / "restored").exists()


def test_backup_file_holds_no_plaintext(backed_up: tuple[Path, dict, dict]) -> None:
    folder = backed_up[0].parent
    for needle in (ODD_TEXT, SUPERVISEE_NAME, OTHER_NAME, "Dŵr ŷ Łódź", "你好世界",
                   "Corrected a date"):
        assert files_containing(folder, needle) == [], needle
    assert b"SQLite format 3" not in backed_up[0].read_bytes()


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_damaged_backup_is_refused_and_nothing_written(
    backed_up: tuple[Path, dict, dict], tmp_path: Path, damage: str
) -> None:
    path = backed_up[0]
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
    else:
        del data[len(data) - 4000:]
    path.write_bytes(bytes(data))
    with pytest.raises(backup.BackupDamaged, match="damaged or incomplete"):
        backup.restore(path, tmp_path / "restored", passphrase=PASSPHRASE)
    assert not (tmp_path / "restored").exists()


def test_not_a_backup_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(backup.BackupDamaged, match="not a Supervision Desktop backup"):
        backup.restore(tmp_path / "notes.txt", tmp_path / "restored", passphrase=PASSPHRASE)


def test_restore_never_overwrites_a_vault_without_replace(
    backed_up: tuple[Path, dict, dict], vault: Vault, tmp_path: Path, data_key: bytes
) -> None:
    path, mine, _ = backed_up
    target = tmp_path / "existing"
    other_vault, _ = vaults.create(target, PASSPHRASE, _recovery(vault))
    other_vault.close()
    before = (target / "vault.db").read_bytes()
    with pytest.raises(VaultExists, match="Nothing was changed"):
        backup.restore(path, target, passphrase=PASSPHRASE)
    assert (target / "vault.db").read_bytes() == before
    backup.restore(path, target, passphrase=PASSPHRASE, replace=True)
    assert _restored(target, mine["person"]["id"], data_key) == mine


def _recovery(_vault: Vault) -> str:
    from supervision_desktop.store.keyfile import new_recovery_key

    return new_recovery_key()


def test_backup_is_checked_recorded_and_logged(vault: Vault, tmp_path: Path) -> None:
    make_whole_file(vault)
    assert backup.status(vault).due  # records and never backed up
    (tmp_path / "out").mkdir()
    result = backup.back_up(vault, tmp_path / "out" / "mine.sdbackup")
    assert result.path == tmp_path / "out" / "mine.sdbackup" and result.counts.records == 4
    after = backup.status(vault)
    assert not after.due and after.days_since == 0
    with vault.transaction() as session:
        assert settings.read(session, settings.LAST_BACKUP_AT) == result.created_at.isoformat()
        logged = session.scalars(select(AuditEvent).where(AuditEvent.action == "backup")).all()
    assert [e.detail for e in logged] == ["4 records"]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["mine.sdbackup"]  # no leftovers


def test_reminder_follows_the_setting(vault: Vault) -> None:
    now = dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC)
    assert not backup.status(vault, now=now).due  # an empty vault has nothing to lose
    with vault.transaction() as session:
        settings.write(session, settings.LAST_BACKUP_AT,
                       (now - dt.timedelta(days=8)).isoformat())
    status = backup.status(vault, now=now)
    assert status.due and status.days_since == 8 and "8 days ago (17/11/2026)" in status.message
    backup.set_reminder_days(vault, 10)
    assert not backup.status(vault, now=now).due
    with pytest.raises(Exception, match="between 1 and 365"):
        backup.set_reminder_days(vault, 0)


def test_backup_while_another_connection_is_mid_write_is_consistent(
    vault: Vault, vault_folder: Path, data_key: bytes, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = make_whole_file(vault)
    expected = snapshot_of(vault, made.person_id)
    writer_engine = make_engine(vault_folder / "vault.db", data_key)
    writer = writer_engine.raw_connection()
    check_written = backup._check_written

    def writer_commits_after_the_snapshot(path: Path, key: bytes) -> backup.Counts:
        counts = check_written(path, key)
        cursor.execute("COMMIT")  # before the backup records itself, which needs the lock
        return counts

    monkeypatch.setattr(backup, "_check_written", writer_commits_after_the_snapshot)
    try:
        cursor = writer.driver_connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        cursor.execute("UPDATE record_versions SET reason = 'half-written' ")
        cursor.execute("DELETE FROM signed_documents")
        result = backup.back_up(vault, tmp_path / "during.sdbackup")
    finally:
        writer.close()
        writer_engine.dispose()
    backup.restore(result.path, tmp_path / "restored", passphrase=PASSPHRASE)
    assert _restored(tmp_path / "restored", made.person_id, data_key) == expected
    assert snapshot_of(vault, made.person_id)["signed"] == []  # the write did land, after


def test_backup_to_a_missing_folder_says_so(vault: Vault, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="Cannot write in"):
        backup.back_up(vault, tmp_path / "unplugged-usb" / "x.sdbackup")
    with vault.transaction() as session:
        assert settings.read(session, settings.LAST_BACKUP_AT) == ""


# --- the command line ------------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from supervision_desktop.cli import run

    status = run(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_backup_status_and_restore(
    vault_folder: Path, data_key: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    with vaults.open_with_key(vault_folder, data_key) as opened:
        made = make_whole_file(opened)
        expected = snapshot_of(opened, made.person_id)
    status, out, _ = _cli(capsys, "backup", "status", "--vault", str(vault_folder))
    assert status == 3 and out.startswith("Backup due: No backup has been made")
    status, out, err = _cli(capsys, "backup", "--vault", str(vault_folder),
                            "--out", str(tmp_path))
    assert status == 0, err
    assert "Backed up 4 records (5 versions)" in out and "checked after writing" in out
    [path] = tmp_path.glob("supervision-backup_*.sdbackup")
    status, out, _ = _cli(capsys, "backup", "status", "--vault", str(vault_folder))
    assert status == 0 and out.startswith("Last backup: ") and "(today)" in out
    status, out, err = _cli(capsys, "restore", str(path), "--vault", str(vault_folder))
    assert status == 1 and "already a vault" in err and out == ""
    status, out, err = _cli(capsys, "restore", str(path), "--vault", str(tmp_path / "new"))
    assert status == 0, err
    assert "4 records" in out
    assert _restored(tmp_path / "new", made.person_id, data_key) == expected


def test_cli_refuses_a_damaged_backup_in_one_line(
    vault: Vault, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    path = backup.back_up(vault, tmp_path / "b.sdbackup").path
    path.write_bytes(path.read_bytes()[:-10])
    status, _, err = _cli(capsys, "restore", str(path), "--vault", str(tmp_path / "new"))
    assert status == 1
    assert err.strip() == f"error: {backup.DAMAGED}"
    assert not (tmp_path / "new").exists()


def test_cli_restore_with_the_recovery_key(
    vault: Vault, tmp_path: Path, recovery_key: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = backup.back_up(vault, tmp_path / "b.sdbackup").path
    monkeypatch.setenv("SUPERVISION_RECOVERY_KEY", recovery_key)
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", NEW_PASSPHRASE)
    status, out, err = _cli(capsys, "restore", str(path), "--recovery-key",
                            "--vault", str(tmp_path / "new"))
    assert status == 0, err
    assert "Checked: it opens." in out
    vaults.open_with_passphrase(tmp_path / "new", NEW_PASSPHRASE).close()
