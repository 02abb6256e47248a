"""Small shared widgets: headings and muted explanatory text, always plain text."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit, QLabel, QMessageBox, QStackedWidget, QWidget

from supervision_desktop.ui.common import theme


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setObjectName("heading")
    label.setWordWrap(True)
    return label


def muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


def list_or_empty(view: QWidget, empty: QLabel) -> QStackedWidget:
    """A stack showing a list's view or, centred in its place, the text saying it is empty."""
    empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
    stack = QStackedWidget()
    stack.addWidget(view)
    stack.addWidget(empty)
    return stack


def today() -> QDate:
    """Today by Python's clock, the one the services ask (Qt's own clock is another, and
    a test that sets the day sets Python's)."""
    day = dt.date.today()
    return QDate(day.year, day.month, day.day)


def picked_date(edit: QDateEdit) -> dt.date:
    """The day a date edit shows (QDate.toPython is typed as returning object)."""
    day = edit.date()
    return dt.date(day.year(), day.month(), day.day())


def inform(parent: QWidget, title: str, text: str) -> QMessageBox:
    """Show a message without blocking the event loop (tests and autosave keep running)."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.open()
    return box


LAYOUT_SHEET = """
QLabel#heading { font-size: 17pt; font-weight: 600; margin-bottom: 6px; }
"""
# The light set's sheet, for scripts that set one sheet; the app itself follows the platform
# (appearance.follow_platform sets the palette, and LAYOUT_SHEET with the set's colours).
STYLE_SHEET = LAYOUT_SHEET + theme.style_sheet(theme.LIGHT)
