"""Agency packs for IT: make one from a shipped organisation, check one, show the one in use,
make the recovery key pair."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from supervision_desktop.cli.common import (
    AGENCY_KEY_PASSPHRASE_VARIABLE,
    EXIT_USER_ERROR,
    add_command,
    ask_secret,
    print_json,
)


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
    from supervision_desktop.services import agency, agency_recovery

    loaded = agency.active()
    if args.json:
        print_json(loaded.summary() if loaded is not None else None,
                   agency.PackSummary | None)
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
    fingerprint = agency_recovery.pack_fingerprint()
    if fingerprint:
        print(f"Recovery:  every vault is also wrapped to the agency key {fingerprint}")
    else:
        print("Recovery:  none (no recovery-public.pem)")
    print(f"CA certificates in the pack: {len(loaded.ca_files)}")
    if loaded.ca_files and loaded.source.where != "machine":
        print("  (trusted only when the pack is installed machine-wide by IT)", file=sys.stderr)


def cmd_agency_keygen(args: argparse.Namespace) -> None:
    from supervision_desktop.services import agency_recovery

    passphrase = ask_secret(AGENCY_KEY_PASSPHRASE_VARIABLE, "Passphrase for the private key: ",
                            "passphrase for the agency key", confirm=True)
    pair = agency_recovery.make_key_pair(Path(args.out), passphrase)
    print(f"Wrote {pair.public} and {pair.private}.")
    print(f"Fingerprint: {pair.fingerprint}")
    print()
    print(f"Put {pair.public.name} in the agency pack: every vault made or next opened under "
          "it can then be opened with the private key.")
    print(f"Keep {pair.private.name} and its passphrase off workers' laptops, in two places "
          "IT controls: without them no vault can be recovered this way.")


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
    keygen = add_command(actions, "keygen", cmd_agency_keygen,
                         "a recovery key pair: recovery-public.pem for the pack, "
                         "recovery-private.pem (encrypted) for IT")
    keygen.add_argument("--out", required=True, metavar="DIR")
    add_command(actions, "show", cmd_agency_show, "the pack this install uses").add_argument(
        "--json", action="store_true")
