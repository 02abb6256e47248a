"""Transfer bundles: hand one person's whole file to another vault.

``transfer import`` exits 0 when imported, 1 when refused (wrong passphrase, damaged,
changed after signing, unsigned), and 3 when the bundle is intact but signed by a
certificate this vault does not know or does not hold for that sender: it prints who
and the fingerprint; after comparing it with the sender, run it again with
``--accept-sender FINGERPRINT``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from supervision_desktop.cli.common import add_command, ask_secret, unlock

TRANSFER_PASSPHRASE_VARIABLE = "SUPERVISION_TRANSFER_PASSPHRASE"
EXIT_SENDER_NOT_ACCEPTED = 3


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
    return ask_secret(TRANSFER_PASSPHRASE_VARIABLE, "Transfer passphrase: ",
                      "transfer passphrase")


def cmd_import(args: argparse.Namespace) -> int:
    from supervision_desktop.services import transfer

    with unlock(args) as vault:
        try:
            imported = transfer.import_bundle(vault, Path(args.file), _transfer_passphrase(),
                                              accept_fingerprint=args.accept_sender)
        except transfer.SenderNotAccepted as exc:
            print(f"not imported: {exc.sender.description}", file=sys.stderr)
            if args.accept_sender:
                print("The fingerprint given with --accept-sender is not this certificate's.",
                      file=sys.stderr)
            print("Nothing was imported. If the fingerprint is the one the sender reads out to "
                  "you, import it again with:\n"
                  f"    --accept-sender {exc.sender.fingerprint}", file=sys.stderr)
            return EXIT_SENDER_NOT_ACCEPTED
    print(imported.message)
    if imported.accepted:
        print(f"You accepted {imported.sender.name if imported.sender else 'the sender'}'s "
              "certificate; their next bundles are from a signer you know.")
    return 0


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
    imported.add_argument("--accept-sender", metavar="FINGERPRINT", default=None,
                          help="accept the signer's certificate with this SHA-256 fingerprint "
                          "(once you have compared it with the sender); exit 3 without it "
                          "when the signer is not known")
