"""Saying a change out loud: screen readers (NVDA, JAWS, Orca) are told of a status
message that appears without the focus moving — an autosave that failed, the vault
locked — through Qt's accessibility announcement (WCAG 2.2, 4.1.3 Status messages)."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget


def announce(widget: QWidget, text: str, *, urgent: bool = False) -> None:
    """Have screen readers say ``text`` (``urgent``: at once, interrupting)."""
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if urgent
                        else QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)
