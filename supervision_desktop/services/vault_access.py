"""Creating, unlocking and recovering a vault: the use cases behind first run and unlock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3

from supervision_desktop.domain.passphrase import assess
from supervision_desktop.errors import InvalidInput, KeyringUnavailable, VaultInUse
from supervision_desktop.services import agency, agency_recovery, audit, backup, compliance
from supervision_desktop.store import settings
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.keyfile import new_recovery_key
from supervision_desktop.store.vault import Vault

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import rsa

    from supervision_desktop.store.keyring_cache import KeyCache

ROLES = ("supervisor", "carer")
DEFAULT_IDLE_LOCK_MINUTES = 10
IDLE_LOCK_RANGE = (1, 240)  # minutes


@dataclass(frozen=True)
class Unlocked:
    vault: Vault
    keyring_notice: str = ""  # why "remember on this device" did not work, if it did not
    check_pending: bool = False  # opened with a quick check: run check_integrity soon


@dataclass(frozen=True)
class NewVault(Unlocked):
    recovery_key: str = ""


def remember_on_device(vault: Vault, cache: KeyCache | None) -> str:
    """Keep the key in the OS keyring; returns a notice saying why not, if it could not."""
    if cache is None:
        return ""
    try:
        vault.remember_on_device(cache)
    except KeyringUnavailable as exc:
        return f"{exc} The vault will ask for your passphrase each time."
    return ""


def create_vault(
    folder: Path, *, owner_name: str, role: str, passphrase: str,
    remember: KeyCache | None = None, policy_profile: str | None = None,
) -> NewVault:
    """Make and unlock a new vault; policy_profile sets whose rules decide what is due."""
    owner_name = owner_name.strip()
    problems = []
    if not owner_name:
        problems.append("Enter your full name.")
    if role not in ROLES:
        problems.append(f"Role must be one of: {', '.join(ROLES)}.")
    strength = assess(passphrase, [owner_name])
    if not strength.acceptable:
        problems.append(f"Passphrase: {strength.hint}")
    if policy_profile is not None and policy_profile not in compliance.profile_ids():
        problems.append(f"There is no policy profile '{policy_profile}'.")
    if problems:
        raise InvalidInput(" ".join(problems))
    pack = agency.active()  # a broken pack refuses before anything is made
    made_with = pack.pack.label if pack is not None else ""
    organisation_key = pack.recovery_public_key if pack is not None else None
    recovery_key = new_recovery_key()
    vault, _ = vaults.create(folder, passphrase, recovery_key, organisation_key)
    with vault.transaction() as session:
        settings.write(session, settings.AGENCY_PACK, made_with)
        settings.write(session, settings.OWNER_NAME, owner_name)
        settings.write(session, settings.ROLE, role)
        settings.write(session, settings.CREATED_AT, dt.datetime.now(dt.UTC).isoformat())
    if policy_profile is not None and not agency.sets_policy():
        compliance.set_profile(vault, policy_profile)
    if vault.key_file.organisation_fingerprint is not None:
        audit.log(vault, "key_change", detail="wrapped to the agency recovery key "
                                              f"{vault.key_file.organisation_fingerprint}")
    notice = remember_on_device(vault, remember)
    return NewVault(vault=vault, keyring_notice=notice, recovery_key=recovery_key)


def _log_unlock(vault: Vault, how: str) -> None:
    """The unlock in the audit log, after the backups made beside the app since the last
    time it had the vault open (they happened first)."""
    backup.log_backups_made_beside(vault)
    audit.log(vault, "unlock", detail=how)
    agency_recovery.follow_pack(vault)


def unlock_with_passphrase(
    folder: Path, passphrase: str, remember: KeyCache | None = None, *, full_check: bool = True
) -> Unlocked:
    """full_check=False: only a quick check now; the caller runs `check_integrity` later."""
    vault = vaults.open_with_passphrase(folder, passphrase, full_check=full_check)
    _log_unlock(vault, "passphrase")
    return Unlocked(vault, remember_on_device(vault, remember), check_pending=not full_check)


def unlock_from_keyring(
    folder: Path, cache: KeyCache, *, full_check: bool = True
) -> Vault | None:
    vault = vaults.open_from_keyring(folder, cache, full_check=full_check)
    if vault is not None:
        _log_unlock(vault, "key remembered on this device")
    return vault


def unlock_read_only(
    folder: Path, passphrase: str | None = None, cache: KeyCache | None = None
) -> Unlocked:
    """Open a vault refused as older or unknown (VaultNotAsLastSeen) just to look: every
    connection read-only, nothing migrated, counted or written (not even the audit log or
    the state marker). With the key remembered on this device if ``cache`` has it, else
    the passphrase."""
    vault = None
    if cache is not None:
        vault = vaults.open_from_keyring(folder, cache, read_only=True)
    if vault is None:
        vault = vaults.open_with_passphrase(folder, passphrase or "", read_only=True)
    return Unlocked(vault)


def unlock_keeping_state(folder: Path, passphrase: str) -> Unlocked:
    """The deliberate way past a refusal when the person is sure this database is the one
    to keep: accept it as it is, seal a new state marker for it, and say so in the audit
    log. (Not for an empty or unreadable file: those are refused still.)"""
    vault = vaults.open_with_passphrase(folder, passphrase, adopt=True)
    _log_unlock(vault, "passphrase; the vault on disk was kept as it is although it "
                       "differs from the state last seen here")
    return Unlocked(vault)


def check_integrity(vault: Vault) -> str | None:
    """The full page check of a vault opened with full_check=False (slow: every page is
    read; safe on a background thread). None if sound, else what to tell the user.
    VaultInUse if the check could not run (the file was busy): nothing was found."""
    try:
        return vault.check_integrity()
    except sqlcipher3.dbapi2.OperationalError as exc:
        raise VaultInUse(f"the vault file was busy ({exc}); it is checked again at the "
                         "next unlock.") from None


def unlock_with_recovery_key(folder: Path, recovery_key: str, new_passphrase: str) -> Vault:
    strength = assess(new_passphrase)
    if not strength.acceptable:
        raise InvalidInput(f"New passphrase: {strength.hint}")
    vault = vaults.open_with_recovery_key(folder, recovery_key, new_passphrase)
    _log_unlock(vault, "recovery key; passphrase replaced")
    return vault


def recover_with_agency_key(
    folder: Path, private_key: rsa.RSAPrivateKey, new_passphrase: str
) -> Vault:
    """IT's way back into a vault (a copy of its folder) whose worker has lost both the
    passphrase and the recovery key: the agency's private key, and a new passphrase."""
    strength = assess(new_passphrase)
    if not strength.acceptable:
        raise InvalidInput(f"New passphrase: {strength.hint}")
    vault = vaults.open_with_organisation_key(folder, private_key, new_passphrase)
    _log_unlock(vault, "agency recovery key "
                       f"{vault.key_file.organisation_fingerprint}; passphrase replaced")
    return vault


def owner_name(vault: Vault) -> str:
    with vault.transaction() as session:
        return settings.read(session, settings.OWNER_NAME) or ""


def change_passphrase(vault: Vault, current: str, new: str) -> None:
    strength = assess(new, [owner_name(vault)])
    if not strength.acceptable:
        raise InvalidInput(f"New passphrase: {strength.hint}")
    vault.change_passphrase(current, new)


def forget_on_device(vault: Vault, cache: KeyCache) -> None:
    cache.forget(vault.vault_id)


def is_remembered(vault: Vault, cache: KeyCache) -> bool:
    return cache.load(vault.vault_id) is not None


def new_recovery_key_for(vault: Vault) -> str:
    """Replace a lost recovery key: returns the new one, to be shown once."""
    recovery_key = new_recovery_key()
    vault.replace_recovery_key(recovery_key)
    return recovery_key


def idle_lock_minutes(vault: Vault) -> int:
    """Minutes without input before the app locks itself (a vault setting, default 10)."""
    with vault.transaction() as session:
        stored = settings.read(session, settings.IDLE_LOCK_MINUTES)
    try:
        return int(stored) if stored else DEFAULT_IDLE_LOCK_MINUTES
    except ValueError:
        return DEFAULT_IDLE_LOCK_MINUTES


def set_idle_lock_minutes(vault: Vault, minutes: int) -> None:
    low, high = IDLE_LOCK_RANGE
    if not low <= minutes <= high:
        raise InvalidInput(f"Lock after between {low} and {high} minutes without use.")
    with vault.transaction() as session:
        settings.write(session, settings.IDLE_LOCK_MINUTES, str(minutes))
