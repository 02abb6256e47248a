"""Supervision records: create, show, list, finalise, amend."""

from __future__ import annotations

import argparse
import json
from typing import Any

from supervision_desktop.cli.common import (
    add_command,
    json_data,
    print_json,
    print_table,
    read_json_file,
    unlock,
)
from supervision_desktop.domain.dates import uk_date
from supervision_desktop.errors import InvalidInput


def cmd_record_create(args: argparse.Namespace) -> None:
    from supervision_desktop.services.records import create_record
    from supervision_desktop.services.templates import get_template

    template = get_template(args.template)
    data = read_json_file(args.data)
    if not isinstance(data, dict):
        raise InvalidInput("The data file must hold an object with subject, date and fields.")
    unknown = set(data) - {"subject", "date", "fields"}
    if unknown:
        raise InvalidInput(f"Unknown keys in the data file: {', '.join(sorted(unknown))}.")
    fields = data.get("fields", {})
    if not isinstance(fields, dict):
        raise InvalidInput("'fields' must be an object of field id to value.")
    with unlock(args) as vault:
        record_id = create_record(
            vault, template, subject_id=data.get("subject"), session_date=data.get("date"),
            fields=fields,
        )
    print(record_id)


def cmd_record_show(args: argparse.Namespace) -> None:
    from supervision_desktop.cli.documents import response_line
    from supervision_desktop.services.documents import ResponseView, responses_to
    from supervision_desktop.services.records import RecordView, open_record

    with unlock(args) as vault:
        record = open_record(vault, args.id)
        responses = responses_to(vault, args.id)
    if args.json:
        print_json({**json_data(record, RecordView),
                    "responses": json_data(responses, list[ResponseView])})
        return
    summary = record.summary
    print(f"{summary.template_title}")
    print(f"Record {summary.id}, version {summary.version}, {summary.status.label}")
    print(f"About: {summary.subject_name or '-'}   Date: "
          f"{uk_date(summary.session_date, '-')}")
    for section in record.template.sections:
        print()
        print(f"== {section.title}")
        for item in section.fields:
            value = record.fields.get(item.id)
            if value in (None, "", [], {}):
                continue
            shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            print(f"{item.label}:")
            print(f"   {shown}")
    if responses:
        print()
        print("== Responses")
        for response in responses:
            print(response_line(response))


def cmd_record_list(args: argparse.Namespace) -> None:
    from supervision_desktop.services.records import RecordSummary, list_records

    if args.drafts:
        _list_drafts(args)
        return
    with unlock(args) as vault:
        records = list_records(vault, subject_id=args.person, template_id=args.template)
    if args.json:
        print_json(records, list[RecordSummary])
        return
    print_table(
        [
            (r.id, uk_date(r.session_date),
             r.status.label, r.subject_name, r.template_title)
            for r in records
        ],
        ("ID", "DATE", "STATUS", "ABOUT", "TEMPLATE"),
    )


def _list_drafts(args: argparse.Namespace) -> None:
    from supervision_desktop.services.drafts import Draft, list_drafts

    with unlock(args) as vault:
        drafts = [d for d in list_drafts(vault)
                  if args.person in (None, d.record.subject_id)
                  and args.template in (None, d.record.template_id)]
    if args.json:
        print_json(drafts, list[Draft])
        return
    print_table(
        [(d.record.id, uk_date(d.record.session_date), d.record.subject_name,
          d.record.template_title,
          f"{d.age_days} day{'' if d.age_days == 1 else 's'}",
          ", ".join(d.missing) if d.missing else "nothing: ready to finalise")
         for d in drafts],
        ("ID", "DATE", "ABOUT", "TEMPLATE", "AGE", "STILL TO FILL IN"),
    )


def cmd_record_finalise(args: argparse.Namespace) -> None:
    from supervision_desktop.services.lifecycle import finalise

    with unlock(args) as vault:
        done = finalise(vault, args.id)
    print(f"Finalised version {done.version}; content hash {done.content_hash}")


def cmd_record_amend(args: argparse.Namespace) -> None:
    from supervision_desktop.services.lifecycle import amend

    with unlock(args) as vault:
        number = amend(vault, args.id, args.reason)
    print(f"Version {number} is open as a draft.")


def register(commands: Any) -> None:
    record = commands.add_parser("record", help="supervision records")
    actions = record.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    create = add_command(actions, "create", cmd_record_create,
                         "create a draft record; prints the id")
    create.add_argument("--template", required=True, metavar="ID")
    create.add_argument("--data", required=True, metavar="FILE.json")
    show = add_command(actions, "show", cmd_record_show, "show a record")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    add_command(actions, "finalise", cmd_record_finalise,
                "lock a draft (required fields checked)").add_argument("id")
    amend = add_command(actions, "amend", cmd_record_amend,
                        "open a new version of a finalised record")
    amend.add_argument("id")
    amend.add_argument("--reason", required=True)
    listing = add_command(actions, "list", cmd_record_list, "list records")
    listing.add_argument("--person", metavar="ID")
    listing.add_argument("--template", metavar="ID")
    listing.add_argument("--drafts", action="store_true",
                         help="only drafts, with their age and the required fields still empty")
    listing.add_argument("--json", action="store_true")
