"""Vault → Audit log…: every open, change, finalise, export… newest first, filtered by
record; a chain check; CSV export. The log holds no content, so neither does this."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import local_time, uk_date
from supervision_desktop.services import audit, records
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.widgets import muted
from supervision_desktop.ui.vault_admin.retention_page import _menu

COLUMNS = ("When (UTC)", "Who", "What", "Record", "Detail")
ACTION_LABELS: dict[str, str] = {
    "unlock": "Unlocked the vault", "open": "Opened", "create": "Created",
    "change": "Changed the draft", "finalise": "Finalised", "amend": "Amended",
    "sign": "Signed", "export": "Exported", "countersign": "Countersigned",
    "import": "Imported", "mark_uploaded": "Marked uploaded",
    "transfer_out": "Transferred out", "transfer_in": "Transferred in", "backup": "Backed up",
    "restore": "Restored", "disposal": "Disposed of", "person_change": "Changed a person",
    "note_change": "Changed a note", "signer_change": "Accepted a signer's certificate",
    "trust_change": "Changed the trusted agency CAs",
    "key_change": "Changed who can open the vault",
    "disclosure": "Made a subject access disclosure",
}


class AuditDialog(QDialog):
    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self.setWindowTitle("Audit log")
        self.resize(920, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(muted("Who did what to which record, and when. The log never holds "
                               "what a record says. Each entry is chained to the one before, "
                               "so a removed or changed entry is found by the check."))
        filter_row = QHBoxLayout()
        filter_label = QLabel("&Show:")
        self.record_filter = QComboBox()
        self.record_filter.setAccessibleName("Filter by record")
        filter_label.setBuddy(self.record_filter)
        filter_row.addWidget(filter_label)
        filter_row.addWidget(self.record_filter, 1)
        layout.addLayout(filter_row)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Audit log entries, newest first")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # the record
        layout.addWidget(self.table, 1)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Integrity")
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.check_button = QPushButton("&Check integrity")
        self.check_button.clicked.connect(self.check)
        self.export_button = QPushButton("&Export…")
        self.export_button.clicked.connect(self.choose_export)
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._record_names: dict[str, str] = {}
        self._fill_filter()
        self.record_filter.currentIndexChanged.connect(lambda _index: self.refresh())
        self.refresh()

    def _fill_filter(self) -> None:
        self.record_filter.addItem("Every entry", None)
        for summary in records.list_records(self._vault):
            label = " · ".join(part for part in (
                summary.template_title, summary.subject_name, uk_date(summary.session_date))
                if part)
            self._record_names[summary.id] = label
            self.record_filter.addItem(label, summary.id)
        logged = {e.record_id for e in audit.entries(self._vault) if e.record_id}
        for record_id in sorted(logged - set(self._record_names)):
            label = f"Record {record_id[:8]}… (no longer in the vault)"
            self._record_names[record_id] = label
            self.record_filter.addItem(label, record_id)

    def show_record(self, record_id: str | None) -> None:
        self.record_filter.setCurrentIndex(max(self.record_filter.findData(record_id), 0))

    def refresh(self) -> None:
        found = audit.entries(self._vault, record_id=self.record_filter.currentData())
        self.table.setRowCount(len(found))
        for row, entry in enumerate(found):
            record = ""
            if entry.record_id:
                record = self._record_names.get(entry.record_id, entry.record_id)
            cells = (local_time(entry.at, seconds=True), entry.actor,
                     ACTION_LABELS.get(entry.action, entry.action), record, entry.detail)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 3 and entry.record_id:
                    item.setToolTip(entry.record_id)
                self.table.setItem(row, column, item)

    def check(self) -> audit.ChainCheck:
        result = audit.check_log(self._vault)
        self.status.setObjectName("" if result.ok else "error")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(result.message)
        return result

    def choose_export(self) -> QFileDialog:
        dialog = QFileDialog(self, "Export the audit log", str(Path.home() / "audit-log.csv"),
                             "CSV files (*.csv)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.fileSelected.connect(lambda name: self.export_to(Path(name)))
        dialog.open()
        return dialog

    def export_to(self, path: Path) -> None:
        try:
            count = audit.export_csv(self._vault, path, record_id=self.record_filter.currentData())
        except OSError as exc:
            self.status.setText(f"Could not write {path}: {exc.strerror}.")
            return
        self.status.setObjectName("")
        self.status.setText(f"Wrote {count} entr{'ies' if count != 1 else 'y'} to {path}.")


def install(window: QMainWindow, vault: Vault) -> QAction:
    """Add "Audit log…" to the Vault menu."""

    def show() -> None:
        dialog = AuditDialog(vault, parent=window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.audit_dialog = dialog  # type: ignore[attr-defined]  # for tests
        dialog.open()

    action = QAction("&Audit log…", window)
    action.triggered.connect(show)
    _menu(window, "Vault").addAction(action)
    return action
