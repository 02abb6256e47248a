"""The command line: the same services as the GUI, for automation and agency IT.

Errors are one clear line on stderr and a non-zero exit, never a traceback:
1 for something the user can fix, 2 for wrong usage, 70 for a bug.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from supervision_desktop import __version__
from supervision_desktop.errors import InvalidInput, UserError

PASSPHRASE_VARIABLE = "SUPERVISION_PASSPHRASE"
EXIT_USER_ERROR = 1
EXIT_BUG = 70


# --- output helpers ------------------------------------------------------------------


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _print_table(rows: Sequence[Sequence[str]], headings: Sequence[str]) -> None:
    if not rows:
        print("(none)")
        return
    widths = [max(len(str(r[i])) for r in [headings, *rows]) for i in range(len(headings))]
    for row in [headings, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


def _uk_date(iso: str | None) -> str:
    if not iso:
        return ""
    year, month, day = iso[:10].split("-")
    return f"{day}/{month}/{year}"


def _read_json_file(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path} is not valid JSON (line {exc.lineno}: {exc.msg}).") from None


# --- passphrases and unlocking -------------------------------------------------------


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask_passphrase(prompt: str, *, confirm: bool = False) -> str:
    from_environment = os.environ.get(PASSPHRASE_VARIABLE)
    if from_environment:
        return from_environment
    if not _interactive():
        raise InvalidInput(
            f"No passphrase: set {PASSPHRASE_VARIABLE} or run this in a terminal."
        )
    passphrase = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat it: ") != passphrase:
        raise InvalidInput("The two passphrases differ. Nothing was changed.")
    return passphrase


def _vault_dir(args: argparse.Namespace) -> Path:
    from supervision_desktop.paths import default_vault_dir

    return Path(args.vault).expanduser() if args.vault else default_vault_dir()


def _keyring():  # type: ignore[no-untyped-def]
    from supervision_desktop.store.keyring_cache import SystemKeyring

    return SystemKeyring()


def _unlock(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from supervision_desktop.services import vault_access
    from supervision_desktop.store.vault import vault_exists

    folder = _vault_dir(args)
    if not vault_exists(folder):
        raise UserError(f"There is no vault in {folder}. Create one with 'init'.")
    if not os.environ.get(PASSPHRASE_VARIABLE):
        vault = vault_access.unlock_from_keyring(folder, _keyring())
        if vault is not None:
            return vault
    return vault_access.unlock_with_passphrase(folder, _ask_passphrase("Passphrase: ")).vault


# --- commands ------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> None:
    from supervision_desktop.services import vault_access

    passphrase = _ask_passphrase("New passphrase: ", confirm=True)
    created = vault_access.create_vault(
        _vault_dir(args),
        owner_name=args.name,
        role=args.role,
        passphrase=passphrase,
        remember=_keyring() if args.remember else None,
    )
    created.vault.close()
    print(f"Created a vault for {args.name.strip()} in {created.vault.folder}.")
    print()
    print("Your recovery key (shown only now; write it down and keep it somewhere safe):")
    print()
    print(f"    {created.recovery_key}")
    print()
    print("With it you can open the vault and set a new passphrase if you forget yours.")
    if created.keyring_notice:
        print(created.keyring_notice, file=sys.stderr)


def cmd_info(args: argparse.Namespace) -> None:
    from supervision_desktop.services.info import vault_info

    with _unlock(args) as vault:
        info = vault_info(vault)
    if args.json:
        _print_json(info.as_dict())
        return
    print(f"Owner:          {info.owner_name}")
    print(f"Role:           {info.role}")
    print(f"Created:        {_uk_date(info.created_at)}")
    print(f"Schema version: {info.schema_revision}")
    print(f"Folder:         {info.folder}")
    people = ", ".join(f"{n} {k}" for k, n in sorted(info.people.items())) or "none"
    records = ", ".join(f"{n} {k}" for k, n in sorted(info.records.items())) or "none"
    print(f"People:         {people}")
    print(f"Records:        {records}")


def cmd_passphrase(args: argparse.Namespace) -> None:
    from supervision_desktop.services import vault_access

    if os.environ.get(PASSPHRASE_VARIABLE) or not _interactive():
        raise InvalidInput("Changing the passphrase needs a terminal to type both passphrases.")
    with _unlock(args) as vault:
        current = getpass.getpass("Current passphrase: ")
        new = _ask_passphrase("New passphrase: ", confirm=True)
        vault_access.change_passphrase(vault, current, new)
    print("Passphrase changed. The recovery key still works.")


def cmd_recover(args: argparse.Namespace) -> None:
    from supervision_desktop.services import vault_access

    if not _interactive():
        raise InvalidInput("Recovery needs a terminal to type the recovery key.")
    recovery_key = input("Recovery key: ")
    new = getpass.getpass("New passphrase: ")
    if getpass.getpass("Repeat it: ") != new:
        raise InvalidInput("The two passphrases differ. Nothing was changed.")
    vault_access.unlock_with_recovery_key(_vault_dir(args), recovery_key, new).close()
    print("The vault is open again with your new passphrase.")


def cmd_person_add(args: argparse.Namespace) -> None:
    from supervision_desktop.services.people import add_person

    data = _read_json_file(args.data)
    with _unlock(args) as vault:
        person = add_person(vault, args.kind, data)
    print(person.id)


def cmd_person_list(args: argparse.Namespace) -> None:
    from supervision_desktop.services.people import list_people

    with _unlock(args) as vault:
        people = list_people(vault, args.kind)
    if args.json:
        _print_json([p.as_dict() for p in people])
        return
    _print_table([(p.id, p.kind, p.name) for p in people], ("ID", "KIND", "NAME"))


def cmd_templates_list(args: argparse.Namespace) -> None:
    from supervision_desktop.services.templates import catalogue

    found = catalogue()
    for error in found.errors:
        print(f"warning: {error}", file=sys.stderr)
    if args.json:
        _print_json(
            [
                {"id": t.id, "version": t.version, "title": t.title, "category": t.category,
                 "subject_kind": t.subject_kind, "source": t.source.model_dump()}
                for t in found.templates
            ]
        )
        return
    _print_table(
        [(t.id, str(t.version), t.title) for t in found.templates], ("ID", "VERSION", "TITLE")
    )


def cmd_templates_show(args: argparse.Namespace) -> None:
    from supervision_desktop.services.templates import get_template

    template = get_template(args.id)
    if args.json:
        _print_json(template.model_dump(mode="json"))
        return
    print(f"{template.title} (id {template.id}, version {template.version})")
    print(f"Source: {template.source.organisation}, {template.source.document}")
    for section in template.sections:
        print()
        print(f"== {section.title}")
        for line in section.guidance:
            print(f"   · {line}")
        for item in section.fields:
            required = " (required)" if item.required else ""
            print(f"   {item.id} [{item.kind.value}]{required}: {item.label}")
            for column in item.columns:
                print(f"      {column.id} [{column.kind.value}]: {column.label}")


def cmd_templates_check(args: argparse.Namespace) -> int:
    from supervision_desktop.services.templates import check_files

    results = check_files([Path(p) for p in args.files])
    if args.json:
        _print_json([{"file": str(r.path), "ok": r.ok, "problems": list(r.problems)}
                     for r in results])
    else:
        for result in results:
            if result.ok:
                assert result.template is not None
                print(f"{result.path}: ok ({result.template.id} version {result.template.version})")
            for problem in result.problems:
                print(f"{result.path}: {problem}")
    return 0 if all(r.ok for r in results) else EXIT_USER_ERROR


def cmd_record_create(args: argparse.Namespace) -> None:
    from supervision_desktop.services.records import create_record
    from supervision_desktop.services.templates import get_template

    template = get_template(args.template)
    data = _read_json_file(args.data)
    if not isinstance(data, dict):
        raise InvalidInput("The data file must hold an object with subject, date and fields.")
    unknown = set(data) - {"subject", "date", "fields"}
    if unknown:
        raise InvalidInput(f"Unknown keys in the data file: {', '.join(sorted(unknown))}.")
    fields = data.get("fields", {})
    if not isinstance(fields, dict):
        raise InvalidInput("'fields' must be an object of field id to value.")
    with _unlock(args) as vault:
        record_id = create_record(
            vault, template, subject_id=data.get("subject"), session_date=data.get("date"),
            fields=fields,
        )
    print(record_id)


def cmd_record_show(args: argparse.Namespace) -> None:
    from supervision_desktop.services.records import get_record

    with _unlock(args) as vault:
        record = get_record(vault, args.id)
    if args.json:
        _print_json(record.as_dict())
        return
    summary = record.summary
    print(f"{summary.template_title}")
    print(f"Record {summary.id}, version {summary.version}, {summary.status.label}")
    print(f"About: {summary.subject_name or '-'}   Date: "
          f"{summary.session_date.strftime('%d/%m/%Y') if summary.session_date else '-'}")
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


def cmd_record_list(args: argparse.Namespace) -> None:
    from supervision_desktop.services.records import list_records

    with _unlock(args) as vault:
        records = list_records(vault, subject_id=args.person, template_id=args.template)
    if args.json:
        _print_json([r.as_dict() for r in records])
        return
    _print_table(
        [
            (r.id, r.session_date.strftime("%d/%m/%Y") if r.session_date else "",
             r.status.label, r.subject_name, r.template_title)
            for r in records
        ],
        ("ID", "DATE", "STATUS", "ABOUT", "TEMPLATE"),
    )


def cmd_record_finalise(args: argparse.Namespace) -> None:
    from supervision_desktop.services.lifecycle import finalise

    with _unlock(args) as vault:
        done = finalise(vault, args.id)
    print(f"Finalised version {done.version}; content hash {done.content_hash}")


def cmd_record_amend(args: argparse.Namespace) -> None:
    from supervision_desktop.services.lifecycle import amend

    with _unlock(args) as vault:
        number = amend(vault, args.id, args.reason)
    print(f"Version {number} is open as a draft.")


# --- parser --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--vault", metavar="DIR", default=argparse.SUPPRESS,
        help="vault folder (default: your user data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="supervision-desktop",
        description="Supervision records, encrypted on this computer. "
        "With no command, opens the application window.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Callable[[argparse.Namespace], int | None], help_text: str,
            under: Any = commands) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = under.add_parser(name, help=help_text, parents=[common])
        sub.set_defaults(handler=handler)
        return sub

    init = add("init", cmd_init, "create a vault; prints the recovery key once")
    init.add_argument("--name", required=True, help="your full name")
    init.add_argument("--role", choices=("supervisor", "carer"), default="supervisor")
    init.add_argument("--remember", action="store_true",
                      help="remember the vault key in this computer's keyring")
    add("info", cmd_info, "owner, role, created, schema version, counts").add_argument(
        "--json", action="store_true")
    add("passphrase", cmd_passphrase, "change the passphrase")
    add("recover", cmd_recover, "open with the recovery key and set a new passphrase")

    person = commands.add_parser("person", help="supervisees, carer households, children")
    person_commands = person.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    person_add = add("add", cmd_person_add, "add a person; prints the id", person_commands)
    person_add.add_argument("--kind", required=True, choices=("supervisee", "carer", "child"))
    person_add.add_argument("--data", required=True, metavar="FILE.json")
    person_list = add("list", cmd_person_list, "list people", person_commands)
    person_list.add_argument("--kind", choices=("supervisee", "carer", "child"))
    person_list.add_argument("--json", action="store_true")

    templates = commands.add_parser("templates", help="the supervision forms")
    template_commands = templates.add_subparsers(dest="subcommand", metavar="ACTION",
                                                 required=True)
    add("list", cmd_templates_list, "list templates", template_commands).add_argument(
        "--json", action="store_true")
    show = add("show", cmd_templates_show, "every field of a template", template_commands)
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    check = add("check", cmd_templates_check, "validate template files", template_commands)
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--json", action="store_true")

    record = commands.add_parser("record", help="supervision records")
    record_commands = record.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    create = add("create", cmd_record_create, "create a draft record; prints the id",
                 record_commands)
    create.add_argument("--template", required=True, metavar="ID")
    create.add_argument("--data", required=True, metavar="FILE.json")
    record_show = add("show", cmd_record_show, "show a record", record_commands)
    record_show.add_argument("id")
    record_show.add_argument("--json", action="store_true")
    add("finalise", cmd_record_finalise, "lock a draft (required fields checked)",
        record_commands).add_argument("id")
    amend = add("amend", cmd_record_amend, "open a new version of a finalised record",
                record_commands)
    amend.add_argument("id")
    amend.add_argument("--reason", required=True)
    record_list = add("list", cmd_record_list, "list records", record_commands)
    record_list.add_argument("--person", metavar="ID")
    record_list.add_argument("--template", metavar="ID")
    record_list.add_argument("--json", action="store_true")
    return parser


def run(argv: Sequence[str]) -> int:
    """Run one command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
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
    except Exception as exc:  # a bug: one line, no traceback, no record content
        if os.environ.get("SUPERVISION_DEBUG"):
            raise
        print(f"internal error ({type(exc).__name__}); please report it.", file=sys.stderr)
        return EXIT_BUG
    return status or 0
