"""The Search page: records containing every word typed, best match first, with a snippet.

Searching runs off the GUI thread (``run_in_background``). Snippets are the record's
own text, so they are shown as plain text only: the matched words are found by marker
characters the search puts around them and drawn in bold by :class:`SnippetDelegate`
with a ``QTextLayout``. Nothing is ever read as HTML, so a ``<b>`` someone typed is
shown as the four characters they typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPalette, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.services import search
from supervision_desktop.services.search import SearchHit, SearchResults
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.background import run_in_background
from supervision_desktop.ui.common.columns import Column, ColumnsModel, date_key
from supervision_desktop.ui.common.list_page import ListPage
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import heading, muted

# Private-use characters mark the matched words; they never reach the screen.
OPEN_MARK, CLOSE_MARK = "\ue000", "\ue001"
HINT = ("Type words in the Search box at the top of the window and press Enter. Every word "
        "must appear in the record; words match from their start (“chron” finds "
        "“chronology”).")


def split_marks(snippet: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The snippet without markers, and the matched words as (start, length) in UTF-16
    code units (Qt's string positions, where an emoji counts two)."""
    text: list[str] = []
    ranges: list[tuple[int, int]] = []
    position, start = 0, None
    for char in snippet:
        if char == OPEN_MARK:
            start = position
        elif char == CLOSE_MARK:
            if start is not None and position > start:
                ranges.append((start, position - start))
            start = None
        else:
            text.append(char)
            position += _length(char)
    return "".join(text), tuple(ranges)


@dataclass(frozen=True)
class Found:
    """One search hit, its snippet split into plain text and highlighted ranges."""

    hit: SearchHit
    snippet: str
    matches: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, hit: SearchHit) -> Found:
        return cls(hit, *split_marks(hit.snippet))


COLUMNS: tuple[Column[Found], ...] = (
    Column("Date", lambda f: uk_date(f.hit.session_date) or "No date",
           lambda f: date_key(f.hit.session_date)),
    Column("Template", lambda f: f.hit.template_title),
    Column("About", lambda f: f.hit.subject_name or "—"),
    Column("Status", lambda f: f.hit.status.label),
    Column("Where the words appear", lambda f: f.snippet, lambda f: 0, tip=lambda f: f.snippet),
)
MATCH = len(COLUMNS) - 1


class SearchModel(ColumnsModel[Found]):
    MATCHES_ROLE = Qt.ItemDataRole.UserRole + 4  # ((start, length), …) in the snippet

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, lambda f: f.hit.record_id, parent)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == self.MATCHES_ROLE:
            if not index.isValid() or not 0 <= index.row() < self.rowCount():
                return None
            return list(self.row_at(index.row()).matches) if index.column() == MATCH else None
        return super().data(index, role)


def _bold_ranges(matches: list[tuple[int, int]], keep: int) -> list[QTextLayout.FormatRange]:
    """Bold for each matched word, cut off where the shown text ends."""
    formats = []
    for start, length in matches:
        if start < keep:
            matched = QTextLayout.FormatRange()
            matched.start, matched.length = start, min(length, keep - start)
            emphasis = QTextCharFormat()
            emphasis.setFontWeight(QFont.Weight.Bold)
            matched.format = emphasis
            formats.append(matched)
    return formats


def _length(text: str) -> int:
    """Length in UTF-16 code units, as Qt counts positions."""
    return len(text.encode("utf-16-le")) // 2


def _natural_width(text: str, font: QFont, formats: list[QTextLayout.FormatRange]) -> float:
    layout = QTextLayout(text, font)
    layout.setFormats(formats)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(1_000_000)
    layout.endLayout()
    return line.naturalTextWidth()


def _elide(text: str, font: QFont, matches: list[tuple[int, int]],
           width: int) -> tuple[str, list[QTextLayout.FormatRange]]:
    """The longest start of text that fits width with its bold words, ending in '…'."""
    shortest, longest = 0, len(text)
    while shortest < longest:
        middle = (shortest + longest + 1) // 2
        start = text[:middle].rstrip()
        if _natural_width(start + "…", font, _bold_ranges(matches, _length(start))) <= width:
            shortest = middle
        else:
            longest = middle - 1
    start = text[:shortest].rstrip()
    return start + "…", _bold_ranges(matches, _length(start))


class SnippetDelegate(QStyledItemDelegate):
    """Draws a snippet as plain text with its matched words in bold."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        text = item.text
        item.text = ""
        widget = item.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, widget)
        area = area.adjusted(3, 0, -3, 0)
        matches = index.data(SearchModel.MATCHES_ROLE) or []
        shown, formats = text, _bold_ranges(matches, _length(text))
        if _natural_width(text, item.font, formats) > area.width():
            shown, formats = _elide(text, item.font, matches, area.width())
        layout = QTextLayout(shown, item.font)
        layout.setFormats(formats)
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(max(area.width(), 1) * 2)  # one line: the text is already elided
        layout.endLayout()
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(item.palette.color(role))
        painter.setClipRect(area)
        top = area.top() + (area.height() - line.height()) / 2
        layout.draw(painter, QPointF(area.left(), top))
        painter.restore()


class SearchView(ListPage[Found]):
    searched = Signal(str)  # what was searched for, once its results (or a problem) show

    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(
            SearchModel(), name="Search results", ident=lambda f: f.hit.record_id,
            description="Double-click or press Enter to open the record.",
            sort=None, stretch=MATCH, widest=220, parent=parent)
        self._vault = vault
        self._query = ""
        self._generation = 0  # only the latest search's results are shown

        self.summary = muted(HINT)
        self.summary.setAccessibleName("Search results summary")
        self.table.setItemDelegateForColumn(MATCH, SnippetDelegate(self.table))
        self.stack.setCurrentWidget(self.empty)

        self.suggestion: str | None = None
        self.did_you_mean = QPushButton(self)  # searches again, spelt as suggested
        self.did_you_mean.setVisible(False)
        self.did_you_mean.clicked.connect(
            lambda: self.search(self.suggestion) if self.suggestion else None)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Search"))
        layout.addWidget(self.summary)
        row = QHBoxLayout()
        row.addWidget(self.did_you_mean)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.stack, 1)

    def query(self) -> str:
        return self._query

    def search(self, typed: str) -> None:
        """Search for typed (every word, as a prefix) and show what is found."""
        self._query = typed.strip()
        self.refresh()

    def refresh(self) -> None:
        """Run the current search again (records may have changed since)."""
        self._generation += 1
        if not self._query:
            self.summary.setText(HINT)
            self.show_rows([])
            return
        generation, typed = self._generation, self._query
        self.summary.setText(f"Searching for “{typed}”…")
        run_in_background(lambda: search.search(self._vault, typed, marks=(OPEN_MARK, CLOSE_MARK)),
                          lambda hits: self._show(generation, typed, hits),
                          lambda exc: self._failed(generation, typed, exc))

    def _current(self, generation: int) -> bool:
        return shiboken6.isValid(self) and generation == self._generation

    def _show(self, generation: int, typed: str, hits: SearchResults) -> None:
        if not self._current(generation):
            return
        self.show_rows([Found.of(hit) for hit in hits],
                       "Check the spelling, or search for fewer words.")
        self.proxy.sort(-1)  # in the order the search gave
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.suggestion = hits.suggestion
        self.did_you_mean.setText(f"Search for “{hits.suggestion}”" if hits.suggestion else "")
        self.did_you_mean.setVisible(bool(hits.suggestion))
        opening = " Double-click a record to open it." if hits else ""
        self.summary.setText(f"{hits.summary(typed)}{opening}")
        self.searched.emit(typed)

    def _failed(self, generation: int, typed: str, exc: Exception) -> None:
        if not self._current(generation):
            return
        self.show_rows([], "")
        self.summary.setText(describe(exc))
        self.searched.emit(typed)
