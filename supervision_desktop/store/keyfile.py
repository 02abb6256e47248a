"""The vault's key file: the data key wrapped by the passphrase and by the recovery key.

The database is encrypted with a random 256-bit data key. That key is stored only
wrapped (AES-256-GCM) under keys derived from the passphrase (Argon2id) and from the
printable recovery key (HKDF: it already has 160 bits of entropy). The KDF parameters,
salt, slot name and vault id are the associated data of each wrap, so none of them can
be changed (for example to lower the Argon2 cost) without the unwrap failing. Changing
the passphrase rewraps the same data key; the database is never re-encrypted.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from supervision_desktop.errors import VaultDamaged, WrongPassphrase

KEY_FILE_NAME = "vault.key"
FORMAT = "supervision-desktop-key"
FORMAT_VERSION = 1
DATA_KEY_BYTES = 32

# Argon2id cost: measured ~150 ms on a 2-core laptop-class machine. Never accepted lower.
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_PARALLELISM = 4

RECOVERY_KEY_BYTES = 20  # 160 bits, shown as 32 base32 letters in groups of four


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)


def new_recovery_key() -> str:
    letters = base64.b32encode(secrets.token_bytes(RECOVERY_KEY_BYTES)).decode("ascii")
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def _recovery_key_bytes(recovery_key: str) -> bytes:
    letters = "".join(ch for ch in recovery_key.upper() if ch.isalnum())
    # People misread these when copying from paper; base32 has no 0, 1 or 8.
    letters = letters.replace("0", "O").replace("1", "I").replace("8", "B")
    try:
        raw = base64.b32decode(letters)
    except ValueError:
        raise WrongPassphrase("recovery key") from None
    if len(raw) != RECOVERY_KEY_BYTES:
        raise WrongPassphrase("recovery key")
    return raw


def _argon2_kdf() -> dict[str, Any]:
    return {
        "name": "argon2id",
        "time_cost": ARGON2_TIME_COST,
        "memory_kib": ARGON2_MEMORY_KIB,
        "parallelism": ARGON2_PARALLELISM,
        "salt": _b64(secrets.token_bytes(16)),
    }


def _hkdf_kdf() -> dict[str, Any]:
    return {"name": "hkdf-sha256", "salt": _b64(secrets.token_bytes(16))}


def _derive(kdf: dict[str, Any], secret: bytes) -> bytes:
    salt = _unb64(kdf["salt"])
    if kdf["name"] == "argon2id":
        too_weak = (
            kdf["time_cost"] < ARGON2_TIME_COST
            or kdf["memory_kib"] < ARGON2_MEMORY_KIB
            or kdf["parallelism"] < 1
            or len(salt) < 16
        )
        if too_weak:
            raise VaultDamaged(
                "The vault's key file has been altered (its protection was weakened). "
                "It was not used. Restore the key file from a backup."
            )
        return hash_secret_raw(
            secret,
            salt,
            time_cost=kdf["time_cost"],
            memory_cost=kdf["memory_kib"],
            parallelism=kdf["parallelism"],
            hash_len=32,
            type=Type.ID,
        )
    if kdf["name"] == "hkdf-sha256":
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"recovery-key")
        return hkdf.derive(secret)
    raise VaultDamaged(f"The vault's key file uses an unknown method ({kdf['name']}).")


def _associated_data(vault_id: str, slot: str, kdf: dict[str, Any]) -> bytes:
    bound = {"format": FORMAT, "vault_id": vault_id, "slot": slot, "kdf": kdf}
    return json.dumps(bound, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class KeyFile:
    """The parsed key file: which vault it belongs to and its wrapped copies of the key."""

    vault_id: str
    wraps: dict[str, dict[str, Any]]

    # --- making and changing ----------------------------------------------------------

    @classmethod
    def create(cls, data_key: bytes, passphrase: str, recovery_key: str) -> KeyFile:
        key_file = cls(vault_id=uuid.uuid4().hex, wraps={})
        key_file = key_file.with_passphrase(data_key, passphrase)
        return key_file.with_recovery_key(data_key, recovery_key)

    def _wrap(self, slot: str, kdf: dict[str, Any], secret: bytes, data_key: bytes) -> KeyFile:
        nonce = secrets.token_bytes(12)
        wrapping_key = _derive(kdf, secret)
        aad = _associated_data(self.vault_id, slot, kdf)
        ciphertext = AESGCM(wrapping_key).encrypt(nonce, data_key, aad)
        wrap = {"kdf": kdf, "nonce": _b64(nonce), "ciphertext": _b64(ciphertext)}
        return KeyFile(self.vault_id, {**self.wraps, slot: wrap})

    def with_passphrase(self, data_key: bytes, passphrase: str) -> KeyFile:
        return self._wrap("passphrase", _argon2_kdf(), passphrase.encode("utf-8"), data_key)

    def with_recovery_key(self, data_key: bytes, recovery_key: str) -> KeyFile:
        return self._wrap("recovery", _hkdf_kdf(), _recovery_key_bytes(recovery_key), data_key)

    # --- unwrapping -------------------------------------------------------------------

    def _unwrap(self, slot: str, secret: bytes, what: str) -> bytes:
        wrap = self.wraps.get(slot)
        if wrap is None:
            raise WrongPassphrase(what)
        try:
            wrapping_key = _derive(wrap["kdf"], secret)
            aad = _associated_data(self.vault_id, slot, wrap["kdf"])
            data_key = AESGCM(wrapping_key).decrypt(
                _unb64(wrap["nonce"]), _unb64(wrap["ciphertext"]), aad
            )
        except InvalidTag:
            raise WrongPassphrase(what) from None
        except (KeyError, TypeError, ValueError):
            raise VaultDamaged("The vault's key file is damaged and cannot be read.") from None
        if len(data_key) != DATA_KEY_BYTES:
            raise VaultDamaged("The vault's key file is damaged and cannot be read.")
        return data_key

    def unwrap_with_passphrase(self, passphrase: str) -> bytes:
        return self._unwrap("passphrase", passphrase.encode("utf-8"), "passphrase")

    def unwrap_with_recovery_key(self, recovery_key: str) -> bytes:
        return self._unwrap("recovery", _recovery_key_bytes(recovery_key), "recovery key")

    # --- files ------------------------------------------------------------------------

    def to_json(self) -> str:
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "vault_id": self.vault_id,
            "wraps": self.wraps,
        }
        return json.dumps(document, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> KeyFile:
        try:
            document = json.loads(text)
            if document["format"] != FORMAT:
                raise ValueError("not a key file")
            if document["format_version"] > FORMAT_VERSION:
                raise ValueError("newer format")
            vault_id = str(document["vault_id"])
            wraps = dict(document["wraps"])
        except (ValueError, KeyError, TypeError):
            raise VaultDamaged(
                "The vault's key file is damaged or was written by a newer version; "
                "it cannot be read."
            ) from None
        return cls(vault_id, wraps)

    def save(self, folder: Path) -> None:
        """Write atomically: a crash leaves either the old or the new file, never half."""
        path = folder / KEY_FILE_NAME
        temporary = folder / (KEY_FILE_NAME + ".new")
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(self.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)

    @classmethod
    def load(cls, folder: Path) -> KeyFile:
        return cls.from_json((folder / KEY_FILE_NAME).read_text(encoding="utf-8"))
