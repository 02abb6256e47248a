"""One process at a time per vault.

An OS file lock (``fcntl`` on Linux and macOS, ``msvcrt`` on Windows) on ``vault.lock``:
the operating system drops it when the holder exits or is killed, so a crash never
leaves a stale lock. The holder writes its process id into the file so a second copy
can say who has the vault open.

POSIX record locks belong to the process, not the file descriptor: a second acquire in
the same process would succeed, and its release would drop the first holder's lock. So
the locks this process holds are also kept in `_held`, and a second acquire of the same
vault in this process is refused like one from another process.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from supervision_desktop.errors import VaultInUse

LOCK_FILE_NAME = "vault.lock"
_held: set[Path] = set()  # lock files this process holds


class InstanceLock:
    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_FILE_NAME
        self._fd: int | None = None
        self._key = self.path

    def acquire(self) -> None:
        key = self.path.resolve()
        if key in _held:
            raise VaultInUse(
                "This vault is already open in this copy of Supervision Desktop "
                f"(process {os.getpid()}). Close it there first."
            )
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise VaultInUse(
                "This vault is already open in another copy of Supervision Desktop "
                f"(process {holder}). Close it there first."
            )
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        self._fd = fd
        self._key = key
        _held.add(key)

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None
            _held.discard(self._key)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 1024, os.SEEK_SET)  # lock a byte past the pid so it stays readable
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            os.lseek(fd, 0, os.SEEK_SET)
            return False
        os.lseek(fd, 0, os.SEEK_SET)
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 1024, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 1024)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, 1024)
