"""Stored values as a reader sees them: 22/11/2026, Yes/No, 1 hour 30 minutes."""

from __future__ import annotations

from typing import Any

from supervision_desktop.domain.dates import uk_date


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
        return uk_date(value)
    if kind == "duration":
        return duration_text(value)
    if kind == "yesno":
        return yes_no(value)
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)
