"""What the screenshot scripts share: let a window settle, save its picture, and note what a
person looking at it would call broken — text cut off, a blank picture.

The scripts run by hand (to look at the screens) and as tests (tests/ui/test_screens.py),
which fail on anything noted in ``PROBLEMS``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QHeaderView,
    QLabel,
    QRadioButton,
    QWidget,
)

PROBLEMS: list[str] = []  # "<picture>: <what is wrong>", for the test to report
SLACK_PX = 1  # rounding in Qt's text metrics


def settle(milliseconds: int = 30) -> None:
    """Let layouts, tables fitting their rows and queued signals finish."""
    for _ in range(3):
        QApplication.processEvents()
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


def wait_until(done: Callable[[], bool], seconds: float = 120) -> None:
    """Run the event loop until done() (background work reported back), or fail."""
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"still waiting after {seconds:g} s")
        settle(10)


def _label_problem(label: QLabel) -> str:
    text = label.text()
    if not text or label.textFormat() == Qt.TextFormat.RichText or label.pixmap() is not None:
        return ""
    have = label.contentsRect()
    if label.wordWrap():
        need = label.heightForWidth(have.width())
        if need > have.height() + SLACK_PX:
            return f"the text “{text[:50]}” is cut off at the bottom ({need} px in {have.height()})"
        return ""
    need = max(label.fontMetrics().horizontalAdvance(line) for line in text.splitlines())
    if need > have.width() + SLACK_PX:
        return f"the text “{text[:50]}” is cut off ({need} px in {have.width()})"
    return ""


def _button_problem(button: QAbstractButton) -> str:
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    if not text:
        return ""
    if button.sizeHint().width() > button.width() + SLACK_PX:
        kind = "check box" if isinstance(button, QCheckBox | QRadioButton) else "button"
        return (f"the {kind} “{text[:50]}” is cut off "
                f"({button.sizeHint().width()} px in {button.width()})")
    return ""


def _header_problems(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None or header.orientation() != Qt.Orientation.Horizontal:
        return []
    problems = []
    metrics = header.fontMetrics()
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
        need = max((metrics.horizontalAdvance(line) for line in text.splitlines()),
                   default=0) + 2 * 6  # Qt's header margins
        if text and need > header.sectionSize(section) + SLACK_PX:
            problems.append(f"the column heading “{text}” is cut off "
                            f"({need} px in {header.sectionSize(section)})")
    return problems


def cut_off(window: QWidget) -> list[str]:
    """Every visible piece of text in ``window`` that does not fit the space it has."""
    problems = []
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisible() or widget.width() <= 0:
            continue
        if isinstance(widget, QLabel):
            problems.append(_label_problem(widget))
        elif isinstance(widget, QAbstractButton):
            problems.append(_button_problem(widget))
        elif isinstance(widget, QHeaderView):
            problems.extend(_header_problems(widget))
    return [problem for problem in problems if problem]


def save(widget: QWidget, path: Path) -> Path:
    """Save a picture of ``widget`` and note anything cut off or blank in it."""
    settle()
    picture = widget.grab()
    picture.save(str(path))
    image = picture.toImage().scaled(64, 64)
    colours = {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}
    if len(colours) < 3:
        PROBLEMS.append(f"{path.name}: the picture is blank")
    PROBLEMS.extend(f"{path.name}: {problem}" for problem in cut_off(widget))
    print(path)
    return path
