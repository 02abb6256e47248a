"""``supervision-desktop --self-test``: the smoke test every build runs, without a display."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from supervision_desktop import self_test

STEP_NAMES = [name for name, _step in self_test.STEPS]


def _isolated_env(tmp_path: Path) -> dict[str, str]:
    """No display, and a home, data folder and temp folder of the test's own."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("DISPLAY", "WAYLAND_DISPLAY", "SUPERVISION_PASSPHRASE")}
    for name in ("home", "data", "config", "tmp"):
        (tmp_path / name).mkdir()
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), TMPDIR=str(tmp_path / "tmp"),
               PYTHONIOENCODING="utf-8")
    env.pop("QT_QPA_PLATFORM", None)  # the self-test must choose offscreen itself
    return env


@pytest.mark.gui
def test_self_test_passes_every_step_offscreen_and_leaves_nothing_behind(tmp_path: Path) -> None:
    env = _isolated_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "supervision_desktop", "--self-test"],
        env=env, capture_output=True, text=True, encoding="utf-8", timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    passed = [line for line in lines if line.startswith("✓")]
    assert len(passed) == len(STEP_NAMES)
    for number, (line, name) in enumerate(zip(passed, STEP_NAMES, strict=True), start=1):
        assert line.startswith(f"✓ {number:2}. {name} — ")
        assert line.endswith(" s)")  # each step is timed
    assert "Self-test passed" in lines[-1]
    assert "Traceback" not in result.stderr
    # The person's own vault and settings are not touched, and the scratch vault is gone.
    assert not (tmp_path / "data" / "SupervisionDesktop").exists()
    assert not (tmp_path / "config" / "SupervisionDesktop").exists()
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_failing_step_is_named_and_stops_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []

    def good(_state: object) -> str:
        ran.append("good")
        return "fine"

    def broken(_state: object) -> str:
        ran.append("broken")
        raise self_test.StepFailed("the PDF does not match the record in the vault")

    def never(_state: object) -> str:
        ran.append("never")
        return "unreachable"

    monkeypatch.setattr(self_test, "STEPS", (("first", good), ("verify the PDF", broken),
                                              ("last", never)))
    out = io.StringIO()
    status = self_test.run(out)
    assert status == self_test.EXIT_FAILED
    assert ran == ["good", "broken"]
    report = out.getvalue()
    assert "verify the PDF: StepFailed: the PDF does not match the record in the vault" in report
    assert report.strip().endswith("Self-test FAILED at step 2 (verify the PDF).")


def test_a_console_that_cannot_show_ticks_gets_plain_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(self_test, "STEPS", (("first", lambda _state: "fine"),))
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="cp1252")  # a Windows console code page
    assert self_test.run(out) == 0
    out.flush()
    text = raw.getvalue().decode("cp1252")
    assert "OK  1. first — fine" in text
    assert "Self-test passed (1 of 1 steps" in text


def test_sample_values_fill_every_field_of_every_shipped_template() -> None:
    from supervision_desktop.domain.templates import validate_values
    from supervision_desktop.services import templates

    for template in templates.catalogue().templates:
        values = self_test.sample_values(template)
        assert set(values) == {field.id for field in template.fields()}, template.id
        assert validate_values(template, values) == [], template.id
