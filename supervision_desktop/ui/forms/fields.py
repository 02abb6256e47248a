"""The field-kind → widget factory, and the editors for single-value kinds.

Tables and signature blocks have modules of their own; everything else is here. Each
editor reports ``changed`` on any edit and gives back None when it holds no answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QFontMetrics, QRegularExpressionValidator, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.templates import FieldKind, TemplateField
from supervision_desktop.ui.forms.base import (
    YES_NO_ENTRIES,
    Combo,
    FieldEditor,
    SpinBox,
    ValueCombo,
    describe_field,
    mnemonic_safe,
    name_input,
    plain_label,
    text_line,
)
from supervision_desktop.ui.forms.choices import FormChoices
from supervision_desktop.ui.forms.date_field import DateField
from supervision_desktop.ui.forms.signature_pad import SignatureEditor
from supervision_desktop.ui.forms.spell_check import check_spelling
from supervision_desktop.ui.forms.table_field import TableEditor
from supervision_desktop.ui.forms.values import describe_minutes, parse_time_text

TEXT_WIDTH = 560  # one-line answers: wide enough for a name or a venue, not the page


def _single(widget: QWidget) -> QHBoxLayout:
    layout = QHBoxLayout()
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget)
    layout.addStretch(1)
    return layout


class TextEditor(FieldEditor):
    def __init__(self, field: TemplateField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = text_line()
        self.edit.setMaximumWidth(TEXT_WIDTH)
        name_input(self.edit, field.label, describe_field(field))
        self.edit.textChanged.connect(self.changed)
        self._hold(self.edit)

    def value(self) -> Any:
        return self.edit.text() or None

    def set_value(self, value: Any) -> None:
        self.edit.setText(value if isinstance(value, str) else "")
        self.edit.setCursorPosition(0)

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def inputs(self) -> list[QWidget]:
        return [self.edit]


class GrowingTextEdit(QPlainTextEdit):
    """Paragraphs: grows with its text from a few lines to a screenful, then scrolls."""

    MIN_LINES = 4
    MAX_LINES = 20

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)  # Tab moves on through the form, as people expect
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        # The line count changes with the text and with the width, once the document is
        # laid out again: fit then (on textChanged or resize it could be the old count).
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def _fit(self, *_changed: object) -> None:
        lines = int(self.document().documentLayout().documentSize().height())
        lines = max(self.MIN_LINES, min(self.MAX_LINES, lines))
        margins = self.contentsMargins()
        document_margin = int(self.document().documentMargin()) * 2
        height = QFontMetrics(self.font()).lineSpacing() * lines
        self.setFixedHeight(height + margins.top() + margins.bottom() + document_margin + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()


class LongTextEditor(FieldEditor):
    def __init__(self, field: TemplateField, choices: FormChoices | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = GrowingTextEdit()
        name_input(self.edit, field.label, describe_field(field))
        self.edit.textChanged.connect(self.changed)
        self.spelling = (check_spelling(self.edit, choices.speller, choices.add_word)
                         if choices is not None and choices.speller is not None else None)
        self._hold(self.edit)

    def value(self) -> Any:
        # toRawText keeps non-breaking spaces (toPlainText turns them into spaces).
        text = self.edit.document().toRawText().replace("\u2029", "\n")
        return text or None

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText(value if isinstance(value, str) else "")

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def inputs(self) -> list[QWidget]:
        return [self.edit]


class DateEditor(FieldEditor):
    def __init__(self, field: TemplateField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.date = DateField(field.label)
        if field.guidance or field.required:  # after how to write it: the guidance, required
            self.date.edit.setAccessibleDescription(
                f"{self.date.edit.accessibleDescription()} {describe_field(field)}")
        self.date.changed.connect(self.changed)
        self._hold(self.date)

    def value(self) -> Any:
        return self.date.iso() or None

    def set_value(self, value: Any) -> None:
        self.date.set_iso(value if isinstance(value, str) else "")

    def set_read_only(self, read_only: bool) -> None:
        self.date.set_read_only(read_only)

    def inputs(self) -> list[QWidget]:
        return [self.date.edit]


class TimeEditor(FieldEditor):
    """24-hour HH:MM; 1430 and 9:05 are tidied to 14:30 and 09:05 on leaving the field."""

    def __init__(self, field: TemplateField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = text_line()
        self.edit.setPlaceholderText("HH:MM")
        self.edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9:. ]{0,5}"), self.edit)
        )
        self.edit.setFixedWidth(self.edit.fontMetrics().horizontalAdvance("00:000") + 24)
        name_input(self.edit, field.label, describe_field(field) or "24-hour time, like 14:30")
        self.edit.textChanged.connect(self.changed)
        self.edit.editingFinished.connect(self._tidy)
        self.hint = plain_label("Write the time as 14:30")
        self.hint.setObjectName("error")
        self.hint.hide()
        layout = _single(self.edit)
        layout.insertWidget(1, self.hint)
        self.setLayout(layout)
        self.setFocusProxy(self.edit)

    def _tidy(self) -> None:
        parsed = parse_time_text(self.edit.text())
        self.hint.setVisible(parsed is None)
        if parsed and parsed != self.edit.text():
            self.edit.setText(parsed)

    def value(self) -> Any:
        return parse_time_text(self.edit.text()) or None

    def set_value(self, value: Any) -> None:
        self.edit.setText(value if isinstance(value, str) else "")
        self.hint.hide()

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def inputs(self) -> list[QWidget]:
        return [self.edit]


class DurationEditor(FieldEditor):
    """Whole minutes; the lowest value means "not recorded" so 0 is never saved by accident."""

    def __init__(self, field: TemplateField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.spin = SpinBox()
        self.spin.setRange(0, 24 * 60)
        self.spin.setSingleStep(5)
        self.spin.setSuffix(" min")
        self.spin.setSpecialValueText("Not recorded")
        self.spin.setMinimumWidth(self.spin.fontMetrics().horizontalAdvance("Not recorded") + 48)
        name_input(self.spin, field.label, describe_field(field) or "In minutes")
        self.spin.valueChanged.connect(self.changed)
        self.spin.valueChanged.connect(self._describe)
        self.reading = plain_label("", muted=True)
        layout = _single(self.spin)
        layout.insertWidget(1, self.reading)
        self.setLayout(layout)
        self.setFocusProxy(self.spin)

    def _describe(self, minutes: int) -> None:
        self.reading.setText(describe_minutes(minutes) if minutes >= 60 else "")

    def value(self) -> Any:
        return self.spin.value() or None

    def set_value(self, value: Any) -> None:
        valid = isinstance(value, int) and not isinstance(value, bool)
        self.spin.setValue(value if valid else 0)

    def set_read_only(self, read_only: bool) -> None:
        self.spin.setReadOnly(read_only)

    def inputs(self) -> list[QWidget]:
        return [self.spin]


class ComboEditor(FieldEditor):
    """One of a list, with an empty first entry: yes/no and single choices."""

    def __init__(
        self,
        field: TemplateField,
        entries: list[tuple[str, Any]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(field, parent)
        self.combo = ValueCombo(entries)
        name_input(self.combo, field.label, describe_field(field))
        self.combo.currentIndexChanged.connect(self.changed)
        self.setLayout(_single(self.combo))
        self.setFocusProxy(self.combo)

    def value(self) -> Any:
        return self.combo.value()

    def set_value(self, value: Any) -> None:
        self.combo.set_value(value)

    def set_read_only(self, read_only: bool) -> None:
        self.combo.setEnabled(not read_only)

    def inputs(self) -> list[QWidget]:
        return [self.combo]


def yes_no_editor(field: TemplateField, parent: QWidget | None = None) -> ComboEditor:
    """Three states, so "not answered" is never mistaken for "No"."""
    return ComboEditor(field, YES_NO_ENTRIES, parent)


def choice_editor(field: TemplateField, parent: QWidget | None = None) -> ComboEditor:
    return ComboEditor(field, [("", None), *((option, option) for option in field.options)],
                       parent)


class MultiChoiceEditor(FieldEditor):
    def __init__(self, field: TemplateField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.boxes: list[QCheckBox] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for option in field.options:
            box = QCheckBox(mnemonic_safe(option))
            name_input(box, f"{field.label}: {option}", describe_field(field))
            box.toggled.connect(self.changed)
            layout.addWidget(box)
            self.boxes.append(box)
        self.setFocusProxy(self.boxes[0])

    def value(self) -> Any:
        pairs = zip(self.field.options, self.boxes, strict=True)
        chosen = [option for option, box in pairs if box.isChecked()]
        return chosen or None

    def set_value(self, value: Any) -> None:
        chosen = set(value) if isinstance(value, list) else set()
        for option, box in zip(self.field.options, self.boxes, strict=True):
            box.setChecked(option in chosen)

    def set_read_only(self, read_only: bool) -> None:
        for box in self.boxes:
            box.setEnabled(not read_only)

    def inputs(self) -> list[QWidget]:
        return list(self.boxes)


def person_combo(names: tuple[str, ...], name: str, description: str = "") -> Combo:
    """An editable combo: the vault's people are offered, any name can be typed."""
    combo = Combo()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(list(names))
    combo.setCurrentIndex(-1)
    line = combo.lineEdit()
    completer = combo.completer()
    assert line is not None and completer is not None  # an editable combo has both
    line.setMaxLength(2**31 - 1)
    line.setPlaceholderText("Type or choose a name")
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    combo.setMinimumWidth(280)
    name_input(combo, name, description)
    name_input(line, name, description)
    return combo


class PersonEditor(FieldEditor):
    def __init__(
        self, field: TemplateField, names: tuple[str, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(field, parent)
        self.combo = person_combo(names, field.label, describe_field(field))
        self.combo.currentTextChanged.connect(self.changed)
        self.setLayout(_single(self.combo))
        self.setFocusProxy(self.combo)

    def value(self) -> Any:
        return self.combo.currentText() or None

    def set_value(self, value: Any) -> None:
        text = value if isinstance(value, str) else ""
        index = self.combo.findText(text, Qt.MatchFlag.MatchExactly) if text else -1
        self.combo.setCurrentIndex(index)
        self.combo.setEditText(text)

    def set_read_only(self, read_only: bool) -> None:
        self.combo.setEnabled(not read_only)

    def inputs(self) -> list[QWidget]:
        return [self.combo]


Factory = Callable[[TemplateField, FormChoices, QWidget | None], FieldEditor]

FACTORIES: dict[FieldKind, Factory] = {
    FieldKind.TEXT: lambda field, _choices, parent: TextEditor(field, parent),
    FieldKind.LONGTEXT: lambda field, choices, parent: LongTextEditor(field, choices, parent),
    FieldKind.DATE: lambda field, _choices, parent: DateEditor(field, parent),
    FieldKind.TIME: lambda field, _choices, parent: TimeEditor(field, parent),
    FieldKind.DURATION: lambda field, _choices, parent: DurationEditor(field, parent),
    FieldKind.YESNO: lambda field, _choices, parent: yes_no_editor(field, parent),
    FieldKind.CHOICE: lambda field, _choices, parent: choice_editor(field, parent),
    FieldKind.MULTICHOICE: lambda field, _choices, parent: MultiChoiceEditor(field, parent),
    FieldKind.PERSON: lambda field, choices, parent: PersonEditor(
        field, choices.names_for(field.person_kind), parent
    ),
    FieldKind.TABLE: lambda field, choices, parent: TableEditor(field, choices, parent),
    FieldKind.SIGNATURE: lambda field, _choices, parent: SignatureEditor(field, parent),
}


def make_editor(
    field: TemplateField, choices: FormChoices, parent: QWidget | None = None
) -> FieldEditor:
    """The editor for a template field, chosen by its kind.

    Give the parent it will live in: with the application's style sheet, moving a built
    widget under a new parent restyles every widget inside it again.
    """
    return FACTORIES[field.kind](field, choices, parent)
