"""Keeping what was typed in an open dialog over a lock, in memory, to show it again after.

When the vault locks, every open dialog that takes input is asked for its `DialogState`
(plain values only: text, numbers, ids — never the vault or a widget), then closed; after
unlock the main window opens the same dialog again the usual way (`DialogState.opener`
names how) and hands it the state back. The states live only in memory, for one lock:
they are dropped if the app quits while locked, as nothing can be saved without the key.

A dialog joins by implementing `KeepsInput`; `widget_values` and `set_widget_values`
read and write the common input widgets, so most dialogs only name their inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

Value = str | int | bool | None


@dataclass(frozen=True)
class DialogState:
    """What one open dialog held when the vault locked.

    `opener` names how the main window opens this dialog again ("add_person",
    "new_record", ...), with `context` (ids) for that opener; `title` is how the lock
    message names it; `values` is its input, by input name, in the order to restore it.
    """

    opener: str
    title: str
    values: Mapping[str, Value] = field(default_factory=dict)
    context: tuple[str | None, ...] = ()


@runtime_checkable
class KeepsInput(Protocol):
    """A dialog whose input is kept over a lock."""

    def capture_state(self) -> DialogState: ...

    def restore_state(self, state: DialogState) -> None: ...


def widget_values(inputs: Mapping[str, QWidget]) -> dict[str, Value]:
    """The value of each named input, as plain data (see `set_widget_values`)."""
    return {name: _value(widget) for name, widget in inputs.items()}


def set_widget_values(inputs: Mapping[str, QWidget], values: Mapping[str, Value]) -> None:
    """Put values back into the named inputs, in the order of `inputs` (a choice that
    changes what else is offered comes first); a name without a value is left alone."""
    for name, widget in inputs.items():
        if name in values:
            _set_value(widget, values[name])


def _value(widget: QWidget) -> Value:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        if widget.isEditable():
            return widget.currentText()
        data = widget.currentData()
        return data if isinstance(data, str) else widget.currentIndex()
    if isinstance(widget, QDateEdit):
        return widget.date().toString("yyyy-MM-dd")
    if isinstance(widget, QSpinBox):
        return widget.value()
    if isinstance(widget, QAbstractButton):
        return widget.isChecked()
    raise TypeError(f"no value kept for a {type(widget).__name__}")


def _set_value(widget: QWidget, value: Value) -> None:
    if isinstance(widget, QLineEdit):
        widget.setText(str(value or ""))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value or ""))
    elif isinstance(widget, QComboBox):
        if widget.isEditable():
            widget.setEditText(str(value or ""))
        elif isinstance(value, str):
            found = widget.findData(value)
            if found >= 0:  # else that choice is gone (e.g. the person was deleted)
                widget.setCurrentIndex(found)
        elif isinstance(value, int) and 0 <= value < widget.count():
            widget.setCurrentIndex(value)
    elif isinstance(widget, QDateEdit):
        date = QDate.fromString(str(value), "yyyy-MM-dd")
        if date.isValid():
            widget.setDate(date)
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value or 0))
    elif isinstance(widget, QAbstractButton):
        widget.setChecked(bool(value))


# --- what the lock screen says --------------------------------------------------------


def _names(titles: Sequence[str]) -> str:
    unique = list(dict.fromkeys(titles))
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " and " + unique[-1]


def lock_message(*, kept: Sequence[str], saved: bool = True, saved_something: bool = False,
                 unsaved_kept: bool = False, damage: str = "") -> str:
    """The lock screen's words about the work that was open, true in every case.

    kept: the titles of the dialogs whose input comes back after unlock; saved: False if
    an open record or note could not be saved (what was typed in it is kept instead);
    saved_something: a record or note was open, so "your work was saved" says something;
    unsaved_kept: what could not be saved is kept, to put back in its form after unlock;
    damage: why a check locked the vault (said first, instead of "Locked.").
    """
    parts = [damage or "Locked."]
    if not saved:
        parts.append("What you typed last could not be saved: it is kept, and will be "
                     "back in the form when you unlock." if unsaved_kept else
                     "What you typed last could not be saved.")
    elif saved_something or not (kept or damage):
        parts.append("Your work was saved.")
    if kept:
        parts.append(f"What you were typing in {_names(kept)} will be back when you unlock.")
    return " ".join(parts)
