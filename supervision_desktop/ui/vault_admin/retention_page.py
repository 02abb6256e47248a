"""Vault → Retention review…: what is past its retention date, disposal after a typed
confirmation, and the disposal report.

Nothing is destroyed until records are ticked and the confirmation word is typed; the
service checks again that each is due. After disposal, people left with no records are
offered for removal (their name is personal data). The dialog never blocks (`open()`).
Disposal runs off the GUI thread (its VACUUM rewrites the whole file) with a progress
bar; meanwhile it cannot be started again and the dialog does not close.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import local_time, uk_date
from supervision_desktop.domain.people import KIND_LABELS
from supervision_desktop.errors import UserError
from supervision_desktop.services import people, retention
from supervision_desktop.services.retention import CONFIRM_WORD, DueRecord
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.background import Operation, run_with_progress
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import muted

DUE_COLUMNS = ("Dispose", "Person", "Record", "Session date", "Due since", "Rule")
REPORT_COLUMNS = ("Disposed", "By", "Record id", "Template", "About a", "Session date",
                  "Versions", "Due since", "Rule")


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def _table(columns: tuple[str, ...], name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setAccessibleName(name)
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(False)
    return table


class RetentionDialog(QDialog):
    """The retention review and the disposal report, on two tabs."""

    disposed = Signal(int)  # how many records were destroyed

    def __init__(self, vault: Vault, *, today: Callable[[], dt.date] = dt.date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._today = today
        self._due: list[DueRecord] = []
        self._orphans: tuple[tuple[str, str, str], ...] = ()
        self.operation: Operation | None = None  # the disposal, while it runs
        self.setWindowTitle("Retention review")
        self.resize(960, 560)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._review_tab(), "Due for disposal")
        self.tabs.addTab(self._report_tab(), "Disposal report")
        layout.addWidget(self.tabs)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_buttons = buttons
        layout.addWidget(buttons)
        self.refresh()

    # --- the review -------------------------------------------------------------------

    def _review_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.rules_label = muted("")
        layout.addWidget(self.rules_label)
        self.table = _table(DUE_COLUMNS, "Records past their retention date")
        self.table.itemChanged.connect(lambda _item: self._update_button())
        layout.addWidget(self.table, 1)
        self.why = muted("")
        layout.addWidget(self.why)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_why(row))
        select_row = QHBoxLayout()
        self.select_all = QPushButton("Tick &all")
        self.select_all.clicked.connect(lambda: self._tick_all(True))
        self.select_none = QPushButton("Tick &none")
        self.select_none.clicked.connect(lambda: self._tick_all(False))
        select_row.addWidget(self.select_all)
        select_row.addWidget(self.select_none)
        select_row.addStretch(1)
        layout.addLayout(select_row)

        warning = QLabel("Disposal destroys the ticked records for good: every version, "
                         "their actions, signed copies and search entries. It cannot be "
                         "undone. The disposal report keeps what, when, by whom and under "
                         "which rule, without content.")
        warning.setObjectName("notice")
        warning.setWordWrap(True)
        layout.addWidget(warning)
        confirm_row = QHBoxLayout()
        confirm_label = QLabel(f"To confirm, type {CONFIRM_WORD}:")
        self.confirm = QLineEdit()
        self.confirm.setAccessibleName("Confirmation")
        self.confirm.setMaxLength(20)
        confirm_label.setBuddy(self.confirm)
        self.confirm.textChanged.connect(lambda _text: self._update_button())
        self.dispose_button = QPushButton("&Dispose of ticked records")
        self.dispose_button.clicked.connect(self.dispose)
        confirm_row.addWidget(confirm_label)
        confirm_row.addWidget(self.confirm)
        confirm_row.addWidget(self.dispose_button)
        confirm_row.addStretch(1)
        layout.addLayout(confirm_row)

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Disposal progress")
        self.progress.setRange(0, 100)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.progress_text = muted("")
        self.progress_text.hide()
        layout.addWidget(self.progress_text)

        self.outcome = QLabel()
        self.outcome.setTextFormat(Qt.TextFormat.PlainText)
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName("Outcome")
        self.outcome.hide()
        layout.addWidget(self.outcome)
        self.remove_people_button = QPushButton()
        self.remove_people_button.clicked.connect(self.remove_people)
        self.remove_people_button.hide()
        layout.addWidget(self.remove_people_button, 0, Qt.AlignmentFlag.AlignLeft)
        return tab

    def refresh(self) -> None:
        rules = retention.vault_rules(self._vault)
        own = retention.uses_own_rules(self._vault)
        self.rules_label.setText(
            f"Rules in force: {rules.title}"
            + (", from your agency's file." if own else ", as shipped.")
            + " Records are listed from the day their retention period ends.")
        self._due = retention.review(self._vault, self._today())
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._due))
        for row, due in enumerate(self._due):
            tick = _item("")
            tick.setFlags(tick.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            tick.setCheckState(Qt.CheckState.Unchecked)
            tick.setData(Qt.ItemDataRole.UserRole, due.record_id)
            tick.setData(Qt.ItemDataRole.AccessibleTextRole, f"Dispose of row {row + 1}")
            self.table.setItem(row, 0, tick)
            self.table.setItem(row, 1, _item(due.subject_name or "(no one)"))
            self.table.setItem(row, 2, _item(due.template_title))
            self.table.setItem(row, 3, _item(uk_date(due.session_date)))
            self.table.setItem(row, 4, _item(uk_date(due.due_on)))
            rule = _item(due.rule_title)
            rule.setToolTip(f"{due.rule_title}\nSource: {due.rule_ref}")
            self.table.setItem(row, 5, rule)
        self.table.blockSignals(False)
        if not self._due:
            self.why.setText("No record is past its retention date.")
        else:
            self.why.setText("Select a row to see why it is due.")
        self._refresh_report()
        self._update_button()

    def _show_why(self, row: int) -> None:
        if 0 <= row < len(self._due):
            due = self._due[row]
            self.why.setText(f"{due.why} (rule: {due.rule_title}; source: {due.rule_ref}).")

    def _tick_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for tick in self._ticks():
            tick.setCheckState(state)

    def _ticks(self) -> list[QTableWidgetItem]:
        """Each row's tick box (column 0)."""
        items = [self.table.item(row, 0) for row in range(self.table.rowCount())]
        return [item for item in items if item is not None]

    def ticked(self) -> list[str]:
        return [tick.data(Qt.ItemDataRole.UserRole) for tick in self._ticks()
                if tick.checkState() == Qt.CheckState.Checked]

    def _update_button(self) -> None:
        count = len(self.ticked())
        self.dispose_button.setText(
            f"&Dispose of {count} record{'s' if count != 1 else ''}" if count
            else "&Dispose of ticked records")
        self.dispose_button.setEnabled(
            bool(count) and self.confirm.text().strip() == CONFIRM_WORD)

    def dispose(self) -> None:
        """Destroy the ticked records off the GUI thread; the VACUUM that follows rewrites
        the whole file, so progress shows meanwhile and the dialog waits for it to end."""
        if self.busy():
            return  # already running: the button is disabled, this is a second click
        ids = self.ticked()
        if not ids or self.confirm.text().strip() != CONFIRM_WORD:
            self._show_outcome(f"Tick the records, then type {CONFIRM_WORD} to confirm.",
                               error=True)
            return
        vault, today = self._vault, self._today()
        self._set_busy(True)
        self.operation = run_with_progress(
            lambda report: retention.dispose(vault, ids, confirmed=True, today=today,
                                             progress=report),
            self._disposed, self._dispose_failed, self._progressed)
        self.operation.finished.connect(lambda: self._set_busy(False))

    def busy(self) -> bool:
        """True while a disposal runs (closing the dialog waits for it)."""
        return self.operation is not None and self.operation.running

    def _set_busy(self, busy: bool) -> None:
        if not shiboken6.isValid(self):
            return
        for widget in (self.table, self.select_all, self.select_none, self.confirm,
                       self.remove_people_button, self.close_buttons):
            widget.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.progress_text.setVisible(busy)
        if busy:
            self.dispose_button.setEnabled(False)
            self.progress.setValue(0)
            self.progress_text.setText("Starting the disposal…")
        else:
            self._update_button()

    def _progressed(self, fraction: float, text: str) -> None:
        if shiboken6.isValid(self):
            self.progress.setValue(round(fraction * 100))
            self.progress_text.setText(text)

    def _dispose_failed(self, exc: Exception) -> None:
        if shiboken6.isValid(self):
            self._show_outcome(describe(exc), error=True)
            self.refresh()  # records destroyed before a failing scrub are gone

    def _disposed(self, outcome: retention.DisposalOutcome) -> None:
        if not shiboken6.isValid(self):
            return
        self.confirm.clear()
        count = len(outcome.disposed)
        text = f"{count} record{'s were' if count != 1 else ' was'} destroyed and added to " \
               "the disposal report."
        self._orphans = outcome.people_without_records
        if self._orphans:
            names = ", ".join(f"{name} ({KIND_LABELS.get(kind, kind)})"
                              for _id, name, kind in self._orphans)
            text += f" No records are left about: {names}. Their names and details are " \
                    "still in the vault; remove them too if they are no longer needed."
            self.remove_people_button.setText(
                f"&Remove {len(self._orphans)} "
                f"{'people' if len(self._orphans) != 1 else 'person'} with no records left")
        self.remove_people_button.setVisible(bool(self._orphans))
        self._show_outcome(text)
        self.refresh()
        self.disposed.emit(count)

    def reject(self) -> None:
        """Close, unless a disposal is still running: it is never left half-done."""
        if self.busy():
            self._show_outcome("The disposal is still running. The window can be closed "
                               "when it has finished.", error=True)
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self.busy():
            event.ignore()
            self.reject()  # says why
            return
        super().closeEvent(event)

    def remove_people(self) -> None:
        removed = []
        for person_id, name, _kind in self._orphans:
            try:
                people.remove_person(self._vault, person_id)
            except UserError as exc:
                self._show_outcome(describe(exc), error=True)
                return
            removed.append(name)
        self._orphans = ()
        self.remove_people_button.hide()
        self._show_outcome(f"Removed: {', '.join(removed)}.")

    def _show_outcome(self, text: str, *, error: bool = False) -> None:
        self.outcome.setObjectName("error" if error else "")
        self.outcome.style().unpolish(self.outcome)
        self.outcome.style().polish(self.outcome)
        self.outcome.setText(text)
        self.outcome.show()

    # --- the report -------------------------------------------------------------------

    def _report_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(muted("Every record destroyed under a retention rule. The report "
                               "holds no content and no names."))
        self.report = _table(REPORT_COLUMNS, "Disposal report")
        layout.addWidget(self.report, 1)
        row = QHBoxLayout()
        self.export_csv_button = QPushButton("Export &CSV…")
        self.export_csv_button.clicked.connect(lambda: self._choose_export("csv"))
        self.export_pdf_button = QPushButton("Export &PDF…")
        self.export_pdf_button.clicked.connect(lambda: self._choose_export("pdf"))
        row.addWidget(self.export_csv_button)
        row.addWidget(self.export_pdf_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.report_status = muted("")
        layout.addWidget(self.report_status)
        return tab

    def _refresh_report(self) -> None:
        rows = retention.disposals(self._vault)
        self.report.setRowCount(len(rows))
        for number, item in enumerate(rows):
            cells = (local_time(item.disposed_at), item.disposed_by,
                     item.record_id[:8] + "…", item.template_id,
                     KIND_LABELS.get(item.subject_kind, item.subject_kind),
                     uk_date(item.session_date), str(item.versions),
                     uk_date(item.due_since), item.rule_id)
            items = [_item(text) for text in cells]
            for column, cell in enumerate(items):
                self.report.setItem(number, column, cell)
            record, rule = items[2], items[8]
            record.setData(Qt.ItemDataRole.UserRole, item.record_id)
            record.setToolTip(item.record_id)
            rule.setToolTip(item.rule_text)

    def _choose_export(self, kind: str) -> QFileDialog:
        start = Path.home() / f"disposal-report.{kind}"
        dialog = QFileDialog(self, "Save the disposal report", str(start),
                             "CSV files (*.csv)" if kind == "csv" else "PDF files (*.pdf)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(kind)
        dialog.fileSelected.connect(lambda name: self.export_report(Path(name)))
        dialog.open()
        return dialog

    def export_report(self, path: Path) -> None:
        try:
            if path.suffix.lower() == ".pdf":
                count = retention.write_report_pdf(self._vault, path)
            else:
                count = retention.write_report_csv(self._vault, path)
        except OSError as exc:
            self.report_status.setText(f"Could not write {path}: {exc.strerror}.")
            return
        self.report_status.setText(
            f"Wrote {count} disposal{'s' if count != 1 else ''} to {path}.")


def _menu(window: QMainWindow, title: str) -> QMenu:
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "") == title:
            return menu
    return window.menuBar().addMenu(f"&{title}")


def install(window: QMainWindow, vault: Vault) -> QAction:
    """Add "Retention review…" to the Vault menu."""

    def show() -> None:
        # leave an open record first: its pending edits are saved while it still exists
        back_to_list = getattr(window, "_back_to_list", None)
        if callable(back_to_list):
            back_to_list()
        dialog = RetentionDialog(vault, parent=window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if callable(back_to_list):  # the page shown lists what is left
            dialog.disposed.connect(lambda _count: back_to_list())
        window.retention_dialog = dialog  # type: ignore[attr-defined]  # for tests
        dialog.open()

    action = QAction("Retention &review…", window)
    action.triggered.connect(show)
    menu = _menu(window, "Vault")
    menu.addSeparator()
    menu.addAction(action)
    return action
