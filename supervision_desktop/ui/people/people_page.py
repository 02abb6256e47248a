"""The People page: everyone records are about, and the chosen person's page beside them.

Supervisees, foster carer households and children are listed together or by kind;
choosing one shows their details and records on the right.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.people import KIND_LABELS
from supervision_desktop.domain.templates import TemplateCatalogue
from supervision_desktop.errors import NotFound
from supervision_desktop.services import people
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.columns import sorting_proxy
from supervision_desktop.ui.common.table_models import PeopleTableModel
from supervision_desktop.ui.common.widgets import heading, list_or_empty, muted
from supervision_desktop.ui.people.person_editor import PersonDialog
from supervision_desktop.ui.people.person_page import PersonPage

NO_PEOPLE = (
    "No people yet. Choose Add person… to add a supervisee, "
    "a foster carer household or a child."
)
NO_PEOPLE_OF_KIND = "Nobody of this kind yet. Choose Add person… to add one."
CHOOSE_PERSON = "Choose a person on the left to see their details and records."


class PeopleView(QWidget):
    open_record_requested = Signal(str)
    new_record_for_person = Signal(str)  # person id

    def __init__(
        self, vault: Vault, catalogue: TemplateCatalogue, parent: QWidget | None = None,
        *, load: bool = True,
    ) -> None:
        """``load=False`` leaves the list empty until `refresh` (the main window refreshes
        a page when it is shown, so the list is not read twice, nor at unlock)."""
        super().__init__(parent)
        self._vault = vault
        self._catalogue = catalogue  # kept for symmetry with RecordsView; pages may use it
        self.editor: PersonDialog | None = None

        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName("Show people of kind")
        self.kind_filter.addItem("Everyone", None)
        for value, label in KIND_LABELS.items():
            self.kind_filter.addItem(label, value)
        self.add_button = QPushButton("&Add person…")
        self.add_button.setAccessibleName("Add person")
        self.add_button.clicked.connect(self.add_person)
        show_label = QLabel("S&how")
        show_label.setBuddy(self.kind_filter)
        top = QHBoxLayout()
        top.addWidget(show_label)
        top.addWidget(self.kind_filter, 1)
        top.addWidget(self.add_button)

        self.model = PeopleTableModel(self)
        self.proxy = sorting_proxy(self.model, PeopleTableModel.SORT_ROLE)
        self.table = QTableView()
        self.table.setAccessibleName("People")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(PeopleTableModel.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PeopleTableModel.KIND, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PeopleTableModel.DETAILS, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.resizeSection(PeopleTableModel.DETAILS, 190)  # names get the room
        self.table.sortByColumn(PeopleTableModel.NAME, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.no_people = muted(NO_PEOPLE)
        self.list_stack = list_or_empty(self.table, self.no_people)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.list_stack, 1)

        self.page = PersonPage(vault)
        self.page.open_record_requested.connect(self.open_record_requested.emit)
        self.page.new_record_requested.connect(self.new_record_for_person.emit)
        self.page.edit_requested.connect(self.edit_person)
        self.choose = muted(CHOOSE_PERSON)
        self.choose.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_stack = QStackedWidget()
        self.page_stack.addWidget(self.choose)
        self.page_stack.addWidget(self.page)

        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(self.page_stack)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([560, 540])

        layout = QVBoxLayout(self)
        layout.addWidget(heading("People"))
        layout.addWidget(splitter, 1)
        QWidget.setTabOrder(self.kind_filter, self.add_button)
        QWidget.setTabOrder(self.add_button, self.table)
        QWidget.setTabOrder(self.table, self.page.new_button)

        self.kind_filter.currentIndexChanged.connect(lambda: self.refresh())
        if load:
            self.refresh()

    # --- the list ----------------------------------------------------------------------

    def selected_person_id(self) -> str | None:
        return self.page.person.id if self.page.person is not None else None

    def refresh(self, select: str | None = None) -> None:
        """Reload the list and the person shown (their details or records may have changed)."""
        keep = select or self.selected_person_id()
        kind = self.kind_filter.currentData()
        everyone = people.list_people(self._vault, kind)
        self.table.setColumnHidden(PeopleTableModel.KIND, kind is not None)
        self.model.set_rows(everyone)
        if everyone:
            self.list_stack.setCurrentWidget(self.table)
        else:
            self.no_people.setText(NO_PEOPLE if kind is None else NO_PEOPLE_OF_KIND)
            self.list_stack.setCurrentWidget(self.no_people)
        if keep is not None and self.model.row_of(keep) >= 0:
            self.select_person(keep)
        else:
            self._show(None)

    def select_person(self, person_id: str) -> None:
        """Select person_id in the list (if shown there) and show their page."""
        row = self.model.row_of(person_id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            self.table.setCurrentIndex(index)
            self.table.selectRow(index.row())
        self._show(person_id)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """The current row is the person shown, however it was reached (mouse, arrows, Tab)."""
        if not current.isValid():
            return
        if not self.table.selectionModel().isRowSelected(current.row()):
            self.table.selectRow(current.row())
        self._show(self.model.row_at(self.proxy.mapToSource(current).row()).id)

    def _show(self, person_id: str | None) -> None:
        if person_id is None:
            self.page.person = None
            self.page_stack.setCurrentWidget(self.choose)
            return
        if self.page.person is not None and self.page.person.id == person_id:
            self.page.reload_records()
            self.page_stack.setCurrentWidget(self.page)
            return
        try:
            person = people.get_person(self._vault, person_id)
        except NotFound:
            self._show(None)
            return
        self.page.show_person(person)
        self.page_stack.setCurrentWidget(self.page)

    # --- adding and editing ------------------------------------------------------------

    def add_person(self) -> PersonDialog:
        """Open the Add person dialog (for the kind being shown, if any)."""
        dialog = PersonDialog(self._vault, kind=self.kind_filter.currentData(), parent=self)
        return self._open(dialog)

    def edit_person(self, person_id: str) -> PersonDialog | None:
        try:
            person = people.get_person(self._vault, person_id)
        except NotFound:
            self.refresh()
            return None
        return self._open(PersonDialog(self._vault, person, parent=self))

    def _open(self, dialog: PersonDialog) -> PersonDialog:
        dialog.person_saved.connect(self._saved)
        dialog.finished.connect(dialog.deleteLater)
        self.editor = dialog
        dialog.open()
        return dialog

    def _saved(self, person_id: str) -> None:
        kind = self.kind_filter.currentData()
        if kind is not None and people.get_person(self._vault, person_id).kind != kind:
            self.kind_filter.blockSignals(True)
            self.kind_filter.setCurrentIndex(0)  # so the new person is in the list
            self.kind_filter.blockSignals(False)
        self.page.person = None  # their details changed: rebuild the page
        self.refresh(select=person_id)
