"""The screenshot scripts as tests: every screen they draw, with realistic (fictional)
content, shows all of its text — no label, button or column heading cut off — and no
picture is blank. Run by hand they write the same pictures to screenshots/ to look at."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.ui import (
    screens,
    screenshot_backup,
    screenshot_carer,
    screenshot_dashboard,
    screenshot_disclosure,
    screenshot_forms,
    screenshot_lists,
    screenshot_lock,
    screenshot_record_actions,
    screenshot_retention,
)

pytestmark = pytest.mark.gui

SCRIPTS: dict[str, tuple[Callable[[Path], object], int]] = {  # script → pictures at least
    "backup": (screenshot_backup.main, 4),
    "carer": (screenshot_carer.main, 5),
    "dashboard": (screenshot_dashboard.main, 5),
    "disclosure": (screenshot_disclosure.main, 7),
    "lists": (screenshot_lists.main, 8),
    "lock": (screenshot_lock.main, 4),
    "record actions": (screenshot_record_actions.main, 17),
    "retention": (screenshot_retention.main, 3),
    "forms, filled": (lambda out: screenshot_forms.main(["--filled", "--full"], out), 30),
}


@pytest.mark.parametrize("script", SCRIPTS.values(), ids=SCRIPTS.keys())
def test_every_screen_shows_all_its_text(
        script: tuple[Callable[[Path], object], int], tmp_path: Path, qtbot: QtBot) -> None:
    main, pictures = script
    screens.PROBLEMS.clear()
    main(tmp_path)
    written = sorted(tmp_path.glob("*.png"))
    assert len(written) >= pictures
    assert all(path.stat().st_size > 2000 for path in written)
    assert screens.PROBLEMS == []
