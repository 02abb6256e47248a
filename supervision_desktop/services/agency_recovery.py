"""Organisational recovery: the agency's key pair, wrapping vaults to it, and reading it back.

IT makes the pair with `make_key_pair` on its own machine and puts the public half in the
agency pack. Every vault made under that pack, and every older vault when it is next
unlocked there, also wraps its data key to it (`follow_pack`, logged in the audit log).
With the private half IT can reopen a copy of a vault, or restore a backup, and set a new
passphrase (vault_access.recover_with_agency_key, backup.restore).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from supervision_desktop.domain import safe_input
from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import agency, audit
from supervision_desktop.store import organisation_key
from supervision_desktop.store.organisation_key import PRIVATE_FILE, PUBLIC_FILE, AgencyKeyRefused
from supervision_desktop.store.private_files import open_private

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import rsa

    from supervision_desktop.store.vault import Vault


@dataclass(frozen=True)
class KeyPair:
    public: Path
    private: Path
    fingerprint: str


def make_key_pair(folder: Path, passphrase: str) -> KeyPair:
    """Write recovery-public.pem and recovery-private.pem (0600, encrypted under
    ``passphrase``) into ``folder``; never over an existing pair."""
    folder = Path(folder).expanduser()
    public, private = folder / PUBLIC_FILE, folder / PRIVATE_FILE
    for path in (public, private):
        if path.exists():
            raise InvalidInput(f"{path} already exists: a new pair would lock out every vault "
                               "wrapped to the old one. Nothing was written. Choose another "
                               "folder.")
    public_pem, private_pem = organisation_key.generate(passphrase)
    folder.mkdir(parents=True, exist_ok=True)
    with open_private(private, "wb") as handle:
        handle.write(private_pem)
    public.write_bytes(public_pem)
    key = organisation_key.load_public(public_pem)
    return KeyPair(public, private, organisation_key.fingerprint_of(key))


def read_private_key(path: Path, passphrase: str) -> rsa.RSAPrivateKey:
    """The agency's private key from its file; AgencyKeyRefused saying why it cannot be."""
    try:
        data = safe_input.read_bytes(path, max_bytes=organisation_key.MAX_PEM_BYTES)
    except safe_input.InputProblem as exc:
        raise AgencyKeyRefused(f"{exc} Nothing was changed.") from None
    return organisation_key.load_private(data, passphrase, Path(path).name)


def pack_fingerprint() -> str | None:
    """The fingerprint of the active pack's recovery key, or None (no pack, no key)."""
    pack = agency.active()
    if pack is None or pack.recovery_public_key is None:
        return None
    return organisation_key.fingerprint_of(organisation_key.load_public(pack.recovery_public_key))


def follow_pack(vault: Vault) -> str | None:
    """Wrap the vault's key to the active pack's recovery key if it has none yet (a vault
    made before the key was installed); replace a wrap to another key only for a pack IT
    installed machine-wide (the agency replaced its key), never for one tried from the
    user's folder or SUPERVISION_AGENCY, which would take the agency's way back away.
    Returns the new fingerprint, or None if nothing changed. Never stops an unlock: a
    broken pack, or a key file that cannot be written now, changes nothing here (the next
    unlock tries again)."""
    if vault.read_only:
        return None
    try:
        pack = agency.active()
    except agency.PackUnusable:
        return None
    if pack is None or pack.recovery_public_key is None:
        return None
    wanted = organisation_key.fingerprint_of(
        organisation_key.load_public(pack.recovery_public_key))
    present = vault.key_file.organisation_fingerprint
    if present == wanted or (present is not None and pack.source.where != "machine"):
        return None
    try:
        vault.wrap_to_organisation_key(pack.recovery_public_key)
    except OSError as exc:  # disk full, the file held by another program: next time
        log.warning("The agency recovery wrap was not written (%s).", type(exc).__name__)
        return None
    audit.log(vault, "key_change", detail=f"wrapped to the agency recovery key {wanted}")
    return wanted
