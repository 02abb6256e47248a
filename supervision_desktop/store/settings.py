"""Vault-level settings kept inside the encrypted database (the owner's name is content)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from supervision_desktop.store.models import Setting

OWNER_NAME = "owner_name"
ROLE = "role"
CREATED_AT = "created_at"
AGENCY_PACK = "agency_pack"  # the pack the vault was made with: "Kent (version 2026.1)"
IDLE_LOCK_MINUTES = "idle_lock_minutes"
LAST_BACKUP_AT = "last_backup_at"  # ISO UTC time of the last checked backup
BACKUP_REMINDER_DAYS = "backup_reminder_days"
BACKUP_KEEP = "backup_keep"  # rotation: "daily,weekly,monthly", e.g. "7,4,12"
BACKUP_FOLDER = "backup_folder"  # where automatic backups go (and restore starts looking)
BESIDE_LOGGED_THROUGH = "backups_beside_logged_through"  # newest beside-backup in the log
AUTO_BACKUP = "auto_backup"  # "on": back up to BACKUP_FOLDER on lock and on close
PERSONAL_WORDS = "personal_words"  # the spell checker's own words (JSON list): names


def read(session: Session, key: str, default: str = "") -> str:
    value = session.scalar(select(Setting.value).where(Setting.key == key))
    return default if value is None else value


def write(session: Session, key: str, value: str) -> None:
    session.merge(Setting(key=key, value=value))
