"""The screenshot scripts in the dark and high-contrast sets: every screen still shows all
its text and no picture is blank. Run by hand, it writes every script's pictures in each
set, to look at:

    QT_QPA_PLATFORM=offscreen python -m tests.ui.test_theme_screens [OUT_DIR] [SET ...]

PNGs go to OUT_DIR/<set>/ (default: screenshots/themes/ in the checkout, which git ignores);
QT_SCALE_FACTOR=2 draws them at 200 %.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from supervision_desktop.ui.common import appearance, theme
from supervision_desktop.ui.common.widgets import LAYOUT_SHEET
from tests.ui import (
    screens,
    screenshot_backup,
    screenshot_carer,
    screenshot_dashboard,
    screenshot_forms,
    screenshot_lists,
    screenshot_lock,
    screenshot_record_actions,
    screenshot_retention,
)

pytestmark = pytest.mark.gui

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "screenshots" / "themes"
SCRIPTS: dict[str, tuple[ModuleType, Callable[[Path], object]]] = {
    "backup": (screenshot_backup, screenshot_backup.main),
    "carer": (screenshot_carer, screenshot_carer.main),
    "dashboard": (screenshot_dashboard, screenshot_dashboard.main),
    "lists": (screenshot_lists, screenshot_lists.main),
    "lock": (screenshot_lock, screenshot_lock.main),
    "record actions": (screenshot_record_actions, screenshot_record_actions.main),
    "retention": (screenshot_retention, screenshot_retention.main),
    "forms": (screenshot_forms, lambda out: screenshot_forms.main(
        ["--filled", "staff-supervision-social-worker", "foster-carer-supervision"], out)),
}


def themed(app: QApplication, name: str) -> str:
    """Apply the set ``name`` to ``app`` as the app does; the sheet the scripts should set."""
    os.environ[theme.VARIABLE] = name  # as a user would ask for it
    colours = appearance.follow_platform(app, LAYOUT_SHEET)
    assert colours is theme.SETS[name]
    return LAYOUT_SHEET + theme.style_sheet(colours)


def shoot(app: QApplication, name: str, out: Path) -> None:
    """Every script's pictures in the set ``name``, into ``out``."""
    sheet = themed(app, name)
    for module, main in SCRIPTS.values():
        module.STYLE_SHEET = sheet  # type: ignore[attr-defined]  # what main() sets
        main(out)


@pytest.fixture
def app_in(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], str]]:
    def apply(name: str) -> str:
        monkeypatch.setenv(theme.VARIABLE, name)
        return themed(qapp, name)

    yield apply
    appearance.unfollow(qapp)


@pytest.mark.parametrize("name", ["dark", "high-contrast"])
@pytest.mark.parametrize("script", ["lists", "record actions", "dashboard"])
def test_each_screen_shows_all_its_text_in_the_dark_and_high_contrast_sets(
        app_in: Callable[[str], str], name: str, script: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    module, main = SCRIPTS[script]
    monkeypatch.setattr(module, "STYLE_SHEET", app_in(name))
    screens.PROBLEMS.clear()
    main(tmp_path)
    assert len(list(tmp_path.glob("*.png"))) >= 5
    assert screens.PROBLEMS == []
    assert theme.current() is theme.SETS[name]


def run(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    names = argv[1:] or list(theme.SETS)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    for name in names:
        shoot(app, name, out / name)
    for problem in screens.PROBLEMS:
        print(problem, file=sys.stderr)
    return 1 if screens.PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
