"""Organisational recovery as IT uses it: a key pair made once, its public half in the
agency pack, every vault on a laptop wrapped to it, and IT reopening a copy of a vault (or
a backup) whose worker lost both the passphrase and the printed recovery key.

The key pair in tests/fixtures/agency-recovery was made by openssl with the command the
pack format documents; its fingerprint below is openssl's, not this code's."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from supervision_desktop.errors import WrongPassphrase
from supervision_desktop.services import agency, agency_recovery, audit, backup, vault_access
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.keyfile import KEY_FILE_NAME, KeyFileRefused
from supervision_desktop.store.organisation_key import AgencyKeyRefused
from tests.conftest import OWNER, PASSPHRASE
from tests.test_agency import cli, use
from tests.whole_file import make_whole_file, snapshot_of

FIXTURE = Path(__file__).parent / "fixtures" / "agency-recovery"
KEY_PASSPHRASE = "fictional IT desk passphrase"
FINGERPRINT = ("8aeaebbd bc997562 99d55b09 29c240eb 19ef69d1 2c0cbbe7 bed2c061 4a2f756e")
NEW_PASSPHRASE = "Lantern-Quarry-Thimble-58"


pytestmark = pytest.mark.usefixtures("no_installed_pack")


@pytest.fixture(autouse=True)
def _agency_key_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPERVISION_AGENCY_KEY_PASSPHRASE", KEY_PASSPHRASE)


def kent_pack(folder: Path, public_pem: Path | None = FIXTURE / "recovery-public.pem") -> Path:
    agency.new_pack(folder, "kent")
    if public_pem is not None:
        shutil.copy(public_pem, folder / agency.RECOVERY_PUBLIC_KEY)
    return folder


def private_key() -> object:
    return agency_recovery.read_private_key(FIXTURE / "recovery-private.pem", KEY_PASSPHRASE)


def key_document(folder: Path) -> dict:
    return dict(json.loads((folder / KEY_FILE_NAME).read_text(encoding="utf-8")))


def new_vault(folder: Path) -> None:
    vault_access.create_vault(folder, owner_name=OWNER, role="supervisor",
                              passphrase=PASSPHRASE).vault.close()


def wrapped_vault_with_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                              ) -> tuple[Path, str, dict]:
    """A vault made under a pack with the fixture key, holding a supervisee's whole file:
    its folder, the person's id and everything of theirs as it was."""
    use(monkeypatch, kent_pack(tmp_path / "kent"))
    folder = tmp_path / "vault"
    new_vault(folder)
    with vaults.open_with_passphrase(folder, PASSPHRASE) as vault:
        made = make_whole_file(vault)
        return folder, made.person_id, snapshot_of(vault, made.person_id)


# --- the key pair -------------------------------------------------------------------------


def test_keygen_writes_an_encrypted_private_key_and_a_public_key_openssl_reads(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "it-desk"
    code, out, _ = cli(capsys, "agency", "keygen", "--out", str(out_dir))
    assert code == 0
    public, private = out_dir / "recovery-public.pem", out_dir / "recovery-private.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert private.read_text().startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    # openssl, not this code, reads the pair back and prints the fingerprint's digest
    text = subprocess.run(["openssl", "pkey", "-in", str(private), "-passin",
                           f"pass:{KEY_PASSPHRASE}", "-text_pub", "-noout"],
                          capture_output=True, text=True, check=True).stdout
    assert "Public-Key: (3072 bit)" in text
    der = subprocess.run(["openssl", "pkey", "-pubin", "-in", str(public), "-outform", "DER"],
                         capture_output=True, check=True).stdout
    digest = subprocess.run(["sha256sum"], input=der, capture_output=True,
                            check=True).stdout.split()[0].decode()
    grouped = " ".join(digest[i:i + 8] for i in range(0, 64, 8))
    assert f"Fingerprint: {grouped}\n" in out
    # the pack accepts what keygen made
    pack = kent_pack(tmp_path / "kent", public)
    assert cli(capsys, "agency", "check", str(pack))[0] == 0


def test_keygen_never_overwrites_a_pair_and_wants_a_real_passphrase(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "it-desk"
    assert cli(capsys, "agency", "keygen", "--out", str(out_dir))[0] == 0
    before = (out_dir / "recovery-private.pem").read_bytes()
    code, _, err = cli(capsys, "agency", "keygen", "--out", str(out_dir))
    assert code == 1 and "already exists: a new pair would lock out every vault" in err
    assert (out_dir / "recovery-private.pem").read_bytes() == before
    monkeypatch.setenv("SUPERVISION_AGENCY_KEY_PASSPHRASE", "short")
    code, _, err = cli(capsys, "agency", "keygen", "--out", str(tmp_path / "other"))
    assert code == 1 and "at least 12 characters" in err
    assert not (tmp_path / "other").exists()


@pytest.mark.parametrize(("contents", "passphrase", "message"), [
    ("recovery-public.pem", KEY_PASSPHRASE, "is not an agency recovery key"),
    ("recovery-private.pem", "not the passphrase", "The passphrase for "),
    ("truncated", KEY_PASSPHRASE, "The passphrase for "),
    ("unencrypted", KEY_PASSPHRASE, "is not encrypted under a passphrase"),
    ("empty", KEY_PASSPHRASE, "is empty"),
])
def test_an_unusable_private_key_file_is_one_clear_message(
        tmp_path: Path, contents: str, passphrase: str, message: str) -> None:
    private = (FIXTURE / "recovery-private.pem").read_bytes()
    data = {
        "recovery-public.pem": (FIXTURE / "recovery-public.pem").read_bytes(),
        "recovery-private.pem": private,
        "truncated": private[: len(private) // 2] + b"\n-----END ENCRYPTED PRIVATE KEY-----\n",
        "unencrypted": b"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
        "empty": b"",
    }[contents]
    path = tmp_path / "key.pem"
    path.write_bytes(data)
    with pytest.raises(AgencyKeyRefused, match=message):
        agency_recovery.read_private_key(path, passphrase)


# --- wrapping vaults to it ----------------------------------------------------------------


def test_a_vault_made_under_the_pack_is_wrapped_and_info_shows_the_fingerprint(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    use(monkeypatch, kent_pack(tmp_path / "kent"))
    assert cli(capsys, "agency", "show")[1].count(f"agency key {FINGERPRINT}") == 1
    folder = tmp_path / "vault"
    assert cli(capsys, "--vault", str(folder), "init", "--name", OWNER)[0] == 0
    document = key_document(folder)
    assert document["format_version"] == 2  # an older app says "too new", not "damaged"
    assert sorted(document["wraps"]) == ["organisation", "passphrase", "recovery"]
    assert document["wraps"]["organisation"]["kdf"] == {"name": "rsa-oaep-sha256",
                                                        "fingerprint": FINGERPRINT}
    code, out, _ = cli(capsys, "--vault", str(folder), "info")
    assert code == 0 and f"Agency key:     {FINGERPRINT} (your agency can recover it)\n" in out
    code, out, _ = cli(capsys, "--vault", str(folder), "info", "--json")
    assert json.loads(out)["agency_recovery_key"] == FINGERPRINT
    with vaults.open_with_passphrase(folder, PASSPHRASE) as vault:
        logged = [(e.action, e.detail) for e in audit.entries(vault)]
    assert ("key_change", f"wrapped to the agency recovery key {FINGERPRINT}") in logged


def test_without_a_recovery_key_the_key_file_stays_as_older_apps_read_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    use(monkeypatch, kent_pack(tmp_path / "kent", public_pem=None))
    folder = tmp_path / "vault"
    new_vault(folder)
    document = key_document(folder)
    assert document["format_version"] == 1 and sorted(document["wraps"]) == [
        "passphrase", "recovery"]
    _, out, _ = cli(capsys, "--vault", str(folder), "info")
    assert "Agency key:     none (your agency cannot recover it; your recovery key can)" in out


def test_an_older_vault_is_wrapped_at_its_next_unlock_but_not_when_only_looked_at(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "vault"
    new_vault(folder)  # before IT installed the key
    use(monkeypatch, kent_pack(tmp_path / "kent"))
    vault_access.unlock_read_only(folder, PASSPHRASE).vault.close()
    assert "organisation" not in key_document(folder)["wraps"]
    opened = vault_access.unlock_with_passphrase(folder, PASSPHRASE).vault
    try:
        assert opened.key_file.organisation_fingerprint == FINGERPRINT
        assert [e.action for e in audit.entries(opened)][:2] == ["key_change", "unlock"]
    finally:
        opened.close()
    assert key_document(folder)["wraps"]["organisation"]["kdf"]["fingerprint"] == FINGERPRINT
    # the next unlock changes nothing more
    before = (folder / KEY_FILE_NAME).read_bytes()
    vault_access.unlock_with_passphrase(folder, PASSPHRASE).vault.close()
    assert (folder / KEY_FILE_NAME).read_bytes() == before


def test_a_key_replaced_in_the_machine_wide_pack_is_followed(tmp_path: Path) -> None:
    """IT replaced the agency's key where only administrators write: each vault follows
    at its next unlock, and the old private key no longer opens it."""
    pack = kent_pack(tmp_path / "machine-agency")  # paths.machine_agency_dir here
    folder = tmp_path / "vault"
    new_vault(folder)
    new_pair = agency_recovery.make_key_pair(tmp_path / "new-pair", KEY_PASSPHRASE)
    shutil.copy(new_pair.public, pack / agency.RECOVERY_PUBLIC_KEY)
    vault_access.unlock_with_passphrase(folder, PASSPHRASE).vault.close()
    assert key_document(folder)["wraps"]["organisation"]["kdf"]["fingerprint"] == (
        new_pair.fingerprint)
    with pytest.raises(AgencyKeyRefused) as refused:
        vault_access.recover_with_agency_key(folder, private_key(), NEW_PASSPHRASE)
    assert str(refused.value) == (
        f"This vault's key is wrapped to another agency key (fingerprint "
        f"{new_pair.fingerprint}), not to this one ({FINGERPRINT}). Nothing was changed.")


def test_a_pack_tried_out_never_takes_the_agencys_wrap_away(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pack from SUPERVISION_AGENCY (or the user's folder) with another key adds a wrap
    to a vault without one, but never replaces the agency's: it can still recover it."""
    kent_pack(tmp_path / "machine-agency")
    folder = tmp_path / "vault"
    new_vault(folder)
    trial_pair = agency_recovery.make_key_pair(tmp_path / "trial-pair", KEY_PASSPHRASE)
    use(monkeypatch, kent_pack(tmp_path / "trial", trial_pair.public))
    before = (folder / KEY_FILE_NAME).read_bytes()
    vault_access.unlock_with_passphrase(folder, PASSPHRASE).vault.close()
    assert (folder / KEY_FILE_NAME).read_bytes() == before
    vault_access.recover_with_agency_key(folder, private_key(), NEW_PASSPHRASE).close()


def test_a_key_file_that_cannot_be_written_now_never_stops_the_unlock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "vault"
    new_vault(folder)
    use(monkeypatch, kent_pack(tmp_path / "kent"))
    (folder / (KEY_FILE_NAME + ".new")).mkdir()  # the save's temporary file cannot be made
    for _ in range(2):  # and the vault is not left open and locked by the failure
        vault_access.unlock_with_passphrase(folder, PASSPHRASE).vault.close()
    assert "organisation" not in key_document(folder)["wraps"]
    (folder / (KEY_FILE_NAME + ".new")).rmdir()
    vault_access.unlock_with_passphrase(folder, PASSPHRASE).vault.close()  # tried again
    assert key_document(folder)["wraps"]["organisation"]["kdf"]["fingerprint"] == FINGERPRINT


def test_a_broken_pack_never_stops_a_worker_unlocking(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "vault"
    new_vault(folder)
    pack = kent_pack(tmp_path / "kent")
    (pack / "agency.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    use(monkeypatch, pack)
    vault_access.unlock_with_passphrase(folder, PASSPHRASE).vault.close()
    assert "organisation" not in key_document(folder)["wraps"]


# --- recovering ----------------------------------------------------------------------------


def test_it_recovers_a_vault_folder_with_the_agency_key_and_sets_a_new_passphrase(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder, person_id, before = wrapped_vault_with_a_file(tmp_path, monkeypatch)
    # IT's own machine: no pack installed there, only the private key and a copy
    monkeypatch.delenv(agency.ENVIRONMENT)
    copy = tmp_path / "it-copy"
    shutil.copytree(folder, copy)
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", NEW_PASSPHRASE)
    code, out, _ = cli(capsys, "--vault", str(copy), "recover", "--agency-key",
                       str(FIXTURE / "recovery-private.pem"))
    assert code == 0 and "is open again with the new passphrase" in out
    with pytest.raises(WrongPassphrase):
        vaults.open_with_passphrase(copy, PASSPHRASE)
    with vaults.open_with_passphrase(copy, NEW_PASSPHRASE) as recovered:
        assert snapshot_of(recovered, person_id) == before
        newest = audit.entries(recovered)[0]
        assert audit.check_log(recovered).ok
    assert (newest.action, newest.detail) == (
        "unlock", f"agency recovery key {FINGERPRINT}; passphrase replaced")
    # the wrap to the agency key survives recovery: it can be recovered again
    assert key_document(copy)["wraps"]["organisation"]["kdf"]["fingerprint"] == FINGERPRINT


def test_it_restores_a_backup_with_the_agency_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder, person_id, before = wrapped_vault_with_a_file(tmp_path, monkeypatch)
    (tmp_path / "usb").mkdir()
    with vaults.open_with_passphrase(folder, PASSPHRASE) as vault:
        made_backup = backup.back_up(vault, tmp_path / "usb").path
    monkeypatch.delenv(agency.ENVIRONMENT)
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", NEW_PASSPHRASE)
    restored = tmp_path / "restored"
    code, out, _ = cli(capsys, "--vault", str(restored), "recover", "--agency-key",
                       str(FIXTURE / "recovery-private.pem"), "--backup", str(made_backup))
    assert code == 0 and "with the agency key" in out
    with vaults.open_with_passphrase(restored, NEW_PASSPHRASE) as vault:
        assert snapshot_of(vault, person_id) == before
        entry = next(e for e in audit.entries(vault) if e.action == "restore")
    assert entry.detail.endswith(
        f"opened with the agency recovery key {FINGERPRINT}; passphrase replaced")
    # a second restore into the same folder is refused: nothing is overwritten
    code, _, err = cli(capsys, "--vault", str(restored), "recover", "--agency-key",
                       str(FIXTURE / "recovery-private.pem"), "--backup", str(made_backup))
    assert code == 1 and "There is already a vault in" in err


def test_a_vault_never_wrapped_says_so_and_nothing_changes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "vault"
    new_vault(folder)
    before = (folder / KEY_FILE_NAME).read_bytes()
    code, _, err = cli(capsys, "--vault", str(folder), "recover", "--agency-key",
                       str(FIXTURE / "recovery-private.pem"))
    assert code == 1 and "This vault's key is not wrapped to an agency key" in err
    assert (folder / KEY_FILE_NAME).read_bytes() == before


def test_a_weak_new_passphrase_is_refused_before_anything_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, kent_pack(tmp_path / "kent"))
    folder = tmp_path / "vault"
    new_vault(folder)
    before = (folder / KEY_FILE_NAME).read_bytes()
    with pytest.raises(Exception, match="New passphrase: "):
        vault_access.recover_with_agency_key(folder, private_key(), "password")
    assert (folder / KEY_FILE_NAME).read_bytes() == before


# --- a key file altered by hand --------------------------------------------------------------


def test_an_organisation_slot_moved_from_another_vault_does_not_open_this_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The OAEP label binds the wrap to its vault id: copying another vault's slot (same
    agency key, other data key) into this key file is refused as damage."""
    use(monkeypatch, kent_pack(tmp_path / "kent"))
    mine, other = tmp_path / "mine", tmp_path / "other"
    new_vault(mine)
    new_vault(other)
    document = key_document(mine)
    document["wraps"]["organisation"] = key_document(other)["wraps"]["organisation"]
    (mine / KEY_FILE_NAME).write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(KeyFileRefused, match="its organisation slot does not open"):
        vault_access.recover_with_agency_key(mine, private_key(), NEW_PASSPHRASE)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(format_version=1), "wrapped keys are not readable"),
    (lambda d: d["wraps"].pop("organisation"), "wrapped keys are not readable"),
    (lambda d: d["wraps"]["organisation"].update(ciphertext="AAAA"),
     "organisation slot is not readable"),
    (lambda d: d["wraps"]["organisation"]["kdf"].update(name="rsa-pkcs1"),
     "organisation slot is not readable"),
    (lambda d: d["wraps"]["organisation"]["kdf"].update(fingerprint=["x"]),
     "organisation slot is not readable"),
    (lambda d: d.update(format_version=3), "newer version"),
])
def test_an_altered_organisation_slot_is_one_clear_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: object, message: str) -> None:
    use(monkeypatch, kent_pack(tmp_path / "kent"))
    folder = tmp_path / "vault"
    new_vault(folder)
    document = key_document(folder)
    change(document)  # type: ignore[operator]
    (folder / KEY_FILE_NAME).write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(KeyFileRefused, match=message):
        vaults.open_with_passphrase(folder, PASSPHRASE)


def test_agency_recovery_never_acts_on_the_default_vault(
        capsys: pytest.CaptureFixture[str]) -> None:
    """On IT's machine the default vault is IT's own: the copy must be named."""
    code, _, err = cli(capsys, "recover", "--agency-key", str(FIXTURE / "recovery-private.pem"))
    assert code == 1 and "Name the copy of the vault with --vault DIR" in err
