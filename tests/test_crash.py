"""The last resort: a bug in a command is one calm line, exit 70, and a private crash report
that holds no record content."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from supervision_desktop import crash
from supervision_desktop.services import people
from supervision_desktop.store.vault import Vault
from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[1]
NAME = "Zebedee Quarrington"  # fictional; must never reach the crash log
WORDS = "confided about the allotment"

# A command with a bug: it reads the person, then fails with their name in the message.
BUGGY_COMMAND = f"""
import sys
from supervision_desktop.cli import people

def buggy(args):
    with people.unlock(args) as vault:
        from supervision_desktop.services.people import list_people
        name = list_people(vault)[0].name
    private = name + " {WORDS}"
    raise ValueError(private)

people.cmd_person_list = buggy
from supervision_desktop.__main__ import main
sys.exit(main(["person", "list", "--vault", sys.argv[1]]))
"""


@pytest.fixture
def hooks() -> Iterator[None]:
    """The process's hooks put back after a test that installs its own."""
    saved = sys.excepthook, threading.excepthook
    yield
    sys.excepthook, threading.excepthook = saved


def _check_log(log: Path, kind: str) -> str:
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    text = log.read_text(encoding="utf-8")
    assert f"exception: {kind} (message withheld)" in text
    for word in (*NAME.split(), WORDS, "allotment"):
        assert word not in text
    return text


def test_a_bug_in_a_cli_command_is_one_calm_line_and_a_private_report(
    vault: Vault, vault_folder: Path, tmp_path: Path
) -> None:
    people.add_person(vault, "supervisee", {"name": NAME})
    vault.close()
    data_home = tmp_path / "data"
    env = {**os.environ, "SUPERVISION_PASSPHRASE": PASSPHRASE, "XDG_DATA_HOME": str(data_home),
           "PYTHONPATH": str(ROOT)}
    env.pop("SUPERVISION_DEBUG", None)
    done = subprocess.run([sys.executable, "-c", BUGGY_COMMAND, str(vault_folder)], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    log = data_home / "SupervisionDesktop" / "logs" / "crash.log"
    assert done.returncode == crash.EXIT_CRASH == 70
    assert done.stdout == ""
    assert done.stderr == (
        "error: Something went wrong inside Supervision Desktop. A report without any record "
        f"content was written to {log}; you can send it to your IT support.\n")
    text = _check_log(log, "builtins.ValueError")
    assert "in buggy" in text and "supervision_desktop/cli/__init__.py:" in text
    assert "Traceback" not in done.stderr and NAME not in done.stderr


def test_the_report_names_types_and_frames_only() -> None:
    def inner() -> None:
        secret = {NAME: WORDS}
        raise KeyError(secret)

    try:
        try:
            inner()
        except KeyError as exc:
            raise RuntimeError(f"{NAME} again") from exc
    except RuntimeError as exc:
        text = crash.report_text(exc, now=dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC))
    lines = text.splitlines()
    assert lines[0] == "--- crash at 2026-11-22T09:30:00+00:00"
    assert lines[1].startswith("Supervision Desktop 0.1.0; Python 3.")
    assert "exception: builtins.RuntimeError (message withheld)" in lines
    assert "while handling: builtins.KeyError (message withheld)" in lines
    assert any(line.endswith(" in inner") and line.startswith("  test_crash.py:")
               for line in lines)
    assert NAME not in text and WORDS not in text


def test_threads_and_uncaught_errors_reach_the_hook_with_the_work_saved(
    tmp_path: Path, hooks: None
) -> None:
    shown: list[str] = []
    saves: list[str] = []
    log = tmp_path / "logs" / "crash.log"
    crash.install(save_work=lambda: saves.append("saved"), show=shown.append, log_file=log)

    def worker() -> None:
        raise OSError(f"{NAME}'s file")

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert saves == ["saved"]
    assert shown == [f"Something went wrong inside Supervision Desktop. Your work was saved. "
                     f"A report without any record content was written to {log}; you can "
                     "send it to your IT support."]
    _check_log(log, "builtins.OSError")

    def failing_save() -> None:
        raise RuntimeError("the save failed too")

    crash.install(save_work=failing_save, show=shown.append, log_file=log)
    try:
        raise ZeroDivisionError(NAME)
    except ZeroDivisionError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert shown[-1].startswith("Something went wrong inside Supervision Desktop. Your last "
                                "autosave is kept; what was typed since may need checking.")
    text = _check_log(log, "builtins.ZeroDivisionError")
    assert "exception: builtins.RuntimeError (message withheld)" in text  # the failed save


def test_the_log_rotates_and_every_file_stays_private(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "crash.log"
    error = ValueError("x")
    report = len(crash.report_text(error).encode())
    for _ in range(crash.LOG_BYTES * (crash.LOG_BACKUPS + 2) // report):
        assert crash.write_report(error, log) == log
    files = sorted(p.name for p in log.parent.iterdir())
    assert files == ["crash.log", "crash.log.1", "crash.log.2", "crash.log.3"]
    for path in log.parent.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.stat().st_size <= crash.LOG_BYTES


def test_no_report_when_the_disk_cannot_take_it_still_gives_a_message(tmp_path: Path) -> None:
    blocked = tmp_path / "logs"
    blocked.write_text("a file where the folder should be")
    assert crash.write_report(ValueError("x"), blocked / "crash.log") is None
    assert crash.calm_message(None, None) == (
        "Something went wrong inside Supervision Desktop. No report could be written (is the "
        "disk full?).")
