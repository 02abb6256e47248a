"""Backing up the vault to one encrypted file, the reminder, and restoring a backup."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from supervision_desktop.cli.common import (
    add_command,
    ask_passphrase,
    interactive,
    print_json,
    uk_date,
    unlock,
    vault_dir,
)
from supervision_desktop.errors import InvalidInput

RECOVERY_KEY_VARIABLE = "SUPERVISION_RECOVERY_KEY"


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{max(n // 1000, 1)} kB"


def cmd_backup(args: argparse.Namespace) -> None:
    from supervision_desktop.services import backup

    if args.out is None:
        raise InvalidInput("Say where to write the backup: backup --out FILE (or a folder).")
    with unlock(args) as vault:
        result = backup.back_up(vault, Path(args.out))
    counts = result.counts
    print(f"Backed up {counts.records} records ({counts.versions} versions) and "
          f"{counts.people} people to {result.path} ({_size(result.size)}); checked after "
          "writing.")
    print("It opens with your current passphrase or your recovery key. Keep it somewhere "
          "other than this computer.")


def cmd_status(args: argparse.Namespace) -> int:
    from supervision_desktop.services import backup

    with unlock(args) as vault:
        status = backup.status(vault)
    if args.json:
        print_json({
            "last_backup_at": status.last_backup_at.isoformat() if status.last_backup_at else None,
            "reminder_days": status.reminder_days,
            "due": status.due,
        })
    else:
        print(("Backup due: " if status.due else "") + status.message)
    return 3 if status.due else 0  # scripts can act on it; 1 and 2 are taken by errors


def cmd_reminder(args: argparse.Namespace) -> None:
    from supervision_desktop.services import backup

    with unlock(args) as vault:
        backup.set_reminder_days(vault, args.days)
    print(f"You will be reminded when the last backup is more than {args.days} days old.")


def cmd_restore(args: argparse.Namespace) -> None:
    from supervision_desktop.services import backup

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
                        help="the backup file, or a folder for supervision-backup_DATE.sdbackup")
    actions = parser.add_subparsers(dest="backup_command", metavar="ACTION")
    status = add_command(actions, "status", cmd_status,
                         "when the last backup was made; exit status 3 if one is due")
    status.add_argument("--json", action="store_true")
    reminder = add_command(actions, "reminder", cmd_reminder,
                           "remind after this many days without a backup (default 7)")
    reminder.add_argument("days", type=int)
    restore = add_command(commands, "restore", cmd_restore,
                          "restore a backup file into --vault FOLDER (an empty folder unless "
                          "--replace)")
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--recovery-key", action="store_true",
                         help=f"use the recovery key (asked, or ${RECOVERY_KEY_VARIABLE}) and "
                         "set a new passphrase")
    restore.add_argument("--replace", action="store_true",
                         help="overwrite the vault already in that folder")
