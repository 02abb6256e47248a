"""A signature block: typed name, role and date, and a drawn signature.

The pad keeps strokes as ``[[[x, y], ...], ...]`` in its own fixed coordinate space
(PAD_WIDTH × PAD_HEIGHT, origin top left), so a stored signature renders the same on
any screen and in the PDF. It takes mouse, touch (delivered as mouse) and pen input.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPointerEvent,
    QTabletEvent,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.templates import TemplateField
from supervision_desktop.ui.common import theme
from supervision_desktop.ui.common.widgets import today
from supervision_desktop.ui.forms.base import (
    FieldEditor,
    mnemonic_safe,
    name_input,
    plain_label,
    text_line,
)
from supervision_desktop.ui.forms.date_field import DateField
from supervision_desktop.ui.forms.values import Stroke, normalise_strokes, signature_value

PAD_WIDTH = 420
PAD_HEIGHT = 130


class SignaturePad(QWidget):
    """Draw a signature; ``changed`` is emitted when a stroke ends or the pad is cleared."""

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(PAD_WIDTH, PAD_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard signs by the tick below
        self.setAccessibleName(name)
        self.setAccessibleDescription("Draw with a mouse, a finger or a pen; or sign from "
                                      "the keyboard with the tick below the pad.")
        self._strokes: list[Stroke] = []
        self._drawing = False
        self._read_only = False

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(PAD_WIDTH, PAD_HEIGHT)

    # --- value ------------------------------------------------------------------------

    def strokes(self) -> list[Stroke]:
        return [[list(point) for point in stroke] for stroke in self._strokes]

    def set_strokes(self, strokes: Any) -> None:
        self._strokes = normalise_strokes(strokes)
        self._drawing = False
        self.update()

    def clear(self) -> None:
        if self._strokes:
            self._strokes = []
            self.update()
            self.changed.emit()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.setCursor(Qt.CursorShape.ArrowCursor if read_only else Qt.CursorShape.CrossCursor)

    # --- input ------------------------------------------------------------------------

    def _point(self, event: QPointerEvent) -> list[float]:
        position = event.points()[0].position() if event.points() else QPointF()
        x = min(max(position.x(), 0.0), float(PAD_WIDTH))
        y = min(max(position.y(), 0.0), float(PAD_HEIGHT))
        return [round(x, 1), round(y, 1)]

    def _press(self, event: QPointerEvent) -> None:
        if self._read_only:
            return
        self._drawing = True
        self._strokes.append([self._point(event)])
        self.update()

    def _move(self, event: QPointerEvent) -> None:
        if not self._drawing:
            return
        point = self._point(event)
        if point != self._strokes[-1][-1]:
            self._strokes[-1].append(point)
            self.update()

    def _release(self, event: QPointerEvent) -> None:
        if not self._drawing:
            return
        self._move(event)
        self._drawing = False
        self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton:
            self._press(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        self._move(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton:
            self._release(event)

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._press(event)
        elif kind == QTabletEvent.Type.TabletMove:
            self._move(event)
        elif kind == QTabletEvent.Type.TabletRelease:
            self._release(event)
        event.accept()  # a pen's strokes are not delivered a second time as mouse events

    # --- drawing ----------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        enabled = not self._read_only
        palette, colours = self.palette(), theme.current()
        paper = QPalette.ColorRole.Base if enabled else QPalette.ColorRole.Window
        painter.fillRect(self.rect(), palette.color(paper))
        painter.setPen(QPen(QColor(colours.boundary), 1))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        baseline = PAD_HEIGHT - 28
        painter.setPen(QPen(QColor(colours.boundary), 1, Qt.PenStyle.DashLine))
        painter.drawLine(16, baseline, PAD_WIDTH - 16, baseline)
        if not self._strokes and enabled:
            painter.setPen(QColor(colours.muted))
            painter.drawText(16, baseline + 18, "Sign above the line")
        painter.setPen(
            QPen(palette.color(QPalette.ColorRole.Text), 2.2, Qt.PenStyle.SolidLine,
                 Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        )
        for stroke in self._strokes:
            if len(stroke) == 1:
                painter.drawPoint(QPointF(*stroke[0]))
                continue
            path = QPainterPath(QPointF(*stroke[0]))
            for point in stroke[1:]:
                path.lineTo(QPointF(*point))
            painter.drawPath(path)
        painter.end()


class SignatureEditor(FieldEditor):
    """Name, role and date typed; the signature drawn on the pad."""

    def __init__(self, field: TemplateField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self._read_only = False
        self._confirmed_name = ""  # the name "I, …, sign this record" was ticked for
        signer = field.signer
        self.name = text_line()
        self.name.setMaximumWidth(360)
        # named by the field's label: two blocks can share a signer ("Foster carer")
        words = field.label
        name_input(self.name, f"{words}: name",
                   "Required before the record is finalised." if field.required else "")
        self.role = text_line()
        self.role.setMaximumWidth(360)
        self.role.setPlaceholderText(signer)
        name_input(self.role, f"{words}: role")
        self.date = DateField(f"{words}: date signed")
        self.pad = SignaturePad(f"{words}: signature")
        self.clear_button = QPushButton("Clear signature")
        name_input(self.clear_button, f"Clear the drawn signature: {words}")
        self.clear_button.clicked.connect(self.pad.clear)
        # signing from the keyboard: the name typed above, and this explicit confirmation
        self.typed = QCheckBox()
        self.typed.setAccessibleDescription(
            "Signs with the name typed above instead of a drawn signature; the PDF says so.")
        self.typed.toggled.connect(self._typed_toggled)

        for signal in (self.name.textChanged, self.role.textChanged, self.date.changed,
                       self.pad.changed, self.typed.toggled):
            signal.connect(self.changed)
        self.pad.changed.connect(self._update_clear)
        self.name.textChanged.connect(self._word_confirmation)

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        for row, (text, widget) in enumerate(
            (("Name", self.name), ("Role", self.role), ("Date", self.date))
        ):
            grid.addWidget(plain_label(text), row, 0)
            grid.addWidget(widget, row, 1)
        grid.addWidget(plain_label("Signature"), 3, 0, Qt.AlignmentFlag.AlignTop)
        pad_column = QVBoxLayout()
        pad_column.addWidget(self.pad)
        pad_column.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignLeft)
        pad_column.addWidget(self.typed)
        grid.addLayout(pad_column, 3, 1)
        self.setLayout(grid)
        self.setFocusProxy(self.name)
        self._update_clear()
        self._word_confirmation()

    def _update_clear(self) -> None:
        self.clear_button.setEnabled(bool(self.pad.strokes()))

    def _word_confirmation(self) -> None:
        """The tick says who signs: "I, Jo Bloggs, sign this record by typing my name"."""
        name = self.name.text().strip()
        if self.typed.isChecked() and name != self._confirmed_name:  # confirmed for another
            self.typed.setChecked(False)
        self.typed.setText(mnemonic_safe(
            f"I, {name}, sign this record by typing my name" if name
            else "Type your name above to sign by typing it"))
        self.typed.setAccessibleName(f"{self.field.label}: sign by typing the name")
        self.typed.setEnabled(bool(name) and not self._read_only)
        if not name and self.typed.isChecked():
            self.typed.setChecked(False)

    def _typed_toggled(self, on: bool) -> None:
        self._confirmed_name = self.name.text().strip() if on else ""
        if on and not self.date.iso():  # signing now: the date is today's, as on paper
            self.date.set_iso(today().toString("yyyy-MM-dd"))

    def value(self) -> Any:
        return signature_value(
            self.name.text(), self.role.text(), self.date.iso(), self.pad.strokes(),
            self.typed.isChecked(),
        )

    def set_value(self, value: Any) -> None:
        value = value if isinstance(value, dict) else {}
        self.name.setText(value.get("name") if isinstance(value.get("name"), str) else "")
        self.role.setText(value.get("role") if isinstance(value.get("role"), str) else "")
        self.name.setCursorPosition(0)
        self.role.setCursorPosition(0)
        self.date.set_iso(value.get("date") if isinstance(value.get("date"), str) else "")
        self.pad.set_strokes(value.get("strokes", []))
        self._update_clear()
        self._word_confirmation()
        with QSignalBlocker(self.typed):  # loading is not signing: no date is filled in
            self.typed.setChecked(value.get("typed") is True)
        self._confirmed_name = self.name.text().strip() if self.typed.isChecked() else ""

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.name.setReadOnly(read_only)
        self.role.setReadOnly(read_only)
        self.date.set_read_only(read_only)
        self.pad.set_read_only(read_only)
        self.clear_button.setVisible(not read_only)
        self._word_confirmation()

    def inputs(self) -> list[QWidget]:
        return [self.name, self.role, self.date.edit, self.clear_button, self.typed]
