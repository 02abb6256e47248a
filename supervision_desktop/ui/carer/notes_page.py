"""The carer's notes, in two tabs that never mix.

"For the child's life story" holds words a child may read one day; "Professional notes"
holds the carer's working record. Each tab lists its own kind only, and a note is
saved as people type (the same pause-then-save as record forms). Only the life story
tab can export: a signed PDF of life story notes, never professional ones.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.services import notes, people, spelling
from supervision_desktop.services.notes import LIFE_STORY, PROFESSIONAL, NoteView
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.carer.supervisions_page import ask_save_path
from supervision_desktop.ui.common.autosave import AUTOSAVE_DELAY_MS, saved_text
from supervision_desktop.ui.common.background import run_in_background
from supervision_desktop.ui.common.dialogs import ask_confirm
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import heading, inform, muted, picked_date, today
from supervision_desktop.ui.forms.spell_check import check_spelling

log = logging.getLogger(__name__)

ABOUT = {
    LIFE_STORY: ("Words the child may read one day, to help build their life story: what "
                 "they did, what they enjoyed, who they met. Kept apart from your "
                 "professional notes, and exported on their own."),
    PROFESSIONAL: ("Your notes for professional purposes. They stay in your vault: they are "
                   "never put in the life story PDF. Distinguish between fact and opinion."),
}
NO_NOTES = {
    LIFE_STORY: "No life story notes yet. New note starts one.",
    PROFESSIONAL: "No professional notes yet. New note starts one.",
}
NOTE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def note_line(note: NoteView) -> str:
    title = note.title.strip() or "(no title)"
    child = f" · {note.child_name}" if note.child_name else ""
    return f"{uk_date(note.written_on)} — {title}{child}"


class NotesPane(QWidget):
    """One kind of note: the list on the left, the note being written on the right."""

    saved = Signal()
    exported = Signal(object)  # the path written

    def __init__(self, vault: Vault, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self.kind = kind
        self.current_id: str | None = None
        self._loading = False
        self._dirty = False  # typed since the last save

        self.list = QListWidget()
        self.list.setAccessibleName(notes.KIND_LABELS[kind])
        self.list.currentItemChanged.connect(self._current_changed)
        self.empty = muted(NO_NOTES[kind])
        self.new_button = QPushButton("&New note")
        self.new_button.clicked.connect(lambda: self.new_note())
        self.delete_button = QPushButton("&Delete…")
        self.delete_button.clicked.connect(self.ask_delete)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.new_button)
        list_buttons.addWidget(self.delete_button)
        list_buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.empty)
        left_layout.addLayout(list_buttons)

        self.date = QDateEdit(today())
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setCalendarPopup(True)
        self.date.setAccessibleName("Date of the note")
        self.child = QComboBox()
        self.child.setAccessibleName("Child the note is about")
        self.title = QLineEdit()
        self.title.setAccessibleName("Title")
        self.body = QPlainTextEdit()
        self.body.setAccessibleName("Note")
        self.body.setPlaceholderText(
            "What happened, in words the child can read one day…" if kind == LIFE_STORY
            else "What happened, what was said and done; fact and opinion kept apart…")
        speller = spelling.speller(vault)
        self.spelling = check_spelling(
            self.body, speller, lambda word: spelling.add_to_dictionary(vault, word, speller))
        self.save_label = QLabel()
        self.save_label.setObjectName("muted")
        self.save_label.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout()
        form.addRow("&Date", self.date)
        form.addRow("&About", self.child)
        form.addRow("&Title", self.title)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(form)
        right_layout.addWidget(self.body, 1)
        right_layout.addWidget(self.save_label)
        self.editor = right

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(muted(ABOUT[kind]))
        layout.addWidget(splitter, 1)
        self.export_button: QPushButton | None = None
        self.export_message = muted("")
        if kind == LIFE_STORY:
            self.export_button = QPushButton("&Export life story PDF…")
            self.export_button.setToolTip("A signed PDF of these life story notes only (of "
                                          "the child chosen under About, or every child)")
            self.export_button.clicked.connect(self.ask_export)
            bottom = QHBoxLayout()
            bottom.addWidget(self.export_message, 1)
            bottom.addWidget(self.export_button)
            layout.addLayout(bottom)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        self.date.dateChanged.connect(self._changed)
        self.child.currentIndexChanged.connect(self._changed)
        self.title.textChanged.connect(self._changed)
        self.body.textChanged.connect(self._changed)
        self.refresh()

    # --- the list ----------------------------------------------------------------------

    def _fill_children(self) -> None:
        keep = self.child.currentData()
        self.child.blockSignals(True)
        self.child.clear()
        self.child.addItem("Not about one child", None)
        for person in people.list_people(self._vault, "child"):
            self.child.addItem(person.name, person.id)
        self.child.setCurrentIndex(max(self.child.findData(keep), 0) if keep else 0)
        self.child.blockSignals(False)

    def refresh(self, select: str | None = None) -> None:
        self.save_now()
        select = select or self.current_id
        self._fill_children()
        found = notes.list_notes(self._vault, self.kind)
        self.list.blockSignals(True)
        self.list.clear()
        chosen = None
        for note in reversed(found):  # newest at the top
            item = QListWidgetItem(note_line(note))
            item.setData(NOTE_ID_ROLE, note.id)
            self.list.addItem(item)
            if note.id == select:
                chosen = item
        self.list.blockSignals(False)
        self.empty.setVisible(not found)
        self.delete_button.setEnabled(bool(found))
        if chosen is None and self.list.count():
            chosen = self.list.item(0)
        if chosen is not None:  # else the list is empty: nothing to make current
            self.list.setCurrentItem(chosen)
        self._show(chosen.data(NOTE_ID_ROLE) if chosen is not None else None)

    def note_ids(self) -> list[str]:
        return [self.list.item(n).data(NOTE_ID_ROLE) for n in range(self.list.count())]

    def _current_changed(self, current: QListWidgetItem | None,
                         _previous: QListWidgetItem | None) -> None:
        self.save_now()
        self._show(current.data(NOTE_ID_ROLE) if current is not None else None)

    def _show(self, note_id: str | None) -> None:
        self._loading = True
        self._dirty = False
        self.current_id = note_id
        self.editor.setEnabled(note_id is not None)
        if note_id is None:
            self.title.clear()
            self.body.clear()
            self.save_label.setText("")
        else:
            note = notes.get_note(self._vault, note_id)
            self.date.setDate(QDate(note.written_on.year, note.written_on.month,
                                    note.written_on.day))
            self.child.setCurrentIndex(max(self.child.findData(note.child_id), 0))
            self.title.setText(note.title)
            self.body.setPlainText(note.body)
            self.save_label.setText(saved_text(note.updated_at))
        self._loading = False

    # --- writing -----------------------------------------------------------------------

    def new_note(self, child_id: str | None = None) -> str:
        """Start a note dated today (about child_id if given) and put the cursor in it."""
        self.save_now()
        note = notes.add_note(self._vault, self.kind,
                              child_id=child_id or self.child.currentData())
        self.refresh(select=note.id)
        self.title.setFocus()
        return note.id

    def _changed(self) -> None:
        if self._loading or self.current_id is None:
            return
        self._dirty = True
        self._timer.start()  # restarts: the save waits for a pause in typing
        self.save_label.setText("Saving…")

    def has_unsaved_changes(self) -> bool:
        return self._dirty

    def save_now(self) -> bool:
        """Write the note being edited, if it changed; False (and a message) on failure."""
        self._timer.stop()
        note_id = self.current_id
        if not self._dirty or note_id is None:
            return True
        try:
            note = notes.edit_note(self._vault, note_id, title=self.title.text(),
                                   body=self.body.toPlainText(),
                                   written_on=picked_date(self.date),
                                   child_id=self.child.currentData())
        except Exception as exc:  # saving must never take the window down
            log.error("Autosave of a note failed: %s", type(exc).__name__)
            self.save_label.setText(f"Not saved: {describe(exc)}")
            return False
        self._dirty = False
        self.save_label.setText(saved_text(dt.datetime.now(dt.UTC)))
        item = self.list.currentItem()
        if item is not None and item.data(NOTE_ID_ROLE) == note_id:
            item.setText(note_line(note))
        self.saved.emit()
        return True

    def ask_delete(self) -> None:
        if self.current_id is None:
            return
        note_id = self.current_id
        ask_confirm(self, "Delete note", "Delete this note? It cannot be brought back.",
                    "Delete", lambda: self.delete(note_id))

    def delete(self, note_id: str) -> None:
        self._timer.stop()
        self._dirty = False
        notes.delete_note(self._vault, note_id)
        self.current_id = None
        self.refresh()

    # --- exporting ---------------------------------------------------------------------

    def ask_export(self) -> None:
        ask_save_path(self, "Save the life story notes", Path.home() / "life-story-notes.pdf",
                      self.export_to)

    def export_to(self, path: Path) -> None:
        """The signed life story PDF (of the child chosen under About, or all), off the
        GUI thread."""
        self.save_now()
        child_id = self.child.currentData() if self.current_id else None
        if self.export_button is not None:
            self.export_button.setEnabled(False)
        self.export_message.setText("Writing the PDF…")
        run_in_background(
            lambda: notes.export_life_story(self._vault, path, child_id=child_id),
            self._exported, self._export_failed)

    def _exported(self, path: object) -> None:
        if self.export_button is not None:
            self.export_button.setEnabled(True)
        self.export_message.setText(f"Saved and signed: {path}")
        self.exported.emit(path)

    def _export_failed(self, error: Exception) -> None:
        if self.export_button is not None:
            self.export_button.setEnabled(True)
        self.export_message.setText("")
        inform(self, "Life story notes not exported", describe(error))


class NotesView(QWidget):
    """The Notes page: two tabs, one per kind of note."""

    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.life_story = NotesPane(vault, LIFE_STORY)
        self.professional = NotesPane(vault, PROFESSIONAL)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Kinds of note")
        self.tabs.addTab(self.life_story, notes.KIND_LABELS[LIFE_STORY])
        self.tabs.addTab(self.professional, notes.KIND_LABELS[PROFESSIONAL])
        self.tabs.currentChanged.connect(lambda _index: self.save_now())
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Notes"))
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        self.life_story.refresh()
        self.professional.refresh()

    def save_now(self) -> bool:
        """Save both tabs' notes; False if either could not be saved."""
        saved = [self.life_story.save_now(), self.professional.save_now()]
        return all(saved)
