"""`due --ics`: the due dates as a calendar file, parsed back; by default it names
nobody (initials, no case details), and an event keeps its UID from one file to the next."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest
from icalendar import Calendar

from supervision_desktop.cli import run
from supervision_desktop.services import calendar_export, people
from supervision_desktop.store import vault as vaults
from tests.conftest import PASSPHRASE, files_containing
from tests.sample_values import held_session


@pytest.fixture
def team(vault_folder: Path, data_key: bytes) -> dict[str, str]:
    with vaults.open_with_key(vault_folder, data_key) as vault:
        amara = people.add_person(vault, "supervisee", {
            "name": "Amara Okafor-Bright", "staff_group": "social_worker",
            "start_date": "2019-05-01"}).id
        held_session(vault, "professional-supervision", amara, dt.date(2026, 10, 20))
        kai = people.add_person(vault, "child", {"name": "Kai Example",
                                                "plan": "child_in_need"}).id
        held_session(vault, "case-discussion-family", kai, dt.date(2026, 10, 1))
    return {"amara": amara, "kai": kai}


def _events(path: Path) -> dict[str, tuple[str, dt.date, str]]:
    parsed = Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]): (str(e["summary"]), e.decoded("dtstart"), str(e["description"]))
            for e in parsed.walk("VEVENT")}


def test_the_calendar_holds_each_due_date_with_initials_only(
    vault_folder: Path, team: dict[str, str], tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "due.ics"
    assert run(["due", "--ics", str(out), "--as-of", "2026-11-25",
                "--vault", str(vault_folder)]) == 0
    assert capsys.readouterr().out == (
        f"Wrote 3 due dates to {out} (initials only; --names for full names).\n")
    events = _events(out)
    quiet = "From Supervision Desktop. Open the app for the details."
    assert events[f"{team['amara']}-supervision@supervision-desktop"] == (
        "Supervision due: A.O.B.", dt.date(2026, 12, 1), quiet)  # 20/10 + 6 weeks (Lambeth)
    assert events[f"{team['kai']}-case-discussion@supervision-desktop"] == (
        "Case discussion due: K.E. (overdue since 12/11/2026)", dt.date(2026, 11, 12), quiet)
    review = events[f"{team['amara']}-agreement-review@supervision-desktop"]
    assert review[0].startswith("Agreement review due: A.O.B.")
    assert files_containing(tmp_path, "Okafor") == [] and files_containing(tmp_path, "Kai") == []
    if os.name == "posix":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600

    assert run(["due", "--ics", str(out), "--names", "--as-of", "2026-11-25",
                "--vault", str(vault_folder)]) == 0
    named = _events(out)
    assert set(named) == set(events)  # the same UIDs: a re-import updates, never doubles
    assert named[f"{team['amara']}-supervision@supervision-desktop"][0] == (
        "Supervision due: Amara Okafor-Bright")


def test_initials() -> None:
    assert [calendar_export.initials(n) for n in (
        "Amara Okafor", "Siân ap Dafydd", "Zoë O'Neill-Smith", "محمد علي", "  ")] == [
        "A.O.", "S.A.D.", "Z.O.S.", "م.ع.", "?"]
