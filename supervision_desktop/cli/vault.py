"""Creating a vault, what it holds, its passphrase and recovery."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from supervision_desktop.cli.common import (
    PASSPHRASE_VARIABLE,
    add_command,
    ask_passphrase,
    interactive,
    print_json,
    system_keyring,
    uk_date,
    unlock,
    vault_dir,
)
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
        print_json(info.as_dict())
        return
    print(f"Owner:          {info.owner_name}")
    print(f"Role:           {info.role}")
    print(f"Created:        {uk_date(info.created_at)}")
    print(f"Schema version: {info.schema_revision}")
    print(f"Agency pack:    {info.agency_pack or 'none (made without one)'}")
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

    if not interactive():
        raise InvalidInput("Recovery needs a terminal to type the recovery key.")
    recovery_key = input("Recovery key: ")
    new = getpass.getpass("New passphrase: ")
    if getpass.getpass("Repeat it: ") != new:
        raise InvalidInput("The two passphrases differ. Nothing was changed.")
    vault_access.unlock_with_recovery_key(vault_dir(args), recovery_key, new).close()
    print("The vault is open again with your new passphrase.")


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
    add_command(commands, "recover", cmd_recover,
                "open with the recovery key and set a new passphrase")
