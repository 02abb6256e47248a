"""Rotating the backups in a folder: apply the rule (domain.backup_rotation) to its files.

Only files that are ours are ever considered, and only those deleted: a name of the form
``supervision-backup_2026-11-25T143005.sdbackup`` (or the older date-only
``supervision-backup_2026-11-25.sdbackup``, made at midnight) AND a sound backup file
(magic, our header, matching checksum). A damaged file with our name is left alone and
does not count; a file being written has a temporary name (``.NAME.XXXX.part``) and is
never touched until it is older than STALE_PART, when it can only be a killed run's.
The backup just written is always kept.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from supervision_desktop.domain.backup_rotation import Keep, to_keep
from supervision_desktop.domain.dates import iso_date
from supervision_desktop.services.backup_format import FILE_PREFIX, SUFFIX, is_sound_backup

NAME = re.compile(
    re.escape(FILE_PREFIX)
    + r"(\d{4}-\d{2}-\d{2})(?:T(\d{2})(\d{2})(\d{2}))?(?:-(\d{1,4}))?" + re.escape(SUFFIX) + "$"
)
PART = re.compile(r"\." + re.escape(FILE_PREFIX) + r".*" + re.escape(SUFFIX) + r"\..*\.part$")
STALE_PART = dt.timedelta(minutes=10)


def made_at(name: str) -> dt.datetime | None:
    """When a backup was made (local time), from its file name; None if not our name.
    A second run in the same second (``-2``, ``-3``) counts as that many microseconds
    later, so each file has its own time and the later run is the newer."""
    match = NAME.fullmatch(name)
    if match is None:
        return None
    day, hour, minute, second, number = match.groups()
    try:
        when = dt.datetime.combine(iso_date(day), dt.time())
        return when.replace(hour=int(hour or 0), minute=int(minute or 0),
                            second=int(second or 0), microsecond=int(number or 0))
    except ValueError:  # 2026-13-45: not a name we made
        return None


def rotate(folder: Path, newest: Path, now: dt.datetime, keep: Keep) -> list[Path]:
    """Delete the backups in folder the rule does not keep; returns what was deleted."""
    local_now = now.astimezone().replace(tzinfo=None)
    backups: dict[Path, dt.datetime] = {}
    for entry in sorted(folder.iterdir()):
        when = made_at(entry.name)
        if when is not None and entry.is_file() and not entry.is_symlink():
            if entry == newest or is_sound_backup(entry):
                backups[entry] = when
        elif PART.fullmatch(entry.name):
            _remove_stale_part(entry, now)
    written = made_at(newest.name)
    if written is not None:  # the run's own file is "now", even as name-2 (+2 µs)
        local_now = max(local_now, written)
    kept = to_keep(backups.values(), local_now, keep)
    removed = []
    for path, when in backups.items():
        if when not in kept and path != newest:
            try:
                path.unlink()
            except OSError:
                continue  # read-only media, or gone already: it stays, nothing lost
            removed.append(path)
    return removed


def _remove_stale_part(path: Path, now: dt.datetime) -> None:
    try:
        if now.timestamp() - path.lstat().st_mtime > STALE_PART.total_seconds():
            os.unlink(path)
    except OSError:
        pass
