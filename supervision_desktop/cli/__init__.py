"""The command line: the same services as the GUI, for automation and agency IT.

Errors are one clear line on stderr and a non-zero exit, never a traceback:
1 for something the user can fix, 2 for wrong usage, 70 for a bug (its report, without
record content, goes to the crash log: see crash.py). Each command group
lives in its own module with a ``register(commands)`` function.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from supervision_desktop import __version__, crash
from supervision_desktop.cli import (
    agency,
    audit,
    backup,
    carer,
    compliance,
    disclose,
    documents,
    export,
    notes,
    people,
    records,
    retention,
    templates,
    transfer,
    vault,
)
from supervision_desktop.cli.common import EXIT_USER_ERROR, common_options
from supervision_desktop.errors import UserError

EXIT_BUG = crash.EXIT_CRASH
COMMAND_GROUPS = (vault, people, templates, records, export, documents, compliance, notes,
                  carer, disclose, backup, transfer, retention, audit, agency)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="supervision-desktop",
        description="Supervision records, encrypted on this computer. "
        "With no command, opens the application window.",
        parents=[common_options()],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation works, without a display; exit 0 if so")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


def _quiet_stdout() -> None:
    """After a closed pipe, send what is left of stdout nowhere, so the flush at exit
    does not raise again (the recipe in Python's signal documentation)."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def run(argv: Sequence[str]) -> int:
    """Run one command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:  # a composition root of its own (it builds Qt widgets offscreen)
        from supervision_desktop import self_test

        return self_test.main()
    if not hasattr(args, "vault"):
        args.vault = None
    try:
        status = args.handler(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `audit list | head`: the reader has all it wanted
        _quiet_stdout()
        return 0
    except Exception as exc:  # a bug: one calm line, the report in the crash log
        if os.environ.get("SUPERVISION_DEBUG"):
            raise
        crash.CrashHook(None, crash.show_on_stderr).handle(exc)
        return EXIT_BUG
    return status or 0
