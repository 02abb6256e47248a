"""Closing an action directly: actions from forms no later record reviews (case
discussions, oversight, group discussions …) can be marked done or dropped, with a
reason and a day, from the service and the command line; and the dashboard's short
report holds the most urgent rows with the full counts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from supervision_desktop.cli import run
from supervision_desktop.cli.common import json_data
from supervision_desktop.errors import InvalidInput, NotFound
from supervision_desktop.services import actions, audit, compliance, lifecycle, people, records
from supervision_desktop.services.templates import get_template
from supervision_desktop.store.vault import Vault
from tests.conftest import PASSPHRASE
from tests.sample_values import fill_every_field

CASE = get_template("case-discussion-family")  # an action table and no review table
STAFF = get_template("staff-supervision-social-worker")
TODAY = dt.date.today()


def _case_discussion(vault: Vault, child: str, day: dt.date, agreed: list[dict[str, Any]]) -> str:
    fields = fill_every_field(CASE, "Words")
    fields["actions"] = agreed
    record = records.create_record(vault, CASE, subject_id=child,
                                   session_date=day.isoformat(), fields=fields)
    lifecycle.finalise(vault, record)
    return record


@pytest.fixture
def discussed(vault: Vault) -> tuple[str, str]:
    child = people.add_person(vault, "child", {"name": "Tomos Example", "plan": "child_in_need"}).id
    day = TODAY - dt.timedelta(days=60)
    record = _case_discussion(vault, child, day, [
        {"action": "Arrange a family network meeting", "lead_person": "Dana Reid",
         "done_by": (day + dt.timedelta(days=14)).isoformat()},
        {"action": "Refer to the school nurse", "lead_person": "Dana Reid",
         "done_by": (day + dt.timedelta(days=21)).isoformat()},
    ])
    return child, record


def _by_text(vault: Vault, child: str) -> dict[str, actions.ActionView]:
    return {a.text: a for a in actions.list_actions(vault, status=None, subject_id=child)}


def test_an_action_no_record_reviews_can_be_marked_done_or_dropped(
    vault: Vault, discussed: tuple[str, str]
) -> None:
    child, record = discussed
    assert CASE.fields() and not any(f.role == "action_review" for f in CASE.fields())
    found = _by_text(vault, child)
    overdue = compliance.due_report(vault, TODAY).overdue_actions
    assert {a.text for a in overdue} == set(found)

    met_on = TODAY - dt.timedelta(days=10)
    done = actions.close_action(vault, found["Arrange a family network meeting"].id, "done",
                                "  Met with the grandparents at the family centre ", met_on)
    assert (done.status, done.closed_on, done.closed_reason) == (
        "done", met_on, "Met with the grandparents at the family centre")
    dropped = actions.close_action(vault, found["Refer to the school nurse"].id, "dropped",
                                   "The school nurse already knows the family")
    assert (dropped.status, dropped.closed_on) == ("dropped", TODAY)

    assert actions.list_actions(vault, subject_id=child) == []  # nothing left open
    assert compliance.due_report(vault, TODAY).overdue_actions == []
    closed = _by_text(vault, child)
    assert closed["Refer to the school nurse"].closed_reason == (
        "The school nurse already knows the family")

    logged = [e for e in audit.entries(vault, record_id=record) if e.action == "change"]
    assert [e.detail for e in logged][:2] == ["action closed: dropped", "action closed: done"]
    assert all(e.person_id == child for e in logged[:2])
    assert not any("school nurse" in e.detail or "Tomos" in e.detail for e in logged)
    assert audit.check_log(vault).ok


def test_closing_asks_for_a_reason_and_a_sensible_day(
    vault: Vault, discussed: tuple[str, str]
) -> None:
    child, _ = discussed
    action = _by_text(vault, child)["Arrange a family network meeting"]
    with pytest.raises(InvalidInput, match="how the action was done"):
        actions.close_action(vault, action.id, "done", "   ")
    with pytest.raises(InvalidInput, match="why the action is being dropped"):
        actions.close_action(vault, action.id, "dropped", "")
    with pytest.raises(InvalidInput, match="done or dropped"):
        actions.close_action(vault, action.id, "carried_forward", "Next time")
    with pytest.raises(InvalidInput, match="still to come"):
        actions.close_action(vault, action.id, "done", "Booked", TODAY + dt.timedelta(days=1))
    with pytest.raises(InvalidInput, match="cannot be closed before then"):
        actions.close_action(vault, action.id, "done", "Booked", TODAY - dt.timedelta(days=61))
    with pytest.raises(NotFound):
        actions.close_action(vault, "no-such-action", "done", "Booked")
    assert _by_text(vault, child)["Arrange a family network meeting"].status == "open"

    actions.close_action(vault, action.id, "done", "Booked")
    with pytest.raises(InvalidInput, match="already done on"):
        actions.close_action(vault, action.id, "dropped", "Changed my mind")


def test_closing_an_action_carried_into_a_draft_records_it_in_the_draft_too(
    vault: Vault
) -> None:
    worker = people.add_person(vault, "supervisee", {"name": "Ffion Hughes"}).id
    fields = fill_every_field(STAFF, "Words")
    del fields["last_actions"]
    fields["agreed_actions"] = [
        {"action": "Book the ASYE mid-point review", "owner": "Ffion Hughes",
         "due": "2026-02-06"},
        {"action": "Find a shadowing opportunity", "owner": "Team manager"},
    ]
    january = records.create_record(vault, STAFF, subject_id=worker, session_date="2026-01-15",
                                    fields=fields)
    lifecycle.finalise(vault, january)
    fields["agreed_actions"] = []
    february = records.create_record(vault, STAFF, subject_id=worker,
                                     session_date="2026-02-12", fields=fields)
    tracked = _by_text(vault, worker)
    booked = tracked["Book the ASYE mid-point review"]
    assert booked.carried_into == february

    actions.close_action(vault, booked.id, "done", "Booked by email", dt.date(2026, 2, 2))
    carried = {c.action.text: c for c in actions.carried_actions(vault, february)}
    assert carried["Book the ASYE mid-point review"].outcome == "done"
    review = {r["action"]: r for r in records.get_record(vault, february).fields["last_actions"]}
    assert review["Book the ASYE mid-point review"]["status"] == "Done"
    assert review["Book the ASYE mid-point review"]["comments"] == "Booked by email"

    # the draft still asks about the other action only, and finalising keeps the day given
    with pytest.raises(InvalidInput, match=r"1 action\(s\) carried") as refused:
        lifecycle.finalise(vault, february)
    assert "Book the ASYE" not in str(refused.value)
    actions.resolve_carried_action(vault, february, tracked["Find a shadowing opportunity"].id,
                                   "carried_forward", "Not yet")
    lifecycle.finalise(vault, february)
    after = _by_text(vault, worker)
    assert (after["Book the ASYE mid-point review"].status,
            after["Book the ASYE mid-point review"].closed_on) == ("done", dt.date(2026, 2, 2))
    assert after["Find a shadowing opportunity"].status == "open"


def test_actions_close_from_the_command_line(
    vault: Vault, discussed: tuple[str, str], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    child, _ = discussed
    found = _by_text(vault, child)
    folder = str(vault.folder)
    vault.close()
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    meeting = found["Arrange a family network meeting"].id
    nurse = found["Refer to the school nurse"].id
    on = (TODAY - dt.timedelta(days=3)).strftime("%d/%m/%Y")
    assert run(["actions", "close", meeting, "--done", "--reason", "Held on Monday",
                "--on", on, "--vault", folder]) == 0
    assert f"Marked done on {on}" in capsys.readouterr().out
    with pytest.raises(SystemExit):  # a reason is required
        run(["actions", "close", nurse, "--dropped", "--vault", folder])
    assert "--reason" in capsys.readouterr().err
    assert run(["actions", "close", nurse, "--dropped", "--reason", "  ",
                "--vault", folder]) == 1
    assert "why the action is being dropped" in capsys.readouterr().err
    assert run(["actions", "close", nurse, "--dropped", "--reason", "Not needed",
                "--vault", folder]) == 0
    capsys.readouterr()
    assert run(["actions", "--all", "--json", "--vault", folder]) == 0
    listed = {a["action"]: a for a in json.loads(capsys.readouterr().out)}
    assert (listed["Arrange a family network meeting"]["status"],
            listed["Arrange a family network meeting"]["closed_reason"]) == (
        "done", "Held on Monday")
    assert listed["Refer to the school nurse"]["status"] == "dropped"


def test_a_short_report_holds_the_most_urgent_rows_and_counts_them_all(vault: Vault) -> None:
    child = people.add_person(vault, "child", {"name": "Seren Example", "plan": "child_in_need"}).id
    for weeks in range(6):
        day = TODAY - dt.timedelta(weeks=12 - weeks)
        _case_discussion(vault, child, day, [
            {"action": f"Visit {weeks}", "lead_person": "Dana Reid",
             "done_by": (day + dt.timedelta(days=7)).isoformat()}])
    for weeks in range(4):
        fields = fill_every_field(CASE, "Words")
        records.create_record(vault, CASE, subject_id=child, fields=fields,
                              session_date=(TODAY - dt.timedelta(days=weeks)).isoformat())
    full = compliance.due_report(vault, TODAY)
    short = compliance.due_report(vault, TODAY, limit=3)
    assert len(full.overdue_actions) == 6 and len(full.drafts) == 4
    assert [a.text for a in short.overdue_actions] == ["Visit 0", "Visit 1", "Visit 2"]
    assert short.overdue_actions == full.overdue_actions[:3]
    assert short.drafts == full.drafts[:3]
    assert (short.total("overdue_actions"), short.total("drafts")) == (6, 4)
    assert (full.total("overdue_actions"), full.total("drafts")) == (6, 4)
    assert short.people == full.people
    assert json_data(short)["people"] == json_data(full)["people"]


def test_a_carer_closes_an_action_from_a_record_they_received(
    vault: Vault, tmp_path: Path
) -> None:
    from supervision_desktop.services import vault_access
    from supervision_desktop.services.carer_import import import_signed_pdf
    from supervision_desktop.services.export import export_record
    from tests.test_carer_import import ACTION, CARER, _values

    household = people.add_person(vault, "carer", {"name": CARER}).id
    sent = records.create_record(vault, get_template("foster-carer-supervision"),
                                 subject_id=household, session_date="2026-11-22",
                                 fields=_values(CARER))
    lifecycle.finalise(vault, sent)
    (pdf,) = export_record(vault, sent, tmp_path / "out")
    carer = vault_access.create_vault(tmp_path / "carer-vault", owner_name=CARER,
                                      role="carer", passphrase=PASSPHRASE).vault
    try:
        assert import_signed_pdf(carer, pdf).outcome == "imported"
        (action,) = actions.list_actions(carer)
        assert action.text == ACTION
        closed = actions.close_action(carer, action.id, "done", "The SW applied on Monday",
                                      dt.date(2026, 11, 24))
        assert (closed.status, closed.closed_on) == ("done", dt.date(2026, 11, 24))
        assert actions.list_actions(carer) == []
        assert "action closed: done" in {e.detail for e in audit.entries(carer, record_id=sent)}
        assert audit.check_log(carer).ok
        assert lifecycle.check_chain(carer, sent).intact  # the signed record is untouched
    finally:
        carer.close()
