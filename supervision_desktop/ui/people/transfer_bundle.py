"""Transfer bundles in the GUI: "Transfer this file…" on a person's page, which shows the
one-time transfer passphrase once, and File → "Import a transfer bundle…".

Importing shows who signed the bundle. From a signer this vault knows (or one its agency
vouches for) it is imported at once; from a certificate it does not know, or a different
one than it holds for that sender, the dialog shows the name and the fingerprint, and
imports only once the user ticks that they compared it and accepts that certificate.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.services import transfer
from supervision_desktop.services.people import PersonView
from supervision_desktop.services.transfer import Exported, Imported, Sender, SenderNotAccepted
from supervision_desktop.services.transfer_senders import Standing
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.background import run_in_background
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import heading, inform, muted

BUNDLE_FILTER = "Transfer bundles (*.sdtransfer)"


class PassphraseShown(QDialog):
    """The transfer passphrase, once, with a copy button and how to pass it on."""

    def __init__(self, exported: Exported, person_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Transfer passphrase")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Transfer passphrase"))
        layout.addWidget(muted(
            f"{person_name}'s file ({exported.records} records) was written, encrypted, to "
            f"{exported.path}. The recipient needs this passphrase to import it:"
        ))
        self.passphrase = QLabel(exported.passphrase)
        self.passphrase.setObjectName("recoveryKey")
        self.passphrase.setTextFormat(Qt.TextFormat.PlainText)
        self.passphrase.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.passphrase.setAccessibleName("Transfer passphrase")
        self.passphrase.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(15)
        self.passphrase.setFont(font)
        layout.addWidget(self.passphrase)
        copy = QPushButton("Copy to clipboard")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(exported.passphrase))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(copy)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(muted(
            "Give it to the recipient another way: read it out by phone or hand it over in "
            "person. Never send it in the same e-mail, or on the same memory stick, as the "
            "file. It is shown only now; if it is lost, transfer the file again."
        ))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.finished.connect(lambda _: QGuiApplication.clipboard().clear())


class TransferButton(QPushButton):
    """Writes the shown person's file as a bundle and shows the passphrase."""

    exported = Signal(object)  # Exported

    def __init__(self, vault: Vault, current: Callable[[], PersonView | None],
                 parent: QWidget | None = None) -> None:
        super().__init__("&Transfer this file…", parent)
        self.setAccessibleName("Transfer this person's whole file to another vault")
        self.setToolTip("Write an encrypted transfer bundle for the next line manager")
        self._vault = vault
        self._current = current
        self.clicked.connect(self.choose_file)

    def choose_file(self) -> QFileDialog | None:
        if self._current() is None:
            return None
        start = Path.home() / transfer.default_file_name()
        dialog = QFileDialog(self.window(), "Write the transfer bundle to…", str(start),
                             BUNDLE_FILTER)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(transfer.SUFFIX.lstrip("."))
        dialog.fileSelected.connect(lambda name: self.export_to(Path(name)))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def export_to(self, path: Path) -> None:
        person = self._current()
        if person is None:
            return
        self.setEnabled(False)
        vault = self._vault
        run_in_background(lambda: transfer.export_person(vault, person.id, path),
                          lambda result: self._done(result, person.name), self._failed)

    def _done(self, exported: Exported, name: str) -> None:
        self.setEnabled(True)
        self.exported.emit(exported)
        dialog = PassphraseShown(exported, name, self.window())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _failed(self, exc: Exception) -> None:
        self.setEnabled(True)
        inform(self.window(), "The file was not transferred", describe(exc))


def _monospace(size: int) -> QFont:
    font = QFont("DejaVu Sans Mono")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSize(size)
    return font


class ImportDialog(QDialog):
    """Asks the transfer passphrase for a chosen bundle and imports it, showing the sender
    and asking for a deliberate "accept" when the signer's certificate is not known."""

    imported = Signal(object)  # Imported
    sender_shown = Signal(object)  # Sender: the bundle needs its certificate accepted

    def __init__(self, vault: Vault, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._path = path
        self._sender: Sender | None = None
        self.setWindowTitle("Import a transfer bundle")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Import a transfer bundle"))
        layout.addWidget(muted(f"{path.name}\nEnter the transfer passphrase the sender gave "
                               "you. Records already in your vault are not added twice."))
        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setAccessibleName("Transfer passphrase")
        self.passphrase.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
        self.passphrase.textEdited.connect(self._passphrase_edited)
        form.addRow("Transfer &passphrase", self.passphrase)
        layout.addLayout(form)

        self.sender_box = QWidget()
        sender_layout = QVBoxLayout(self.sender_box)
        sender_layout.setContentsMargins(0, 0, 0, 0)
        self.sender_text = QLabel()
        self.sender_text.setObjectName("warning")
        self.sender_text.setWordWrap(True)
        self.sender_text.setTextFormat(Qt.TextFormat.PlainText)
        self.fingerprint = QLabel()
        self.fingerprint.setFont(_monospace(12))
        self.fingerprint.setTextFormat(Qt.TextFormat.PlainText)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setAccessibleName("Certificate fingerprint")
        self.accept_sender = QCheckBox()
        self.accept_sender.toggled.connect(self._update_button)
        for widget in (self.sender_text, self.fingerprint, self.accept_sender):
            sender_layout.addWidget(widget)
        self.sender_box.hide()
        layout.addWidget(self.sender_box)

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def start(self) -> None:
        passphrase = self.passphrase.text()
        if not passphrase.strip():
            self.error.setText("Enter the transfer passphrase.")
            return
        accepted = None
        if self._sender is not None:
            if not self.accept_sender.isChecked():
                return
            accepted = self._sender.fingerprint
        self.import_button.setEnabled(False)
        self.error.setText("")
        vault, path = self._vault, self._path
        run_in_background(lambda: transfer.import_bundle(vault, path, passphrase,
                                                         accept_fingerprint=accepted),
                          self._done, self._failed)

    def show_sender(self, sender: Sender) -> None:
        """Who signed, the fingerprint to compare, and the box to tick to accept it."""
        self._sender = sender
        name = sender.name or "the sender"
        lines = [f"Sent by {sender.name or '(no name)'}"
                 + (f" ({sender.organisation})." if sender.organisation else "."),
                 sender.standing_text]
        if sender.standing is Standing.MISMATCH:
            lines.append("It may be someone else using the same name, or the sender's new "
                         "computer. Ring them and compare this fingerprint before you accept "
                         "it; if it differs, do not import the file.")
            self.accept_sender.setText(f"I have compared the fingerprint with {name} and "
                                       "accept this different certificate")
        else:
            lines.append(f"Compare this fingerprint with {name} by phone or in person before "
                         "you accept it.")
            self.accept_sender.setText(f"I have compared the fingerprint with {name} and "
                                       "accept this certificate")
        self.sender_text.setText("\n".join(lines))
        self.fingerprint.setText(sender.readable_fingerprint)
        self.accept_sender.setChecked(False)
        self.import_button.setText("Import and accept")
        self.sender_box.show()
        self._update_button()
        self.sender_shown.emit(sender)

    def _passphrase_edited(self) -> None:
        """A different passphrase may open a different bundle: ask about its sender anew."""
        if self._sender is not None:
            self._sender = None
            self.sender_box.hide()
            self.import_button.setText("Import")
            self._update_button()

    def _update_button(self) -> None:
        self.import_button.setEnabled(self._sender is None or self.accept_sender.isChecked())

    def _done(self, result: Imported) -> None:
        self.imported.emit(result)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.import_button.setEnabled(True)
        if isinstance(exc, SenderNotAccepted) and self._sender is None:
            self.show_sender(exc.sender)
            return
        self.error.setText(describe(exc))
        self._update_button()


class TransferImporter(QObject):
    """File → Import a transfer bundle…, for one main window."""

    imported = Signal(object)  # Imported

    def __init__(self, window: QMainWindow, vault: Vault) -> None:
        super().__init__(window)
        self._window = window
        self._vault = vault
        self.action = QAction("&Import a transfer bundle…", window)
        self.action.triggered.connect(self.choose_file)

    def choose_file(self) -> QFileDialog:
        dialog = QFileDialog(self._window, "Import a transfer bundle", str(Path.home()),
                             BUNDLE_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda name: self.ask_passphrase(Path(name)))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def ask_passphrase(self, path: Path) -> ImportDialog:
        dialog = ImportDialog(self._vault, path, self._window)
        dialog.imported.connect(self._imported)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _imported(self, result: Imported) -> None:
        self._window.statusBar().showMessage(result.message, 15000)
        self.imported.emit(result)
        for page in ("dashboard", "people", "records"):  # show the new records at once
            refresh = getattr(getattr(self._window, page, None), "refresh", None)
            if callable(refresh):
                refresh()


def install(window: QMainWindow, vault: Vault) -> TransferImporter:
    """Add File → Import a transfer bundle… (after the File menu's first entries)."""
    importer = TransferImporter(window, vault)
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "") == "File":
            separators = [a for a in menu.actions() if a.isSeparator()]
            if separators:
                menu.insertAction(separators[0], importer.action)
            else:
                menu.addAction(importer.action)
            break
    window.transfer_importer = importer  # type: ignore[attr-defined]  # kept alive with the window
    return importer
