"""Remember on this device: the vault's data key cached in the operating system's keyring.

The passphrase-wrapped key in ``vault.key`` is the source of truth; the keyring is only
a convenience. Keyrings fail in quiet ways (see SECURITY-NOTES): a headless machine has
the *fail* backend, a locked GNOME Keyring refuses writes, the *null* backend accepts a
write and reads back nothing. So a keyring is trusted only after a write–read–delete
round trip, any failure means "ask for the passphrase", and a keyring that would keep
the key in a plain file (``keyrings.alt``) or nowhere (null, fail) is refused by its
class before anything is written (`refusal`).
"""

from __future__ import annotations

import contextlib
import secrets
from typing import Any, Protocol

from supervision_desktop.errors import KeyringUnavailable

SERVICE = "SupervisionDesktop vault key"
_PROBE_USER = "supervision-desktop-probe"


class KeyCache(Protocol):
    """Where a vault's data key may be remembered, by vault id."""

    def store(self, vault_id: str, data_key: bytes) -> None:
        """Remember the key, or raise KeyringUnavailable saying why it cannot."""

    def load(self, vault_id: str) -> bytes | None:
        """The remembered key, or None if there is none or the keyring cannot be used."""

    def forget(self, vault_id: str) -> None:
        """Remove the key if it is there; never raises."""


class MemoryKeyring:
    """A keyring that lives in this process only (tests, and "don't remember")."""

    def __init__(self) -> None:
        self._keys: dict[str, bytes] = {}

    def store(self, vault_id: str, data_key: bytes) -> None:
        self._keys[vault_id] = bytes(data_key)

    def load(self, vault_id: str) -> bytes | None:
        return self._keys.get(vault_id)

    def forget(self, vault_id: str) -> None:
        self._keys.pop(vault_id, None)


# Backends that "work" but keep the key where anyone with the laptop can read it, or keep
# nothing at all: refused by class before anything is written.
_PLAINTEXT_MODULES = ("keyrings.alt",)  # plain or weakly encrypted files, the registry
_NOWHERE = ("keyring.backends.null", "keyring.backends.fail")
PLAINTEXT_NOTICE = ("This computer's keyring stores secrets in a plain file that others "
                    "could read, so the vault key was not remembered.")
UNFIT_NOTICE = ("This computer's keyring is not one known to protect secrets, so the vault "
                "key was not remembered.")
NOWHERE_NOTICE = ("This computer has no keyring the app can use, so the vault key was not "
                  "remembered.")


def _priority(backend: Any) -> float:
    try:
        return float(type(backend).priority)
    except Exception:  # a backend that is not viable here says so by raising
        return -1.0


def refusal(backend: Any) -> str | None:
    """Why this keyring backend must not hold a vault key, or None if it may be tried.

    Refused: keyrings.alt's backends (PlaintextKeyring, its other file backends, the
    registry), the null and fail backends, and any backend whose own priority is below 1
    (keyring's mark of a backend not fit for secrets)."""
    module = type(backend).__module__
    if module.startswith(_PLAINTEXT_MODULES):
        return PLAINTEXT_NOTICE
    if module.startswith(_NOWHERE):
        return NOWHERE_NOTICE
    if _priority(backend) < 1:
        return UNFIT_NOTICE
    return None


def choose(backend: Any) -> Any:
    """The backend to write to, or KeyringUnavailable saying why there is none.

    keyring's ChainerBackend (what it picks when several backends are installed) writes
    to each in turn until one accepts: a locked Secret Service would fall through to a
    plaintext file. So a chain is never used as such: its first member fit for secrets is.
    """
    chained = getattr(backend, "backends", None)
    if chained is None:
        refused = refusal(backend)
        if refused:
            raise KeyringUnavailable(refused)
        return backend
    reasons = []
    for member in chained:
        refused = refusal(member)
        if refused is None:
            return member
        reasons.append(refused)
    raise KeyringUnavailable(PLAINTEXT_NOTICE if PLAINTEXT_NOTICE in reasons
                             else NOWHERE_NOTICE)


class SystemKeyring:
    """The OS keyring (Secret Service, Windows Credential Manager, macOS Keychain)."""

    def __init__(self, backend: Any = None) -> None:
        self._backend = backend  # None: whatever keyring finds, resolved on first use

    def _keyring(self) -> Any:
        if self._backend is None:
            import keyring

            self._backend = keyring.get_keyring()
        return choose(self._backend)

    def _prove(self, backend: Any) -> None:
        """Write, read back and delete a random value: the only test a keyring can't fake."""
        probe = secrets.token_hex(16)
        backend.set_password(SERVICE, _PROBE_USER, probe)
        try:
            if backend.get_password(SERVICE, _PROBE_USER) != probe:
                raise KeyringUnavailable(
                    "This computer's keyring accepted the vault key but did not give it back."
                )
        finally:
            backend.delete_password(SERVICE, _PROBE_USER)

    def store(self, vault_id: str, data_key: bytes) -> None:
        try:
            backend = self._keyring()
            self._prove(backend)
            backend.set_password(SERVICE, vault_id, data_key.hex())
            if backend.get_password(SERVICE, vault_id) != data_key.hex():
                raise KeyringUnavailable("This computer's keyring did not keep the vault key.")
        except KeyringUnavailable:
            self.forget(vault_id)
            raise
        except Exception as exc:  # every backend error means "not here": never fatal
            self.forget(vault_id)
            raise KeyringUnavailable(_explain(exc)) from None

    def load(self, vault_id: str) -> bytes | None:
        try:
            stored = self._keyring().get_password(SERVICE, vault_id)
            return bytes.fromhex(stored) if stored else None
        except Exception:  # locked, missing, damaged: the passphrase still works
            return None

    def forget(self, vault_id: str) -> None:
        with contextlib.suppress(Exception):  # nothing there, or no keyring: nothing to forget
            self._keyring().delete_password(SERVICE, vault_id)


def _explain(exc: Exception) -> str:
    from keyring import errors

    if isinstance(exc, errors.KeyringLocked):
        return "This computer's keyring is locked, so the vault key was not remembered."
    if isinstance(exc, errors.NoKeyringError):
        return NOWHERE_NOTICE
    return (
        f"This computer's keyring could not be used ({type(exc).__name__}), "
        "so the vault key was not remembered."
    )
