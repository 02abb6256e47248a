"""The SQLCipher engine: every connection keyed first, then made safe.

See SECURITY-NOTES: the key must be the very first statement (anything before it on a
new file writes a plaintext header); temp files must stay in memory; write
transactions begin IMMEDIATE so a read-then-write never fails at once with
"database is locked". A connection from ``engine.execution_options(read_only=True)``
(`Vault.read`) begins DEFERRED with ``query_only`` on instead: in WAL mode such a reader
never blocks a writer (an autosave), however long it reads, and it cannot write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlcipher3
from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 5000
READ_ONLY = "read_only"  # execution option: transactions only read (see the docstring)
PLAINTEXT_HEADER = b"SQLite format 3\x00"

_AFTER_KEY = (
    "PRAGMA cipher_log_level = NONE",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
)


_AFTER_KEY_READ_ONLY = (
    *(statement for statement in _AFTER_KEY if "journal_mode" not in statement),
    "PRAGMA query_only = ON",
)


def key_connection(dbapi_connection: Any, key: bytes) -> None:
    """Key a new connection (the very first statement) and read the schema with it."""
    dbapi_connection.isolation_level = None  # we send BEGIN ourselves
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        cursor.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        cursor.close()


def read_only_connect(database: Path) -> Any:
    """A connection that cannot write the database: SQLite's read-only open, which does
    not even checkpoint the -wal into the file on close."""
    return sqlcipher3.dbapi2.connect(
        f"file:{quote(str(database))}?mode=ro", uri=True, check_same_thread=False)


def apply_key(dbapi_connection: Any, key: bytes, *, read_only: bool = False) -> None:
    key_connection(dbapi_connection, key)
    cursor = dbapi_connection.cursor()
    try:
        for statement in _AFTER_KEY_READ_ONLY if read_only else _AFTER_KEY:
            cursor.execute(statement)
        temp_store = cursor.execute("PRAGMA temp_store").fetchone()[0]
        if temp_store != 2:  # 2 = MEMORY; anything else writes plaintext temp files
            raise RuntimeError("SQLCipher refused temp_store=MEMORY")
    finally:
        cursor.close()


def make_engine(database: Path, key: bytes, *, read_only: bool = False) -> Engine:
    """An engine whose every connection is keyed; the key never appears in a URL or log.
    read_only: every connection is opened read-only and `query_only`: nothing can be
    written, not even a checkpoint."""
    options: dict[str, Any] = {"module": sqlcipher3.dbapi2, "pool_size": 4, "max_overflow": 4}
    if read_only:
        options["creator"] = lambda: read_only_connect(database)
    engine = create_engine(f"sqlite:///{database}", **options)

    @event.listens_for(engine, "connect", insert=True)
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        apply_key(dbapi_connection, key, read_only=read_only)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if read_only:  # every connection is query_only for good: a plain read
            connection.exec_driver_sql("BEGIN")
        elif connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("PRAGMA query_only = ON")
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("PRAGMA query_only = OFF")
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, _record: Any) -> None:
        if dbapi_connection is not None and not read_only:  # writable for its next user
            dbapi_connection.execute("PRAGMA query_only = OFF")

    return engine


def is_plaintext(database: Path) -> bool:
    """True if the file is an unencrypted SQLite database (a broken promise)."""
    with open(database, "rb") as handle:
        return handle.read(len(PLAINTEXT_HEADER)) == PLAINTEXT_HEADER
