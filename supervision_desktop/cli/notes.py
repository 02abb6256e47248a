"""A carer's notes: life story notes (a child may read them) and professional notes."""

from __future__ import annotations

import argparse
from typing import Any

from supervision_desktop.cli.common import add_command, print_json, print_table, unlock
from supervision_desktop.domain.dates import uk_date

KINDS = ("life_story", "professional")


def cmd_notes_add(args: argparse.Namespace) -> None:
    from supervision_desktop.services.notes import add_note

    with unlock(args) as vault:
        note = add_note(vault, args.kind, child_id=args.child, written_on=args.date,
                        title=args.title, body=args.body)
    print(note.id)


def cmd_notes_edit(args: argparse.Namespace) -> None:
    from supervision_desktop.services.notes import edit_note

    with unlock(args) as vault:
        edit_note(vault, args.id, title=args.title, body=args.body, written_on=args.date)
    print("Note changed.")


def cmd_notes_delete(args: argparse.Namespace) -> None:
    from supervision_desktop.services.notes import delete_note

    with unlock(args) as vault:
        delete_note(vault, args.id)
    print("Note deleted.")


def cmd_notes_list(args: argparse.Namespace) -> None:
    from supervision_desktop.services.notes import NoteView, list_notes

    with unlock(args) as vault:
        found = list_notes(vault, args.kind, child_id=args.child)
    if args.json:
        print_json(found, list[NoteView])
        return
    print_table([(n.id, uk_date(n.written_on), n.child_name or "-", n.title)
                 for n in found], ("ID", "DATE", "CHILD", "TITLE"))


def cmd_notes_export(args: argparse.Namespace) -> None:
    from supervision_desktop.services.notes import export_life_story

    with unlock(args) as vault:
        path = export_life_story(vault, args.out, child_id=args.child)
    print(f"Wrote {path} (signed).")


def register(commands: Any) -> None:
    notes = commands.add_parser("notes", help="a carer's life story and professional notes")
    actions = notes.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    add = add_command(actions, "add", cmd_notes_add, "add a note; prints its id")
    add.add_argument("--kind", required=True, choices=KINDS)
    add.add_argument("--child", metavar="ID", help="the child the note is about")
    add.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    add.add_argument("--title", default="")
    add.add_argument("--body", default="")
    edit = add_command(actions, "edit", cmd_notes_edit, "change a note's title, body or date")
    edit.add_argument("id")
    edit.add_argument("--title")
    edit.add_argument("--body")
    edit.add_argument("--date", metavar="YYYY-MM-DD")
    add_command(actions, "delete", cmd_notes_delete, "delete a note").add_argument("id")
    listing = add_command(actions, "list", cmd_notes_list, "list notes of one kind")
    listing.add_argument("--kind", required=True, choices=KINDS)
    listing.add_argument("--child", metavar="ID")
    listing.add_argument("--json", action="store_true")
    export = add_command(actions, "export", cmd_notes_export,
                         "a signed PDF of the life story notes (never professional notes)")
    export.add_argument("--kind", required=True, choices=("life_story",),
                        help="only life story notes are exported")
    export.add_argument("--child", metavar="ID", help="one child's notes only")
    export.add_argument("--out", required=True, metavar="FILE.pdf")
