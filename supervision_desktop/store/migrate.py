"""Bring a vault's schema up to date with Alembic, safely.

A copy of the (encrypted) database is taken before any migration of an existing
vault; a vault written by a newer version of the application is refused, not touched.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from supervision_desktop.errors import VaultDamaged, VaultTooNew

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(connection: Connection | None = None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


_REVISION = re.compile(r"""^revision\s*=\s*['"]([^'"]+)['"]""", re.MULTILINE)
_DOWN_REVISION = re.compile(r"""^down_revision\s*=\s*['"]([^'"]+)['"]""", re.MULTILINE)


def _head_from_files() -> str | None:
    """The newest revision, read from the migration files' text without importing
    Alembic (a third of a second at every unlock); None if it cannot be told."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        if (found := _REVISION.search(text)) is not None:
            revisions.add(found.group(1))
        if (parent := _DOWN_REVISION.search(text)) is not None:
            parents.add(parent.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stored_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        try:
            rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        except DBAPIError:  # a new database: no version table yet
            return None
    return str(rows[0][0]) if len(rows) == 1 else None


def upgrade(engine: Engine, database: Path, *, new: bool = False) -> str:
    """Migrate to the newest schema; returns the revision the vault is now at. Only a new
    vault (``new``, from `vault.create`) may be given a schema from nothing: an existing
    file with no schema is refused, never written over."""
    head = _head_from_files()
    if head is not None and _stored_revision(engine) == head:
        return head  # up to date: the usual case, settled without Alembic

    from alembic import command
    from alembic.script import ScriptDirectory

    current = current_revision(engine)
    scripts = ScriptDirectory.from_config(_config())
    head = scripts.get_current_head()
    if current == head and head is not None:
        return head
    known = {script.revision for script in scripts.walk_revisions()}
    if current is not None and current not in known:
        raise VaultTooNew(
            f"This vault was written by a newer version of Supervision Desktop "
            f"(schema {current}). Install the newer version to open it; nothing was changed."
        )
    if current is None and not new:
        raise VaultDamaged(
            f"The vault database {database} holds no vault tables; nothing was written to "
            "it. Restore your newest backup.")
    if current is not None:
        with engine.connect() as connection:
            # On the driver's connection: SQLAlchemy would open a transaction first (BEGIN
            # IMMEDIATE, see store.engine), and SQLite refuses a checkpoint inside one.
            raw = connection.connection.dbapi_connection
            assert raw is not None
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        shutil.copy2(database, database.with_name(f"{database.name}.before-{head}"))
    with engine.connect() as connection:
        command.upgrade(_config(connection), "head")
    assert head is not None
    return head
