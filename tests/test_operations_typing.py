"""The background-operation helper is typed: mypy (strict, as CI runs it) accepts a
callback that takes what the work returns and rejects one that does not."""

from __future__ import annotations

import textwrap
from pathlib import Path

from mypy import api

USES = textwrap.dedent('''
    from supervision_desktop.ui.common.background import (
        Progress, run_in_background, run_with_progress,
    )

    def count() -> int:
        return 3

    def show_text(text: str) -> None:
        print(text)

    def show_number(number: int) -> None:
        print(number + 1)

    def name(progress: Progress) -> str:
        progress(0.5, "Half way")
        progress.check()
        return "Kai"

    run_in_background(count, show_number, print)
    run_in_background(count, show_text, print)  # error: an int is not a str
    run_with_progress(name, show_text, print, lambda fraction, text: None)
    run_with_progress(name, show_number, print, lambda fraction, text: None)  # error: str, not int
    run_with_progress(count, show_number, print, lambda fraction, text: None)  # error: no progress
''')


def test_mypy_checks_what_the_callbacks_receive(tmp_path: Path) -> None:
    uses = tmp_path / "uses.py"
    uses.write_text(USES, encoding="utf-8")
    out, _err, status = api.run(["--strict", "--follow-imports=silent",
                                 "--no-error-summary", str(uses)])
    lines = sorted({int(line.split(":")[1]) for line in out.splitlines() if ": error:" in line})
    assert status == 1
    expected = [number for number, line in enumerate(USES.splitlines(), start=1)
                if "# error" in line]
    assert len(expected) == 3
    assert lines == expected, out
