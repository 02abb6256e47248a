"""Backups: one encrypted file that restores the whole vault on another computer.

A backup file holds the vault's key file (the data key wrapped by the passphrase in force
when it was made and by the recovery key) and a copy of the encrypted database, taken
with ``VACUUM INTO`` on a keyed connection: a consistent snapshot even while the app is
writing, encrypted with the same data key, never a plaintext intermediate. Layout::

    MAGIC | format version (u16) | header length (u32) | header (JSON) | parts | SHA-256

The header names the parts and their sizes and holds counts (no names, no content). The
SHA-256 covers everything before it, so a damaged or truncated file is refused before
anything is written. Every backup is read back and opened after writing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DatabaseError

from supervision_desktop.domain.passphrase import assess
from supervision_desktop.errors import InvalidInput, UserError, VaultExists
from supervision_desktop.services.audit import log_event
from supervision_desktop.services.export import write_atomically
from supervision_desktop.store import settings
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.engine import is_plaintext, make_engine
from supervision_desktop.store.instance_lock import InstanceLock
from supervision_desktop.store.keyfile import KEY_FILE_NAME, KeyFile, KeyFileRefused
from supervision_desktop.store.private_files import create_empty, open_private
from supervision_desktop.store.vault import DATABASE_NAME, Vault

MAGIC = b"SDBACKUP"
FORMAT_VERSION = 1
SUFFIX = ".sdbackup"
DEFAULT_REMINDER_DAYS = 7
REMINDER_RANGE = (1, 365)  # days
_PREFIX = struct.Struct(">HI")  # format version, header length
_DIGEST_BYTES = 32

DAMAGED = (
    "This backup file is damaged or incomplete (its checksum does not match), so it "
    "cannot be restored. Nothing was written. Use another copy of your backup."
)


class BackupDamaged(UserError):
    """The backup file fails its checksum or its database does not open."""


@dataclass(frozen=True)
class Counts:
    people: int
    records: int
    versions: int
    signed_documents: int


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    created_at: dt.datetime
    counts: Counts


@dataclass(frozen=True)
class RestoreResult:
    folder: Path
    created_at: dt.datetime  # when the backup was made
    counts: Counts


@dataclass(frozen=True)
class BackupFile:
    header: dict[str, Any]
    key_file: KeyFile
    database: bytes

    @property
    def counts(self) -> Counts:
        return Counts(**self.header["counts"])

    @property
    def created_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.header["created_at"])


def default_file_name(today: dt.date | None = None) -> str:
    """A name with the date and nothing personal: supervision-backup_2026-11-25.sdbackup."""
    today = today or dt.date.today()
    return f"supervision-backup_{today.isoformat()}{SUFFIX}"


# --- counting ------------------------------------------------------------------------

_COUNT_SQL = (
    "SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM records), "
    "(SELECT count(*) FROM record_versions), (SELECT count(*) FROM signed_documents)"
)


@contextlib.contextmanager
def _driver_connection(vault: Vault) -> Iterator[Any]:
    """The SQLCipher connection itself, from the pool and back, bypassing the session."""
    raw = vault.engine.raw_connection()
    try:
        driver = raw.driver_connection
        if driver is None:  # only once the pool has invalidated it
            raise RuntimeError("The vault's database connection is closed.")
        yield driver
    finally:
        raw.close()


def _live_counts(vault: Vault) -> Counts:
    """Counts of committed rows, read without taking the write lock (a writer may be busy)."""
    with _driver_connection(vault) as driver:
        row = driver.execute(_COUNT_SQL).fetchone()
    return Counts(*(int(n) for n in row))


def _check_database(database: Path, data_key: bytes) -> Counts:
    """Open an encrypted database copy with the key, check every page, count what it holds."""
    if is_plaintext(database):
        raise BackupDamaged("The backup's database is not encrypted; it was not used.")
    engine = make_engine(database, data_key)
    try:
        with engine.connect() as connection:
            problems = [r[0] for r in connection.exec_driver_sql("PRAGMA cipher_integrity_check")]
            problems += [r[0] for r in connection.exec_driver_sql("PRAGMA integrity_check")
                         if r[0] != "ok"]
            if problems:
                raise BackupDamaged(DAMAGED)
            row = connection.exec_driver_sql(_COUNT_SQL).one()
    except DatabaseError:
        raise BackupDamaged(DAMAGED) from None
    finally:
        engine.dispose()
    return Counts(*(int(n) for n in row))


# --- the container -------------------------------------------------------------------


def _pack(header: dict[str, Any], parts: list[bytes]) -> bytes:
    header_bytes = json.dumps(header, sort_keys=True).encode("utf-8")
    body = b"".join([MAGIC, _PREFIX.pack(FORMAT_VERSION, len(header_bytes)), header_bytes, *parts])
    return body + hashlib.sha256(body).digest()


def read_backup(path: Path) -> BackupFile:
    """Read and check a backup file; raises BackupDamaged with one clear message."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from None
    if not data.startswith(MAGIC):
        raise BackupDamaged(f"{path} is not a Supervision Desktop backup file.")
    body, digest = data[:-_DIGEST_BYTES], data[-_DIGEST_BYTES:]
    start = len(MAGIC) + _PREFIX.size
    if len(body) < start or hashlib.sha256(body).digest() != digest:
        raise BackupDamaged(DAMAGED)
    version, header_length = _PREFIX.unpack_from(body, len(MAGIC))
    if version > FORMAT_VERSION:
        raise BackupDamaged("This backup was made by a newer version of Supervision Desktop; "
                            "update the application to restore it.")
    try:
        header = json.loads(body[start : start + header_length])
        offset = start + header_length
        parts: dict[str, bytes] = {}
        for part in header["parts"]:
            parts[part["name"]] = body[offset : offset + part["size"]]
            offset += part["size"]
        if offset != len(body):
            raise ValueError("trailing bytes")
        return BackupFile(header, KeyFile.from_json(parts[KEY_FILE_NAME].decode("utf-8")),
                          parts[DATABASE_NAME])
    except KeyFileRefused as exc:  # the backup's own copy of vault.key
        raise BackupDamaged(f"This backup's key file {exc.reason}, so it cannot be restored"
                            f"{' (it has been altered)' if exc.unsafe else ''}. Nothing was "
                            "written. Use another copy of your backup.") from None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise BackupDamaged(DAMAGED) from None


def _check_written(path: Path, data_key: bytes) -> Counts:
    backup = read_backup(path)
    with tempfile.TemporaryDirectory(prefix="sd-backup-check-") as folder:
        copy = Path(folder) / DATABASE_NAME
        with open_private(copy) as handle:
            handle.write(backup.database)
        counts = _check_database(copy, data_key)
    if counts != backup.counts:
        raise BackupDamaged(DAMAGED)
    return counts


# --- making a backup -----------------------------------------------------------------


def back_up(vault: Vault, out: Path, *, now: dt.datetime | None = None) -> BackupResult:
    """Write a checked backup of the open vault to ``out`` (a file, or a folder for the
    default name); records when it was made and logs it."""
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    out = Path(out).expanduser()
    if out.is_dir():
        out = out / default_file_name(now.date())
    data_key = vault.data_key
    with tempfile.TemporaryDirectory(prefix="sd-backup-") as folder:
        copy = Path(folder) / DATABASE_NAME
        before = _live_counts(vault)
        create_empty(copy)  # 0600 (VACUUM INTO fills an empty file, keeping its mode)
        # a snapshot in one read transaction, written encrypted with the same key
        with _driver_connection(vault) as driver:
            driver.execute("VACUUM INTO ?", (str(copy),))
        after = _live_counts(vault)
        counts = _check_database(copy, data_key)
        database = copy.read_bytes()
    if counts not in (before, after):
        raise BackupDamaged("The copy of the vault did not match the vault; no backup was made.")
    key_file = vault.key_file.to_json().encode("utf-8")
    header = {
        "format": "supervision-desktop-backup",
        "created_at": now.isoformat(),
        "vault_id": vault.vault_id,
        "schema_revision": vault.schema_revision,
        "counts": asdict(counts),
        "parts": [{"name": KEY_FILE_NAME, "size": len(key_file)},
                  {"name": DATABASE_NAME, "size": len(database)}],
    }
    data = _pack(header, [key_file, database])
    write_atomically(out, data)
    try:
        _check_written(out, data_key)
    except BackupDamaged:
        out.unlink(missing_ok=True)
        raise BackupDamaged(f"The backup written to {out} did not read back correctly and was "
                            "removed. Try another disk or folder.") from None
    with vault.transaction() as session:
        settings.write(session, settings.LAST_BACKUP_AT, now.isoformat())
        log_event(session, "backup", detail=f"{counts.records} records")
    return BackupResult(out, len(data), now, counts)


# --- restoring -----------------------------------------------------------------------


def restore(
    path: Path, folder: Path, *, passphrase: str | None = None, recovery_key: str | None = None,
    new_passphrase: str | None = None, replace: bool = False,
) -> RestoreResult:
    """Restore a backup into ``folder``: with the passphrase in force when it was made, or
    with the recovery key and a new passphrase. Refuses a folder holding a vault unless
    ``replace``. The backup is checked in full before anything is written."""
    backup = read_backup(Path(path).expanduser())
    key_file = backup.key_file
    if recovery_key is not None:
        if new_passphrase is None:
            raise InvalidInput("Restoring with the recovery key needs a new passphrase.")
        strength = assess(new_passphrase)
        if not strength.acceptable:
            raise InvalidInput(f"New passphrase: {strength.hint}")
        data_key = key_file.unwrap_with_recovery_key(recovery_key)
        key_file = key_file.with_passphrase(data_key, new_passphrase)
    else:
        data_key = key_file.unwrap_with_passphrase(passphrase or "")
    folder = Path(folder).expanduser()
    existing = vaults.vault_exists(folder)
    if existing and not replace:
        raise VaultExists(f"There is already a vault in {folder}. Nothing was changed. "
                          "Choose an empty folder, or confirm that it should be replaced.")
    if not folder.exists():
        folder.mkdir(parents=True)
        folder.chmod(0o700)
    _put_in_place(folder, backup, key_file, data_key)
    vault = vaults.open_with_key(folder, data_key)
    try:
        with vault.transaction() as session:
            settings.write(session, settings.LAST_BACKUP_AT, backup.header["created_at"])
            log_event(session, "restore", detail=f"backup of {backup.header['created_at'][:10]}")
    finally:
        vault.close()
    return RestoreResult(folder, backup.created_at, backup.counts)


def _put_in_place(folder: Path, backup: BackupFile, key_file: KeyFile, data_key: bytes) -> None:
    lock = InstanceLock(folder)
    lock.acquire()
    staged = folder / (DATABASE_NAME + ".restoring")
    try:
        with open_private(staged) as handle:
            handle.write(backup.database)
            handle.flush()
            os.fsync(handle.fileno())
        if _check_database(staged, data_key) != backup.counts:
            raise BackupDamaged(DAMAGED)
        for companion in ("-wal", "-shm"):
            (folder / (DATABASE_NAME + companion)).unlink(missing_ok=True)
        os.replace(staged, folder / DATABASE_NAME)
        key_file.save(folder)
    finally:
        for leftover in (staged, *(Path(f"{staged}{c}") for c in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)
        lock.release()


# --- the reminder --------------------------------------------------------------------


@dataclass(frozen=True)
class BackupStatus:
    last_backup_at: dt.datetime | None
    reminder_days: int
    due: bool
    days_since: int | None

    @property
    def message(self) -> str:
        if self.last_backup_at is None:
            return ("No backup has been made of this vault yet." if self.due
                    else "No backup has been made yet (the vault holds no records).")
        when = self.last_backup_at.astimezone().strftime("%d/%m/%Y")
        ago = {0: "today", 1: "yesterday"}.get(self.days_since or 0, f"{self.days_since} days ago")
        if self.due:
            return (f"Your last backup was {ago} ({when}); back up at least every "
                    f"{self.reminder_days} days.")
        return f"Last backup: {when} ({ago})."


def reminder_days(vault: Vault) -> int:
    with vault.transaction() as session:
        stored = settings.read(session, settings.BACKUP_REMINDER_DAYS)
    try:
        return int(stored) if stored else DEFAULT_REMINDER_DAYS
    except ValueError:
        return DEFAULT_REMINDER_DAYS


def set_reminder_days(vault: Vault, days: int) -> None:
    low, high = REMINDER_RANGE
    if not low <= days <= high:
        raise InvalidInput(f"Remind after between {low} and {high} days without a backup.")
    with vault.transaction() as session:
        settings.write(session, settings.BACKUP_REMINDER_DAYS, str(days))


def status(vault: Vault, *, now: dt.datetime | None = None) -> BackupStatus:
    """When the last backup was made and whether a reminder is due."""
    now = now or dt.datetime.now(dt.UTC)
    days = reminder_days(vault)
    with vault.transaction() as session:
        stored = settings.read(session, settings.LAST_BACKUP_AT)
    if not stored:
        return BackupStatus(None, days, _live_counts(vault).records > 0, None)
    last = dt.datetime.fromisoformat(stored)
    if last.tzinfo is None:
        last = last.replace(tzinfo=dt.UTC)
    elapsed = now - last
    return BackupStatus(last, days, elapsed > dt.timedelta(days=days), max(elapsed.days, 0))
