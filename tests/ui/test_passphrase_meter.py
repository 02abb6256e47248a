"""The strength meter wherever a new passphrase is typed: it follows the typing, says the
verdict in words (not colour alone) to eyes and screen readers, and weak ones are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from supervision_desktop.domain.passphrase import SUGGESTION
from supervision_desktop.ui.common.passphrase_strength import EMPTY_HINT
from supervision_desktop.ui.shell.first_run import FirstRunWindow
from supervision_desktop.ui.shell.unlock import UnlockWindow
from supervision_desktop.ui.vault_admin.change_passphrase_dialog import ChangePassphraseDialog

pytestmark = pytest.mark.gui

COMMON = f"Too easy to guess: it is one of the most common passwords, or close to one. {SUGGESTION}"
NAME = ("Too easy to guess: it contains your name, which people who know you could guess. "
        f"{SUGGESTION}")


def _never(*_args: object) -> object:
    raise AssertionError("must not be called with a weak passphrase")


def test_first_run_meter_follows_typing_in_words(tmp_path: Path, qtbot: QtBot) -> None:
    window = FirstRunWindow(tmp_path / "vault", _never)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    meter = window.strength
    assert (meter.bar.format(), meter.hint.text()) == ("Not typed yet", EMPTY_HINT)
    assert meter.bar.accessibleName() == "Passphrase strength"

    qtbot.keyClicks(window.passphrase, "Password123!")
    qtbot.waitUntil(lambda: meter.bar.format() == "Weak: not accepted", timeout=3000)
    assert meter.bar.value() == 1
    assert meter.hint.text() == COMMON
    assert meter.bar.accessibleDescription() == f"Weak: not accepted. {COMMON}"

    window.passphrase.clear()
    qtbot.keyClicks(window.passphrase, "gravel moth cinema tulip")
    qtbot.waitUntil(lambda: meter.bar.format() == "Very strong: accepted", timeout=3000)
    assert (meter.bar.value(), meter.hint.text()) == (4, "Very strong.")


def test_first_run_refuses_the_owners_name_and_creates_nothing(
    tmp_path: Path, qtbot: QtBot
) -> None:
    window = FirstRunWindow(tmp_path / "vault", _never)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.name.setText("Bryn Testing")
    window.passphrase.setText("Bryn Testing 2026")
    window.repeat.setText("Bryn Testing 2026")
    window.create_button.click()
    assert window.error.text() == NAME
    assert window.strength.hint.text() == NAME  # the meter shows it at once too
    assert not (tmp_path / "vault").exists()


def test_change_passphrase_dialog_meter_and_refusal(qtbot: QtBot) -> None:
    changed: list[tuple[str, str]] = []
    dialog = ChangePassphraseDialog(lambda c, n: changed.append((c, n)),
                                    owner_name="Morgan Testwell")
    qtbot.addWidget(dialog)
    dialog.current.setText("correct horse battery staple")
    qtbot.keyClicks(dialog.new, "Testwell2026!")
    qtbot.waitUntil(lambda: dialog.strength.hint.text() == NAME, timeout=3000)
    assert dialog.strength.bar.format().endswith(": not accepted")
    dialog.repeat.setText("Testwell2026!")
    dialog._apply()
    assert dialog.error.text() == f"New passphrase: {NAME}"
    assert changed == []

    dialog.new.setText("kettle lantern harbour quince")
    dialog.repeat.setText("kettle lantern harbour quince")
    dialog._apply()
    assert changed == [("correct horse battery staple", "kettle lantern harbour quince")]


def test_recovery_page_has_the_meter_and_refuses_weak(tmp_path: Path, qtbot: QtBot) -> None:
    window = UnlockWindow(tmp_path, _never, _never)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.recovery_key.setText("AAAA-BBBB")
    window.new_passphrase.setText(" " * 10)
    window.new_repeat.setText(" " * 10)
    window.recover_button.click()
    only_spaces = f"Too easy to guess: it is only spaces. {SUGGESTION}"
    assert window.recovery_error.text() == f"New passphrase: {only_spaces}"
    assert window.new_strength.hint.text() == only_spaces
    assert window.new_strength.bar.format() == "Very weak: not accepted"


def test_a_long_paste_does_not_stall_typing(tmp_path: Path, qtbot: QtBot) -> None:
    import time

    window = FirstRunWindow(tmp_path / "vault", _never)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    started = time.perf_counter()
    window.passphrase.setText("gravel moth cinema tulip " * 8)  # 200 characters
    assert time.perf_counter() - started < 0.5  # the estimate waits for a pause
    qtbot.waitUntil(lambda: window.strength.bar.value() == 4, timeout=3000)
