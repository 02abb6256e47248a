"""Transfer bundles: hand one person's whole file to another vault."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path
from typing import Any

from supervision_desktop.cli.common import add_command, interactive, unlock
from supervision_desktop.errors import InvalidInput

TRANSFER_PASSPHRASE_VARIABLE = "SUPERVISION_TRANSFER_PASSPHRASE"


def cmd_export(args: argparse.Namespace) -> None:
    from supervision_desktop.services import transfer

    with unlock(args) as vault:
        exported = transfer.export_person(vault, args.person_id, Path(args.out))
    print(f"Wrote the file ({exported.records} records) to {exported.path}.")
    print()
    print("Transfer passphrase (shown only now):")
    print()
    print(f"    {exported.passphrase}")
    print()
    print("Give it to the recipient another way (by phone or in person), not in the same "
          "e-mail or on the same stick as the file.")


def _transfer_passphrase() -> str:
    passphrase = os.environ.get(TRANSFER_PASSPHRASE_VARIABLE)
    if passphrase:
        return passphrase
    if not interactive():
        raise InvalidInput(f"No transfer passphrase: set {TRANSFER_PASSPHRASE_VARIABLE} or run "
                           "this in a terminal.")
    return getpass.getpass("Transfer passphrase: ")


def cmd_import(args: argparse.Namespace) -> None:
    from supervision_desktop.services import transfer

    with unlock(args) as vault:
        imported = transfer.import_bundle(vault, Path(args.file), _transfer_passphrase())
    print(imported.message)


def register(commands: Any) -> None:
    group = commands.add_parser("transfer", help="hand a person's whole file to another vault")
    actions = group.add_subparsers(dest="transfer_command", metavar="ACTION", required=True)
    export = add_command(actions, "export", cmd_export,
                         "write a supervisee's or carer household's whole file, encrypted; "
                         "prints a one-time transfer passphrase")
    export.add_argument("person_id", metavar="PERSON_ID")
    export.add_argument("--out", metavar="FILE", required=True,
                        help="the bundle file, or a folder for "
                        "supervision-transfer_DATE.sdtransfer")
    imported = add_command(actions, "import", cmd_import,
                           f"import a bundle (asks the transfer passphrase, or "
                           f"${TRANSFER_PASSPHRASE_VARIABLE})")
    imported.add_argument("file", metavar="FILE")
