"""The drafts list: every unfinished record with the required fields still empty (in
form order) and its age; `record list --drafts --json` says the same."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import time_machine

from supervision_desktop.cli import run
from supervision_desktop.services import drafts, lifecycle, people, records
from supervision_desktop.services.templates import get_template
from supervision_desktop.store import vault as vaults
from tests.conftest import PASSPHRASE
from tests.sample_values import fill_every_field, held_session


def test_each_draft_with_what_is_missing_and_its_age(
    vault_folder: Path, data_key: bytes, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    template = get_template("professional-supervision")
    with vaults.open_with_key(vault_folder, data_key) as vault:
        worker = people.add_person(vault, "supervisee", {"name": "Amara Okafor"}).id
        with time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC), tick=False):
            empty = records.create_record(vault, template, subject_id=worker,
                                          session_date="2026-11-02")
        with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False):
            nearly = records.create_record(vault, template, subject_id=worker,
                                           session_date="2026-11-20",
                                           fields=fill_every_field(template, "Discussed"))
            amended = held_session(vault, "professional-supervision", worker,
                                   dt.date(2026, 11, 19))
            lifecycle.amend(vault, amended, "Corrected the duration")
        found = drafts.list_drafts(vault, today=dt.date(2026, 11, 25))
    # the supervisee, supervisor and date were filled in from the vault when it was made
    everything = ("Signed (Supervisee)", "Signed (Supervisor)")
    assert {d.record.id: (d.missing, d.started_on, d.age_days) for d in found} == {
        empty: (everything, dt.date(2026, 11, 2), 23),
        nearly: ((), dt.date(2026, 11, 20), 5),
        amended: ((), dt.date(2026, 11, 20), 5),  # the amendment, begun on 20/11
    }
    assert found[0].record.id == empty  # oldest begun first

    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    assert run(["record", "list", "--drafts", "--json", "--vault", str(vault_folder)]) == 0
    listed = {d["id"]: d for d in json.loads(capsys.readouterr().out)}
    assert set(listed) == {empty, nearly, amended}
    assert listed[empty]["missing_required"] == ["Signed (Supervisee)", "Signed (Supervisor)"]
    assert listed[empty]["can_finalise"] is False and listed[nearly]["can_finalise"] is True
    assert listed[empty]["started_on"] == "2026-11-02"
    assert run(["record", "list", "--drafts", "--vault", str(vault_folder)]) == 0
    table = capsys.readouterr().out
    assert "Signed (Supervisee), Signed (Supervisor)" in table
    assert "nothing: ready to finalise" in table


# --- what autosave keeps: the shape and size of the values, never completeness ------------


def test_an_autosave_of_the_wrong_shape_is_refused_and_the_draft_kept(
    vault_folder: Path, data_key: bytes,
) -> None:
    """save_draft checks what it stores as create does: a number where text goes, a date
    as typed rather than kept, a field the form does not have. The draft keeps what it
    held, and the message names each problem."""
    template = get_template("professional-supervision")
    with vaults.open_with_key(vault_folder, data_key) as vault:
        record_id = records.create_record(vault, template, session_date="2026-11-20",
                                          fields={"check_in": "Feeling settled"})
        for bad, named in (
            ({"check_in": 42}, "check_in"),
            ({"supervision_date": "20/11/2026"}, "'20/11/2026' is not a date written 2026-11-22"),
            ({"no_such_box": "text"}, "no_such_box: no such field in professional-supervision"),
        ):
            with pytest.raises(records.InvalidInput, match="not valid") as refused:
                records.save_draft(vault, record_id, bad)
            assert named in str(refused.value)
        assert records.get_record(vault, record_id).fields["check_in"] == "Feeling settled"
        records.save_draft(vault, record_id, {"check_in": ""})  # half written is fine
        assert records.get_record(vault, record_id).fields["check_in"] == ""


def test_an_autosave_too_large_to_transfer_later_is_refused_whole(
    vault_folder: Path, data_key: bytes,
) -> None:
    """A 100 KB paste is kept; a draft over the 16 MB every reader of a bundle or import
    accepts is refused with a clear message, never stored half way."""
    template = get_template("professional-supervision")
    paste = "Ŵ & <b>ملاحظة</b> 😀 " * 5_000  # ~100 KB of Welsh, markup, Arabic and emoji
    with vaults.open_with_key(vault_folder, data_key) as vault:
        record_id = records.create_record(vault, template, session_date="2026-11-20")
        records.save_draft(vault, record_id, {"check_in": paste})
        assert records.get_record(vault, record_id).fields["check_in"] == paste
        with pytest.raises(records.InvalidInput, match=r"too large to keep: 16\.2 MB"):
            records.save_draft(vault, record_id, {"check_in": "x" * 17_000_000})
        assert records.get_record(vault, record_id).fields["check_in"] == paste
