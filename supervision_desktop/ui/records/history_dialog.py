"""A record's history: every version, who did what and when, and whether the hash chain
still checks.

Every text is plain; a hash shows its first digits, the whole in the tooltip.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import local_time
from supervision_desktop.services.lifecycle import ChainReport
from supervision_desktop.ui.common import theme
from supervision_desktop.ui.common.dialog_parts import plain
from supervision_desktop.ui.common.widgets import muted

SHORT_HASH = 12  # hex digits shown; the full hash is in the tooltip



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
                    item.setForeground(column, QColor(theme.current().error))
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
