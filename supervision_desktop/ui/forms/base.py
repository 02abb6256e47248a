"""What every field editor shares: the value contract, accessible names, safe inputs.

A field editor is one widget per template field. The form view asks it for its value
(None when unanswered), loads values into it, and listens to ``changed`` for autosave.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from supervision_desktop.domain.templates import TemplateField

LONGEST_TEXT = 2**31 - 1  # QLineEdit cuts text at 32767 characters unless told otherwise


class FieldEditor(QWidget):
    """The widget for one template field."""

    changed = Signal()

    def __init__(self, field: TemplateField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field

    def value(self) -> Any:
        """The field's value in the shape validate_values expects, or None when empty."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show a stored value; None empties the field."""
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        raise NotImplementedError

    def inputs(self) -> list[QWidget]:
        """The widgets that take keyboard focus, in tab order."""
        raise NotImplementedError

    def _hold(self, widget: QWidget) -> None:
        """Fill this editor with one input widget, which also takes its focus."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(widget)
        self.setFocusProxy(widget)


def describe_field(field: TemplateField) -> str:
    """Accessible description: the field's guidance, and whether it is required."""
    parts = list(field.guidance)
    if field.required:
        parts.append("Required before the record is finalised.")
    return " ".join(parts)


def name_input(widget: QWidget, name: str, description: str = "") -> None:
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)


def mnemonic_safe(text: str) -> str:
    """Text for buttons and check boxes, where a lone '&' would become a shortcut."""
    return text.replace("&", "&&")


def plain_label(text: str, *, muted: bool = False, parent: QWidget | None = None) -> QLabel:
    """A label that never interprets template or user text as HTML.

    Pass the parent it will live in when there is one: moving a built widget under a
    parent restyles it again (the application has a style sheet).
    """
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if muted:
        label.setObjectName("muted")
    label.setText(text)
    return label


def text_line() -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(LONGEST_TEXT)
    return edit


class Combo(QComboBox):
    """A combo box that leaves the mouse wheel to the form's scrolling unless focused."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt API)
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class ValueCombo(Combo):
    """A combo whose entries stand for Python values (None, True, an option).

    The values are kept here, not as Qt item data: an empty entry then never travels
    through Qt as a null variant.
    """

    def __init__(self, entries: list[tuple[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values = [value for _text, value in entries]
        self.addItems([text for text, _value in entries])

    def value(self) -> Any:
        index = self.currentIndex()
        return self._values[index] if index >= 0 else None

    def set_value(self, value: Any) -> None:
        """Choose the entry for value; an unknown value chooses the first (empty) entry."""
        for index, candidate in enumerate(self._values):
            if candidate is not None and type(candidate) is type(value) and candidate == value:
                self.setCurrentIndex(index)
                return
        self.setCurrentIndex(0)


YES_NO_ENTRIES: list[tuple[str, Any]] = [("Not answered", None), ("Yes", True), ("No", False)]


class SpinBox(QSpinBox):
    """A spin box that scrolling past it cannot change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 (Qt API)
        super().setAccessibleName(name)
        self.lineEdit().setAccessibleName(name)  # the part a screen reader lands on

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt API)
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()
