"""Subject access disclosure from a person's page (issue 20): the GUI for ``disclose``.

The dialog first asks ``services.disclosure.review`` (off the GUI thread: it reads every
record) what would be disclosed and which other people's names and ids it proposes to
take out, then lists each proposal with a tick box: ticked, it is redacted (the default);
unticked, it stays in the text. The worker reviews each one. "Write signed disclosure"
calls ``disclose`` with the unticked names as ``keep``, off the GUI thread, and says
where the file went, how many items and redactions, and what was withheld, as the
command line does. Nothing here decides what is redacted: the services do.

Unticking a person's full name keeps all their names (``domain.redaction.kept_terms``):
the rows that keeps too show unticked and cannot be ticked until the full name is.

Shown with ``open()``; the folder is asked through ``common.dialogs.ask_folder`` so tests
can answer it. Every text shown is plain: a name is never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain import redaction
from supervision_desktop.domain.redaction import Term
from supervision_desktop.services import disclosure
from supervision_desktop.services.disclosure import DisclosureResult, Redaction
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common import dialogs
from supervision_desktop.ui.common.background import run_in_background
from supervision_desktop.ui.common.dialog_parts import plain
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import heading, muted

COLUMNS = ("Name or id", "Kind", "Whose", "Times", "In items")
NAME, KIND, WHOSE, TIMES, ITEMS = range(len(COLUMNS))
KIND_WORDS = {redaction.FULL_NAME: "Full name", redaction.FIRST_NAME: "First name",
              redaction.VAULT_ID: "Vault id", redaction.CASE_ID: "Case id"}
WRITE_TEXT = "&Write signed disclosure"
NOTHING_PROPOSED = ("Nothing is proposed for redaction: no one else this vault holds is "
                    "named in what would be disclosed.")


def _plural(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def contents(result: DisclosureResult) -> str:
    """What the bundle holds: its items by kind, and what is left out of it."""
    if result.items == 0:
        return "Nothing is held about this person; the file will say so."
    parts = [_plural(count, one) for count, one in (
        (result.records, "record"), (result.responses, "carer response"),
        (result.drafts, "draft"), (result.notes, "note"), (result.actions, "action")) if count]
    listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    lines = [f"{_plural(result.items, 'item')} will be disclosed: {listed}."]
    if result.drafts == 1:
        lines.append("The draft is listed without its text: finalise it and disclose again "
                     "to include it.")
    elif result.drafts:
        lines.append("The drafts are listed without their text: finalise them and disclose "
                     "again to include it.")
    if result.signatures_left_out:
        lines.append(f"{_plural(result.signatures_left_out, 'drawn signature')} of other "
                     "people will not be reproduced.")
    return "\n".join(lines)


def written(result: DisclosureResult) -> str:
    """The command line's sentences after writing, and what was kept or withheld."""
    lines = [f"Wrote {result.path} (signed): {_plural(result.items, 'item')}, "
             f"{_plural(result.redacted, 'redaction')}."]
    if result.items == 0:
        lines.append("Nothing is held about this person; the file says so.")
    if result.drafts:
        lines.append(f"{result.drafts} draft(s) listed without their text: finalise them and "
                     "disclose again to include it.")
    if result.signatures_left_out:
        lines.append(f"{result.signatures_left_out} drawn signature(s) of other people not "
                     "reproduced.")
    redacted = [r for r in result.redactions if not r.kept]
    if redacted:
        lines.append(f"Withheld: {_plural(len(redacted), 'name or id', 'names and ids')} of "
                     f"{_plural(len({r.whose for r in redacted}), 'other person', 'other people')}"
                     ", replaced by [redacted].")
    kept = [r.name for r in result.redactions if r.kept]
    if kept:
        lines.append(f"Kept in the text, as you chose: {', '.join(kept)}.")
    lines.append("A copy is kept in the vault (Signed documents) and the disclosure is "
                 "logged. Read the PDF before it is released: names this vault does not "
                 "hold, misspellings and nicknames cannot be found.")
    return "\n".join(lines)


def _item(text: str, name: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)  # an item's text is always plain
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if name:
        item.setData(Qt.ItemDataRole.AccessibleTextRole, name)
    return item


class ProposalsTable(QTableWidget):
    """The proposals, one row each; Space ticks or unticks the current row's box."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space and self.currentRow() >= 0:
            tick = self.item(self.currentRow(), NAME)
            if tick is not None and tick.flags() & Qt.ItemFlag.ItemIsEnabled:
                tick.setCheckState(Qt.CheckState.Unchecked
                                   if tick.checkState() == Qt.CheckState.Checked
                                   else Qt.CheckState.Checked)
            event.accept()
            return
        super().keyPressEvent(event)


class DisclosureDialog(QDialog):
    """Review the proposed redactions for one person and write the signed disclosure."""

    reviewed = Signal(object)  # DisclosureResult of the review
    disclosed = Signal(object)  # DisclosureResult of the file written
    failed = Signal(str)  # the message shown

    def __init__(self, vault: Vault, person_id: str, person_name: str, *,
                 folder: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._person_id = person_id
        self._busy = False
        self._writing = False
        self._proposals: tuple[Redaction, ...] = ()
        self._chosen: list[bool] = []  # the worker's own tick per row (True: redact)
        self.proposed: DisclosureResult | None = None  # the review, once it is done
        self.bundle: DisclosureResult | None = None  # the disclosure, once written
        self.folder = folder or dialogs.documents_folder()
        self.setWindowTitle("Subject access disclosure")
        self.resize(860, 640)
        layout = QVBoxLayout(self)
        self.title = heading(f"Subject access disclosure: {person_name}")
        layout.addWidget(self.title)
        layout.addWidget(plain(
            "Everything this vault holds about the person goes into one signed PDF with an "
            "index (UK GDPR Art. 15). Other people's names and ids are taken out of the text "
            "before the PDF is made. Check each proposal below: untick one to leave it in "
            "the text, for example a name the person already knows."))

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy, no percentage
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Working")
        layout.addWidget(self.progress)
        self.summary = plain("Looking through the vault…")
        self.summary.setAccessibleName("What will be disclosed")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)

        proposals_label = QLabel("&Proposed redactions: each ticked name or id is taken out "
                                 "of the text; an unticked one stays in")
        proposals_label.setTextFormat(Qt.TextFormat.PlainText)
        proposals_label.setObjectName("subheading")
        layout.addWidget(proposals_label)
        self.table = ProposalsTable(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Proposed redactions")
        self.table.setAccessibleDescription(
            "Ticked: redacted. Unticked: kept in the text. Space ticks or unticks a row.")
        items_header = self.table.horizontalHeaderItem(ITEMS)
        if items_header is not None:
            items_header.setToolTip("The items' numbers in the PDF's index")
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        metrics = header.fontMetrics()  # a heading is never narrower than its word
        header.setMinimumSectionSize(
            max(metrics.horizontalAdvance(c) for c in COLUMNS[KIND:ITEMS]) + 24)
        header.setSectionResizeMode(ITEMS, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._ticked)
        proposals_label.setBuddy(self.table)
        self.nothing_proposed = muted(NOTHING_PROPOSED)
        self.nothing_proposed.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.proposals_stack = QStackedWidget()
        self.proposals_stack.addWidget(self.table)
        self.proposals_stack.addWidget(self.nothing_proposed)
        layout.addWidget(self.proposals_stack, 1)
        layout.addWidget(muted(
            "Only the names and ids of people this vault holds can be found: names it does "
            "not hold, misspellings, nicknames and a surname written alone stay in. Read "
            "the PDF before it is released."))

        folder_row = QHBoxLayout()
        self.folder_edit = QLineEdit(str(self.folder))
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setAccessibleName("Folder for the disclosure PDF")
        self.choose_button = QPushButton("&Choose…")
        self.choose_button.setAccessibleName("Choose the folder for the disclosure PDF")
        self.choose_button.clicked.connect(
            lambda: dialogs.ask_folder(self, self.folder, self.set_folder))
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.choose_button)
        form = QFormLayout()
        save_in = QLabel("Save &in")
        save_in.setBuddy(self.choose_button)
        form.addRow(save_in, folder_row)
        layout.addLayout(form)

        self.error = plain(name="error")
        self.error.setAccessibleName("Problem")
        self.error.hide()
        layout.addWidget(self.error)
        self.outcome = plain(name="notice")
        self.outcome.setAccessibleName("Disclosure written")
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.hide()
        layout.addWidget(self.outcome)

        buttons = QDialogButtonBox()
        self.write_button = buttons.addButton(WRITE_TEXT, QDialogButtonBox.ButtonRole.AcceptRole)
        self.write_button.setAccessibleName("Write the signed disclosure PDF")
        self.open_button = buttons.addButton("&Open folder",
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setAccessibleName("Open the folder the disclosure was written in")
        self.open_button.hide()
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button.setAccessibleName("Close without writing")
        self.write_button.setDefault(True)
        self.write_button.clicked.connect(self.start)
        self.open_button.clicked.connect(self._open_folder)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self._set_busy(True)
        self._review()

    # --- the review ---------------------------------------------------------------------

    def _review(self) -> None:
        vault, person_id = self._vault, self._person_id
        run_in_background(lambda: disclosure.review(vault, person_id), self._reviewed,
                          self._failed)

    def _reviewed(self, result: DisclosureResult) -> None:
        if not shiboken6.isValid(self):  # closed meanwhile
            return
        self._set_busy(False)
        self.proposed = result
        self.summary.setText(contents(result))
        self._show_proposals(result.redactions)
        self.write_button.setDefault(True)  # Enter writes, from the table too
        self.table.setFocus()
        self.reviewed.emit(result)

    def _show_proposals(self, proposals: Sequence[Redaction]) -> None:
        self._proposals = tuple(proposals)
        self._chosen = [not p.kept for p in proposals]
        self.table.blockSignals(True)
        self.table.setRowCount(len(proposals))
        for row, proposal in enumerate(proposals):
            kind = KIND_WORDS.get(proposal.kind, proposal.kind.capitalize())
            tick = _item(proposal.name, f"Redact {proposal.name} ({kind.lower()})")
            tick.setFlags(tick.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            self.table.setItem(row, NAME, tick)
            self.table.setItem(row, KIND, _item(kind))
            self.table.setItem(row, WHOSE, _item(proposal.whose))
            self.table.setItem(row, TIMES, _item(str(proposal.count)))
            self.table.setItem(row, ITEMS, _item(", ".join(map(str, proposal.items))))
        self.table.blockSignals(False)
        self._show_ticks()
        self.proposals_stack.setCurrentWidget(self.table if proposals
                                              else self.nothing_proposed)
        if proposals:
            self.table.setCurrentCell(0, NAME)

    def keep(self) -> list[str]:
        """The names the worker unticked: what ``disclose`` is asked to keep."""
        return [p.name for p, redact in zip(self._proposals, self._chosen, strict=True)
                if not redact]

    def _kept_with(self, row: int, keep: Sequence[str]) -> bool:
        """Whether keeping ``keep`` keeps the row's words (the service's own rule)."""
        proposal = self._proposals[row]
        kept, _unknown = redaction.kept_terms(
            [Term(proposal.name, proposal.kind, proposal.whose)], keep)
        return bool(kept)

    def _ticked(self, item: QTableWidgetItem) -> None:
        if item.column() != NAME or not (item.flags() & Qt.ItemFlag.ItemIsEnabled):
            return
        self._chosen[item.row()] = item.checkState() == Qt.CheckState.Checked
        self._show_ticks()

    def _show_ticks(self) -> None:
        """Each row as it will be done: a row kept by another row's full name shows
        unticked and cannot be ticked until that one is."""
        keep = self.keep()
        self.table.blockSignals(True)
        for row, proposal in enumerate(self._proposals):
            tick = self.table.item(row, NAME)
            if tick is None:
                continue
            redact = self._chosen[row]
            carried = redact and self._kept_with(row, keep)
            tick.setCheckState(Qt.CheckState.Checked if redact and not carried
                               else Qt.CheckState.Unchecked)
            flags = tick.flags()
            tick.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled if carried
                          else flags | Qt.ItemFlag.ItemIsEnabled)
            tick.setToolTip(f"Kept with {proposal.whose}'s full name" if carried else
                            "Ticked: redacted. Unticked: kept in the text.")
        self.table.blockSignals(False)

    # --- writing ------------------------------------------------------------------------

    def set_folder(self, folder: Path) -> None:
        self.folder = folder
        self.folder_edit.setText(str(folder))

    def start(self) -> None:
        """Write the signed disclosure in the background; the dialog is busy meanwhile."""
        if self._busy or self.proposed is None or self.bundle is not None:
            return
        vault, person_id, folder, keep = self._vault, self._person_id, self.folder, self.keep()
        self._set_busy(True, writing=True)
        self.error.hide()
        run_in_background(lambda: disclosure.disclose(vault, person_id, folder, keep=keep),
                          self._done, self._failed)

    def _set_busy(self, busy: bool, *, writing: bool = False) -> None:
        self._busy = busy
        self._writing = busy and writing
        self.progress.setVisible(busy)
        self.progress.setAccessibleName("Signing and saving" if writing else "Working")
        for widget in (self.write_button, self.choose_button, self.table):
            widget.setEnabled(not busy)
        self.close_button.setEnabled(not self._writing)
        self.write_button.setText("Signing…" if writing and busy else WRITE_TEXT)

    def _done(self, result: DisclosureResult) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        self.bundle = result
        self._show_proposals(result.redactions)  # as done: kept or redacted
        self.table.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.outcome.setText(written(result))
        self.outcome.show()
        self.write_button.hide()
        self.open_button.show()
        self.close_button.setText("Close")
        self.close_button.setAccessibleName("Close")
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        self.disclosed.emit(result)

    def _failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        if self.proposed is not None:
            message = f"Nothing was written: {describe(exc)}"
            self.write_button.setDefault(True)
            self.choose_button.setFocus()  # most often the way on: another folder
        else:  # the review failed: there is nothing to write
            message = f"The disclosure could not be prepared: {describe(exc)}"
            self.summary.setText("")
            self.write_button.setEnabled(False)
            self.table.setEnabled(False)
            self.close_button.setFocus()
        self.error.setText(message)
        self.error.show()
        self.failed.emit(message)

    def _open_folder(self) -> None:
        if self.bundle is not None and self.bundle.path is not None:
            dialogs.open_folder(self.bundle.path.parent)

    def reject(self) -> None:
        if not self._writing:  # a half-written disclosure is never left behind by closing
            super().reject()
