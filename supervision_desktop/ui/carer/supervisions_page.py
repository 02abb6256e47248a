"""The carer's "My supervisions" page: records sent to them, their own, their responses.

A received record opens read-only, and "Respond…" starts the carer's response to it
("is it a true reflection of what was said?"). "New record…" is the carer's own record
of a supervision when none was sent. "Evidence pack…" writes one signed PDF of it all.
The signed files themselves (imported and exported) are listed beneath, when the
documents view is available.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.domain.records import Origin, RecordStatus
from supervision_desktop.services import actions, responses
from supervision_desktop.services.responses import CarerRecord
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.carer.countersign_dialog import CountersignDialog, open_countersign
from supervision_desktop.ui.common.background import run_in_background
from supervision_desktop.ui.common.columns import Column, ColumnsModel, Tone, date_key
from supervision_desktop.ui.common.list_page import ListPage
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import heading, inform, muted

ABOUT = ("Supervision records your supervising social worker sent you (imported from the "
         "signed PDF), your own records of supervisions, and your responses. Check that "
         "each record is a true reflection of what was said, and respond if it is not.")
EMPTY = ("No supervision records yet. Import the signed PDF you were sent (drop it on this "
         "window), or write your own record with New record….")


DUE_SOON_DAYS = 7


def actions_reminder(open_due: list[dt.date | None], today: dt.date) -> str:
    """"2 agreed actions are overdue and 1 is due within 7 days." ("" when none are)."""
    overdue = sum(1 for due in open_due if due is not None and due < today)
    soon = sum(1 for due in open_due
               if due is not None and today <= due <= today + dt.timedelta(DUE_SOON_DAYS))
    parts = []
    if overdue:
        parts.append(f"{overdue} agreed action{'s are' if overdue > 1 else ' is'} overdue")
    if soon:
        verb = "are" if soon > 1 else "is"
        parts.append(f"{soon} {verb} due within {DUE_SOON_DAYS} days" if overdue else
                     f"{soon} agreed action{'s' if soon > 1 else ''} {verb} due within "
                     f"{DUE_SOON_DAYS} days")
    return (" and ".join(parts) + ".") if parts else ""


def _status(row: CarerRecord) -> str:
    if row.origin == Origin.RECEIVED:
        return "Signature verified" if row.verdict == "genuine" else "Read-only copy"
    return RecordStatus(row.status).label


def _response_text(row: CarerRecord) -> str:
    if row.is_response:
        return "Answers a record" if row.responds_to else ""
    if row.responses:
        return "Responded" if row.responses == 1 else f"Responded ({row.responses})"
    return "Not yet responded" if row.origin == Origin.RECEIVED else ""


def _response_tone(row: CarerRecord) -> Tone | None:
    if row.is_response or row.origin != Origin.RECEIVED:
        return None
    return Tone.OK if row.responses else Tone.DUE


def _columns() -> tuple[Column[CarerRecord], ...]:
    return (
        Column("Date", lambda r: uk_date(r.session_date), lambda r: date_key(r.session_date)),
        Column("Record", lambda r: r.title, tip=lambda r: r.title),
        Column("From", lambda r: r.from_text),
        Column("Status", _status, tone=lambda r: Tone.OK if r.verdict == "genuine" else None),
        Column("Response", _response_text, tone=_response_tone),
    )


def ask_save_path(parent: QWidget, title: str, suggested: Path,
                  on_chosen: Callable[[Path], None]) -> QFileDialog:
    """Ask where to save a PDF without blocking; on_chosen gets the path."""
    dialog = QFileDialog(parent, title, str(suggested))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter("PDF files (*.pdf)")
    dialog.setDefaultSuffix("pdf")
    dialog.fileSelected.connect(lambda name: on_chosen(Path(name)) if name else None)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def documents_view(vault: Vault) -> QWidget | None:
    """The list of signed files held in the vault, if that view is installed."""
    try:
        from supervision_desktop.ui.carer.documents_page import DocumentsView
    except ImportError:
        return None
    return DocumentsView(vault)


class CarerSupervisionsView(ListPage[CarerRecord]):
    new_record_requested = Signal()
    show_actions_requested = Signal()
    pack_written = Signal(object)  # PackResult

    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(
            ColumnsModel(_columns(), lambda r: r.id), name="My supervisions",
            ident=lambda r: r.id, empty=EMPTY,
            description="Double-click or press Enter to open a record.",
            sort=(0, Qt.SortOrder.DescendingOrder), stretch=1, parent=parent)
        self._vault = vault
        self.open_button = self.acts_on_selection(QPushButton("&Open"))
        self.open_button.clicked.connect(self.open_selected)
        self.respond_button = self.acts_on_selection(
            QPushButton("&Respond…"), lambda r: r.origin == Origin.RECEIVED)
        self.respond_button.setToolTip("Say whether the record is a true reflection of what "
                                       "was said, and sign your response")
        self.respond_button.clicked.connect(self.respond_to_selected)
        self.new_button = QPushButton("&New record…")
        self.new_button.setToolTip("Your own record of a supervision, when none was sent")
        self.new_button.clicked.connect(self.new_record_requested.emit)
        self.pack_button = QPushButton("&Evidence pack…")
        self.pack_button.setToolTip("One signed PDF: every supervision, response and action, "
                                    "in date order, with the original signed PDFs attached")
        self.pack_button.clicked.connect(self.ask_evidence_pack)
        self.message = muted("")
        buttons = QHBoxLayout()
        for button in (self.open_button, self.respond_button, self.new_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.message)
        buttons.addWidget(self.pack_button)

        records_box = QWidget()
        records_layout = QVBoxLayout(records_box)
        records_layout.setContentsMargins(0, 0, 0, 0)
        records_layout.addWidget(self.stack, 1)
        records_layout.addLayout(buttons)
        self.documents = documents_view(vault)
        opened = getattr(self.documents, "open_record_requested", None)
        if opened is not None:
            opened.connect(self.open_record_requested.emit)
        # reminders until each agreed action is resolved (they live on the Actions page)
        self.reminder = QLabel()
        self.reminder.setTextFormat(Qt.TextFormat.PlainText)
        self.reminder.setObjectName("warning")
        self.reminder.setProperty("tone", "error")  # the theme's error colour, in bold
        self.reminder_button = QPushButton("See &actions")
        self.reminder_button.clicked.connect(self.show_actions_requested.emit)
        self.reminder_row = QWidget()
        reminder_layout = QHBoxLayout(self.reminder_row)
        reminder_layout.setContentsMargins(0, 0, 0, 0)
        reminder_layout.addWidget(self.reminder)
        reminder_layout.addWidget(self.reminder_button)
        reminder_layout.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("My supervisions"))
        layout.addWidget(muted(ABOUT))
        layout.addWidget(self.reminder_row)
        if self.documents is not None:
            splitter = QSplitter(Qt.Orientation.Vertical)
            splitter.addWidget(records_box)
            splitter.addWidget(self.documents)
            splitter.setStretchFactor(0, 3)
            splitter.setStretchFactor(1, 2)
            layout.addWidget(splitter, 1)
        else:
            layout.addWidget(records_box, 1)
        self.refresh()

    # --- the list ----------------------------------------------------------------------

    def refresh(self) -> None:
        reminder = actions_reminder([a.due_on for a in actions.list_actions(self._vault)],
                                    dt.date.today())
        self.reminder.setText(reminder)
        self.reminder_row.setVisible(bool(reminder))
        self.show_rows(responses.my_supervisions(self._vault))
        refresh_documents = getattr(self.documents, "refresh", None)
        if callable(refresh_documents):
            refresh_documents()

    # --- responding --------------------------------------------------------------------

    def respond_to_selected(self) -> str | None:
        row = self.selected()
        return respond(self, self._vault, row.id, self.open_record_requested.emit) \
            if row is not None else None

    # --- the evidence pack -------------------------------------------------------------

    def ask_evidence_pack(self) -> QFileDialog:
        return ask_save_path(self, "Save the evidence pack", Path.home() / "evidence-pack.pdf",
                             self.write_evidence_pack)

    def write_evidence_pack(self, path: Path) -> None:
        """Write the signed evidence pack to path, off the GUI thread."""
        from supervision_desktop.services.evidence_pack import export_evidence_pack

        self.pack_button.setEnabled(False)
        self.message.setText("Writing the evidence pack…")
        run_in_background(lambda: export_evidence_pack(self._vault, path),
                          self._pack_done, self._pack_failed)

    def _pack_done(self, result: object) -> None:
        self.pack_button.setEnabled(True)
        summary = getattr(result, "summary", "")
        self.message.setText(f"Evidence pack saved: {summary}")
        self.pack_written.emit(result)

    def _pack_failed(self, error: Exception) -> None:
        self.pack_button.setEnabled(True)
        self.message.setText("")
        inform(self, "Evidence pack not written", describe(error))


def respond(parent: QWidget, vault: Vault, record_id: str,
            open_record: Callable[[str], None]) -> str | None:
    """Start the carer's response to record_id and open it; None (and a message) if not."""
    try:
        response_id = responses.start_response(vault, record_id)
    except Exception as exc:  # a user error is explained; anything else too, never a crash
        inform(parent, "Cannot respond", describe(exc))
        return None
    open_record(response_id)
    return response_id


def countersign(parent: QWidget, vault: Vault, record_id: str,
                document_id: str) -> CountersignDialog | None:
    """Countersign the received PDF (``document_id``) for record_id: the shared dialog,
    signing the newest genuine copy received for that record."""
    return open_countersign(
        parent, vault, document_id,
        sign=lambda path, mark: responses.countersign_received(vault, record_id, path,
                                                               mark=mark))


def add_received_buttons(page: QWidget, vault: Vault, record_id: str,
                         open_record: Callable[[str], None]) -> list[QPushButton]:
    """On a received record's page, "Respond…" and "Countersign…" beside its actions."""
    try:
        origin = responses.record_origin(vault, record_id)
    except Exception:  # the page shows the record; a missing button is no reason to fail
        return []
    if origin.origin != Origin.RECEIVED:
        return []
    respond_button = QPushButton("&Respond…")
    respond_button.setToolTip("Say whether this record is a true reflection of what was "
                              "said, and sign your response")
    respond_button.clicked.connect(lambda: respond(page, vault, record_id, open_record))
    buttons = [respond_button]
    if origin.document_id is not None:
        countersign_button = QPushButton("&Countersign…")
        countersign_button.setToolTip("Add your own signature to the signed PDF you received "
                                      "and save it, to send back")
        document_id = origin.document_id
        countersign_button.clicked.connect(
            lambda: countersign(page, vault, record_id, document_id))
        buttons.append(countersign_button)
    layout = getattr(page, "record_actions", None)
    if isinstance(layout, QHBoxLayout):
        for button in buttons:
            layout.addWidget(button)
    return buttons
