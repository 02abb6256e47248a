"""Starting a record: which template, who it is about and the session date.

Templates are grouped by category with the organisation whose form it is beside each;
only people of the kind the template is about are offered. The dialog never blocks.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.people import KIND_LABELS
from supervision_desktop.domain.templates import Template, TemplateCatalogue
from supervision_desktop.errors import NotFound, UserError
from supervision_desktop.services import people, records
from supervision_desktop.services.people import PersonView
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.kept_input import DialogState, set_widget_values, widget_values
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import muted, picked_date, today

CATEGORY_LABELS: dict[str, str] = {
    "supervision": "Supervision records",
    "case_discussion": "Case discussions",
    "group_discussion": "Group and reflective discussions",
    "oversight": "Management oversight",
    "agreement": "Supervision agreements",
    "front_sheet": "Front sheets",
    "monitoring": "Monitoring",
}
KIND_PLURALS: dict[str, str] = {
    "supervisee": "supervisees",
    "carer": "foster carer households",
    "child": "children",
}
TEMPLATE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def template_label(template: Template) -> str:
    """How a template is named when its organisation matters: title · organisation."""
    return f"{template.title} · {template.source.organisation}"


class NewRecordDialog(QDialog):
    record_created = Signal(str)  # record id

    def __init__(
        self,
        vault: Vault,
        catalogue: TemplateCatalogue,
        person_id: str | None,
        parent: QWidget | None = None,
        *,
        audiences: tuple[str, ...] = ("staff", "both"),
    ) -> None:
        super().__init__(parent)
        self._vault = vault
        self._catalogue = catalogue
        self._audiences = audiences  # a carer's vault offers only carer-facing forms
        self._person = self._find(person_id)
        self.setWindowTitle("New record")
        self.setMinimumSize(880, 580)

        layout = QVBoxLayout(self)
        if self._person is not None:
            kind = KIND_LABELS[self._person.kind].lower()
            intro = (
                f"A record about {self._person.name} ({kind}). "
                "Choose the form to fill in and the date of the session."
            )
        else:
            intro = "Choose the form to fill in, who it is about and the date of the session."
        self.intro = muted(intro)
        layout.addWidget(self.intro)

        self.templates = QTreeWidget()
        self.templates.setAccessibleName("Template")
        self.templates.setColumnCount(2)
        self.templates.setHeaderLabels(["Template", "Organisation"])
        self.templates.setRootIsDecorated(False)
        self.templates.setUniformRowHeights(True)
        self.templates.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.templates.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 290)  # long names are elided; the full source shows below
        self._fill_templates()
        template_label_widget = QLabel("&Template")
        template_label_widget.setBuddy(self.templates)
        layout.addWidget(template_label_widget)
        layout.addWidget(self.templates, 1)
        self.source = muted("")
        layout.addWidget(self.source)

        self.subject = QComboBox()
        self.subject.setAccessibleName("About")
        self.subject.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.subject.setMinimumContentsLength(30)
        self.date = QDateEdit(today())
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setCalendarPopup(True)
        self.date.setAccessibleName("Session date")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        about_label = QLabel("&About")
        about_label.setBuddy(self.subject)
        date_label = QLabel("Session &date")
        date_label.setBuddy(self.date)
        form.addRow(about_label, self.subject)
        form.addRow(date_label, self.date)
        layout.addLayout(form)
        self.no_subject = muted("")
        self.no_subject.hide()
        layout.addWidget(self.no_subject)

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.create_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText("Create record")
        self.create_button.setDefault(True)
        buttons.accepted.connect(self.create_chosen)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.templates.currentItemChanged.connect(self._template_changed)
        self.subject.currentIndexChanged.connect(self._update_create)
        QWidget.setTabOrder(self.templates, self.subject)
        QWidget.setTabOrder(self.subject, self.date)
        first = self._first_template_item()
        if first is not None:
            self.templates.setCurrentItem(first)
        self._template_changed()
        self.templates.setFocus()

    # --- choices -----------------------------------------------------------------------

    def _find(self, person_id: str | None) -> PersonView | None:
        if person_id is None:
            return None
        try:
            return people.get_person(self._vault, person_id)
        except NotFound:
            return None

    def _offered(self) -> list[Template]:
        templates = [t for t in self._catalogue.templates if t.audience in self._audiences]
        if self._person is not None:
            templates = [t for t in templates if t.subject_kind == self._person.kind]
        return templates

    def _fill_templates(self) -> None:
        offered = self._offered()
        order = list(CATEGORY_LABELS)
        for category in sorted({t.category for t in offered}, key=order.index):
            group = QTreeWidgetItem([CATEGORY_LABELS[category]])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: arrow keys pass over it
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.templates.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            for template in sorted(
                (t for t in offered if t.category == category), key=lambda t: t.title.casefold()
            ):
                item = QTreeWidgetItem(group, [template.title, template.source.organisation])
                item.setData(0, TEMPLATE_ID_ROLE, template.id)
                item.setData(0, Qt.ItemDataRole.AccessibleTextRole, template_label(template))
            group.setExpanded(True)
        if not offered:
            who = KIND_LABELS[self._person.kind].lower() if self._person else "anyone"
            empty = QTreeWidgetItem([f"There is no template for a record about a {who}."])
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.templates.addTopLevelItem(empty)
            empty.setFirstColumnSpanned(True)

    def _template_items(self) -> list[QTreeWidgetItem]:
        """The template entries, group by group (the groups themselves left out)."""
        groups = (self.templates.topLevelItem(n) for n in range(self.templates.topLevelItemCount()))
        children = (group.child(n) for group in groups if group is not None
                    for n in range(group.childCount()))
        return [item for item in children if item is not None]

    def _first_template_item(self) -> QTreeWidgetItem | None:
        return next(iter(self._template_items()), None)

    def select_template(self, template_id: str) -> None:
        """Make template_id the chosen template (as a click on it would)."""
        for item in self._template_items():
            if item.data(0, TEMPLATE_ID_ROLE) == template_id:
                self.templates.setCurrentItem(item)
                return
        raise KeyError(template_id)

    def chosen_template(self) -> Template | None:
        item = self.templates.currentItem()
        template_id = item.data(0, TEMPLATE_ID_ROLE) if item is not None else None
        return self._catalogue.get(template_id) if template_id else None

    def _passed_heading(
        self, current: QTreeWidgetItem | None, previous: QTreeWidgetItem | None
    ) -> bool:
        """Move off a category heading to the template next to it; True if it moved."""
        if current is None or current.data(0, TEMPLATE_ID_ROLE) or not current.childCount():
            return False
        going_up = previous is not None and self.templates.itemBelow(current) is previous
        target = self.templates.itemAbove(current) if going_up else current.child(0)
        if target is None or not target.data(0, TEMPLATE_ID_ROLE):
            target = previous
        if target is None:
            return False
        self.templates.setCurrentItem(target)
        return True

    def _template_changed(
        self, current: QTreeWidgetItem | None = None, previous: QTreeWidgetItem | None = None
    ) -> None:
        if self._passed_heading(current, previous):
            return
        template = self.chosen_template()
        self.error.hide()
        if template is None:
            self.source.setText("")
            self._fill_subjects(None)
            return
        source = template.source
        self.source.setText(f"From {source.organisation}: {source.document_shown()}")
        self._fill_subjects(template)

    def _fill_subjects(self, template: Template | None) -> None:
        keep = self.subject.currentData() or (self._person.id if self._person else None)
        self.subject.blockSignals(True)
        self.subject.clear()
        self.no_subject.hide()
        kind = template.subject_kind if template is not None else "none"
        if kind == "none":
            self.subject.addItem(
                "Not about one person" if template is not None else "Choose a template first",
                None,
            )
            self.subject.setEnabled(False)
        else:
            offered = people.list_people(self._vault, kind)
            for person in offered:
                self.subject.addItem(person.name, person.id)
            self.subject.setEnabled(bool(offered))
            if offered:
                found = self.subject.findData(keep) if keep else -1
                self.subject.setCurrentIndex(max(found, 0))
            else:
                self.subject.addItem(f"No {KIND_PLURALS[kind]} yet", None)
                self.no_subject.setText(
                    f"This template is about one of your {KIND_PLURALS[kind]}. "
                    "Add them on the People page first."
                )
                self.no_subject.show()
        self.subject.blockSignals(False)
        self._update_create()

    def _update_create(self) -> None:
        template = self.chosen_template()
        ready = template is not None and (
            template.subject_kind == "none" or self.subject.currentData() is not None
        )
        self.create_button.setEnabled(ready)

    # --- kept over a lock (see kept_input) ---------------------------------------------

    def capture_state(self) -> DialogState:
        template = self.chosen_template()
        values = {"template": template.id if template else None,
                  **widget_values({"subject": self.subject, "date": self.date})}
        return DialogState("new_record", self.windowTitle(), values,
                           (self._person.id if self._person else None,))

    def restore_state(self, state: DialogState) -> None:
        template_id = state.values.get("template")
        if isinstance(template_id, str):
            # first: it fills the choice of people; one no longer offered leaves the first
            with contextlib.suppress(KeyError):
                self.select_template(template_id)
        set_widget_values({"subject": self.subject, "date": self.date}, state.values)

    # --- creating ----------------------------------------------------------------------

    def create_chosen(self) -> None:
        """Create a record from the chosen template (not QWidget.create, the native window)."""
        template = self.chosen_template()
        if template is None or not self.create_button.isEnabled():
            return
        subject_id = self.subject.currentData() if template.subject_kind != "none" else None
        try:
            record_id = records.create_record(
                self._vault,
                template,
                subject_id=subject_id,
                session_date=picked_date(self.date),
                fields={},
            )
        except UserError as exc:  # shown in the dialog; the choices stay
            self.error.setText(describe(exc))
            self.error.show()
            return
        self.accept()
        self.record_created.emit(record_id)
