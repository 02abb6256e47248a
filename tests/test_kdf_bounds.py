"""Argon2id settings read from a file are bounded: at, inside and far beyond each bound,
in every file that carries them (vault.key, a backup's key file, a transfer bundle).

"Accepted" is shown by reaching the decryption: settings inside the bounds but different
from the ones the key was wrapped with fail the authenticated decryption (they are its
associated data), which is the wrong-passphrase message, not "unsafe settings".
"""

from __future__ import annotations

import base64
import json
import struct
from pathlib import Path
from typing import Any

import pytest

from supervision_desktop.errors import VaultDamaged, WrongPassphrase
from supervision_desktop.services import backup, transfer
from supervision_desktop.store import kdf
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.keyfile import KEY_FILE_NAME
from supervision_desktop.store.vault import Vault
from tests.conftest import PASSPHRASE


def _salt(size: int) -> str:
    return base64.b64encode(b"s" * size).decode("ascii")


def _params(**changes: Any) -> dict[str, Any]:
    params: dict[str, Any] = {"name": "argon2id", "time_cost": 3, "memory_kib": 65536,
                              "parallelism": 4, "salt": _salt(16)}
    params.update(changes)
    return params


# --- the bounds themselves -------------------------------------------------------------

AT_THE_BOUNDS = [
    _params(time_cost=3, memory_kib=65536, parallelism=1, salt=_salt(16)),
    _params(time_cost=20, memory_kib=1024 * 1024, parallelism=16, salt=_salt(64)),
    _params(time_cost=4, memory_kib=100_000, parallelism=8, salt=_salt(32)),  # inside
]


@pytest.mark.parametrize("params", AT_THE_BOUNDS, ids=["lower", "upper", "inside"])
def test_settings_at_and_inside_the_bounds_are_accepted(params: dict[str, Any]) -> None:
    checked = kdf.check_argon2id(params)
    assert (checked.time_cost, checked.memory_kib, checked.parallelism) == (
        params["time_cost"], params["memory_kib"], params["parallelism"])


BEYOND = [
    ("time_cost", 2, "the number of passes is below the minimum of 3, which weakens it"),
    ("time_cost", 21, "the number of passes is above the maximum of 20"),
    ("time_cost", 10**400, "the number of passes is above the maximum of 20"),
    ("time_cost", -1, "the number of passes is below the minimum of 3, which weakens it"),
    ("time_cost", True, "the number of passes is not a whole number"),
    ("time_cost", 3.0, "the number of passes is not a whole number"),
    ("time_cost", "3", "the number of passes is not a whole number"),
    ("time_cost", None, "the number of passes is not a whole number"),
    ("memory_kib", 65535, "the memory (KiB) is below the minimum of 65536, which weakens it"),
    ("memory_kib", 1024 * 1024 + 1, "the memory (KiB) is above the maximum of 1048576"),
    ("memory_kib", 2**40, "the memory (KiB) is above the maximum of 1048576"),  # a petabyte
    ("memory_kib", float("inf"), "the memory (KiB) is not a whole number"),
    ("memory_kib", [65536], "the memory (KiB) is not a whole number"),
    ("parallelism", 0, "the parallelism is below the minimum of 1, which weakens it"),
    ("parallelism", 17, "the parallelism is above the maximum of 16"),
    ("parallelism", False, "the parallelism is not a whole number"),
    ("salt", _salt(15), "the salt is not between 16 and 64 bytes long"),
    ("salt", _salt(65), "the salt is not between 16 and 64 bytes long"),
    ("salt", "not base64!", "the salt is not readable"),
    ("salt", 12345, "the salt is not readable"),
    ("salt", "A" * 10**6, "the salt is not readable"),
    ("name", "argon2i", "the method is not Argon2id"),
]


@pytest.mark.parametrize(("key", "value", "detail"), BEYOND,
                         ids=[f"{k}={str(v)[:12]}" for k, v, _ in BEYOND])
def test_settings_beyond_the_bounds_are_refused_before_argon2_runs(
    key: str, value: object, detail: str
) -> None:
    with pytest.raises(kdf.UnsafeKdfSettings) as caught:
        kdf.derive_argon2id(_params(**{key: value}), b"secret")
    assert caught.value.detail == detail
    assert str(caught.value) == f"This file asks for unsafe settings ({detail}); it was not used."


@pytest.mark.parametrize("params", [[], "argon2id", 7, None, {"name": "argon2id"}])
def test_settings_of_the_wrong_shape_are_refused(params: object) -> None:
    with pytest.raises(kdf.UnsafeKdfSettings):
        kdf.derive_argon2id(params, b"secret")


def test_what_this_app_writes_is_within_its_own_bounds() -> None:
    fresh = kdf.new_params()
    assert kdf.check_argon2id(fresh).salt == base64.b64decode(fresh["salt"])
    assert len(kdf.derive_argon2id(fresh, b"secret")) == 32


# --- in each file type -----------------------------------------------------------------

# (key, value, fragment of the message): one at-the-bound-but-beyond case each way,
# one absurd number, one wrong type
IN_FILES = [
    ("time_cost", 2, "below the minimum of 3"),
    ("time_cost", 21, "above the maximum of 20"),
    ("memory_kib", 2**42, "above the maximum of 1048576"),
    ("memory_kib", 10**400, "above the maximum of 1048576"),
    ("parallelism", True, "not a whole number"),
]


def _altered_key_file(text: str, key: str, value: object) -> str:
    document = json.loads(text)
    document["wraps"]["passphrase"]["kdf"][key] = value
    return json.dumps(document)


@pytest.mark.parametrize(("key", "value", "fragment"), IN_FILES)
def test_vault_key_with_unsafe_settings_is_refused(
    vault_folder: Path, key: str, value: object, fragment: str
) -> None:
    path = vault_folder / KEY_FILE_NAME
    path.write_text(_altered_key_file(path.read_text(), key, value))
    with pytest.raises(VaultDamaged) as caught:
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)
    message = str(caught.value)
    assert message.startswith("The vault's key file (vault.key) asks for unsafe settings")
    assert fragment in message
    assert "Restore the vault from your most recent backup." in message


def test_vault_key_with_settings_inside_the_bounds_reaches_decryption(
    vault_folder: Path,
) -> None:
    path = vault_folder / KEY_FILE_NAME
    path.write_text(_altered_key_file(path.read_text(), "time_cost", 4))
    with pytest.raises(WrongPassphrase):  # accepted, derived, then the AEAD check failed
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)


def _rebuilt_backup(original: Path, out: Path, key: str, value: object) -> Path:
    """The backup with its key file's settings changed, checksum recomputed (a forger
    can do that: the SHA-256 is against damage, not tampering)."""
    read = backup.read_backup(original)
    key_file = _altered_key_file(read.key_file.to_json(), key, value).encode("utf-8")
    header = dict(read.header)
    header["parts"] = [{"name": KEY_FILE_NAME, "size": len(key_file)},
                       {"name": "vault.db", "size": len(read.database)}]
    out.write_bytes(backup._pack(header, [key_file, read.database]))
    return out


@pytest.fixture
def backup_file(vault: Vault, tmp_path: Path) -> Path:
    (tmp_path / "usb").mkdir()
    return backup.back_up(vault, tmp_path / "usb").path


@pytest.mark.parametrize(("key", "value", "fragment"), IN_FILES)
def test_backup_with_unsafe_key_file_settings_is_refused(
    backup_file: Path, tmp_path: Path, key: str, value: object, fragment: str
) -> None:
    forged = _rebuilt_backup(backup_file, tmp_path / "forged.sdbackup", key, value)
    with pytest.raises(backup.BackupDamaged) as caught:
        backup.restore(forged, tmp_path / "restored", passphrase=PASSPHRASE)
    message = str(caught.value)
    assert message.startswith("This backup's key file asks for unsafe settings")
    assert fragment in message and "(it has been altered)" in message
    assert "Use another copy of your backup." in message
    assert not (tmp_path / "restored").exists()


def test_backup_with_settings_inside_the_bounds_reaches_decryption(
    backup_file: Path, tmp_path: Path
) -> None:
    forged = _rebuilt_backup(backup_file, tmp_path / "forged.sdbackup", "time_cost", 4)
    with pytest.raises(WrongPassphrase):
        backup.restore(forged, tmp_path / "restored", passphrase=PASSPHRASE)
    assert not (tmp_path / "restored").exists()


_LENGTH = struct.Struct(">I")


def _rebuilt_bundle(data: bytes, out: Path, key: str, value: object) -> Path:
    """MAGIC | header length | header | ciphertext, with the header's KDF changed."""
    start = len(transfer.MAGIC) + _LENGTH.size
    (length,) = _LENGTH.unpack_from(data, len(transfer.MAGIC))
    header = json.loads(data[start : start + length])
    header["kdf"][key] = value
    header_bytes = json.dumps(header, sort_keys=True).encode("utf-8")
    out.write_bytes(transfer.MAGIC + _LENGTH.pack(len(header_bytes)) + header_bytes
                    + data[start + length :])
    return out


BUNDLE_PASSPHRASE = "ABCDE-FGHJK-MNPQR-STUVW-XYZ23"


@pytest.fixture
def bundle() -> bytes:
    return transfer.seal({"format": transfer.FORMAT, "records": []}, BUNDLE_PASSPHRASE)


def test_an_unaltered_bundle_opens(bundle: bytes, tmp_path: Path) -> None:
    path = tmp_path / "b.sdtransfer"
    path.write_bytes(bundle)
    assert json.loads(transfer._plaintext(path, BUNDLE_PASSPHRASE))["records"] == []


@pytest.mark.parametrize(("key", "value", "fragment"), IN_FILES)
def test_bundle_with_unsafe_settings_is_refused(
    bundle: bytes, tmp_path: Path, key: str, value: object, fragment: str
) -> None:
    forged = _rebuilt_bundle(bundle, tmp_path / "forged.sdtransfer", key, value)
    with pytest.raises(transfer.TransferRefused) as caught:
        transfer._plaintext(forged, BUNDLE_PASSPHRASE)  # where the settings are read
    message = str(caught.value)
    if value == 10**400:  # refused sooner: the header's reader takes no 400-digit number
        assert message == "This transfer bundle is damaged and cannot be read. Nothing was " \
                          "imported."
        return
    assert message.startswith("This transfer bundle asks for unsafe settings")
    assert fragment in message and message.endswith("It was not imported.")


@pytest.mark.parametrize("kdf_value", [[1, 2], "argon2id", None])
def test_bundle_whose_settings_are_not_a_mapping_is_refused(
    bundle: bytes, tmp_path: Path, kdf_value: object
) -> None:
    start = len(transfer.MAGIC) + _LENGTH.size
    (length,) = _LENGTH.unpack_from(bundle, len(transfer.MAGIC))
    header = json.loads(bundle[start : start + length])
    header["kdf"] = kdf_value
    header_bytes = json.dumps(header).encode("utf-8")
    forged = tmp_path / "forged.sdtransfer"
    forged.write_bytes(transfer.MAGIC + _LENGTH.pack(len(header_bytes)) + header_bytes
                       + bundle[start + length :])
    with pytest.raises(transfer.TransferRefused, match="unsafe settings"):
        transfer._plaintext(forged, BUNDLE_PASSPHRASE)  # where the settings are read


def test_bundle_with_settings_inside_the_bounds_reaches_decryption(
    bundle: bytes, tmp_path: Path
) -> None:
    forged = _rebuilt_bundle(bundle, tmp_path / "forged.sdtransfer", "time_cost", 4)
    with pytest.raises(transfer.TransferRefused, match=r"^The transfer passphrase is wrong\."):
        transfer._plaintext(forged, BUNDLE_PASSPHRASE)  # where the settings are read
