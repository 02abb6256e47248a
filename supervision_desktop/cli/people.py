"""Supervisees, foster carer households and children."""

from __future__ import annotations

import argparse
from typing import Any

from supervision_desktop.cli.common import (
    add_command,
    print_json,
    print_table,
    read_json_file,
    unlock,
)


def cmd_person_add(args: argparse.Namespace) -> None:
    from supervision_desktop.services.people import add_person

    data = read_json_file(args.data)
    with unlock(args) as vault:
        person = add_person(vault, args.kind, data)
    print(person.id)


def cmd_person_list(args: argparse.Namespace) -> None:
    from supervision_desktop.services.people import list_people

    with unlock(args) as vault:
        people = list_people(vault, args.kind)
    if args.json:
        print_json([p.as_dict() for p in people])
        return
    print_table([(p.id, p.kind, p.name) for p in people], ("ID", "KIND", "NAME"))


def register(commands: Any) -> None:
    person = commands.add_parser("person", help="supervisees, carer households, children")
    actions = person.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    person_add = add_command(actions, "add", cmd_person_add, "add a person; prints the id")
    person_add.add_argument("--kind", required=True, choices=("supervisee", "carer", "child"))
    person_add.add_argument("--data", required=True, metavar="FILE.json")
    person_list = add_command(actions, "list", cmd_person_list, "list people")
    person_list.add_argument("--kind", choices=("supervisee", "carer", "child"))
    person_list.add_argument("--json", action="store_true")
