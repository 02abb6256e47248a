"""Compliance from the command line: policy profiles, what is due, actions, cancellations,
monitoring sheets and full-text search."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from supervision_desktop.cli.common import (
    EXIT_USER_ERROR,
    add_command,
    date_argument,
    print_json,
    print_table,
    unlock,
)
from supervision_desktop.domain.dates import uk_date
from supervision_desktop.errors import InvalidInput

# --- policy --------------------------------------------------------------------------


def cmd_policy_list(args: argparse.Namespace) -> None:
    from supervision_desktop.services.compliance import profiles

    found = profiles()
    if args.json:
        print_json([{"id": p.id, "title": p.title, "seed": p.source.seed}
                    for p in found.profiles])
        return
    print_table([(p.id, p.title) for p in found.profiles], ("ID", "TITLE"))


def cmd_policy_show(args: argparse.Namespace) -> None:
    from supervision_desktop.domain.policy import describe_profile
    from supervision_desktop.services.compliance import get_profile, vault_profile

    if args.id:
        profile = get_profile(args.id)
    else:
        with unlock(args) as vault:
            profile = vault_profile(vault)
    if args.json:
        print_json(profile.model_dump(mode="json"))
        return
    print(describe_profile(profile))


def cmd_policy_set(args: argparse.Namespace) -> None:
    from supervision_desktop.services.compliance import set_profile

    if bool(args.id) == bool(args.file):
        raise InvalidInput("Give a profile id or --file, not both.")
    with unlock(args) as vault:
        profile = set_profile(vault, args.id, path=Path(args.file) if args.file else None)
    print(f"This vault now follows {profile.title} (id {profile.id}).")


def cmd_policy_check(args: argparse.Namespace) -> int:
    from supervision_desktop.services.compliance import check_profile_files

    results = check_profile_files([Path(p) for p in args.files])
    for result in results:
        if result.profile is not None:
            print(f"{result.path}: ok ({result.profile.id})")
        for problem in result.problems:
            print(f"{result.path}: {problem}")
    return 0 if all(r.profile is not None for r in results) else EXIT_USER_ERROR


# --- deviations ----------------------------------------------------------------------


def cmd_deviation_add(args: argparse.Namespace) -> None:
    from supervision_desktop.services.compliance import add_deviation

    with unlock(args) as vault:
        view = add_deviation(vault, args.person, args.every, reason=args.reason,
                             approved_by=args.approved_by,
                             agreed_on=args.agreed_on or dt.date.today())
    print(view.id)


def cmd_deviation_list(args: argparse.Namespace) -> None:
    from supervision_desktop.services.compliance import DeviationView, list_deviations

    with unlock(args) as vault:
        found = list_deviations(vault, args.person)
    if args.json:
        print_json(found, list[DeviationView])
        return
    print_table(
        [(d.id, d.person_name, d.deviation.every.every(), uk_date(d.deviation.agreed_on, "-"),
          d.deviation.approved_by, uk_date(d.ended_on), d.deviation.reason)
         for d in found],
        ("ID", "PERSON", "FREQUENCY", "AGREED", "APPROVED BY", "ENDED", "REASON"),
    )


def cmd_deviation_end(args: argparse.Namespace) -> None:
    from supervision_desktop.services.compliance import end_deviation

    with unlock(args) as vault:
        end_deviation(vault, args.id, args.on or dt.date.today())
    print("Ended: the profile's frequency applies again.")


# --- due -----------------------------------------------------------------------------


def _due_calendar(args: argparse.Namespace) -> None:
    from supervision_desktop.services.calendar_export import write_calendar

    with unlock(args) as vault:
        written = write_calendar(vault, Path(args.ics), args.as_of, names=args.names)
    print(f"Wrote {written.events} due date{'' if written.events == 1 else 's'} to "
          f"{written.path}" + (" with full names." if args.names else
                                " (initials only; --names for full names)."))


def cmd_due(args: argparse.Namespace) -> None:
    from supervision_desktop.services.compliance import due_report

    if args.ics is not None:
        _due_calendar(args)
        return
    with unlock(args) as vault:
        report = due_report(vault, args.as_of)
    if args.json:
        print_json(report)
        return
    print(f"Due on {uk_date(report.as_of, '-')} under {report.profile.title}")
    print()
    print_table(
        [(e.status.value.upper().replace("_", " "), e.name, e.group_label,
          uk_date(e.last_session, "-"),
          uk_date(e.next_due, "-"), str(e.days_overdue) if e.days_overdue else "",
          e.rule.summary if e.rule else "no rule in this profile")
         for e in report.people],
        ("STATUS", "NAME", "GROUP", "LAST", "NEXT DUE", "DAYS OVER", "RULE"),
    )
    for entry in report.people:
        for note in entry.notes:
            print(f"note: {entry.name}: {note}")
    sections: list[tuple[str, list[tuple[str, ...]], tuple[str, ...]]] = [
        ("Supervision agreements", [
            (e.status.value.upper(), e.name, uk_date(e.last_session, "-"), uk_date(e.next_due, "-"))
            for e in report.agreements if e.status.value != "ok"],
         ("STATUS", "NAME", "LAST AGREEMENT", "DUE")),
        ("Drafts not finalised", [
            (r.record_id, uk_date(r.session_date, "-"), r.subject_name, r.title)
            for r in report.drafts], ("ID", "DATE", "ABOUT", "TEMPLATE")),
        ("Finalised, not exported", [
            (r.record_id, uk_date(r.session_date, "-"), r.subject_name, r.title,
             uk_date(r.upload_deadline, "-"))
            for r in report.not_exported], ("ID", "DATE", "ABOUT", "TEMPLATE", "UPLOAD BY")),
        ("Exported, not uploaded", [
            (r.record_id, uk_date(r.session_date, "-"), r.subject_name,
             uk_date(r.upload_deadline, "-"),
             str(r.days_overdue) if r.days_overdue else "")
            for r in report.not_uploaded], ("ID", "DATE", "ABOUT", "UPLOAD BY", "DAYS OVER")),
        ("Overdue actions", [
            (a.id, uk_date(a.due_on, "-"), a.subject_name, a.owner, a.text[:60])
            for a in report.overdue_actions], ("ID", "DUE", "ABOUT", "OWNER", "ACTION")),
        ("Sessions shorter than the policy's minimum", [
            (s.record_id, uk_date(s.session_date, "-"), s.name, f"{s.minutes} of {s.minimum} min")
            for s in report.short_sessions], ("ID", "DATE", "PERSON", "LENGTH")),
    ]
    for title, rows, headings in sections:
        print()
        print(f"== {title}")
        print_table(rows, headings)


# --- actions -------------------------------------------------------------------------


def _action_rows(found: list[Any]) -> list[tuple[str, ...]]:
    return [(a.id, a.status, uk_date(a.due_on, "-"), a.subject_name, a.owner, a.text[:60])
            for a in found]


def cmd_actions_list(args: argparse.Namespace) -> None:
    from supervision_desktop.services.actions import ActionView, list_actions

    with unlock(args) as vault:
        found = list_actions(vault, status=None if args.all else "open", subject_id=args.person)
    if args.json:
        print_json(found, list[ActionView])
        return
    print_table(_action_rows(found), ("ID", "STATUS", "DUE", "ABOUT", "OWNER", "ACTION"))


def cmd_actions_carried(args: argparse.Namespace) -> None:
    from supervision_desktop.services.actions import CarriedAction, carried_actions

    with unlock(args) as vault:
        found = carried_actions(vault, args.record)
    if args.json:
        print_json(found, list[CarriedAction])
        return
    print_table(
        [(c.action.id, (c.outcome or "to decide").replace("_", " "), c.action.owner,
          c.action.text[:60], c.reason) for c in found],
        ("ID", "DECISION", "OWNER", "ACTION", "REASON"),
    )


def cmd_actions_resolve(args: argparse.Namespace) -> None:
    from supervision_desktop.services.actions import resolve_carried_action

    with unlock(args) as vault:
        resolve_carried_action(vault, args.record, args.action, args.outcome, args.reason or "")
    print(f"Marked {args.outcome.replace('_', ' ')}.")


def cmd_actions_close(args: argparse.Namespace) -> None:
    from supervision_desktop.services.actions import close_action

    with unlock(args) as vault:
        closed = close_action(vault, args.action, args.outcome, args.reason, args.on)
    print(f"Marked {closed.status} on {uk_date(closed.closed_on, '-')}: {closed.text[:60]}")


# --- cancellations and the monitoring sheet ------------------------------------------


def cmd_cancel(args: argparse.Namespace) -> None:
    from supervision_desktop.services.cancellations import record_cancellation

    with unlock(args) as vault:
        view = record_cancellation(
            vault, args.person, args.date, reason=args.reason, planned_time=args.time or "",
            initiated_by=args.initiated_by or "", rescheduled_for=args.rescheduled,
            comments=args.comments or "",
        )
    print(view.id)


def cmd_monitoring(args: argparse.Namespace) -> None:
    from supervision_desktop.services.cancellations import (
        create_monitoring_record,
        monitoring_sheet,
    )

    with unlock(args) as vault:
        sheet = monitoring_sheet(vault, args.person)
        record_id = create_monitoring_record(vault, args.person, dt.date.today()) \
            if args.record else None
    if record_id:
        print(record_id)
        return
    if args.json:
        print_json(sheet)
        return
    print(f"Supervision monitoring sheet: {sheet.supervisee_name}"
          f"{', ' + sheet.supervisee_job_title if sheet.supervisee_job_title else ''}")
    print(f"Supervisor: {sheet.supervisor_name}")
    print()
    print_table(
        [(uk_date(r.session_date, "-"), r.session_time, "YES" if r.completed else "NO",
          uk_date(r.date_rescheduled, "-") if r.date_rescheduled else "", r.comments,
          r.reasons_for_postponement + (f" [{r.note}]" if r.note else ""))
         for r in sheet.rows],
        ("DATE", "TIME", "COMPLETED", "RESCHEDULED FOR", "COMMENTS", "REASONS FOR POSTPONEMENT"),
    )


# --- search --------------------------------------------------------------------------


def cmd_search(args: argparse.Namespace) -> None:
    from supervision_desktop.services.search import SearchHit, search

    with unlock(args) as vault:
        hits = search(vault, args.text, limit=args.limit)
    if args.json:
        print_json(list(hits), list[SearchHit])
        return
    print(hits.summary(args.text))  # "… Did you mean “colleagues”?" for a misspelt word
    for hit in hits:
        print(f"{hit.record_id}  {uk_date(hit.session_date, '-')}  {hit.status.label}  "
              f"{hit.subject_name or '-'}  {hit.template_title}")
        print(f"    {hit.snippet}")


def register(commands: Any) -> None:
    policy = commands.add_parser("policy", help="the policy profile due dates follow")
    policy_actions = policy.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    add_command(policy_actions, "list", cmd_policy_list, "list the shipped profiles").add_argument(
        "--json", action="store_true")
    show = add_command(policy_actions, "show", cmd_policy_show,
                       "show a profile's rules (default: the vault's)")
    show.add_argument("id", nargs="?")
    show.add_argument("--json", action="store_true")
    choose = add_command(policy_actions, "set", cmd_policy_set,
                         "choose the vault's profile (an id, or --file for your own)")
    choose.add_argument("id", nargs="?")
    choose.add_argument("--file", metavar="PROFILE.yaml")
    check = add_command(policy_actions, "check", cmd_policy_check, "validate profile files")
    check.add_argument("files", nargs="+", metavar="FILE")

    deviation = commands.add_parser(
        "deviation", help="agreed changes to one person's supervision frequency")
    deviation_actions = deviation.add_subparsers(dest="subcommand", metavar="ACTION",
                                                 required=True)
    add = add_command(deviation_actions, "add", cmd_deviation_add,
                      "record an agreed deviation; prints its id")
    add.add_argument("person", metavar="PERSON_ID")
    add.add_argument("--every", required=True, metavar="PERIOD", help="e.g. '6 weeks'")
    add.add_argument("--reason", required=True)
    add.add_argument("--approved-by", required=True, metavar="NAME_AND_ROLE")
    add.add_argument("--agreed-on", type=date_argument, metavar="DATE")
    listing = add_command(deviation_actions, "list", cmd_deviation_list, "list deviations")
    listing.add_argument("person", nargs="?", metavar="PERSON_ID")
    listing.add_argument("--json", action="store_true")
    end = add_command(deviation_actions, "end", cmd_deviation_end, "end a deviation")
    end.add_argument("id")
    end.add_argument("--on", type=date_argument, metavar="DATE")

    due = add_command(commands, "due", cmd_due, "who is due or overdue, and what is unfinished")
    due.add_argument("--json", action="store_true")
    due.add_argument("--as-of", type=date_argument, metavar="DATE", help="default: today")
    due.add_argument("--ics", metavar="FILE.ics",
                     help="write the due dates as a calendar file (initials, no case details)")
    due.add_argument("--names", action="store_true", help="with --ics: full names")

    actions = add_command(commands, "actions", cmd_actions_list,
                          "tracked actions (open ones unless --all)")
    actions.add_argument("--json", action="store_true")
    actions.add_argument("--all", action="store_true", help="include done and dropped")
    actions.add_argument("--person", metavar="ID")
    action_steps = actions.add_subparsers(dest="subcommand", metavar="ACTION")
    carried = add_command(action_steps, "carried", cmd_actions_carried,
                          "actions carried into a record, and what was decided")
    carried.add_argument("record", metavar="RECORD_ID")
    carried.add_argument("--json", action="store_true")
    resolve = add_command(action_steps, "resolve", cmd_actions_resolve,
                          "say what a record decided about a carried action")
    resolve.add_argument("record", metavar="RECORD_ID")
    resolve.add_argument("action", metavar="ACTION_ID")
    outcome = resolve.add_mutually_exclusive_group(required=True)
    outcome.add_argument("--done", dest="outcome", action="store_const", const="done")
    outcome.add_argument("--carry-forward", dest="outcome", action="store_const",
                         const="carried_forward")
    outcome.add_argument("--drop", dest="outcome", action="store_const", const="dropped")
    resolve.add_argument("--reason", help="why (needed to drop an action)")
    close = add_command(action_steps, "close", cmd_actions_close,
                        "close an open action directly: done or dropped, with a reason")
    close.add_argument("action", metavar="ACTION_ID")
    closed_as = close.add_mutually_exclusive_group(required=True)
    closed_as.add_argument("--done", dest="outcome", action="store_const", const="done")
    closed_as.add_argument("--dropped", "--drop", dest="outcome", action="store_const",
                           const="dropped")
    close.add_argument("--reason", required=True, help="how it was done, or why it was dropped")
    close.add_argument("--on", type=date_argument, metavar="DATE",
                       help="the day it was done or dropped (default: today)")

    cancel = add_command(commands, "cancel", cmd_cancel,
                         "record a cancelled or postponed session; prints its id")
    cancel.add_argument("person", metavar="PERSON_ID")
    cancel.add_argument("--date", required=True, type=date_argument, help="the planned date")
    cancel.add_argument("--time", metavar="HH:MM", help="the planned time")
    cancel.add_argument("--reason", required=True, help="reasons for postponement")
    cancel.add_argument("--rescheduled", type=date_argument, metavar="DATE",
                        help="the date it was rescheduled for")
    cancel.add_argument("--initiated-by", metavar="WHO", help="who cancelled")
    cancel.add_argument("--comments")

    monitoring = add_command(commands, "monitoring", cmd_monitoring,
                             "a supervisee's monitoring sheet, from records and cancellations")
    monitoring.add_argument("person", metavar="PERSON_ID")
    monitoring.add_argument("--json", action="store_true")
    monitoring.add_argument("--record", action="store_true",
                            help="save it as a draft monitoring-sheet record; prints its id")

    finder = add_command(commands, "search", cmd_search,
                         "find records containing every word given")
    finder.add_argument("text", metavar="TEXT")
    finder.add_argument("--json", action="store_true")
    finder.add_argument("--limit", type=int, default=50, metavar="N")
