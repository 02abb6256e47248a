"""Supervisees, foster carer households and children."""

from __future__ import annotations

import argparse
from typing import Any

from supervision_desktop.cli.common import (
    add_command,
    date_argument,
    print_json,
    print_table,
    read_json_file,
    unlock,
)
from supervision_desktop.domain.dates import uk_date


def cmd_person_add(args: argparse.Namespace) -> None:
    from supervision_desktop.services.people import add_person

    data = read_json_file(args.data)
    with unlock(args) as vault:
        person = add_person(vault, args.kind, data)
    print(person.id)


def cmd_person_list(args: argparse.Namespace) -> None:
    from supervision_desktop.services.people import PersonView, list_people

    with unlock(args) as vault:
        people = list_people(vault, args.kind)
    if args.json:
        print_json(people, list[PersonView])
        return
    print_table([(p.id, p.kind, p.name) for p in people], ("ID", "KIND", "NAME"))


def cmd_person_end(args: argparse.Namespace) -> None:
    from supervision_desktop.errors import InvalidInput
    from supervision_desktop.services.people import set_end

    if args.clear == bool(args.on):
        raise InvalidInput("Give either --on DATE --reason TEXT, or --clear.")
    with unlock(args) as vault:
        person = set_end(vault, args.person_id, None if args.clear else args.on,
                         args.reason or "")
    if person.ended_on:
        print(f"{person.name}: work ended on {uk_date(person.ended_on)} "
              f"({person.end_reason}). Their records now follow the retention rules.")
    else:
        print(f"{person.name}: end date cleared; their records are kept.")


def cmd_person_remove(args: argparse.Namespace) -> None:
    from supervision_desktop.errors import InvalidInput
    from supervision_desktop.services.people import get_person, remove_person

    if not args.confirm:
        raise InvalidInput("Removing a person deletes their name and details for good: add "
                           "--confirm. Nothing was removed.")
    with unlock(args) as vault:
        name = get_person(vault, args.person_id).name
        remove_person(vault, args.person_id)
    print(f"Removed {name}.")


def register(commands: Any) -> None:
    person = commands.add_parser("person", help="supervisees, carer households, children")
    actions = person.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    person_add = add_command(actions, "add", cmd_person_add, "add a person; prints the id")
    person_add.add_argument("--kind", required=True, choices=("supervisee", "carer", "child"))
    person_add.add_argument("--data", required=True, metavar="FILE.json")
    person_list = add_command(actions, "list", cmd_person_list, "list people")
    person_list.add_argument("--kind", choices=("supervisee", "carer", "child"))
    person_list.add_argument("--json", action="store_true")
    person_end = add_command(actions, "end", cmd_person_end,
                             "record when the work with a person ended (left, approval "
                             "ended, case closed), or --clear it")
    person_end.add_argument("person_id", metavar="ID")
    person_end.add_argument("--on", type=date_argument, metavar="DD/MM/YYYY")
    person_end.add_argument("--reason", metavar="TEXT", help='e.g. "Left the team"')
    person_end.add_argument("--clear", action="store_true", help="remove the end date")
    person_remove = add_command(actions, "remove", cmd_person_remove,
                                "delete a person who has no records left (--confirm)")
    person_remove.add_argument("person_id", metavar="ID")
    person_remove.add_argument("--confirm", action="store_true")
