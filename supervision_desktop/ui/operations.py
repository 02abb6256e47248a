"""Run slow work (unlock, export, search) off the GUI thread and report back on it.

Every long-running service call from the UI goes through :func:`run_in_background`,
so a window never freezes and every failure is reported the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # delivered to the caller's on_error
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


_running: set[_Relay] = set()  # keeps relays alive until they report


def run_in_background(
    work: Callable[[], Any],
    on_success: Callable[[Any], object],  # what the callbacks return is not used
    on_error: Callable[[Exception], object],
) -> None:
    """Call work() on a pool thread; on_success/on_error run on the GUI thread."""
    relay = _Relay()
    _running.add(relay)

    def finish(callback: Callable[[Any], object], value: Any) -> None:
        _running.discard(relay)
        callback(value)

    relay.succeeded.connect(lambda result: finish(on_success, result))
    relay.failed.connect(lambda exc: finish(on_error, exc))
    QThreadPool.globalInstance().start(_Job(work, relay))
