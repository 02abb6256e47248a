"""One person's page: their details, their records, a button to start a new one, and
the subject access disclosure of all held about them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.domain.people import KIND_LABELS
from supervision_desktop.services import records
from supervision_desktop.services.people import PersonView
from supervision_desktop.services.transfer import TRANSFERABLE_KINDS
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.columns import sorting_proxy
from supervision_desktop.ui.common.record_table import RecordTable
from supervision_desktop.ui.common.table_models import RecordsTableModel
from supervision_desktop.ui.common.widgets import heading, muted
from supervision_desktop.ui.people.disclosure_dialog import DisclosureDialog
from supervision_desktop.ui.people.person_editor import PERSON_FIELDS, display_value
from supervision_desktop.ui.people.transfer_bundle import TransferButton


def _plain(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class PersonPage(QWidget):
    open_record_requested = Signal(str)
    new_record_requested = Signal(str)  # person id
    edit_requested = Signal(str)  # person id

    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self.certificates: list[QLabel] = []
        self.person: PersonView | None = None

        self.name = heading("")
        self.kind = muted("")
        self.new_button = QPushButton("New &supervision…")
        self.new_button.setAccessibleName("New supervision record about this person")
        self.new_button.clicked.connect(self._new_record)
        self.edit_button = QPushButton("&Edit details…")
        self.edit_button.setAccessibleName("Edit this person's details")
        self.edit_button.clicked.connect(self._edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.edit_button)
        self.transfer_button = TransferButton(vault, lambda: self.person)
        buttons.addWidget(self.transfer_button)
        self.disclosure_button = QPushButton("Subject access &disclosure…")
        self.disclosure_button.setAccessibleName(
            "Subject access disclosure: one signed PDF of all held about this person")
        self.disclosure_button.setToolTip(
            "Review the names to redact, then write one signed PDF of everything held about "
            "this person")
        self.disclosure_button.clicked.connect(self.open_disclosure)
        buttons.addWidget(self.disclosure_button)
        buttons.addStretch(1)
        self.dialog: QDialog | None = None  # the disclosure dialog last opened

        self.details = QFormLayout()
        self.details.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.details.setVerticalSpacing(4)
        self.values: dict[str, QLabel] = {}

        self.model = RecordsTableModel(self)
        self.proxy = sorting_proxy(self.model, RecordsTableModel.SORT_ROLE)
        self.table = RecordTable()
        self.table.setAccessibleName("This person's records")
        self.table.setModel(self.proxy)
        self.table.setColumnHidden(RecordsTableModel.ABOUT, True)
        self.table.stretch(RecordsTableModel.TEMPLATE)
        self.table.sortByColumn(RecordsTableModel.DATE, Qt.SortOrder.DescendingOrder)
        self.table.open_requested.connect(self.open_record_requested.emit)
        self.no_records = muted("")
        self.no_records.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.records_stack = QStackedWidget()
        self.records_stack.addWidget(self.table)
        self.records_stack.addWidget(self.no_records)

        records_heading = QLabel("Records")
        records_heading.setObjectName("subheading")
        records_heading.setStyleSheet("font-weight: 600; margin-top: 10px;")

        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(self.kind)
        layout.addLayout(self.details)
        layout.addLayout(buttons)
        layout.addWidget(records_heading)
        layout.addWidget(self.records_stack, 1)
        QWidget.setTabOrder(self.new_button, self.edit_button)
        QWidget.setTabOrder(self.edit_button, self.table)

    def show_person(self, person: PersonView) -> None:
        self.person = person
        self.name.setText(person.name)
        self.kind.setText(KIND_LABELS.get(person.kind, person.kind))
        self.transfer_button.setVisible(person.kind in TRANSFERABLE_KINDS)
        while self.details.rowCount():
            self.details.removeRow(0)
        self.values = {}
        for spec in PERSON_FIELDS.get(person.kind, ()):
            if spec.key == "name":
                continue
            shown = display_value(spec, person.details.get(spec.key))
            value = _plain(shown or "Not recorded")
            if not shown:
                value.setObjectName("muted")
            value.setAccessibleName(spec.label)
            self.values[spec.key] = value
            label = _plain(f"{spec.label}:")
            label.setWordWrap(False)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.details.addRow(label, value)
        self._show_certificates(person.id)
        self.reload_records()

    def _show_certificates(self, person_id: str) -> None:
        """The certificates this vault accepts for the person, to compare by phone."""
        from supervision_desktop.services.known_signers import HOW_LABELS, signers_of

        self.certificates = []
        for pinned in signers_of(self._vault, person_id):
            value = _plain(f"{pinned.words}\n{HOW_LABELS.get(pinned.accepted_how, '')}, "
                           f"since {uk_date(pinned.first_seen)}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName("Certificate fingerprint")
            self.certificates.append(value)
            label = _plain("Certificate fingerprint:")
            label.setWordWrap(False)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.details.addRow(label, value)

    def reload_records(self) -> None:
        if self.person is None:
            return
        found = records.list_records(self._vault, subject_id=self.person.id)
        self.model.set_rows(found)
        if found:
            self.records_stack.setCurrentWidget(self.table)
        else:
            self.no_records.setText(
                f"No records about {self.person.name} yet. "
                "Choose New supervision… to start one."
            )
            self.records_stack.setCurrentWidget(self.no_records)

    def _new_record(self) -> None:
        if self.person is not None:
            self.new_record_requested.emit(self.person.id)

    def open_disclosure(self) -> DisclosureDialog | None:
        """The subject access disclosure dialog for the person shown (not blocking)."""
        if self.person is None:
            return None
        dialog = DisclosureDialog(self._vault, self.person.id, self.person.name,
                                  parent=self.window())
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _edit(self) -> None:
        if self.person is not None:
            self.edit_requested.emit(self.person.id)
