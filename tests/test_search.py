"""Full-text search: finds a word deep in an old record, keeps up with edits, and leaves
nothing readable on disk."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from supervision_desktop.cli import run
from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import lifecycle, people, records, search
from supervision_desktop.services.templates import get_template
from supervision_desktop.store.engine import BUSY_TIMEOUT_MS
from supervision_desktop.store.models import Record
from supervision_desktop.store.vault import Vault
from tests.conftest import ODD_TEXT, PASSPHRASE, files_containing
from tests.sample_values import fill_every_field

CASE = get_template("case-discussion-family")
FILLER = "The family were seen at home and the plan was reviewed with them. " * 1500  # ~100 KB
HIDDEN = "Quetzalcoatlus"  # a word nobody writes by accident


@pytest.fixture
def child(vault: Vault) -> str:
    return people.add_person(vault, "child", {"name": "Kai Example", "plan": "child_in_need"}).id


def _fields(summary: str) -> dict[str, object]:
    """A complete case discussion (so it can be finalised) with this case summary."""
    return {**fill_every_field(CASE, "Words"), "case_summary": summary}


def _case(vault: Vault, child: str, day: str, summary: str) -> str:
    return records.create_record(vault, CASE, subject_id=child, session_date=day,
                                 fields=_fields(summary))


def test_finds_a_word_deep_in_a_long_field_of_an_old_record_and_nothing_is_on_disk(
    vault: Vault, vault_folder: Path, child: str
) -> None:
    old = _case(vault, child, "2019-03-04",
                FILLER[:50_000] + f" Kai drew a {HIDDEN} at school. " + FILLER[50_000:])
    for month in range(1, 13):
        _case(vault, child, f"2026-{month:02d}-10", f"Monthly discussion {month}. " + FILLER[:2000])

    hits = search.search(vault, HIDDEN.lower())
    assert [h.record_id for h in hits] == [old]
    assert f"[{HIDDEN}]" in hits[0].snippet
    assert len(hits[0].snippet) < 400  # a passage, not the whole field
    assert (hits[0].subject_name, hits[0].template_title) == ("Kai Example", CASE.title)
    assert files_containing(vault_folder, HIDDEN) == []
    assert files_containing(vault_folder, "Kai drew a") == []
    vault.engine.dispose()  # connections closed, WAL checkpointed: still nothing
    assert files_containing(vault_folder, HIDDEN) == []


def test_the_index_follows_saves_finalising_and_amendments(vault: Vault, child: str) -> None:
    record = _case(vault, child, "2026-11-20", "Worried about school attendance.")
    assert len(search.search(vault, "attendance")) == 1
    records.save_draft(vault, record, _fields("Worried about dental care."))
    assert search.search(vault, "attendance") == []
    assert [h.record_id for h in search.search(vault, "dental")] == [record]
    assert search.search(vault, "dental")[0].status.value == "draft"
    lifecycle.finalise(vault, record)
    assert search.search(vault, "dental")[0].status.value == "finalised"
    lifecycle.amend(vault, record, "Corrected the concern")
    records.save_draft(vault, record, _fields("Worried about eyesight."))
    assert search.search(vault, "dental") == []
    assert [h.record_id for h in search.search(vault, "eyesight")] == [record]


def test_every_word_must_match_and_words_match_from_their_start(vault: Vault, child: str) -> None:
    both = _case(vault, child, "2026-10-01", "Grandmother offered respite at weekends.")
    _case(vault, child, "2026-10-02", "Grandmother unwell this month.")
    assert [h.record_id for h in search.search(vault, "grandmother respite")] == [both]
    assert len(search.search(vault, "grand")) == 2
    assert len(search.search(vault, "GRANDMOTHER")) == 2
    assert len(search.search(vault, "Kai")) == 2  # the subject's name is searchable


def test_odd_text_is_searchable_and_never_breaks_the_query(vault: Vault, child: str) -> None:
    record = _case(vault, child, "2026-10-01", ODD_TEXT)
    for typed in ("Dŵr", "dwr", "Łódź", "مرحبا", "你好世界", "DROP TABLE records"):
        assert [h.record_id for h in search.search(vault, typed)] == [record], typed
    for hostile in ('" OR *', "NEAR(a b)", "records; --", "body:x", "a AND NOT b"):
        search.search(vault, hostile)  # taken as plain words, never as query syntax
    for nothing in (' "* ', "'))", ""):
        with pytest.raises(InvalidInput, match="at least one word"):
            search.search(vault, nothing)


def test_a_few_matches_are_counted_and_ranked_best_match_first(
    vault: Vault, child: str
) -> None:
    _case(vault, child, "2026-09-01", FILLER[:6000] + " Respite was mentioned once.")
    best = _case(vault, child, "2026-08-01", "Respite: respite care with respite carers.")
    _case(vault, child, "2026-10-01", "Nothing about breaks this month.")

    hits = search.search(vault, "respite", limit=1)
    assert [h.record_id for h in hits] == [best]
    assert (hits.matched, hits.newest_first) == (2, False)
    assert hits.summary("respite") == "2 records contain “respite”: showing the best 1."
    everything = search.search(vault, "respite")
    assert everything.summary("respite") == "2 records contain “respite”, best match first."
    assert search.search(vault, "orthodontist").summary("orthodontist") == (
        "No records contain “orthodontist”.")


def test_when_too_many_match_to_rank_the_newest_are_shown_and_the_results_say_so(
    vault: Vault, child: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = [_case(vault, child, f"2026-{month:02d}-10", f"Respite weekend {month}.")
               for month in range(1, 7)]
    monkeypatch.setattr(search, "RANKED_AT_MOST", 4)

    hits = search.search(vault, "respite weekend", limit=3)
    assert [h.record_id for h in hits] == written[:2:-1]  # the three newest, newest first
    assert [h.session_date.month for h in hits if h.session_date] == [6, 5, 4]
    assert all("[Respite] [weekend]" in h.snippet for h in hits)
    assert (hits.matched, hits.newest_first) == (None, True)
    assert hits.summary("respite weekend") == (
        "More than 4 records contain “respite weekend”: showing the 3 added most recently, "
        "newest first. Add a word to narrow the search.")
    # asking for as many as match ranks them all again
    assert search.search(vault, "respite weekend", limit=6).matched == 6
    assert search.search(vault, "respite weekend 3")[0].record_id == written[2]


def test_records_indexed_late_take_their_place_by_session_date(
    vault: Vault, child: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records the index missed (written before it existed, or imported) are indexed
    oldest first, so "newest first" follows their session dates."""
    march = _case(vault, child, "2026-03-10", "Contact with birth family.")
    _case(vault, child, "2024-01-10", "Contact with birth family.")
    june = _case(vault, child, "2025-06-10", "Contact with birth family.")
    with vault.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM search_entries")
    monkeypatch.setattr(search, "RANKED_AT_MOST", 1)
    hits = search.search(vault, "birth family", limit=2)
    assert [h.record_id for h in hits] == [march, june]
    assert hits.newest_first


def test_records_the_index_missed_are_indexed_before_searching(vault: Vault, child: str) -> None:
    record = _case(vault, child, "2026-10-01", "Meeting with the virtual school head.")
    with vault.engine.begin() as connection:  # as if written before the index existed
        connection.exec_driver_sql("DELETE FROM search_entries")
    assert [h.record_id for h in search.search(vault, "virtual school")] == [record]


def test_records_written_behind_the_index_after_a_search_are_still_found(
    vault: Vault, child: str
) -> None:
    first = _case(vault, child, "2026-10-01", "Meeting with the virtual school head.")
    assert [h.record_id for h in search.search(vault, "virtual school")] == [first]
    second = _case(vault, child, "2026-10-08", "Virtual school head joined the review.")
    with vault.engine.begin() as connection:  # an import that did not index what it wrote
        connection.exec_driver_sql("DELETE FROM search_entries")
    found = {h.record_id for h in search.search(vault, "virtual school")}
    assert found == {first, second}


def test_a_record_another_connection_wrote_behind_the_index_is_found(
    vault: Vault, child: str
) -> None:
    """Searches run off the GUI thread on their own connection while other work commits
    on another: what that other connection wrote is caught up before searching."""
    first = _case(vault, child, "2026-10-01", "Meeting with the virtual school head.")
    second = _case(vault, child, "2026-10-08", "Virtual school head joined the review.")
    with vault.engine.connect() as other:  # held, so searches use a different connection
        assert len(search.search(vault, "virtual school")) == 2
        other.exec_driver_sql("DELETE FROM search_entries WHERE record_id = :id",
                              {"id": second})  # as an import that did not index it
        other.commit()
        found = {h.record_id for h in search.search(vault, "virtual school")}
    assert found == {first, second}


def test_every_autosave_while_typing_is_what_the_next_search_sees(
    vault: Vault, child: str
) -> None:
    record = _case(vault, child, "2026-11-20", "Notes")
    typed = "Notes"
    for word in ("about", "the", "orthodontist", "appointment"):
        typed += f" {word}"
        records.save_draft(vault, record, _fields(typed))  # autosaves, same second
    assert [h.record_id for h in search.search(vault, "orthodontist appointment")] == [record]
    records.save_draft(vault, record, _fields("Notes about the optician"))
    assert search.search(vault, "orthodontist") == []
    hits = search.search(vault, "optician")
    assert [h.record_id for h in hits] == [record]
    assert "[optician]" in hits[0].snippet


def test_an_autosave_succeeds_at_once_while_a_long_search_is_reading(
    vault: Vault, child: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A case summary that repeats the searched words thousands of times makes FTS5's
    snippet slow for real (seconds); an autosave of another draft, the call the form
    makes, goes through meanwhile instead of waiting for the search or failing with
    "database is locked"."""
    long_one = _case(vault, child, "2026-09-01",
                     f"{HIDDEN} family were seen at home and the plan was reviewed. " * 4000)
    draft = _case(vault, child, "2026-11-20", "Notes")
    reading = threading.Event()

    @event.listens_for(vault.engine, "before_cursor_execute")
    def _seen(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if "snippet(" in statement:  # the search's slow part is starting
            reading.set()

    found: dict[str, Any] = {}

    def run() -> None:
        started = time.perf_counter()
        found["hits"] = search.search(vault, f"{HIDDEN} plan")
        found["seconds"] = time.perf_counter() - started

    searching = threading.Thread(target=run)
    searching.start()
    assert reading.wait(60)
    started = time.perf_counter()
    records.save_draft(vault, draft, _fields("Notes about the dentist"))
    autosave = time.perf_counter() - started
    search_still_running = searching.is_alive()
    searching.join(120)
    with capsys.disabled():
        print(f"\n  search {found['seconds']:.2f} s; autosave during it {autosave * 1000:.0f} ms "
              f"(busy timeout {BUSY_TIMEOUT_MS} ms)")
    assert search_still_running  # the autosave really happened during the search
    assert autosave < BUSY_TIMEOUT_MS / 1000 / 5
    assert [h.record_id for h in found["hits"]] == [long_one]
    assert [h.record_id for h in search.search(vault, "dentist")] == [draft]


def test_an_autosave_just_before_the_search_reads_is_caught_up_not_shown_stale(
    vault: Vault, child: str
) -> None:
    """The index is caught up, then the search reads in a snapshot of its own: text an
    autosave removed in between is never found (the search sees it stale and catches
    up again)."""
    record = _case(vault, child, "2026-11-20", "Notes about the orthodontist")
    assert [h.record_id for h in search.search(vault, "orthodontist")] == [record]
    saved = threading.Event()

    @event.listens_for(vault.engine, "before_cursor_execute")
    def _autosave(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if statement.startswith("SELECT total_changes()") and not saved.is_set():
            saved.set()  # the search's read has begun, before its snapshot is taken
            records.save_draft(vault, record, _fields("Notes about the optician"))

    assert search.search(vault, "orthodontist") == []
    assert saved.is_set()
    assert [h.record_id for h in search.search(vault, "optician")] == [record]


def test_a_search_reads_without_the_write_lock_and_cannot_write(vault: Vault) -> None:
    with vault.read() as session, pytest.raises(OperationalError, match="readonly database"):
        session.execute(text("DELETE FROM search_entries"))
    with vault.read() as reading, vault.transaction() as writing:  # both at once
        assert reading.scalar(text("SELECT count(*) FROM records")) == 0
        writing.execute(text("DELETE FROM search_entries"))


def test_a_deleted_record_leaves_the_index(vault: Vault, child: str) -> None:
    record = _case(vault, child, "2026-10-01", "Housing referral made.")
    assert search.search(vault, "housing")
    with vault.transaction() as session:
        session.delete(session.get_one(Record, record))
    assert search.search(vault, "housing") == []
    with vault.engine.connect() as connection:
        left = connection.exec_driver_sql("SELECT count(*) FROM record_search").scalar()
    assert left == 0


def test_search_from_the_command_line(
    vault_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    vault = ["--vault", str(vault_folder)]
    person = tmp_path / "child.json"
    person.write_text(json.dumps({"name": "Kai Example"}))
    assert run(["person", "add", "--kind", "child", "--data", str(person), *vault]) == 0
    child = capsys.readouterr().out.strip()
    data = tmp_path / "record.json"
    data.write_text(json.dumps({"subject": child, "date": "2026-11-20",
                                "fields": {"case_summary": f"Kai likes {HIDDEN} models."}}))
    assert run(["record", "create", "--template", CASE.id, "--data", str(data), *vault]) == 0
    record = capsys.readouterr().out.strip()

    assert run(["search", HIDDEN, "--json", *vault]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [(h["record_id"], h["subject"], h["date"]) for h in hits] == [
        (record, "Kai Example", "2026-11-20")]
    assert f"[{HIDDEN}]" in hits[0]["snippet"]
    assert run(["search", HIDDEN, *vault]) == 0
    out = capsys.readouterr().out
    assert "20/11/2026" in out and f"[{HIDDEN}]" in out
    assert out.startswith(f"1 record contains “{HIDDEN}”.")
    assert run(["search", "nothing-like-this-anywhere", *vault]) == 0
    assert "No records contain" in capsys.readouterr().out
