"""The columns of an actions list: what, whose, due, state (overdue in red) and where
the action came from; shared by the Actions page and the dashboard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.services.actions import DONE, DROPPED, ActionView
from supervision_desktop.ui.common.columns import Column, Tone, date_key, days

# --- actions -------------------------------------------------------------------------


def action_state(action: ActionView, today: dt.date) -> str:
    """'Overdue by 3 days', 'Open', 'To review in a draft', 'Done 22/11/2026' …"""
    if action.status == DONE:
        return f"Done {uk_date(action.closed_on)}".strip()
    if action.status == DROPPED:
        return f"Dropped {uk_date(action.closed_on)}".strip()
    overdue = action.overdue_on(today)
    text = f"Overdue by {days(overdue)}" if overdue else "Open"
    return f"{text} · to review in a draft" if action.carried_into else text


def action_tone(action: ActionView, today: dt.date) -> Tone | None:
    if action.status != "open":
        return Tone.QUIET
    return Tone.OVERDUE if action.overdue_on(today) else None


def _action_tip(action: ActionView) -> str:
    lines = [action.text]
    if action.comments:
        lines.append(f"Comments: {action.comments}")
    if action.closed_reason:
        lines.append(f"Reason: {action.closed_reason}")
    if action.carried_into:
        lines.append("Carried into a record still being written: mark it done, carried "
                     "forward or dropped there (Resolve carried actions…).")
    return "\n".join(lines)


def _source(action: ActionView) -> str:
    date = uk_date(action.source_date)
    return f"{action.source_title}, {date}" if date else action.source_title


def action_columns(today: Callable[[], dt.date]) -> tuple[Column[ActionView], ...]:
    """Due, action, owner, about, status on ``today()``, and the record it came from."""
    return (
        Column("Due", lambda a: uk_date(a.due_on) or "No date",
               lambda a: date_key(a.due_on, "9999")),
        Column("Action", lambda a: a.text, tip=_action_tip),
        Column("Owner", lambda a: a.owner or "—"),
        Column("About", lambda a: a.subject_name or "—"),
        Column("Status", lambda a: action_state(a, today()),
               lambda a: int(a.status != "open") * 100_000 - a.overdue_on(today()),
               lambda a: action_tone(a, today()), _action_tip),
        Column("From record", _source, lambda a: date_key(a.source_date)),
    )
