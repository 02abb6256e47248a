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


# What the window needs that has nothing to do with Qt (and the libraries under it).
_GUI_PRELOAD = (
    "supervision_desktop.services.vault_access",
    "supervision_desktop.services.certificates",
    "supervision_desktop.services.templates",
    "supervision_desktop.services.info",
    "supervision_desktop.services.compliance",
    "supervision_desktop.services.records",
    "supervision_desktop.services.people",
    "supervision_desktop.services.actions",
    "supervision_desktop.services.search",
    "supervision_desktop.services.lifecycle",
    "supervision_desktop.services.backup",
    "supervision_desktop.services.transfer",
    "supervision_desktop.services.retention",
    "supervision_desktop.services.verify",
    "supervision_desktop.services.documents",
    "supervision_desktop.services.export",
    "supervision_desktop.services.notes",
    "supervision_desktop.services.responses",
    "supervision_desktop.services.carer_import",
    "supervision_desktop.services.cancellations",
    "supervision_desktop.store.keyring_cache",
    "holidays.countries.united_kingdom",  # bank holidays: the dashboard's first question
    "keyring",
)


def _preload_before_qt() -> None:
    """Import the layers below the GUI before PySide6. Once PySide6 is imported, its
    ``__feature__`` import hook reads the whole source of every module imported after it
    (to look for the word "PySide6") and linecache keeps it: for SQLAlchemy, pydantic and
    the rest that is 24 MB held for the life of the process and 0.1 s at every start.
    The keyring's backend is found here too (the window asks it first thing): finding it
    imports a dozen modules. Only an optimisation: anything missing is imported later."""
    import contextlib
    import importlib

    for name in _GUI_PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    with contextlib.suppress(Exception):  # the unlock path reports keyring problems itself
        import keyring

        keyring.get_keyring()


def main(argv: Sequence[str] | None = None) -> int:
    from supervision_desktop import crash

    argv = list(sys.argv[1:] if argv is None else argv)
    crash.install()  # the last resort; the GUI installs it again with a way to save work
    if _wants_gui(argv):
        _preload_before_qt()
        from supervision_desktop.ui.shell.app import run_gui

        vault = argv[1] if argv[:1] == ["--vault"] else (argv[0][8:] if argv else None)
        return run_gui(vault)
    from supervision_desktop.cli import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
