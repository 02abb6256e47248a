"""When this vault was last backed up, kept beside it in ``vault.last-backup``.

A backup taken beside the running app (store.snapshot) must not write into the database
the app holds, so it records its time here; `backup status` reads the newer of this and
the vault's own setting. The file holds a time and the vault id, nothing personal; if it
is missing or unreadable the reminder simply falls back to the setting (never an error).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
from pathlib import Path

STAMP_NAME = "vault.last-backup"


def write(folder: Path, vault_id: str, made_at: dt.datetime) -> None:
    """Record a backup's time, atomically (a temporary file renamed over the old one)."""
    data = json.dumps({"vault_id": vault_id, "last_backup_at": made_at.isoformat()})
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{STAMP_NAME}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as output:
            output.write(data)
        os.replace(temporary, Path(folder) / STAMP_NAME)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise


def read(folder: Path, vault_id: str) -> dt.datetime | None:
    """The recorded time for this vault, or None (no file, another vault's, or garbled)."""
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError, AttributeError):
        stored = json.loads((Path(folder) / STAMP_NAME).read_text(encoding="utf-8")[:1000])
        if stored["vault_id"] == vault_id:
            when = dt.datetime.fromisoformat(stored["last_backup_at"])
            return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    return None
