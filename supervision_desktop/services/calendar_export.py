"""Upcoming supervisions as an iCalendar file, for the worker's own calendar.

One all-day event per person due (and per supervision agreement to review) on the day
it is due, from the same report as the dashboard (`compliance.due_report`). A calendar
leaves the vault's protection — it syncs to phones and to mail servers — so by default
an event names nobody: its title is "Supervision due" with the person's initials, and
its text holds no case details. ``names=True`` writes full names, on request only.
Each event's UID is stable per person and kind, so importing a newer file updates the
events rather than adding copies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from icalendar import Calendar, Event

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.domain.schedule import DueStatus
from supervision_desktop.services import compliance
from supervision_desktop.services.compliance import DueEntry
from supervision_desktop.services.export import write_atomically
from supervision_desktop.store.vault import Vault

PRODUCT_ID = "-//Supervision Desktop//Due sessions//EN"
_WHAT = {"supervisee": "Supervision", "child": "Case discussion", "carer": "Supervision"}


@dataclass(frozen=True)
class CalendarWritten:
    path: Path
    events: int


def initials(name: str) -> str:
    """"Amara Okafor" → "A.O."; a hyphenated part keeps its own initial."""
    parts = [word for word in name.replace("-", " ").split() if word[:1].isalpha()]
    return "".join(p[0].upper() + "." for p in parts) or "?"


def _event(entry: DueEntry, what: str, *, names: bool, stamp: dt.datetime) -> Event:
    assert entry.next_due is not None
    who = entry.name if names else initials(entry.name)
    late = (f" (overdue since {uk_date(entry.next_due)})"
            if entry.status is DueStatus.OVERDUE else "")
    event = Event()
    event.add("uid", f"{entry.person_id}-{what.lower().replace(' ', '-')}"
                     "@supervision-desktop")
    event.add("dtstamp", stamp)
    event.add("dtstart", entry.next_due)
    event.add("dtend", entry.next_due + dt.timedelta(days=1))
    event.add("summary", f"{what} due: {who}{late}")
    event.add("description", "From Supervision Desktop. Open the app for the details.")
    event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: the day stays free
    return event


def calendar(vault: Vault, as_of: dt.date | None = None, *, names: bool = False,
             stamp: dt.datetime | None = None) -> Calendar:
    report = compliance.due_report(vault, as_of)
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Supervisions due")
    for entry in report.people:
        if entry.next_due is not None:
            cal.add_component(_event(entry, _WHAT.get(entry.kind, "Supervision"),
                                     names=names, stamp=stamp))
    for entry in report.agreements:
        if entry.next_due is not None:
            cal.add_component(_event(entry, "Agreement review", names=names, stamp=stamp))
    return cal


def write_calendar(vault: Vault, path: Path, as_of: dt.date | None = None, *,
                   names: bool = False) -> CalendarWritten:
    """Write the .ics file (private, atomically); returns how many events it holds."""
    cal = calendar(vault, as_of, names=names)
    write_atomically(Path(path).expanduser(), cal.to_ical())
    return CalendarWritten(Path(path), len(cal.walk("VEVENT")))
