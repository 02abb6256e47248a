"""Remember on this device: a real Secret Service, and every way a keyring lets us down.

The real tests run inside the throwaway D-Bus session with an unlocked GNOME Keyring that
tests/run.sh starts. Whatever the keyring does, the passphrase keeps working and the key
is never left anywhere in plaintext.
"""

from __future__ import annotations

import gc
from pathlib import Path

import keyring.backends.fail
import keyring.backends.null
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked

from supervision_desktop.errors import KeyringUnavailable
from supervision_desktop.services import vault_access
from supervision_desktop.store.keyfile import KeyFile
from supervision_desktop.store.keyring_cache import SERVICE, SystemKeyring
from tests.conftest import PASSPHRASE


def _vault_id(folder: Path) -> str:
    return KeyFile.load(folder).vault_id


@pytest.fixture
def secret_service() -> KeyringBackend:
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    probe = SystemKeyring(backend)
    probe.store("probe-vault", b"\x00" * 32)  # fails loudly if tests/run.sh's keyring is absent
    probe.forget("probe-vault")
    return backend


@pytest.mark.keyring
def test_real_secret_service_remembers_and_unlocks(
    secret_service: KeyringBackend, vault_folder: Path
) -> None:
    cache = SystemKeyring(secret_service)
    unlocked = vault_access.unlock_with_passphrase(vault_folder, PASSPHRASE, remember=cache)
    assert unlocked.keyring_notice == ""
    unlocked.vault.close()

    stored = secret_service.get_password(SERVICE, _vault_id(vault_folder))
    assert stored is not None and len(bytes.fromhex(stored)) == 32

    vault = vault_access.unlock_from_keyring(vault_folder, cache)
    assert vault is not None  # no passphrase asked
    assert vault_access.is_remembered(vault, cache)
    vault_access.forget_on_device(vault, cache)
    vault.close()
    assert vault_access.unlock_from_keyring(vault_folder, cache) is None
    assert secret_service.get_password(SERVICE, "supervision-desktop-probe") is None


@pytest.mark.keyring
# keyring's SecretService backend leaks its D-Bus connection when it finds the collection
# locked (get_preferred_collection raises before closing it); the leak is collected below
# so it is reported here, where it belongs, and not in whichever test runs next.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_locked_secret_service_falls_back_to_the_passphrase(
    secret_service: KeyringBackend, vault_folder: Path
) -> None:
    import secretstorage

    cache = SystemKeyring(secret_service)
    connection = secretstorage.dbus_init()
    collection = secretstorage.get_default_collection(connection)
    collection.lock()
    try:
        unlocked = vault_access.unlock_with_passphrase(vault_folder, PASSPHRASE, remember=cache)
        assert "locked" in unlocked.keyring_notice
        assert "passphrase" in unlocked.keyring_notice
        unlocked.vault.close()
        assert vault_access.unlock_from_keyring(vault_folder, cache) is None
    finally:
        collection.unlock()
        connection.close()
        gc.collect()


class _LockedKeyring(KeyringBackend):
    """What a locked KWallet or Keychain does: every call raises KeyringLocked."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("locked")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("locked")


@pytest.mark.parametrize(
    ("backend", "reason"),
    [
        (keyring.backends.fail.Keyring(), "no keyring"),
        (keyring.backends.null.Keyring(), "did not give it back"),
        (_LockedKeyring(), "locked"),
    ],
    ids=["fail", "null", "locked"],
)
def test_unusable_keyrings_fall_back_to_the_passphrase(
    backend: KeyringBackend, reason: str, vault_folder: Path
) -> None:
    cache = SystemKeyring(backend)
    with pytest.raises(KeyringUnavailable, match=reason):
        cache.store("some-vault", b"\x01" * 32)
    assert cache.load("some-vault") is None

    unlocked = vault_access.unlock_with_passphrase(vault_folder, PASSPHRASE, remember=cache)
    assert reason in unlocked.keyring_notice
    assert "ask for your passphrase" in unlocked.keyring_notice
    unlocked.vault.close()
    assert vault_access.unlock_from_keyring(vault_folder, cache) is None


def test_creating_a_vault_with_a_failing_keyring_still_creates_it(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    created = vault_access.create_vault(
        folder, owner_name="Rhian Example", role="carer", passphrase=PASSPHRASE,
        remember=SystemKeyring(keyring.backends.fail.Keyring()),
    )
    created.vault.close()
    assert "not remembered" in created.keyring_notice
    vault_access.unlock_with_passphrase(folder, PASSPHRASE).vault.close()


class _PlaintextFileKeyring(KeyringBackend):
    """Stands in for keyrings.alt's file backends, which keep secrets in a readable file."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.written: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.written.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.written[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.written.pop((service, username), None)


_PlaintextFileKeyring.__module__ = "keyrings.alt.file"


def test_a_plaintext_keyring_is_never_used() -> None:
    backend = _PlaintextFileKeyring()
    with pytest.raises(KeyringUnavailable, match="plain file"):
        SystemKeyring(backend).store("some-vault", b"\x01" * 32)
    assert backend.written == {}
