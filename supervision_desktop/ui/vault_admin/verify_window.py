"""Check a signed record PDF: unchanged since signing, who signed it, which record it is.

Anyone can be sent a record PDF; this window says plainly whether it can be relied on.
The verdict comes first, in the three states ``verify`` exits with: green (genuine:
unchanged, signed by someone this vault trusts or knows), amber (unchanged, but a signer
is not known here, or a known name signed with a different certificate) or red (changed,
unsigned or damaged). Then each signature: who, when, whether the file changed after it,
the signer's standing and certificate fingerprint (to compare by phone or in person), and
which record and version of this vault it holds. Where a signer is not known, "Accept
this certificate…" shows the fingerprints side by side and, with a reason when it
replaces one on file, accepts it (audited). Checking runs off the GUI thread (pyHanko is
slow to load the first time). A PDF can be opened with the button or dropped on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import local_time, uk_date
from supervision_desktop.export.verification import SignatureCheck, VerificationReport
from supervision_desktop.services import known_signers, records, verify
from supervision_desktop.services.known_signers import SignerStanding, Standing
from supervision_desktop.services.records import RecordSummary
from supervision_desktop.services.verify import FileVerification, State, VaultMatch
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.background import run_in_background
from supervision_desktop.ui.common.dialog_parts import plain
from supervision_desktop.ui.common.dialogs import documents_folder
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import heading, muted

VALID = "Genuine: unchanged since signing, and signed by someone you trust"
NOT_KNOWN = ("Unchanged since signing, but not known to you: compare the signer's "
             "fingerprint with them before relying on it")
DROP_AREA_HEIGHT = 110  # the empty verdict is where a PDF can be dropped
UNCHANGED_LEVELS = {None, "NONE", "LTA_UPDATES", "FORM_FILLING"}  # a later signature is fine

@dataclass(frozen=True)
class Checked:
    """What checking a file found, with the vault's record it matches (if any)."""

    verification: FileVerification
    record: RecordSummary | None = None

    @property
    def report(self) -> VerificationReport:
        return self.verification.report

    @property
    def match(self) -> VaultMatch | None:
        return self.verification.vault_match

    @property
    def state(self) -> State:
        return self.verification.state


def check_file(vault: Vault, path: Path) -> Checked:
    """Verify the file and look up the record it matches (runs on a pool thread)."""
    verification = verify.verify_file(path, vault)
    match = verification.vault_match
    record = None
    if match is not None and match.found and match.record_id:
        record = records.get_record(vault, match.record_id).summary
    return Checked(verification, record)


def ask_pdf(parent: QWidget, on_chosen: Callable[[Path], None]) -> QFileDialog:
    """Let the person pick a PDF; ``on_chosen`` gets it (nothing happens on cancel)."""
    dialog = QFileDialog(parent, "Choose a signed PDF to check", str(documents_folder()))
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilters(["PDF files (*.pdf *.PDF)", "All files (*)"])
    dialog.fileSelected.connect(lambda chosen: on_chosen(Path(chosen)))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def pdf_from(mime: QMimeData) -> Path | None:
    """The first local .pdf file among dragged or dropped items."""
    for url in mime.urls() if mime.hasUrls() else []:
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".pdf"):
            return Path(url.toLocalFile())
    return None


# --- words for what was found -----------------------------------------------------------


def verdict(verification: FileVerification) -> str:
    """The first line, in one of the three states; the reason where it is not genuine."""
    state = verification.state
    if state is State.GENUINE:
        return VALID
    if state is State.UNKNOWN_SIGNER:
        mismatched = [s for s in verification.signers if s.standing is Standing.MISMATCH]
        if mismatched:
            return (f"NOT genuine: {known_signers.MISMATCH_TEXT} "
                    f"({', '.join(s.name or '(no name)' for s in mismatched)})")
        return NOT_KNOWN
    reason = verification.report.summary.removeprefix("NOT VALID:").strip()
    if reason[:1].isupper() and reason[1:2].islower():
        reason = reason[0].lower() + reason[1:]
    return f"NOT valid: {reason}"


VERDICT_STYLES = {State.GENUINE: "verdictValid", State.UNKNOWN_SIGNER: "verdictUnknown",
                  State.NOT_GENUINE: "verdictInvalid"}


def describe_record(summary: RecordSummary) -> str:
    parts = [summary.template_title, summary.subject_name]
    if summary.session_date:
        parts.append(uk_date(summary.session_date))
    return " · ".join(part for part in parts if part)


def vault_text(checked: Checked) -> str:
    """Which record of this vault the file is, and anything that weakens the match."""
    match = checked.match
    if match is None:
        return ""
    if checked.report.record is None:
        return "The file does not say which record it is, so it matches nothing in this vault."
    if not match.found:
        return ("No finalised record in this vault has this content: the file is not one "
                "of your records, or it shows a version this vault does not have.")
    named = f" ({describe_record(checked.record)})" if checked.record else ""
    if not checked.report.ok:
        return (f"The file says it is record {match.record_id}{named}, version "
                f"{match.version}, of this vault; but as it failed the checks above, what it "
                "shows may not be what was signed. Open the record in this vault instead.")
    text = f"In this vault: record {match.record_id}{named}, version {match.version}."
    if match.latest_version is not None and match.latest_version > (match.version or 0):
        text += (f" It has been amended since: the record is now at version "
                 f"{match.latest_version}.")
    if not match.signed_here:
        text += (" The file was not signed with this vault's certificate, so it may not show "
                 "what this vault holds.")
    return text


def unchanged_since(signature: SignatureCheck, last: bool, report: VerificationReport
                    ) -> bool:
    if not signature.intact or signature.docmdp_ok is False:
        return False
    if signature.modification_level not in UNCHANGED_LEVELS:
        return False
    return not (last and report.appended_after_last_signature)


def matches_text(signature: SignatureCheck, match: VaultMatch | None) -> tuple[bool, str]:
    """Whether this signature's record and version are in this vault, in words."""
    claimed = signature.record
    if claimed is None:
        return False, "No: the signature does not name a record."
    if (match is not None and match.found and match.record_id == claimed.record_id
            and match.version == claimed.version):
        if not signature.intact:
            return False, (f"No: it names record {claimed.record_id}, version "
                           f"{claimed.version}, but the file was changed after signing")
        return True, f"Yes: record {claimed.record_id}, version {claimed.version}"
    return False, (f"No: it says record {claimed.record_id}, version {claimed.version}, "
                   "but this vault has no finalised version with this content")


class SignatureBox(QGroupBox):
    """One signature and what its checks found."""

    def __init__(self, number: int, count: int, signature: SignatureCheck, *, last: bool,
                 report: VerificationReport, match: VaultMatch | None,
                 standing: SignerStanding | None = None) -> None:
        super().__init__(f"Signature {number} of {count}" if count > 1 else "Signature")
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        who = signature.signer_name or "(no name in the certificate)"
        if signature.signer_organisation:
            who += f", {signature.signer_organisation}"
        self.signer = plain(who)
        form.addRow("Signed by", self.signer)
        self.time = plain(local_time(signature.signing_time) or "Not stated")
        form.addRow("Signed at", self.time)
        same = unchanged_since(signature, last, report)
        text = "Yes" if same else "No"
        if same and not last:
            text = "Yes, apart from the later signatures"
        self.unchanged = plain(text, name="yes" if same else "no")
        form.addRow("Unchanged since this signature", self.unchanged)
        if signature.identity_confirmed:
            identity = f"Trusted: the certificate was issued by {signature.issuer_name}"
        else:
            identity = ("Self-asserted certificate: the signer made it, so the name is what "
                        "the signer says it is; no authority you trust confirms it")
        self.identity = plain(identity)
        form.addRow("Identity", self.identity)
        self.standing: QLabel | None = None
        self.fingerprint: QLabel | None = None
        self.on_file: QLabel | None = None
        if standing is not None:
            self.standing = plain(standing.message, name="yes" if standing.genuine else "no")
            form.addRow("Signer", self.standing)
            self.fingerprint = plain(standing.words)
            self.fingerprint.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fingerprint.setAccessibleName("Certificate fingerprint")
            form.addRow("Fingerprint", self.fingerprint)
            if standing.standing is Standing.MISMATCH:
                self.on_file = plain("\n".join(known_signers.fingerprint_words(f)
                                               for f in standing.on_file))
                form.addRow("You have", self.on_file)
        if match is not None:
            found, words = matches_text(signature, match)
            self.vault = plain(words, name="yes" if found else "no")
            form.addRow("In this vault", self.vault)
        if signature.problems:
            problems = plain("\n".join(f"• {p[:1].upper()}{p[1:]}." for p in signature.problems),
                             name="no")
            form.addRow("Problems", problems)


class AcceptSignerDialog(QDialog):
    """The certificate to accept beside the one on file, and why (needed to replace)."""

    def __init__(self, parent: QWidget, checked: Checked) -> None:
        super().__init__(parent)
        self.setWindowTitle("Accept this certificate")
        pending = [s for s in checked.verification.signers if not s.genuine]
        self.replacing = any(s.standing is Standing.MISMATCH for s in pending)
        layout = QVBoxLayout(self)
        layout.addWidget(plain(
            "Only accept a certificate after comparing its fingerprint with the person, by "
            "phone or in person. Read the digits out; every group must match."))
        form = QFormLayout()
        for signer in pending:
            form.addRow(f"{signer.name or '(no name)'}, this file", plain(signer.words))
            for other in signer.on_file:
                form.addRow("The certificate you have", plain(
                    known_signers.fingerprint_words(other)))
        layout.addLayout(form)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. new laptop; fingerprint compared by phone")
        self.reason.setAccessibleName("Reason")
        label = "Why you accept it (needed)" if self.replacing else "Why (optional)"
        layout.addWidget(plain(label))
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton("Accept", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.reason.text().strip()) or not self.replacing)


def ask_accept(parent: QWidget, checked: Checked, on_reason: Callable[[str], None]
               ) -> AcceptSignerDialog:
    """Show the fingerprints and ask for a reason; ``on_reason`` runs only on Accept."""
    dialog = AcceptSignerDialog(parent, checked)
    dialog.accepted.connect(lambda: on_reason(dialog.reason.text().strip()))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


# --- the window -------------------------------------------------------------------------


class VerifyWindow(QWidget):
    """Open or drop a PDF; see whether it is valid, who signed it and which record it is."""

    checked = Signal(object)  # Checked
    failed = Signal(str)  # the file could not be checked at all (e.g. it is not there)
    accepted = Signal(object)  # Checked, after a signer's certificate was accepted

    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._vault = vault
        self._busy = False
        self.setWindowTitle("Verify a signed PDF — Supervision Desktop")
        self.setAcceptDrops(True)
        self.resize(780, 680)

        self.open_button = QPushButton("&Open a PDF…")
        self.open_button.clicked.connect(lambda: ask_pdf(self, self.verify))
        self.file_label = muted("")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(160)
        self.progress.setAccessibleName("Checking")
        self.progress.hide()
        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addWidget(self.file_label, 1)
        top.addWidget(self.progress)

        self.verdict = plain("Drop a signed PDF here, or open one, to check it.",
                             name="verdictNone")
        self._set_verdict(self.verdict.text(), "verdictNone")
        self.verdict.setAccessibleName("Verdict")
        self.problems = plain()
        self.problems.hide()
        self.accept_button = QPushButton("&Accept this certificate…")
        self.accept_button.setToolTip("Compare the fingerprint with the signer first, by "
                                      "phone or in person")
        self.accept_button.clicked.connect(self._ask_accept)
        self.accept_button.hide()
        self._path: Path | None = None
        self._last: Checked | None = None
        self.in_vault = plain()
        self.in_vault.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.in_vault.hide()

        self.signatures = QWidget()
        self._signature_layout = QVBoxLayout(self.signatures)
        self._signature_layout.setContentsMargins(0, 0, 0, 0)
        self._signature_layout.addStretch(1)
        self.boxes: list[SignatureBox] = []
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.signatures)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(heading("Verify a signed PDF"))
        layout.addWidget(muted(
            "Checks that a record PDF has not been changed since it was signed, who signed "
            "it, and which record in this vault it is."
        ))
        layout.addLayout(top)
        layout.addWidget(self.verdict)
        layout.addWidget(self.problems)
        layout.addWidget(self.accept_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.in_vault)
        layout.addWidget(scroll, 1)

    def verify(self, path: Path) -> None:
        """Check ``path`` in the background; ``checked`` or ``failed`` follows."""
        if self._busy:
            return
        self._set_busy(True)
        self._path = path
        self.file_label.setText(str(path))
        vault = self._vault
        run_in_background(lambda: check_file(vault, path), self._show, self._failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.open_button.setEnabled(not busy)
        self.progress.setVisible(busy)
        if busy:
            self._set_verdict("Checking…", "verdictNone")
            self.problems.hide()
            self.accept_button.hide()
            self.in_vault.hide()
            self._clear_signatures()

    def _set_verdict(self, text: str, name: str) -> None:
        self.verdict.setText(text)
        empty = name == "verdictNone"
        self.verdict.setMinimumHeight(DROP_AREA_HEIGHT if empty else 0)
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter if empty else
                                  Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.verdict.setObjectName(name)
        self.verdict.style().unpolish(self.verdict)
        self.verdict.style().polish(self.verdict)

    def _clear_signatures(self) -> None:
        for box in self.boxes:
            self._signature_layout.removeWidget(box)
            box.hide()
            box.deleteLater()
        self.boxes = []

    def _show(self, checked: Checked) -> None:
        if not shiboken6.isValid(self):  # closed with the main window meanwhile
            return
        self._set_busy(False)
        report = checked.report
        self._last = checked
        self._set_verdict(verdict(checked.verification), VERDICT_STYLES[checked.state])
        self.accept_button.setVisible(checked.state is State.UNKNOWN_SIGNER)
        if not report.ok and report.problems:
            self.problems.setText("\n".join(f"• {problem}" for problem in report.problems))
            self.problems.show()
        text = vault_text(checked)
        self.in_vault.setText(text)
        self.in_vault.setVisible(bool(text))
        count = len(report.signatures)
        standings = dict(enumerate(checked.verification.signers, start=1))
        for number, signature in enumerate(report.signatures, start=1):
            box = SignatureBox(number, count, signature, last=number == count, report=report,
                               match=checked.match, standing=standings.get(number))
            self.boxes.append(box)
            self._signature_layout.insertWidget(number - 1, box)
        self.checked.emit(checked)

    def _failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        message = describe(exc)
        self._set_verdict(f"Could not check the file: {message}", "verdictInvalid")
        self.failed.emit(message)

    # --- accepting a signer's certificate ------------------------------------------------

    def _ask_accept(self) -> None:
        checked, path = self._last, self._path
        if checked is None or path is None:
            return
        ask_accept(self, checked, lambda reason: self._accept(path, reason))

    def _accept(self, path: Path, reason: str) -> None:
        vault = self._vault
        self._set_busy(True)
        run_in_background(lambda: (known_signers.accept_from_file(vault, path, reason=reason),
                                   check_file(vault, path))[1],
                          self._accepted, self._failed)

    def _accepted(self, checked: Checked) -> None:
        self._show(checked)
        self.accepted.emit(checked)

    # --- drag and drop --------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if pdf_from(event.mimeData()) is not None and not self._busy:
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 (Qt API)
        if pdf_from(event.mimeData()) is not None and not self._busy:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        path = pdf_from(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            self.verify(path)
