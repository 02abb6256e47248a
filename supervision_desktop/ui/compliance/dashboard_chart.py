"""A small horizontal bar chart drawn with QPainter (QtCharts is not in PySide6-Essentials).

Each bar has a label on the left and its count on the right, so the picture never
relies on colour or length alone; the same sentence is the widget's accessible
description and tooltip for screen readers and keyboard users.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from supervision_desktop.ui.common import theme

PADDING = 6
BAR_GAP = 6
GROUP_GAP = 10
LONGEST_BAR = 180  # pixels for the largest count


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    colour: str  # a theme colour, e.g. theme.current().tone_overdue
    new_group: bool = False  # a little space before this bar


class BarChart(QWidget):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: tuple[Bar, ...] = ()
        self.setAccessibleName(name)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the lists below carry the same numbers
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def bars(self) -> tuple[Bar, ...]:
        return self._bars

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self._bars = tuple(bars)
        summary = "; ".join(f"{bar.label}: {bar.count}" for bar in self._bars)
        self.setAccessibleDescription(summary)
        self.setToolTip(summary)
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 4

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        return max((metrics.horizontalAdvance(b.label) for b in self._bars), default=0)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        metrics = self.fontMetrics()
        count_width = metrics.horizontalAdvance("0000")
        width = PADDING * 2 + self._label_width() + 10 + LONGEST_BAR + 8 + count_width
        groups = sum(1 for b in self._bars[1:] if b.new_group)
        rows = len(self._bars)
        height = (PADDING * 2 + rows * self._row_height() + max(rows - 1, 0) * BAR_GAP
                  + groups * GROUP_GAP)
        return QSize(width, height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self.sizeHint()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        text_colour = self.palette().color(self.foregroundRole())
        label_width = self._label_width()
        largest = max((b.count for b in self._bars), default=0) or 1
        row = self._row_height()
        y = float(PADDING)
        for number, bar in enumerate(self._bars):
            if number and bar.new_group:
                y += GROUP_GAP
            painter.setPen(text_colour)
            label_box = QRectF(PADDING, y, label_width, row)
            painter.drawText(label_box, Qt.AlignmentFlag.AlignRight
                             | Qt.AlignmentFlag.AlignVCenter, bar.label)
            left = PADDING + label_width + 10
            length = LONGEST_BAR * bar.count / largest
            if bar.count:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(bar.colour))
                painter.drawRoundedRect(QRectF(left, y + 3, max(length, 3.0), row - 6), 2, 2)
            else:  # a hairline, so an empty bar still reads as a bar of nothing
                painter.setPen(QColor(theme.current().bar_none))
                painter.drawLine(int(left), int(y + row / 2), int(left + 3), int(y + row / 2))
            painter.setPen(text_colour)
            count_box = QRectF(left + max(length, 3.0) + 8, y, metrics.horizontalAdvance("0000"),
                               row)
            painter.drawText(count_box, Qt.AlignmentFlag.AlignLeft
                             | Qt.AlignmentFlag.AlignVCenter, str(bar.count))
            y += row + BAR_GAP
        painter.end()
