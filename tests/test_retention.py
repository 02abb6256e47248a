"""Retention: the rules as data, end dates, the review, and disposal that leaves nothing of
the record in the vault file (checked by decrypting every page with the key)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from supervision_desktop.cli import run
from supervision_desktop.cli.common import json_text
from supervision_desktop.domain.retention import (
    PersonFacts,
    RecordFacts,
    RetentionError,
    due_for_disposal,
    load_rules,
    parse_rules,
)
from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import audit, lifecycle, people, records, retention
from supervision_desktop.services.templates import get_template
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.models import SignedDocument
from supervision_desktop.store.vault import Vault
from tests.conftest import PASSPHRASE
from tests.sample_values import fill_every_field

SHIPPED = Path(__file__).resolve().parent.parent / "resources" / "retention" / "default.yaml"
LEFT_ON = dt.date(2020, 3, 31)
DUE_ON = dt.date(2026, 3, 31)  # Kent §12.2: "no less than 6 years after an employee has left"
GONE_WORD = "Quokkafirefly"  # only in the record to be disposed of
KEPT_WORD = "Wombatlantern"  # only in the record that stays

# --- a SQLCipher 4 page decryptor (defaults, raw key) --------------------------------

PAGE = 4096
RESERVE = 80  # 16-byte IV, then a 64-byte HMAC-SHA512
SALT = 16


def _decrypt_page(page: bytes, number: int, key: bytes) -> bytes:
    """One page in clear: AES-256-CBC over the page minus the reserve; page 1 keeps its
    16-byte salt in front of the ciphertext."""
    start = SALT if number == 1 else 0
    iv = page[PAGE - RESERVE:PAGE - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start:PAGE - RESERVE]) + decryptor.finalize()


def _database_pages(path: Path, key: bytes) -> Iterator[bytes]:
    data = path.read_bytes()
    for offset in range(0, len(data) - PAGE + 1, PAGE):
        yield _decrypt_page(data[offset:offset + PAGE], offset // PAGE + 1, key)


def _wal_pages(path: Path, key: bytes) -> Iterator[bytes]:
    """Every frame of a -wal file: 32-byte header, then 24-byte frame header + page."""
    if not path.exists():
        return
    data = path.read_bytes()
    offset = 32
    while offset + 24 + PAGE <= len(data):
        number = int.from_bytes(data[offset:offset + 4], "big")
        yield _decrypt_page(data[offset + 24:offset + 24 + PAGE], number, key)
        offset += 24 + PAGE


def plaintext_of(folder: Path, key: bytes) -> bytes:
    """Every page of the vault's database and write-ahead log, decrypted, lower-cased."""
    database = folder / "vault.db"
    pages = [*_database_pages(database, key), *_wal_pages(folder / "vault.db-wal", key)]
    return b"".join(pages).lower()


# --- the rules -----------------------------------------------------------------------


def test_shipped_rules_load_and_every_rule_cites_its_source() -> None:
    rules = load_rules(SHIPPED)
    staff = rules.rule_for("supervision", "supervisee")
    assert staff is not None and staff.keep is not None and staff.keep.years == 6
    assert "004 §12.2 line 322" in staff.ref
    # the seeds are silent on carers' and children's records: no invented period
    for kind in ("carer", "child"):
        rule = rules.rule_for("supervision" if kind == "carer" else "case_discussion", kind)
        assert rule is not None and rule.keep is None and rule.ref.startswith("none")
    assert all(rule.ref for rule in rules.rules)


def test_a_bad_rules_file_names_the_rule_and_the_problem(tmp_path: Path) -> None:
    with pytest.raises(RetentionError) as caught:
        parse_rules({"id": "ours", "title": "Ours", "rules": [
            {"id": "staff", "title": "Staff", "keep": {"years": 0}, "ref": "x"},
            {"id": "staff", "title": "Again", "keep": None, "ref": "y", "colour": "red"},
        ]}, tmp_path / "ours.yaml")
    message = str(caught.value)
    assert "ours.yaml" in message and "rules[1] 'staff' > keep" in message
    assert "colour" in message


def test_a_worker_who_left_on_31_03_2020_is_due_on_31_03_2026_and_a_current_one_never() -> None:
    rules = load_rules(SHIPPED)
    people_facts = [PersonFacts("left", "supervisee", LEFT_ON),
                    PersonFacts("here", "supervisee", None)]
    held = [RecordFacts("r-left", "supervision", "supervisee", "left", dt.date(2019, 5, 2)),
            RecordFacts("r-here", "supervision", "supervisee", "here", dt.date(2019, 5, 2))]
    assert due_for_disposal(rules, people_facts, held, DUE_ON - dt.timedelta(days=1)) == []
    [due] = due_for_disposal(rules, people_facts, held, DUE_ON)
    assert (due.record_id, due.due_on) == ("r-left", DUE_ON)
    assert "31/03/2020" in due.why
    assert due_for_disposal(rules, people_facts, held, dt.date(2090, 1, 1))[0].record_id == "r-left"
    assert len(due_for_disposal(rules, people_facts, held, dt.date(2090, 1, 1))) == 1


# --- the vault -----------------------------------------------------------------------


def _supervisee(vault: Vault, name: str) -> str:
    return people.add_person(vault, "supervisee", {"name": name}).id


def _finalised_record(vault: Vault, subject_id: str, word: str) -> str:
    template = get_template("personal-supervision")
    fields = fill_every_field(template, f"{word} said this", long_text=f"{word} wrote more")
    record_id = records.create_record(vault, template, subject_id=subject_id,
                                      session_date="2019-05-02", fields=fields)
    lifecycle.finalise(vault, record_id)
    return record_id


@pytest.fixture
def two_workers(vault: Vault) -> tuple[str, str, str, str]:
    """A worker who left on 31/03/2020 and one still here, each with a finalised record
    (with tracked actions) and a signed PDF of it held in the vault."""
    left = _supervisee(vault, "Rowan Leftwell")
    here = _supervisee(vault, "Avery Staywell")
    people.set_end(vault, left, LEFT_ON, "Left the team")
    gone = _finalised_record(vault, left, GONE_WORD)
    kept = _finalised_record(vault, here, KEPT_WORD)
    with vault.transaction() as session:
        for record_id, word in ((gone, GONE_WORD), (kept, KEPT_WORD)):
            session.add(SignedDocument(
                id=record_id[:31] + "s", direction="exported", kind="record",
                record_id=record_id, file_name="record.pdf", sha256="0" * 64,
                data=f"%PDF-1.7 {word} signed copy".encode(), verdict="genuine",
                claimed_record_id=record_id))
    return left, here, gone, kept


def test_review_lists_the_leavers_record_from_the_day_it_falls_due(
    vault: Vault, two_workers: tuple[str, str, str, str]
) -> None:
    left, _here, gone, _kept = two_workers
    assert retention.review(vault, DUE_ON - dt.timedelta(days=1)) == []
    [due] = retention.review(vault, DUE_ON)
    assert (due.record_id, due.subject_id, due.subject_name) == (gone, left, "Rowan Leftwell")
    assert (due.rule_id, due.due_on, due.session_date) == (
        "staff-supervision", DUE_ON, dt.date(2019, 5, 2))
    assert due.template_title == get_template("personal-supervision").title


def test_disposal_needs_confirmation_and_a_due_record(
    vault: Vault, two_workers: tuple[str, str, str, str]
) -> None:
    _left, _here, gone, kept = two_workers
    with pytest.raises(InvalidInput, match="confirm"):
        retention.dispose(vault, [gone], confirmed=False, today=DUE_ON)
    with pytest.raises(InvalidInput, match="not due"):
        retention.dispose(vault, [gone, kept], confirmed=True, today=DUE_ON)
    assert records.get_record(vault, gone).summary.id == gone  # nothing was destroyed
    assert retention.disposals(vault) == []


def test_disposed_record_is_nowhere_in_the_decrypted_vault_file(
    vault: Vault, vault_folder: Path, data_key: bytes, two_workers: tuple[str, str, str, str]
) -> None:
    left, here, gone, kept = two_workers
    before = plaintext_of(vault_folder, data_key)
    # the decryptor works: both records' words are in the pages, in clear
    assert GONE_WORD.lower().encode() in before and KEPT_WORD.lower().encode() in before
    raw = (vault_folder / "vault.db").read_bytes()
    assert KEPT_WORD.encode() not in raw and b"Rowan Leftwell" not in raw  # encrypted on disk
    assert b"rowan leftwell" in before

    outcome = retention.dispose(vault, [gone], confirmed=True, today=DUE_ON)

    [report] = outcome.disposed
    assert (report.record_id, report.subject_id, report.rule_id) == (gone, left,
                                                                      "staff-supervision")
    assert report.versions == 1 and report.due_since == DUE_ON
    assert outcome.people_without_records == ((left, "Rowan Leftwell", "supervisee"),)
    after = plaintext_of(vault_folder, data_key)
    assert KEPT_WORD.lower().encode() in after  # still readable: the pages were decrypted
    assert GONE_WORD.lower().encode() not in after
    # the vault still works, still encrypted and keyed, the other record whole
    assert not (vault_folder / "vault.db").read_bytes().startswith(b"SQLite format 3")
    assert [r.id for r in records.list_records(vault)] == [kept]
    assert lifecycle.check_chain(vault, kept).intact
    with pytest.raises(Exception, match="no record"):
        records.get_record(vault, gone)
    # the report and the audit log say what happened, without content or names
    [listed] = retention.disposals(vault)
    assert listed.record_id == gone and "6 years" in listed.rule_text
    assert "Rowan" not in json_text(listed)
    disposal_entries = [e for e in audit.entries(vault) if e.action == "disposal"]
    assert [e.record_id for e in disposal_entries] == [gone]
    assert audit.check_log(vault).ok
    # removing the person who has no records left takes their name out of the file too
    people.remove_person(vault, left)
    vault.close()
    reopened = vaults.open_with_key(vault_folder, data_key)
    try:
        assert [p.id for p in people.list_people(reopened)] == [here]
        assert audit.check_log(reopened).ok
    finally:
        reopened.close()
    final = plaintext_of(vault_folder, data_key)
    assert b"rowan leftwell" not in final and GONE_WORD.lower().encode() not in final
    assert KEPT_WORD.lower().encode() in final


def test_a_person_with_records_cannot_be_removed(
    vault: Vault, two_workers: tuple[str, str, str, str]
) -> None:
    left = two_workers[0]
    with pytest.raises(InvalidInput, match="1 record"):
        people.remove_person(vault, left)


def test_end_date_set_and_cleared_keeps_details_and_column_equal(vault: Vault) -> None:
    person_id = _supervisee(vault, "Jude Example")
    ended = people.set_end(vault, person_id, LEFT_ON, "Left the team")
    assert (ended.ended_on, ended.end_reason, ended.details["end_date"]) == (
        LEFT_ON, "Left the team", "2020-03-31")
    with pytest.raises(InvalidInput, match="why"):
        people.set_end(vault, person_id, LEFT_ON, "  ")
    cleared = people.set_end(vault, person_id, None)
    assert (cleared.ended_on, cleared.end_reason, cleared.details["end_date"]) == (None, "", None)
    # the person form writes the end date as a detail: the column follows it
    edited = people.update_person(vault, person_id, {"name": "Jude Example",
                                                     "end_date": "2021-07-30"},
                                  end_reason="Retired")
    assert (edited.ended_on, edited.end_reason) == (dt.date(2021, 7, 30), "Retired")


def test_custom_rules_kept_in_the_vault_change_what_is_due(
    vault: Vault, tmp_path: Path
) -> None:
    carer = people.add_person(vault, "carer", {"name": "The Testwood household"}).id
    people.set_end(vault, carer, dt.date(2015, 1, 10), "Approval ended")
    template = get_template("foster-carer-supervision")
    record_id = records.create_record(vault, template, subject_id=carer,
                                      session_date="2014-06-01")
    assert retention.review(vault, dt.date(2030, 1, 1)) == []  # no period set by default
    ours = tmp_path / "ours.yaml"
    ours.write_text(
        "id: ours\ntitle: Our schedule\nrules:\n"
        "  - id: carers\n    title: Carer records\n    applies_to: {subject_kinds: [carer]}\n"
        "    keep: {years: 10}\n    after: subject_ended\n    ref: Our policy 4.2\n",
        encoding="utf-8")
    retention.set_rules_file(vault, ours)
    ours.unlink()  # the vault keeps its own copy
    [due] = retention.review(vault, dt.date(2030, 1, 1))
    assert (due.record_id, due.rule_id, due.due_on) == (record_id, "carers", dt.date(2025, 1, 10))
    retention.reset_rules(vault)
    assert retention.review(vault, dt.date(2030, 1, 1)) == []


# --- the command line ----------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_end_review_dispose_and_report(
    vault_folder: Path, data_key: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    with vaults.open_with_key(vault_folder, data_key) as opened:
        left = _supervisee(opened, "Rowan Leftwell")
        gone = _finalised_record(opened, left, GONE_WORD)
    at = ["--vault", str(vault_folder)]
    status, out, err = _cli(capsys, "person", "end", left, "--on", "31/03/2020",
                            "--reason", "Left the team", *at)
    assert status == 0, err
    assert "31/03/2020" in out
    status, out, _ = _cli(capsys, "retention", "review", "--as-of", "31/03/2026", "--json", *at)
    assert [d["record_id"] for d in json.loads(out)] == [gone]
    status, _, err = _cli(capsys, "retention", "dispose", gone, *at)
    assert status == 1 and "--confirm" in err and "Nothing was destroyed" in err
    status, out, err = _cli(capsys, "retention", "dispose", "--all-due", "--confirm",
                            "--as-of", "31/03/2026", *at)
    assert status == 0, err
    assert gone in out and f"person remove {left}" in out
    report = tmp_path / "report.csv"
    status, out, err = _cli(capsys, "retention", "report", "--csv", str(report), *at)
    assert status == 0, err
    text = report.read_text(encoding="utf-8")
    assert gone in text and "staff-supervision" in text and "Rowan" not in text
    pdf = tmp_path / "report.pdf"
    status, _, err = _cli(capsys, "retention", "report", "--pdf", str(pdf), *at)
    assert status == 0, err
    assert pdf.read_bytes().startswith(b"%PDF")
    status, out, err = _cli(capsys, "person", "remove", left, "--confirm", *at)
    assert status == 0, err
    status, out, _ = _cli(capsys, "person", "list", "--json", *at)
    assert json.loads(out) == []
