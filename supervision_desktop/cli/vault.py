"""Creating a vault, what it holds, its passphrase and recovery."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from supervision_desktop.cli.common import (
    AGENCY_KEY_PASSPHRASE_VARIABLE,
    PASSPHRASE_VARIABLE,
    add_command,
    ask_passphrase,
    ask_secret,
    interactive,
    print_json,
    system_keyring,
    unlock,
    vault_dir,
)
from supervision_desktop.domain.dates import uk_date
from supervision_desktop.errors import InvalidInput


def cmd_init(args: argparse.Namespace) -> None:
    from supervision_desktop.services import vault_access

    passphrase = ask_passphrase("New passphrase: ", confirm=True)
    created = vault_access.create_vault(
        vault_dir(args),
        owner_name=args.name,
        role=args.role,
        passphrase=passphrase,
        remember=system_keyring() if args.remember else None,
        policy_profile=args.policy,
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

    with unlock(args) as vault:
        info = vault_info(vault)
    if args.json:
        print_json(info)
        return
    print(f"Owner:          {info.owner_name}")
    print(f"Role:           {info.role}")
    print(f"Created:        {uk_date(info.created_at)}")
    print(f"Schema version: {info.schema_revision}")
    print(f"Agency pack:    {info.agency_pack or 'none (made without one)'}")
    if info.agency_recovery_key:
        print(f"Agency key:     {info.agency_recovery_key} (your agency can recover it)")
    else:
        print("Agency key:     none (your agency cannot recover it; your recovery key can)")
    print(f"Folder:         {info.folder}")
    people = ", ".join(f"{n} {k}" for k, n in sorted(info.people.items())) or "none"
    records = ", ".join(f"{n} {k}" for k, n in sorted(info.records.items())) or "none"
    print(f"People:         {people}")
    print(f"Records:        {records}")


def cmd_passphrase(args: argparse.Namespace) -> None:
    from supervision_desktop.services import vault_access

    if os.environ.get(PASSPHRASE_VARIABLE) or not interactive():
        raise InvalidInput("Changing the passphrase needs a terminal to type both passphrases.")
    with unlock(args) as vault:
        current = getpass.getpass("Current passphrase: ")
        new = ask_passphrase("New passphrase: ", confirm=True)
        vault_access.change_passphrase(vault, current, new)
    print("Passphrase changed. The recovery key still works.")


def cmd_recover(args: argparse.Namespace) -> None:
    from supervision_desktop.services import vault_access

    if args.agency_key:
        _recover_with_agency_key(args)
        return
    if args.backup:
        raise InvalidInput("--backup goes with --agency-key; with your own recovery key use "
                           "'restore FILE --recovery-key'.")
    if not interactive():
        raise InvalidInput("Recovery needs a terminal to type the recovery key.")
    recovery_key = input("Recovery key: ")
    new = getpass.getpass("New passphrase: ")
    if getpass.getpass("Repeat it: ") != new:
        raise InvalidInput("The two passphrases differ. Nothing was changed.")
    vault_access.unlock_with_recovery_key(vault_dir(args), recovery_key, new).close()
    print("The vault is open again with your new passphrase.")


def _recover_with_agency_key(args: argparse.Namespace) -> None:
    """IT, on its own machine, with a copy of a vault folder or a backup."""
    from supervision_desktop.services import agency_recovery, backup, vault_access

    if not args.vault:  # never the default: that is IT's own vault, not the copy
        raise InvalidInput("Name the copy of the vault with --vault DIR (with --backup: the "
                           "empty folder to restore it into). Nothing was changed.")

    key_passphrase = ask_secret(AGENCY_KEY_PASSPHRASE_VARIABLE, "Passphrase of the agency "
                                "key: ", "passphrase for the agency key")
    private_key = agency_recovery.read_private_key(Path(args.agency_key), key_passphrase)
    folder = vault_dir(args)
    if args.backup:
        backup.read_backup(Path(args.backup))  # a damaged backup is refused before asking
        new = ask_passphrase("New passphrase for the vault: ", confirm=True)
        result = backup.restore(Path(args.backup), folder, agency_key=private_key,
                                new_passphrase=new)
        print(f"Restored the backup of {uk_date(result.created_at.isoformat())} into "
              f"{result.folder} with the agency key. It opens with the new passphrase.")
        return
    new = ask_passphrase("New passphrase for the vault: ", confirm=True)
    vault_access.recover_with_agency_key(folder, private_key, new).close()
    print(f"The vault in {folder} is open again with the new passphrase (recorded in its "
          "audit log). Give it back to its owner with the passphrase, in person.")


def register(commands: Any) -> None:
    init = add_command(commands, "init", cmd_init, "create a vault; prints the recovery key once")
    init.add_argument("--name", required=True, help="your full name")
    init.add_argument("--role", choices=("supervisor", "carer"), default="supervisor")
    init.add_argument("--policy", metavar="PROFILE",
                      help="whose rules decide what is due: birmingham-ifa, walsall, lambeth "
                      "(default), kent or custom; 'policy set' changes it later")
    init.add_argument("--remember", action="store_true",
                      help="remember the vault key in this computer's keyring")
    add_command(commands, "info", cmd_info, "owner, role, created, schema version, counts"
                ).add_argument("--json", action="store_true")
    add_command(commands, "passphrase", cmd_passphrase, "change the passphrase")
    recover = add_command(commands, "recover", cmd_recover,
                          "open with the recovery key and set a new passphrase")
    recover.add_argument("--agency-key", metavar="FILE",
                         help="IT: open with the agency's recovery-private.pem instead (its "
                         f"passphrase asked, or ${AGENCY_KEY_PASSPHRASE_VARIABLE}); the new "
                         f"passphrase asked, or ${PASSPHRASE_VARIABLE}")
    recover.add_argument("--backup", metavar="FILE",
                         help="with --agency-key: restore this backup into the --vault "
                         "folder (which must not hold a vault) instead of opening one")
