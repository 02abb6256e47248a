"""One cold start of the real app, reported as JSON: ``python -m benchmarks.cold_start``.

Runs the app's own entry path (``supervision_desktop.__main__.main(["--vault", DIR])``)
on whatever Qt platform is set (the runner uses offscreen). In ``passphrase`` mode it
types the passphrase into the unlock window as soon as that is shown and presses
Unlock; in ``keyring`` mode the app unlocks with the key remembered on this device. When
the main window has been painted it prints one JSON line —
``{"shown": <time.time()>, "cpu_ms": ..., "unlock_shown": ..., "maxrss_mb": ...,
"pages_maxrss_mb": ...}`` (``cpu_ms``: the process's CPU time up to the paint)
— and quits. ``pages_maxrss_mb`` is the peak after visiting every page once. The runner
times from just before it spawned this process (whole-process: interpreter start,
imports, key derivation or keyring lookup, opening the database, building every page).

The passphrase comes in the environment (``BENCH_PASSPHRASE``), never on the command line.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    mode, folder = sys.argv[1], sys.argv[2]
    passphrase = os.environ.get("BENCH_PASSPHRASE", "")

    from supervision_desktop import __main__ as entry

    entry._preload_before_qt()  # as `python -m supervision_desktop` does, before Qt

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from supervision_desktop.ui.shell import app as app_module

    facts: dict[str, object] = {"mode": mode}

    class _Painted(QObject):
        def __init__(self, window: object) -> None:
            super().__init__()
            self.window = window
            self.done = False

        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and not self.done:
                self.done = True
                facts["shown"] = time.time()
                facts["cpu_ms"] = round(time.process_time() * 1000, 1)  # all of it, so far
                facts["maxrss_mb"] = round(_maxrss_mb(), 1)
                QTimer.singleShot(0, self.visit_pages)
            return False

        def visit_pages(self) -> None:
            navigation = self.window.navigation  # type: ignore[attr-defined]
            for row in range(navigation.count()):
                navigation.setCurrentRow(row)
                QApplication.processEvents()
            facts["pages_maxrss_mb"] = round(_maxrss_mb(), 1)
            print(json.dumps(facts), flush=True)
            QApplication.quit()

    original = app_module.DesktopApp._show
    watchers: list[_Painted] = []

    def _show(self: app_module.DesktopApp, window: object) -> None:
        from supervision_desktop.ui.shell.main_window import MainWindow
        from supervision_desktop.ui.shell.unlock import UnlockWindow

        if isinstance(window, MainWindow):
            watcher = _Painted(window)
            watchers.append(watcher)
            window.installEventFilter(watcher)
        original(self, window)  # type: ignore[arg-type]
        if isinstance(window, UnlockWindow):
            facts["unlock_shown"] = time.time()
            if mode != "passphrase":
                print(json.dumps({"error": "the keyring did not unlock the vault"}), flush=True)
                QTimer.singleShot(0, QApplication.quit)
                return
            window.passphrase.setText(passphrase)
            QTimer.singleShot(0, window.unlock_button.click)

    app_module.DesktopApp._show = _show  # type: ignore[method-assign]
    return entry.main(["--vault", folder])


if __name__ == "__main__":
    sys.exit(main())
