"""The one composition root: arguments → paths → the command line or the GUI."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _wants_gui(argv: Sequence[str]) -> bool:
    """No command (only --vault DIR, if anything) opens the window."""
    rest = list(argv)
    if rest[:1] == ["--vault"] and len(rest) >= 2:
        rest = rest[2:]
    elif rest[:1] and rest[0].startswith("--vault="):
        rest = rest[1:]
    return not rest


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if _wants_gui(argv):
        from supervision_desktop.ui.app import run_gui

        vault = argv[1] if argv[:1] == ["--vault"] else (argv[0][8:] if argv else None)
        return run_gui(vault)
    from supervision_desktop.cli import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
