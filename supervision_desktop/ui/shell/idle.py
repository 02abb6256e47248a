"""Lock the vault after a number of minutes without keyboard, mouse, pen or touch input,
or at once on Ctrl+L in any window of the app, a modal dialog's included; and say when
the person has paused (`quiet`), so the app can checkpoint the vault's WAL then."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TabletPress,
    QEvent.Type.TabletMove,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
}
LOCK_KEYS = QKeySequence("Ctrl+L")
QUIET_SECONDS = 30.0  # a pause in typing long enough to copy the WAL into vault.db


class IdleWatcher(QObject):
    """Install on the QApplication; emits `idle` once after `minutes` with no input, and
    `lock_pressed` on Ctrl+L wherever the focus is, and `quiet` once after each spell of
    input followed by `quiet_seconds` without any (while unlocked).

    The main window's Lock action has Ctrl+L too, but a window shortcut does not reach a
    dialog (and Qt's application shortcuts skip windows a modal dialog blocks), so the
    key is also caught here, where every key press passes first.
    """

    idle = Signal()
    lock_pressed = Signal()
    quiet = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None, *,
                 quiet_seconds: float = QUIET_SECONDS) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(max(1, int(quiet_seconds * 1000)))
        self._quiet.timeout.connect(self.quiet)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: float) -> None:
        self._timer.setInterval(max(1, int(minutes * 60_000)))
        self.restart()

    def restart(self) -> None:
        self._timer.start()
        self._quiet.start()

    def stop(self) -> None:
        self._timer.stop()
        self._quiet.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind in _ACTIVITY and self._timer.isActive():
            self._timer.start()
            self._quiet.start()
        if (kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and self._timer.isActive()  # i.e. unlocked
                and QKeySequence(event.keyCombination()) == LOCK_KEYS):
            self.lock_pressed.emit()
            return True
        return False
