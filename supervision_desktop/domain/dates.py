"""Every date and time as people in the UK read and type them, and as the vault keeps them.

One place for the rules, so a form, the command line, a PDF and a report agree:

- shown: ``22/11/2026`` and ``22/11/2026 14:30`` in this computer's local time;
- typed: ``22/11/2026`` (also ``22.11.2026``, ``22-11-2026``, one-digit day or month) or
  the ISO form ``2026-11-22``;
- kept: dates as ISO text ``2026-11-22`` (ASCII digits, never a week date such as
  ``2026-W48-1`` nor ``20261122``, which Python's own parser accepts), moments in UTC.
  A moment read back without a zone is UTC: the vault has always written UTC.
"""

from __future__ import annotations

import datetime as dt
import re

UK_DATE = "%d/%m/%Y"  # 22/11/2026
UK_DATE_TIME = "%d/%m/%Y %H:%M"  # 22/11/2026 14:30

# ASCII digits only (\d takes any script's); fullmatch, so nothing may follow.
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TYPED_DATE = re.compile(r"\s*([0-9]{1,2})\s*[/.\- ]\s*([0-9]{1,2})\s*[/.\- ]\s*([0-9]{4})\s*")


def iso_date(text: str) -> dt.date:
    """A kept date, ``2026-11-22``, as a date; ValueError for anything else."""
    match = _ISO_DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        year, month, day = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' is not a date written 2026-11-22") from None


def typed_date(text: str) -> dt.date:
    """What a person typed as a date (22/11/2026 or 2026-11-22); ValueError if not one."""
    match = _TYPED_DATE.fullmatch(text)
    try:
        if match is None:
            return iso_date(text.strip())
        day, month, year = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' is not a date: write it as 22/11/2026") from None


def optional_date(value: object) -> dt.date | None:
    """A date from a table cell or a stored value that may be blank or not a date at all."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return typed_date(value)
    except ValueError:
        return None


def uk_date(value: dt.date | str | None, empty: str = "") -> str:
    """22/11/2026 from a date, a moment (its local day) or kept ISO text; ``empty`` for none.

    Kept text that is not a date is shown as it was written, never dropped.
    """
    if value is None or value == "":
        return empty
    if isinstance(value, str):
        try:
            day = iso_date(value[:10])
        except ValueError:
            return value
    elif isinstance(value, dt.datetime):
        day = aware(value).astimezone().date()
    else:
        day = value
    return day.strftime(UK_DATE)


def aware(moment: dt.datetime) -> dt.datetime:
    """The same moment with its zone: one read back without a zone is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def moment(text: str) -> dt.datetime:
    """A kept moment (ISO 8601 text) as an aware datetime; ValueError if it is not one."""
    return aware(dt.datetime.fromisoformat(text))


def local_time(value: dt.datetime | None, *, seconds: bool = False, zone: bool = False,
               empty: str = "") -> str:
    """A moment in this computer's time: ``22/11/2026 14:30`` (``:05`` seconds, ``GMT``)."""
    if value is None:
        return empty
    local = aware(value).astimezone()
    text = local.strftime(UK_DATE_TIME + (":%S" if seconds else ""))
    if zone:
        text += " " + (local.tzname() or "")
    return text


def utc_text(value: dt.datetime) -> str:
    """A moment as the vault's UTC text without a zone, ``2026-11-22T14:30:00``: the form
    the audit log hashes and its CSV export's ``at_utc`` column."""
    return aware(value).astimezone(dt.UTC).replace(tzinfo=None).isoformat()


def utc_now() -> dt.datetime:
    """Now, in UTC to the second, as the vault keeps moments."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
