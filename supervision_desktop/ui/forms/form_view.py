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

from supervision_desktop.domain.templates import Section, Template
from supervision_desktop.ui.forms.base import FieldEditor, plain_label
from supervision_desktop.ui.forms.choices import FormChoices
from supervision_desktop.ui.forms.fields import make_editor
from supervision_desktop.ui.forms.form_header import FormHeader

CONTENT_WIDTH = 940  # a comfortable reading width for long answers and guidance
OUTLINE_WIDTH = 250
HEADER_ENTRY = "Record details"


def field_label(text: str, required: bool) -> QLabel:
    """A field's label in semi-bold, with * when the field must be filled to finalise."""
    label = plain_label(f"{text} *" if required else text)
    font = label.font()
    font.setWeight(font.Weight.DemiBold)
    label.setFont(font)
    return label


def guidance_text(lines: tuple[str, ...]) -> str:
    if len(lines) == 1:
        return lines[0]
    return "\n".join(f"• {line}" for line in lines)


class SectionBlock(QWidget):
    """A section's heading, its guidance and its fields."""

    def __init__(self, section: Section, editors: list[FieldEditor]) -> None:
        super().__init__()
        self.section = section
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 18, 0, 6)
        layout.setSpacing(6)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(rule)
        self.single = section.title_repeats_field
        required = self.single and editors[0].field.required
        title = plain_label(f"{section.title} *" if required else section.title)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setWeight(font.Weight.DemiBold)
        title.setFont(font)
        title.setAccessibleName(f"Section: {section.title}")
        layout.addWidget(title)
        if section.staff_only:
            layout.addWidget(plain_label("Staff only: left out of a carer's copy.", muted=True))
        if section.guidance:
            guidance = plain_label(guidance_text(section.guidance))
            guidance.setObjectName("sectionGuidance")
            guidance.setStyleSheet(
                "QLabel#sectionGuidance { background: #f3f6fa; color: #333;"
                " border-left: 3px solid #8fa3bf; padding: 6px 10px; }"
            )
            layout.addWidget(guidance)
        for editor in editors:
            field = editor.field
            block = QVBoxLayout()
            block.setContentsMargins(0, 10, 0, 0)
            block.setSpacing(3)
            if not self.single:
                block.addWidget(field_label(field.label, field.required))
            if field.guidance:
                block.addWidget(plain_label(guidance_text(field.guidance), muted=True))
            block.addWidget(editor)
            layout.addLayout(block)


class FormView(QWidget):
    changed = Signal()

    def __init__(
        self, template: Template, choices: FormChoices, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.template = template
        self._scrolling_to_section = False

        self.outline = QListWidget()
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

        self.header = FormHeader(template, choices.subjects)
        self.header.changed.connect(self.changed)
        self.editors: dict[str, FieldEditor] = {}
        self.sections: list[SectionBlock] = []

        column = QWidget()
        column.setMaximumWidth(CONTENT_WIDTH)
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(20, 16, 20, 32)
        column_layout.addWidget(self.header)
        for section in template.sections:
            editors = []
            for field in section.fields:
                editor = make_editor(field, choices)
                editor.changed.connect(self.changed)
                self.editors[field.id] = editor
                editors.append(editor)
            block = SectionBlock(section, editors)
            self.sections.append(block)
            column_layout.addWidget(block)
        column_layout.addStretch(1)

        content = QWidget()
        content_layout = QHBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(column, 1)
        content_layout.addStretch(0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)
        self._content = content  # what scroll positions are measured against
        self.scroll_area.verticalScrollBar().valueChanged.connect(self._follow_scroll)

        outline_column = QVBoxLayout()
        outline_column.setContentsMargins(8, 12, 0, 8)
        outline_title = plain_label("Sections", muted=True)
        outline_column.addWidget(outline_title)
        outline_column.addWidget(self.outline, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(outline_column)
        layout.addWidget(self.scroll_area, 1)
        self._chain_tab_order()

    # --- values -----------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """Every answered field, in the shapes validate_values expects."""
        found = {}
        for field_id, editor in self.editors.items():
            value = editor.value()
            if value is not None:
                found[field_id] = value
        return found

    def set_values(self, values: dict[str, Any]) -> None:
        """Show stored values; fields not mentioned are emptied."""
        with self._loading():
            for field_id, editor in self.editors.items():
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
        for editor in self.editors.values():
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

    def _chain_tab_order(self) -> None:
        previous: QWidget = self.outline
        for widget in self.input_widgets():
            QWidget.setTabOrder(previous, widget)
            previous = widget

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

    def _follow_scroll(self, value: int) -> None:
        """Keep the outline on the part of the form being read."""
        if self._scrolling_to_section:
            return
        reading_line = value + self.scroll_area.viewport().height() // 3
        current = 0
        for row, block in enumerate(self.sections, start=1):
            if block.mapTo(self._content, QPoint(0, 0)).y() <= reading_line:
                current = row
        self._mark_outline(current)

    def _mark_outline(self, row: int) -> None:
        if self.outline.currentRow() != row:
            self.outline.blockSignals(True)
            self.outline.setCurrentRow(row)
            self.outline.blockSignals(False)
