"""Backups: one encrypted file that restores the whole vault on another computer.

A backup file holds the vault's key file (the data key wrapped by the passphrase in force
when it was made and by the recovery key) and a copy of the encrypted database, taken
with SQLite's online backup API inside one read transaction on a keyed connection: a
consistent snapshot even while the app is writing (even from another process, without
its lock: `back_up_beside`), encrypted with the same data key, never a plaintext
intermediate. The live vault's pages are all checked first: a damaged vault is never
backed up, so its copy can never rotate out a good one. Layout: see backup_format.

The header names the parts and their sizes and holds counts (no names, no content). The
SHA-256 covers everything before it, so a damaged or truncated file is refused before
anything is written. Every backup is read back and opened after writing, under a
temporary name until then renamed; into a folder, each run writes a new timestamped
file and the older ones are rotated (services.backup_rotation).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3
from sqlalchemy.exc import DatabaseError

from supervision_desktop.domain import safe_input
from supervision_desktop.domain.backup_rotation import Keep
from supervision_desktop.domain.dates import local_time, moment, uk_date
from supervision_desktop.domain.passphrase import assess
from supervision_desktop.errors import InvalidInput, UserError, VaultDamaged, VaultExists
from supervision_desktop.services import backup_rotation as rotation
from supervision_desktop.services.audit import log_event
from supervision_desktop.services.backup_format import (
    DIGEST_BYTES,
    FILE_PREFIX,
    FORMAT_NAME,
    FORMAT_VERSION,
    MAGIC,
    PREFIX,
    SUFFIX,
)
from supervision_desktop.services.export import write_atomically
from supervision_desktop.store import (
    backup_stamp,
    restore_journal,
    settings,
    snapshot,
    state_marker,
)
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.engine import is_plaintext, make_engine
from supervision_desktop.store.instance_lock import InstanceLock
from supervision_desktop.store.keyfile import KEY_FILE_NAME, KeyFile, KeyFileRefused
from supervision_desktop.store.private_files import create_empty, open_private
from supervision_desktop.store.vault import DATABASE_NAME, Vault

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import rsa

DEFAULT_REMINDER_DAYS = 7
REMINDER_RANGE = (1, 365)  # days
TEMP_PREFIX = "sd-backup-"
TEMP_CHECK_PREFIX = "sd-backup-check-"
STALE_AFTER = dt.timedelta(minutes=10)  # a backup takes seconds; older is a killed one's

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
    removed: list[Path] = field(default_factory=list)  # older backups rotated out


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
        return moment(self.header["created_at"])


def default_file_name(made_at: dt.datetime | None = None) -> str:
    """A name with the local time to the second and nothing personal:
    supervision-backup_2026-11-25T143005.sdbackup (one file per run, never overwritten)."""
    local = (made_at or dt.datetime.now(dt.UTC)).astimezone()
    return f"{FILE_PREFIX}{local.strftime('%Y-%m-%dT%H%M%S')}{SUFFIX}"


def _new_file_in(folder: Path, made_at: dt.datetime) -> Path:
    """The run's own file in folder: the timestamped name, or name-2, -3... if taken."""
    path = folder / default_file_name(made_at)
    number = 1
    while path.exists():
        number += 1
        path = folder / f"{default_file_name(made_at).removesuffix(SUFFIX)}-{number}{SUFFIX}"
    return path


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


def _counts(connection: Any) -> Counts:
    """Counts of committed rows (a plain read: never waits for a writer)."""
    return Counts(*(int(n) for n in connection.execute(_COUNT_SQL).fetchone()))


def _setting(connection: Any, key: str) -> str:
    row = connection.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else ""


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
    body = b"".join([MAGIC, PREFIX.pack(FORMAT_VERSION, len(header_bytes)), header_bytes, *parts])
    return body + hashlib.sha256(body).digest()


def read_backup(path: Path) -> BackupFile:
    """Read and check a backup file; raises BackupDamaged with one clear message."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from None
    if not data.startswith(MAGIC):
        raise BackupDamaged(f"{path} is not a Supervision Desktop backup file.")
    body, digest = data[:-DIGEST_BYTES], data[-DIGEST_BYTES:]
    start = len(MAGIC) + PREFIX.size
    if len(body) < start or hashlib.sha256(body).digest() != digest:
        raise BackupDamaged(DAMAGED)
    version, header_length = PREFIX.unpack_from(body, len(MAGIC))
    if version > FORMAT_VERSION:
        raise BackupDamaged("This backup was made by a newer version of Supervision Desktop; "
                            "update the application to restore it.")
    try:
        header = safe_input.loads_json(body[start : start + header_length], "backup header")
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
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, safe_input.InputProblem):
        raise BackupDamaged(DAMAGED) from None


@contextlib.contextmanager
def _private_folder(prefix: str) -> Iterator[Path]:
    """A temporary folder only this user can open (0700), removed afterwards; one left by
    a killed process is removed by `remove_stale_temporaries` at the next start."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        os.chmod(folder, 0o700)  # mkdtemp's mode already; said, not assumed
        yield Path(folder)


def _check_written(path: Path, data_key: bytes) -> Counts:
    backup = read_backup(path)
    with _private_folder(TEMP_CHECK_PREFIX) as folder:
        copy = folder / DATABASE_NAME
        with open_private(copy) as handle:
            handle.write(backup.database)
        counts = _check_database(copy, data_key)
    if counts != backup.counts:
        raise BackupDamaged(DAMAGED)
    return counts


# --- making a backup -----------------------------------------------------------------


def _refuse_damaged(folder: Path, detail: str) -> VaultDamaged:
    return VaultDamaged(
        f"The vault database {folder / DATABASE_NAME} is damaged ({detail}), so no backup "
        "was made: a copy of it would not protect you. Your existing backups were left as "
        "they are. Restore your most recent backup."
    )


def _snapshot(connection: Any, folder: Path, data_key: bytes) -> tuple[bytes, Counts]:
    """Check every page of the live database, then copy it in one read transaction and
    check the copy: the same counts, every page sound."""
    try:
        problems = snapshot.page_problems(connection)
    except sqlcipher3.dbapi2.OperationalError as exc:
        raise InvalidInput(f"The vault could not be read for the backup ({exc}); "
                           "no backup was made. Try again in a moment.") from None
    if problems:
        raise _refuse_damaged(folder, problems[0])
    with _private_folder(TEMP_PREFIX) as temporary:
        copy = temporary / DATABASE_NAME
        try:
            with snapshot.read_transaction(connection):
                expected = _counts(connection)
                create_empty(copy)  # 0600, whatever the umask: SQLite keeps the mode
                snapshot.copy_into(connection, copy, data_key)
        except sqlcipher3.dbapi2.OperationalError as exc:
            raise InvalidInput(f"The vault could not be copied ({exc}); no backup was "
                               "made. Try again in a moment.") from None
        except sqlcipher3.dbapi2.DatabaseError:
            raise _refuse_damaged(folder, "a page could not be read") from None
        counts = _check_database(copy, data_key)
        database = copy.read_bytes()
    if counts != expected:
        raise BackupDamaged("The copy of the vault did not match the vault; no backup was made.")
    return database, counts


def _write(out: Path, key_file: KeyFile, data_key: bytes, database: bytes, counts: Counts,
           now: dt.datetime, schema_revision: str) -> BackupResult:
    """Pack, write atomically (a temporary name renamed: a half-written file never has a
    backup's name) and read back in full."""
    key_bytes = key_file.to_json().encode("utf-8")
    header = {
        "format": FORMAT_NAME,
        "created_at": now.isoformat(),
        "vault_id": key_file.vault_id,
        "schema_revision": schema_revision,
        "counts": asdict(counts),
        "parts": [{"name": KEY_FILE_NAME, "size": len(key_bytes)},
                  {"name": DATABASE_NAME, "size": len(database)}],
    }
    data = _pack(header, [key_bytes, database])
    write_atomically(out, data)
    try:
        _check_written(out, data_key)
    except BackupDamaged:
        out.unlink(missing_ok=True)
        raise BackupDamaged(f"The backup written to {out} did not read back correctly and was "
                            "removed. Try another disk or folder.") from None
    return BackupResult(out, len(data), now, counts)


def _target(out: Path, now: dt.datetime) -> tuple[Path, bool]:
    """The file to write, and whether it is in a folder of rotated backups."""
    out = Path(out).expanduser()
    if out.is_dir():
        return _new_file_in(out, now), True
    return out, False


def _keep_from(stored: str, keep: Keep | None) -> Keep:
    if keep is not None:
        return keep
    try:
        return Keep.parse(stored) if stored else Keep()
    except ValueError:
        return Keep()


def back_up(vault: Vault, out: Path, *, now: dt.datetime | None = None,
            keep: Keep | None = None) -> BackupResult:
    """Write a checked backup of the open vault to ``out``: a file, or a folder, where each
    run writes a new timestamped file and older ones are rotated (`keep`, else the
    vault's setting). Records when it was made and logs it."""
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    out, in_folder = _target(out, now)
    with _driver_connection(vault) as connection:
        database, counts = _snapshot(connection, vault.folder, vault.data_key)
        stored_keep = _setting(connection, settings.BACKUP_KEEP)
    result = _write(out, vault.key_file, vault.data_key, database, counts, now,
                    vault.schema_revision)
    with vault.transaction() as session:
        settings.write(session, settings.LAST_BACKUP_AT, now.isoformat())
        log_event(session, "backup", detail=f"{counts.records} records")
    backup_stamp.write(vault.folder, vault.vault_id, now)
    if in_folder:
        return replace(result, removed=rotation.rotate(out.parent, out, now,
                                                       _keep_from(stored_keep, keep)))
    return result


def back_up_beside(folder: Path, data_key: bytes, out: Path, *, now: dt.datetime | None = None,
                   keep: Keep | None = None) -> BackupResult:
    """The same backup of a vault another process (the app) may have open, read without
    its lock (store.snapshot); nothing is written into the vault: the time is recorded
    beside it (store.backup_stamp), where `backup status` finds it."""
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    folder = Path(folder).expanduser()
    key_file = KeyFile.load(folder)
    out, in_folder = _target(out, now)
    with snapshot.reader(folder, data_key) as connection:
        database, counts = _snapshot(connection, folder, data_key)
        stored_keep = _setting(connection, settings.BACKUP_KEEP)
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    result = _write(out, key_file, data_key, database, counts, now, str(revision[0]))
    backup_stamp.write(folder, key_file.vault_id, now, beside_records=counts.records)
    if in_folder:
        return replace(result, removed=rotation.rotate(out.parent, out, now,
                                                       _keep_from(stored_keep, keep)))
    return result


def log_backups_made_beside(vault: Vault) -> int:
    """Enter in the audit log the backups made beside the app (by `backup` while it was
    open, or the automatic backup after a lock) that it does not hold yet; called when
    the vault is unlocked. Returns how many were entered."""
    made = backup_stamp.made_beside(vault.folder, vault.vault_id)
    if not made:
        return 0
    with vault.transaction() as session:
        through = _stored_time(settings.read(session, settings.BESIDE_LOGGED_THROUGH))
        new = [entry for entry in made if through is None or entry.made_at > through]
        for entry in new:
            log_event(session, "backup", detail=(
                f"{entry.records} records; made while the vault was open or locked, at "
                f"{local_time(entry.made_at)}"))
        if new:
            settings.write(session, settings.BESIDE_LOGGED_THROUGH, new[-1].made_at.isoformat())
            stored = _stored_time(settings.read(session, settings.LAST_BACKUP_AT))
            if stored is None or stored < new[-1].made_at:
                settings.write(session, settings.LAST_BACKUP_AT, new[-1].made_at.isoformat())
    return len(new)


def keep_setting(vault: Vault) -> Keep:
    with vault.transaction() as session:
        return _keep_from(settings.read(session, settings.BACKUP_KEEP), None)


def set_keep(vault: Vault, keep: Keep) -> None:
    with vault.transaction() as session:
        settings.write(session, settings.BACKUP_KEEP, str(keep))


# --- automatic backup on lock and close -------------------------------------------------


@dataclass(frozen=True)
class AutoBackup:
    """An automatic backup, planned while the vault is open and run after it is closed
    (on a background thread, beside whatever opens the vault next)."""

    vault_folder: Path
    out: Path
    data_key: bytes = field(repr=False)

    def run(self, now: dt.datetime | None = None) -> BackupResult:
        if not self.out.is_dir():
            raise InvalidInput(f"The automatic backup folder {self.out} is not there (an "
                               "unplugged disk?). No backup was made this time.")
        return back_up_beside(self.vault_folder, self.data_key, self.out, now=now)


def backup_folder(vault: Vault) -> Path | None:
    """The folder chosen for backups (setting ``backup_folder``), or None. A plain read:
    it never waits for a writer (the lock asks it while a save may be stuck)."""
    with _driver_connection(vault) as connection:
        stored = _setting(connection, settings.BACKUP_FOLDER)
    return Path(stored) if stored else None


def auto_backup_on(vault: Vault) -> bool:
    with _driver_connection(vault) as connection:
        return _setting(connection, settings.AUTO_BACKUP) == "on"


def set_auto_backup(vault: Vault, folder: Path | None, on: bool) -> None:
    """Choose the backup folder and switch automatic backup on lock and close on or off."""
    if on and folder is None:
        raise InvalidInput("Choose the folder for automatic backups.")
    if folder is not None:
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            raise InvalidInput(f"{folder} is not a folder that exists. Choose another.")
        if folder.resolve() == vault.folder.resolve():
            raise InvalidInput("Choose a folder other than the vault's own (ideally on "
                               "another disk).")
    with vault.transaction() as session:
        settings.write(session, settings.BACKUP_FOLDER, str(folder) if folder else "")
        settings.write(session, settings.AUTO_BACKUP, "on" if on else "")


def plan_auto_backup(vault: Vault) -> AutoBackup | None:
    """What to back up where when this vault locks or closes, if switched on."""
    folder = backup_folder(vault)
    if folder is None or not auto_backup_on(vault):
        return None
    return AutoBackup(vault.folder, folder, vault.data_key)


# --- restoring -----------------------------------------------------------------------


def restore(
    path: Path, folder: Path, *, passphrase: str | None = None, recovery_key: str | None = None,
    agency_key: rsa.RSAPrivateKey | None = None, new_passphrase: str | None = None,
    replace: bool = False,
) -> RestoreResult:
    """Restore a backup into ``folder``: with the passphrase in force when it was made, or
    with the recovery key (or the agency's private recovery key) and a new passphrase.
    Refuses a folder holding a vault unless ``replace``, and a vault open anywhere (another
    process, or this one). The backup is checked in full before anything is written."""
    backup = read_backup(Path(path).expanduser())
    key_file = backup.key_file
    how = f"backup of {backup.header['created_at'][:10]}"
    if recovery_key is not None or agency_key is not None:
        if new_passphrase is None:
            raise InvalidInput("Restoring with a recovery key needs a new passphrase.")
        strength = assess(new_passphrase)
        if not strength.acceptable:
            raise InvalidInput(f"New passphrase: {strength.hint}")
        if agency_key is not None:
            data_key = key_file.unwrap_with_organisation_key(agency_key)
            how += (f", opened with the agency recovery key {key_file.organisation_fingerprint}"
                    "; passphrase replaced")
        else:
            data_key = key_file.unwrap_with_recovery_key(recovery_key or "")
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
    lock = InstanceLock(folder)
    lock.acquire()  # VaultInUse if it is open anywhere: nothing has been written yet
    try:
        restore_journal.finish(folder)  # an earlier restore killed part-way
        _put_in_place(folder, backup, key_file, data_key)
    except BaseException:
        lock.release()
        raise
    # opened under the same lock, so nobody can open it in between
    vault = vaults.open_restored(folder, data_key, lock)
    try:
        with vault.transaction() as session:
            settings.write(session, settings.LAST_BACKUP_AT, backup.header["created_at"])
            log_event(session, "restore", detail=how)
    finally:
        vault.close()
    return RestoreResult(folder, backup.created_at, backup.counts)


def _put_in_place(folder: Path, backup: BackupFile, key_file: KeyFile, data_key: bytes) -> None:
    """Stage the database, its key file and a state marker that matches it beside the old
    ones, check the database, then swap all three in at once (store.restore_journal: a
    kill at any point leaves the old vault or the restored one, whole, and a marker that
    matches it). The caller holds the instance lock."""
    staged = restore_journal.stage(folder, DATABASE_NAME, backup.database)
    try:
        if _check_database(staged, data_key) != backup.counts:
            raise BackupDamaged(DAMAGED)
        found = state_marker.probe(staged, data_key)
        if found is None:
            raise BackupDamaged(DAMAGED)
        seen = state_marker.state_seen(key_file.vault_id, found, state_marker.utc_now())
        restore_journal.stage(folder, KEY_FILE_NAME, key_file.to_json().encode("utf-8"))
        restore_journal.stage(folder, state_marker.MARKER_NAME,
                              state_marker.sealed(seen, state_marker.marker_key(data_key)))
    except BaseException:
        restore_journal.finish(folder)  # no journal yet: removes what was staged
        raise
    finally:
        for companion in ("-wal", "-shm"):  # the check's own, if SQLite left any
            Path(f"{staged}{companion}").unlink(missing_ok=True)
    restore_journal.commit(folder, (DATABASE_NAME, KEY_FILE_NAME, state_marker.MARKER_NAME))


# --- temporary copies left by a killed process -----------------------------------------


def remove_stale_temporaries(*, now: dt.datetime | None = None,
                             root: Path | None = None) -> int:
    """Remove this user's ``sd-backup-*`` temporary folders older than STALE_AFTER (a
    backup or check killed part-way leaves one). Called at every start (the GUI's and
    the backup commands'). Returns how many were removed."""
    moment = (now or dt.datetime.now(dt.UTC)).timestamp()
    root = Path(root or tempfile.gettempdir())
    removed = 0
    try:
        entries = list(root.iterdir())
    except OSError:
        return 0
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):  # also covers TEMP_CHECK_PREFIX
            continue
        try:
            info = entry.lstat()
        except OSError:
            continue
        ours = not hasattr(os, "getuid") or info.st_uid == os.getuid()
        if (stat.S_ISDIR(info.st_mode) and ours
                and moment - info.st_mtime > STALE_AFTER.total_seconds()):
            shutil.rmtree(entry, ignore_errors=True)
            removed += not entry.exists()
    return removed


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
        when = uk_date(self.last_backup_at)
        ago = {0: "today", 1: "yesterday"}.get(self.days_since or 0, f"{self.days_since} days ago")
        if self.due:
            return (f"Your last backup was {ago} ({when}); back up at least every "
                    f"{self.reminder_days} days.")
        return f"Last backup: {when} ({ago})."


def reminder_days(vault: Vault) -> int:
    with vault.transaction() as session:
        stored = settings.read(session, settings.BACKUP_REMINDER_DAYS)
    return _status([], stored, False, dt.datetime.now(dt.UTC)).reminder_days


def set_reminder_days(vault: Vault, days: int) -> None:
    low, high = REMINDER_RANGE
    if not low <= days <= high:
        raise InvalidInput(f"Remind after between {low} and {high} days without a backup.")
    with vault.transaction() as session:
        settings.write(session, settings.BACKUP_REMINDER_DAYS, str(days))


def _status(last: list[dt.datetime | None], stored_days: str, has_records: bool,
            now: dt.datetime) -> BackupStatus:
    try:
        days = int(stored_days) if stored_days else DEFAULT_REMINDER_DAYS
    except ValueError:
        days = DEFAULT_REMINDER_DAYS
    known = [when for when in last if when is not None]
    if not known:
        return BackupStatus(None, days, has_records, None)
    newest = max(known)
    elapsed = now - newest
    return BackupStatus(newest, days, elapsed > dt.timedelta(days=days), max(elapsed.days, 0))


def _stored_time(text: str) -> dt.datetime | None:
    try:
        return moment(text) if text else None
    except ValueError:
        return None


def status(vault: Vault, *, now: dt.datetime | None = None) -> BackupStatus:
    """When the last backup was made (the vault's setting, or the stamp beside it left by
    a backup taken while the vault was open) and whether a reminder is due."""
    with _driver_connection(vault) as connection:
        return _status_read(connection, vault.folder, vault.vault_id, now)


def status_beside(folder: Path, data_key: bytes, *, now: dt.datetime | None = None
                  ) -> BackupStatus:
    """The same, read without the instance lock (the app may have the vault open)."""
    folder = Path(folder).expanduser()
    vault_id = KeyFile.load(folder).vault_id
    with snapshot.reader(folder, data_key) as connection:
        return _status_read(connection, folder, vault_id, now)


def _status_read(connection: Any, folder: Path, vault_id: str,
                 now: dt.datetime | None) -> BackupStatus:
    with snapshot.read_transaction(connection):
        stored = _setting(connection, settings.LAST_BACKUP_AT)
        days = _setting(connection, settings.BACKUP_REMINDER_DAYS)
        has_records = _counts(connection).records > 0
    return _status([_stored_time(stored), backup_stamp.read(folder, vault_id)], days,
                   has_records, now or dt.datetime.now(dt.UTC))
