"""Known signers: list the certificates this vault accepts for people, accept a new one."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from supervision_desktop.cli.common import add_command, print_json, print_table, unlock
from supervision_desktop.domain.dates import uk_date


def cmd_signers_list(args: argparse.Namespace) -> None:
    from supervision_desktop.services.known_signers import (
        HOW_LABELS,
        PinnedCertificate,
        list_signers,
    )

    with unlock(args) as vault:
        found = list_signers(vault)
    if args.json:
        print_json(found, list[PinnedCertificate])
        return
    print_table(
        [(s.name, uk_date(s.first_seen), HOW_LABELS.get(s.accepted_how, s.accepted_how),
          s.words) for s in found],
        ("NAME", "SINCE", "ACCEPTED", "FINGERPRINT"),
    )


def cmd_signers_accept(args: argparse.Namespace) -> None:
    from supervision_desktop.services.known_signers import HOW_LABELS, accept_from_file

    with unlock(args) as vault:
        accepted = accept_from_file(vault, Path(args.file), reason=args.reason)
    for signer in accepted:
        print(f"Accepted for {signer.name} ({HOW_LABELS[signer.accepted_how]}): "
              f"{signer.words}")


def register(commands: Any) -> None:
    signers = commands.add_parser("signers", help="the certificates you accept for people")
    actions = signers.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    listed = add_command(actions, "list", cmd_signers_list,
                         "people's certificates this vault accepts, with fingerprints")
    listed.add_argument("--json", action="store_true")
    accept = add_command(actions, "accept", cmd_signers_accept,
                         "accept the certificate a signed PDF was signed with (a new "
                         "laptop: compare the fingerprint with its owner first)")
    accept.add_argument("file", metavar="FILE.pdf")
    accept.add_argument("--reason", default="",
                        help="why (needed when it replaces the certificate you have)")
