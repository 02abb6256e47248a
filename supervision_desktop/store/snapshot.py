"""Reading a vault beside the process that has it open (for backups and their status).

The instance lock keeps a second copy of the app from *writing*; a backup only reads. So
this opens ``vault.db`` read-only (``mode=ro``) with the data key and without the lock:
in WAL mode a reader sees the last committed state and never blocks the writer, and a
``VACUUM INTO`` on it is a consistent snapshot, written encrypted with the same key.
The key is applied as the first statement (store.engine) and never appears in a URL,
argument list, environment or log.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlcipher3

from supervision_desktop.errors import VaultDamaged, VaultMissing
from supervision_desktop.store.engine import apply_key, is_plaintext
from supervision_desktop.store.keyfile import KeyFile
from supervision_desktop.store.vault import DATABASE_NAME, check_state

READ_FAILED = "its first page cannot be read with this key"


@contextlib.contextmanager
def reader(folder: Path, data_key: bytes) -> Iterator[Any]:
    """A keyed, read-only SQLCipher connection on the vault's database (no lock taken).
    Raises VaultMissing, VaultDamaged, or what unlock raises for a database it refuses
    (VaultRolledBack, StateMarkerProblem)."""
    database = Path(folder) / DATABASE_NAME
    if not database.is_file():
        raise VaultMissing(f"The vault's database ({DATABASE_NAME}) is missing from {folder}.")
    if is_plaintext(database):
        raise VaultDamaged(f"{database} is not an encrypted vault database; it was not read.")
    check_state(folder, data_key)  # what unlock would refuse is refused here too
    uri = "file:" + quote(str(database.resolve())) + "?mode=ro"
    connection = sqlcipher3.dbapi2.connect(uri, uri=True, check_same_thread=False)
    try:
        try:
            apply_key(connection, data_key)
        except sqlcipher3.dbapi2.DatabaseError:
            raise VaultDamaged(
                f"The vault database {database} cannot be read with this vault's key: it "
                "is damaged or belongs to another vault. Nothing was written to it. "
                "Restore your most recent backup.") from None
        yield connection
    finally:
        connection.close()


def key_from_passphrase(folder: Path, passphrase: str) -> bytes:
    """The data key, unwrapped from vault.key with the passphrase (WrongPassphrase if not)."""
    return KeyFile.load(Path(folder)).unwrap_with_passphrase(passphrase)


def page_problems(connection: Any) -> list[str]:
    """SQLCipher's check of every page's HMAC, then SQLite's structural check."""
    try:
        problems = [str(r[0]) for r in connection.execute("PRAGMA cipher_integrity_check")]
        problems += [str(r[0]) for r in connection.execute("PRAGMA integrity_check")
                     if r[0] != "ok"]
    except sqlcipher3.dbapi2.OperationalError:
        raise  # busy, out of memory: the check did not run
    except sqlcipher3.dbapi2.DatabaseError:
        return [READ_FAILED]
    return problems


@contextlib.contextmanager
def read_transaction(connection: Any) -> Iterator[None]:
    """One read transaction: everything read inside it sees the same committed state,
    whatever a writer commits meanwhile (WAL)."""
    connection.execute("BEGIN")
    try:
        yield
    finally:
        connection.execute("ROLLBACK")


def copy_into(connection: Any, target: Path, data_key: bytes) -> None:
    """Copy every page of the database, as the connection's read transaction sees it, into
    a new file encrypted with the same key (SQLite's online backup API)."""
    copy = sqlcipher3.dbapi2.connect(str(target))
    try:
        copy.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
        copy.execute("PRAGMA temp_store = MEMORY")
        connection.backup(copy)
    finally:
        copy.close()

