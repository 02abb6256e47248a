"""Whatever is in vault.key, opening the vault gives one message saying what to do:
never a traceback, never "internal error" (the CLI, the library and the GUI start)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from supervision_desktop.errors import UserError, VaultDamaged, VaultMissing
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.keyfile import KEY_FILE_NAME, KeyFile, KeyFileRefused
from supervision_desktop.store.keyring_cache import MemoryKeyring
from tests.conftest import PASSPHRASE

RESTORE = "Restore the vault from your most recent backup."


def _document(folder: Path) -> dict:
    return dict(json.loads((folder / KEY_FILE_NAME).read_text()))


def _with(change: Callable[[dict], object]) -> Callable[[Path], bytes]:
    def write(folder: Path) -> bytes:
        document = _document(folder)
        change(document)
        return json.dumps(document).encode("utf-8")
    return write


def _set(path: str, value: object) -> Callable[[Path], bytes]:
    keys = path.split(".")

    def change(document: dict) -> None:
        target = document
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
    return _with(change)


DEEP = 30_000  # 60 KB: under the size cap, so the parser meets it (100,000 deep: below)
HOSTILE: dict[str, tuple[Callable[[Path], bytes], str]] = {
    "random bytes": (lambda _: random.Random(7).randbytes(700),
                     "is not a key file (its contents cannot be read)"),
    "not utf-8": (lambda _: b'{"format": "\xff\xfe"}', "is not a key file"),
    "empty": (lambda _: b"", "is not a key file"),
    "not json": (lambda _: b"vault key, honest", "is not a key file"),
    "a list": (lambda _: b"[1, 2, 3]", "is not a key file"),
    "nested 30,000 deep": (lambda _: b"[" * DEEP + b"]" * DEEP, "is not a key file"),
    "nested deep inside": (lambda f: (f / KEY_FILE_NAME).read_bytes().replace(
        b'"time_cost": 3', b'"time_cost": ' + b"[" * DEEP + b"]" * DEEP), "is not a key file"),
    "nested 100,000 deep": (lambda _: b"[" * 100_000 + b"]" * 100_000, "is far too large"),
    "a huge number": (lambda f: (f / KEY_FILE_NAME).read_bytes().replace(
        b'"format_version": 1', b'"format_version": ' + b"9" * 5000), "is not a key file"),
    "huge file": (lambda _: b" " * (1024 * 1024), "is far too large"),
    "format version bool": (_set("format_version", True), "format version is not readable"),
    "format version float": (_set("format_version", 1.0), "format version is not readable"),
    "format version newer": (_set("format_version", 3), "newer version"),
    "format version huge": (_set("format_version", 10**400), "newer version"),
    "vault id a list": (_set("vault_id", ["a"]), "vault id is not readable"),
    "vault id empty": (_set("vault_id", ""), "vault id is not readable"),
    "wraps a list": (_set("wraps", []), "wrapped keys are not readable"),
    "a slot missing": (_with(lambda d: d["wraps"].pop("recovery")),
                       "wrapped keys are not readable"),
    "slot a string": (_set("wraps.passphrase", "x"), "passphrase slot is not readable"),
    "kdf a list": (_set("wraps.recovery.kdf", [1]), "recovery slot is not readable"),
    "nonce a number": (_set("wraps.passphrase.nonce", 12), "passphrase slot is not readable"),
    "nonce too long": (_set("wraps.passphrase.nonce", "A" * 10**5), "is far too large"),
    "ciphertext short": (_set("wraps.passphrase.ciphertext", "AAAA"),
                         "passphrase slot is not readable"),
    "ciphertext not base64": (_set("wraps.recovery.ciphertext", "é" * 64),
                              "recovery slot is not readable"),
    "recovery method unknown": (_set("wraps.recovery.kdf.name", "md5"),
                                "recovery slot is not readable"),
    "recovery salt short": (_set("wraps.recovery.kdf.salt", "AAAA"),
                            "recovery slot is not readable"),
    "memory a bool": (_set("wraps.passphrase.kdf.memory_kib", True), "unsafe settings"),
    "memory huge": (_set("wraps.passphrase.kdf.memory_kib", 10**4000), "unsafe settings"),
    "passes infinite": (lambda f: (f / KEY_FILE_NAME).read_bytes().replace(
        b'"time_cost": 3', b'"time_cost": 1e5000'), "unsafe settings"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_key_file_is_one_clear_message(vault_folder: Path, case: str) -> None:
    make, fragment = HOSTILE[case]
    contents = make(vault_folder)
    (vault_folder / KEY_FILE_NAME).write_bytes(contents)
    with pytest.raises(VaultDamaged) as caught:
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)
    message = str(caught.value)
    assert message.startswith("The vault's key file (vault.key) ")
    assert fragment in message
    assert message.endswith(RESTORE)
    assert (vault_folder / KEY_FILE_NAME).read_bytes() == contents  # nothing written


@pytest.mark.parametrize("depth", [100_000, 1_000_000])
def test_nesting_beyond_the_recursion_limit_is_refused_by_the_parser(depth: int) -> None:
    with pytest.raises(KeyFileRefused, match="is not a key file"):
        KeyFile.from_json("[" * depth + "]" * depth)
    with pytest.raises(KeyFileRefused, match="is not a key file"):
        KeyFile.from_json('{"a": ' * depth + "1" + "}" * depth)


def test_a_folder_named_vault_key(vault_folder: Path) -> None:
    (vault_folder / KEY_FILE_NAME).unlink()
    (vault_folder / KEY_FILE_NAME).mkdir()
    with pytest.raises(VaultDamaged, match=r"\(vault.key\) is a folder, not a file"):
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)
    with pytest.raises(KeyFileRefused, match="is a folder"):  # and from the keyring path
        vaults.open_from_keyring(vault_folder, MemoryKeyring())


def test_an_unreadable_key_file(vault_folder: Path) -> None:
    (vault_folder / KEY_FILE_NAME).unlink()
    (vault_folder / KEY_FILE_NAME).symlink_to(vault_folder / "nowhere")
    with pytest.raises(UserError, match="missing"):
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)


def test_a_missing_key_file_says_restore(vault_folder: Path) -> None:
    (vault_folder / KEY_FILE_NAME).unlink()
    with pytest.raises(VaultMissing, match="restore it from a backup"):
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)


def test_random_byte_flips_never_escape_as_anything_but_a_message(vault_folder: Path) -> None:
    """A fuzz run over the parser: 2,000 seeded corruptions of a real key file."""
    original = (vault_folder / KEY_FILE_NAME).read_bytes()
    rng = random.Random(16)
    outcomes = {"parsed": 0, "refused": 0}
    for _ in range(2000):
        data = bytearray(original)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            KeyFile.from_json(bytes(data).decode("utf-8", "replace"))
            outcomes["parsed"] += 1
        except KeyFileRefused:
            outcomes["refused"] += 1
    assert outcomes["refused"] > 1000  # most flips break it; none raised anything else


@pytest.mark.gui
def test_the_gui_starts_on_the_unlock_window_with_the_message(
    vault_folder: Path, qtbot: object
) -> None:
    from supervision_desktop.services import templates
    from supervision_desktop.ui.shell.app import DesktopApp
    from supervision_desktop.ui.shell.unlock import UnlockWindow

    (vault_folder / KEY_FILE_NAME).write_bytes(random.Random(3).randbytes(512))
    desktop = DesktopApp(vault_folder, MemoryKeyring(), templates.catalogue())
    try:
        desktop.start()
        window = desktop.window
        assert isinstance(window, UnlockWindow)
        assert window.notice.text().startswith("The vault's key file (vault.key) is not a key")
        assert window.notice.text().endswith(RESTORE)
        window.passphrase.setText(PASSPHRASE)
        window.unlock_button.click()
        qtbot.waitUntil(  # type: ignore[attr-defined]
            lambda: window.error.text().endswith(RESTORE), timeout=10_000)
        assert desktop.vault is None
    finally:
        desktop.shutdown()
        if desktop.window is not None:
            desktop.window.close()
            desktop.window.deleteLater()
