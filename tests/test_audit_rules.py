"""The audit log's rules pinned with literal values (issue 17's mutation run found them
unpinned): the check's exact verdict and message for each way the log can be cut or
changed, the CSV export byte for byte, the JSON form of an entry, who the actor is,
the ten-minute coalescing of autosaves, and a hash that does not depend on the machine's
time zone or locale."""

from __future__ import annotations

import datetime as dt
import json
import locale
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from supervision_desktop.cli.common import json_text
from supervision_desktop.services import audit
from supervision_desktop.services.audit import GENESIS, AuditEntry, ChainCheck, _entry_hash
from supervision_desktop.store.models import AuditEvent, Setting
from supervision_desktop.store.settings import OWNER_NAME
from supervision_desktop.store.vault import Vault
from tests.conftest import OWNER

AT = dt.datetime(2026, 11, 22, 14, 10, tzinfo=dt.UTC)
WELSH = "Siân Llŷr"  # a name outside ASCII: the hash and the CSV carry it as written


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(AT, tick=False):
        yield


def _stored(vault: Vault) -> list[AuditEvent]:
    with vault.transaction() as session:
        found = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
        session.expunge_all()
        return found


def _head(vault: Vault) -> str | None:
    with vault.transaction() as session:
        stored = session.get(Setting, audit.HEAD)
        return stored.value if stored else None


def _set_head(vault: Vault, value: str | None) -> None:
    with vault.transaction() as session:
        stored = session.get_one(Setting, audit.HEAD)
        if value is None:
            session.delete(stored)
        else:
            stored.value = value


def _three(vault: Vault) -> list[AuditEvent]:
    audit.log(vault, "open", record_id="a" * 32, person_id="p" * 32)
    audit.log(vault, "backup", detail="3 records")
    audit.log(vault, "export", record_id="b" * 32, detail="version 1")
    return _stored(vault)


# --- writing entries ------------------------------------------------------------------


def test_each_entry_is_stored_linked_hashed_and_counted_in_the_head(
    vault: Vault, frozen: None
) -> None:
    events = _three(vault)
    assert [(e.id, e.at, e.actor, e.action, e.record_id, e.person_id, e.detail)
            for e in events] == [
        (1, AT, OWNER, "open", "a" * 32, "p" * 32, ""),
        (2, AT, OWNER, "backup", None, None, "3 records"),
        (3, AT, OWNER, "export", "b" * 32, None, "version 1"),
    ]
    previous = GENESIS
    for event in events:
        assert event.previous_hash == previous
        assert event.hash == _entry_hash(previous, AT, OWNER, event.action, event.record_id,
                                         event.person_id, event.detail)
        previous = event.hash
    assert _head(vault) == f"3:{events[-1].hash}"


def test_an_entry_is_stored_at_the_time_it_was_hashed(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The log's clock is read once per entry: the stored time is the hashed one, not a
    second reading by the database layer."""
    monkeypatch.setattr(audit, "utc_now", lambda: dt.datetime(2026, 1, 2, 3, 4, 5))
    audit.log(vault, "backup")
    [event] = _stored(vault)
    assert event.at == dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert audit.check_log(vault) == ChainCheck(True, 1)


def test_the_head_counts_on_from_its_own_number_not_by_counting_rows(vault: Vault) -> None:
    """The marker is moved on from what it says; a marker already out of step with the
    rows stays out of step, so the check keeps reporting it."""
    _three(vault)
    _set_head(vault, f"7:{_stored(vault)[-1].hash}")
    audit.log(vault, "backup", detail="0 records")
    assert _head(vault) == f"8:{_stored(vault)[-1].hash}"


def test_without_a_head_the_first_marker_counts_the_rows_there(vault: Vault) -> None:
    _three(vault)
    _set_head(vault, None)
    audit.log(vault, "backup", detail="0 records")
    assert _head(vault) == f"4:{_stored(vault)[-1].hash}"
    assert audit.check_log(vault) == ChainCheck(True, 4)


def test_a_vault_without_an_owner_name_logs_an_empty_actor(vault: Vault) -> None:
    with vault.transaction() as session:
        session.delete(session.get_one(Setting, OWNER_NAME))
    audit.log(vault, "backup")
    assert [(e.actor, e.detail, e.person_id) for e in _stored(vault)] == [("", "", None)]


def test_an_unknown_action_is_refused_by_name(vault: Vault) -> None:
    with pytest.raises(ValueError, match=r"^Unknown audit action 'delete_everything'$"):
        audit.log(vault, "delete_everything")
    assert _stored(vault) == []


def test_log_passes_the_person_on(vault: Vault) -> None:
    audit.log(vault, "person_change", person_id="q" * 32, detail="added (carer)")
    assert [(e.record_id, e.person_id, e.detail) for e in _stored(vault)] == [
        (None, "q" * 32, "added (carer)")]


# --- autosave coalescing --------------------------------------------------------------


def test_change_entries_coalesce_per_record_and_actor_for_ten_minutes(vault: Vault) -> None:
    with time_machine.travel(AT, tick=False) as clock:
        assert audit_change(vault, "a" * 32) is True
        assert audit_change(vault, "a" * 32) is False  # the same minute
        assert audit_change(vault, "b" * 32) is True  # another record
        clock.shift(dt.timedelta(minutes=10))  # exactly ten minutes: still coalesced
        assert audit_change(vault, "a" * 32) is False
        clock.shift(dt.timedelta(seconds=1))
        assert audit_change(vault, "a" * 32, detail="autosave") is True
        with vault.transaction() as session:  # someone else, the same record
            session.get_one(Setting, OWNER_NAME).value = "Robin Othertest"
        assert audit_change(vault, "a" * 32) is True
    a, b = "a" * 32, "b" * 32
    assert [(e.record_id, e.actor, e.detail) for e in _stored(vault)] == [
        (a, OWNER, ""), (b, OWNER, ""), (a, OWNER, "autosave"), (a, "Robin Othertest", ""),
    ]


def audit_change(vault: Vault, record_id: str, *, detail: str | None = None) -> bool:
    with vault.transaction() as session:
        if detail is None:
            return audit.log_change(session, record_id)
        return audit.log_change(session, record_id, detail=detail)


def test_a_change_after_two_earlier_changes_is_still_coalesced(vault: Vault) -> None:
    """More than one recent entry must not matter (the look-up takes one)."""
    with time_machine.travel(AT, tick=False):
        audit_change(vault, "a" * 32)
        with vault.transaction() as session:
            audit.log_event(session, "change", record_id="a" * 32)
        assert audit_change(vault, "a" * 32) is False
    assert [(e.action, e.detail) for e in _stored(vault)] == [("change", ""), ("change", "")]


# --- the check ------------------------------------------------------------------------


def test_an_empty_log_without_a_marker_is_intact(vault: Vault) -> None:
    check = audit.check_log(vault)
    assert check == ChainCheck(True, 0)
    assert check.message == "The audit log is intact (0 entries)."


def test_an_intact_log_reports_its_count(vault: Vault) -> None:
    _three(vault)
    check = audit.check_log(vault)
    assert check == ChainCheck(True, 3)
    assert check.message == "The audit log is intact (3 entries)."


def test_a_changed_entry_is_named_with_the_count_read_so_far(vault: Vault) -> None:
    _three(vault)
    with vault.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE audit_events SET detail = '4 records' WHERE id = 2")
    check = audit.check_log(vault)
    assert check == ChainCheck(False, 2, 2)
    assert check.message == ("The audit log has been altered: entry 2 does not follow from "
                             "the entry before it (an entry was removed or changed).")


def test_a_missing_marker_on_a_log_with_entries_is_reported(vault: Vault) -> None:
    _three(vault)
    _set_head(vault, None)
    check = audit.check_log(vault)
    assert check == ChainCheck(False, 3, problem=(
        "its head marker is missing, so entries may have been removed from its end."))
    assert check.message == ("The audit log has been altered: its head marker is missing, "
                             "so entries may have been removed from its end.")


def test_the_newest_entry_removed_is_counted_in_the_singular(vault: Vault) -> None:
    _three(vault)
    with vault.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM audit_events WHERE id = 3")
    check = audit.check_log(vault)
    assert check == ChainCheck(False, 2, problem=(
        "it should hold 3 entries but holds 2: the newest 1 entry was removed."))


def test_the_newest_two_entries_removed_are_counted_in_the_plural(vault: Vault) -> None:
    _three(vault)
    with vault.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM audit_events WHERE id >= 2")
    assert audit.check_log(vault) == ChainCheck(False, 1, problem=(
        "it should hold 3 entries but holds 1: the newest 2 entries were removed."))


def test_a_replaced_newest_entry_with_the_count_kept_is_caught(vault: Vault) -> None:
    """The rows still chain and their number matches the marker, but the marker names
    another newest entry: the real last entries were replaced."""
    _three(vault)
    _set_head(vault, "3:" + "f" * 64)
    check = audit.check_log(vault)
    assert check == ChainCheck(False, 3, problem=(
        "its newest entry is not the one last written (entries were removed or replaced "
        "at its end)."))
    assert check.message == ("The audit log has been altered: its newest entry is not the "
                             "one last written (entries were removed or replaced at its "
                             "end).")


def test_a_marker_counting_fewer_entries_than_the_log_holds_is_caught(vault: Vault) -> None:
    _three(vault)
    _set_head(vault, f"2:{_stored(vault)[-1].hash}")
    assert audit.check_log(vault).problem.startswith("its newest entry is not the one")


def test_a_garbled_marker_count_is_caught_even_on_a_one_entry_log(vault: Vault) -> None:
    audit.log(vault, "backup")
    _set_head(vault, f"one:{_stored(vault)[-1].hash}")
    assert audit.check_log(vault) == ChainCheck(False, 1, problem=(
        "its newest entry is not the one last written (entries were removed or replaced "
        "at its end)."))


# --- the hash -------------------------------------------------------------------------


def test_the_hash_covers_text_outside_ascii_as_written() -> None:
    assert _entry_hash(GENESIS, dt.datetime(2026, 11, 22, 14, 10), WELSH, "open", "rec1",
                       None, "fersiwn 2 – ôl") == (
        "e51ceb5e99a973c29dd44f28db49b5e843223aa0991f0b74f0a5586a1032bd43")


@pytest.fixture
def london_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_hash_does_not_depend_on_the_machines_time_zone(london_clock: None) -> None:
    """A summer entry read back aware is hashed as its UTC time, on a machine whose own
    clock is on British Summer Time."""
    aware = dt.datetime(2026, 7, 1, 14, 10, tzinfo=dt.UTC)
    assert _entry_hash(GENESIS, aware, "Sam Example", "open", None, None, "") == \
        _entry_hash(GENESIS, dt.datetime(2026, 7, 1, 14, 10), "Sam Example", "open", None,
                    None, "")


# --- the JSON form and the CSV export -------------------------------------------------


def test_an_entry_as_json_has_every_field_by_name() -> None:
    entry = AuditEntry(4, dt.datetime(2026, 11, 22, 14, 10), "Sam Example", "export",
                       "rec1", "per1", "version 1")
    assert json.loads(json_text(entry)) == {
        "id": 4, "at": "2026-11-22T14:10:00", "actor": "Sam Example", "action": "export",
        "record_id": "rec1", "person_id": "per1", "detail": "version 1"}


def test_the_csv_export_oldest_first_with_every_hash(
    vault: Vault, frozen: None, tmp_path: Path
) -> None:
    with vault.transaction() as session:
        session.get_one(Setting, OWNER_NAME).value = WELSH
    events = _three(vault)
    out = tmp_path / "log.csv"
    assert audit.export_csv(vault, out) == 3
    when = "2026-11-22T14:10:00"
    assert out.read_bytes().decode("utf-8") == (
        "id,at_utc,actor,action,record_id,person_id,detail,hash\r\n"
        f"1,{when},{WELSH},open,{'a' * 32},{'p' * 32},,{events[0].hash}\r\n"
        f"2,{when},{WELSH},backup,,,3 records,{events[1].hash}\r\n"
        f"3,{when},{WELSH},export,{'b' * 32},,version 1,{events[2].hash}\r\n"
    )


def test_the_csv_export_of_one_record(vault: Vault, frozen: None, tmp_path: Path) -> None:
    events = _three(vault)
    out = tmp_path / "record.csv"
    assert audit.export_csv(vault, out, record_id="b" * 32) == 1
    assert out.read_text(encoding="utf-8").splitlines() == [
        "id,at_utc,actor,action,record_id,person_id,detail,hash",
        f"3,2026-11-22T14:10:00,{OWNER},export,{'b' * 32},,version 1,{events[2].hash}",
    ]


def test_the_csv_export_is_utf8_whatever_the_locale(vault: Vault, tmp_path: Path) -> None:
    with vault.transaction() as session:
        session.get_one(Setting, OWNER_NAME).value = WELSH
    audit.log(vault, "backup")
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")  # an ASCII locale
    try:
        audit.export_csv(vault, tmp_path / "log.csv")
    finally:
        locale.setlocale(locale.LC_CTYPE, before)
    assert f",{WELSH},backup," in (tmp_path / "log.csv").read_bytes().decode("utf-8")
