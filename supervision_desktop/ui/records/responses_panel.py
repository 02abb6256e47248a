"""Carers' signed responses to one record, shown on the record page.

Each response says who signed and when, whether the file is unchanged, and whether the
carer found the record a true reflection (and what they disagree with).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import local_time
from supervision_desktop.services import documents
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.dialog_parts import NOT_GENUINE, UNCHANGED

# --- responses to one record ----------------------------------------------------------------


def response_text(response: documents.ResponseView) -> str:
    """'Signed by NAME on 22/11/2026 14:30 · Unchanged ✓ · A true reflection'."""
    state = UNCHANGED if response.unchanged else NOT_GENUINE
    if response.true_reflection is None:
        says = "Does not say whether it is a true reflection"
    else:
        says = "A true reflection" if response.true_reflection else "NOT a true reflection"
    text = (f"Signed by {response.signed_by or '(no name)'} on "
            f"{local_time(response.signed_at) or 'an unknown date'} · {state} · {says}")
    if response.disagreements:
        text += f"\nWhat they disagree with: {response.disagreements}"
    return text


class ResponsesPanel(QWidget):
    """Carers' signed responses to one record (hidden while there are none)."""

    def __init__(self, vault: Vault, record_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._record_id = record_id
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.labels: list[QLabel] = []
        self.reload()

    def reload(self) -> None:
        for label in self.labels:
            self._layout.removeWidget(label)
            label.deleteLater()
        self.labels = []
        found = documents.responses_to(self._vault, self._record_id)
        if found:
            title = QLabel("Carer's response" if len(found) == 1 else "Carers' responses")
            title.setTextFormat(Qt.TextFormat.PlainText)
            title.setStyleSheet("font-weight: 600;")
            self.labels.append(title)
        for response in found:
            label = QLabel(response_text(response))
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            if not response.unchanged or response.true_reflection is False:
                label.setProperty("tone", "attention")  # the theme's error colour
            self.labels.append(label)
        for label in self.labels:
            self._layout.addWidget(label)
        self.setVisible(bool(found))
