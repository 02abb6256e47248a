"""Transfer bundles: one person's whole file moves to another vault, exactly and once."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import audit, lifecycle, people, records, transfer
from supervision_desktop.services.templates import get_template
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.keyfile import new_recovery_key
from supervision_desktop.store.models import Record
from supervision_desktop.store.vault import Vault
from tests.conftest import ODD_TEXT, PASSPHRASE, files_containing
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
    (tmp_path / "outbox").mkdir()
    return made, transfer.export_person(vault, made.person_id, tmp_path / "outbox")


def test_export_then_import_gives_an_equal_file(
    vault: Vault, receiving: Vault, sent: tuple[WholeFile, transfer.Exported]
) -> None:
    made, exported = sent
    assert exported.records == 3 and exported.path.name.endswith(".sdtransfer")
    result = transfer.import_bundle(receiving, exported.path, exported.passphrase)
    assert (result.records_added, result.versions_added) == (3, 4)
    assert result.message.startswith(f"Imported {SUPERVISEE_NAME}'s file: 3 records added")
    theirs, mine = snapshot_of(receiving, made.person_id), snapshot_of(vault, made.person_id)
    assert theirs == mine
    assert mine["signed"] and mine["actions"] and mine["deviations"] and mine["cancellations"]
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
    receiving: Vault, sent: tuple[WholeFile, transfer.Exported]
) -> None:
    made, exported = sent
    transfer.import_bundle(receiving, exported.path, exported.passphrase)
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
    receiving: Vault, sent: tuple[WholeFile, transfer.Exported]
) -> None:
    typed = sent[1].passphrase.lower().replace("-", " ")
    assert transfer.import_bundle(receiving, sent[1].path, typed).records_added == 3
    passphrases = {transfer.new_transfer_passphrase() for _ in range(50)}
    assert len(passphrases) == 50
    assert all(len(p.replace("-", "")) == 25 for p in passphrases)


def test_bundle_holds_no_plaintext(sent: tuple[WholeFile, transfer.Exported]) -> None:
    folder = sent[1].path.parent
    for needle in (ODD_TEXT, SUPERVISEE_NAME, OTHER_NAME, "你好世界", "Corrected a date",
                   "signed copy"):
        assert files_containing(folder, needle) == [], needle


def test_a_version_changed_in_the_bundle_is_refused(
    receiving: Vault, sent: tuple[WholeFile, transfer.Exported], tmp_path: Path
) -> None:
    document = transfer.open_bundle(sent[1].path, sent[1].passphrase)
    version = next(v for r in document["records"] for v in r["versions"] if v["finalised_at"])
    version["content"]["wellbeing"] = "rewritten after finalising"
    forged = tmp_path / "forged.sdtransfer"
    forged.write_bytes(transfer.seal(document, "FORGE-FORGE-FORGE-FORGE-FORGE"))
    with pytest.raises(transfer.TransferRefused, match="no longer matches its hash"):
        transfer.import_bundle(receiving, forged, "FORGE-FORGE-FORGE-FORGE-FORGE")
    assert people.list_people(receiving) == []


def test_a_signed_pdf_changed_in_the_bundle_is_refused(
    receiving: Vault, sent: tuple[WholeFile, transfer.Exported], tmp_path: Path
) -> None:
    document = transfer.open_bundle(sent[1].path, sent[1].passphrase)
    signed = document["signed_documents"][0]
    signed["data"] = base64.b64encode(base64.b64decode(signed["data"]) + b"% appended").decode()
    forged = tmp_path / "forged.sdtransfer"
    forged.write_bytes(transfer.seal(document, "FORGE-FORGE-FORGE-FORGE-FORGE"))
    with pytest.raises(transfer.TransferRefused, match="not the file that was signed"):
        transfer.import_bundle(receiving, forged, "FORGE-FORGE-FORGE-FORGE-FORGE")


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
    assert run(["transfer", "import", str(out_file), "--vault", str(tmp_path / "other")]) == 0
    assert "3 records added" in capsys.readouterr().out


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
    imported = transfer.import_bundle(receiving, sent.path, sent.passphrase)

    assert imported.records_added == 1
    assert lifecycle.check_chain(receiving, record_id).intact
    assert records.get_record(receiving, record_id).summary.subject_name == "Casimir Wendlebury"
