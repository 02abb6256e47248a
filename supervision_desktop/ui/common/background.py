"""Run slow work (unlock, export, search, disposal, imports) off the GUI thread and report
back on it: the one background-operation helper every long GUI action goes through.

``run_in_background(work, on_success, on_error)`` calls ``work()`` on a pool thread;
``run_with_progress(work, on_success, on_error, on_progress)`` passes ``work`` a
:class:`Progress` to report ``(fraction, text)`` and to learn whether the person asked to
stop (:meth:`Operation.cancel`). The callbacks always run on the GUI thread:

- ``on_success(result)`` with what ``work`` returned (typed: ``Callable[[T], object]``);
- ``on_error(exc)`` with a :class:`UserError` only, a problem the person can act on, to be
  shown with ``describe``. Stopping on request arrives as :class:`Cancelled`.
- Anything else is a bug: it is handed to ``sys.excepthook`` on the GUI thread (the crash
  hook: it saves open work and writes a crash report), and ``on_error`` is not called.

Either way the operation's ``finished`` signal follows, so a page can always re-enable
its buttons. `wait_for_background` lets the vault be locked or closed only once no
operation is still using it.
"""

from __future__ import annotations

import sys
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

from supervision_desktop.errors import UserError

T = TypeVar("T")


class Cancelled(UserError):
    """The person stopped the operation; what was done before stopping is kept."""

    def __init__(self, message: str = "Stopped before it finished.") -> None:
        super().__init__(message)


class Progress:
    """Given to the work: report how far it has got; ask whether to stop. Thread-safe."""

    def __init__(self, operation: Operation) -> None:
        self._operation = operation

    def __call__(self, fraction: float, text: str) -> None:
        """Report progress (0.0 to 1.0) and what is being done, shown on the GUI thread."""
        self._operation._reported.emit(min(max(float(fraction), 0.0), 1.0), text)

    @property
    def cancelled(self) -> bool:
        return self._operation.cancel_requested

    def check(self) -> None:
        """Raise :class:`Cancelled` if the person asked to stop (call between steps)."""
        if self.cancelled:
            raise Cancelled()


class Operation(QObject):
    """One piece of work running in the background; cancel() asks it to stop."""

    # Both public signals are emitted on the GUI thread, from the event loop, so whoever
    # connects right after the operation started misses no step.
    progressed = Signal(float, str)  # fraction done (0–1), what is being done
    finished = Signal()  # after on_success or on_error ran (or a bug was reported)
    _reported = Signal(float, str)  # progress, emitted on the pool thread
    _succeeded = Signal(object)
    _failed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()
        self.running = True
        self._due: deque[Callable[[], object]] = deque()  # reports not yet delivered
        self._delivering = False

    def _deliver(self, report: Callable[[], object]) -> None:
        """Deliver reports one at a time, in the order the work made them.

        A slot may run the event loop (a modal QProgressDialog's setValue does): the next
        report, arriving meanwhile, waits until every slot has seen this one, so no one
        sees step 3 before step 2, nor the result before the last step."""
        self._due.append(report)
        if self._delivering:
            return
        self._delivering = True
        try:
            while self._due:
                self._due.popleft()()
        finally:
            self._delivering = False

    def cancel(self) -> None:
        """Ask the work to stop at its next check; it may finish anyway."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()


class _Job(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], operation: Operation) -> None:
        super().__init__()
        self._work = work
        self._operation = operation

    def run(self) -> None:
        try:
            result = self._work(Progress(self._operation))
        except Exception as exc:  # delivered on the GUI thread (see the module docstring)
            self._operation._failed.emit(exc)
        else:
            self._operation._succeeded.emit(result)


_running: set[Operation] = set()  # keeps operations alive until they report


def _start(
    work: Callable[[Progress], T],
    on_success: Callable[[T], object],
    on_error: Callable[[Exception], object],
    on_progress: Callable[[float, str], object] | None = None,
) -> Operation:
    operation = Operation()
    _running.add(operation)
    queued = Qt.ConnectionType.QueuedConnection  # always delivered on the GUI thread

    def succeeded(result: T) -> None:
        try:
            on_success(result)
        finally:
            _finish(operation)

    def failed(exc: Exception) -> None:
        try:
            if isinstance(exc, UserError):
                on_error(exc)
            else:  # a bug: the crash hook reports it (and saves the open work)
                sys.excepthook(type(exc), exc, exc.__traceback__)
        finally:
            _finish(operation)

    def reported(fraction: float, text: str) -> None:
        operation._deliver(lambda: operation.progressed.emit(fraction, text))

    operation._reported.connect(reported, queued)
    if on_progress is not None:
        operation.progressed.connect(on_progress)
    operation._succeeded.connect(lambda result: operation._deliver(lambda: succeeded(result)),
                                 queued)
    operation._failed.connect(lambda exc: operation._deliver(lambda: failed(exc)), queued)
    QThreadPool.globalInstance().start(_Job(work, operation))
    return operation


def _finish(operation: Operation) -> None:
    operation.running = False
    _running.discard(operation)
    operation.finished.emit()


def run_in_background(
    work: Callable[[], T],
    on_success: Callable[[T], object],  # what the callbacks return is not used
    on_error: Callable[[Exception], object],
) -> Operation:
    """Call work() on a pool thread; on_success/on_error run on the GUI thread."""
    return _start(lambda _progress: work(), on_success, on_error)


def run_with_progress(
    work: Callable[[Progress], T],
    on_success: Callable[[T], object],
    on_error: Callable[[Exception], object],
    on_progress: Callable[[float, str], object],
) -> Operation:
    """Like `run_in_background`, and work(progress) may call progress(fraction, text)
    (delivered to on_progress on the GUI thread) and progress.check() to stop on
    `Operation.cancel`."""
    return _start(work, on_success, on_error, on_progress)


def running() -> int:
    """How many operations have not reported back yet."""
    return len(_running)


def wait_for_background(timeout_ms: int = 120_000) -> bool:
    """Before the vault is locked or closed: ask every operation to stop (those that
    can, such as imports, stop at their next step) and wait, blocking the GUI thread,
    until no background work is running, so none is cut off half-way (a disposal's
    VACUUM finishes). Their callbacks run afterwards, from the event loop. False if some
    work was still running after timeout_ms."""
    for operation in list(_running):
        operation.cancel()
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
