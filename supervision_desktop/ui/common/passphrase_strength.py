"""A strength meter under every field where a new passphrase is typed.

A bar of four steps with the verdict in words on it ("Weak", "Strong"…) and the reason
and suggestion below, so the state never depends on colour alone; both carry accessible
names and the description a screen reader announces. The estimate (domain.passphrase)
runs a moment after typing pauses, so a long paste never stalls the keyboard.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit, QProgressBar, QVBoxLayout, QWidget

from supervision_desktop.domain.passphrase import MINIMUM_LENGTH, Strength, assess
from supervision_desktop.ui.common.widgets import muted

DELAY_MS = 150
EMPTY_HINT = (f"Use at least {MINIMUM_LENGTH} characters; four or more unrelated words "
              "work well.")


class StrengthMeter(QWidget):
    """Follows ``field``; ``user_inputs`` gives what an attacker knows (the owner's name)."""

    def __init__(self, field: QLineEdit, user_inputs: Callable[[], Sequence[str]] = tuple,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field = field
        self._user_inputs = user_inputs
        self.bar = QProgressBar()
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(True)
        self.bar.setAccessibleName("Passphrase strength")
        self.bar.setObjectName("strengthBar")  # the theme's sheet colours it by score
        self.hint = muted(EMPTY_HINT)
        self.hint.setAccessibleName("Passphrase advice")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.hint)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        field.textChanged.connect(lambda _text: self._timer.start())
        self.refresh()

    def strength(self) -> Strength:
        """The verdict on what is typed now (what the OK button should go by)."""
        return assess(self._field.text(), list(self._user_inputs()))

    def refresh(self) -> None:
        self._timer.stop()
        if not self._field.text():
            self._show(0, "Not typed yet", EMPTY_HINT)
            return
        strength = self.strength()
        verdict = f"{strength.label}: {'accepted' if strength.acceptable else 'not accepted'}"
        self._show(strength.score, verdict, strength.hint)

    def _show(self, score: int, verdict: str, hint: str) -> None:
        self.bar.setValue(score)
        self.bar.setFormat(verdict)
        self.bar.setAccessibleDescription(f"{verdict}. {hint}")
        self.bar.setProperty("score", str(score))  # with words on the bar, never alone
        self.bar.style().unpolish(self.bar)
        self.bar.style().polish(self.bar)
        self.hint.setText(hint)
        self.hint.setAccessibleDescription(hint)
