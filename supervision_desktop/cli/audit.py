"""The audit log from the command line: list, check the chain, export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from supervision_desktop.cli.common import (
    EXIT_USER_ERROR,
    add_command,
    print_json,
    print_table,
    unlock,
)
from supervision_desktop.domain.dates import local_time


def cmd_list(args: argparse.Namespace) -> None:
    from supervision_desktop.services import audit

    with unlock(args) as vault:
        found = audit.entries(vault, record_id=args.record, limit=args.limit)
    if args.json:
        print_json(found, list[audit.AuditEntry])
        return
    print_table([(str(e.id), local_time(e.at, seconds=True), e.actor, e.action,
                  e.record_id or "", e.detail) for e in found],
                ("#", "WHEN (UTC)", "WHO", "ACTION", "RECORD", "DETAIL"))


def cmd_check(args: argparse.Namespace) -> int:
    from supervision_desktop.services import audit

    with unlock(args) as vault:
        result = audit.check_log(vault)
    if result.ok:
        print(result.message)
        return 0
    print(f"error: {result.message}", file=sys.stderr)
    return EXIT_USER_ERROR


def cmd_export(args: argparse.Namespace) -> None:
    from supervision_desktop.services import audit

    with unlock(args) as vault:
        count = audit.export_csv(vault, Path(args.out), record_id=args.record)
    print(f"Wrote {count} audit entr{'ies' if count != 1 else 'y'} to {args.out}.")


def register(commands: Any) -> None:
    group = commands.add_parser("audit", help="the audit log: list, check, export")
    actions = group.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    listing = add_command(actions, "list", cmd_list, "entries, newest first")
    listing.add_argument("--record", metavar="ID", help="only this record's entries")
    listing.add_argument("--limit", type=int, metavar="N")
    listing.add_argument("--json", action="store_true")
    add_command(actions, "check", cmd_check,
                "check no entry was removed or changed (exit 1 if one was)")
    export = add_command(actions, "export", cmd_export, "write the log as CSV")
    export.add_argument("--out", required=True, metavar="FILE.csv")
    export.add_argument("--record", metavar="ID", help="only this record's entries")
