"""Help: the user guide, the guidance of the form in front of you (F1) and About."""

from __future__ import annotations

import html

from PySide6.QtCore import qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.templates import Template
from supervision_desktop.services import help as help_service
from supervision_desktop.ui.forms.form_header import source_line


class ReadingDialog(QDialog):
    """Text to read, in a browser that never follows a link out of the app."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(860, 680)
        layout = QVBoxLayout(self)
        self.text = QTextBrowser(self)
        self.text.setOpenLinks(False)  # the README's links point at files, not pages here
        self.text.setAccessibleName(title)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def user_guide(parent: QWidget | None = None) -> ReadingDialog:
    dialog = ReadingDialog("User guide", parent)
    dialog.text.setMarkdown(help_service.user_guide())
    return dialog


def about(parent: QWidget | None = None) -> ReadingDialog:
    dialog = ReadingDialog("About Supervision Desktop", parent)
    dialog.text.setPlainText(help_service.about_text(qVersion()))
    dialog.resize(720, 560)
    return dialog


def _bullets(lines: tuple[str, ...]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>"


def form_guidance_html(template: Template) -> str:
    """The form's guidance, section by section: its notice, each section's prompts and
    each field's, as the policy it comes from words them (all text escaped)."""
    parts = [f"<h2>{html.escape(template.title)}</h2>",
             f"<p>{html.escape(source_line(template))}</p>"]
    if template.notice:
        parts.append(f"<p><b>{html.escape(template.notice)}</b></p>")
    for section in template.sections:
        fields = [f for f in section.fields if f.guidance]
        if not section.guidance and not fields:
            continue
        parts.append(f"<h3>{html.escape(section.title)}</h3>")
        if section.guidance:
            parts.append(_bullets(section.guidance))
        for field in fields:
            parts.append(f"<p><b>{html.escape(field.label)}</b></p>{_bullets(field.guidance)}")
    return "".join(parts)


def form_guidance(template: Template, parent: QWidget | None = None) -> ReadingDialog:
    dialog = ReadingDialog(f"Guidance: {template.title}", parent)
    dialog.text.setHtml(form_guidance_html(template))
    return dialog
