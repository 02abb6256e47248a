"""Remember on this device: a real Secret Service, and every way a keyring lets us down.

The real tests run inside the throwaway D-Bus session with an unlocked GNOME Keyring that
tests/run.sh starts. Whatever the keyring does, the passphrase keeps working and the key
is never left anywhere in plaintext.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

import keyring.backends.fail
import keyring.backends.null
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked
from keyrings.alt.file import PlaintextKeyring

from supervision_desktop.errors import KeyringUnavailable
from supervision_desktop.services import vault_access
from supervision_desktop.store.keyfile import KeyFile
from supervision_desktop.store.keyring_cache import (
    NOWHERE_NOTICE,
    PLAINTEXT_NOTICE,
    SERVICE,
    UNFIT_NOTICE,
    MemoryKeyring,
    SystemKeyring,
    choose,
    refusal,
)
from tests.conftest import PASSPHRASE, files_containing


def _vault_id(folder: Path) -> str:
    return KeyFile.load(folder).vault_id


THROWAWAY_BUS = "SUPERVISION_TEST_KEYRING_BUS"  # set by tests/run.sh inside its session


@pytest.fixture
def secret_service() -> KeyringBackend:
    """The throwaway Secret Service of tests/run.sh, never a real user's keyring: these
    tests write to it, so outside that session they fail at once, having written nothing."""
    bus = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    if not bus or os.environ.get(THROWAWAY_BUS) != bus:
        pytest.fail("The keyring tests write to the Secret Service: run them with "
                    "tests/run.sh, which starts a throwaway one (or deselect -m 'not keyring').")
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    probe = SystemKeyring(backend)
    probe.store("probe-vault", b"\x00" * 32)  # fails loudly if tests/run.sh's keyring is absent
    probe.forget("probe-vault")
    assert backend.get_password(SERVICE, "probe-vault") is None
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
    assert not vault_access.is_remembered(vault, cache)
    vault.close()
    assert secret_service.get_password(SERVICE, _vault_id(vault_folder)) is None  # gone
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


class _ForgetfulKeyring(KeyringBackend):
    """Accepts every write and gives nothing back (what the null backend does, from a
    backend the class check cannot know): only the write-read-delete proof catches it."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        pass

    def delete_password(self, service: str, username: str) -> None:
        pass


class _HonestKeyring(KeyringBackend):
    """Keeps secrets in this process, as a real keyring keeps them in its own store."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.kept[(service, username)]


@pytest.mark.parametrize(
    ("backend", "reason"),
    [
        (keyring.backends.fail.Keyring(), "no keyring"),
        (keyring.backends.null.Keyring(), "no keyring"),
        (_ForgetfulKeyring(), "did not give it back"),
        (_LockedKeyring(), "locked"),
    ],
    ids=["fail", "null", "forgetful", "locked"],
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


def test_forget_removes_the_key_and_remember_after_forget_works_again() -> None:
    backend = _HonestKeyring()
    cache = SystemKeyring(backend)
    cache.store("some-vault", b"\x01" * 32)
    assert cache.load("some-vault") == b"\x01" * 32
    assert backend.kept == {(SERVICE, "some-vault"): "01" * 32}  # the probe was deleted
    cache.forget("some-vault")
    assert cache.load("some-vault") is None
    assert backend.kept == {}
    cache.forget("some-vault")  # nothing there: still no error
    cache.store("some-vault", b"\x02" * 32)
    assert cache.load("some-vault") == b"\x02" * 32


def test_the_in_process_keyring_forgets_too() -> None:
    cache = MemoryKeyring()
    cache.store("v", b"\x03" * 32)
    assert cache.load("v") == b"\x03" * 32
    cache.forget("v")
    assert cache.load("v") is None


@pytest.fixture
def plaintext_backend(tmp_path: Path) -> PlaintextKeyring:
    """keyrings.alt's PlaintextKeyring, writing (if it ever did) under tmp_path."""
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring_pass.cfg")  # type: ignore[misc]
    return backend


def test_a_plaintext_keyring_is_refused_and_nothing_is_written(
    plaintext_backend: PlaintextKeyring, vault_folder: Path, tmp_path: Path
) -> None:
    cache = SystemKeyring(plaintext_backend)
    with pytest.raises(KeyringUnavailable) as caught:
        cache.store("some-vault", b"\x01" * 32)
    assert str(caught.value) == PLAINTEXT_NOTICE
    assert cache.load("some-vault") is None

    unlocked = vault_access.unlock_with_passphrase(vault_folder, PASSPHRASE, remember=cache)
    unlocked.vault.close()
    assert unlocked.keyring_notice == (
        f"{PLAINTEXT_NOTICE} The vault will ask for your passphrase each time.")
    assert not Path(plaintext_backend.file_path).exists()
    assert files_containing(tmp_path, "SupervisionDesktop") == []


def test_a_plaintext_keyring_chosen_by_keyring_itself_is_refused(
    plaintext_backend: PlaintextKeyring, vault_folder: Path
) -> None:
    """What a machine with keyrings.alt installed and no Secret Service gets by default."""
    previous = keyring.get_keyring()
    keyring.set_keyring(plaintext_backend)
    try:
        unlocked = vault_access.unlock_with_passphrase(vault_folder, PASSPHRASE,
                                                       remember=SystemKeyring())
        unlocked.vault.close()
    finally:
        keyring.set_keyring(previous)
    assert unlocked.keyring_notice.startswith(PLAINTEXT_NOTICE)
    assert not Path(plaintext_backend.file_path).exists()


def _chain(*members: KeyringBackend) -> KeyringBackend:
    """keyring's ChainerBackend over these backends (it normally finds them itself)."""
    from keyring.backends.chainer import ChainerBackend

    chain: KeyringBackend = type("_Chain", (ChainerBackend,), {"backends": members})()
    return chain


def test_a_chain_writes_only_to_its_first_backend_fit_for_secrets(
    plaintext_backend: PlaintextKeyring,
) -> None:
    """keyring's ChainerBackend falls through to the next backend when one fails: a
    locked keyring would hand the key to the plaintext file. Only the fit one is used."""
    honest = _HonestKeyring()
    cache = SystemKeyring(_chain(plaintext_backend, _LockedKeyring(), honest))
    with pytest.raises(KeyringUnavailable, match="locked"):  # the first fit one is locked
        cache.store("some-vault", b"\x01" * 32)
    assert not Path(plaintext_backend.file_path).exists() and honest.kept == {}

    fit_last = _chain(plaintext_backend, keyring.backends.null.Keyring(), honest)
    assert choose(fit_last) is honest
    SystemKeyring(fit_last).store("some-vault", b"\x01" * 32)
    assert honest.kept == {(SERVICE, "some-vault"): "01" * 32}
    assert not Path(plaintext_backend.file_path).exists()

    with pytest.raises(KeyringUnavailable, match="plain file"):
        choose(_chain(plaintext_backend, keyring.backends.fail.Keyring()))
    with pytest.raises(KeyringUnavailable, match="no keyring"):
        choose(_chain())


class _LowPriorityKeyring(_HonestKeyring):
    priority = 0.5  # type: ignore[assignment]


def test_which_backends_are_refused() -> None:
    assert refusal(_HonestKeyring()) is None
    assert refusal(_LockedKeyring()) is None  # refused later, by the proof
    assert refusal(keyring.backends.null.Keyring()) == NOWHERE_NOTICE
    assert refusal(keyring.backends.fail.Keyring()) == NOWHERE_NOTICE
    assert refusal(_LowPriorityKeyring()) == UNFIT_NOTICE
