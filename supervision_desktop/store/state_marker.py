"""The state marker: the last state of a vault this computer saw, kept outside ``vault.db``.

An older ``vault.db`` put back (a sync client's previous version, one file restored from a
backup, a lost ``-wal``) or an empty or cut-short one is a sound SQLCipher file: nothing
inside it can tell that newer work is missing. So every committed write transaction
bumps a change counter inside the database (the ``vault_changes`` setting, in the same
transaction) and then rewrites ``vault.state`` beside it: the vault id, schema revision,
that counter, the audit head (entries and newest hash), the database's size in pages and
the time, sealed with an HMAC under a key derived from the vault's data key. There is no
record content and no name in it.

At unlock the database may be AHEAD of the marker (a crash between the commit and the
marker write): that is fine and the marker is brought up to date. It must never be
BEHIND: that, an empty file, a file cut short, one with no tables, a missing or damaged
marker (for a vault that has one) or another vault's marker is refused without
touching the file. A vault from before markers existed (no counter inside) simply gets
one at its first open.

The marker is written atomically (temporary file, fsync, rename) but the folder is not
fsynced: after a power cut the rename may be lost, leaving the previous marker, which is
behind the database and so never refuses a good vault.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlcipher3
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Connection

from supervision_desktop.domain.dates import moment, uk_date
from supervision_desktop.errors import StateMarkerProblem, VaultRolledBack
from supervision_desktop.store.engine import key_connection, read_only_connect
from supervision_desktop.store.private_files import open_private

MARKER_NAME = "vault.state"
FORMAT = "supervision-desktop-state"
FORMAT_VERSION = 1
CHANGES = "vault_changes"  # setting inside the database: "<count>|<ISO UTC time of the change>"
AUDIT_HEAD = "audit_head"  # written by services.audit: "<entries>:<newest hash>"
PAGE_BYTES = 4096  # SQLCipher's page size
MAX_MARKER_BYTES = 64 * 1024

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class DatabaseState:
    """What the database itself says about its history."""

    schema: str
    changes: int
    changed_at: dt.datetime | None  # when its newest counted change was committed
    audit_count: int
    audit_hash: str
    pages: int
    counted: bool  # False: a vault from before markers (no counter inside yet)


@dataclass(frozen=True)
class VaultState:
    """The sealed marker's content: the database state last seen here, and when."""

    vault_id: str
    schema: str
    changes: int
    audit_count: int
    audit_hash: str
    pages: int
    seen_at: dt.datetime


def marker_key(data_key: bytes) -> bytes:
    """The marker's HMAC key: derived, so the data key itself never seals anything else."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"vault-state-marker")
    return hkdf.derive(data_key)


def marker_path(folder: Path) -> Path:
    return folder / MARKER_NAME


def _changes(count: int) -> str:
    return f"{count} change{'' if count == 1 else 's'}"


# --- inside the database ----------------------------------------------------------------


def parse_changes(value: str | None) -> tuple[int, dt.datetime | None]:
    if not value:
        return 0, None
    count, _, at = value.partition("|")
    try:
        return int(count), moment(at) if at else None
    except ValueError:
        return 0, None


def parse_audit_head(value: str | None) -> tuple[int, str]:
    if not value:
        return 0, ""
    count, _, head_hash = value.partition(":")
    try:
        return int(count), head_hash
    except ValueError:
        return -1, head_hash


def bump(connection: Connection, now: dt.datetime) -> DatabaseState:
    """Count one more committed change, in the caller's write transaction; returns the
    state the database will be in once it commits."""
    rows = dict((str(row[0]), str(row[1])) for row in connection.exec_driver_sql(
        "SELECT key, value FROM settings WHERE key IN (?, ?)", (CHANGES, AUDIT_HEAD)
    ).all())
    changes = parse_changes(rows.get(CHANGES))[0] + 1
    connection.exec_driver_sql("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                               (CHANGES, f"{changes}|{now.isoformat()}"))
    schema = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    audit_count, audit_hash = parse_audit_head(rows.get(AUDIT_HEAD))
    return DatabaseState(str(schema or ""), changes, now, audit_count, audit_hash,
                         int(pages or 0), True)


def current(connection: Connection) -> DatabaseState | None:
    """The state of a database open on ``connection`` (after a migration, say)."""
    raw = connection.connection.driver_connection
    return _read_state(raw)


def _read_state(connection: Any) -> DatabaseState | None:
    """None if the database has no vault tables."""
    tables = {str(row[0]) for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"settings", "alembic_version"} <= tables:
        return None
    rows = dict(connection.execute(
        "SELECT key, value FROM settings WHERE key IN (?, ?)", (CHANGES, AUDIT_HEAD)
    ).fetchall())
    schema = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    pages = int(connection.execute("PRAGMA page_count").fetchone()[0])
    changes, changed_at = parse_changes(rows.get(CHANGES))
    audit_count, audit_hash = parse_audit_head(rows.get(AUDIT_HEAD))
    return DatabaseState(str(schema[0]) if schema else "", changes, changed_at, audit_count,
                         audit_hash, pages, CHANGES in rows)


class Unreadable(Exception):
    """The database could not be read with the key (damaged, or cut short)."""


def probe(database: Path, data_key: bytes) -> DatabaseState | None:
    """Read the database's state without writing anything; None if it has no tables.
    Raises Unreadable if its pages cannot be read."""
    existed = companions_present(database)
    connection = read_only_connect(database)
    try:
        key_connection(connection, data_key)
        return _read_state(connection)
    except sqlcipher3.dbapi2.DatabaseError:
        raise Unreadable() from None
    finally:
        connection.close()
        tidy_companions(database, existed)


def companions_present(database: Path) -> tuple[bool, bool]:
    return Path(f"{database}-wal").exists(), Path(f"{database}-shm").exists()


def tidy_companions(database: Path, existed: tuple[bool, bool]) -> None:
    """Remove the empty -wal (and its -shm) a read-only open leaves where there was none."""
    wal, shm = Path(f"{database}-wal"), Path(f"{database}-shm")
    if not existed[0] and wal.exists() and wal.stat().st_size == 0:
        wal.unlink(missing_ok=True)
        if not existed[1]:
            shm.unlink(missing_ok=True)


# --- the marker file ---------------------------------------------------------------------


def _payload(state: VaultState) -> dict[str, Any]:
    fields = asdict(state)
    fields["seen_at"] = state.seen_at.isoformat()
    return fields


def _mac(key: bytes, payload: dict[str, Any]) -> str:
    text = json.dumps({"format": FORMAT, "state": payload}, sort_keys=True,
                      separators=(",", ":"))
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def sealed(state: VaultState, key: bytes) -> bytes:
    """The marker file's content for ``state``, sealed with ``key``."""
    payload = _payload(state)
    document = {"format": FORMAT, "format_version": FORMAT_VERSION, "state": payload,
                "mac": _mac(key, payload)}
    return json.dumps(document, indent=1, sort_keys=True).encode("utf-8")


def write(folder: Path, state: VaultState, key: bytes) -> None:
    """Replace the marker atomically: a crash leaves the old marker or the new, never half."""
    path = marker_path(folder)
    temporary = path.with_name(MARKER_NAME + ".new")
    with open_private(temporary) as handle:
        handle.write(sealed(state, key))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _unsound(folder: Path, what: str) -> StateMarkerProblem:
    return StateMarkerProblem(
        f"The record of the vault last opened on this computer ({marker_path(folder)}) {what}, "
        "so it cannot be told whether the database is the newest copy. Nothing was written "
        "to the vault. Restore your newest backup, or open the vault read-only to look; if "
        "you are sure this database is the newest copy, open it anyway and keep its state "
        "(this is recorded in the audit log)."
    )


def read(folder: Path, vault_id: str, key: bytes) -> VaultState | None:
    """The marker, checked; None if there is none. Raises StateMarkerProblem if it is
    damaged, altered or another vault's."""
    path = marker_path(folder)
    try:
        if path.stat().st_size > MAX_MARKER_BYTES:
            raise _unsound(folder, "is damaged")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        raise _unsound(folder, "cannot be read") from None
    try:
        document = json.loads(text)
        payload = document["state"]
        if document["format"] != FORMAT or not isinstance(payload, dict):
            raise ValueError("not a marker")
    except (ValueError, KeyError, TypeError, RecursionError):
        raise _unsound(folder, "is damaged") from None
    if payload.get("vault_id") != vault_id:
        raise _unsound(folder, "belongs to another vault")
    if not hmac.compare_digest(str(document.get("mac", "")), _mac(key, payload)):
        raise _unsound(folder, "has been altered or is damaged")
    try:
        return VaultState(
            vault_id=str(payload["vault_id"]), schema=str(payload["schema"]),
            changes=int(payload["changes"]), audit_count=int(payload["audit_count"]),
            audit_hash=str(payload["audit_hash"]), pages=int(payload["pages"]),
            seen_at=moment(payload["seen_at"]),
        )
    except (KeyError, TypeError, ValueError):
        raise _unsound(folder, "is damaged") from None


def state_seen(vault_id: str, found: DatabaseState, now: dt.datetime) -> VaultState:
    return VaultState(vault_id, found.schema, found.changes, found.audit_count,
                      found.audit_hash, found.pages, now)


# --- the decision at unlock ---------------------------------------------------------------

_WAYS_OUT = ("Nothing was written to it. Restore your newest backup, or open the vault "
             "read-only to look at what it holds.")


def empty(database: Path, marker: VaultState | None) -> VaultRolledBack:
    if marker is None:
        return VaultRolledBack(
            f"The vault database {database} is empty (0 bytes): it holds no records. "
            f"Nothing was written to it. Restore your newest backup.")
    return VaultRolledBack(
        f"The vault database {database} is empty (0 bytes): the vault on disk is older "
        f"than the one last opened here: all {_changes(marker.changes)} seen here on "
        f"{uk_date(marker.seen_at)} are missing. Nothing was written to it. "
        "Restore your newest backup.")


def no_tables(database: Path, marker: VaultState | None) -> VaultRolledBack:
    missing = (f" The vault last opened here on {uk_date(marker.seen_at)} held "
               f"{_changes(marker.changes)}; all are missing." if marker else "")
    return VaultRolledBack(
        f"The vault database {database} holds no vault tables: it was emptied or is not a "
        f"vault.{missing} Nothing was written to it. Restore your newest backup.")


def cut_short(database: Path, marker: VaultState | None) -> VaultRolledBack | None:
    """The message for an unreadable database shorter than the one last seen here, or
    None if that cannot be told (then it is reported as damaged)."""
    size = database.stat().st_size
    if marker is None or size >= marker.pages * PAGE_BYTES:
        return None
    expected = marker.pages * PAGE_BYTES
    return VaultRolledBack(
        f"The vault database {database} is cut short: it holds {size // 1024} KB of the "
        f"{expected // 1024} KB last seen here on {uk_date(marker.seen_at)} "
        f"({(expected - size) // 1024} KB missing), so it cannot be read. "
        "Nothing was written to it. Restore your newest backup.")


def check(folder: Path, found: DatabaseState, marker: VaultState | None) -> None:
    """Refuse a database that is behind the marker (ahead is fine: a crash after the
    commit, before the marker); refuse a missing marker once the vault has counted."""
    if marker is None:
        if found.counted:
            raise _unsound(folder, "is missing")
        return
    if found.changes < marker.changes:
        missing = marker.changes - found.changes
        since = f" since {uk_date(found.changed_at)}" if found.changed_at else ""
        raise VaultRolledBack(
            f"The vault on disk is older than the one last opened here: "
            f"{_changes(missing)}{since} {'is' if missing == 1 else 'are'} missing "
            f"(last opened here on {uk_date(marker.seen_at)}). {_WAYS_OUT}")
    if found.changes == marker.changes and (
            (found.audit_count, found.audit_hash) != (marker.audit_count, marker.audit_hash)):
        raise VaultRolledBack(
            "The vault on disk is not the one last opened here: it has as many changes "
            f"but a different audit log (last opened here on {uk_date(marker.seen_at)}). "
            f"{_WAYS_OUT}")


class MarkerWriter:
    """Writes one vault's marker after its commits, newest state only (threads commit in
    turn, but may reach the marker out of order)."""

    def __init__(self, folder: Path, vault_id: str, data_key: bytes) -> None:
        self._folder = folder
        self._vault_id = vault_id
        self._key = marker_key(data_key)
        self._written = -1
        self._mutex = threading.Lock()

    def record(self, found: DatabaseState, now: dt.datetime) -> None:
        with self._mutex:
            if found.changes < self._written:
                return
            write(self._folder, state_seen(self._vault_id, found, now), self._key)
            self._written = found.changes

    def read(self) -> VaultState | None:
        return read(self._folder, self._vault_id, self._key)
