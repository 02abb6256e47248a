"""The form generated from a template: outline, header, sections with guidance, fields.

The view knows nothing of the vault: it is given a template and the names to offer,
loads values with ``set_values`` and gives them back with ``values()`` (only answered
fields, in the shapes ``validate_values`` accepts). ``changed`` fires on every edit a
person makes, never while values are being loaded. Edits reach ``changed`` through
signal-to-signal connections: no Python-side emit per keystroke.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.templates import Section, Template, TemplateField
from supervision_desktop.ui.forms.base import FieldEditor, mnemonic_safe, plain_label
from supervision_desktop.ui.forms.choices import FormChoices
from supervision_desktop.ui.forms.fields import make_editor
from supervision_desktop.ui.forms.form_header import FormHeader

CONTENT_WIDTH = 940  # a comfortable reading width for long answers and guidance
OUTLINE_WIDTH = 250
HEADER_ENTRY = "Record details"


def field_label(text: str, required: bool, parent: QWidget | None = None) -> QLabel:
    """A field's label in semi-bold, with * when the field must be filled to finalise."""
    label = plain_label(f"{text} *" if required else text, parent=parent)
    font = label.font()
    font.setWeight(font.Weight.DemiBold)
    label.setFont(font)
    return label


def guidance_text(lines: tuple[str, ...]) -> str:
    if len(lines) == 1:
        return lines[0]
    return "\n".join(f"• {line}" for line in lines)


class SectionBlock(QWidget):
    """A section's heading, its guidance and its fields (their editors built here)."""

    def __init__(self, section: Section, choices: FormChoices,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self._choices = choices
        self.editors: list[FieldEditor] = []
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 18, 0, 6)
        layout.setSpacing(6)
        # Every widget is made with its parent: with the application's style sheet,
        # moving a built widget under another restyles everything inside it.
        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(rule)
        self.single = section.title_repeats_field
        required = self.single and bool(section.fields) and section.fields[0].required
        title = plain_label(f"{section.title} *" if required else section.title, parent=self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setWeight(font.Weight.DemiBold)
        title.setFont(font)
        title.setAccessibleName(f"Section: {section.title}")
        layout.addWidget(title)
        self._title = title
        if section.staff_only:
            layout.addWidget(plain_label("Staff only: left out of a carer's copy.", muted=True,
                                         parent=self))
        if section.guidance:
            guidance = plain_label(guidance_text(section.guidance), parent=self)
            guidance.setObjectName("sectionGuidance")  # the theme's sheet colours it
            layout.addWidget(guidance)
        for field in section.fields:
            if not field.asked_in_header:  # the record's date or subject: asked once, above
                self._add_field(field)

    def _add_field(self, field: TemplateField) -> None:
        """The next field of the section: its label, guidance and editor."""
        editor = make_editor(field, self._choices, self)
        made: list[QWidget] = []
        label = self._title if self.single else field_label(field.label, field.required, self)
        inputs = editor.inputs()
        if inputs:  # a screen reader reads the label as the input's
            label.setBuddy(inputs[0])
            label.setText(mnemonic_safe(label.text()))  # with a buddy, '&' marks a shortcut
        if not self.single:
            made.append(label)
        if field.guidance:
            made.append(plain_label(guidance_text(field.guidance), muted=True, parent=self))
        made.append(editor)
        block = QVBoxLayout()
        block.setContentsMargins(0, 10, 0, 0)
        block.setSpacing(3)
        for widget in made:
            block.addWidget(widget)
        self._layout.addLayout(block)
        self.editors.append(editor)


class FormView(QWidget):
    """The form: an outline of its sections beside the sections themselves."""

    changed = Signal()

    def __init__(
        self, template: Template, choices: FormChoices, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.template = template
        self._choices = choices
        self._scrolling_to_section = False

        # Built from the top down, each widget made inside its parent: with the
        # application's style sheet, moving a built subtree under a new parent restyles
        # (and re-measures) every widget in it, which cost more than building the form.
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        outline_column = QVBoxLayout()
        outline_column.setContentsMargins(8, 12, 0, 8)
        layout.addLayout(outline_column)
        outline_title = plain_label("Sections", muted=True, parent=self)
        outline_column.addWidget(outline_title)

        self.outline = QListWidget(self)
        self.outline.setAccessibleName("Sections of this form")
        self.outline.setAccessibleDescription("Choose a section to go to it; Enter moves into it.")
        self.outline.setFixedWidth(OUTLINE_WIDTH)
        self.outline.setWordWrap(True)
        self.outline.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.outline.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.outline.setSpacing(2)
        self.outline.addItem(HEADER_ENTRY)  # the top: title, subject and session date
        for section in template.sections:
            self.outline.addItem(section.title)
        self.outline.currentRowChanged.connect(self.show_section)
        self.outline.itemActivated.connect(
            lambda item: self.focus_section(self.outline.row(item))
        )
        outline_column.addWidget(self.outline, 1)

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        self.scroll_area.setWidget(content)  # still empty: nothing to restyle
        self._content = content  # what scroll positions are measured against
        layout.addWidget(self.scroll_area, 1)

        self._column = QWidget(content)
        self._column.setMaximumWidth(CONTENT_WIDTH)
        content_layout = QHBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self._column, 1)
        content_layout.addStretch(0)

        self._column_layout = QVBoxLayout(self._column)
        self._column_layout.setContentsMargins(20, 16, 20, 32)
        self.header = FormHeader(template, choices.subjects, self._column)
        self.header.changed.connect(self.changed)
        self._column_layout.addWidget(self.header)
        self._column_layout.addStretch(1)
        self.scroll_area.verticalScrollBar().valueChanged.connect(self._follow_scroll)

        self._editors: dict[str, FieldEditor] = {}
        self._sections: list[SectionBlock] = []
        self._last_input: QWidget = self.outline  # where the tab order goes on from
        self._chain(self.header.inputs())
        for section in template.sections:
            self._build_section(section)

    def _build_section(self, section: Section) -> None:
        block = SectionBlock(section, self._choices, self._column)
        self._sections.append(block)
        self._column_layout.insertWidget(self._column_layout.count() - 1, block)
        for editor in block.editors:
            editor.changed.connect(self.changed)
            self._editors[editor.field.id] = editor
            self._chain(editor.inputs())

    @property
    def editors(self) -> dict[str, FieldEditor]:
        """Every field's editor, by field id."""
        return self._editors

    @property
    def sections(self) -> list[SectionBlock]:
        return self._sections

    # --- values -----------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """Every answered field, in the shapes validate_values expects."""
        found = {}
        for field_id, editor in self._editors.items():
            value = editor.value()
            if value is not None:
                found[field_id] = value
        return found

    def set_values(self, values: dict[str, Any]) -> None:
        """Show stored values; fields not mentioned are emptied."""
        with self._loading():
            for field_id, editor in self._editors.items():
                editor.set_value(values.get(field_id))

    def session_date(self) -> str:
        return self.header.session_date.iso()

    def set_session_date(self, iso: str | None) -> None:
        with self._loading():
            self.header.session_date.set_iso(iso)

    def subject_id(self) -> str | None:
        return self.header.subject_id()

    def set_subject(self, subject_id: str | None, name: str = "") -> None:
        with self._loading():
            self.header.set_subject(subject_id, name)

    def set_read_only(self, read_only: bool) -> None:
        self.header.set_read_only(read_only)
        for editor in self._editors.values():
            editor.set_read_only(read_only)

    @contextlib.contextmanager
    def _loading(self) -> Iterator[None]:
        """Loading is not editing: ``changed`` stays quiet meanwhile."""
        was_blocked = self.blockSignals(True)
        try:
            yield
        finally:
            self.blockSignals(was_blocked)

    # --- keyboard and navigation ------------------------------------------------------

    def input_widgets(self) -> list[QWidget]:
        """Every widget that takes input, in form order (the tab order)."""
        widgets = self.header.inputs()
        for editor in self.editors.values():
            widgets.extend(editor.inputs())
        return widgets

    def _chain(self, widgets: list[QWidget]) -> None:
        """Go on with the tab order: the outline, then every input in form order."""
        for widget in widgets:
            QWidget.setTabOrder(self._last_input, widget)
            self._last_input = widget

    def _outline_targets(self) -> list[QWidget]:
        return [self.header, *self.sections]

    def show_section(self, row: int) -> None:
        """Scroll so an outline entry's heading is at the top (or as near as it can be)."""
        targets = self._outline_targets()
        if not 0 <= row < len(targets):
            return
        top = targets[row].mapTo(self._content, QPoint(0, 0)).y() if row else 0
        self._scrolling_to_section = True
        try:
            self.scroll_area.verticalScrollBar().setValue(top)
        finally:
            self._scrolling_to_section = False
        self._mark_outline(row)

    def focus_section(self, row: int) -> None:
        """Go to an outline entry and put the cursor in its first field."""
        self.show_section(row)
        if row == 0:
            first = self.header.inputs()
            if first:
                first[0].setFocus(Qt.FocusReason.OtherFocusReason)
            return
        section = self.template.sections[row - 1]
        if section.fields:
            self.editors[section.fields[0].id].setFocus(Qt.FocusReason.OtherFocusReason)

    def go_to(self, where: str) -> None:
        """Put the cursor in a field (by id) or in the header's date ("session_date") or
        subject ("subject"), scrolled into view: where finalising found something missing."""
        if where in ("session_date", "subject"):
            target: QWidget | None = (self.header.session_date.edit if where == "session_date"
                                      else self.header.subject)
            self.show_section(0)
        else:
            editor = self.editors.get(where)
            inputs = editor.inputs() if editor is not None else []
            target = inputs[0] if inputs else editor
            if editor is not None:
                self.scroll_area.ensureWidgetVisible(editor, 0, 40)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _follow_scroll(self, value: int) -> None:
        """Keep the outline on the part of the form being read."""
        if self._scrolling_to_section:
            return
        reading_line = value + self.scroll_area.viewport().height() // 3
        current = 0
        for row, block in enumerate(self._sections, start=1):
            if block.mapTo(self._content, QPoint(0, 0)).y() <= reading_line:
                current = row
        self._mark_outline(current)

    def _mark_outline(self, row: int) -> None:
        if self.outline.currentRow() != row:
            self.outline.blockSignals(True)
            self.outline.setCurrentRow(row)
            self.outline.blockSignals(False)
