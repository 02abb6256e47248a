"""Autosave's timing and its 'Saved 14:31' line, shared by record forms and notes.
"""

from __future__ import annotations

import datetime as dt

from supervision_desktop.domain.dates import aware, local_time

AUTOSAVE_DELAY_MS = 700  # after the last keystroke; well inside the promised second



def saved_text(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """'Saved 14:31' today, 'Saved 22/11/2026 14:31' on another day (local time)."""
    local = aware(moment).astimezone()
    now = (now or dt.datetime.now(dt.UTC)).astimezone()
    if local.date() == now.date():
        return f"Saved {local:%H:%M}"
    return f"Saved {local_time(moment)}"
