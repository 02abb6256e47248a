"""The last resort: an unexpected error saves the open work, says so calmly, and leaves a
report for IT that holds no record content.

Every parser and service raises a typed ``UserError`` with its own message; this hook
only ever sees bugs. It is installed as ``sys.excepthook`` and ``threading.excepthook``
(exceptions raised in Qt slots reach ``sys.excepthook`` too) by the GUI, with a callback
that saves the open work and one that shows the message, and used by the CLI's top-level
handler (exit status 70).

The report is appended to ``crash.log`` in the user's data folder (``paths.logs_dir()``;
a rotating log, 256 KB a file, three old files kept, readable by the owner alone). It
holds the time, the app, Python, Qt and platform versions, the exception's type (and the
types of the exceptions chained to it) and each frame's file, line and function name —
never local variables and never an exception's message, since a message can quote what
was typed (a ``KeyError`` names the key, a ``ValueError`` quotes the value).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from supervision_desktop import __version__

EXIT_CRASH = 70
LOG_NAME = "crash.log"
LOG_BYTES = 256 * 1024
LOG_BACKUPS = 3

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class _PrivateRotatingHandler(RotatingFileHandler):
    """A RotatingFileHandler whose files (new and rotated) are readable by the owner only."""

    def _open(self) -> io.TextIOWrapper:  # type: ignore[type-arg,unused-ignore]
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.chmod(self.baseFilename, 0o600)  # a file made by an older version, or by umask
        return open(descriptor, "a", encoding="utf-8")  # noqa: SIM115 - the handler closes it


def _where(filename: str) -> str:
    """A frame's file without the folders above the package (they name the user)."""
    parts = Path(filename).parts
    for anchor in ("supervision_desktop", "site-packages"):
        if anchor in parts:
            start = parts.index(anchor) + (anchor == "site-packages")
            return "/".join(parts[start:])
    return Path(filename).name


def _chain(exc: BaseException) -> list[BaseException]:
    chain, seen = [exc], {id(exc)}
    while True:
        nxt = chain[-1].__cause__ or chain[-1].__context__
        if nxt is None or id(nxt) in seen:
            return chain
        chain.append(nxt)
        seen.add(id(nxt))


def _qt_version() -> str:
    qt = sys.modules.get("PySide6.QtCore")
    return str(getattr(qt, "qVersion", lambda: "not loaded")())


def report_text(exc: BaseException, *, now: dt.datetime | None = None) -> str:
    """The crash report for ``exc``: versions, exception types and frame names only."""
    moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    lines = [
        f"--- crash at {moment}",
        f"Supervision Desktop {__version__}; Python {platform.python_version()}; "
        f"Qt {_qt_version()}; {platform.platform()}",
    ]
    for position, item in enumerate(_chain(exc)):
        cause = "exception" if position == 0 else "while handling"
        kind = type(item)
        lines.append(f"{cause}: {kind.__module__}.{kind.__qualname__} (message withheld)")
        lines.extend(f"  {_where(frame.filename)}:{frame.lineno} in {frame.name}"
                     for frame in traceback.extract_tb(item.__traceback__))
    return "\n".join(lines) + "\n"


def write_report(exc: BaseException, log_file: Path | None = None) -> Path | None:
    """Append the report to the crash log; its path, or None if it could not be written."""
    from supervision_desktop.paths import crash_log_file

    path = log_file or crash_log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = _PrivateRotatingHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS,
                                          encoding="utf-8", delay=True)
        try:
            record = logging.LogRecord("supervision_desktop.crash", logging.CRITICAL,
                                       __file__, 0, "%s", (report_text(exc),), None)
            handler.setFormatter(logging.Formatter("%(message)s"))
            handler.emit(record)
            return path if path.exists() else None
        finally:
            handler.close()
    except OSError:  # a full disk or a read-only profile: the message still shows
        return None


def calm_message(saved: bool | None, report: Path | None) -> str:
    """What the person is told: ``saved`` None where there was no open work (the CLI)."""
    first = "Something went wrong inside Supervision Desktop."
    if saved is True:
        first += " Your work was saved."
    elif saved is False:
        first += " Your last autosave is kept; what was typed since may need checking."
    where = (f" A report without any record content was written to {report}; "
             "you can send it to your IT support." if report else
             " No report could be written (is the disk full?).")
    return first + where


class CrashHook:
    """Saves the work, writes the report and shows the message, each step guarded so
    that a failure in one (the very bug, again) never stops the others."""

    def __init__(self, save_work: Callable[[], object] | None,
                 show: Callable[[str], object], log_file: Path | None = None) -> None:
        self.save_work = save_work
        self.show = show
        self.log_file = log_file
        self._busy = False

    def handle(self, exc: BaseException) -> None:
        if self._busy:  # a second error while saving or showing: just record it
            write_report(exc, self.log_file)
            return
        self._busy = True
        try:
            saved: bool | None = None
            if self.save_work is not None:
                try:
                    self.save_work()
                    saved = True
                except Exception as again:  # noqa: BLE001 - the last resort must not raise
                    write_report(again, self.log_file)
                    saved = False
            report = write_report(exc, self.log_file)
            try:
                self.show(calm_message(saved, report))
            except Exception:  # noqa: BLE001
                print(calm_message(saved, report), file=sys.stderr)
        finally:
            self._busy = False

    def excepthook(self, kind: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        self.handle(exc)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None and not issubclass(args.exc_type, SystemExit):
            self.handle(args.exc_value)


def show_on_stderr(message: str) -> None:
    """The CLI's way of showing the message: one line on standard error."""
    print(f"error: {message}", file=sys.stderr)


def install(*, save_work: Callable[[], object] | None = None,
            show: Callable[[str], object] = show_on_stderr,
            log_file: Path | None = None) -> CrashHook:
    """Make the hook the process's ``sys.excepthook`` and ``threading.excepthook``."""
    hook = CrashHook(save_work, show, log_file)
    sys.excepthook = hook.excepthook
    threading.excepthook = hook.thread_excepthook
    return hook
