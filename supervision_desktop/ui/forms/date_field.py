"""A date field that can be empty, reads and shows 22/11/2026, and has a calendar.

QDateEdit cannot hold "no date", which most form dates are until someone fills them, so
this is a line edit (typed dates, a clear button) with a calendar popup opened by the
button inside it or by Alt+Down / F4. Its value is ISO text ("2026-11-22") or "".
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, QPoint, QRegularExpression, Qt, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QPainter,
    QPalette,
    QPixmap,
    QRegularExpressionValidator,
)
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.ui.common.widgets import today
from supervision_desktop.ui.forms.base import LONGEST_TEXT, plain_label
from supervision_desktop.ui.forms.values import parse_date_text

UK = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
DATE_HINT = "Write the date as 22/11/2026"


def calendar_icon() -> QIcon:
    """A small drawn calendar (the platform styles have none)."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    palette = QGuiApplication.palette()  # drawn in the theme's ink on its paper
    ink = palette.color(QPalette.ColorRole.ButtonText)
    painter.setPen(ink)
    painter.setBrush(palette.color(QPalette.ColorRole.Base))
    painter.drawRoundedRect(3, 6, 26, 23, 3, 3)
    painter.fillRect(4, 7, 25, 6, ink)
    painter.setBrush(ink)
    for row in range(3):
        for column in range(4):
            painter.drawRect(7 + column * 5, 16 + row * 4, 2, 2)
    painter.end()
    return QIcon(pixmap)


class CalendarPopup(QFrame):
    """The month view that drops down under a date field."""

    picked = Signal(QDate)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget()
        self.calendar.setLocale(UK)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(
            QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader
        )
        self.calendar.setAccessibleName("Calendar")
        self.calendar.clicked.connect(self._pick)
        self.calendar.activated.connect(self._pick)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.calendar)

    def _pick(self, date: QDate) -> None:
        self.picked.emit(date)
        self.close()


class DateLine(QLineEdit):
    """The typing part: a line edit with a calendar button inside it (Alt+Down or F4)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxLength(LONGEST_TEXT)
        self.setPlaceholderText("dd/mm/yyyy")
        self.setClearButtonEnabled(True)
        self.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9/.\- ]{0,10}"), self)
        )
        self.setAccessibleName(name)
        self.setAccessibleDescription(f"{DATE_HINT}. Alt+Down opens a calendar.")
        self.setToolTip(f"{DATE_HINT}, or press Alt+Down for a calendar")
        self.calendar_action = self.addAction(
            calendar_icon(), QLineEdit.ActionPosition.TrailingPosition
        )
        self.calendar_action.setToolTip("Choose from a calendar (Alt+Down)")
        self.calendar_action.triggered.connect(self.open_calendar)
        self.editingFinished.connect(self.tidy)
        self.popup: CalendarPopup | None = None

    def iso(self) -> str:
        """The date as '2026-11-22', or '' when empty or not (yet) a date."""
        return parse_date_text(self.text()) or ""

    def set_iso(self, iso: str | None) -> None:
        self.setText(uk_date(iso))

    def is_valid(self) -> bool:
        return parse_date_text(self.text()) is not None

    def set_editable(self, editable: bool) -> None:
        self.setReadOnly(not editable)
        self.setClearButtonEnabled(editable)
        self.calendar_action.setVisible(editable)

    def tidy(self) -> None:
        """Write a valid date the standard way (2/3/2026 → 02/03/2026)."""
        parsed = parse_date_text(self.text())
        if parsed and self.text() != uk_date(parsed):
            self.setText(uk_date(parsed))

    def open_calendar(self) -> None:
        if self.isReadOnly():
            return
        if self.popup is None:
            self.popup = CalendarPopup(self)  # a child, so an item view keeps its editor open
            self.popup.picked.connect(self._picked)
        current = QDate.fromString(self.iso(), Qt.DateFormat.ISODate)
        date = current if current.isValid() else today()
        self.popup.calendar.setSelectedDate(date)
        self.popup.adjustSize()
        self.popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self.popup.show()
        self.popup.calendar.setFocus()

    def _picked(self, date: QDate) -> None:
        self.setText(uk_date(date.toString(Qt.DateFormat.ISODate)))
        self.setFocus(Qt.FocusReason.PopupFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        alt_down = (
            event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.open_calendar()
            return
        super().keyPressEvent(event)


def date_width(edit: QLineEdit) -> int:
    """Room for 00/00/0000, the clear button and the calendar button."""
    return edit.fontMetrics().horizontalAdvance("00/00/00000") + 64


class DateField(QWidget):
    """Empty or a date; shown as 22/11/2026, held as ISO text; says when it is not a date."""

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = DateLine(name)
        self.edit.setFixedWidth(date_width(self.edit))
        self.edit.textChanged.connect(self.changed)
        self.edit.textChanged.connect(self._hide_hint_if_valid)
        self.edit.editingFinished.connect(self._check)
        self.hint = plain_label(DATE_HINT)
        self.hint.setObjectName("error")
        self.hint.setWordWrap(False)
        self.hint.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.edit)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)

    def iso(self) -> str:
        return self.edit.iso()

    def set_iso(self, iso: str | None) -> None:
        self.edit.set_iso(iso)
        self.hint.hide()

    def is_valid(self) -> bool:
        return self.edit.is_valid()

    def set_read_only(self, read_only: bool) -> None:
        self.edit.set_editable(not read_only)

    def _check(self) -> None:
        self.hint.setVisible(not self.edit.is_valid())

    def _hide_hint_if_valid(self) -> None:
        if self.hint.isVisible() and self.edit.is_valid():
            self.hint.hide()
