"""The supervision forms: list, show, and check an agency's own files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from supervision_desktop.cli.common import EXIT_USER_ERROR, add_command, print_json, print_table


def cmd_templates_list(args: argparse.Namespace) -> None:
    from supervision_desktop.services.templates import offered

    found = offered()  # the agency pack's forms, or every shipped one
    for error in found.errors:
        print(f"warning: {error}", file=sys.stderr)
    if args.json:
        print_json(
            [
                {"id": t.id, "version": t.version, "title": t.title, "category": t.category,
                 "subject_kind": t.subject_kind, "source": t.source.model_dump()}
                for t in found.templates
            ]
        )
        return
    print_table(
        [(t.id, str(t.version), t.title) for t in found.templates], ("ID", "VERSION", "TITLE")
    )


def cmd_templates_show(args: argparse.Namespace) -> None:
    from supervision_desktop.services.templates import get_template

    template = get_template(args.id)
    if args.json:
        print_json(template.model_dump(mode="json"))
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
        print_json([{"file": str(r.path), "ok": r.ok, "problems": list(r.problems)}
                     for r in results])
    else:
        for result in results:
            if result.ok:
                assert result.template is not None
                print(f"{result.path}: ok ({result.template.id} version {result.template.version})")
            for problem in result.problems:
                print(f"{result.path}: {problem}")
    return 0 if all(r.ok for r in results) else EXIT_USER_ERROR


def register(commands: Any) -> None:
    templates = commands.add_parser("templates", help="the supervision forms")
    actions = templates.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    add_command(actions, "list", cmd_templates_list, "list templates").add_argument(
        "--json", action="store_true")
    show = add_command(actions, "show", cmd_templates_show, "every field of a template")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    check = add_command(actions, "check", cmd_templates_check, "validate template files")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--json", action="store_true")
