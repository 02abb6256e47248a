"""The theme follows the platform: the dark and high-contrast sets are chosen when the
platform says so (or ``SUPERVISION_THEME`` does), the application's palette and style sheet
then carry them, and a 2 px focus ring is drawn round whatever has the focus."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QTableView,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from supervision_desktop.domain.records import RecordStatus
from supervision_desktop.ui.common import appearance, theme
from supervision_desktop.ui.common.columns import TONE_COLOURS, Tone
from supervision_desktop.ui.common.theme import Colours
from supervision_desktop.ui.common.widgets import LAYOUT_SHEET
from supervision_desktop.ui.records.record_actions import StatusBadge

pytestmark = pytest.mark.gui

LIGHT_PLATFORM = theme.LIGHT.palette
DARK_PLATFORM = theme.DARK.palette


@dataclass
class FakeAccessibility:
    preference: Qt.ContrastPreference

    def contrastPreference(self) -> Qt.ContrastPreference:  # noqa: N802 (Qt API)
        return self.preference


@dataclass
class FakeHints:
    """What QStyleHints would say on a platform set to ``scheme`` and ``preference``."""

    scheme: Qt.ColorScheme = Qt.ColorScheme.Unknown
    preference: Qt.ContrastPreference = Qt.ContrastPreference.NoPreference

    def colorScheme(self) -> Qt.ColorScheme:  # noqa: N802 (Qt API)
        return self.scheme

    def accessibility(self) -> FakeAccessibility:
        return FakeAccessibility(self.preference)


class OldHints:
    """A Qt without QAccessibilityHints (before 6.10): only the colour scheme."""

    def colorScheme(self) -> Qt.ColorScheme:  # noqa: N802 (Qt API)
        return Qt.ColorScheme.Unknown


def test_this_qt_has_the_hints_the_theme_reads(qapp: QApplication) -> None:
    hints = qapp.styleHints()
    assert isinstance(hints.colorScheme(), Qt.ColorScheme)
    assert isinstance(hints.accessibility().contrastPreference(), Qt.ContrastPreference)


@pytest.mark.parametrize(("asked", "chosen"), [
    ("light", theme.LIGHT), ("dark", theme.DARK), ("high-contrast", theme.HIGH_CONTRAST),
    (" Dark ", theme.DARK),
])
def test_the_environment_chooses_the_set_whatever_the_platform_says(
        asked: str, chosen: Colours) -> None:
    for hints in (FakeHints(Qt.ColorScheme.Light), FakeHints(Qt.ColorScheme.Dark),
                  FakeHints(preference=Qt.ContrastPreference.HighContrast)):
        assert theme.choose(hints, LIGHT_PLATFORM, {theme.VARIABLE: asked}) is chosen


def test_an_unknown_name_in_the_environment_leaves_the_platform_to_choose() -> None:
    hints = FakeHints(Qt.ColorScheme.Dark)
    assert theme.choose(hints, LIGHT_PLATFORM, {theme.VARIABLE: "purple"}) is theme.DARK


def test_the_platforms_colour_scheme_chooses_light_or_dark() -> None:
    assert theme.choose(FakeHints(Qt.ColorScheme.Dark), LIGHT_PLATFORM, {}) is theme.DARK
    assert theme.choose(FakeHints(Qt.ColorScheme.Light), DARK_PLATFORM, {}) is theme.LIGHT
    # no scheme said: the palette's own darkness decides
    assert theme.choose(FakeHints(), DARK_PLATFORM, {}) is theme.DARK
    assert theme.choose(FakeHints(), LIGHT_PLATFORM, {}) is theme.LIGHT
    assert theme.choose(OldHints(), DARK_PLATFORM, {}) is theme.DARK


def test_asking_for_high_contrast_takes_every_colour_from_the_platforms_palette() -> None:
    hints = FakeHints(Qt.ColorScheme.Dark, Qt.ContrastPreference.HighContrast)
    chosen = theme.choose(hints, LIGHT_PLATFORM, {})
    assert chosen.name == "high-contrast" and chosen.palette == LIGHT_PLATFORM
    assert chosen.error == chosen.muted == LIGHT_PLATFORM.window_text
    assert chosen.focus_ring == LIGHT_PLATFORM.highlight
    assert chosen.notice.background == LIGHT_PLATFORM.window


def test_a_stark_black_and_white_palette_is_taken_as_high_contrast() -> None:
    stark = theme.HIGH_CONTRAST_PALETTE
    assert theme.choose(OldHints(), stark, {}).name == "high-contrast"
    assert theme.choose(FakeHints(Qt.ColorScheme.Dark), stark, {}).palette == stark


@pytest.fixture
def following(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[QApplication]:
    """The app following the platform; back to no theme after the test."""
    monkeypatch.delenv(theme.VARIABLE, raising=False)
    yield qapp
    appearance.unfollow(qapp)


def _sheet_carries(sheet: str, colours: Colours) -> None:
    for colour in (colours.muted, colours.error, colours.notice.background,
                   colours.valid.text, colours.invalid.border, colours.chip_fixed.background,
                   colours.strength[4].border):
        assert colour in sheet, colour
    assert sheet.startswith(LAYOUT_SHEET)


@pytest.mark.parametrize("colours", theme.SETS.values(), ids=theme.SETS.keys())
def test_the_chosen_set_is_the_apps_palette_sheet_and_table_colours(
        following: QApplication, monkeypatch: pytest.MonkeyPatch, colours: Colours) -> None:
    monkeypatch.setenv(theme.VARIABLE, colours.name)
    assert appearance.follow_platform(following, LAYOUT_SHEET) is colours
    assert theme.current() is colours
    _sheet_carries(following.styleSheet(), colours)
    palette = following.palette()
    assert palette.color(QPalette.ColorRole.Window).name() == colours.palette.window
    assert palette.color(QPalette.ColorRole.Text).name() == colours.palette.text
    assert palette.color(QPalette.ColorRole.Link).name() == colours.palette.link
    assert TONE_COLOURS[Tone.OVERDUE].name() == colours.tone_overdue


def test_the_dark_sets_colours_are_drawn(following: QApplication, qtbot: QtBot,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(theme.VARIABLE, "dark")
    appearance.follow_platform(following, LAYOUT_SHEET)
    badge = StatusBadge()
    qtbot.addWidget(badge)
    badge.set_status(RecordStatus.UPLOADED)
    badge.show()
    qtbot.waitExposed(badge)
    picture = badge.grab().toImage()
    assert picture.pixelColor(picture.width() // 2, 3).name() == theme.DARK.chip_uploaded.background
    assert badge.text() == "Uploaded"  # said in words too


def test_a_change_of_scheme_at_run_time_is_followed(
        following: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    hints = FakeHints(Qt.ColorScheme.Light)
    monkeypatch.setattr(theme, "choose", _choosing_from(hints))
    assert appearance.follow_platform(following, LAYOUT_SHEET) is theme.LIGHT
    hints.scheme = Qt.ColorScheme.Dark
    following.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert theme.current() is theme.DARK
    _sheet_carries(following.styleSheet(), theme.DARK)
    assert following.palette().color(QPalette.ColorRole.Window).name() == "#202124"
    hints.preference = Qt.ContrastPreference.HighContrast
    following.styleHints().accessibility().contrastPreferenceChanged.emit(
        Qt.ContrastPreference.HighContrast)
    assert theme.current().name == "high-contrast"


def _choosing_from(hints: FakeHints) -> object:
    real = theme.choose

    def choose(_platform_hints: object, platform: theme.Palette) -> Colours:
        return real(hints, platform, {})

    return choose


@pytest.fixture
def inputs(qtbot: QtBot) -> tuple[QWidget, list[QWidget]]:
    """A window with one of each kind of focusable input, spaced so a ring has room."""
    window = QWidget()
    qtbot.addWidget(window)
    grid = QGridLayout(window)
    grid.setSpacing(12)
    combo = QComboBox()
    combo.addItems(["One", "Two"])
    listing = QListView()
    listing.setModel(QStringListModel(["A", "B"], listing))
    table = QTableView()
    widgets: list[QWidget] = [QLineEdit("text"), QTextEdit(), combo, QPushButton("Press"),
                              QCheckBox("Tick"), table, listing]
    for number, widget in enumerate(widgets):
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.setMaximumHeight(60)
        grid.addWidget(widget, number // 2, number % 2)
    window.resize(520, 360)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    return window, widgets


@pytest.mark.parametrize("colours", theme.SETS.values(), ids=theme.SETS.keys())
def test_a_2px_focus_ring_is_drawn_round_each_input_with_the_focus(
        following: QApplication, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot,
        inputs: tuple[QWidget, list[QWidget]], colours: Colours) -> None:
    monkeypatch.setenv(theme.VARIABLE, colours.name)
    appearance.follow_platform(following, LAYOUT_SHEET)
    window, widgets = inputs
    for widget in widgets:
        other = widgets[0] if widget is not widgets[0] else widgets[1]
        other.setFocus()
        qtbot.waitUntil(other.hasFocus)
        before = _ring_pixels(window, widget)
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        after = _ring_pixels(window, widget)
        name = type(widget).__name__
        assert set(after) == {colours.focus_ring}, name  # all round, both pixels deep
        assert colours.focus_ring not in before, name  # and only with the focus


@pytest.mark.parametrize("colours", theme.SETS.values(), ids=theme.SETS.keys())
def test_each_inputs_edge_is_drawn_in_the_sets_boundary_colour(
        following: QApplication, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot,
        inputs: tuple[QWidget, list[QWidget]], colours: Colours) -> None:
    monkeypatch.setenv(theme.VARIABLE, colours.name)
    appearance.follow_platform(following, LAYOUT_SHEET)
    window, widgets = inputs
    QApplication.processEvents()
    picture = window.grab().toImage()
    for widget in widgets:
        if isinstance(widget, QCheckBox):
            continue  # its box is smaller than the widget: below
        box = widget.geometry()
        edge = picture.pixelColor(box.left(), box.center().y()).name()
        assert edge == colours.boundary, type(widget).__name__
    check = next(w for w in widgets if isinstance(w, QCheckBox))
    inside = check.grab().toImage()
    column = [inside.pixelColor(x, inside.height() // 2).name() for x in range(inside.width())]
    assert colours.boundary in column[:6]  # the check box's left edge


def _ring_pixels(window: QWidget, widget: QWidget) -> list[str]:
    """The two pixels just outside each of the widget's four sides, at their middles."""
    QApplication.processEvents()
    picture = window.grab().toImage()
    box = widget.geometry()
    middle = box.center()
    points = []
    for depth in (1, 2):
        points += [(box.left() - depth, middle.y()), (box.right() + depth, middle.y()),
                   (middle.x(), box.top() - depth), (middle.x(), box.bottom() + depth)]
    return [picture.pixelColor(x, y).name() for x, y in points]
