"""The small dialogs behind a record's actions: confirm, amend, export, mark uploaded, history.

None of them blocks: each is shown with ``open()`` and reports through signals or a
callback. The questions that only need a yes, or a folder, go through the ``ask_*``
functions so tests can answer them without a real dialog. Every text is plain.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.services.lifecycle import ChainReport
from supervision_desktop.ui.forms.date_field import DateField
from supervision_desktop.ui.kept_input import DialogState, set_widget_values, widget_values
from supervision_desktop.ui.messages import describe
from supervision_desktop.ui.operations import run_in_background
from supervision_desktop.ui.widgets import muted

SHORT_HASH = 12  # hex digits shown; the full hash is in the tooltip


def local_time(moment: dt.datetime | None) -> str:
    """'22/11/2026 14:30' in local time ('' for none); the vault keeps UTC without a zone."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return f"{moment.astimezone():%d/%m/%Y %H:%M}"


def plain(text: str = "", *, name: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if name:
        label.setObjectName(name)
    return label


# --- questions tests can answer ---------------------------------------------------------


def ask_confirm(parent: QWidget, title: str, text: str, action: str,
                on_yes: Callable[[], None]) -> QMessageBox:
    """Ask before doing something that cannot be undone; ``on_yes`` runs only on yes."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setIcon(QMessageBox.Icon.Question)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.buttonClicked.connect(lambda button: on_yes() if button is yes else None)
    box.finished.connect(box.deleteLater)
    box.open()
    return box


def ask_folder(parent: QWidget, start: Path, on_chosen: Callable[[Path], None]) -> QFileDialog:
    """Let the person pick a folder; ``on_chosen`` gets it (nothing happens on cancel)."""
    dialog = QFileDialog(parent, "Choose the folder for the signed PDF", str(start))
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.fileSelected.connect(lambda chosen: on_chosen(Path(chosen)))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def open_folder(folder: Path) -> None:
    """Show the folder in the system's file manager."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def _buttons(accept_text: str) -> tuple[QDialogButtonBox, QPushButton]:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    accept = box.button(QDialogButtonBox.StandardButton.Ok)
    accept.setText(accept_text)
    return box, accept


# --- amend ------------------------------------------------------------------------------


class AmendDialog(QDialog):
    """Why the record is amended (required); opens the next version as a draft."""

    amended = Signal(int)  # the new version's number

    def __init__(self, amend: Callable[[str], int], version: int,
                 parent: QWidget | None = None, *, record_id: str | None = None) -> None:
        super().__init__(parent)
        self._amend = amend
        self._record_id = record_id  # kept over a lock, to reopen on the same record
        self.setWindowTitle("Amend this record")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.addWidget(plain(
            f"Version {version} stays exactly as it was finalised. The amendment is a new "
            f"version ({version + 1}) that opens as a draft for you to change and finalise "
            "again. Both versions are kept, linked, in the record's history."
        ))
        layout.addWidget(plain("Why is the record being amended? (required)"))
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason for the amendment")
        self.reason.setPlaceholderText("For example: the date of the next session was wrong.")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.reason.fontMetrics().lineSpacing() * 4 + 12)
        layout.addWidget(self.reason)
        self.error = plain(name="error")
        layout.addWidget(self.error)
        buttons, self.amend_button = _buttons("Open the amendment")
        self.amend_button.setEnabled(False)
        self.reason.textChanged.connect(
            lambda: self.amend_button.setEnabled(bool(self.reason.toPlainText().strip()))
        )
        buttons.accepted.connect(self._apply)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reason.setFocus()

    def capture_state(self) -> DialogState:
        """The reason typed, kept over a lock (see kept_input)."""
        return DialogState("amend", self.windowTitle(),
                           widget_values({"reason": self.reason}), (self._record_id,))

    def restore_state(self, state: DialogState) -> None:
        set_widget_values({"reason": self.reason}, state.values)

    def _apply(self) -> None:
        try:
            number = self._amend(self.reason.toPlainText())
        except Exception as exc:  # shown here; the reason typed stays
            self.error.setText(describe(exc))
            return
        self.amended.emit(number)
        self.accept()


# --- mark uploaded ----------------------------------------------------------------------


@dataclass(frozen=True)
class UploadNote:
    uploaded_on: dt.date
    reference: str


class UploadDialog(QDialog):
    """When the signed PDF went onto the official file, and that system's reference."""

    marked = Signal(object)  # UploadNote

    def __init__(self, mark: Callable[[dt.date, str], None],
                 parent: QWidget | None = None, *, record_id: str | None = None) -> None:
        super().__init__(parent)
        self._mark = mark
        self._record_id = record_id  # kept over a lock, to reopen on the same record
        self.setWindowTitle("Mark as uploaded")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.addWidget(plain(
            "Note that the signed PDF is now on the official case or staff file, so the "
            "record counts as uploaded."
        ))
        form = QFormLayout()
        self.date = DateField("Date uploaded")
        self.date.set_iso(dt.date.today().isoformat())
        form.addRow("Date &uploaded", self.date)
        self.reference = QLineEdit()
        self.reference.setAccessibleName("Reference in the receiving system")
        self.reference.setPlaceholderText("For example the Mosaic document ID")
        form.addRow("&Reference", self.reference)
        layout.addLayout(form)
        layout.addWidget(muted(
            "The reference is how the file is found in the receiving system (Mosaic, LCS, "
            "a shared drive); leave it blank if there is none."
        ))
        self.error = plain(name="error")
        layout.addWidget(self.error)
        buttons, self.mark_button = _buttons("Mark as uploaded")
        buttons.accepted.connect(self._apply)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _kept_inputs(self) -> dict[str, QWidget]:
        return {"date": self.date.edit, "reference": self.reference}

    def capture_state(self) -> DialogState:
        """The date and reference typed, kept over a lock (see kept_input)."""
        return DialogState("mark_uploaded", self.windowTitle(),
                           widget_values(self._kept_inputs()), (self._record_id,))

    def restore_state(self, state: DialogState) -> None:
        set_widget_values(self._kept_inputs(), state.values)

    def _apply(self) -> None:
        if not self.date.iso():
            self.error.setText("Write the date it was uploaded as 22/11/2026.")
            return
        note = UploadNote(dt.date.fromisoformat(self.date.iso()), self.reference.text().strip())
        try:
            self._mark(note.uploaded_on, note.reference)
        except Exception as exc:
            self.error.setText(describe(exc))
            return
        self.marked.emit(note)
        self.accept()


# --- sign and export --------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    files: tuple[Path, ...]

    def summary(self) -> str:
        """'Saved 1 file in <folder>:' and the file names, one per line."""
        count = len(self.files)
        folders = {path.parent for path in self.files}
        where = f" in {next(iter(folders))}" if len(folders) == 1 else ""
        head = f"Saved {count} file{'' if count == 1 else 's'}{where}:"
        names = [path.name if where else str(path) for path in self.files]
        return "\n".join([head, *names])


ExportFunction = Callable[[Path, bool], list[Path]]  # folder, include names → files


class ExportDialog(QDialog):
    """Choose a folder and whether names go in the file name; sign and save off the GUI
    thread; then say what was saved, with a button to open the folder.

    Given ``export_carer_copy`` (the record's form has staff-only sections), a check box
    chooses the carer copy, which leaves those sections out."""

    exported = Signal(object)  # Exported

    def __init__(self, export: ExportFunction, *, version: int, signer: str, folder: Path,
                 export_carer_copy: ExportFunction | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._export = export
        self._export_carer_copy = export_carer_copy
        self._busy = False
        self.folder = folder
        self.setWindowTitle("Sign and export PDF")
        self.setMinimumWidth(580)
        layout = QVBoxLayout(self)
        layout.addWidget(plain(
            f"Version {version} of the record is saved as a PDF and signed digitally, so "
            "anyone can check that it has not been changed since."
        ))
        layout.addWidget(muted(signer))
        folder_row = QHBoxLayout()
        self.folder_edit = QLineEdit(str(folder))
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setAccessibleName("Folder for the PDF")
        self.choose_button = QPushButton("&Choose…")
        self.choose_button.clicked.connect(
            lambda: ask_folder(self, self.folder, self.set_folder)
        )
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.choose_button)
        form = QFormLayout()
        form.addRow("Save in", folder_row)
        layout.addLayout(form)
        self.include_names = QCheckBox("&Include names in the file name")
        layout.addWidget(self.include_names)
        layout.addWidget(muted(
            "Leave this off to keep personal details out of the file name: it then holds "
            "only the form, the session date and the record number."
        ))
        self.carer_copy = QCheckBox("Ca&rer copy (leave out staff-only sections)")
        self.carer_copy.setVisible(export_carer_copy is not None)
        layout.addWidget(self.carer_copy)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy, no percentage
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Signing and saving")
        self.progress.hide()
        layout.addWidget(self.progress)
        self.error = plain(name="error")
        self.error.hide()
        layout.addWidget(self.error)
        self.outcome = plain()
        self.outcome.setObjectName("notice")
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.hide()
        layout.addWidget(self.outcome)

        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("&Sign and export",
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button = buttons.addButton("&Open folder",
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.hide()
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.open_button.clicked.connect(self._open_folder)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self._files: tuple[Path, ...] = ()

    def set_folder(self, folder: Path) -> None:
        self.folder = folder
        self.folder_edit.setText(str(folder))

    def start(self) -> None:
        """Sign and save in the background; the dialog shows it is busy meanwhile."""
        if self._busy:
            return
        folder, names = self.folder, self.include_names.isChecked()
        export = self._export
        if self._export_carer_copy is not None and self.carer_copy.isChecked():
            export = self._export_carer_copy
        self._set_busy(True)
        self.error.hide()
        self.outcome.hide()
        run_in_background(lambda: export(folder, names), self._done, self._failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        for widget in (self.export_button, self.choose_button, self.include_names,
                       self.carer_copy, self.close_button):
            widget.setEnabled(not busy)
        self.export_button.setText("Signing…" if busy else "&Sign and export")

    def _done(self, files: list[Path]) -> None:
        if not shiboken6.isValid(self):  # the window closed meanwhile (the vault locked)
            return
        self._set_busy(False)
        exported = Exported(tuple(files))
        self._files = exported.files
        self.outcome.setText(exported.summary())
        self.outcome.show()
        self.export_button.hide()
        self.open_button.show()
        self.close_button.setText("Close")
        self.close_button.setDefault(True)
        self.exported.emit(exported)

    def _failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        self.error.setText(f"Nothing was exported: {describe(exc)}")
        self.error.show()

    def _open_folder(self) -> None:
        if self._files:
            open_folder(self._files[0].parent)

    def reject(self) -> None:
        if not self._busy:  # a half-written export is never left behind by closing
            super().reject()


# --- history ----------------------------------------------------------------------------


class HistoryDialog(QDialog):
    """Every version with its times, reason and hash; a warning if the chain is broken."""

    COLUMNS = ("Version", "Started", "Finalised", "Reason", "Hash", "Check")

    def __init__(self, chain: ChainReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("History of this record")
        self.resize(820, 340)
        layout = QVBoxLayout(self)
        if chain.intact:
            self.verdict = plain(
                "Hash chain intact: no finalised version has been changed since it was "
                "finalised.", name="chainIntact",
            )
        else:
            problems = "; ".join(chain.problems)
            self.verdict = plain(
                f"Warning: the hash chain is broken. {problems[:1].upper()}{problems[1:]}."
                " The vault no longer matches what was finalised: rely on the signed "
                "PDFs you exported, and tell your IT service desk.", name="chainBroken",
            )
        self.verdict.setStyleSheet(
            "QLabel#chainIntact { background: #e6f4ea; border: 1px solid #7cc08e;"
            " color: #0d652d; padding: 8px; }"
            "QLabel#chainBroken { background: #fce8e6; border: 2px solid #d93025;"
            " color: #a50e0e; font-weight: 600; padding: 8px; }"
        )
        layout.addWidget(self.verdict)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setAccessibleName("Versions of this record")
        self.table.setHeaderLabels(list(self.COLUMNS))
        self.table.setStyleSheet("QTreeWidget::item { padding: 4px 10px 4px 2px; }")
        changed = {int(number) for problem in chain.problems
                   for number in re.findall(r"version (\d+)", problem)}
        for version in chain.versions:
            digest = version.content_hash or ""
            if version.finalised_at is None:
                check = ""
            else:
                check = "CHANGED" if version.number in changed else "Unchanged"
            item = QTreeWidgetItem([
                str(version.number),
                local_time(version.created_at),
                local_time(version.finalised_at) or "Draft, not finalised",
                version.reason or ("First version" if version.number == 1 else ""),
                digest[:SHORT_HASH],
                check,
            ])
            item.setToolTip(4, digest)
            item.setToolTip(3, version.reason)
            if version.number in changed:
                for column in range(len(self.COLUMNS)):
                    item.setForeground(column, QColor("#a50e0e"))
            self.table.addTopLevelItem(item)
        header = self.table.header()
        header.setStretchLastSection(False)
        for column in range(len(self.COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        layout.addWidget(muted(
            "Each finalised version's hash covers its content and the hash of the version "
            "before, so a change to any stored version shows here."
        ))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def rows(self) -> list[list[str]]:
        """The table's text, row by row."""
        items = (self.table.topLevelItem(row) for row in range(self.table.topLevelItemCount()))
        return [[item.text(column) for column in range(len(self.COLUMNS))]
                for item in items if item is not None]

