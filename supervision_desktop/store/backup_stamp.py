"""When this vault was last backed up, kept beside it in ``vault.last-backup``.

A backup taken beside the running app (store.snapshot) must not write into the database
the app holds, so it records its time here; `backup status` reads the newer of this and
the vault's own setting. It also lists the backups made beside the app (time and number
of records, the newest MAX_MADE), so the app can enter them in the audit log when it next
opens the vault. The file holds times, counts and the vault id, nothing personal; if it
is missing or unreadable the reminder simply falls back to the setting (never an error).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from supervision_desktop.domain.dates import moment

STAMP_NAME = "vault.last-backup"
MAX_MADE = 100  # backups beside the app remembered for the audit log (the newest)


@dataclass(frozen=True)
class MadeBeside:
    """A backup made while the app may have had the vault open (not yet in its log)."""

    made_at: dt.datetime
    records: int


def _stored(folder: Path, vault_id: str) -> dict[str, Any]:
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError, RecursionError):
        stored = json.loads((Path(folder) / STAMP_NAME).read_text(encoding="utf-8")[:20_000])
        if isinstance(stored, dict) and stored.get("vault_id") == vault_id:
            return stored
    return {}


def _aware(text: Any) -> dt.datetime:
    return moment(str(text))


def write(folder: Path, vault_id: str, made_at: dt.datetime, *,
          beside_records: int | None = None) -> None:
    """Record a backup's time, atomically (a temporary file renamed over the old one);
    ``beside_records``: it was made beside the app, holding that many records (listed
    for the audit log)."""
    made = [entry for entry in _stored(folder, vault_id).get("made", [])
            if isinstance(entry, dict)]
    if beside_records is not None:
        made.append({"at": made_at.isoformat(), "records": beside_records})
    data = json.dumps({"vault_id": vault_id, "last_backup_at": made_at.isoformat(),
                       "made": made[-MAX_MADE:]})
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
    stored = _stored(folder, vault_id)
    with contextlib.suppress(ValueError, TypeError, KeyError):
        return _aware(stored["last_backup_at"])
    return None


def made_beside(folder: Path, vault_id: str) -> list[MadeBeside]:
    """The backups made beside the app that the stamp lists, oldest first (garbled
    entries are left out: this is for the log, never a reason to fail)."""
    found = []
    for entry in _stored(folder, vault_id).get("made", []):
        with contextlib.suppress(ValueError, TypeError, KeyError, AttributeError):
            found.append(MadeBeside(_aware(entry["at"]), int(entry["records"])))
    return sorted(found, key=lambda made: made.made_at)
