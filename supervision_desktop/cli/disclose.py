"""Subject access: one signed PDF of everything held about a person, others' names removed."""

from __future__ import annotations

import argparse
from typing import Any

from supervision_desktop.cli.common import add_command, print_json, print_table, unlock


def cmd_disclose(args: argparse.Namespace) -> None:
    from supervision_desktop.services.disclosure import disclose

    with unlock(args) as vault:
        result = disclose(vault, args.person, args.out, keep=args.keep)
    if args.json:
        print_json(result)
        return
    print(f"Wrote {result.path} (signed): {result.items} items, {result.redacted} "
          "redactions.")
    if result.items == 0:
        print("Nothing is held about this person; the file says so.")
    if result.drafts:
        print(f"{result.drafts} draft(s) listed without their text: finalise them and "
              "disclose again to include it.")
    if result.signatures_left_out:
        print(f"{result.signatures_left_out} drawn signature(s) of other people not "
              "reproduced.")
    rows = [[r.name, r.kind, r.whose, str(r.count), ", ".join(map(str, r.items)),
             "kept" if r.kept else "redacted"] for r in result.redactions]
    print("Redactions (keep a name with --keep NAME):")
    print_table(rows, ["Name", "Kind", "Whose", "Times", "In items", "Done"])


def register(commands: Any) -> None:
    sub = add_command(commands, "disclose", cmd_disclose,
                      "subject access: one signed PDF of everything held about a person, "
                      "other people's names and ids redacted")
    sub.add_argument("--person", required=True, metavar="ID", help="the person's id")
    sub.add_argument("--out", required=True, metavar="DIR",
                     help="folder to write the PDF in (made if missing)")
    sub.add_argument("--keep", action="append", default=[], metavar="NAME",
                     help="leave this proposed redaction in the text (a name as listed, or "
                          "a person's full name for all their names); repeatable")
    sub.add_argument("--json", action="store_true")
