"""Tracked actions: January's actions reappear in February's record and must be settled
before February can be finalised."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from supervision_desktop.cli import run
from supervision_desktop.domain.actions import column_roles, extract_actions
from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import actions, compliance, lifecycle, people, records
from supervision_desktop.services.templates import catalogue, get_template
from supervision_desktop.store.vault import Vault
from tests.conftest import PASSPHRASE
from tests.sample_values import fill_every_field

STAFF = get_template("staff-supervision-social-worker")


def test_every_shipped_action_table_has_an_owner_and_a_due_date_column() -> None:
    tables = [(t.id, f) for t in catalogue().templates for f in t.fields() if f.role == "actions"]
    assert len(tables) >= 8
    for template_id, table in tables:
        roles = column_roles(table)
        assert roles.owner is not None, f"{template_id}.{table.id}: whose action?"
        assert roles.due is not None, f"{template_id}.{table.id}: by when?"


def test_rows_become_actions_with_owner_and_due_date() -> None:
    case = get_template("case-discussion-family")  # "Which person will lead on this" / "done by"
    found = extract_actions(case, {"actions": [
        {"action": "Arrange a family network meeting", "lead_person": "Dana Reid",
         "done_by": "2026-02-13", "success_measure": "Grandparents attend"},
        {"action": "  ", "lead_person": "Nobody"},  # an empty row is not an action
    ]})
    assert [(a.text, a.owner, a.due, a.row["success_measure"]) for a in found] == [
        ("Arrange a family network meeting", "Dana Reid", dt.date(2026, 2, 13),
         "Grandparents attend")]


def _staff_record(vault: Vault, person_id: str, day: str, agreed: list[dict[str, Any]]) -> str:
    fields = fill_every_field(STAFF, "Words")
    del fields["last_actions"]  # left for the carried actions
    fields["agreed_actions"] = agreed
    return records.create_record(vault, STAFF, subject_id=person_id, session_date=day,
                                 fields=fields)


@pytest.fixture
def january(vault: Vault) -> tuple[str, str]:
    worker = people.add_person(vault, "supervisee", {"name": "Ffion Hughes"})
    record = _staff_record(vault, worker.id, "2026-01-15", [
        {"action": "Book the ASYE mid-point review", "owner": "Ffion Hughes", "due": "2026-02-06"},
        {"action": "Update the chronology for the Example family", "owner": "Ffion Hughes",
         "due": "2026-01-30"},
        {"action": "Find a shadowing opportunity at the CDT", "owner": "Team manager"},
    ])
    lifecycle.finalise(vault, record)
    return worker.id, record


def test_january_actions_are_carried_into_february_and_block_finalising(
    vault: Vault, january: tuple[str, str]
) -> None:
    worker, _ = january
    tracked = actions.list_actions(vault, subject_id=worker)
    assert [(a.text, a.due_on) for a in tracked][:2] == [
        ("Update the chronology for the Example family", dt.date(2026, 1, 30)),
        ("Book the ASYE mid-point review", dt.date(2026, 2, 6)),
    ]
    overdue = compliance.due_report(vault, dt.date(2026, 2, 10)).overdue_actions
    assert {a.text for a in overdue} == {"Update the chronology for the Example family",
                                         "Book the ASYE mid-point review"}

    february = _staff_record(vault, worker, "2026-02-12", [])
    review = records.get_record(vault, february).fields["last_actions"]
    assert [row["action"] for row in review] == [
        "Book the ASYE mid-point review", "Update the chronology for the Example family",
        "Find a shadowing opportunity at the CDT"]

    with pytest.raises(InvalidInput) as refused:
        lifecycle.finalise(vault, february)
    message = str(refused.value)
    assert "3 action(s) carried from the last record" in message
    assert "“Book the ASYE mid-point review”" in message
    assert records.get_record(vault, february).summary.status.value == "draft"

    by_text = {c.action.text: c.action.id for c in actions.carried_actions(vault, february)}
    actions.resolve_carried_action(vault, february, by_text["Book the ASYE mid-point review"],
                                   "done")
    with pytest.raises(InvalidInput, match="why the action is being dropped"):
        actions.resolve_carried_action(
            vault, february, by_text["Update the chronology for the Example family"], "dropped")
    actions.resolve_carried_action(
        vault, february, by_text["Update the chronology for the Example family"], "dropped",
        "Case closed on 2 February")
    with pytest.raises(InvalidInput, match=r"1 action\(s\) carried from the last record"):
        lifecycle.finalise(vault, february)  # the third is still undecided
    actions.resolve_carried_action(
        vault, february, by_text["Find a shadowing opportunity at the CDT"], "carried_forward",
        "CDT full until March")
    lifecycle.finalise(vault, february)

    review = {row["action"]: row
              for row in records.get_record(vault, february).fields["last_actions"]}
    assert review["Book the ASYE mid-point review"]["status"] == "Done"
    assert review["Update the chronology for the Example family"]["status"] == "Dropped"
    dropped = review["Update the chronology for the Example family"]
    assert dropped["comments"] == "Case closed on 2 February"
    assert review["Find a shadowing opportunity at the CDT"]["status"] == "Carried forward"
    everything = {a.text: a for a in actions.list_actions(vault, status=None, subject_id=worker)}
    assert everything["Book the ASYE mid-point review"].status == "done"
    assert everything["Book the ASYE mid-point review"].closed_on == dt.date(2026, 2, 12)
    assert everything["Update the chronology for the Example family"].status == "dropped"
    assert everything["Update the chronology for the Example family"].closed_reason == (
        "Case closed on 2 February")

    march = _staff_record(vault, worker, "2026-03-12", [])
    assert [row["action"] for row in records.get_record(vault, march).fields["last_actions"]] == [
        "Find a shadowing opportunity at the CDT"]
    with pytest.raises(InvalidInput, match="finalised; its review of actions is closed"):
        actions.resolve_carried_action(vault, february, by_text["Book the ASYE mid-point review"],
                                       "dropped", "changed my mind")


def test_an_amended_record_updates_its_actions(vault: Vault, january: tuple[str, str]) -> None:
    worker, record = january
    lifecycle.amend(vault, record, "Action wording corrected with the supervisee")
    fields = records.get_record(vault, record).fields
    fields["agreed_actions"][2] = {"action": "Shadow a duty day at the CDT",
                                   "owner": "Team manager", "due": "2026-03-01"}
    records.save_draft(vault, record, fields)
    lifecycle.finalise(vault, record)
    texts = sorted(a.text for a in actions.list_actions(vault, subject_id=worker))
    assert texts == ["Book the ASYE mid-point review", "Shadow a duty day at the CDT",
                     "Update the chronology for the Example family"]


def test_actions_from_the_command_line(
    vault_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    vault = ["--vault", str(vault_folder)]

    def cli(*argv: str) -> str:
        status = run([*argv, *vault])
        out, err = capsys.readouterr()
        assert status == 0, err
        return out

    person = tmp_path / "person.json"
    person.write_text(json.dumps({"name": "Ffion Hughes"}))
    worker = cli("person", "add", "--kind", "supervisee", "--data", str(person)).strip()
    fields = fill_every_field(STAFF, "Words")
    del fields["last_actions"]
    fields["agreed_actions"] = [{"action": "Book the ASYE mid-point review",
                                 "owner": "Ffion Hughes", "due": "2026-02-06"}]
    for number, day in ((1, "2026-01-15"), (2, "2026-02-12")):
        data = tmp_path / f"record{number}.json"
        data.write_text(json.dumps({"subject": worker, "date": day, "fields": fields}))
        record = cli("record", "create", "--template", STAFF.id, "--data", str(data)).strip()
        if number == 1:
            cli("record", "finalise", record)
    listed = json.loads(cli("actions", "--json"))
    assert [(a["action"], a["due"], a["carried_into"]) for a in listed] == [
        ("Book the ASYE mid-point review", "2026-02-06", record)]
    assert run(["record", "finalise", record, *vault]) == 1
    assert "carried from the last record" in capsys.readouterr().err
    carried = json.loads(cli("actions", "carried", record, "--json"))
    assert carried[0]["outcome"] is None
    cli("actions", "resolve", record, carried[0]["id"], "--done")
    cli("record", "finalise", record)
    everything = json.loads(cli("actions", "--all", "--json"))
    statuses = sorted((a["source"]["date"], a["status"]) for a in everything)
    assert statuses == [("2026-01-15", "done"), ("2026-02-12", "open")]
