"""Opening, creating and closing a vault: a folder with the encrypted database and its key file.

The folder holds ``vault.db`` (SQLCipher, with its ``-wal``/``-shm`` companions),
``vault.key`` (the wrapped data key) and ``vault.lock``. Nothing else, and nothing in
plaintext. Opening checks, in order: the folder and key file exist, no other process
has the vault, the key unwraps (wrong passphrase), the database opens with it and
passes SQLCipher's page integrity check (damage), and the schema is not from a newer
version; only then is anything written (the migration).

The full integrity check reads every page of the file (0.65 s for ten years of records,
growing with the file). ``full_check=False`` does a quick check instead — the first page,
the schema and the first page of every table — and leaves the full one to
`Vault.check_integrity`, which the desktop app runs on a background thread once the
window shows (locking the vault with the damage message if it fails). That is safe
because SQLCipher checks each page's HMAC whenever it reads it: a damaged page is refused
on read anyway, so the full check is about telling the user early, not about what a query
may see. The command line keeps the full check at every open.

Before any of that, the database is compared with the state marker beside it
(`state_marker`): an empty, cut-short or table-less file, or one older than the state
last seen here, is refused without a byte written (read through a read-only
connection). ``adopt=True`` accepts the database as it is and seals a new marker for
it (after a restore, or the user's deliberate "open anyway"); ``read_only=True`` opens
it with every connection read-only: nothing migrated, counted or written.

Every write transaction through `Vault.transaction` counts one change inside the
database and then rewrites the marker; `close` checkpoints the WAL into the file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from supervision_desktop.errors import (
    StateMarkerProblem,
    VaultDamaged,
    VaultExists,
    VaultMissing,
    VaultReadOnly,
    VaultTooNew,
)
from supervision_desktop.store import backup_stamp, migrate, restore_journal, state_marker
from supervision_desktop.store.engine import READ_ONLY, apply_key, is_plaintext, make_engine
from supervision_desktop.store.instance_lock import LOCK_FILE_NAME, InstanceLock
from supervision_desktop.store.keyfile import KEY_FILE_NAME, KeyFile, new_data_key
from supervision_desktop.store.private_files import create_empty, make_private_folder, tighten

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import rsa

    from supervision_desktop.store.keyring_cache import KeyCache

DATABASE_NAME = "vault.db"


def database_path(folder: Path) -> Path:
    return folder / DATABASE_NAME


def tighten_vault_folder(folder: Path) -> None:
    """The folder 0700 and every vault file in it 0600 (POSIX; see store.private_files)."""
    make_private_folder(folder)
    database = database_path(folder)
    tighten([database, Path(f"{database}-wal"), Path(f"{database}-shm"),
             folder / KEY_FILE_NAME, folder / LOCK_FILE_NAME,
             state_marker.marker_path(folder), folder / backup_stamp.STAMP_NAME])


def vault_exists(folder: Path) -> bool:
    finish_interrupted_restore(folder)
    return (folder / KEY_FILE_NAME).exists() or database_path(folder).exists()


def finish_interrupted_restore(folder: Path) -> None:
    """A restore killed part-way is completed, or its staged files removed
    (store.restore_journal), before the folder is looked at. Raises VaultInUse if another
    process holds the vault: that process finished it when it opened."""
    if not restore_journal.interrupted(folder):
        return
    lock = InstanceLock(folder)
    lock.acquire()
    try:
        restore_journal.finish(folder)
    finally:
        lock.release()


class Vault:
    """An unlocked vault. Close it to lock: the key is dropped with the engine."""

    def __init__(
        self, folder: Path, key_file: KeyFile, data_key: bytes, engine: Engine, lock: InstanceLock,
        *, read_only: bool = False,
    ):
        self.folder = folder
        self.key_file = key_file
        self._data_key = data_key
        self.engine = engine
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.schema_revision = ""
        self.read_only = read_only  # opened with writes impossible (see open_* read_only)
        self.clock: state_marker.Clock = state_marker.utc_now  # tests set a fixed time
        self._marker = state_marker.MarkerWriter(folder, key_file.vault_id, data_key)
        self.companions = (True, True)  # which of -wal, -shm were there before it opened

    @property
    def vault_id(self) -> str:
        return self.key_file.vault_id

    @property
    def data_key(self) -> bytes:
        """The database key, for opening copies of this vault (backups) to check them."""
        return self._data_key

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits at the end (BEGIN IMMEDIATE), or rolls back on error.

        If it wrote anything, the vault's change counter goes up by one in the same
        transaction and, once committed, the state marker is rewritten. On a read-only
        vault a write raises VaultReadOnly."""
        counted: state_marker.DatabaseState | None = None
        try:
            with self._sessions() as session, session.begin():
                connection = session.connection()
                before = connection.exec_driver_sql("SELECT total_changes()").scalar()
                yield session
                if not self.read_only:
                    session.flush()
                    after = connection.exec_driver_sql("SELECT total_changes()").scalar()
                    if after != before:
                        counted = state_marker.bump(connection, self.clock())
        except OperationalError as exc:
            if self.read_only and "readonly" in str(exc.orig).replace(" ", ""):
                raise VaultReadOnly(READ_ONLY_MESSAGE) from None
            raise
        if counted is not None:
            self._marker.record(counted, self.clock())

    def checkpoint(self) -> bool:
        """Copy the WAL into vault.db and empty it (so a lost -wal loses nothing); False
        if a reader kept it from finishing. Cheap when there is little to copy: the GUI
        may call it when idle."""
        if self.read_only or not self._data_key:
            return False
        try:
            with self.engine.connect() as connection:  # outside a transaction, or it fails
                driver = connection.connection.driver_connection
                assert driver is not None
                busy = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except (OperationalError, sqlcipher3.dbapi2.OperationalError):
            return False
        return busy is not None and busy[0] == 0

    def record_state(self) -> None:
        """Seal the marker for the database as it is now (after opening or migrating)."""
        with self.engine.connect() as connection:
            found = state_marker.current(connection)
        if found is not None:
            self._marker.record(found, self.clock())

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session that only reads, in one consistent snapshot (BEGIN DEFERRED,
        ``query_only``): it never holds the write lock, so autosaves go on while it reads.
        For searches, lists and reports; anything that writes uses `transaction`."""
        with Session(self.engine.execution_options(**{READ_ONLY: True}),
                     expire_on_commit=False) as session, session.begin():
            yield session

    def change_passphrase(self, current: str, new: str) -> None:
        """Rewrap the data key under a new passphrase; the database is not re-encrypted."""
        self.key_file.unwrap_with_passphrase(current)  # proves the person knows it
        self.key_file = self.key_file.with_passphrase(self._data_key, new)
        self.key_file.save(self.folder)

    def replace_recovery_key(self, recovery_key: str) -> None:
        """Wrap the data key under a new recovery key; the old one stops working."""
        self.key_file = self.key_file.with_recovery_key(self._data_key, recovery_key)
        self.key_file.save(self.folder)

    def wrap_to_organisation_key(self, public_pem: bytes) -> None:
        """Also wrap the data key to the agency's recovery public key (replacing the wrap
        to an earlier agency key); the passphrase and recovery key still work."""
        self.key_file = self.key_file.with_organisation_key(self._data_key, public_pem)
        self.key_file.save(self.folder)

    def remember_on_device(self, cache: KeyCache) -> None:
        """Keep the data key in the OS keyring (raises KeyringUnavailable if it can't)."""
        cache.store(self.vault_id, self._data_key)

    def check_integrity(self) -> str | None:
        """SQLCipher's full page check on a connection of its own (safe on another thread,
        alongside the app's work): None if every page is sound, else the damage message."""
        if not self._data_key:  # closed (locked) before the check began
            return None
        database = database_path(self.folder)
        connection = sqlcipher3.dbapi2.connect(str(database), check_same_thread=False)
        try:
            apply_key(connection, self._data_key)
            problems = [str(row[0]) for row in connection.execute(
                "PRAGMA cipher_integrity_check")]
        except sqlcipher3.dbapi2.OperationalError:
            raise  # busy, out of memory, ...: the check did not run, nothing was found
        except sqlcipher3.dbapi2.DatabaseError:
            return damage_message(database, "its first page cannot be read", while_open=True)
        finally:
            connection.close()
        return damage_message(database, problems[0], while_open=True) if problems else None

    def close(self) -> None:
        """Lock: checkpoint the WAL into the file, drop the key with the engine, release."""
        if self._data_key:
            self.checkpoint()
        self.engine.dispose()
        if self.read_only:
            state_marker.tidy_companions(database_path(self.folder), self.companions)
        self._data_key = b""
        self._lock.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


READ_ONLY_MESSAGE = (
    "This vault was opened read-only, so nothing can be saved or changed. Restore your "
    "newest backup to work in it again."
)

# --- opening -------------------------------------------------------------------------


def _read_key_file(folder: Path) -> KeyFile:
    if not (folder / KEY_FILE_NAME).exists():
        if database_path(folder).exists():
            raise VaultMissing(
                f"The vault's key file ({KEY_FILE_NAME}) is missing from {folder}. "
                "Without it the records cannot be opened: restore it from a backup."
            )
        raise VaultMissing(f"There is no vault in {folder}. Create one with 'init'.")
    return KeyFile.load(folder)


def _integrity_problems(connection: Connection) -> list[str]:
    """SQLCipher's full check: every page of the file is read and its HMAC checked."""
    return [str(row[0]) for row in connection.exec_driver_sql("PRAGMA cipher_integrity_check")]


def _quick_problems(connection: Connection) -> list[str]:
    """The first page and the schema (already read when the connection was keyed), then the
    first page of every table: what every screen needs, without reading the whole file."""
    tables = [str(row[0]) for row in connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        quoted = table.replace('"', '""')
        connection.exec_driver_sql(f'SELECT 1 FROM "{quoted}" LIMIT 1').all()
    return []


def _soft_marker(writer: state_marker.MarkerWriter) -> state_marker.VaultState | None:
    """The marker if it can be trusted, for telling how much is missing; else None."""
    try:
        return writer.read()
    except StateMarkerProblem:
        return None


def _database_state(
    folder: Path, key_file: KeyFile, data_key: bytes, *, compare: bool
) -> state_marker.DatabaseState:
    """Refuse, touching nothing, a database that is empty, cut short, has no tables or
    (``compare``) is older than the state last seen here."""
    database = database_path(folder)
    writer = state_marker.MarkerWriter(folder, key_file.vault_id, data_key)
    if database.stat().st_size == 0:
        raise state_marker.empty(database, _soft_marker(writer))
    try:
        found = state_marker.probe(database, data_key)
    except state_marker.Unreadable:
        short = state_marker.cut_short(database, _soft_marker(writer))
        raise short or VaultDamaged(
            damage_message(database, "its first page cannot be read")) from None
    if found is None:
        raise state_marker.no_tables(database, _soft_marker(writer))
    if compare:
        state_marker.check(folder, found, writer.read())
    return found


def check_state(folder: Path, data_key: bytes) -> None:
    """What unlock refuses, refused the same way for a reader beside the app (`backup`,
    `backup status`): an empty, cut-short or table-less database, one older than the
    state last seen here, a missing or altered marker. Touches nothing."""
    _database_state(folder, _read_key_file(folder), data_key, compare=True)


def _open_database(
    folder: Path, key_file: KeyFile, data_key: bytes, lock: InstanceLock, *, full_check: bool,
    adopt: bool = False, read_only: bool = False,
) -> Vault:
    database = database_path(folder)
    if not database.exists():
        raise VaultMissing(
            f"The vault's database ({DATABASE_NAME}) is missing from {folder}. "
            "Restore it from a backup."
        )
    if is_plaintext(database):
        raise VaultDamaged(f"{database} is not an encrypted vault database; it was not opened.")
    tighten_vault_folder(folder)  # a vault made by an older version, or copied in
    found = _database_state(folder, key_file, data_key, compare=not (adopt or read_only))
    if read_only and found.schema != migrate.head_revision():
        raise VaultTooNew(
            f"This vault's tables are from another version of Supervision Desktop (schema "
            f"{found.schema}); it cannot be opened read-only. Nothing was changed.")
    companions = state_marker.companions_present(database)
    engine = make_engine(database, data_key, read_only=read_only)
    try:
        with engine.connect() as connection:
            problems = (_integrity_problems if full_check else _quick_problems)(connection)
    except DatabaseError:
        engine.dispose()
        raise VaultDamaged(damage_message(database, "its first page cannot be read")) from None
    if problems:
        engine.dispose()
        raise VaultDamaged(damage_message(database, problems[0]))
    vault = Vault(folder, key_file, data_key, engine, lock, read_only=read_only)
    vault.companions = companions
    if read_only:
        vault.schema_revision = found.schema
        return vault
    try:
        vault.schema_revision = migrate.upgrade(engine, database)
        vault.record_state()
    except DatabaseError:
        engine.dispose()
        raise VaultDamaged(damage_message(database, "its tables cannot be read")) from None
    return vault


def damage_message(database: Path, detail: str, *, while_open: bool = False) -> str:
    """while_open: found by the check after opening (the vault is being locked)."""
    if while_open:
        return (
            f"The vault database {database} is damaged ({detail}): a check of every page, "
            "run after it was unlocked, found that the file has been changed or "
            "corrupted. The vault was locked. Restore your most recent backup."
        )
    return (
        f"The vault database {database} is damaged ({detail}). The passphrase is right, "
        "but the file has been changed or corrupted. Nothing was written to it. "
        "Restore your most recent backup."
    )


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[InstanceLock]:
    """Hold the instance lock; release it again if opening fails."""
    lock = InstanceLock(folder)
    lock.acquire()
    try:
        yield lock
    except BaseException:
        lock.release()
        raise


def open_with_key(
    folder: Path, data_key: bytes, *, full_check: bool = True, adopt: bool = False,
    read_only: bool = False,
) -> Vault:
    """adopt: accept the database as it is (after a restore, or a deliberate "open
    anyway") and seal a new marker for it; read_only: open with writes impossible."""
    finish_interrupted_restore(folder)
    key_file = _read_key_file(folder)
    with _locked(folder) as lock:
        return _open_database(folder, key_file, data_key, lock, full_check=full_check,
                              adopt=adopt, read_only=read_only)


def open_with_passphrase(
    folder: Path, passphrase: str, *, full_check: bool = True, adopt: bool = False,
    read_only: bool = False,
) -> Vault:
    finish_interrupted_restore(folder)
    key_file = _read_key_file(folder)
    with _locked(folder) as lock:
        data_key = key_file.unwrap_with_passphrase(passphrase)
        return _open_database(folder, key_file, data_key, lock, full_check=full_check,
                              adopt=adopt, read_only=read_only)


def open_with_recovery_key(
    folder: Path, recovery_key: str, new_passphrase: str, *, adopt: bool = False
) -> Vault:
    """Unlock with the recovery key and set a new passphrase (the old one is forgotten)."""
    finish_interrupted_restore(folder)
    key_file = _read_key_file(folder)
    with _locked(folder) as lock:
        data_key = key_file.unwrap_with_recovery_key(recovery_key)
        vault = _open_database(folder, key_file, data_key, lock, full_check=True, adopt=adopt)
        vault.key_file = key_file.with_passphrase(data_key, new_passphrase)
        vault.key_file.save(folder)
        return vault


def open_with_organisation_key(
    folder: Path, private_key: rsa.RSAPrivateKey, new_passphrase: str
) -> Vault:
    """Unlock with the agency's private recovery key and set a new passphrase."""
    finish_interrupted_restore(folder)
    key_file = _read_key_file(folder)
    with _locked(folder) as lock:
        data_key = key_file.unwrap_with_organisation_key(private_key)
        vault = _open_database(folder, key_file, data_key, lock, full_check=True)
        vault.key_file = key_file.with_passphrase(data_key, new_passphrase)
        vault.key_file.save(folder)
        return vault


def open_restored(folder: Path, data_key: bytes, lock: InstanceLock) -> Vault:
    """Open the vault a restore has just put in place, under the lock the restore holds
    (so no other process can open it in between). The marker already matches it."""
    try:
        return _open_database(folder, _read_key_file(folder), data_key, lock, full_check=True)
    except BaseException:
        lock.release()
        raise


def open_from_keyring(
    folder: Path, cache: KeyCache, *, full_check: bool = True, read_only: bool = False
) -> Vault | None:
    """Unlock with the key remembered on this device, or None if there is none that works."""
    finish_interrupted_restore(folder)
    key_file = _read_key_file(folder)
    data_key = cache.load(key_file.vault_id)
    if data_key is None:
        return None
    try:
        return open_with_key(folder, data_key, full_check=full_check, read_only=read_only)
    except VaultDamaged:
        # A stale key and a damaged file look alike without the key wrap to tell them
        # apart: the passphrase path makes that diagnosis.
        return None


def create(
    folder: Path, passphrase: str, recovery_key: str, organisation_key: bytes | None = None
) -> tuple[Vault, bytes]:
    """Make a new vault; returns it open, with its data key (for the keyring, if wanted).
    organisation_key: the agency's recovery public key (PEM) to wrap the data key to."""
    if vault_exists(folder):
        raise VaultExists(f"There is already a vault in {folder}. Nothing was changed.")
    make_private_folder(folder)  # records are for the owner alone on a shared computer
    with _locked(folder) as lock:
        # 0600 before SQLite opens it: SQLite gives -wal and -shm the database's mode
        create_empty(database_path(folder))
        data_key = new_data_key()
        key_file = KeyFile.create(data_key, passphrase, recovery_key)
        if organisation_key is not None:
            key_file = key_file.with_organisation_key(data_key, organisation_key)
        engine = make_engine(database_path(folder), data_key)
        vault = Vault(folder, key_file, data_key, engine, lock)
        vault.schema_revision = migrate.upgrade(engine, database_path(folder), new=True)
        key_file.save(folder)
        vault.record_state()
        if is_plaintext(database_path(folder)):  # a promise we check, not assume
            raise VaultDamaged("The new database was written without encryption; stopped.")
        return vault, data_key

