"""The records list: every record in the vault, filtered by person, template, status and date.

Listing is fast (no record content is read), so the view queries on every filter change.
Opening a record (double-click or Enter) is asked of the main window by signal.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.people import KIND_LABELS
from supervision_desktop.domain.records import RecordStatus
from supervision_desktop.domain.templates import Template, TemplateCatalogue
from supervision_desktop.services import people, records
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.list_page import ListPage
from supervision_desktop.ui.common.table_models import RecordsTableModel
from supervision_desktop.ui.common.widgets import heading, muted, picked_date, today

NO_RECORDS = "No records yet. Choose New record… to start one."
NO_MATCHES = "No records match these filters. Choose Clear filters to see them all."


def _template_label(template_title: str, organisation: str) -> str:
    return f"{template_title} · {organisation}" if organisation else template_title


class RecordsView(ListPage[records.RecordSummary]):
    new_record_requested = Signal()

    def __init__(
        self, vault: Vault, catalogue: TemplateCatalogue, parent: QWidget | None = None,
        *, load: bool = True,
    ) -> None:
        """``load=False`` leaves the list empty until `refresh` (the main window refreshes
        a page as it shows it: no reading every record at unlock)."""
        super().__init__(
            RecordsTableModel(), name="Records", ident=lambda r: r.id, empty=NO_RECORDS,
            sort=(RecordsTableModel.DATE, Qt.SortOrder.DescendingOrder),
            sorts_itself=True,  # fast on years of records
            stretch=RecordsTableModel.TEMPLATE, widest=None, parent=parent)
        self._vault = vault
        self._catalogue = catalogue

        self.new_button = QPushButton("&New record…")
        self.new_button.setAccessibleName("New record")
        self.new_button.clicked.connect(self.new_record_requested.emit)
        top = QHBoxLayout()
        top.addWidget(heading("Records"), 1)
        top.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignTop)

        self.person = self._combo("Person filter")
        self.template = self._combo("Template filter", minimum_characters=32)
        self.status = self._combo("Status filter")
        self.status.addItem("Any status", None)
        for status in RecordStatus:
            self.status.addItem(status.label, status.value)
        now = today()
        self.use_from, self.date_from = self._date_filter("F&rom", now.addMonths(-3))
        self.use_to, self.date_to = self._date_filter("&To", now)
        self.clear_button = QPushButton("&Clear filters")
        self.clear_button.clicked.connect(self.clear_filters)

        filters = QGridLayout()
        filters.setHorizontalSpacing(8)
        for column, (text, widget) in enumerate(
            (("&Person", self.person), ("Te&mplate", self.template), ("&Status", self.status))
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label, 0, column * 2)
            filters.addWidget(widget, 0, column * 2 + 1)
        dates = QHBoxLayout()
        for check, edit in ((self.use_from, self.date_from), (self.use_to, self.date_to)):
            dates.addWidget(check)
            dates.addWidget(edit)
            dates.addSpacing(12)
        dates.addStretch(1)
        dates.addWidget(self.clear_button)
        filters.addLayout(dates, 1, 0, 1, 6)
        filters.setColumnStretch(3, 2)
        filters.setColumnStretch(1, 1)

        self.count = muted("")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.count)
        for first, second in (
            (self.new_button, self.person), (self.person, self.template),
            (self.template, self.status), (self.status, self.use_from),
            (self.use_from, self.date_from), (self.date_from, self.use_to),
            (self.use_to, self.date_to), (self.date_to, self.clear_button),
            (self.clear_button, self.table),
        ):
            QWidget.setTabOrder(first, second)

        if load:
            self.refresh()
        for combo in (self.person, self.template, self.status):
            combo.currentIndexChanged.connect(self.reload)
        for check, edit in ((self.use_from, self.date_from), (self.use_to, self.date_to)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self.reload)
            edit.dateChanged.connect(self.reload)

    # --- building ----------------------------------------------------------------------

    @staticmethod
    def _combo(name: str, minimum_characters: int = 18) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(minimum_characters)
        return combo

    @staticmethod
    def _date_filter(text: str, initial: QDate) -> tuple[QCheckBox, QDateEdit]:
        plain = text.replace("&", "")
        check = QCheckBox(text)
        check.setAccessibleName(f"Only records dated {plain.lower()} a date")
        edit = QDateEdit(initial)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setCalendarPopup(True)
        edit.setEnabled(False)
        edit.setAccessibleName(f"{plain} date")
        return check, edit

    # --- filters -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the filter choices (people and templates may have changed) and the list."""
        everything = records.list_records(self._vault)
        self._fill(
            self.person,
            "All people",
            [
                (p.id, f"{p.name} ({KIND_LABELS.get(p.kind, p.kind)})")
                for p in people.list_people(self._vault)
            ],
        )
        self._fill(self.template, "All templates", self._template_choices(everything))
        if self.filtering():
            self.reload()
        else:
            self._show_records(everything)  # every record: just read above

    def _template_choices(self, everything: list[records.RecordSummary]) -> list[tuple[str, str]]:
        shipped: dict[str, Template] = {t.id: t for t in self._catalogue.templates}
        choices = {
            t.id: _template_label(t.title, t.source.organisation) for t in shipped.values()
        }
        for summary in everything:  # templates no longer shipped still have records
            choices.setdefault(summary.template_id, summary.template_title)
        return sorted(choices.items(), key=lambda item: item[1].casefold())

    @staticmethod
    def _fill(combo: QComboBox, everyone: str, choices: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everyone, None)
        for key, text in choices:
            combo.addItem(text, key)
        found = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)

    def clear_filters(self) -> None:
        for widget in (self.person, self.template, self.status, self.use_from, self.use_to):
            widget.blockSignals(True)
        for combo in (self.person, self.template, self.status):
            combo.setCurrentIndex(0)
        for check, edit in ((self.use_from, self.date_from), (self.use_to, self.date_to)):
            check.setChecked(False)
            edit.setEnabled(False)
        for widget in (self.person, self.template, self.status, self.use_from, self.use_to):
            widget.blockSignals(False)
        self.reload()

    def filtering(self) -> bool:
        """Whether any filter narrows the list."""
        combos = (self.person, self.template, self.status)
        return any(c.currentIndex() > 0 for c in combos) or (
            self.use_from.isChecked() or self.use_to.isChecked()
        )

    def _date(self, check: QCheckBox, edit: QDateEdit) -> dt.date | None:
        if not check.isChecked():
            return None
        return picked_date(edit)

    def reload(self) -> None:
        """Query the records that match the filters and show them."""
        found = records.list_records(
            self._vault,
            subject_id=self.person.currentData(),
            template_id=self.template.currentData(),
            status=RecordStatus(status) if (status := self.status.currentData()) else None,
            date_from=self._date(self.use_from, self.date_from),
            date_to=self._date(self.use_to, self.date_to),
        )
        self._show_records(found)

    def _show_records(self, found: list[records.RecordSummary]) -> None:
        self.show_rows(found, NO_MATCHES if self.filtering() else NO_RECORDS)
        total = "1 record" if len(found) == 1 else f"{len(found)} records"
        self.count.setText(f"{total} shown")
