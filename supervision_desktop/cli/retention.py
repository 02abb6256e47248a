"""Retention from the command line: the rules, the review, disposal and its report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from supervision_desktop.cli.common import (
    add_command,
    date_argument,
    print_json,
    print_table,
    unlock,
)
from supervision_desktop.domain.dates import local_time, uk_date
from supervision_desktop.errors import InvalidInput


def cmd_rules(args: argparse.Namespace) -> None:
    from supervision_desktop.domain.retention import describe_rules
    from supervision_desktop.services import retention

    with unlock(args) as vault:
        rules = retention.vault_rules(vault)
        own = retention.uses_own_rules(vault)
    print(describe_rules(rules))
    print("\n(your agency's rules, kept in the vault)" if own else "\n(the shipped rules)")


def cmd_check(args: argparse.Namespace) -> None:
    from supervision_desktop.domain.retention import describe_rules
    from supervision_desktop.services import retention

    print(describe_rules(retention.check_rules_file(Path(args.file))))
    print("\nThe file is valid.")


def cmd_set(args: argparse.Namespace) -> None:
    from supervision_desktop.services import retention

    if bool(args.file) == bool(args.default):
        raise InvalidInput("Give either --file FILE.yaml or --default.")
    with unlock(args) as vault:
        if args.default:
            retention.reset_rules(vault)
            print("The vault follows the shipped retention rules again.")
            return
        rules = retention.set_rules_file(vault, Path(args.file))
    print(f"The vault now follows '{rules.title}' ({len(rules.rules)} rules); a copy is kept "
          "in the vault.")


def cmd_review(args: argparse.Namespace) -> None:
    from supervision_desktop.services import retention

    with unlock(args) as vault:
        due = retention.review(vault, args.as_of)
    if args.json:
        print_json(due, list[retention.DueRecord])
        return
    print_table([(d.record_id, d.subject_name, d.template_title, uk_date(d.session_date),
                  d.rule_id, uk_date(d.due_on)) for d in due],
                ("RECORD", "PERSON", "TEMPLATE", "SESSION", "RULE", "DUE SINCE"))
    if due:
        print(f"\n{len(due)} record{'s are' if len(due) != 1 else ' is'} past the retention "
              "date. Dispose with: retention dispose --confirm ID… (or --all-due --confirm)")


def cmd_dispose(args: argparse.Namespace) -> None:
    from supervision_desktop.services import retention

    if bool(args.record_ids) == args.all_due:
        raise InvalidInput("Name the records to dispose of, or give --all-due.")
    if not args.confirm:
        raise InvalidInput("Disposal destroys records for good and cannot be undone. Run "
                           "'retention review' to see them, then add --confirm. "
                           "Nothing was destroyed.")
    with unlock(args) as vault:
        ids = args.record_ids or [d.record_id for d in retention.review(vault, args.as_of)]
        if not ids:
            print("No record is past its retention date. Nothing was destroyed.")
            return
        outcome = retention.dispose(vault, ids, confirmed=True, today=args.as_of)
    for item in outcome.disposed:
        print(f"Destroyed record {item.record_id} ({item.template_id}, "
              f"{item.versions} version{'s' if item.versions != 1 else ''}) under rule "
              f"{item.rule_id}.")
    for person_id, name, _kind in outcome.people_without_records:
        print(f"{name} ({person_id}) has no records left. Remove them too with: "
              f"person remove {person_id}")


def cmd_report(args: argparse.Namespace) -> None:
    from supervision_desktop.services import retention

    with unlock(args) as vault:
        if args.csv:
            count = retention.write_report_csv(vault, Path(args.csv))
            print(f"Wrote {count} disposal{'s' if count != 1 else ''} to {args.csv}.")
            return
        if args.pdf:
            count = retention.write_report_pdf(vault, Path(args.pdf))
            print(f"Wrote {count} disposal{'s' if count != 1 else ''} to {args.pdf}.")
            return
        rows = retention.disposals(vault)
    if args.json:
        print_json(rows, list[retention.DisposalView])
        return
    print_table([(local_time(r.disposed_at), r.disposed_by, r.record_id,
                  r.template_id, r.subject_kind, uk_date(r.session_date), r.rule_id)
                 for r in rows],
                ("DISPOSED", "BY", "RECORD", "TEMPLATE", "KIND", "SESSION", "RULE"))


def register(commands: Any) -> None:
    group = commands.add_parser("retention", help="retention rules, review, disposal, report")
    actions = group.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    add_command(actions, "rules", cmd_rules, "the retention rules in force")
    check = add_command(actions, "check", cmd_check, "check a rules file without using it")
    check.add_argument("file", metavar="FILE.yaml")
    set_rules = add_command(actions, "set", cmd_set, "follow your own rules file, or --default")
    set_rules.add_argument("--file", metavar="FILE.yaml")
    set_rules.add_argument("--default", action="store_true", help="the shipped rules")
    review = add_command(actions, "review", cmd_review, "records past their retention date")
    review.add_argument("--as-of", type=date_argument, metavar="DD/MM/YYYY", help="default: today")
    review.add_argument("--json", action="store_true")
    dispose = add_command(actions, "dispose", cmd_dispose,
                          "destroy records past their date (needs --confirm)")
    dispose.add_argument("record_ids", nargs="*", metavar="ID")
    dispose.add_argument("--all-due", action="store_true", help="every record in the review")
    dispose.add_argument("--confirm", action="store_true", help="yes, destroy them for good")
    dispose.add_argument("--as-of", type=date_argument, metavar="DD/MM/YYYY",
                         help=argparse.SUPPRESS)
    report = add_command(actions, "report", cmd_report, "the disposal report")
    target = report.add_mutually_exclusive_group()
    target.add_argument("--csv", metavar="FILE")
    target.add_argument("--pdf", metavar="FILE")
    target.add_argument("--json", action="store_true")
