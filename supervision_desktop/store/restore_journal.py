"""Putting a restored vault in place all at once, even if the process is killed part-way.

A restore replaces three files that only make sense together: the database, the key file
that unlocks it, and the state marker that says which database is expected here. No file
system renames three files atomically, so a restore first writes each new file whole
beside the old one (``vault.db.restoring`` …, each flushed to disk), then writes the
journal ``vault.restore-journal`` naming them: that is the moment the restore counts as
done. Only then are the files renamed over the old ones, and the journal removed.

`finish` runs under the instance lock before any vault is opened (and before a restore
starts). It finds one of three states a kill can leave:

- no journal: any staged files are a restore that never got to its journal: they are
  removed and the old vault is untouched;
- a journal: the restore had been decided; the renames not yet done are done (each is
  idempotent), then the journal goes;
- neither: nothing to do.

So after a kill at any point the folder holds the old vault or the restored one, whole,
with the marker that matches it: the next unlock never asks about it.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Collection
from pathlib import Path

from supervision_desktop.store.private_files import open_private

JOURNAL_NAME = "vault.restore-journal"
STAGED_SUFFIX = ".restoring"
FORMAT = "supervision-desktop-restore-journal"
# The files a restore may replace, in the order they are put in place. A database's
# -wal and -shm belong to the old database: they are removed before it is replaced.
REPLACEABLE = ("vault.db", "vault.key", "vault.state")
_DATABASE = "vault.db"
_MAX_JOURNAL_BYTES = 4096


def staged_path(folder: Path, name: str) -> Path:
    return folder / (name + STAGED_SUFFIX)


def _sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable (POSIX; Windows has no folder handles)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_whole(path: Path, data: bytes) -> None:
    with open_private(path) as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def stage(folder: Path, name: str, data: bytes) -> Path:
    """Write one new file beside the one it will replace; returns where it is."""
    if name not in REPLACEABLE:
        raise ValueError(f"a restore does not replace {name}")
    path = staged_path(folder, name)
    _write_whole(path, data)
    return path


def commit(folder: Path, names: Collection[str]) -> None:
    """Decide the restore of the files staged under ``names``, then put them in place.
    The caller holds the instance lock and has checked what it staged."""
    for name in names:
        if not staged_path(folder, name).is_file():
            raise ValueError(f"{name} was not staged")
    journal = folder / JOURNAL_NAME
    temporary = journal.with_name(JOURNAL_NAME + ".new")
    ordered = [name for name in REPLACEABLE if name in names]
    _write_whole(temporary, json.dumps({"format": FORMAT, "files": ordered}).encode("utf-8"))
    os.replace(temporary, journal)  # from here on the restore is done, whatever happens
    _sync_folder(folder)
    finish(folder)


def interrupted(folder: Path) -> bool:
    """Whether a restore left its journal or staged files here (a cheap look, no lock)."""
    return any(path.exists() for path in (
        folder / JOURNAL_NAME, folder / (JOURNAL_NAME + ".new"),
        *(staged_path(folder, name) for name in REPLACEABLE)))


def _decided(folder: Path) -> list[str] | None:
    """The files the journal names, or None if there is no journal that can be trusted
    (none, or one cut short before it was renamed into place: that cannot happen, as it
    is written whole under another name first, but a damaged one is treated as none)."""
    journal = folder / JOURNAL_NAME
    try:
        if journal.stat().st_size > _MAX_JOURNAL_BYTES:
            return None
        document = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none (FileNotFoundError), unreadable or garbled
        return None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return None
    files = document.get("files")
    if not isinstance(files, list) or not all(name in REPLACEABLE for name in files):
        return None
    return [str(name) for name in files]


def finish(folder: Path) -> bool:
    """Complete a decided restore or remove an undecided one's files (see the module
    text). The caller holds the instance lock. Returns True if a restore was completed."""
    decided = _decided(folder)
    if decided is None:
        for name in REPLACEABLE:
            staged_path(folder, name).unlink(missing_ok=True)
        for leftover in (folder / (JOURNAL_NAME + ".new"), folder / JOURNAL_NAME):
            leftover.unlink(missing_ok=True)
        return False
    for name in decided:
        staged = staged_path(folder, name)
        if not staged.exists():
            continue  # put in place before the kill
        if name == _DATABASE:
            for companion in ("-wal", "-shm"):
                (folder / (name + companion)).unlink(missing_ok=True)
        os.replace(staged, folder / name)
    _sync_folder(folder)
    (folder / JOURNAL_NAME).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        _sync_folder(folder)
    return True
