"""The Qt binding survives a long working session.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every Qt call that returns
nothing; after some thousands of keystrokes and saves the interpreter aborts
("none_dealloc") and the session's unsaved second is lost. pyproject.toml excludes it;
this test fails if a leaking binding is installed again.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

pytestmark = pytest.mark.gui


class _Emitter(QObject):
    changed = Signal()


def test_qt_calls_and_signals_do_not_leak_references(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    emitter = _Emitter()
    emitter.changed.connect(label.clear)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2000):
        label.setText("typed")
        label.hide()
        emitter.changed.emit()
    assert abs(sys.getrefcount(None) - none_before) < 100
    assert abs(sys.getrefcount(True) - true_before) < 100
