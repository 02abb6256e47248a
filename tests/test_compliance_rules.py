"""The due/overdue report over a real vault: who is due, overdue, what is unfinished.

Each expected date is worked out by hand from the seed policy named beside it (001 is
Birmingham Children's Trust IFA, 003 Lambeth, 004 Kent; /work/shared/seeds), with the
calendar written out. The day of the report is always given.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from supervision_desktop.cli.common import json_data, json_text
from supervision_desktop.domain.records import RecordStatus
from supervision_desktop.domain.schedule import DueStatus
from supervision_desktop.domain.templates import Template
from supervision_desktop.errors import InvalidInput, NotFound, TemplateProblem
from supervision_desktop.services import cancellations, compliance, lifecycle, people, records
from supervision_desktop.services.templates import get_template
from supervision_desktop.store import settings
from supervision_desktop.store.models import Cancellation, Person, Record
from supervision_desktop.store.vault import Vault
from tests.sample_values import fill_every_field, held_session

D = dt.date
WEDNESDAY = D(2026, 11, 25)  # the day of most reports below
BCT_FREQUENCY = "Birmingham Children's Trust IFA guidance, Frequency"  # cite("001 ... 122")
APPROVER = "Priya Shah, Service Manager"


def _added_on(vault: Vault, person_id: str, day: dt.date) -> None:
    """When the person was added to the vault (before any session, dates count from it)."""
    with vault.transaction() as session:
        session.get_one(Person, person_id).created_at = dt.datetime.combine(day, dt.time(9))


def _person(vault: Vault, kind: str, added: dt.date, **details: Any) -> str:
    person = people.add_person(vault, kind, details)
    _added_on(vault, person.id, added)
    return person.id


def _supervision(vault: Vault, person_id: str, day: dt.date, minutes: int | None = None,
                 actions: list[dict[str, str]] | None = None,
                 template: str = "personal-supervision") -> str:
    """A session held (finalised), with its duration and agreed actions as given."""
    fields: dict[str, Any] = {"actions": actions or [], "action_review": []}
    if minutes is not None:
        fields["duration"] = minutes
    return held_session(vault, template, person_id, day, fields)


def _cancelled(vault: Vault, person_id: str, planned: dt.date, moved_to: dt.date,
               recorded: dt.datetime) -> None:
    view = cancellations.record_cancellation(vault, person_id, planned, reason="Court hearing",
                                             rescheduled_for=moved_to)
    with vault.transaction() as session:
        session.get_one(Cancellation, view.id).recorded_at = recorded


# --- the whole report, as the command line's --json and the dashboard read it --------


def test_a_teams_report_in_every_detail(vault: Vault) -> None:
    """Birmingham (001): monthly supervision (line 122), at least 10 a year (line 122),
    2-hour sessions (line 128), an agreement with no review interval (line 34), no rule
    for children's cases, no upload deadline."""
    compliance.set_profile(vault, "birmingham-ifa")
    ffion = _person(vault, "supervisee", D(2024, 1, 8), name="Ffion Hughes",
                    staff_group="social_worker", start_date="2024-01-08")
    gareth = _person(vault, "supervisee", D(2026, 1, 5), name="Gareth Lewis",
                     staff_group="team_manager", start_date="2026-01-05")
    kai = _person(vault, "child", D(2026, 1, 5), name="Kai Example", plan="child_protection")
    rhys = _person(vault, "child", D(2026, 1, 5), name="Rhys Example", plan="looked_after")
    march = _supervision(vault, ffion, D(2026, 3, 10), minutes=120)
    october = _supervision(vault, ffion, D(2026, 10, 15), minutes=90, actions=[
        {"action": "Book the Signs of Safety refresher", "by_whom": "Ffion Hughes",
         "by_when": "2026-11-20"}])
    draft = records.create_record(vault, get_template("personal-supervision"),
                                  subject_id=ffion, session_date=D(2026, 11, 24))
    agreement = held_session(vault, "agreement-bct", gareth, D(2026, 2, 2),
                             {"session_duration": 60})
    managed = _supervision(vault, gareth, D(2026, 11, 20), minutes=120)
    # moved twice (the later note wins); one from before the last session is history
    _cancelled(vault, gareth, D(2026, 12, 18), D(2026, 12, 21), dt.datetime(2026, 11, 21, 9))
    _cancelled(vault, gareth, D(2026, 12, 18), D(2026, 12, 23), dt.datetime(2026, 11, 24, 9))
    _cancelled(vault, gareth, D(2026, 11, 13), D(2026, 11, 20), dt.datetime(2026, 11, 25, 8))
    kai_case = held_session(vault, "case-discussion-family", kai, D(2026, 10, 1),
                            {"actions": []})
    rhys_case = held_session(vault, "case-discussion-cla", rhys, D(2026, 11, 2),
                             {"actions": []})
    compliance.add_deviation(vault, rhys, "4 weeks", reason="Placement at risk",
                             approved_by=APPROVER, agreed_on=D(2026, 9, 1))

    report = compliance.due_report(vault, WEDNESDAY)

    def entry(person_id: str, name: str, kind: str, group: str, label: str, last: str | None,
              last_id: str | None, due: str | None, status: str, overdue: int,
              rule: dict[str, str] | None, **rest: Any) -> dict[str, Any]:
        return {"person": {"id": person_id, "name": name, "kind": kind}, "group": group,
                "group_label": label, "last_session": last, "last_record_id": last_id,
                "next_due": due, "status": status, "days_overdue": overdue, "rule": rule,
                "deviation": None, "rescheduled_for": None, "notes": [], **rest}

    def rule(rule_id: str, ref: str, summary: str) -> dict[str, str]:
        return {"profile": "birmingham-ifa", "id": rule_id, "ref": ref, "summary": summary}

    def unfinished(record_id: str, title: str, subject: str, day: str, status: str
                   ) -> dict[str, Any]:
        return {"record_id": record_id, "title": title, "subject": subject, "date": day,
                "record_status": status, "upload_deadline": None, "status": "no_rule",
                "days_overdue": 0, "rule": None}

    personal = "Personal supervision record (Kent §12.2 / Appendix 2)"
    monthly = rule("staff_supervision.social_worker", "001 Frequency line 122", "monthly")
    as_read = json.loads(json_text(report))
    actions = as_read.pop("overdue_actions")
    assert as_read == {
        "as_of": "2026-11-25",
        "profile": {"id": "birmingham-ifa",
                    "title": "Birmingham Children's Trust IFA staff supervision",
                    "due_soon_days": 7},
        "people": [
            # seen 15 Oct, monthly: due 15 Nov, 10 days over; 2 sessions since 25 Nov 2025
            entry(ffion, "Ffion Hughes", "supervisee", "social_worker", "Social worker",
                  "2026-10-15", october, "2026-11-15", "overdue", 10, monthly,
                  notes=["2 session(s) in the last 12 months; the policy asks for at least "
                         f"10 a year ({BCT_FREQUENCY})"]),
            # discussed 2 Nov, every 4 weeks by the agreed deviation: 30 Nov, within 7 days
            entry(rhys, "Rhys Example", "child", "looked_after", "Looked after",
                  "2026-11-02", rhys_case, "2026-11-30", "due", 0,
                  rule("deviation", "", f"every 4 weeks (agreed deviation, approved by "
                                        f"{APPROVER})"),
                  deviation={"every": "4 weeks", "agreed_on": "2026-09-01",
                             "reason": "Placement at risk", "approved_by": APPROVER}),
            # seen 20 Nov: due 20 Dec; joined in January, so no full year to count yet
            entry(gareth, "Gareth Lewis", "supervisee", "team_manager", "Team manager",
                  "2026-11-20", managed, "2026-12-20", "ok", 0,
                  rule("staff_supervision.team_manager", "001 Frequency line 122", "monthly"),
                  rescheduled_for="2026-12-23"),
            entry(kai, "Kai Example", "child", "child_protection", "Child protection",
                  "2026-10-01", kai_case, None, "no_rule", 0, None),
        ],
        "agreement_reviews": [
            # none on file: due from the start, 8 Jan 2024 (1052 days before the report)
            entry(ffion, "Ffion Hughes", "supervisee", "social_worker", "Social worker",
                  None, None, "2024-01-08", "overdue", 1052,
                  rule("agreement", "001 Supervision Agreement line 34",
                       "an agreement at the start of the supervisory relationship")),
            entry(gareth, "Gareth Lewis", "supervisee", "team_manager", "Team manager",
                  "2026-02-02", agreement, None, "ok", 0,
                  rule("agreement", "001 Supervision Agreement line 34",
                       "an agreement on file (no review interval)")),
        ],
        "drafts": [unfinished(draft, personal, "Ffion Hughes", "2026-11-24", "draft")],
        "not_exported": [
            unfinished(agreement, "Supervision agreement (Birmingham Children's Trust)",
                       "Gareth Lewis", "2026-02-02", "finalised"),
            unfinished(march, personal, "Ffion Hughes", "2026-03-10", "finalised"),
            unfinished(kai_case, "Case discussion tool — children living within their "
                       "family (Lambeth Appendix B)", "Kai Example", "2026-10-01", "finalised"),
            unfinished(october, personal, "Ffion Hughes", "2026-10-15", "finalised"),
            unfinished(rhys_case, "Case discussion tool — children in care and care leavers "
                       "(Lambeth Appendix C)", "Rhys Example", "2026-11-02", "finalised"),
            unfinished(managed, personal, "Gareth Lewis", "2026-11-20", "finalised"),
        ],
        "not_uploaded": [],
        # 90 minutes on 15 Oct is short of 2 hours; 120 on 20 Nov is not
        "short_sessions": [{
            "record_id": october, "person": "Ffion Hughes", "date": "2026-10-15",
            "minutes": 90, "minimum": 120,
            "rule": rule("session_length", "001 Duration of Sessions line 128",
                         "at least 120 minutes")}],
    }
    # the action agreed on 15 Oct for 20 Nov, five days over
    assert [(a["action"], a["due"], a["days_overdue"]) for a in actions] == [
        ("Book the Signs of Safety refresher", "2026-11-20", 5)]
    assert report.total("drafts") == 1 and report.total("overdue_actions") == 1


# --- deviations ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("every", "reason", "approved_by", "message"),
    [
        ("sometimes", "Works part time", APPROVER,
         "'sometimes' is not a period such as '6 weeks' or '1 month'"),
        ("6 weeks", "   ", APPROVER,
         "Say why the frequency is changing (it is part of the agreement)."),
        ("6 weeks", "Works part time", " ",
         "Say who approved the change (e.g. the Service Manager)."),
    ],
    ids=["no-period", "no-reason", "no-approver"],
)
def test_a_deviation_is_refused_without_a_period_a_reason_and_an_approver(
    vault: Vault, every: str, reason: str, approved_by: str, message: str,
) -> None:
    worker = _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes")
    with pytest.raises(InvalidInput) as refused:
        compliance.add_deviation(vault, worker, every, reason=reason,
                                 approved_by=approved_by, agreed_on=D(2026, 10, 5))
    assert str(refused.value) == message
    assert compliance.list_deviations(vault) == []


def test_a_deviation_is_only_for_a_supervisee_or_a_child(vault: Vault) -> None:
    carer = _person(vault, "carer", D(2026, 1, 5), name="Jo Marsh")
    for person_id in (carer, "0" * 32):
        with pytest.raises(NotFound) as refused:
            compliance.add_deviation(vault, person_id, "6 weeks", reason="Part time",
                                     approved_by=APPROVER, agreed_on=D(2026, 10, 5))
        assert str(refused.value) == f"There is no supervisee or child with id {person_id}."
    with pytest.raises(NotFound) as missing:
        compliance.end_deviation(vault, "f" * 32, D(2026, 10, 5))
    assert str(missing.value) == f"There is no deviation with id {'f' * 32}."


def test_deviations_are_kept_as_agreed_and_listed_oldest_first(vault: Vault) -> None:
    from supervision_desktop.domain.policy import Period

    ffion = _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes")
    kai = _person(vault, "child", D(2026, 1, 5), name="Kai Example", plan="child_in_need")
    later = compliance.add_deviation(vault, ffion, "6 weeks", reason="  Works 15 hours ",
                                     approved_by=f" {APPROVER} ", agreed_on=D(2026, 10, 5))
    earlier = compliance.add_deviation(vault, kai, Period.parse("3 weeks"),
                                       reason="Placement stable", approved_by=APPROVER,
                                       agreed_on=D(2026, 9, 1))
    compliance.end_deviation(vault, earlier.id, D(2026, 11, 1))
    assert json.loads(json_text(later)) == {
        "id": later.id, "person": {"id": ffion, "name": "Ffion Hughes"}, "every": "6 weeks",
        "agreed_on": "2026-10-05", "reason": "Works 15 hours", "approved_by": APPROVER,
        "ended_on": None}
    assert json.loads(json_text(compliance.list_deviations(vault),
                                 list[compliance.DeviationView])) == [
        {"id": earlier.id, "person": {"id": kai, "name": "Kai Example"}, "every": "3 weeks",
         "agreed_on": "2026-09-01", "reason": "Placement stable", "approved_by": APPROVER,
         "ended_on": "2026-11-01"},
        json.loads(json_text(later)),
    ]
    assert [d.id for d in compliance.list_deviations(vault, ffion)] == [later.id]


@pytest.mark.parametrize(
    ("as_of", "next_due", "rule_id"),
    [
        (D(2026, 10, 24), D(2026, 11, 12), "deviation"),  # 6 weeks after 1 Oct
        (D(2026, 10, 25), D(2026, 10, 22), "deviation"),  # the newer, from its day: 3 weeks
        (D(2026, 11, 9), D(2026, 10, 22), "deviation"),
        (D(2026, 11, 10), D(2026, 11, 12), "deviation"),  # it ended that day: back to 6
    ],
    ids=["first-agreed", "second-agreed-that-day", "second-in-force", "second-ended-that-day"],
)
def test_the_latest_deviation_agreed_and_not_ended_sets_the_date(
    vault: Vault, as_of: dt.date, next_due: dt.date, rule_id: str,
) -> None:
    compliance.set_profile(vault, "kent")  # monthly without one (004 line 137)
    worker = _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes",
                     start_date="2019-05-01")
    _supervision(vault, worker, D(2026, 10, 1))
    compliance.add_deviation(vault, worker, "6 weeks", reason="Works 15 hours",
                             approved_by=APPROVER, agreed_on=D(2026, 9, 1))
    second = compliance.add_deviation(vault, worker, "3 weeks", reason="New in post",
                                      approved_by=APPROVER, agreed_on=D(2026, 10, 25))
    compliance.end_deviation(vault, second.id, D(2026, 11, 10))
    (entry,) = compliance.due_report(vault, as_of).people
    assert (entry.next_due, entry.rule.rule_id if entry.rule else None) == (next_due, rule_id)


def test_without_a_deviation_in_force_the_policy_frequency_applies(vault: Vault) -> None:
    compliance.set_profile(vault, "kent")
    worker = _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes",
                     start_date="2019-05-01")
    _supervision(vault, worker, D(2026, 10, 1))
    compliance.add_deviation(vault, worker, "6 weeks", reason="Works 15 hours",
                             approved_by=APPROVER, agreed_on=D(2026, 10, 21))
    (entry,) = compliance.due_report(vault, D(2026, 10, 20)).people
    assert (entry.next_due, entry.deviation) == (D(2026, 11, 1), None)
    assert entry.rule is not None and entry.rule.rule_id == "staff_supervision.social_worker"


# --- who is counted --------------------------------------------------------------------


def test_people_leave_the_report_on_their_end_date(vault: Vault) -> None:
    for name, end_date in (("Left Yesterday", "2026-11-24"), ("Leaves Today", "2026-11-25"),
                           ("Leaves Tomorrow", "2026-11-26"), ("No End Date", "")):
        _person(vault, "supervisee", D(2026, 1, 5), name=name, end_date=end_date)
    unreadable = _person(vault, "supervisee", D(2026, 1, 5), name="Date Unreadable")
    with vault.transaction() as session:  # as an older version could leave it: ignored
        session.get_one(Person, unreadable).details = {"name": "Date Unreadable",
                                                       "end_date": "24/11/2026"}
    closed = _person(vault, "supervisee", D(2026, 1, 5), name="Closed Today",
                     end_date="2026-12-31")
    with vault.transaction() as session:
        session.get_one(Person, closed).ended_on = WEDNESDAY
    report = compliance.due_report(vault, WEDNESDAY)
    assert [e.name for e in report.people] == ["Date Unreadable", "Leaves Tomorrow",
                                               "No End Date"]
    assert [e.name for e in report.agreements] == ["Date Unreadable", "Leaves Tomorrow",
                                                   "No End Date"]


def test_the_most_urgent_come_first_then_by_due_date_then_by_name(vault: Vault) -> None:
    """Kent social workers, monthly (004 line 137): overdue longest first, then due
    soonest, then by name whatever its capitals."""
    compliance.set_profile(vault, "kent")
    for name, seen in (("Bethan Evans", D(2026, 10, 28)), ("alys Evans", D(2026, 10, 28)),
                       ("Carys Jones", D(2026, 10, 15)), ("Dewi Price", D(2026, 10, 20)),
                       ("Eleri Rees", D(2026, 10, 30)), ("Aled Owen", D(2026, 11, 1))):
        worker = _person(vault, "supervisee", D(2026, 1, 5), name=name,
                         staff_group="social_worker", start_date="2019-05-01")
        _supervision(vault, worker, seen)
    report = compliance.due_report(vault, WEDNESDAY)
    assert [(e.name, e.next_due, e.status.value, e.days_overdue) for e in report.people] == [
        ("Carys Jones", D(2026, 11, 15), "overdue", 10),
        ("Dewi Price", D(2026, 11, 20), "overdue", 5),
        ("alys Evans", D(2026, 11, 28), "due", 0),
        ("Bethan Evans", D(2026, 11, 28), "due", 0),
        ("Eleri Rees", D(2026, 11, 30), "due", 0),
        ("Aled Owen", D(2026, 12, 1), "due", 0),
    ]


# --- profiles --------------------------------------------------------------------------


def _own_profile(tmp_path: Path, sessions: int = 2) -> Path:
    """An agency's own file: Birmingham's (001) with a different id and yearly minimum."""
    from supervision_desktop.paths import policies_dir

    text = (policies_dir() / "birmingham-ifa.yaml").read_text(encoding="utf-8")
    assert text.count("id: birmingham-ifa\n") == 1 and text.count("sessions: 10\n") == 1
    path = tmp_path / "our-agency.yaml"
    path.write_text(text.replace("id: birmingham-ifa\n", "id: our-agency\n")
                    .replace("sessions: 10\n", f"sessions: {sessions}\n"), encoding="utf-8")
    return path


def test_a_new_vault_follows_lambeth_until_another_profile_is_chosen(vault: Vault) -> None:
    assert compliance.vault_profile(vault).id == "lambeth"
    assert compliance.set_profile(vault, "kent").id == "kent"
    assert compliance.vault_profile(vault).id == "kent"
    with pytest.raises(InvalidInput) as refused:
        compliance.set_profile(vault)
    assert str(refused.value) == "Name a profile or a profile file."
    assert compliance.vault_profile(vault).id == "kent"


def test_an_agencys_own_profile_file_is_kept_in_the_vault(vault: Vault, tmp_path: Path
                                                          ) -> None:
    path = _own_profile(tmp_path, sessions=4)
    chosen = compliance.set_profile(vault, path=path)
    path.unlink()  # the vault keeps its own copy
    followed = compliance.vault_profile(vault)
    assert (chosen.id, followed.id, followed.sessions_per_year.sessions) == (  # type: ignore[union-attr]
        "our-agency", "our-agency", 4)
    # a copy kept for another id is not used for the shipped profile chosen later
    with vault.transaction() as session:
        settings.write(session, compliance.POLICY_PROFILE, "kent")
    assert compliance.vault_profile(vault).title == compliance.get_profile("kent").title


def test_a_broken_profile_file_is_refused_and_checked_with_its_problems(
    vault: Vault, tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        compliance.set_profile(vault, path=broken)
    assert str(refused.value).startswith("broken.yaml")
    assert compliance.vault_profile(vault).id == "lambeth"
    good = _own_profile(tmp_path)
    checked = compliance.check_profile_files([good, broken])
    assert [(c.path, c.profile.id if c.profile else None) for c in checked] == [
        (good, "our-agency"), (broken, None)]
    assert checked[0].problems == ()
    assert checked[1].problems and all(isinstance(p, str) for p in checked[1].problems)


def test_a_vault_following_a_profile_no_longer_installed_says_what_to_do(vault: Vault
                                                                        ) -> None:
    with vault.transaction() as session:
        settings.write(session, compliance.POLICY_PROFILE, "hampshire")
    with pytest.raises(TemplateProblem) as refused:
        compliance.due_report(vault, WEDNESDAY)
    assert str(refused.value) == (
        "This vault follows the policy profile 'hampshire', which is not installed. "
        "Choose another with 'policy set'.")


# --- how many sessions a year ----------------------------------------------------------


def test_the_yearly_minimum_counts_sessions_after_the_day_a_year_before(
    vault: Vault, tmp_path: Path,
) -> None:
    """Our agency asks for at least 2 a year. A year before Wed 25 Nov 2026 is 25 Nov
    2025: a session that day is outside the year, one the day after inside it."""
    compliance.set_profile(vault, path=_own_profile(tmp_path, sessions=2))
    short = _person(vault, "supervisee", D(2025, 11, 25), name="Bethan Short",
                    start_date="2025-11-25")  # a full year on record, just
    enough = _person(vault, "supervisee", D(2025, 1, 6), name="Carys Enough",
                     start_date="2025-01-06")
    new = _person(vault, "supervisee", D(2025, 11, 26), name="Dewi New",
                  start_date="2025-11-26")  # not a full year yet
    unstarted = _person(vault, "supervisee", D(2025, 1, 6), name="Eleri Undated")
    for person, days in ((short, (D(2025, 11, 25), D(2025, 11, 26))),
                         (enough, (D(2025, 11, 26), D(2026, 11, 20))),
                         (new, ()), (unstarted, (D(2026, 6, 1),))):
        for day in days:
            _supervision(vault, person, day)
    _supervision(vault, enough, D(2026, 11, 26))  # after the day: not held yet
    draft = records.create_record(vault, get_template("personal-supervision"),
                                  subject_id=short, session_date=D(2026, 10, 1))
    assert draft  # a draft is not a session held
    entries = {e.name: e for e in compliance.due_report(vault, WEDNESDAY).people}
    assert entries["Carys Enough"].last_session == D(2026, 11, 20)
    assert {name: e.notes for name, e in entries.items()} == {
        "Bethan Short": ("1 session(s) in the last 12 months; the policy asks for at least 2 "
                         f"a year ({BCT_FREQUENCY})",),
        "Carys Enough": (),
        "Dewi New": (),
        "Eleri Undated": ("1 session(s) in the last 12 months; the policy asks for at least 2 "
                          f"a year ({BCT_FREQUENCY})",),
    }


def test_an_amendment_in_progress_still_counts_as_the_session_held(vault: Vault) -> None:
    compliance.set_profile(vault, "kent")
    worker = _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes",
                     start_date="2019-05-01")
    held = _supervision(vault, worker, D(2026, 11, 2))
    lifecycle.amend(vault, held, "Wrong date of the next session")
    (entry,) = compliance.due_report(vault, WEDNESDAY).people
    assert (entry.last_session, entry.last_record_id, entry.next_due) == (
        D(2026, 11, 2), held, D(2026, 12, 2))
    assert [r.record_id for r in compliance.due_report(vault, WEDNESDAY).drafts] == [held]


# --- sessions shorter than the policy asks ---------------------------------------------


def test_only_staff_supervision_sessions_of_the_last_year_are_checked_for_length(
    vault: Vault,
) -> None:
    """Birmingham asks for 2 hours (001 line 128): 119 minutes is short, 120 is not; no
    duration (0) is not a length; sessions a year old or not yet held are not counted;
    a carer's supervision and an agreement meeting are not staff supervision sessions."""
    compliance.set_profile(vault, "birmingham-ifa")
    worker = _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes")
    carer = _person(vault, "carer", D(2026, 1, 5), name="Jo Marsh")
    short = _supervision(vault, worker, D(2026, 11, 2), minutes=119)
    _supervision(vault, worker, D(2026, 11, 9), minutes=120)
    _supervision(vault, worker, D(2026, 11, 16), minutes=0)
    _supervision(vault, worker, D(2025, 11, 25), minutes=30)  # a year before the day
    older = _supervision(vault, worker, D(2025, 11, 26), minutes=45)  # the day after
    today = _supervision(vault, worker, WEDNESDAY, minutes=100)  # the day of the report
    _supervision(vault, worker, D(2026, 11, 26), minutes=30)  # after the day
    held_session(vault, "agreement-bct", worker, D(2026, 11, 3), {"session_duration": 30})
    held_session(vault, "foster-carer-supervision", carer, D(2026, 11, 4),
                 {"duration": 30, "agreements_actions": []})
    found = compliance.due_report(vault, WEDNESDAY).short_sessions
    assert [(s.record_id, s.name, s.session_date, s.minutes, s.minimum) for s in found] == [
        (today, "Ffion Hughes", WEDNESDAY, 100, 120),  # newest first
        (short, "Ffion Hughes", D(2026, 11, 2), 119, 120),
        (older, "Ffion Hughes", D(2025, 11, 26), 45, 120),
    ]


def test_an_amended_session_is_measured_by_its_latest_version(vault: Vault) -> None:
    compliance.set_profile(vault, "kent")  # at least 90 minutes (004 §6.1 line 153)
    worker = _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes")
    corrected = _supervision(vault, worker, D(2026, 11, 2), minutes=60)
    lengthened = _supervision(vault, worker, D(2026, 11, 9), minutes=120)
    for record_id, minutes in ((corrected, 95), (lengthened, 75)):
        lifecycle.amend(vault, record_id, "Time written down wrongly")
        view = records.get_record(vault, record_id)
        records.save_draft(vault, record_id, {**view.fields, "duration": minutes})
    found = compliance.due_report(vault, WEDNESDAY).short_sessions
    assert [(s.record_id, s.minutes, s.minimum) for s in found] == [(lengthened, 75, 90)]
    assert json_data(found[0].rule) == {"profile": "kent", "id": "session_length",
                                        "ref": "004 §6.1 line 153",
                                        "summary": "at least 90 minutes"}


def test_a_profile_without_a_session_length_lists_no_short_sessions(vault: Vault) -> None:
    compliance.set_profile(vault, "lambeth")  # 003 sets no minimum length
    worker = _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes")
    _supervision(vault, worker, D(2026, 11, 2), minutes=10)
    assert compliance.due_report(vault, WEDNESDAY).short_sessions == []


# --- records not finished --------------------------------------------------------------


def test_unfinished_records_oldest_first_and_a_limit_keeps_the_totals(vault: Vault) -> None:
    """Lambeth: uploaded within 2 working days (003 §4 line 345). Undated records come
    last; received records and uploaded ones are nothing for this vault to do."""
    compliance.set_profile(vault, "lambeth")
    child = _person(vault, "child", D(2026, 1, 5), name="Kai Example", plan="child_in_need")
    case = get_template("case-discussion-family")
    made = {name: records.create_record(vault, case, subject_id=child, session_date=day)
            for name, day in (("undated", None), ("friday", D(2026, 11, 20)),
                              ("monday", D(2026, 11, 23)), ("received", D(2026, 11, 2)),
                              ("uploaded", D(2026, 11, 2)), ("exported", D(2026, 11, 19)),
                              ("draft", D(2026, 11, 24)))}
    with vault.transaction() as session:
        for name, status in (("undated", "finalised"), ("friday", "signed"),
                             ("monday", "finalised"), ("received", "exported"),
                             ("uploaded", "uploaded"), ("exported", "exported")):
            session.get_one(Record, made[name]).status = status
        session.get_one(Record, made["received"]).origin = "received"

    report = compliance.due_report(vault, WEDNESDAY)
    assert [(r.record_id, r.upload_deadline, r.deadline_status.value, r.days_overdue)
            for r in report.not_exported] == [
        (made["friday"], D(2026, 11, 24), "overdue", 1),  # Fri 20 Nov + 2: Tue 24 Nov
        (made["monday"], D(2026, 11, 25), "due", 0),  # Mon 23 Nov + 2: Wed 25 Nov
        (made["undated"], None, "no_rule", 0),
    ]
    assert [(r.record_id, r.upload_deadline) for r in report.not_uploaded] == [
        (made["exported"], D(2026, 11, 23))]  # Thu 19 Nov + 2: Mon 23 Nov
    (draft,) = report.drafts
    assert (draft.record_id, draft.upload_deadline, draft.rule) == (made["draft"], None, None)
    assert draft.subject_name == "Kai Example"
    friday, _monday, undated = json.loads(json_text(report.not_exported,
                                                    list[compliance.RecordDue]))
    assert (friday["upload_deadline"], friday["rule"]) == ("2026-11-24", {
        "profile": "lambeth", "id": "upload", "ref": "003 §4 lines 345 and 351",
        "summary": "uploaded within 2 working days"})
    assert (undated["date"], undated["upload_deadline"], undated["rule"]) == (None, None, None)

    limited = compliance.due_report(vault, WEDNESDAY, limit=1)
    assert [r.record_id for r in limited.not_exported] == [made["friday"]]
    assert [limited.total(name) for name in ("drafts", "not_exported", "not_uploaded")] == [
        1, 3, 1]
    assert len(limited.people) == 1  # people are always all listed


def test_a_record_about_nobody_is_listed_without_a_name(vault: Vault) -> None:
    draft = records.create_record(vault, get_template("case-discussion-family"),
                                  session_date=D(2026, 11, 24))
    (due,) = compliance.due_report(vault, WEDNESDAY).drafts
    assert (due.record_id, due.subject_name, json_data(due)["subject"]) == (draft, "", "")


def test_overdue_actions_are_limited_like_the_record_lists(vault: Vault) -> None:
    worker = _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes")
    _supervision(vault, worker, D(2026, 11, 2), actions=[
        {"action": "Book the refresher", "by_whom": "Ffion Hughes", "by_when": "2026-11-23"},
        {"action": "Read the new policy", "by_whom": "Ffion Hughes", "by_when": "2026-11-16"},
        {"action": "Plan leave", "by_whom": "Ffion Hughes", "by_when": "2026-11-25"}])
    full = compliance.due_report(vault, WEDNESDAY)
    limited = compliance.due_report(vault, WEDNESDAY, limit=1)
    assert [(a["action"], a["days_overdue"]) for a in json_data(full)["overdue_actions"]] == [
        ("Read the new policy", 9), ("Book the refresher", 2)]  # due today is not overdue
    assert [a.text for a in limited.overdue_actions] == ["Read the new policy"]
    assert (full.total("overdue_actions"), limited.total("overdue_actions")) == (2, 2)


def test_the_report_is_for_today_unless_a_day_is_given(vault: Vault) -> None:
    import time_machine

    with time_machine.travel(dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC), tick=False):
        assert compliance.due_report(vault).as_of == WEDNESDAY


def test_a_profile_without_an_upload_rule_sets_no_deadline(vault: Vault) -> None:
    compliance.set_profile(vault, "walsall")
    child = _person(vault, "child", D(2026, 1, 5), name="Kai Example", plan="child_in_need")
    record_id = held_session(vault, "case-discussion-family", child, D(2026, 11, 2),
                             {"actions": []})
    (due,) = compliance.due_report(vault, WEDNESDAY).not_exported
    assert (due.record_id, due.upload_deadline, due.deadline_status.value, due.rule) == (
        record_id, None, "no_rule", None)


# --- agreements, staff groups and plans without a rule ---------------------------------


def test_a_supervision_agreement_is_reviewed_six_monthly_under_lambeth(vault: Vault) -> None:
    """003 Appendix A line 378: agreed at the start, reviewed every 6 months."""
    compliance.set_profile(vault, "lambeth")
    reviewed = _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes",
                       start_date="2026-01-05")
    agreement = held_session(vault, "agreement-lambeth", reviewed, D(2026, 5, 20))
    _person(vault, "supervisee", D(2026, 9, 14), name="Gareth Lewis")  # no start date
    _person(vault, "supervisee", D(2026, 9, 1), name="Hana Ali", start_date="2026-10-01")
    report = compliance.due_report(vault, WEDNESDAY)
    agreements = {e.name: e for e in report.agreements}
    ffion, gareth = agreements["Ffion Hughes"], agreements["Gareth Lewis"]
    # started after she was added: the agreement is due from the start, 55 days ago
    assert (agreements["Hana Ali"].next_due, agreements["Hana Ali"].days_overdue) == (
        D(2026, 10, 1), 55)
    assert (ffion.last_record_id, ffion.next_due, ffion.status.value, ffion.days_overdue) == (
        agreement, D(2026, 11, 20), "overdue", 5)
    assert ffion.rule is not None and json_data(ffion.rule) == {
        "profile": "lambeth", "id": "agreement", "ref": "003 Appendix A line 378",
        "summary": "agreement reviewed every 6 months"}
    # no start date: due from the day they were added; staff group taken as social worker
    assert (gareth.next_due, gareth.group, gareth.group_label) == (
        D(2026, 9, 14), "social_worker", "Social worker")
    # and supervised as one: every 6 weeks (003 table line 267) from 14 Sep, 26 Oct
    supervised = {e.name: e for e in report.people}["Gareth Lewis"]
    assert (supervised.group, supervised.next_due, supervised.days_overdue) == (
        "social_worker", D(2026, 10, 26), 30)
    assert supervised.rule is not None and supervised.rule.ref == "003 §3 table line 267"


def test_a_profile_without_an_agreement_rule_lists_no_agreements(vault: Vault) -> None:
    compliance.set_profile(vault, "walsall")
    _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes")
    report = compliance.due_report(vault, WEDNESDAY)
    assert report.agreements == [] and [e.name for e in report.people] == ["Ffion Hughes"]


def test_a_staff_group_without_a_rule_is_due_only_by_an_agreed_deviation(vault: Vault
                                                                         ) -> None:
    """The custom profile sets no frequency for support staff."""
    compliance.set_profile(vault, "custom")
    _person(vault, "supervisee", D(2026, 9, 1), name="Aled Owen",
                      staff_group="support_staff", start_date="2026-10-01")
    deviated = _person(vault, "supervisee", D(2026, 9, 1), name="Bethan Evans",
                       staff_group="support_staff", start_date="2026-10-01")
    seen = _person(vault, "supervisee", D(2026, 9, 1), name="Carys Jones",
                   staff_group="support_staff")
    _supervision(vault, seen, D(2026, 10, 5))
    for person in (deviated, seen):
        compliance.add_deviation(vault, person, "8 weeks", reason="Part time",
                                 approved_by=APPROVER, agreed_on=D(2026, 9, 1))
    entries = {e.name: e for e in compliance.due_report(vault, WEDNESDAY).people}
    aled, bethan, carys = (entries[n] for n in ("Aled Owen", "Bethan Evans", "Carys Jones"))
    assert (aled.next_due, aled.status.value, aled.rule, aled.group_label) == (
        None, "no_rule", None, "Support staff")
    # 8 weeks from the start (later than the day added): Thu 26 Nov, tomorrow
    assert (bethan.next_due, bethan.status.value) == (D(2026, 11, 26), "due")
    assert (carys.next_due, carys.status.value) == (D(2026, 11, 30), "due")  # 5 Oct + 8 wks
    assert bethan.rule is not None and json_data(bethan.rule) == {
        "profile": "custom", "id": "deviation", "ref": "004 §6.1 line 159",
        "summary": f"every 8 weeks (agreed deviation, approved by {APPROVER})"}


def test_a_child_without_a_plan_or_a_rule_is_listed_without_a_due_date(vault: Vault) -> None:
    compliance.set_profile(vault, "lambeth")  # no "every case" rule in 003
    _person(vault, "child", D(2026, 1, 5), name="Kai Example")
    odd = _person(vault, "child", D(2026, 1, 5), name="Osian Example", plan="child_in_need")
    with vault.transaction() as session:  # a plan no profile knows, from an older vault
        session.get_one(Person, odd).details = {"name": "Osian Example", "plan": "respite"}
    entries = {e.name: e for e in compliance.due_report(vault, WEDNESDAY).people}
    assert [(e.group, e.group_label, e.next_due, e.status.value, e.rule)
            for e in (entries["Kai Example"], entries["Osian Example"])] == [
        ("none", "None", None, "no_rule", None), ("respite", "respite", None, "no_rule", None)]


def test_a_childs_deviation_replaces_the_plan_rule_and_cites_the_deviation_clause(
    vault: Vault,
) -> None:
    """Lambeth child in need: every 6 weeks (003 line 252); a deviation of 3 weeks agreed
    under 003 §3.1 line 255 replaces it."""
    compliance.set_profile(vault, "lambeth")
    child = _person(vault, "child", D(2026, 1, 5), name="Kai Example", plan="child_in_need")
    held_session(vault, "case-discussion-family", child, D(2026, 11, 2), {"actions": []})
    (before,) = compliance.due_report(vault, WEDNESDAY).people
    assert (before.next_due, before.rule.rule_id if before.rule else None) == (
        D(2026, 12, 14), "case_discussion.child_in_need")
    compliance.add_deviation(vault, child, "3 weeks", reason="Risk increasing",
                             approved_by=APPROVER, agreed_on=D(2026, 11, 2))
    (after,) = compliance.due_report(vault, WEDNESDAY).people
    assert (after.next_due, after.status.value, after.days_overdue) == (
        D(2026, 11, 23), "overdue", 2)
    assert after.rule is not None and (after.rule.rule_id, after.rule.ref) == (
        "deviation", "003 §3.1 line 255")


def test_a_session_held_on_the_day_of_the_report_is_the_last_one(vault: Vault) -> None:
    compliance.set_profile(vault, "kent")
    worker = _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes",
                     start_date="2019-05-01")
    _supervision(vault, worker, D(2026, 10, 20))
    today = _supervision(vault, worker, WEDNESDAY)
    (entry,) = compliance.due_report(vault, WEDNESDAY).people
    assert (entry.last_session, entry.last_record_id, entry.next_due, entry.status.value) == (
        WEDNESDAY, today, D(2026, 12, 25), "ok")


def test_a_moved_session_shows_where_it_moved_to_until_the_next_is_held(vault: Vault
                                                                        ) -> None:
    """A cancellation counts from the day of the last session on; one not rescheduled
    moves nothing."""
    compliance.set_profile(vault, "kent")
    new = _person(vault, "supervisee", D(2026, 11, 2), name="Aled Owen")
    seen = _person(vault, "supervisee", D(2026, 1, 5), name="Bethan Evans")
    _supervision(vault, seen, D(2026, 11, 10))
    _cancelled(vault, new, D(2026, 11, 20), D(2026, 11, 27), dt.datetime(2026, 11, 19, 9))
    _cancelled(vault, seen, D(2026, 11, 10), D(2026, 11, 12), dt.datetime(2026, 11, 9, 9))
    not_moved = cancellations.record_cancellation(vault, seen, D(2026, 12, 1),
                                                  reason="Training day")
    with vault.transaction() as session:  # noted last of all
        session.get_one(Cancellation, not_moved.id).recorded_at = dt.datetime(2026, 11, 24, 9)
    entries = {e.name: e for e in compliance.due_report(vault, WEDNESDAY).people}
    assert entries["Aled Owen"].rescheduled_for == D(2026, 11, 27)  # no session yet
    assert entries["Bethan Evans"].rescheduled_for == D(2026, 11, 12)  # the same day counts


# --- an agency pack ---------------------------------------------------------------------


def _agency_pack(monkeypatch: pytest.MonkeyPatch, profile_id: str, *, local_choice: bool
                 ) -> None:
    """This computer follows an agency pack setting ``profile_id`` (as services.agency
    loads one), which may or may not let each vault choose its own."""
    from types import SimpleNamespace

    from supervision_desktop.services import agency

    pack = SimpleNamespace(
        pack=SimpleNamespace(local_policy_choice=local_choice, label="Kent (version 2026.1)"),
        policy=compliance.get_profile(profile_id))
    monkeypatch.setattr(agency, "active", lambda: pack)


def test_an_agency_pack_sets_the_profile_for_every_vault_unless_it_lets_them_choose(
    vault: Vault, monkeypatch: pytest.MonkeyPatch,
) -> None:
    with vault.transaction() as session:  # chosen before the pack came
        settings.write(session, compliance.POLICY_PROFILE, "walsall")
    _agency_pack(monkeypatch, "kent", local_choice=False)
    assert compliance.vault_profile(vault).id == "kent"
    with pytest.raises(InvalidInput) as refused:
        compliance.set_profile(vault, "lambeth")
    assert str(refused.value) == (
        "Your agency's pack (Kent (version 2026.1)) sets the policy profile for everyone on "
        "this computer, so it cannot be changed here. Ask your IT service desk.")
    _agency_pack(monkeypatch, "kent", local_choice=True)
    assert compliance.vault_profile(vault).id == "walsall"


def test_a_vault_that_has_not_chosen_follows_the_agency_packs_profile(
    vault: Vault, monkeypatch: pytest.MonkeyPatch,
) -> None:
    _agency_pack(monkeypatch, "birmingham-ifa", local_choice=True)
    assert compliance.vault_profile(vault).id == "birmingham-ifa"
    compliance.set_profile(vault, "walsall")
    assert compliance.vault_profile(vault).id == "walsall"


def test_details_an_older_vault_left_out_are_read_as_their_defaults(vault: Vault) -> None:
    """People added before a detail existed have no value for it (or one no longer
    offered, shown as it is): no staff group is a social worker, no plan is none, no
    placement_matched is not matched, no date of birth is no age. The custom profile: 8
    weeks looked after, 3 months matched, 8 weeks 16+, 3 months for every case (its refs
    name the seed each is taken from)."""
    compliance.set_profile(vault, "custom")
    ids = {name: _person(vault, kind, D(2026, 9, 1), name=name) for kind, name in (
        ("supervisee", "Aled Owen"), ("supervisee", "Bryn Locum"), ("child", "Kai Example"),
        ("child", "Ellie Example"), ("child", "Rhys Example"))}
    with vault.transaction() as session:
        for name, details in (("Aled Owen", {}), ("Bryn Locum", {"staff_group": "locum"}),
                              ("Kai Example", {}),
                              ("Ellie Example", {"plan": "looked_after"}),
                              ("Rhys Example", {"plan": "looked_after", "dob": "2009-05-01",
                                                "placement_matched": True})):
            session.get_one(Person, ids[name]).details = {"name": name, **details}
    report = compliance.due_report(vault, WEDNESDAY)
    entries = {e.name: e for e in report.people}
    assert [(n, entries[n].group, entries[n].group_label,
             entries[n].rule.rule_id if entries[n].rule else None, entries[n].next_due)
            for n in ("Aled Owen", "Bryn Locum", "Kai Example", "Ellie Example",
                      "Rhys Example")] == [
        ("Aled Owen", "social_worker", "Social worker", "staff_supervision.social_worker",
         D(2026, 10, 1)),  # monthly from the day added
        ("Bryn Locum", "locum", "locum", None, None),  # a group no profile names
        ("Kai Example", "none", "None", "case_discussion.all_cases", D(2026, 12, 1)),
        ("Ellie Example", "looked_after", "Looked after",
         "case_discussion.looked_after_not_matched", D(2026, 10, 27)),
        ("Rhys Example", "looked_after", "Looked after", "case_discussion.sixteen_plus",
         D(2026, 10, 27)),  # 17 on the day: 8 weeks, sooner than matched's 3 months
    ]
    assert [(a.name, a.group, a.group_label) for a in report.agreements] == [
        ("Aled Owen", "social_worker", "Social worker"), ("Bryn Locum", "locum", "locum")]


def test_a_report_made_without_totals_counts_what_it_holds() -> None:
    """A report put together elsewhere (not by due_report) has no totals of its own."""
    draft = compliance.RecordDue("0" * 32, "Personal supervision record", "Ffion Hughes",
                                 WEDNESDAY, RecordStatus.DRAFT, None, DueStatus.NO_RULE, 0,
                                 None)
    report = compliance.DueReport(WEDNESDAY, compliance.get_profile("kent"), [], [],
                                  [draft, draft], [], [], [])
    assert [report.total(name) for name in ("drafts", "not_exported", "not_uploaded",
                                            "overdue_actions")] == [2, 0, 0, 0]


# --- found by the mutation run (issue 17) ----------------------------------------------


def _held_on(vault: Vault, template: Template, person_id: str, day: dt.date,
             **fields: Any) -> str:
    """A session held on a form given whole (such as a newer version an agency sends)."""
    record_id = records.create_record(
        vault, template, subject_id=person_id, session_date=day,
        fields={**fill_every_field(template, "Discussed"), **fields})
    lifecycle.finalise(vault, record_id)
    return record_id


def _newer(template_id: str, **changes: Any) -> Template:
    """The next version of a shipped form, as an agency's update would bring it."""
    shipped = get_template(template_id)
    return shipped.model_copy(update={"version": shipped.version + 1, **changes})


def test_a_full_year_without_a_session_held_is_noted_from_the_start_date(vault: Vault
                                                                          ) -> None:
    """Birmingham asks for at least 10 a year (001 line 122). A year before Wed 25 Nov
    2026 is 25 Nov 2025. The year counts from the start date when it is later than the
    day the worker was added."""
    compliance.set_profile(vault, "birmingham-ifa")
    _person(vault, "supervisee", D(2024, 1, 8), name="Aled Never Seen",
            start_date="2024-01-08")
    lapsed = _person(vault, "supervisee", D(2024, 1, 8), name="Bethan Lapsed",
                     start_date="2024-01-08")
    _supervision(vault, lapsed, D(2025, 6, 2))  # the only session, before the year
    # added in January 2025, but starts in post only in January 2026
    _person(vault, "supervisee", D(2025, 1, 6), name="Carys Starting",
            start_date="2026-01-05")
    notes = {e.name: e.notes for e in compliance.due_report(vault, WEDNESDAY).people}
    none_held = ("0 session(s) in the last 12 months; the policy asks for at least 10 a "
                 f"year ({BCT_FREQUENCY})",)
    assert notes == {"Aled Never Seen": none_held, "Bethan Lapsed": none_held,
                     "Carys Starting": ()}


def test_an_end_date_only_in_the_details_still_ends_the_work(vault: Vault) -> None:
    """A vault from before ``ended_on`` existed (migration 0003 adds it empty) holds the
    end date only in the person's details: they leave the report all the same."""
    left = _person(vault, "supervisee", D(2026, 1, 5), name="Left Before Migration",
                   end_date="2026-11-20")
    _person(vault, "supervisee", D(2026, 1, 5), name="Still Here")
    with vault.transaction() as session:
        session.get_one(Person, left).ended_on = None
    report = compliance.due_report(vault, WEDNESDAY)
    assert [e.name for e in report.people] == ["Still Here"]
    assert [e.name for e in report.agreements] == ["Still Here"]


def test_the_latest_session_on_any_counted_form_is_the_last_one(vault: Vault) -> None:
    """Kent, monthly (004 line 137): a session on the professional supervision form
    after one on the personal supervision form is the one the due date counts from."""
    compliance.set_profile(vault, "kent")
    worker = _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes",
                     start_date="2019-05-01")
    _supervision(vault, worker, D(2026, 10, 5))
    later = held_session(vault, "professional-supervision", worker, D(2026, 11, 2),
                         {"previous_actions": [], "actions": []})
    (entry,) = compliance.due_report(vault, WEDNESDAY).people
    assert (entry.last_session, entry.last_record_id, entry.next_due, entry.status.value) == (
        D(2026, 11, 2), later, D(2026, 12, 2), "due")  # within Kent's 7 days


def test_a_session_counts_by_the_version_of_the_form_it_was_written_on(vault: Vault
                                                                       ) -> None:
    """The form's next version is a monitoring sheet, not a supervision session: the
    record written on it does not count, the earlier one on the old version still does
    (Kent, monthly, 004 line 137)."""
    compliance.set_profile(vault, "kent")
    worker = _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes",
                     start_date="2019-05-01")
    held = _supervision(vault, worker, D(2026, 10, 5))
    _held_on(vault, _newer("personal-supervision", category="monitoring"), worker,
             D(2026, 11, 2))
    (entry,) = compliance.due_report(vault, WEDNESDAY).people
    assert (entry.last_session, entry.last_record_id, entry.next_due, entry.status.value,
            entry.days_overdue) == (D(2026, 10, 5), held, D(2026, 11, 5), "overdue", 20)


def test_sessions_on_two_versions_of_a_form_are_each_checked_once_for_length(
    vault: Vault,
) -> None:
    """Birmingham asks for 2 hours (001 line 128). A foster carer's supervision form has
    a duration too (and the same version number as the newer form), but is not staff
    supervision."""
    compliance.set_profile(vault, "birmingham-ifa")
    worker = _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes")
    carer = _person(vault, "carer", D(2026, 1, 5), name="Jo Marsh")
    newer = _newer("personal-supervision")
    assert newer.version == get_template("foster-carer-supervision").version
    old_form = _supervision(vault, worker, D(2026, 11, 2), minutes=90)
    new_form = _held_on(vault, newer, worker, D(2026, 11, 9), duration=100,
                        actions=[], action_review=[])
    held_session(vault, "foster-carer-supervision", carer, D(2026, 11, 4),
                 {"duration": 30, "agreements_actions": []})
    found = compliance.due_report(vault, WEDNESDAY).short_sessions
    assert [(s.record_id, s.session_date, s.minutes) for s in found] == [
        (new_form, D(2026, 11, 9), 100), (old_form, D(2026, 11, 2), 90)]


def test_forms_that_are_not_staff_supervision_or_have_no_duration_are_passed_over(
    vault: Vault,
) -> None:
    """A case discussion (not staff supervision) and a professional supervision (no
    duration) used before the personal supervision form do not stop the check
    (Birmingham, 2 hours, 001 line 128)."""
    compliance.set_profile(vault, "birmingham-ifa")
    child = _person(vault, "child", D(2026, 1, 5), name="Kai Example", plan="child_in_need")
    worker = _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes")
    held_session(vault, "case-discussion-family", child, D(2026, 10, 1), {"actions": []})
    held_session(vault, "professional-supervision", worker, D(2026, 10, 5),
                 {"previous_actions": [], "actions": []})
    short = _supervision(vault, worker, D(2026, 11, 2), minutes=60)
    found = compliance.due_report(vault, WEDNESDAY).short_sessions
    assert [(s.record_id, s.name, s.minutes) for s in found] == [(short, "Ffion Hughes", 60)]


def test_only_the_latest_version_of_each_session_is_measured(vault: Vault) -> None:
    """Kent asks for 90 minutes (004 §6.1 line 153): a session amended from 60 to 95
    minutes is long enough; one never amended is measured as it was finalised, even at
    a single minute."""
    compliance.set_profile(vault, "kent")
    worker = _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes")
    amended = _supervision(vault, worker, D(2026, 11, 2), minutes=60)
    lifecycle.amend(vault, amended, "Time written down wrongly")
    view = records.get_record(vault, amended)
    records.save_draft(vault, amended, {**view.fields, "duration": 95})
    lifecycle.finalise(vault, amended)
    short = _supervision(vault, worker, D(2026, 11, 9), minutes=45)
    brief = _supervision(vault, worker, D(2026, 11, 16), minutes=1)
    found = compliance.due_report(vault, WEDNESDAY).short_sessions
    assert [(s.record_id, s.minutes) for s in found] == [(brief, 1), (short, 45)]


def test_a_short_session_not_yet_about_anyone_is_listed_without_a_name(vault: Vault
                                                                       ) -> None:
    """A draft counts (the session happened), even before it names the supervisee;
    Kent asks for 90 minutes (004 §6.1 line 153)."""
    compliance.set_profile(vault, "kent")
    template = get_template("personal-supervision")
    record_id = records.create_record(
        vault, template, session_date=D(2026, 11, 2),
        fields={**fill_every_field(template, "Discussed"), "duration": 30})
    (found,) = compliance.due_report(vault, WEDNESDAY).short_sessions
    assert (found.record_id, found.name, json_data(found)["person"], found.minutes) == (
        record_id, "", "", 30)


def test_names_sort_without_regard_to_capitals_or_the_sharp_s(vault: Vault) -> None:
    """Kent social workers, monthly (004 line 137), none seen yet, all due the same day:
    by name, ß read as ss (Weiß between Weir and Weisz), and the same name in other
    capitals in a fixed order (capitals first), whatever order they were added in."""
    compliance.set_profile(vault, "kent")
    for name in ("Anna Weisz", "anna weiß", "Anna Weiß", "Anna Weir"):
        _person(vault, "supervisee", D(2026, 11, 2), name=name)
    report = compliance.due_report(vault, WEDNESDAY)
    assert [(e.name, e.next_due) for e in report.people] == [
        ("Anna Weir", D(2026, 12, 2)), ("Anna Weiß", D(2026, 12, 2)),
        ("anna weiß", D(2026, 12, 2)), ("Anna Weisz", D(2026, 12, 2))]
    assert [e.name for e in report.agreements] == [
        "Anna Weir", "Anna Weiß", "anna weiß", "Anna Weisz"]


def test_records_of_the_same_day_keep_one_order_whatever_order_they_were_made(
    vault: Vault, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Same-day records are listed by id, so a limited list always keeps the same ones:
    here the ids run backwards against the order the records were made."""
    import uuid

    ids = iter(f"{n:032x}" for n in range(0xFFFF, 0, -1))
    monkeypatch.setattr(records.uuid, "uuid4", lambda: uuid.UUID(next(ids)))
    child = _person(vault, "child", D(2026, 1, 5), name="Kai Example", plan="child_in_need")
    case = get_template("case-discussion-family")
    made = [records.create_record(vault, case, subject_id=child, session_date=WEDNESDAY)
            for _ in range(3)]
    assert made == sorted(made, reverse=True)
    report = compliance.due_report(vault, WEDNESDAY)
    assert [r.record_id for r in report.drafts] == [made[2], made[1], made[0]]
    limited = compliance.due_report(vault, WEDNESDAY, limit=1)
    assert [r.record_id for r in limited.drafts] == [made[2]]


def test_a_received_session_counts_even_when_its_data_gives_no_finalised_time(
    vault: Vault,
) -> None:
    """A signed record taken in from another vault is stored finalised; record data that
    gives no finalised time (services.carer_import keeps it empty) leaves its version
    without one: still a session held (Kent, monthly, 004 line 137)."""
    from supervision_desktop.store.models import RecordVersion

    compliance.set_profile(vault, "kent")
    worker = _person(vault, "supervisee", D(2026, 1, 5), name="Ffion Hughes",
                     start_date="2019-05-01")
    received = _supervision(vault, worker, D(2026, 11, 2))
    with vault.transaction() as session:
        record = session.get_one(Record, received)
        record.origin = "received"
        for version in session.scalars(select(RecordVersion)
                                       .where(RecordVersion.record_id == received)):
            version.finalised_at = None
    (entry,) = compliance.due_report(vault, WEDNESDAY).people
    assert (entry.last_session, entry.last_record_id, entry.next_due) == (
        D(2026, 11, 2), received, D(2026, 12, 2))
