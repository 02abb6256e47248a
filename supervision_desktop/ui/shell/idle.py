"""Lock the vault after a number of minutes without keyboard, mouse, pen or touch input,
or at once on Ctrl+L in any window of the app, a modal dialog's included."""

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


class IdleWatcher(QObject):
    """Install on the QApplication; emits `idle` once after `minutes` with no input, and
    `lock_pressed` on Ctrl+L wherever the focus is.

    The main window's Lock action has Ctrl+L too, but a window shortcut does not reach a
    dialog (and Qt's application shortcuts skip windows a modal dialog blocks), so the
    key is also caught here, where every key press passes first.
    """

    idle = Signal()
    lock_pressed = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: float) -> None:
        self._timer.setInterval(max(1, int(minutes * 60_000)))
        self.restart()

    def restart(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        if (kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and self._timer.isActive()  # i.e. unlocked
                and QKeySequence(event.keyCombination()) == LOCK_KEYS):
            self.lock_pressed.emit()
            return True
        return False
