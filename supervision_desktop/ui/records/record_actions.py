"""The record page's actions: finalise, amend, sign and export, mark uploaded, history.

Which actions are offered follows the record's status: a draft can be finalised; a
finalised record can be amended or signed and exported; an exported one can be marked
uploaded. Each action asks first (a non-blocking dialog), calls its service, and emits
``changed`` when the record's status moved on, so the page shows it read-only or
editable again. Signing and saving run off the GUI thread (see ``ExportDialog``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.domain.records import Origin, RecordStatus
from supervision_desktop.errors import UserError
from supervision_desktop.services import actions, audit, certificates, lifecycle, records
from supervision_desktop.services.certificates import CertificateInfo
from supervision_desktop.services.export import export_record
from supervision_desktop.services.records import RecordSummary
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.actions.carried_actions_dialog import ResolveCarriedActionsDialog
from supervision_desktop.ui.common import dialogs
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import inform
from supervision_desktop.ui.forms.base import mnemonic_safe
from supervision_desktop.ui.records.amend_dialog import AmendDialog
from supervision_desktop.ui.records.export_dialog import ExportDialog, Exported
from supervision_desktop.ui.records.history_dialog import HistoryDialog
from supervision_desktop.ui.records.upload_dialog import UploadDialog, UploadNote

log = logging.getLogger(__name__)

# the theme's chip for each status: calm for drafts, blue once fixed, green once on file
BADGE_CHIPS: dict[RecordStatus, str] = {
    RecordStatus.DRAFT: "draft",
    RecordStatus.FINALISED: "fixed",
    RecordStatus.SIGNED: "fixed",
    RecordStatus.EXPORTED: "exported",
    RecordStatus.UPLOADED: "uploaded",
}

FINALISE_TEXT = (
    "Finalising makes version {version} of this record read-only and gives it a "
    "fingerprint (hash), so any later change to it can be detected.\n\n"
    "After this, changes are made as amendments: a new version with a reason, kept "
    "alongside this one. You can then sign and export the record as a PDF."
)

AMEND_HINT = ("Changes to a finalised record are made as amendments: a new version with a "
              "reason, kept alongside this one. Use Amend… to start one.")


class StatusBadge(QLabel):
    """The record's status as a coloured word: Draft, Finalised, Exported, Uploaded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAccessibleName("Record status")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setObjectName("statusBadge")  # coloured by the theme's sheet, by its chip

    def set_status(self, status: RecordStatus) -> None:
        self.setText(status.label)
        self.setProperty("chip", BADGE_CHIPS[status])
        self.style().unpolish(self)  # a property the sheet selects on: polish again
        self.style().polish(self)


def signer_text(info: CertificateInfo) -> str:
    """Who the PDF will say signed it, and how far a reader can rely on that name."""
    if info.self_signed:
        return (f"It is signed as {info.common_name}, with the certificate this app made for "
                "you. People checking it will see the name as self-asserted (not confirmed "
                "by your agency).")
    return f"It is signed as {info.common_name}, with the certificate issued by {info.issuer}."


def upload_note(summary: RecordSummary) -> UploadNote | None:
    """When and where the record was uploaded, if it has been."""
    if summary.status is not RecordStatus.UPLOADED or summary.uploaded_on is None:
        return None
    return UploadNote(summary.uploaded_on, summary.upload_reference)


def status_text(summary: RecordSummary, upload: UploadNote | None = None) -> str:
    """One short line beside the badge: which version, and whether it can be edited."""
    version = summary.version
    if summary.status is RecordStatus.DRAFT:
        if version > 1:
            return f"Amendment, version {version}: every change is saved as you type."
        return "Every change is saved as you type."
    if upload is not None:
        reference = f", reference {upload.reference}" if upload.reference else ""
        return (f"Uploaded on {uk_date(upload.uploaded_on)}{reference}. "
                f"Version {version}, read only.")
    return f"{summary.status.label}, version {version}: read only. Amend to change it."


class RecordActions(QWidget):
    """The buttons for what comes after drafting; the page reloads on ``changed``."""

    changed = Signal()  # finalised, amended, exported or uploaded: show the record afresh
    go_to = Signal(str)  # put the cursor where something is missing: a field id, or the header's

    def __init__(self, vault: Vault, record_id: str, save_pending: Callable[[], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self.record_id = record_id
        self._save_pending = save_pending
        self.status = RecordStatus.DRAFT
        self.version = 1
        self.upload: UploadNote | None = None
        self.folder: Path | None = None  # where the last export went
        self.dialog: QWidget | None = None  # the dialog last opened

        self.resolve_button = self._button(
            "&Resolve carried actions…", self.resolve_carried,
            "Say what happened to each action carried from the last supervision")
        self.finalise_button = self._button("Fi&nalise…", self.finalise,
                                            "Lock this version so it can be signed")
        self.amend_button = self._button("&Amend…", self.amend,
                                         "Open a new version of this record, with a reason")
        self.export_button = self._button("Sign and e&xport PDF…", self.export,
                                          "Save this version as a signed PDF")
        self.upload_button = self._button("&Mark as uploaded…", self.mark_uploaded,
                                          "Note that the PDF is on the official file")
        self.history_button = self._button("Histor&y…", self.history,
                                           "Every version, and whether any was changed")
        self.print_button = self._button("&Print…", self.print_record,
                                         "Print this record as it stands, on paper")
        self.print_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for button in (self.resolve_button, self.finalise_button, self.amend_button,
                       self.export_button,
                       self.upload_button, self.history_button, self.print_button):
            layout.addWidget(button)

    # Each button's Alt+letter is one the menu bar does not use (File, Supervision, Vault,
    # Help): Alt+F, S, V and H open menus wherever the focus is.
    def _button(self, text: str, slot: Callable[[], None], description: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleDescription(description)
        button.clicked.connect(slot)
        return button

    def show_state(self, summary: RecordSummary) -> None:
        """Offer the actions that fit the record's status now."""
        self.status, self.version = summary.status, summary.version
        self.upload = upload_note(summary)
        draft = summary.status is RecordStatus.DRAFT
        self.finalise_button.setVisible(draft)
        self.resolve_button.setVisible(
            draft and bool(actions.carried_actions(self._vault, self.record_id)))
        received = summary.origin == Origin.RECEIVED  # someone else's signed record: read only
        for button in (self.amend_button, self.export_button, self.upload_button):
            button.setVisible(not draft and not received)
        exported = summary.status in (RecordStatus.EXPORTED, RecordStatus.UPLOADED)
        self.upload_button.setEnabled(exported)
        self.upload_button.setToolTip(
            "" if exported else "Sign and export the PDF first, then mark it uploaded."
        )

    # --- carried actions ------------------------------------------------------------------

    def resolve_carried(self) -> None:
        if not self._save_pending():
            return
        dialog = ResolveCarriedActionsDialog(self._vault, self.record_id, self)
        # The decisions are written into the draft: reload it, or the next autosave
        # would write the page's older copy over them.
        dialog.resolved.connect(lambda _record_id: self.changed.emit())
        self._open(dialog)

    # --- finalise -------------------------------------------------------------------------

    def finalise(self) -> None:
        """One check first: what is missing is listed, with a way to it; the question
        "finalise?" is asked only of a record that can be finalised."""
        if not self._save_pending():  # the page already says why the save failed
            return
        try:
            check = lifecycle.finalise_check(self._vault, self.record_id)
        except UserError as exc:
            self.dialog = self._tell("Not finalised", describe(exc))
            return
        if not check.ready:
            self.dialog = self._not_ready(check)
            return
        asked = dialogs.ask_confirm(
            self, "Finalise this record?", FINALISE_TEXT.format(version=self.version),
            "Finalise", self._finalise,
        )
        if asked is not None:  # a stand-in may have answered at once, opening the next
            self.dialog = asked

    def _not_ready(self, check: lifecycle.FinaliseCheck) -> QMessageBox:
        """What is missing, and a button to the first of it (a signature is signed there),
        or to the carried actions still to resolve."""
        box = QMessageBox(self)
        box.setWindowTitle("Not finalised yet")
        box.setIcon(QMessageBox.Icon.Information)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"{check.message}\n\nNothing was lost: the record is still a draft you "
                    "can go on editing.")
        go, then = None, None
        if check.missing:
            first = check.missing[0]
            words = ("Choose who it is about" if first.where == lifecycle.SUBJECT
                     else f"Go to {first.words}")
            go = box.addButton(mnemonic_safe(words), QMessageBox.ButtonRole.AcceptRole)
            then = lambda: self.go_to.emit(first.where)  # noqa: E731
        elif check.carried:
            go = box.addButton("Resolve carried actions…", QMessageBox.ButtonRole.AcceptRole)
            then = self.resolve_carried
        box.addButton(QMessageBox.StandardButton.Close)
        if go is not None:
            box.setDefaultButton(go)
        # once the box has closed (and given the focus back), so the cursor stays there
        box.finished.connect(lambda _result: then() if then and box.clickedButton() is go
                             else None)
        box.finished.connect(box.deleteLater)
        box.open()
        return box

    def _finalise(self) -> None:
        try:
            lifecycle.finalise(self._vault, self.record_id)
        except Exception as exc:  # missing fields come back as one plain sentence
            if not isinstance(exc, UserError):
                log.error("Finalising a record failed: %s", type(exc).__name__)
            self.dialog = self._tell(
                "Not finalised yet",
                f"{describe(exc)}\n\nNothing was lost: the record is still a draft you can "
                "go on editing.",
            )
            return
        self.changed.emit()

    # --- print ----------------------------------------------------------------------------

    def print_record(self) -> None:
        """The record's PDF (as it stands, saved first) through the print dialog; a
        printed copy is noted in the audit log like an export. (The PDF and print
        machinery load now, not with the window.)"""
        from PySide6.QtPrintSupport import QPrinter

        from supervision_desktop.services.rendering import render_record_pdf
        from supervision_desktop.ui.common import printing

        if not self._save_pending():
            return
        vault, record_id = self._vault, self.record_id
        try:
            data = render_record_pdf(vault, record_id).data
        except Exception as exc:
            self.dialog = self._tell("Not printed", describe(exc))
            return

        def send(printer: QPrinter) -> None:
            pages = printing.print_pdf_pages(printer, data)
            audit.log(vault, "export", record_id=record_id,
                      detail=f"printed, {pages} page{'s' if pages != 1 else ''}")

        self.dialog = printing.ask_and_print(
            self, "Print this record", send,
            lambda message: setattr(self, "dialog", self._tell("Not printed", message)))

    # --- amend ----------------------------------------------------------------------------

    def amend(self) -> None:
        dialog = AmendDialog(
            lambda reason: lifecycle.amend(self._vault, self.record_id, reason),
            self.version, self, record_id=self.record_id,
        )
        dialog.amended.connect(lambda _number: self.changed.emit())
        self._open(dialog)

    # --- sign and export ------------------------------------------------------------------

    def export(self) -> None:
        try:
            signer = signer_text(certificates.certificate_info(self._vault))
        except Exception as exc:
            self.dialog = self._tell("Cannot sign", describe(exc))
            return
        vault, record_id = self._vault, self.record_id
        template = records.get_record(vault, record_id).template
        has_staff_only = any(section.staff_only for section in template.sections)
        dialog = ExportDialog(
            lambda folder, names: export_record(vault, record_id, folder, include_names=names),
            export_carer_copy=(
                (lambda folder, names: export_record(vault, record_id, folder,
                                                     include_names=names, carer_copy=True))
                if has_staff_only else None),
            version=self.version, signer=signer,
            folder=self.folder or dialogs.documents_folder(), parent=self,
        )
        dialog.exported.connect(self._exported)
        self._open(dialog)

    def _exported(self, result: Exported) -> None:
        if result.files:
            self.folder = result.files[0].parent
        self.changed.emit()

    # --- mark uploaded --------------------------------------------------------------------

    def mark_uploaded(self) -> None:
        dialog = UploadDialog(
            lambda day, reference: lifecycle.mark_uploaded(
                self._vault, self.record_id, day, reference),
            self, record_id=self.record_id,
        )
        dialog.marked.connect(self._uploaded)
        self._open(dialog)

    def _uploaded(self, _note: UploadNote) -> None:
        self.changed.emit()

    # --- history --------------------------------------------------------------------------

    def history(self) -> None:
        try:
            chain = lifecycle.check_chain(self._vault, self.record_id)
        except Exception as exc:
            self.dialog = self._tell("History", describe(exc))
            return
        self._open(HistoryDialog(chain, self))

    def _tell(self, title: str, text: str) -> QDialog:
        box = inform(self, title, text)
        box.finished.connect(box.deleteLater)
        return box

    def _open(self, dialog: QDialog) -> None:
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.dialog = dialog
