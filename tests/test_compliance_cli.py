"""The compliance commands as agency IT would script them: policy, due, deviations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from supervision_desktop.cli import run
from tests.conftest import PASSPHRASE


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)


def _cli(capsys: pytest.CaptureFixture[str], *argv: str, status: int = 0) -> str:
    code = run(list(argv))
    out, err = capsys.readouterr()
    assert code == status, err
    if status:
        assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
        return err
    return out


def _json_file(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.fixture
def team(vault_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """A team manager's vault: a newly qualified social worker and a child, each with a
    session held (a finalised record), and a later draft for the worker not finished."""
    vault = ["--vault", str(vault_folder)]
    ids = {
        "nqsw": _cli(capsys, "person", "add", "--kind", "supervisee", "--data", _json_file(
            tmp_path, "p1.json", {"name": "Amara Okafor", "staff_group": "nqsw",
                                  "start_date": "2026-09-07"}), *vault).strip(),
        "child": _cli(capsys, "person", "add", "--kind", "child", "--data", _json_file(
            tmp_path, "p2.json", {"name": "Kai Example", "plan": "child_in_need"}),
            *vault).strip(),
    }
    from supervision_desktop.services.templates import get_template
    from tests.sample_values import fill_every_field

    for key, template, date in (("nqsw", "professional-supervision", "2026-11-09"),
                                ("child", "case-discussion-family", "2026-10-01")):
        fields = fill_every_field(get_template(template), "Discussed")
        record = _json_file(tmp_path, f"{key}-record.json",
                            {"subject": ids[key], "date": date, "fields": fields})
        ids[f"{key}_record"] = _cli(capsys, "record", "create", "--template", template,
                                    "--data", record, *vault).strip()
        _cli(capsys, "record", "finalise", ids[f"{key}_record"], *vault)
    draft = _json_file(tmp_path, "draft.json", {"subject": ids["nqsw"], "date": "2026-11-20",
                                                "fields": {}})
    ids["draft"] = _cli(capsys, "record", "create", "--template", "professional-supervision",
                        "--data", draft, *vault).strip()
    return ids


def test_policy_set_and_show(vault_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vault = ["--vault", str(vault_folder)]
    listed = json.loads(_cli(capsys, "policy", "list", "--json"))
    assert {p["id"] for p in listed} == {"birmingham-ifa", "walsall", "lambeth", "kent", "custom"}
    assert "Lambeth" in _cli(capsys, "policy", "show", *vault)  # the default
    assert "now follows" in _cli(capsys, "policy", "set", "kent", *vault)
    shown = json.loads(_cli(capsys, "policy", "show", "--json", *vault))
    assert shown["id"] == "kent"
    assert shown["staff_supervision"]["groups"]["nqsw"]["ref"] == "004 §6.1 lines 129 and 137"
    err = _cli(capsys, "policy", "set", "nowhere", *vault, status=1)
    assert "no policy profile 'nowhere'" in err


def test_an_agencys_own_profile_file_is_checked_and_kept_in_the_vault(
    vault_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from supervision_desktop.services.compliance import policies_dir

    own = (policies_dir() / "custom.yaml").read_text(encoding="utf-8")
    own = own.replace("id: custom", "id: our-agency")
    path = tmp_path / "our-agency.yaml"
    path.write_text(own, encoding="utf-8")
    assert "ok (our-agency)" in _cli(capsys, "policy", "check", str(path))
    _cli(capsys, "policy", "set", "--file", str(path), "--vault", str(vault_folder))
    path.unlink()  # the vault keeps its own copy
    shown = json.loads(_cli(capsys, "policy", "show", "--json", "--vault", str(vault_folder)))
    assert shown["id"] == "our-agency"
    broken = tmp_path / "broken.yaml"
    broken.write_text(own.replace("working_days: 2", "working_days: -1"), encoding="utf-8")
    assert run(["policy", "check", str(broken)]) == 1
    assert "upload > working_days" in capsys.readouterr().out


def test_due_json_shape(vault_folder: Path, team: dict[str, str],
                        capsys: pytest.CaptureFixture[str]) -> None:
    vault = ["--vault", str(vault_folder)]
    report = json.loads(_cli(capsys, "due", "--json", "--as-of", "2026-11-25", *vault))
    assert set(report) == {"as_of", "profile", "people", "agreement_reviews", "drafts",
                           "not_exported", "not_uploaded", "overdue_actions", "short_sessions"}
    assert report["as_of"] == "2026-11-25"
    assert report["profile"] == {"id": "lambeth", "title": report["profile"]["title"],
                                 "due_soon_days": 7}
    people = {p["person"]["name"]: p for p in report["people"]}
    assert set(people) == {"Amara Okafor", "Kai Example"}
    amara = people["Amara Okafor"]
    assert amara == {
        "person": {"id": team["nqsw"], "name": "Amara Okafor", "kind": "supervisee"},
        "group": "nqsw", "group_label": "Newly qualified social worker (ASYE)",
        "last_session": "2026-11-09", "last_record_id": team["nqsw_record"],
        "next_due": "2026-11-23", "status": "overdue", "days_overdue": 2,
        "rule": {"profile": "lambeth", "id": "staff_supervision.nqsw",
                 "ref": "003 §3.3 line 312; table line 263",
                 "summary": "weekly for the first 6 weeks, then every 2 weeks until 6 months, "
                            "then monthly"},
        "deviation": None, "rescheduled_for": None, "notes": [],
    }
    kai = people["Kai Example"]  # child in need, 6 weeks (003 line 252): 1 Oct -> 12 Nov
    assert (kai["next_due"], kai["status"], kai["days_overdue"]) == ("2026-11-12", "overdue", 13)
    assert kai["rule"]["id"] == "case_discussion.child_in_need"
    # the draft of 20/11 is not a session held (Amara's last is 09/11), nor can it be
    # uploaded yet: no upload deadline until it is finalised
    [draft] = report["drafts"]
    assert draft["record_id"] == team["draft"]
    assert (draft["upload_deadline"], draft["status"]) == (None, "no_rule")
    finalised = {d["record_id"]: d for d in report["not_exported"]}
    assert set(finalised) == {team["nqsw_record"], team["child_record"]}
    # Lambeth: 2 working days after Thu 1 Oct 2026 is Mon 5 Oct (003 line 345).
    child = finalised[team["child_record"]]
    assert (child["upload_deadline"], child["status"]) == ("2026-10-05", "overdue")
    assert [a["person"]["name"] for a in report["agreement_reviews"]] == ["Amara Okafor"]

    text = _cli(capsys, "due", "--as-of", "2026-11-25", *vault)
    assert "OVERDUE  Kai Example" in text and "23/11/2026" in text


def test_deviation_from_the_command_line(vault_folder: Path, team: dict[str, str],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    vault = ["--vault", str(vault_folder)]
    _cli(capsys, "policy", "set", "kent", *vault)
    _cli(capsys, "deviation", "add", team["nqsw"], "--every", "3 weeks", "--reason",
         "Progressing well against the ASYE plan", "--approved-by", "Priya Shah, Service Manager",
         "--agreed-on", "2026-11-01", *vault)
    listed = json.loads(_cli(capsys, "deviation", "list", "--json", *vault))
    assert listed[0]["every"] == "3 weeks" and listed[0]["approved_by"].startswith("Priya")
    report = json.loads(_cli(capsys, "due", "--json", "--as-of", "2026-11-25", *vault))
    amara = next(p for p in report["people"] if p["person"]["name"] == "Amara Okafor")
    assert amara["next_due"] == "2026-11-30"  # 9 Nov + 3 weeks
    assert amara["rule"]["id"] == "deviation" and amara["deviation"]["every"] == "3 weeks"
    err = _cli(capsys, "deviation", "add", team["nqsw"], "--every", "sometimes", "--reason", "x",
               "--approved-by", "y", *vault, status=1)
    assert "not a period" in err


def test_cancellations_make_the_monitoring_sheet(
    vault_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = ["--vault", str(vault_folder)]
    _cli(capsys, "policy", "set", "birmingham-ifa", *vault)
    worker = _cli(capsys, "person", "add", "--kind", "supervisee", "--data", _json_file(
        tmp_path, "p.json", {"name": "Ffion Hughes", "job_title": "Supervising social worker",
                             "supervisor": "Gareth Lewis"}), *vault).strip()
    from supervision_desktop.services.templates import get_template
    from tests.sample_values import fill_every_field

    filled = fill_every_field(get_template("personal-supervision"), "Discussed")
    held = {}
    for day, time in (("2026-01-15", "10:00"), ("2026-02-19", "14:00")):
        data = _json_file(tmp_path, f"{day}.json", {
            "subject": worker, "date": day, "fields": {**filled, "start_time": time}})
        held[day] = _cli(capsys, "record", "create", "--template", "personal-supervision",
                         "--data", data, *vault).strip()
        _cli(capsys, "record", "finalise", held[day], *vault)  # a session held
    _cli(capsys, "cancel", worker, "--date", "2026-02-12", "--time", "14:00", "--reason",
         "Supervisor on sick leave", "--initiated-by", "Supervisor", "--rescheduled",
         "2026-02-19", *vault)
    _cli(capsys, "cancel", worker, "--date", "12/03/2026", "--reason", "Court hearing",
         "--initiated-by", "Supervisee", "--rescheduled", "2026-04-02",
         "--comments", "Agreed by e-mail", *vault)

    sheet = json.loads(_cli(capsys, "monitoring", worker, "--json", *vault))
    assert sheet["supervisor"] == "Gareth Lewis"
    assert [(r["session_date"], r["session_time"], r["completed"], r["date_rescheduled"],
             r["reasons_for_postponement"], r["note"]) for r in sheet["rows"]] == [
        ("2026-01-15", "10:00", True, None, "", ""),
        ("2026-02-12", "14:00", False, "2026-02-19",
         "Supervisor on sick leave (cancelled by Supervisor)", ""),
        ("2026-02-19", "14:00", True, None, "", ""),
        ("2026-03-12", "", False, "2026-04-02", "Court hearing (cancelled by Supervisee)",
         "Not rescheduled within the month (Birmingham Children's Trust IFA guidance, "
         "Cancellation)"),
    ]
    assert sheet["rows"][0]["record_id"] == held["2026-01-15"]
    assert sheet["rows"][3]["comments"] == "Agreed by e-mail"
    text = _cli(capsys, "monitoring", worker, *vault)
    assert "12/03/2026" in text and "NO" in text and "02/04/2026" in text

    record = _cli(capsys, "monitoring", worker, "--record", *vault).strip()
    shown = json.loads(_cli(capsys, "record", "show", record, "--json", *vault))
    assert shown["template"]["id"] == "monitoring-sheet"
    assert shown["fields"]["supervisee_name"] == "Ffion Hughes"
    assert [r["completed"] for r in shown["fields"]["sessions"]] == [True, False, True, False]
    assert shown["fields"]["sessions"][1]["date_rescheduled"] == "2026-02-19"

    report = json.loads(_cli(capsys, "due", "--json", "--as-of", "2026-03-20", *vault))
    ffion = next(p for p in report["people"] if p["person"]["id"] == worker)
    assert (ffion["last_session"], ffion["next_due"], ffion["rescheduled_for"]) == (
        "2026-02-19", "2026-03-19", "2026-04-02")  # monthly (001 line 122), session moved

    err = _cli(capsys, "cancel", worker, "--date", "2026-05-01", "--reason", "  ", "--time",
               "2pm", *vault, status=1)
    assert "say why" in err and "'2pm' is not a time" in err
