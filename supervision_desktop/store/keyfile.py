"""The vault's key file: the data key wrapped by the passphrase, by the recovery key and,
under an agency pack with a recovery key, by the agency's public key.

The database is encrypted with a random 256-bit data key. That key is stored only
wrapped (AES-256-GCM) under keys derived from the passphrase (Argon2id) and from the
printable recovery key (HKDF: it already has 160 bits of entropy). The KDF parameters,
salt, slot name and vault id are the associated data of each wrap, so none of them can
be changed (for example to lower the Argon2 cost) without the unwrap failing. Changing
the passphrase rewraps the same data key; the database is never re-encrypted.

The optional third slot, "organisation", holds the data key encrypted to the agency's RSA
key (store.organisation_key) with the vault id and the key's fingerprint as the OAEP
label. A key file with it is format version 2, so an older app says it is too new instead
of calling it damaged; one without it stays version 1.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from supervision_desktop.errors import VaultDamaged, WrongPassphrase
from supervision_desktop.store import kdf as kdfs
from supervision_desktop.store import organisation_key
from supervision_desktop.store.kdf import (  # re-exported: the cost every new key gets
    ARGON2_MEMORY_KIB,
    ARGON2_PARALLELISM,
    ARGON2_TIME_COST,
    UnsafeKdfSettings,
)
from supervision_desktop.store.private_files import open_private

KEY_FILE_NAME = "vault.key"
FORMAT = "supervision-desktop-key"
FORMAT_VERSION = 2  # the newest this app reads; 1 has no organisation slot
DATA_KEY_BYTES = 32

__all__ = ["ARGON2_MEMORY_KIB", "ARGON2_PARALLELISM", "ARGON2_TIME_COST", "KeyFile"]
MAX_FILE_BYTES = 64 * 1024  # a real key file is about 1 KB
SLOTS = ("passphrase", "recovery")
ORGANISATION = "organisation"
ORGANISATION_METHOD = "rsa-oaep-sha256"
RSA_CIPHERTEXT_BYTES = (384, 1024)  # 3072- to 8192-bit keys
NONCE_BYTES = 12
CIPHERTEXT_BYTES = 32 + 16  # the data key and the GCM tag
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
    return kdfs.new_params()


def _hkdf_kdf() -> dict[str, Any]:
    return {"name": "hkdf-sha256", "salt": _b64(secrets.token_bytes(16))}


def _derive(kdf: dict[str, Any], secret: bytes) -> bytes:
    if kdf.get("name") == "hkdf-sha256":
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=_unb64(kdf["salt"]),
                    info=b"recovery-key")
        return hkdf.derive(secret)
    try:
        return kdfs.derive_argon2id(kdf, secret)
    except UnsafeKdfSettings as exc:
        raise KeyFileRefused(f"asks for unsafe settings ({exc.detail})", unsafe=True) from None


class KeyFileRefused(VaultDamaged):
    """vault.key (or a backup's copy of it) cannot be used; ``reason`` says why.

    The message is for vault.key itself; a backup names its own file and remedy.
    """

    def __init__(self, reason: str, *, unsafe: bool = False) -> None:
        self.reason = reason
        self.unsafe = unsafe
        if unsafe:
            message = (f"The vault's key file ({KEY_FILE_NAME}) {reason}: it has been altered, "
                       "so it was not used. Nothing was changed. Restore the vault from your "
                       "most recent backup.")
        else:
            message = (f"The vault's key file ({KEY_FILE_NAME}) {reason}, so the vault "
                       "cannot be opened. Nothing was changed. Restore the vault from your "
                       "most recent backup.")
        super().__init__(message)


class KeyFileTooNew(KeyFileRefused):
    def __init__(self) -> None:
        super().__init__("was written by a newer version of Supervision Desktop")


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

    def with_organisation_key(self, data_key: bytes, public_pem: bytes) -> KeyFile:
        """The data key also wrapped to the agency's public key (replacing an older one)."""
        key = organisation_key.load_public(public_pem)
        method = {"name": ORGANISATION_METHOD,
                  "fingerprint": organisation_key.fingerprint_of(key)}
        label = _associated_data(self.vault_id, ORGANISATION, method)
        wrap = {"kdf": method, "ciphertext": _b64(organisation_key.wrap(key, data_key, label))}
        return KeyFile(self.vault_id, {**self.wraps, ORGANISATION: wrap})

    @property
    def organisation_fingerprint(self) -> str | None:
        """The fingerprint of the agency key the data key is wrapped to, or None."""
        wrap = self.wraps.get(ORGANISATION)
        return str(wrap["kdf"]["fingerprint"]) if wrap is not None else None

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
            raise KeyFileRefused("is damaged and cannot be read") from None
        if len(data_key) != DATA_KEY_BYTES:
            raise KeyFileRefused("is damaged and cannot be read")
        return data_key

    def unwrap_with_passphrase(self, passphrase: str) -> bytes:
        return self._unwrap("passphrase", passphrase.encode("utf-8"), "passphrase")

    def unwrap_with_recovery_key(self, recovery_key: str) -> bytes:
        return self._unwrap("recovery", _recovery_key_bytes(recovery_key), "recovery key")

    def unwrap_with_organisation_key(self, private_key: rsa.RSAPrivateKey) -> bytes:
        """The data key, with the agency's private key; AgencyKeyRefused saying why not."""
        found = organisation_key.fingerprint_of(private_key.public_key())
        wrap = self.wraps.get(ORGANISATION)
        if wrap is None:
            raise organisation_key.AgencyKeyRefused(
                "This vault's key is not wrapped to an agency key: it was made, and last "
                "opened, without an agency pack that has a recovery key. Nothing was changed.")
        if wrap["kdf"]["fingerprint"] != found:
            raise organisation_key.AgencyKeyRefused(
                f"This vault's key is wrapped to another agency key (fingerprint "
                f"{wrap['kdf']['fingerprint']}), not to this one ({found}). Nothing was "
                "changed.")
        label = _associated_data(self.vault_id, ORGANISATION, wrap["kdf"])
        try:
            data_key = organisation_key.unwrap(private_key, _unb64(wrap["ciphertext"]), label)
        except ValueError:
            raise KeyFileRefused("is damaged (its organisation slot does not open with the "
                                 "agency key it names)") from None
        if len(data_key) != DATA_KEY_BYTES:
            raise KeyFileRefused("is damaged and cannot be read")
        return data_key

    # --- files ------------------------------------------------------------------------

    def to_json(self) -> str:
        document = {
            "format": FORMAT,
            "format_version": 2 if ORGANISATION in self.wraps else 1,
            "vault_id": self.vault_id,
            "wraps": self.wraps,
        }
        return json.dumps(document, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> KeyFile:
        """Parse and check every part of a key file; anything odd is a KeyFileRefused."""
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):
            raise KeyFileRefused("is not a key file (its contents cannot be read)") from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise KeyFileRefused("is not a key file (its contents cannot be read)")
        version = document.get("format_version")
        if type(version) is not int or version < 1:
            raise KeyFileRefused("is damaged (its format version is not readable)")
        if version > FORMAT_VERSION:
            raise KeyFileTooNew()
        vault_id = document.get("vault_id")
        if not isinstance(vault_id, str) or not 0 < len(vault_id) <= 64:
            raise KeyFileRefused("is damaged (its vault id is not readable)")
        wraps = document.get("wraps")
        slots = (*SLOTS, ORGANISATION) if version >= 2 else SLOTS
        if not isinstance(wraps, dict) or sorted(wraps) != sorted(slots):
            raise KeyFileRefused("is damaged (its wrapped keys are not readable)")
        for slot, wrap in wraps.items():
            _check_wrap(slot, wrap)
        return cls(vault_id, wraps)

    def save(self, folder: Path) -> None:
        """Write atomically and 0600: a crash leaves either the old or the new file."""
        path = folder / KEY_FILE_NAME
        temporary = folder / (KEY_FILE_NAME + ".new")
        with open_private(temporary, "w", encoding="utf-8") as handle:
            handle.write(self.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)

    @classmethod
    def load(cls, folder: Path) -> KeyFile:
        """Read vault.key; every way it can be unreadable is a KeyFileRefused."""
        path = folder / KEY_FILE_NAME
        if path.is_dir():
            raise KeyFileRefused("is a folder, not a file")
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            raise KeyFileRefused("is missing") from None
        except OSError as exc:
            raise KeyFileRefused(f"cannot be read ({exc.strerror})") from None
        if len(data) > MAX_FILE_BYTES:
            raise KeyFileRefused("is far too large to be a key file")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise KeyFileRefused("is not a key file (its contents cannot be read)") from None
        return cls.from_json(text)


def _decoded(value: object, sizes: tuple[int, int]) -> bytes:
    """Base64 text of a length in ``sizes`` (inclusive), or ValueError."""
    if not isinstance(value, str) or len(value) > 4 * sizes[1]:
        raise ValueError("not base64 text")
    try:
        raw = _unb64(value)
    except (UnicodeEncodeError, binascii.Error):
        raise ValueError("not base64") from None
    if not sizes[0] <= len(raw) <= sizes[1]:
        raise ValueError("wrong length")
    return raw


def _check_wrap(slot: str, wrap: object) -> None:
    """One wrapped copy of the key: its KDF within bounds, nonce and ciphertext sized."""
    damaged = KeyFileRefused(f"is damaged (its {slot} slot is not readable)")
    if not isinstance(wrap, dict) or not isinstance(wrap.get("kdf"), dict):
        raise damaged
    if slot == ORGANISATION:
        method = wrap["kdf"]
        fingerprint = method.get("fingerprint")
        try:
            _decoded(wrap.get("ciphertext"), RSA_CIPHERTEXT_BYTES)
        except ValueError:
            raise damaged from None
        if (method.get("name") != ORGANISATION_METHOD or not isinstance(fingerprint, str)
                or len(fingerprint) > 100):
            raise damaged
        return
    try:
        _decoded(wrap.get("nonce"), (NONCE_BYTES, NONCE_BYTES))
        _decoded(wrap.get("ciphertext"), (CIPHERTEXT_BYTES, CIPHERTEXT_BYTES))
        kdf = wrap["kdf"]
        if slot == "recovery":
            if kdf.get("name") != "hkdf-sha256":
                raise ValueError("unknown method")
            _decoded(kdf.get("salt"), kdfs.SALT_BYTES_RANGE)
    except ValueError:
        raise damaged from None
    if slot == "passphrase":
        try:
            kdfs.check_argon2id(kdf)
        except UnsafeKdfSettings as exc:
            raise KeyFileRefused(f"asks for unsafe settings ({exc.detail})",
                                 unsafe=True) from None
