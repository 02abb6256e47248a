"""The top of a form: what it is, where its wording comes from, who and when it is about."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from supervision_desktop.domain.people import KIND_LABELS
from supervision_desktop.domain.templates import Template
from supervision_desktop.ui.common.widgets import heading
from supervision_desktop.ui.forms.base import Combo, mnemonic_safe, name_input, plain_label
from supervision_desktop.ui.forms.choices import Subject
from supervision_desktop.ui.forms.date_field import DateField


def source_line(template: Template) -> str:
    return "From " + template.source.shown(" · ")


def header_words(template: Template, fact: str, default: str) -> str:
    """What the header calls the record's subject or date: the form's own words for it
    (the label of its field that fills it, asked here once instead), else ``default``."""
    field = template.header_field(fact)
    return field.label if field is not None else default


def _required(template: Template, fact: str) -> str:
    """What a screen reader adds for the header's date or subject when the form requires
    it (as describe_field does for a field), else ""."""
    field = template.header_field(fact)
    return "Required before the record is finalised." if field and field.required else ""


def _label_for(template: Template, fact: str, default: str) -> QLabel:
    field = template.header_field(fact)
    words = header_words(template, fact, default)
    label = plain_label(mnemonic_safe(f"{words} *" if field and field.required else words))
    label.setWordWrap(False)  # a short label: its column widens rather than wrapping
    return label


class FormHeader(QWidget):
    """Title, source, reminder notice, the record's subject and its session date."""

    changed = Signal()

    def __init__(
        self, template: Template, subjects: tuple[Subject, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._template = template
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(heading(template.title))
        layout.addWidget(plain_label(source_line(template), muted=True))
        if template.notice:
            notice = plain_label(template.notice)
            notice.setObjectName("notice")
            layout.addWidget(notice)

        grid = QGridLayout()
        grid.setContentsMargins(0, 8, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setColumnStretch(2, 1)
        self.subject: Combo | None = None
        self.subject_text: QLabel | None = None
        self._subject_ids: list[str | None] = [None]
        if template.subject_kind == "none":
            grid.addWidget(plain_label("About"), 0, 0)
            self.subject_text = plain_label("Not about one person", muted=True)
            grid.addWidget(self.subject_text, 0, 1)
        else:
            kind_label = KIND_LABELS.get(template.subject_kind, template.subject_kind)
            subject_label = _label_for(template, "subject", "About")
            grid.addWidget(subject_label, 0, 0)
            self.subject = Combo()
            subject_label.setBuddy(self.subject)
            self.subject.setMinimumWidth(280)
            self.subject.addItem("Not chosen")
            for person in subjects:
                self.subject.addItem(person.name)
                self._subject_ids.append(person.id)
            name_input(self.subject, f"Who this record is about ({kind_label.lower()})",
                       _required(template, "subject"))
            self.subject.currentIndexChanged.connect(self.changed)
            grid.addWidget(self.subject, 0, 1)
            if header_words(template, "subject", "About") != kind_label:
                grid.addWidget(plain_label(kind_label, muted=True), 0, 2)
        date_label = _label_for(template, "session_date", "Session date")
        grid.addWidget(date_label, 1, 0)
        self.session_date = DateField(header_words(template, "session_date", "Session date"))
        if _required(template, "session_date"):
            self.session_date.edit.setAccessibleDescription(
                f"{self.session_date.edit.accessibleDescription()} "
                f"{_required(template, 'session_date')}".strip())
        self.session_date.changed.connect(self.changed)
        date_label.setBuddy(self.session_date.edit)
        grid.addWidget(self.session_date, 1, 1)
        layout.addLayout(grid)
        legend = plain_label("Fields marked * must be filled in before the record is finalised.",
                             muted=True)
        legend.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(legend)

    def subject_id(self) -> str | None:
        if self.subject is None or self.subject.currentIndex() < 0:
            return None
        return self._subject_ids[self.subject.currentIndex()]

    def set_subject(self, subject_id: str | None, name: str = "") -> None:
        if self.subject is None:
            return
        if subject_id not in self._subject_ids:  # someone the list no longer offers
            self.subject.addItem(name or "Someone no longer listed")
            self._subject_ids.append(subject_id)
        self.subject.setCurrentIndex(self._subject_ids.index(subject_id))
        if subject_id and self._subject_ids[0] is None:
            # once chosen, a record cannot go back to being about no one
            self.subject.removeItem(0)
            self._subject_ids.pop(0)

    def set_read_only(self, read_only: bool) -> None:
        if self.subject is not None:
            self.subject.setEnabled(not read_only)
        self.session_date.set_read_only(read_only)

    def inputs(self) -> list[QWidget]:
        widgets: list[QWidget] = [self.session_date.edit]
        if self.subject is not None:
            widgets.insert(0, self.subject)
        return widgets

