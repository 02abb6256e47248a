"""The audit log: who did what to which record and when, never what was written; a
removed or changed entry, in the middle or at the end, is caught."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from supervision_desktop.cli import run
from supervision_desktop.services import audit, lifecycle, people, records, vault_access
from supervision_desktop.services.export import export_record
from supervision_desktop.services.templates import get_template
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.models import AuditEvent
from supervision_desktop.store.vault import Vault
from tests.conftest import OWNER, PASSPHRASE
from tests.sample_values import fill_every_field

SECRET = "Pangolinmarmalade"  # written in the record: must never reach the log
NAME = "Harper Nobody"


def _record(vault: Vault) -> str:
    person = people.add_person(vault, "supervisee", {"name": NAME}).id
    template = get_template("personal-supervision")
    fields = fill_every_field(template, f"{SECRET} text", long_text=f"{SECRET} long")
    return records.create_record(vault, template, subject_id=person,
                                 session_date="2026-11-20", fields=fields)


def _raw_log(vault: Vault) -> str:
    with vault.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT * FROM audit_events").all()
    return repr(rows)


def test_lifecycle_and_export_are_logged_without_content_or_names(
    vault: Vault, tmp_path: Path
) -> None:
    record_id = _record(vault)
    lifecycle.finalise(vault, record_id)
    export_record(vault, record_id, tmp_path / "out")
    lifecycle.mark_uploaded(vault, record_id, dt.date(2026, 11, 23), "REF-1")
    lifecycle.amend(vault, record_id, f"{SECRET} typo")
    records.open_record(vault, record_id)
    actions = [e.action for e in reversed(audit.entries(vault, record_id=record_id))]
    assert actions == ["create", "finalise", "export", "mark_uploaded", "amend", "open"]
    assert all(e.actor == OWNER for e in audit.entries(vault))
    raw = _raw_log(vault)
    assert SECRET not in raw and NAME not in raw and "Harper" not in raw
    assert audit.check_log(vault).ok


def test_autosaves_make_one_change_entry_per_ten_minutes(vault: Vault) -> None:
    record_id = _record(vault)
    for number in range(5):
        records.save_draft(vault, record_id, {"health_welfare_functioning": f"draft {number}"})
    changes = [e for e in audit.entries(vault, record_id=record_id) if e.action == "change"]
    assert len(changes) == 1
    with vault.transaction() as session:  # the last change was eleven minutes ago
        event = session.get_one(AuditEvent, changes[0].id)
        event.at = event.at - dt.timedelta(minutes=11)
    records.save_draft(vault, record_id, {"health_welfare_functioning": "later"})
    assert [e.action for e in audit.entries(vault, record_id=record_id)].count("change") == 2


def test_person_changes_and_unlock_are_logged(vault_folder: Path) -> None:
    unlocked = vault_access.unlock_with_passphrase(vault_folder, PASSPHRASE).vault
    try:
        person = people.add_person(unlocked, "carer", {"name": "The Nobody household"}).id
        people.set_end(unlocked, person, dt.date(2026, 1, 5), "Approval ended")
        found = [(e.action, e.person_id, e.detail) for e in reversed(audit.entries(unlocked))]
        assert found[0] == ("unlock", None, "passphrase")
        assert found[1:] == [("person_change", person, "added (carer)"),
                             ("person_change", person, "end date set to 2026-01-05")]
        assert "Nobody" not in _raw_log(unlocked)
    finally:
        unlocked.close()


def _three_entries(vault: Vault) -> None:
    for record_id in ("a" * 32, "b" * 32, "c" * 32):
        audit.log(vault, "open", record_id=record_id)


def test_a_removed_middle_entry_breaks_the_chain(vault: Vault) -> None:
    _three_entries(vault)
    assert audit.check_log(vault).ok
    with vault.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM audit_events WHERE id = 2")
    result = audit.check_log(vault)
    assert not result.ok and result.first_bad_id == 3
    assert "entry 3" in result.message


def test_a_changed_entry_breaks_the_chain(vault: Vault) -> None:
    _three_entries(vault)
    with vault.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE audit_events SET action = 'backup' WHERE id = 2")
    assert audit.check_log(vault).first_bad_id == 2


def test_a_removed_last_entry_is_caught_by_the_head_marker(vault: Vault) -> None:
    _three_entries(vault)
    with vault.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM audit_events WHERE id = 3")
    result = audit.check_log(vault)
    assert not result.ok
    assert "should hold 3 entries but holds 2" in result.message


def test_cli_check_exits_1_with_a_clear_message_and_export_writes_csv(
    vault_folder: Path, data_key: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    with vaults.open_with_key(vault_folder, data_key) as opened:
        _three_entries(opened)
    at = ["--vault", str(vault_folder)]
    assert run(["audit", "check", *at]) == 0
    assert "intact" in capsys.readouterr().out
    out_file = tmp_path / "log.csv"
    assert run(["audit", "export", "--out", str(out_file), *at]) == 0
    rows = list(csv.DictReader(out_file.read_text(encoding="utf-8").splitlines()))
    assert [r["action"] for r in rows[:3]] == ["open", "open", "open"]
    assert rows[-1]["action"] == "unlock"  # the CLI's own unlock is logged
    assert run(["audit", "list", "--record", "b" * 32, *at]) == 0
    assert "b" * 32 in capsys.readouterr().out
    with vaults.open_with_key(vault_folder, data_key) as opened, \
            opened.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM audit_events WHERE id = 2")
    assert run(["audit", "check", *at]) == 1
    err = capsys.readouterr().err
    assert "error: The audit log has been altered" in err and "entry 3" in err
