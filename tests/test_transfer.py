"""Transfer bundles: one person's whole file moves to another vault, exactly and once."""

from __future__ import annotations

import base64
import json
import struct
import zlib
from collections.abc import Iterator
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select

from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import (
    audit,
    certificates,
    documents,
    lifecycle,
    people,
    records,
    transfer,
)
from supervision_desktop.services.export import export_record
from supervision_desktop.services.templates import get_template
from supervision_desktop.services.transfer_senders import Standing
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.keyfile import new_recovery_key
from supervision_desktop.store.models import Record, SignedDocument
from supervision_desktop.store.vault import Vault
from tests.conftest import ODD_TEXT, OWNER, PASSPHRASE, files_containing
from tests.sample_values import fill_every_field
from tests.whole_file import OTHER_NAME, SUPERVISEE_NAME, WholeFile, make_whole_file, snapshot_of


@pytest.fixture
def receiving(tmp_path: Path) -> Iterator[Vault]:
    """The next line manager's vault, a different vault with a different key."""
    opened, _ = vaults.create(tmp_path / "receiving", PASSPHRASE, new_recovery_key())
    yield opened
    opened.close()


@pytest.fixture
def sent(vault: Vault, tmp_path: Path) -> tuple[WholeFile, transfer.Exported]:
    made = make_whole_file(vault)
    with vault.transaction() as session:  # the made-up PDF is no signed file: say so
        for document in session.scalars(select(SignedDocument)):
            document.verdict = "flagged"
    export_record(vault, made.record_ids[0], tmp_path / "pdfs")  # and a real signed one
    (tmp_path / "outbox").mkdir()
    return made, transfer.export_person(vault, made.person_id, tmp_path / "outbox")


def _sender_fingerprint(vault: Vault) -> str:
    return certificates.certificate_info(vault).fingerprint


def _impostor(name: str = OWNER) -> tuple[Any, x509.Certificate]:
    """A key and a self-made certificate carrying ``name``, as anyone can make."""
    key_pem, cert_pem = certificates.generate_certificate(name)
    return (serialization.load_pem_private_key(key_pem, password=None),
            x509.load_pem_x509_certificate(cert_pem))


def _opened(receiving: Vault, exported: transfer.Exported) -> transfer.OpenedBundle:
    return transfer.open_bundle(receiving, exported.path, exported.passphrase)


def _write(path: Path, envelope: dict[str, Any], passphrase: str) -> Path:
    path.write_bytes(transfer.seal(envelope, passphrase))
    return path


def _nothing_imported(receiving: Vault) -> None:
    assert people.list_people(receiving) == []
    assert [e.action for e in audit.entries(receiving) if e.action == "transfer_in"] == []


def test_a_first_bundle_shows_the_sender_and_is_imported_once_accepted(
    vault: Vault, receiving: Vault, sent: tuple[WholeFile, transfer.Exported]
) -> None:
    _made, exported = sent
    fingerprint = _sender_fingerprint(vault)
    with pytest.raises(transfer.SenderNotAccepted) as refused:
        transfer.import_bundle(receiving, exported.path, exported.passphrase)
    sender = refused.value.sender
    assert (sender.name, sender.organisation, sender.fingerprint, sender.vault_id,
            sender.standing) == (OWNER, "Supervision Desktop", fingerprint, vault.vault_id,
                                 Standing.NEW)
    assert sender.readable_fingerprint == " ".join(
        fingerprint.upper()[i:i + 4] for i in range(0, 64, 4))
    assert str(refused.value).startswith(
        f"Sent by {OWNER} (Supervision Desktop).\nCertificate fingerprint: "
        f"{sender.readable_fingerprint}\nIt is signed by a certificate you do not know.")
    _nothing_imported(receiving)

    result = transfer.import_bundle(receiving, exported.path, exported.passphrase,
                                    accept_fingerprint=sender.readable_fingerprint)
    assert result.accepted and result.records_added == 3
    assert result.sender is not None and result.sender.fingerprint == fingerprint
    assert f"Signed by {OWNER} ({sender.readable_fingerprint[:19]} …)" in result.message
    entry = audit.entries(receiving)[0]
    assert entry.action == "transfer_in"
    assert entry.detail.endswith(f"certificate {fingerprint[:16]}, new, accepted on purpose")

    # the certificate is pinned: the next bundle from that vault comes from a known signer
    again = transfer.import_bundle(receiving, exported.path, exported.passphrase)
    assert again.sender is not None and again.sender.standing is Standing.KNOWN
    assert not again.accepted
    assert audit.entries(receiving)[0].detail.endswith(f"{fingerprint[:16]}, known")


def test_export_then_import_gives_an_equal_file(
    vault: Vault, receiving: Vault, sent: tuple[WholeFile, transfer.Exported]
) -> None:
    made, exported = sent
    assert exported.records == 3 and exported.path.name.endswith(".sdtransfer")
    result = transfer.import_bundle(receiving, exported.path, exported.passphrase,
                                    accept_fingerprint=_sender_fingerprint(vault))
    assert (result.records_added, result.versions_added) == (3, 4)
    assert result.message.startswith(f"Imported {SUPERVISEE_NAME}'s file: 3 records added")
    theirs, mine = snapshot_of(receiving, made.person_id), snapshot_of(vault, made.person_id)
    assert theirs == mine
    assert mine["signed"] and mine["actions"] and mine["deviations"] and mine["cancellations"]
    assert sorted(d["verdict"] for d in theirs["signed"]) == ["flagged", "genuine"]
    for record_id in made.record_ids:
        assert lifecycle.check_chain(receiving, record_id).intact
    with receiving.transaction() as session:
        origins = set(session.scalars(select(Record.origin)))
    assert origins == {"transferred"}
    assert [p.name for p in people.list_people(receiving)] == [SUPERVISEE_NAME]  # not the other
    assert audit.entries(receiving)[0].action == "transfer_in"
    assert audit.entries(vault)[0].action == "transfer_out"
    assert audit.check_log(receiving).ok


def test_importing_twice_adds_nothing(
    vault: Vault, receiving: Vault, sent: tuple[WholeFile, transfer.Exported]
) -> None:
    made, exported = sent
    transfer.import_bundle(receiving, exported.path, exported.passphrase,
                           accept_fingerprint=_sender_fingerprint(vault))
    before = snapshot_of(receiving, made.person_id)
    again = transfer.import_bundle(receiving, exported.path, exported.passphrase)
    assert (again.records_added, again.records_skipped, again.versions_added) == (0, 3, 0)
    assert "already in your vault" in again.message
    assert snapshot_of(receiving, made.person_id) == before
    assert len(people.list_people(receiving)) == 1


def test_wrong_passphrase_is_a_clear_message(
    receiving: Vault, sent: tuple[WholeFile, transfer.Exported]
) -> None:
    with pytest.raises(transfer.TransferRefused, match=r"^The transfer passphrase is wrong\."):
        transfer.import_bundle(receiving, sent[1].path, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE")
    assert people.list_people(receiving) == []


def test_passphrase_is_forgiving_of_case_and_spacing_and_strong(
    vault: Vault, receiving: Vault, sent: tuple[WholeFile, transfer.Exported]
) -> None:
    typed = sent[1].passphrase.lower().replace("-", " ")
    assert transfer.import_bundle(receiving, sent[1].path, typed,
                                  accept_fingerprint=_sender_fingerprint(vault)
                                  ).records_added == 3
    passphrases = {transfer.new_transfer_passphrase() for _ in range(50)}
    assert len(passphrases) == 50
    assert all(len(p.replace("-", "")) == 25 for p in passphrases)


def test_bundle_holds_no_plaintext(sent: tuple[WholeFile, transfer.Exported]) -> None:
    folder = sent[1].path.parent
    # not the record text, nor who sent it: the signature and certificate are sealed too
    for needle in (ODD_TEXT, SUPERVISEE_NAME, OTHER_NAME, "你好世界", "Corrected a date",
                   "signed copy", OWNER, "BEGIN CERTIFICATE", "%PDF"):
        assert files_containing(folder, needle) == [], needle


def test_a_bundle_changed_and_resealed_under_the_same_passphrase_is_refused(
    vault: Vault, receiving: Vault, sent: tuple[WholeFile, transfer.Exported], tmp_path: Path
) -> None:
    """Anyone told the passphrase can decrypt, change and seal again; the signature they
    cannot make, so the sender's signature is kept and no longer matches."""
    exported = sent[1]
    opened = _opened(receiving, exported)
    genuine = json.loads(transfer._plaintext(exported.path, exported.passphrase))
    document = opened.document
    document["person"]["name"] = "Someone Else Entirely"
    forged = {**genuine, "content": base64.b64encode(transfer.encode_content(document)).decode()}
    path = _write(tmp_path / "resealed.sdtransfer", forged, exported.passphrase)
    for accept in (None, _sender_fingerprint(vault)):  # accepting the sender does not help
        with pytest.raises(transfer.TransferRefused, match=r"^This transfer bundle was "
                           r"changed after it was signed: it is not the file the sender "
                           r"wrote\. Nothing was imported\.") as refused:
            transfer.import_bundle(receiving, path, exported.passphrase,
                                   accept_fingerprint=accept)
        assert not isinstance(refused.value, transfer.SenderNotAccepted)
    _nothing_imported(receiving)
    # the signature block swapped for one over the forged content by someone else's key
    # is the re-signed case; one stripped off is damage
    stripped = {k: v for k, v in forged.items() if k != "signature"}
    with pytest.raises(transfer.TransferRefused, match="damaged"):
        transfer.import_bundle(receiving, _write(tmp_path / "stripped.sdtransfer", stripped,
                                                 exported.passphrase), exported.passphrase)
    _nothing_imported(receiving)


def test_a_bundle_resigned_by_an_impostor_of_the_same_name_is_not_taken_as_genuine(
    vault: Vault, receiving: Vault, sent: tuple[WholeFile, transfer.Exported], tmp_path: Path
) -> None:
    made, exported = sent
    genuine_fingerprint = _sender_fingerprint(vault)
    transfer.import_bundle(receiving, exported.path, exported.passphrase,
                           accept_fingerprint=genuine_fingerprint)  # the real one, pinned
    before = snapshot_of(receiving, made.person_id)
    audit_before = len(audit.entries(receiving))

    document = _opened(receiving, exported).document
    document["person"]["name"] = "Renamed By Impostor"
    key, certificate = _impostor(OWNER)
    impostor_fingerprint = certificate.fingerprint(hashes.SHA256()).hex()
    for claimed_vault in (vault.vault_id, "0" * 32):  # same sending vault, or only the name
        document["sender"]["vault_id"] = claimed_vault
        path = _write(tmp_path / "resigned.sdtransfer",
                      transfer.sign_document(document, key, certificate), exported.passphrase)
        with pytest.raises(transfer.SenderNotAccepted) as refused:
            transfer.import_bundle(receiving, path, exported.passphrase)
        assert refused.value.sender.name == OWNER
        assert refused.value.sender.standing is Standing.MISMATCH
        assert ("It is signed by a different certificate than the one you have for this "
                "person.") in str(refused.value)
        # accepting the fingerprint you know is not accepting this one
        with pytest.raises(transfer.SenderNotAccepted, match="not this certificate's"):
            transfer.import_bundle(receiving, path, exported.passphrase,
                                   accept_fingerprint=genuine_fingerprint)
    assert snapshot_of(receiving, made.person_id) == before
    assert len(audit.entries(receiving)) == audit_before

    # deliberately accepted (say, the sender's new laptop): imported, and audited as such
    transfer.import_bundle(receiving, path, exported.passphrase,
                           accept_fingerprint=impostor_fingerprint)
    entry = audit.entries(receiving)[0]
    assert entry.detail.endswith(f"{impostor_fingerprint[:16]}, mismatch, accepted on purpose")


def test_an_impostor_to_a_vault_that_never_met_the_sender_is_a_certificate_you_do_not_know(
    receiving: Vault, sent: tuple[WholeFile, transfer.Exported], tmp_path: Path
) -> None:
    exported = sent[1]
    document = _opened(receiving, exported).document
    key, certificate = _impostor(OWNER)
    path = _write(tmp_path / "resigned.sdtransfer",
                  transfer.sign_document(document, key, certificate), exported.passphrase)
    with pytest.raises(transfer.SenderNotAccepted,
                       match="It is signed by a certificate you do not know") as refused:
        transfer.import_bundle(receiving, path, exported.passphrase)
    assert refused.value.sender.standing is Standing.NEW
    _nothing_imported(receiving)


def test_a_pdf_changed_and_resigned_arrives_flagged_not_genuine(
    vault: Vault, receiving: Vault, sent: tuple[WholeFile, transfer.Exported], tmp_path: Path
) -> None:
    """Even from a sender accepted on purpose, a signed PDF is genuine here only if it
    verifies here: the sender's verdict is not taken on trust."""
    exported = sent[1]
    document = _opened(receiving, exported).document
    signed = next(d for d in document["signed_documents"] if d["verdict"] == "genuine")
    data = base64.b64decode(signed["data"]).replace(b"/Reason (", b"/Reason (X", 1)
    assert data != base64.b64decode(signed["data"])
    signed["data"], signed["sha256"] = base64.b64encode(data).decode(), sha256(data).hexdigest()
    key, certificate = _impostor(OWNER)
    path = _write(tmp_path / "resigned.sdtransfer",
                  transfer.sign_document(document, key, certificate), exported.passphrase)
    result = transfer.import_bundle(receiving, path, exported.passphrase,
                                    accept_fingerprint=certificate.fingerprint(
                                        hashes.SHA256()).hex())
    assert "1 signed PDF in it did not verify and is kept flagged, not as genuine." \
        in result.message
    kept = {d.id: d for d in documents.list_documents(receiving)}
    assert kept[signed["id"]].genuine is False


def _v1_bundle(document: dict[str, Any], passphrase: str) -> bytes:
    """A bundle as version 1 wrote it: sealed, the document itself inside, no signature."""
    kdf = {"name": "argon2id", "time_cost": 3, "memory_kib": 65536, "parallelism": 4,
           "salt": base64.b64encode(b"0123456789abcdef").decode()}
    header = json.dumps({"format": transfer.FORMAT, "format_version": 1, "kdf": kdf,
                         "nonce": base64.b64encode(b"n" * 12).decode()},
                        sort_keys=True).encode()
    key = transfer._derive(kdf, passphrase)
    sealed = AESGCM(key).encrypt(b"n" * 12, zlib.compress(json.dumps(document).encode()),
                                 transfer.MAGIC + header)
    return transfer.MAGIC + struct.pack(">I", len(header)) + header + sealed


def test_an_unsigned_version_1_bundle_is_refused_with_what_to_do(
    receiving: Vault, sent: tuple[WholeFile, transfer.Exported], tmp_path: Path
) -> None:
    exported = sent[1]
    document = _opened(receiving, exported).document
    old = tmp_path / "old.sdtransfer"
    old.write_bytes(_v1_bundle(document, exported.passphrase))
    with pytest.raises(transfer.TransferRefused, match=r"^This transfer bundle was made by "
                       r"an older version of Supervision Desktop and is not signed, so nobody "
                       r"can tell who made it or whether it was changed\. Nothing was "
                       r"imported\. Ask the sender to update"):
        transfer.import_bundle(receiving, old, exported.passphrase)
    _nothing_imported(receiving)
    # and calling a sealed-but-unsigned document "version 2" does not get round it
    header_says_2 = {"format": transfer.FORMAT, "format_version": 2,
                     "content": base64.b64encode(transfer.encode_content(document)).decode()}
    with pytest.raises(transfer.TransferRefused, match="damaged"):
        transfer.import_bundle(receiving, _write(tmp_path / "x.sdtransfer", header_says_2,
                                                 exported.passphrase), exported.passphrase)
    _nothing_imported(receiving)


def _resigned_by(vault: Vault, document: dict[str, Any], path: Path, passphrase: str) -> str:
    """Sign ``document`` with ``vault``'s own key (a forger with a key the receiver knows
    changes nothing the integrity checks cannot see); returns its fingerprint."""
    key, certificate, chain = transfer._owner_key(vault)
    _write(path, transfer.sign_document(document, key, certificate, chain), passphrase)
    return certificate.fingerprint(hashes.SHA256()).hex()


def test_a_version_changed_in_the_bundle_is_refused(
    vault: Vault, receiving: Vault, sent: tuple[WholeFile, transfer.Exported], tmp_path: Path
) -> None:
    document = _opened(receiving, sent[1]).document
    version = next(v for r in document["records"] for v in r["versions"] if v["finalised_at"])
    version["content"]["wellbeing"] = "rewritten after finalising"
    forged = tmp_path / "forged.sdtransfer"
    fingerprint = _resigned_by(vault, document, forged, "FORGE-FORGE-FORGE-FORGE-FORGE")
    with pytest.raises(transfer.TransferRefused, match="no longer matches its hash"):
        transfer.import_bundle(receiving, forged, "FORGE-FORGE-FORGE-FORGE-FORGE",
                               accept_fingerprint=fingerprint)
    assert people.list_people(receiving) == []


def test_a_signed_pdf_changed_in_the_bundle_is_refused(
    vault: Vault, receiving: Vault, sent: tuple[WholeFile, transfer.Exported], tmp_path: Path
) -> None:
    document = _opened(receiving, sent[1]).document
    signed = document["signed_documents"][0]
    signed["data"] = base64.b64encode(base64.b64decode(signed["data"]) + b"% appended").decode()
    forged = tmp_path / "forged.sdtransfer"
    fingerprint = _resigned_by(vault, document, forged, "FORGE-FORGE-FORGE-FORGE-FORGE")
    with pytest.raises(transfer.TransferRefused, match="not the file that was signed"):
        transfer.import_bundle(receiving, forged, "FORGE-FORGE-FORGE-FORGE-FORGE",
                               accept_fingerprint=fingerprint)


def test_damaged_or_foreign_files_are_refused(
    receiving: Vault, sent: tuple[WholeFile, transfer.Exported], tmp_path: Path
) -> None:
    path = sent[1].path
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x40
    path.write_bytes(bytes(data))
    with pytest.raises(transfer.TransferRefused, match=r"passphrase is wrong.*damaged"):
        transfer.import_bundle(receiving, path, sent[1].passphrase)
    (tmp_path / "x.json").write_text(json.dumps({"hello": 1}))
    with pytest.raises(transfer.TransferRefused, match="not a Supervision Desktop transfer"):
        transfer.import_bundle(receiving, tmp_path / "x.json", sent[1].passphrase)


def test_children_are_not_transferred_alone(vault: Vault, tmp_path: Path) -> None:
    child = people.add_person(vault, "child", {"name": "Tamsin Example"})
    with pytest.raises(InvalidInput, match="supervisee's or a carer household's"):
        transfer.export_person(vault, child.id, tmp_path / "x.sdtransfer")
    assert not (tmp_path / "x.sdtransfer").exists()


# --- the command line ------------------------------------------------------------------


def test_cli_transfer_export_and_import(
    vault_folder: Path, data_key: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from supervision_desktop.cli import run

    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    with vaults.open_with_key(vault_folder, data_key) as opened:
        made = make_whole_file(opened)
    out_file = tmp_path / "bundle.sdtransfer"
    assert run(["transfer", "export", made.person_id, "--out", str(out_file),
                "--vault", str(vault_folder)]) == 0
    out, _ = capsys.readouterr()
    passphrase = next(line.strip() for line in out.splitlines()
                      if line.strip().count("-") == 4 and len(line.strip()) == 29)
    assert "another way" in out
    other, _ = vaults.create(tmp_path / "other", PASSPHRASE, new_recovery_key())
    other.close()
    monkeypatch.setenv("SUPERVISION_TRANSFER_PASSPHRASE", "WRONG-WRONG-WRONG-WRONG-WRONG")
    assert run(["transfer", "import", str(out_file), "--vault", str(tmp_path / "other")]) == 1
    assert capsys.readouterr().err.startswith("error: The transfer passphrase is wrong.")
    monkeypatch.setenv("SUPERVISION_TRANSFER_PASSPHRASE", passphrase)
    assert run(["transfer", "import", str(out_file), "--vault", str(tmp_path / "other")]) == 3
    err = capsys.readouterr().err
    with vaults.open_with_key(vault_folder, data_key) as opened:
        fingerprint = certificates.certificate_info(opened).fingerprint
    assert err.startswith(f"not imported: Sent by {OWNER} (Supervision Desktop).")
    assert "It is signed by a certificate you do not know." in err
    assert f"    --accept-sender {fingerprint}\n" in err
    assert run(["transfer", "import", str(out_file), "--vault", str(tmp_path / "other"),
                "--accept-sender", "0" * 64]) == 3
    assert "is not this certificate's" in capsys.readouterr().err
    assert run(["transfer", "import", str(out_file), "--vault", str(tmp_path / "other"),
                "--accept-sender", fingerprint]) == 0
    out = capsys.readouterr().out
    assert "3 records added" in out and f"Signed by {OWNER}" in out
    assert run(["transfer", "import", str(out_file), "--vault", str(tmp_path / "other")]) == 0
    assert "a certificate you know" in capsys.readouterr().out


def test_a_record_first_written_about_someone_else_transfers_with_its_history(
    vault: Vault, receiving: Vault, tmp_path: Path
) -> None:
    """A record finalised about the wrong person and corrected by amendment keeps its
    first version's subject under the hash; the bundle carries that person too."""
    wrong = people.add_person(vault, "supervisee", {"name": "Ottoline Grebe"})
    right = people.add_person(vault, "supervisee", {"name": "Casimir Wendlebury"})
    template = get_template("personal-supervision")
    record_id = records.create_record(vault, template, subject_id=wrong.id,
                                      session_date="2026-10-01",
                                      fields=fill_every_field(template, "first words"))
    lifecycle.finalise(vault, record_id)
    lifecycle.amend(vault, record_id, "Written about the wrong supervisee")
    records.save_draft(vault, record_id, fill_every_field(template, "first words"),
                       subject_id=right.id)
    lifecycle.finalise(vault, record_id)

    (tmp_path / "outbox").mkdir()
    sent = transfer.export_person(vault, right.id, tmp_path / "outbox")
    imported = transfer.import_bundle(receiving, sent.path, sent.passphrase,
                                      accept_fingerprint=_sender_fingerprint(vault))

    assert imported.records_added == 1
    assert lifecycle.check_chain(receiving, record_id).intact
    assert records.get_record(receiving, record_id).summary.subject_name == "Casimir Wendlebury"
