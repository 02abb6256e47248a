"""Adding and editing a person: a form per kind, built from `PERSON_FIELDS`.

The dialog never blocks (`open()`); what the service refuses is shown inside it as
the service's own message, and everything typed stays where it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import typed_date, uk_date
from supervision_desktop.domain.people import (
    APPROVAL_LABELS,
    KIND_LABELS,
    MODELS,
    PLAN_LABELS,
    STAFF_GROUP_LABELS,
)
from supervision_desktop.errors import UserError
from supervision_desktop.services import people
from supervision_desktop.services.people import PersonView
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.kept_input import DialogState, set_widget_values, widget_values
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import muted

LEGAL_STATUSES = (
    "Section 20 (accommodated by agreement)",
    "Interim care order (section 38)",
    "Care order (section 31)",
    "Placement order",
    "Special guardianship order",
    "Child arrangements order",
    "Emergency protection order",
    "Police protection",
    "Remanded to local authority accommodation",
)


@dataclass(frozen=True)
class PersonField:
    """One detail of a person as the forms and the person page show it."""

    key: str
    label: str
    kind: str = "text"  # text, choice, date, lines, suggest, check
    choices: dict[str, str] = field(default_factory=dict)  # stored value → label
    hint: str = ""


PERSON_FIELDS: dict[str, tuple[PersonField, ...]] = {
    "supervisee": (
        PersonField("name", "Name"),
        PersonField("job_title", "Job title"),
        PersonField("staff_group", "Staff group", "choice", STAFF_GROUP_LABELS),
        PersonField("start_date", "Start date", "date"),
        PersonField("supervisor", "Supervisor"),
        PersonField("end_date", "Left the service on", "date"),
    ),
    "carer": (
        PersonField("name", "Household name", hint="For example: the Okafor household"),
        PersonField("carers", "Carers' names", "lines", hint="One name per line"),
        PersonField("approval_status", "Approval status", "choice", APPROVAL_LABELS),
        PersonField("end_date", "Approval ended on", "date"),
    ),
    "child": (
        PersonField("name", "Name"),
        PersonField("case_id", "Case ID"),
        PersonField("dob", "Date of birth", "date"),
        PersonField("legal_status", "Legal status", "suggest",
                    {status: status for status in LEGAL_STATUSES}),
        PersonField("plan", "Plan", "choice", PLAN_LABELS),
        PersonField("placement_matched", "Matched to a long-term placement", "check",
                    hint="Looked after children: some policies ask for case discussion "
                    "less often once the placement is matched"),
        PersonField("placed_with", "Placed with", "suggest",
                    hint="The foster carer household the child lives with"),
        PersonField("placed_from", "Placed from", "date"),
        PersonField("placed_until", "Placed until", "date",
                    hint="Leave empty while the child lives there"),
        PersonField("end_date", "Case closed on", "date"),
    ),
}

def display_value(spec: PersonField, value: Any) -> str:
    """A stored detail as the person page shows it; empty when not recorded."""
    if value in (None, "", []):
        return ""
    if spec.kind == "choice":
        return spec.choices.get(value, str(value))
    if spec.kind == "date":
        return uk_date(value)
    if spec.kind == "lines":
        return "\n".join(value)
    if spec.kind == "check":
        return "Yes" if value else ""
    return str(value)


class _Input:
    """One form input for a PersonField: reads and writes the JSON-ready value."""

    def __init__(self, spec: PersonField, kind: str) -> None:
        self.spec = spec
        self.widget: QWidget
        name = f"{KIND_LABELS[kind]}: {spec.label}"
        if spec.kind in ("choice", "suggest"):
            combo = QComboBox()
            if spec.kind == "suggest":
                combo.setEditable(True)
                combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
                combo.addItem("", "")
            for value, label in spec.choices.items():
                combo.addItem(label, value)
            self.widget = combo
        elif spec.kind == "check":
            self.widget = QCheckBox()
        elif spec.kind == "lines":
            lines = QPlainTextEdit()
            lines.setTabChangesFocus(True)
            lines.setFixedHeight(lines.fontMetrics().lineSpacing() * 4 + 12)
            self.widget = lines
        else:
            line = QLineEdit()
            if spec.kind == "date":
                line.setPlaceholderText("dd/mm/yyyy")
                line.setMaxLength(10)
            self.widget = line
        self.widget.setAccessibleName(name)
        if spec.hint:
            self.widget.setAccessibleDescription(spec.hint)

    def set(self, value: Any) -> None:
        widget = self.widget
        if isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QComboBox):
            found = widget.findData(value)
            if found >= 0:
                widget.setCurrentIndex(found)
            elif widget.isEditable():
                widget.setEditText(str(value or ""))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText("\n".join(value or []))
        elif isinstance(widget, QLineEdit):
            widget.setText(display_value(self.spec, value))

    def get(self) -> Any:
        """The value to send, None to leave it out; ValueError names a bad date."""
        widget = self.widget
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QComboBox):
            if widget.isEditable():
                return widget.currentText().strip() or None
            return widget.currentData()
        if isinstance(widget, QPlainTextEdit):
            names = [line.strip() for line in widget.toPlainText().splitlines()]
            return [name for name in names if name]
        assert isinstance(widget, QLineEdit)
        text = widget.text()
        if self.spec.kind == "date":
            if not text.strip():
                return None
            try:
                return typed_date(text).isoformat()
            except ValueError:
                raise ValueError(
                    f"{self.spec.label}: '{text.strip()}' is not a date; write it as 22/11/2026."
                ) from None
        if self.spec.key == "name":
            return text  # always sent, so the service can say what is wrong with it
        return text.strip() or None


class _KindForm(QWidget):
    """The inputs for one kind of person, laid out as a form."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.inputs = [_Input(spec, kind) for spec in PERSON_FIELDS[kind]]
        self.labels: list[QLabel] = []
        defaults = MODELS[kind].model_fields
        for item in self.inputs:  # a new person starts with the same defaults as the CLI
            default = defaults[item.spec.key].default
            if isinstance(default, str):
                item.set(default)
        self._layout = form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for item in self.inputs:
            label = QLabel(item.spec.label)
            label.setBuddy(item.widget)
            self.labels.append(label)
            if item.spec.hint:
                column = QVBoxLayout()
                column.setSpacing(2)
                column.addWidget(item.widget)
                column.addWidget(muted(item.spec.hint))
                form.addRow(label, column)
            else:
                form.addRow(label, item.widget)

    def input(self, key: str) -> QWidget:
        return next(i.widget for i in self.inputs if i.spec.key == key)

    def show_row(self, key: str, shown: bool) -> None:
        """Show or hide one detail, its label with it."""
        self._layout.setRowVisible(self.input(key), shown)

    def load(self, person: PersonView) -> None:
        values = {"name": person.name, **person.details}
        for item in self.inputs:
            item.set(values.get(item.spec.key))

    def values(self) -> dict[str, Any]:
        data = {}
        for item in self.inputs:
            value = item.get()
            if value is not None:
                data[item.spec.key] = value
        return data


class PersonDialog(QDialog):
    """Add a person (any kind) or edit one (their kind is fixed)."""

    person_saved = Signal(str)  # person id

    def __init__(
        self,
        vault: Vault,
        person: PersonView | None = None,
        *,
        kind: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._vault = vault
        self._person = person
        self.setWindowTitle("Edit person" if person else "Add person")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)

        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of person")
        for value, label in KIND_LABELS.items():
            self.kind.addItem(label, value)
        self.forms = QStackedWidget()
        self._forms = {value: _KindForm(value) for value in KIND_LABELS}
        for form in self._forms.values():
            self.forms.addWidget(form)
        placed_with = self._forms["child"].input("placed_with")  # the households, offered
        assert isinstance(placed_with, QComboBox)
        for household in people.list_people(vault, "carer"):
            placed_with.addItem(household.name, household.name)
        self.kind.currentIndexChanged.connect(
            lambda: self.forms.setCurrentWidget(self.form)
        )
        chosen = person.kind if person else (kind or "supervisee")
        self.kind.setCurrentIndex(max(self.kind.findData(chosen), 0))
        self.forms.setCurrentWidget(self.form)

        kind_row = QFormLayout()
        kind_label = QLabel("&Kind")
        kind_label.setBuddy(self.kind)
        kind_row.addRow(kind_label, self.kind)
        if person is not None:
            self.kind.setEnabled(False)
            self.form.load(person)
        layout.addLayout(kind_row)
        layout.addWidget(self.forms)
        # why the work ended (left, approval ended, case closed): kept with the end date,
        # which starts the retention period of the person's records
        self.end_reason = QLineEdit(person.end_reason if person else "")
        self.end_reason.setAccessibleName("Why the work ended")
        self.end_reason.setPlaceholderText("For example: Left the team")
        self.end_reason_label = QLabel("Why it &ended")
        self.end_reason_label.setBuddy(self.end_reason)
        end_row = QFormLayout()
        end_row.addRow(self.end_reason_label, self.end_reason)
        layout.addLayout(end_row)
        # Someone new has not left: when the work ended is asked only of someone added
        # before (Edit person), never of a person being added.
        for form in self._forms.values():
            form.show_row("end_date", person is not None)
        end_row.setRowVisible(self.end_reason, person is not None)
        labels = [kind_label, self.end_reason_label,
                  *(label for form in self._forms.values() for label in form.labels)]
        width = max(label.sizeHint().width() for label in labels)
        for row_label in labels:  # one column of labels, whichever kind is shown
            row_label.setMinimumWidth(width)

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem")
        self.error.hide()
        layout.addWidget(self.error)
        layout.addStretch(1)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save" if person else "Add person")
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.form.input("name") if person else self.kind).setFocus()

    @property
    def form(self) -> _KindForm:
        return self._forms[self.kind.currentData()]

    def input(self, key: str) -> QWidget:
        """The input for a detail (e.g. "name") of the kind being edited."""
        return self.form.input(key)

    def every_input(self) -> list[QWidget]:
        """Every input of every kind's form, in form order."""
        return [item.widget for form in self._forms.values() for item in form.inputs]

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # --- kept over a lock (see kept_input) ---------------------------------------------

    def _kept_inputs(self) -> dict[str, QWidget]:
        """Every input, the kind first: each kind's form keeps what was typed in it."""
        inputs: dict[str, QWidget] = {"kind": self.kind, "end_reason": self.end_reason}
        for form in self._forms.values():
            inputs.update({f"{form.kind}.{item.spec.key}": item.widget for item in form.inputs})
        return inputs

    def capture_state(self) -> DialogState:
        if self._person is None:
            return DialogState("add_person", self.windowTitle(),
                               widget_values(self._kept_inputs()))
        return DialogState("edit_person", self.windowTitle(),
                           widget_values(self._kept_inputs()), (self._person.id,))

    def restore_state(self, state: DialogState) -> None:
        set_widget_values(self._kept_inputs(), state.values)

    def save(self) -> None:
        try:
            data = self.form.values()
            reason = self.end_reason.text().strip()
            if data.get("end_date") and not reason:
                raise ValueError("Say why the work ended (for example: Left the team).")
            if self._person is None:
                saved = people.add_person(self._vault, self.form.kind, data,
                                          end_reason=reason)
            else:
                saved = people.update_person(self._vault, self._person.id, data,
                                             end_reason=reason)
        except ValueError as exc:  # a date that is not a date
            self.show_error(str(exc))
            return
        except UserError as exc:  # the service's message; everything typed stays
            self.show_error(describe(exc))
            return
        self.show_error("")
        self.person_saved.emit(saved.id)
        self.accept()
