"""Pieces the small dialogs are built from: plain labels, an error line, a date box, a
text box, a labelled row, a choice of people, OK/Cancel buttons, and local times.

Every text is plain: nothing a person typed is read as markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from supervision_desktop.domain.people import KIND_LABELS
from supervision_desktop.services import people
from supervision_desktop.store.vault import Vault


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.hide()
    return label


def show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def date_edit(name: str, day: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    edit.setAccessibleName(name)
    edit.setFixedWidth(edit.fontMetrics().horizontalAdvance("00/00/00000") + 48)
    return edit


def text_box(name: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)  # Tab moves on; the box is for a sentence or two
    box.setFixedHeight(box.fontMetrics().lineSpacing() * 4 + 12)
    return box


def add_row(form: QFormLayout, text: str, widget: QWidget) -> None:
    label = QLabel(text)
    label.setBuddy(widget)
    form.addRow(label, widget)


def person_combo(vault: Vault, kinds: Iterable[str], name: str,
                 chosen: str | None = None) -> QComboBox:
    """A choice of the people of ``kinds``, named with their kind; ``chosen`` preselected."""
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setMinimumContentsLength(28)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    for kind in kinds:
        for person in people.list_people(vault, kind):
            combo.addItem(f"{person.name} ({KIND_LABELS[kind].lower()})", person.id)
    if chosen is not None:
        combo.setCurrentIndex(max(combo.findData(chosen), 0))
    return combo


def ok_buttons(ok_text: str) -> tuple[QDialogButtonBox, QPushButton]:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setDefault(True)
    return box, ok



def plain(text: str = "", *, name: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if name:
        label.setObjectName(name)
    return label



def accept_buttons(accept_text: str) -> tuple[QDialogButtonBox, QPushButton]:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    accept = box.button(QDialogButtonBox.StandardButton.Ok)
    accept.setText(accept_text)
    return box, accept


# What a signed file's check says, on every list that shows one.
UNCHANGED = "Unchanged ✓"
NOT_GENUINE = "NOT GENUINE – do not rely on it"


Today = Callable[[], dt.date]  # the clock a dialog reads, injected by tests
