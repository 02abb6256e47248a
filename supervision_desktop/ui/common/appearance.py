"""The theme put on the application: its palette and style sheet, a focus ring round
whatever has the focus, a 3:1 outline on every input and scroll bar handle, and all of it
again when the platform's colour scheme or contrast setting changes while the app runs.

The platform's own style still draws every widget; :class:`Outlines` only adds the edge
it draws too faintly (Fusion outlines a field in the window's colour, a shade darker:
about 2:1 on light, nearly nothing on dark or high contrast).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QRect, QRectF, Qt, SignalInstance
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QFocusFrame,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QStyleOptionButton,
    QStyleOptionComplex,
    QStyleOptionFrame,
    QWidget,
)

from supervision_desktop.ui.common import theme
from supervision_desktop.ui.common.theme import Colours

RING_PX = 2  # the focus ring's width, just outside the focused widget

_OUTLINED = {QStyle.PrimitiveElement.PE_FrameLineEdit, QStyle.PrimitiveElement.PE_Frame,
             QStyle.PrimitiveElement.PE_IndicatorCheckBox,
             QStyle.PrimitiveElement.PE_IndicatorRadioButton,
             QStyle.PrimitiveElement.PE_PanelButtonCommand}
_OUTLINED_COMPLEX = {QStyle.ComplexControl.CC_SpinBox, QStyle.ComplexControl.CC_ComboBox}


class FocusRing(QFocusFrame):
    """``RING_PX`` in the set's focus colour round the focused widget (Qt keeps the frame
    in place as the widget moves, resizes, hides or scrolls; :class:`Outlines` sizes it)."""

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(theme.current().focus_ring))
        painter.end()


class Outlines(QProxyStyle):
    """The platform's style, with each field, box, check box, radio button and button
    outlined in the set's boundary colour, and room for the focus ring."""

    def pixelMetric(self, metric: QStyle.PixelMetric, option: QStyleOption | None = None,  # noqa: N802
                    widget: QWidget | None = None) -> int:
        if metric in (QStyle.PixelMetric.PM_FocusFrameHMargin,
                      QStyle.PixelMetric.PM_FocusFrameVMargin):
            return RING_PX
        return super().pixelMetric(metric, option, widget)

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,  # noqa: N802
                      painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in _OUTLINED:
            return
        if element is QStyle.PrimitiveElement.PE_Frame and (
                not isinstance(option, QStyleOptionFrame) or option.lineWidth <= 0):
            return
        if element is QStyle.PrimitiveElement.PE_PanelButtonCommand and (
                isinstance(option, QStyleOptionButton)
                and option.features & QStyleOptionButton.ButtonFeature.Flat):
            return  # a flat button (a link) has no edge to show
        round_ = element is QStyle.PrimitiveElement.PE_IndicatorRadioButton
        _outline(painter, option, ellipse=round_)

    def drawComplexControl(self, control: QStyle.ComplexControl,  # noqa: N802 (Qt API)
                           option: QStyleOptionComplex, painter: QPainter,
                           widget: QWidget | None = None) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control in _OUTLINED_COMPLEX and getattr(option, "frame", True):
            _outline(painter, option)
        elif control is QStyle.ComplexControl.CC_ScrollBar and widget is not None:  # handle
            handle = self.subControlRect(control, option, QStyle.SubControl.SC_ScrollBarSlider,
                                         widget)
            if handle.isValid():
                _outline(painter, option, handle)


def _outline(painter: QPainter, option: QStyleOption, rect: QRect | None = None, *,
             ellipse: bool = False) -> None:
    colours = theme.current()
    enabled = bool(option.state & QStyle.StateFlag.State_Enabled)
    colour = colours.boundary if enabled else colours.palette.disabled_text
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(colour), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    box = QRectF(rect or option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
    if ellipse:
        painter.drawEllipse(box)
    else:
        painter.drawRoundedRect(box, 2, 2)
    painter.restore()


def _contrast_changed(app: QApplication) -> list[SignalInstance]:
    """The contrast preference's change signal, where this Qt has one (6.10 and later)."""
    accessibility = getattr(app.styleHints(), "accessibility", None)
    return [] if accessibility is None else [accessibility().contrastPreferenceChanged]


class _Follower(QObject):
    """Re-applies the set when the platform's scheme or contrast changes, and moves the
    focus ring to whichever widget has the focus."""

    def __init__(self, app: QApplication, layout_sheet: str) -> None:
        super().__init__(app)
        self._app = app
        self._layout_sheet = layout_sheet
        self._ring: FocusRing | None = None
        self._style_name = app.style().name()
        self._platform = theme.palette_of(app.palette())
        app.setStyle(Outlines(QStyleFactory.create(self._style_name)))
        hints = app.styleHints()
        hints.colorSchemeChanged.connect(self._scheme_changed)
        for contrast in _contrast_changed(app):
            contrast.connect(self._scheme_changed)
        app.focusChanged.connect(self._focus_changed)

    def apply(self) -> Colours:
        colours = theme.choose(self._app.styleHints(), self._platform)
        theme.use(colours)
        if colours.palette != self._platform:
            self._app.setPalette(theme.qt_palette(colours.palette))
        self._app.setStyleSheet(self._layout_sheet + theme.style_sheet(colours))
        return colours

    def stop(self) -> None:
        self._app.styleHints().colorSchemeChanged.disconnect(self._scheme_changed)
        for contrast in _contrast_changed(self._app):
            contrast.disconnect(self._scheme_changed)
        self._app.focusChanged.disconnect(self._focus_changed)
        if self._ring is not None and shiboken6.isValid(self._ring):
            self._ring.setWidget(None)  # type: ignore[arg-type]  # None: follow no widget
            self._ring.deleteLater()
        self._app.setStyle(QStyleFactory.create(self._style_name))

    def _scheme_changed(self, *_args: object) -> None:
        self._app.setPalette(QPalette())  # back to the platform's, to read it afresh
        self._platform = theme.palette_of(self._app.palette())
        self.apply()

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self._ring is None or not shiboken6.isValid(self._ring):
            self._ring = FocusRing()  # the last one went with the window it was in
        followed = new if new is not None and not new.isWindow() else None
        self._ring.setWidget(followed)  # type: ignore[arg-type]  # None: follow no widget


def follow_platform(app: QApplication, layout_sheet: str = "") -> Colours:
    """Apply the chosen set to ``app`` (palette, and style sheet after ``layout_sheet``),
    outline its inputs, draw the focus ring, and follow the platform when its scheme or
    contrast changes. Calling it again chooses again (after ``SUPERVISION_THEME`` changed)."""
    follower = app.findChild(_Follower)
    if follower is None:
        follower = _Follower(app, layout_sheet)
    return follower.apply()


def unfollow(app: QApplication) -> None:
    """Stop following: the platform's palette and style, no sheet, the light set (a test
    that chose a set leaves the next one as it found it)."""
    follower = app.findChild(_Follower)
    if follower is not None:
        follower.stop()
        follower.setParent(None)  # gone from findChild at once, not when deleted later
        follower.deleteLater()
    app.setPalette(QPalette())
    app.setStyleSheet("")
    theme.use(theme.LIGHT)
