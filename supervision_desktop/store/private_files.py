"""Files only their owner can read: 0600 files and 0700 folders, whatever the umask.

Everything the app writes holds records, keys or names: the vault database and its
``-wal``/``-shm`` companions, ``vault.key``, ``vault.lock``, backups, exported PDFs and
CSVs, transfer bundles, logs and temporary files. On POSIX each is created with mode
0600 in the call that creates it (so there is no moment when it is readable by others),
and existing ones are tightened when a vault is opened. SQLite creates ``-wal`` and
``-shm`` itself with the mode of the database file, so a 0600 ``vault.db`` is enough for
them (tests/test_file_modes.py proves it under umask 000).

On Windows, modes do not apply: the files live in the per-user data folder
(``%LOCALAPPDATA%``), whose access list admits only that user, SYSTEM and
administrators; these functions leave Windows permissions alone.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o600
FOLDER_MODE = 0o700
POSIX = sys.platform != "win32"


def open_private(path: Path, mode: str = "wb", **kwargs: Any) -> IO[Any]:
    """Open for writing (truncating) a file created 0600; an existing file becomes 0600."""
    if mode not in ("w", "wb"):
        raise ValueError(f"open_private writes only: mode {mode!r}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, FILE_MODE)
    try:
        if POSIX:
            os.fchmod(fd, FILE_MODE)  # it may have existed with a wider mode
        return os.fdopen(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise


def create_empty(path: Path) -> None:
    """An empty 0600 file (e.g. for SQLite to fill: it keeps the mode it finds)."""
    with open_private(path):
        pass


def make_private_folder(folder: Path) -> None:
    """The folder (and missing parents) exists; the folder itself is 0700."""
    folder.mkdir(parents=True, exist_ok=True)
    if POSIX:
        folder.chmod(FOLDER_MODE)


def tighten(paths: Iterable[Path]) -> None:
    """Make existing files 0600 (a vault from an older version, a restored copy).
    Missing files and file systems without modes (a FAT stick) are left as they are."""
    if not POSIX:
        return
    for path in paths:
        with contextlib.suppress(OSError):
            if path.is_file() and path.stat().st_mode & 0o077:
                path.chmod(FILE_MODE)
