"""Signed documents held in the vault: the list, import, save a copy, check again.

``DocumentsView`` lists every signed PDF the vault keeps, exported and imported: what it
is, whom it is about, who signed and when, and whether it is unchanged (a file kept
flagged, on request, reads "NOT GENUINE" in red). Double-click opens the linked record;
"Countersign…" adds the owner's signature (drawn or typed, and the vault's certificate)
to a genuine one, kept as a new signed document (``ui.carer.countersign_dialog``).
``import_files`` imports PDFs (the view's button, a File menu entry, drag and drop) off the
GUI thread with a progress box (Stop ends it between files), then shows one clear message
for each file in a single, non-blocking box.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import local_time, uk_date
from supervision_desktop.errors import UserError
from supervision_desktop.services import documents
from supervision_desktop.services.carer_import import ImportResult, import_signed_pdf
from supervision_desktop.services.documents import DocumentView
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.carer.countersign_dialog import open_countersign
from supervision_desktop.ui.common.background import Operation, Progress, run_with_progress
from supervision_desktop.ui.common.columns import Column, ColumnsModel, Tone, date_key
from supervision_desktop.ui.common.dialog_parts import NOT_GENUINE, UNCHANGED
from supervision_desktop.ui.common.dialogs import documents_folder
from supervision_desktop.ui.common.list_page import ListPage
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import heading, muted

ABOUT = ("Every signed PDF you export is kept here exactly as sent, and so is every signed "
         "PDF you import. A file that has been changed since it was signed is refused.")
EMPTY = "No signed documents yet. Export a finalised record, or import a signed PDF you were sent."
PDF_FILTER = "Signed PDF files (*.pdf)"


# --- questions tests can answer ---------------------------------------------------------


def ask_pdfs(parent: QWidget, on_chosen: Callable[[list[Path]], object]) -> QFileDialog:
    """Choose one or more PDFs to import (non-blocking)."""
    dialog = QFileDialog(parent, "Import signed PDF", str(documents_folder()), PDF_FILTER)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    dialog.filesSelected.connect(lambda names: on_chosen([Path(n) for n in names]))
    dialog.open()
    return dialog


def ask_save_path(parent: QWidget, suggested: Path, on_chosen: Callable[[Path], None]
                  ) -> QFileDialog:
    """Choose where to save a copy (non-blocking)."""
    dialog = QFileDialog(parent, "Save a copy of the signed PDF", str(suggested), PDF_FILTER)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("pdf")
    dialog.fileSelected.connect(lambda name: on_chosen(Path(name)))
    dialog.open()
    return dialog


def _message(parent: QWidget, title: str, text: str, *, warning: bool = False) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("documentsMessage")
    box.setIcon(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.open()
    return box


# --- import -----------------------------------------------------------------------------


def import_message(results: Sequence[ImportResult]) -> tuple[str, str, bool]:
    """The box's title, its text (one paragraph per file) and whether it warns."""
    refused = [r for r in results if not r.ok]
    if not refused:
        title = "Imported"
    elif len(refused) == len(results):
        title = "Not imported"
    else:
        title = "Some files were not imported"
    return title, "\n\n".join(r.message for r in results), bool(refused)


STOPPED = "{name} was not imported: the import was stopped before it."
_importing: list[Operation] = []  # the import running, if any: one at a time


def importing() -> bool:
    """True while an import runs (a second one is refused until it ends)."""
    return any(operation.running for operation in _importing)


def _import_all(vault: Vault, paths: Sequence[Path], keep_flagged: bool,
                progress: Progress) -> list[ImportResult]:
    """Import each file in turn, reporting progress; stop between files on request."""
    results: list[ImportResult] = []
    for number, path in enumerate(paths):
        if progress.cancelled:
            results.extend(ImportResult(p, "refused", STOPPED.format(name=p.name))
                           for p in paths[number:])
            break
        progress(number / len(paths), f"Checking and importing {path.name} "
                                      f"({number + 1} of {len(paths)})…")
        try:
            results.append(import_signed_pdf(vault, path, keep_flagged=keep_flagged))
        except UserError as exc:  # a problem with this file: say so, go on with the next
            results.append(ImportResult(path, "refused",
                                        f"{path.name} was not imported: {describe(exc)}"))
    progress(1.0, "Done.")
    return results


def import_files(parent: QWidget, vault: Vault, paths: Sequence[Path], *,
                 keep_flagged: bool = False,
                 on_done: Callable[[list[ImportResult]], object] = lambda _results: None,
                 ) -> Operation | None:
    """Import each PDF off the GUI thread, with a progress box whose Stop ends the import
    after the file in hand; then show one clear message per file, in one box, and call
    on_done(results) so the page showing can list them.

    Each import is verified and stored before the next; a refused file stores nothing.
    While one import runs another is refused (None is returned, and a box says why).
    """
    files = [Path(path) for path in paths]
    if not files:
        return None
    if importing():
        _message(parent, "Import already running", "Signed PDFs are being imported. Wait "
                 "for that import to finish, then import these.", warning=True)
        return None
    box = QProgressDialog("Starting the import…", "&Stop", 0, 100, parent)
    box.setObjectName("importProgress")
    box.setWindowTitle("Importing signed PDFs")
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAutoClose(False)
    box.setAutoReset(False)
    box.setMinimumDuration(0)

    def progressed(fraction: float, text: str) -> None:
        if shiboken6.isValid(box):
            box.setLabelText(text)  # before setValue, which may run the event loop
            box.setValue(round(fraction * 100))

    def imported(results: list[ImportResult]) -> None:
        if shiboken6.isValid(parent):
            title, text, warning = import_message(results)
            _message(parent, title, text, warning=warning)
        on_done(results)

    def failed(exc: Exception) -> None:  # a UserError outside any one file
        if shiboken6.isValid(parent):
            _message(parent, "Not imported", describe(exc), warning=True)

    def finished() -> None:
        _importing.remove(operation)
        if shiboken6.isValid(box):
            box.close()
            box.deleteLater()

    operation = run_with_progress(
        lambda progress: _import_all(vault, files, keep_flagged, progress),
        imported, failed, progressed)
    _importing.append(operation)
    operation.finished.connect(finished)
    box.canceled.connect(operation.cancel)
    box.show()
    return operation


# --- the list ---------------------------------------------------------------------------


def _check_text(document: DocumentView) -> str:
    if not document.genuine:
        return NOT_GENUINE
    return UNCHANGED if all(s.unchanged for s in document.signatures) else NOT_GENUINE


def _check_tone(document: DocumentView) -> Tone:
    return Tone.OK if _check_text(document) == UNCHANGED else Tone.OVERDUE


def _what(document: DocumentView) -> str:
    how = "Sent" if document.direction == "exported" else "Received"
    return f"{document.kind_label} · {how.lower()}"


def _linked(document: DocumentView) -> str:
    if document.record_id is None:
        return "Not linked"
    return ("Answers record " if document.kind == "response" else "Record ") + \
        document.record_id[:8]


def document_columns() -> tuple[Column[DocumentView], ...]:
    return (
        Column("Title", lambda d: d.title, tip=lambda d: d.file_name),
        Column("About", lambda d: d.person),
        Column("Session date", lambda d: uk_date(d.session_date),
               sort=lambda d: date_key(d.session_date)),
        Column("What", _what),
        Column("Signed by", lambda d: d.signed_by or "(no signature)"),
        Column("Signed on", lambda d: local_time(d.signed_on),
               sort=lambda d: d.signed_on.isoformat() if d.signed_on else ""),
        Column("Check", _check_text, tone=_check_tone,
               tip=lambda d: d.verdict_detail),
        Column("Linked to", _linked),
    )


class DocumentsView(ListPage[DocumentView]):
    """The signed documents held: open, save a copy, check again, import more."""

    documents_changed = Signal()
    imported = Signal(list)  # the ImportResults of an import, once its message shows

    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(
            ColumnsModel(document_columns(), lambda d: d.record_id), name="Signed documents",
            ident=lambda d: d.id, empty=EMPTY,
            description="Double-click or press Enter to open the record a document is "
                        "linked to.",
            sort=(5, Qt.SortOrder.DescendingOrder), parent=parent)
        self._vault = vault
        self.dialog: QWidget | None = None
        self.import_button = QPushButton("&Import signed PDF…")
        self.import_button.clicked.connect(self.choose_and_import)
        self.open_button = self.acts_on_selection(QPushButton("&Open record"),
                                                  lambda d: d.record_id is not None)
        self.open_button.clicked.connect(self.open_selected)
        self.save_button = self.acts_on_selection(QPushButton("&Save a copy…"))
        self.save_button.clicked.connect(self.save_copy)
        self.verify_button = self.acts_on_selection(QPushButton("&Verify"))
        self.verify_button.setToolTip("Check the signatures of the kept file again")
        self.verify_button.clicked.connect(self.verify)
        self.countersign_button = self.acts_on_selection(QPushButton("&Countersign…"),
                                                         lambda d: d.genuine)
        self.countersign_button.setToolTip("Add your signature to this signed PDF and save "
                                           "the countersigned copy")
        self.countersign_button.clicked.connect(self.countersign)
        self.count = muted("")
        buttons = QHBoxLayout()
        for button in (self.import_button, self.open_button, self.save_button,
                       self.verify_button, self.countersign_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count)

        layout = QVBoxLayout(self)
        layout.addWidget(heading("Signed documents"))
        layout.addWidget(muted(ABOUT))
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        found = documents.list_documents(self._vault)
        self.show_rows(found)
        self.count.setText("1 document" if len(found) == 1 else f"{len(found)} documents")

    # --- import --------------------------------------------------------------------------

    def choose_and_import(self) -> None:
        self.dialog = ask_pdfs(self, self.import_paths)

    def import_paths(self, paths: Sequence[Path]) -> Operation | None:
        """Import the files in the background (one message per file), then show them in
        the list; `imported` follows with the results."""
        return import_files(self, self._vault, paths, on_done=self._imported)

    def _imported(self, results: list[ImportResult]) -> None:
        if not shiboken6.isValid(self):
            return
        if any(r.outcome in ("imported", "flagged") for r in results):
            self.reload()
            self.documents_changed.emit()
        self.imported.emit(results)

    # --- save and verify -----------------------------------------------------------------

    def save_copy(self) -> None:
        document = self.selected()
        if document is None:
            return
        suggested = documents_folder() / (document.file_name or f"{document.id[:8]}.pdf")
        self.dialog = ask_save_path(self, suggested,
                                    lambda path: self._save(document.id, path))

    def _save(self, document_id: str, path: Path) -> None:
        try:
            written = documents.save_document(self._vault, document_id, path)
        except Exception as exc:
            self.dialog = _message(self, "Not saved", f"Nothing was saved: {describe(exc)}",
                                   warning=True)
            return
        self.dialog = _message(self, "Saved", f"Saved an exact copy of the signed file:\n"
                                              f"{written}")

    def verify(self) -> None:
        document = self.selected()
        if document is None:
            return
        try:
            check = documents.verify_document(self._vault, document.id)
        except Exception as exc:
            self.dialog = _message(self, "Not checked", describe(exc), warning=True)
            return
        lines = [check.message]
        for signature in check.report.signatures:
            state = "valid" if signature.bottom_line else "NOT VALID"
            lines.append(f"{signature.signer_name or '(no name)'}: {state}, signed "
                         f"{local_time(signature.signing_time)}")
        self.dialog = _message(self, "Unchanged" if check.ok else "NOT VALID",
                               "\n".join(lines), warning=not check.ok)


    # --- countersign --------------------------------------------------------------------

    def countersign(self) -> QWidget | None:
        """The countersign dialog for the selected document; the list shows the copy."""
        document = self.selected()
        if document is None or not document.genuine:
            return None
        dialog = open_countersign(self, self._vault, document.id)
        if dialog is not None:
            dialog.countersigned.connect(self._countersigned)
        self.dialog = dialog
        return dialog

    def _countersigned(self, _path: Path) -> None:
        self.reload()
        self.documents_changed.emit()


