"""Stored values as a reader sees them: 22/11/2026, Yes/No, 1 hour 30 minutes."""

from __future__ import annotations

import datetime as dt
from typing import Any


def date_text(value: Any) -> str:
    """ISO date → 22/11/2026; anything unreadable is shown as it was stored."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return ""


def datetime_text(value: dt.datetime | None) -> str:
    """A stored moment in the computer's local time: 22/11/2026 14:30 GMT."""
    if value is None:
        return ""
    if value.tzinfo is None:  # the vault stores UTC without a zone
        value = value.replace(tzinfo=dt.UTC)
    local = value.astimezone()
    return local.strftime("%d/%m/%Y %H:%M ") + (local.tzname() or "")


def duration_text(minutes: Any) -> str:
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        return "" if minutes in (None, "") else str(minutes)
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour" + ("s" if hours != 1 else ""))
    if rest or not hours:
        parts.append(f"{rest} minute" + ("s" if rest != 1 else ""))
    return " ".join(parts)


def yes_no(value: Any) -> str:
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return "" if value in (None, "") else str(value)


def scalar_text(kind: str, value: Any) -> str:
    """One value of a scalar field or table column kind, as text ("" when empty)."""
    if value is None:
        return ""
    if kind == "date":
        return date_text(value)
    if kind == "duration":
        return duration_text(value)
    if kind == "yesno":
        return yes_no(value)
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)
