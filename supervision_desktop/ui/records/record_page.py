"""One record open for writing: the generated form, autosaved as a draft as people type.

Every change restarts a short timer; when typing pauses the draft is written to the
vault (``services.records.save_draft``, a few milliseconds, on the GUI thread), so a
crash or a flat battery loses at most the last moment of typing. ``save_now`` flushes a
pending save at once: the main window calls it before locking, quitting or leaving.
Finalised records open read-only; the action bar (``ui.records.record_actions``) finalises,
amends, exports and marks uploads, and the page reloads itself after each.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from supervision_desktop.domain.dates import iso_date
from supervision_desktop.domain.records import Origin, RecordStatus
from supervision_desktop.domain.templates import Template
from supervision_desktop.services import records
from supervision_desktop.services.records import RecordSummary, RecordView
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.announce import announce
from supervision_desktop.ui.common.autosave import AUTOSAVE_DELAY_MS, saved_text
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.forms import FormView, load_choices
from supervision_desktop.ui.records.record_actions import (
    AMEND_HINT,
    RecordActions,
    StatusBadge,
    status_text,
)
from supervision_desktop.ui.records.responses_panel import ResponsesPanel

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DraftState:
    """Everything autosave writes; equal states mean there is nothing to save."""

    fields: dict[str, Any]
    session_date: str
    subject_id: str | None


class RecordPage(QWidget):
    closed = Signal()  # the person went back to the list of records
    saved = Signal()  # a draft was written to the vault
    _saved_state: DraftState  # what the vault holds: set when the form is built
    _edited = False

    def __init__(self, vault: Vault, record_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self.record_id = record_id
        record = records.open_record(vault, record_id)  # logged: someone is reading it
        summary = record.summary
        self.status = summary.status
        self.read_only = summary.status is not RecordStatus.DRAFT

        template = record.template
        received = summary.origin == Origin.RECEIVED
        if received and record.fields == template.carer_values(record.fields):
            template = template.carer_copy()  # a carer copy: its staff-only sections never came

        # Built from the top down, every widget made inside its parent: with the
        # application's style sheet, moving a built form under a new parent restyles and
        # re-measures all of it (see FormView).
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        toolbar = QHBoxLayout()
        toolbar.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(toolbar)

        self.back_button = QPushButton("← Back", self)
        self.back_button.setAccessibleName("Back to the page you came from")
        self.back_button.clicked.connect(self.close_record)
        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        self.save_label = QLabel(self)
        self.save_label.setTextFormat(Qt.TextFormat.PlainText)
        self.save_label.setAccessibleName("Save status")
        self.save_label.setObjectName("muted")
        self.badge = StatusBadge(self)
        self.lifecycle = RecordActions(vault, record_id, self.save_now, self)
        self.lifecycle.changed.connect(self.reload)
        self.lifecycle.go_to.connect(lambda where: self.form.go_to(where))

        self.record_actions = QHBoxLayout()
        self.record_actions.setContentsMargins(0, 0, 0, 0)
        self.record_actions.addWidget(self.lifecycle)

        toolbar.addWidget(self.back_button)
        toolbar.addSpacing(12)
        toolbar.addWidget(self.badge)
        toolbar.addSpacing(6)
        toolbar.addWidget(self.status_label, 1)
        toolbar.addWidget(self.save_label)
        toolbar.addSpacing(12)
        toolbar.addLayout(self.record_actions)
        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(rule)
        self.responses = ResponsesPanel(vault, record_id, self)  # hidden while there are none
        panel_layout = self.responses.layout()
        if panel_layout is not None:
            panel_layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.responses)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        # The form is built once the page has its place (see event()), or as soon as
        # anything asks for it: built here and then moved into the window, all of it
        # would be restyled a second time.
        self._form: FormView | None = None
        self._to_show: tuple[Template, RecordView] | None = (template, record)
        self._show_lifecycle(summary)
        if parent is not None:
            self._build_form()
        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.activated.connect(self.save_now)

    # --- the form ---------------------------------------------------------------------

    @property
    def form(self) -> FormView:
        """The record's form, with its values (built on first use)."""
        if self._form is None:
            self._build_form()
        assert self._form is not None
        return self._form

    def _build_form(self) -> None:
        if self._to_show is None:
            return
        template, record = self._to_show
        self._to_show = None
        summary = record.summary
        # Built whole, at once. Building the rest of a long form in idle slices
        # opened it in ~40 ms instead of ~90, but a slice could run while Qt tore the page
        # down and crash the process (seen in the test suite): not worth 50 ms.
        form = FormView(template, load_choices(self._vault, template.subject_kind), self)
        form.set_values(record.fields)
        form.set_session_date(summary.session_date.isoformat() if summary.session_date else "")
        form.set_subject(summary.subject_id, summary.subject_name)
        form.set_read_only(self.read_only)
        form.changed.connect(self._changed)
        self._form = form
        self._saved_state = self._state()
        self._edited = False  # changed since it was loaded or saved
        page_layout = self.layout()
        assert isinstance(page_layout, QVBoxLayout)
        page_layout.addWidget(form, 1)

    def event(self, event: QEvent) -> bool:
        if getattr(self, "_to_show", None) is not None and (
            event.type() == QEvent.Type.Polish  # about to be shown: at the latest now
            or (event.type() == QEvent.Type.ParentChange and self.parentWidget() is not None)
        ):
            self._build_form()  # in its place now: built there, nothing is restyled twice
        return super().event(event)

    # --- status -----------------------------------------------------------------------

    def _show_lifecycle(self, summary: RecordSummary) -> None:
        """Editable as a draft, read-only otherwise; the badge, line and actions to match."""
        self.status = summary.status
        self.read_only = summary.status is not RecordStatus.DRAFT
        if self._form is not None:  # else it is built read-only or not, as it should be
            self._form.set_read_only(self.read_only)
        self.badge.set_status(summary.status)
        self.lifecycle.show_state(summary)
        self.status_label.setText(status_text(summary, self.lifecycle.upload))
        self.status_label.setToolTip(AMEND_HINT if self.read_only else "")
        self.save_label.setText("" if self.read_only else saved_text(summary.updated_at))

    def reload(self) -> None:
        """Show the record as the vault holds it now (after finalising, amending, exporting)."""
        self._timer.stop()
        record = records.get_record(self._vault, self.record_id)
        summary = record.summary
        self.form.set_values(record.fields)
        self.form.set_session_date(summary.session_date.isoformat() if summary.session_date
                                   else "")
        self.form.set_subject(summary.subject_id, summary.subject_name)
        self._show_lifecycle(summary)
        self._saved_state = self._state()
        self._edited = False

    # --- autosave ---------------------------------------------------------------------

    def _state(self) -> DraftState:
        return DraftState(self.form.values(), self.form.session_date(), self.form.subject_id())

    def has_unsaved_changes(self) -> bool:
        return self._timer.isActive() or self._state() != self._saved_state

    def unsaved_state(self) -> DraftState | None:
        """What is typed but not saved (after a failed save), to keep over a lock."""
        if self.read_only or self._form is None:
            return None
        state = self._state()
        return None if state == self._saved_state else state

    def restore_unsaved(self, state: DraftState) -> None:
        """Put back what could not be saved before a lock; autosave then tries again."""
        if self.read_only:
            return
        self.form.set_values(state.fields)
        self.form.set_session_date(state.session_date)
        if state.subject_id is not None:
            self.form.set_subject(state.subject_id)
        self._changed()

    def _changed(self) -> None:
        if self.read_only:
            return
        self._edited = True
        self._timer.start()  # restarts: the save waits for a pause in typing
        self._show_status("Saving…")

    def save_now(self) -> bool:
        """Write the draft if anything changed; False (and a visible message) if it failed."""
        self._timer.stop()
        if self.read_only:
            return True
        state = self._state()
        if state == self._saved_state:
            if self.save_label.text() == "Saving…":
                self._show_status(saved_text(dt.datetime.now(dt.UTC)))
            return True
        try:
            records.save_draft(
                self._vault,
                self.record_id,
                state.fields,
                subject_id=state.subject_id,
                session_date=iso_date(state.session_date)
                if state.session_date else None,
            )
        except Exception as exc:  # saving must never take the window down; say so instead
            # The type only: database errors can quote the values they failed to write.
            log.error("Autosave of a record failed: %s", type(exc).__name__)
            self._show_status(f"Not saved: {describe(exc)}", error=True)
            return False
        self._saved_state = state
        self._edited = False
        self._show_status(saved_text(dt.datetime.now(dt.UTC)))
        self.saved.emit()
        return True

    def _show_status(self, text: str, *, error: bool = False) -> None:
        was_error = self.save_label.objectName() == "error"
        self.save_label.setObjectName("error" if error else "muted")
        self.save_label.style().unpolish(self.save_label)  # restyle for the new name
        self.save_label.style().polish(self.save_label)
        self.save_label.setText(text)
        # Said aloud when it matters, not at every pause in typing: a failed save at
        # once, and that saving works again after one.
        if error:
            announce(self.save_label, text, urgent=True)
        elif was_error and text.startswith("Saved"):
            announce(self.save_label, f"{text}: the record is saved again.")

    def close_record(self) -> None:
        """Back to the list; the draft is saved first."""
        self.save_now()
        self.closed.emit()
