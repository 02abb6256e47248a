"""Countersign a signed PDF: the drawn signature or typed name, a confirmation, then save.

One dialog for both sides: the carer's "Countersign…" on a received record and
"Countersign…" on the Documents page. It shows the signature pad and a field to type
your name instead (either is enough), and a box to tick that you, the holder of the
vault's certificate, countersign; then asks where to save. The signing itself is
``services.countersign`` (verify, sign with the vault's certificate, keep the copy),
run off the GUI thread. A PDF without an empty signature box gets an invisible digital
signature, and the dialog says the drawing will not show on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.export.signing import HandMark
from supervision_desktop.services import countersign, documents
from supervision_desktop.services.certificates import certificate_info
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.background import run_in_background
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import heading, inform, muted
from supervision_desktop.ui.forms.signature_pad import SignaturePad

Sign = Callable[[Path, HandMark], Path]  # destination, mark -> the file written


def ask_save_path(parent: QWidget, suggested: Path, on_chosen: Callable[[Path], None]
                  ) -> QFileDialog:
    """Where to save the countersigned PDF (non-blocking)."""
    dialog = QFileDialog(parent, "Save the countersigned PDF", str(suggested),
                         "PDF files (*.pdf)")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("pdf")
    dialog.fileSelected.connect(lambda name: on_chosen(Path(name)) if name else None)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


class CountersignDialog(QDialog):
    """Sign by hand (or type your name), confirm, choose where to save, countersign."""

    countersigned = Signal(object)  # Path of the countersigned PDF

    def __init__(self, vault: Vault, document_id: str, parent: QWidget | None = None, *,
                 sign: Sign | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._document_id = document_id
        self._sign: Sign = sign or (
            lambda path, mark: countersign.countersign_document(vault, document_id, path,
                                                                mark=mark))
        name, data = documents.document_bytes(vault, document_id)
        self._file_name = name or f"{document_id[:8]}.pdf"
        self.has_box = countersign.has_free_box(data)
        self.signer_name = certificate_info(vault).common_name
        self.file_dialog: QFileDialog | None = None
        self.setWindowTitle("Countersign")
        self.setMinimumWidth(520)

        layout = QVBoxLayout(self)
        layout.addWidget(heading("Countersign"))
        layout.addWidget(muted(
            f"{self._file_name}\nYour signature is added to the signed PDF with your "
            "digital certificate; the signatures already on it stay valid. The file kept "
            "in your vault is not changed: the countersigned copy is saved where you choose "
            "and kept beside it."))
        self.pad = SignaturePad("Your signature")
        clear = QPushButton("Clear signature")
        clear.setAccessibleName("Clear the drawn signature")
        clear.clicked.connect(self.pad.clear)
        layout.addWidget(QLabel("Sign with a mouse, finger or pen:"))
        layout.addWidget(self.pad)
        row = QHBoxLayout()
        row.addWidget(clear)
        row.addStretch(1)
        layout.addLayout(row)
        self.typed_name = QLineEdit()
        self.typed_name.setAccessibleName("Or type your name as your signature")
        self.typed_name.setPlaceholderText(self.signer_name)
        typed_row = QHBoxLayout()
        typed_label = QLabel("Or &type your name:")
        typed_label.setBuddy(self.typed_name)
        typed_row.addWidget(typed_label)
        typed_row.addWidget(self.typed_name, 1)
        layout.addLayout(typed_row)
        if not self.has_box:
            layout.addWidget(muted(
                "This PDF has no empty signature box, so your signature is added as a "
                "digital signature only: the drawing or typed name will not show on the "
                "page."))
        self.confirm = QCheckBox(f"I, {self.signer_name}, countersign this document")
        layout.addWidget(self.confirm)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = buttons.addButton("&Countersign…",
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.choose_file)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for signal in (self.pad.changed, self.typed_name.textChanged, self.confirm.toggled):
            signal.connect(self._update_button)
        self._update_button()

    def mark(self) -> HandMark:
        return HandMark(self.pad.strokes(), self.typed_name.text().strip())

    def ready(self) -> bool:
        """Confirmed, and signed by hand or typed (a hand mark is needed only where it
        can be shown)."""
        return self.confirm.isChecked() and (bool(self.mark()) or not self.has_box)

    def _update_button(self) -> None:
        self.sign_button.setEnabled(self.ready())

    def choose_file(self) -> None:
        if not self.ready():
            return
        suggested = Path.home() / f"countersigned-{Path(self._file_name).name}"
        self.file_dialog = ask_save_path(self, suggested, self.save_to)

    def save_to(self, path: Path) -> None:
        """Countersign into ``path`` off the GUI thread."""
        if not self.ready():
            return
        self.sign_button.setEnabled(False)
        self.error.setText("")
        mark, sign = self.mark(), self._sign
        run_in_background(lambda: sign(path, mark), self._done, self._failed)

    def _done(self, written: Path) -> None:
        self.countersigned.emit(written)
        inform(self.parentWidget() or self, "Countersigned",
               f"Your signature was added; saved as {written}. The signed file you had is "
               "kept in your vault unchanged, and the countersigned copy beside it.")
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.error.setText(describe(exc))
        self._update_button()


def open_countersign(parent: QWidget, vault: Vault, document_id: str, *,
                     sign: Sign | None = None) -> CountersignDialog | None:
    """Open the dialog for a kept document (None, and a message, if it cannot be read)."""
    try:
        dialog = CountersignDialog(vault, document_id, parent, sign=sign)
    except Exception as exc:  # a user error is explained; anything else too, never a crash
        inform(parent, "Cannot countersign", describe(exc))
        return None
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
