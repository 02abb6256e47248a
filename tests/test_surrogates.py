"""A lone UTF-16 surrogate typed into a field (Windows clipboards produce them) is replaced
with U+FFFD where text enters; search, `record show`, the PDF and transfer keep working
for the whole vault."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from supervision_desktop.cli import run
from supervision_desktop.services import (
    certificates,
    export,
    lifecycle,
    notes,
    people,
    records,
    search,
    transfer,
)
from supervision_desktop.services.templates import get_template
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.keyfile import new_recovery_key
from supervision_desktop.store.vault import Vault
from tests.conftest import PASSPHRASE
from tests.sample_values import fill_every_field

TYPED = "Zebedee said \ud800 fine"
KEPT = "Zebedee said \ufffd fine"


@pytest.fixture
def record_id(vault: Vault) -> str:
    person = people.add_person(vault, "supervisee", {"name": "Quinn \udc00 Fictional"})
    assert person.name == "Quinn \ufffd Fictional"
    template = get_template("professional-supervision")
    fields = fill_every_field(template, "Plain words", long_text=TYPED)
    made = records.create_record(vault, template, subject_id=person.id,
                                 session_date="2026-11-20", fields=fields)
    records.save_draft(vault, made, {**fields, "aob": "Room \udfff 4"})
    lifecycle.finalise(vault, made)
    return made


def test_the_surrogate_is_replaced_and_the_rest_kept(vault: Vault, record_id: str) -> None:
    stored = records.get_record(vault, record_id).fields
    assert KEPT in stored.values() and stored["aob"] == "Room \ufffd 4"
    assert TYPED not in json.dumps(stored, ensure_ascii=False)
    note = notes.add_note(vault, "professional", title="A \ud83d title", body=TYPED)
    assert (note.title, note.body) == ("A \ufffd title", KEPT)


def test_search_show_pdf_and_transfer_still_work(vault: Vault, vault_folder: Path,
                                                 record_id: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    assert [hit.record_id for hit in search.search(vault, "Zebedee")] == [record_id]

    (pdf,) = export.export_record(vault, record_id, tmp_path / "out")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True,
                          text=True).stdout
    assert "Zebedee said" in text and "fine" in text

    person_id = records.get_record(vault, record_id).summary.subject_id
    assert person_id is not None
    (tmp_path / "outbox").mkdir()
    sent = transfer.export_person(vault, person_id, tmp_path / "outbox")
    receiving, _ = vaults.create(tmp_path / "receiving", PASSPHRASE, new_recovery_key())
    try:
        result = transfer.import_bundle(  # a first-time sender: accepted on purpose
            receiving, sent.path, sent.passphrase,
            accept_fingerprint=certificates.certificate_info(vault).fingerprint)
        assert result.records_added == 1
        assert KEPT in records.get_record(receiving, record_id).fields.values()
    finally:
        receiving.close()

    vault.close()
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    assert run(["record", "show", record_id, "--vault", str(vault_folder)]) == 0
    assert KEPT in capsys.readouterr().out


def test_a_vault_written_before_cleaning_is_repaired_at_upgrade_without_touching_hashes(
    vault: Vault, vault_folder: Path, data_key: bytes, record_id: str
) -> None:
    """A 0004 vault whose draft and person's details hold a lone surrogate (stored, as
    JSON escapes it, before text was cleaned): upgrading replaces each with U+FFFD, the
    draft can then be finalised, and the finalised record's hashes still check."""
    from alembic import command
    from sqlalchemy import text

    from supervision_desktop.store.migrate import _config

    template = get_template("professional-supervision")
    person = people.add_person(vault, "supervisee", {"name": "Rhian Fictional"})
    draft = records.create_record(vault, template, subject_id=person.id,
                                  session_date="2026-11-21",
                                  fields=fill_every_field(template, "Plain", long_text="MARK"))
    with vault.engine.begin() as connection:  # what an older version could store
        for table, column in (("record_versions", "content"), ("people", "details")):
            connection.execute(text(
                f"UPDATE {table} SET {column} = replace({column}, :plain, :escaped)"),
                {"plain": "MARK" if table == "record_versions" else "Rhian",
                 "escaped": "said \\ud800 fine" if table == "record_versions" else "\\udc00"})
    with vault.engine.connect() as connection:
        command.downgrade(_config(connection), "0004")
    assert "\ud800" in json.dumps(records.get_record(vault, draft).fields, ensure_ascii=False)
    hash_before = lifecycle.check_chain(vault, record_id)
    vault.close()

    with vaults.open_with_key(vault_folder, data_key) as upgraded:
        assert upgraded.schema_revision == "0005"
        fields = records.get_record(upgraded, draft).fields
        assert "said \ufffd fine" in fields.values()
        lifecycle.finalise(upgraded, draft)  # failed with UnicodeEncodeError before
        assert lifecycle.check_chain(upgraded, record_id) == hash_before
        assert lifecycle.check_chain(upgraded, draft).intact
