"""Agency packs for IT: make one from a shipped organisation, check one, show the one in use."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from supervision_desktop.cli.common import EXIT_USER_ERROR, add_command, print_json


def cmd_agency_new(args: argparse.Namespace) -> None:
    from supervision_desktop.services import agency

    loaded = agency.new_pack(Path(args.folder), args.like)
    print(f"Made an editable pack for {loaded.pack.name} in {args.folder}: "
          f"{len(loaded.templates.templates)} forms, policy {loaded.policy.id}.")
    print(f"Change its files, then run 'agency check {args.folder}'.")


def cmd_agency_check(args: argparse.Namespace) -> int:
    from supervision_desktop.services import agency

    problems = agency.check(Path(args.folder))
    if args.json:
        print_json({"pack": args.folder, "ok": not problems,
                    "problems": [{"file": p.file, "line": p.line, "message": p.message}
                                 for p in problems]})
    elif problems:
        for problem in problems:
            print(problem)
    else:
        print(f"{args.folder}: ok")
    return EXIT_USER_ERROR if problems else 0


def cmd_agency_show(args: argparse.Namespace) -> None:
    from supervision_desktop import paths
    from supervision_desktop.services import agency

    loaded = agency.active()
    if args.json:
        print_json(loaded.as_dict() if loaded is not None else None)
        return
    if loaded is None:
        print("No agency pack is installed: every shipped form and policy profile is "
              "offered.")
        print(f"IT installs one in {paths.machine_agency_dir()}.")
        return
    pack = loaded.pack
    print(f"Agency:    {pack.name} ({pack.short_name})")
    print(f"Version:   {pack.version}")
    print(f"From:      {loaded.source.path} ({agency.WHERE_LABELS[loaded.source.where]})")
    print(f"Marking:   {pack.marking}")
    print(f"Forms:     {', '.join(t.id for t in loaded.templates.templates)}")
    chosen = "vaults may choose their own" if pack.local_policy_choice else "for everyone"
    print(f"Policy:    {loaded.policy.id} ({chosen})")
    print(f"Retention: {loaded.retention.id}")
    print(f"Logo:      {'yes' if loaded.logo else 'none'}")
    if loaded.recovery_public_key:  # checked, but no vault is wrapped to it yet
        print("Recovery:  recovery-public.pem is checked but not used yet: this version "
              "does not wrap vault keys to an organisational key")
    else:
        print("Recovery:  none")
    print(f"CA certificates in the pack: {len(loaded.ca_files)}")
    if loaded.ca_files and loaded.source.where != "machine":
        print("  (trusted only when the pack is installed machine-wide by IT)", file=sys.stderr)


def register(commands: Any) -> None:
    agency = commands.add_parser("agency", help="agency packs: forms, policy, marking, trust")
    actions = agency.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    new = add_command(actions, "new", cmd_agency_new,
                      "an editable pack copied from a shipped organisation")
    new.add_argument("folder", metavar="DIR")
    new.add_argument("--like", required=True, metavar="ORG",
                     help="lambeth, kent, birmingham-ifa or walsall")
    check = add_command(actions, "check", cmd_agency_check,
                        "check a pack folder or .zip: every problem as FILE:LINE: message")
    check.add_argument("folder", metavar="DIR")
    check.add_argument("--json", action="store_true")
    add_command(actions, "show", cmd_agency_show, "the pack this install uses").add_argument(
        "--json", action="store_true")
