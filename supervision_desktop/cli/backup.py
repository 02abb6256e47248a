"""Backing up the vault to one encrypted file, the reminder, and restoring a backup."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from supervision_desktop.cli.common import (
    PASSPHRASE_VARIABLE,
    add_command,
    ask_passphrase,
    interactive,
    print_json,
    system_keyring,
    unlock,
    vault_dir,
)
from supervision_desktop.domain.dates import uk_date
from supervision_desktop.errors import InvalidInput, VaultDamaged, VaultInUse

if TYPE_CHECKING:
    from supervision_desktop.domain.backup_rotation import Keep
    from supervision_desktop.store.vault import Vault

RECOVERY_KEY_VARIABLE = "SUPERVISION_RECOVERY_KEY"


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{max(n // 1000, 1)} kB"


def _parse_keep(text: str) -> Keep:
    from supervision_desktop.domain.backup_rotation import Keep

    try:
        return Keep.parse(text)
    except ValueError as exc:
        raise InvalidInput(f"Keep: {exc}.") from None


def _open_or_key(args: argparse.Namespace, folder: Path) -> Vault | bytes:
    """The vault opened here (with its lock), or, if another process (the app) has it
    open, just its data key, to read it beside that process. The key comes from this
    device's keyring or the passphrase, as for every command; never from argv."""
    from supervision_desktop.services import vault_access
    from supervision_desktop.store import snapshot
    from supervision_desktop.store.keyfile import KeyFile
    from supervision_desktop.store.vault import vault_exists

    if not vault_exists(folder):
        raise InvalidInput(f"There is no vault in {folder}. Create one with 'init'.")
    if not os.environ.get(PASSPHRASE_VARIABLE):
        cache = system_keyring()
        try:
            vault = vault_access.unlock_from_keyring(folder, cache)
        except VaultInUse:
            remembered = cache.load(KeyFile.load(folder).vault_id)
            if remembered is not None:
                return remembered
        else:
            if vault is not None:
                return vault
    passphrase = ask_passphrase("Passphrase: ")
    try:
        return vault_access.unlock_with_passphrase(folder, passphrase).vault
    except VaultInUse:
        return snapshot.key_from_passphrase(folder, passphrase)


def cmd_backup(args: argparse.Namespace) -> None:
    from supervision_desktop.services import backup

    backup.remove_stale_temporaries()
    if args.out is None:
        raise InvalidInput("Say where to write the backup: backup --out FILE (or a folder).")
    keep = None if args.keep is None else _parse_keep(args.keep)
    folder = vault_dir(args)
    try:
        opened = _open_or_key(args, folder)
        if isinstance(opened, bytes):  # the app has it open: read beside it
            result = backup.back_up_beside(folder, opened, Path(args.out), keep=keep)
        else:
            with opened as vault:
                result = backup.back_up(vault, Path(args.out), keep=keep)
    except VaultDamaged as exc:
        message = str(exc)
        if "no backup was made" not in message:
            message += " No backup was made; your existing backups were left as they are."
        raise VaultDamaged(message) from None
    counts = result.counts
    print(f"Backed up {counts.records} records ({counts.versions} versions) and "
          f"{counts.people} people to {result.path} ({_size(result.size)}); checked after "
          "writing.")
    if result.removed:
        print(f"Rotated out {len(result.removed)} older backup"
              f"{'' if len(result.removed) == 1 else 's'}: "
              + ", ".join(p.name for p in result.removed))
    print("It opens with your current passphrase or your recovery key. Keep it somewhere "
          "other than this computer.")


def cmd_status(args: argparse.Namespace) -> int:
    from supervision_desktop.services import backup

    backup.remove_stale_temporaries()
    folder = vault_dir(args)
    opened = _key_only(folder)
    status = backup.status_beside(folder, opened)
    if args.json:
        print_json({
            "last_backup_at": status.last_backup_at.isoformat() if status.last_backup_at else None,
            "reminder_days": status.reminder_days,
            "due": status.due,
        })
    else:
        print(("Backup due: " if status.due else "") + status.message)
    return 3 if status.due else 0  # scripts can act on it; 1 and 2 are taken by errors


def _key_only(folder: Path) -> bytes:
    """The data key without opening the vault (no lock): keyring, else passphrase."""
    from supervision_desktop.store import snapshot
    from supervision_desktop.store.keyfile import KeyFile
    from supervision_desktop.store.vault import vault_exists

    if not vault_exists(folder):
        raise InvalidInput(f"There is no vault in {folder}. Create one with 'init'.")
    if not os.environ.get(PASSPHRASE_VARIABLE):
        remembered = system_keyring().load(KeyFile.load(folder).vault_id)
        if remembered is not None:
            return remembered
    return snapshot.key_from_passphrase(folder, ask_passphrase("Passphrase: "))


def cmd_keep(args: argparse.Namespace) -> None:
    from supervision_desktop.services import backup

    keep = _parse_keep(args.counts)
    with unlock(args) as vault:
        backup.set_keep(vault, keep)
    print(f"Backups in a folder keep the newest of each of the last {keep.daily} days, "
          f"{keep.weekly} weeks and {keep.monthly} months that have one.")


def cmd_reminder(args: argparse.Namespace) -> None:
    from supervision_desktop.services import backup

    with unlock(args) as vault:
        backup.set_reminder_days(vault, args.days)
    print(f"You will be reminded when the last backup is more than {args.days} days old.")


def cmd_restore(args: argparse.Namespace) -> None:
    from supervision_desktop.services import backup

    backup.remove_stale_temporaries()
    folder = vault_dir(args)
    if args.recovery_key:
        recovery_key = os.environ.get(RECOVERY_KEY_VARIABLE, "")
        if not recovery_key:
            if not interactive():
                raise InvalidInput(f"No recovery key: set {RECOVERY_KEY_VARIABLE} or run this "
                                   "in a terminal.")
            recovery_key = input("Recovery key: ")
        new = ask_passphrase("New passphrase for the restored vault: ", confirm=True)
        result = backup.restore(Path(args.file), folder, recovery_key=recovery_key,
                                new_passphrase=new, replace=args.replace)
    else:
        passphrase = ask_passphrase("Passphrase in use when the backup was made: ")
        result = backup.restore(Path(args.file), folder, passphrase=passphrase,
                                replace=args.replace)
    print(f"Restored the backup of {uk_date(result.created_at.date().isoformat())} into "
          f"{result.folder}: {result.counts.records} records, {result.counts.people} people. "
          "Checked: it opens.")


def register(commands: Any) -> None:
    parser = add_command(commands, "backup", cmd_backup,
                         "write one encrypted, checked backup file; 'backup status' for the "
                         "reminder")
    parser.add_argument("--out", metavar="FILE",
                        help="the backup file, or a folder: a new supervision-backup_TIME."
                        "sdbackup each run, older ones rotated")
    parser.add_argument("--keep", metavar="D,W,M",
                        help="rotation for this run: keep the newest of the last D days, W "
                        "weeks, M months (default: the vault's setting, else 7,4,12)")
    actions = parser.add_subparsers(dest="backup_command", metavar="ACTION")
    status = add_command(actions, "status", cmd_status,
                         "when the last backup was made; exit status 3 if one is due")
    status.add_argument("--json", action="store_true")
    reminder = add_command(actions, "reminder", cmd_reminder,
                           "remind after this many days without a backup (default 7)")
    reminder.add_argument("days", type=int)
    keep = add_command(actions, "keep", cmd_keep,
                       "how many daily,weekly,monthly backups a folder keeps (default 7,4,12)")
    keep.add_argument("counts", metavar="D,W,M")
    restore = add_command(commands, "restore", cmd_restore,
                          "restore a backup file into --vault FOLDER (an empty folder unless "
                          "--replace)")
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--recovery-key", action="store_true",
                         help=f"use the recovery key (asked, or ${RECOVERY_KEY_VARIABLE}) and "
                         "set a new passphrase")
    restore.add_argument("--replace", action="store_true",
                         help="overwrite the vault already in that folder")
