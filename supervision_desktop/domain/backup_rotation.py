"""Which backups in a folder to keep: grandfather-father-son, as pure date logic.

Each backup is known by when it was made (local time, to the second, read from its file
name). The rule, like restic's ``--keep-daily/--keep-weekly/--keep-monthly``:

- **daily N**: for the last N days that hold at least one backup, keep the newest of each;
- **weekly N**: for the last N ISO weeks (Monday to Sunday) that hold one, the newest;
- **monthly N**: for the last N calendar months that hold one, the newest.

Counting periods that *hold* a backup (not calendar days back from today) means a laptop
left in a drawer for three months still keeps its 7 daily backups: time passing alone
never deletes anything. On top of the rule, the newest backup is always kept, and so is
any backup dated after ``now`` (the clock was wrong when it was made, or is wrong now:
we cannot tell, so nothing is deleted on its account).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

KEEP_RANGE = (0, 999)  # per period kind


@dataclass(frozen=True)
class Keep:
    """How many of each period to keep. The defaults (a week of days, a month of weeks,
    a year of months: 23 files at most) are justified in the README."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12

    def __post_init__(self) -> None:
        low, high = KEEP_RANGE
        for name in ("daily", "weekly", "monthly"):
            value = getattr(self, name)
            if not low <= value <= high:
                raise ValueError(f"keep {name} must be between {low} and {high}, not {value}")

    def __str__(self) -> str:
        return f"{self.daily},{self.weekly},{self.monthly}"

    @classmethod
    def parse(cls, text: str) -> Keep:
        """'7,4,12' → Keep(7, 4, 12); raises ValueError with what is wrong."""
        parts = [p.strip() for p in text.split(",")]
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            raise ValueError("give three whole numbers: daily,weekly,monthly (e.g. 7,4,12)")
        return cls(int(parts[0]), int(parts[1]), int(parts[2]))


def _day(when: dt.datetime) -> Hashable:
    return when.date()


def _week(when: dt.datetime) -> Hashable:
    year, week, _ = when.isocalendar()
    return (year, week)


def _month(when: dt.datetime) -> Hashable:
    return (when.year, when.month)


def _newest_per_period(
    newest_first: list[dt.datetime], period: Callable[[dt.datetime], Hashable], count: int
) -> set[dt.datetime]:
    kept: set[dt.datetime] = set()
    seen: set[Hashable] = set()
    for when in newest_first:
        if len(seen) >= count:
            break
        key = period(when)
        if key not in seen:
            seen.add(key)
            kept.add(when)
    return kept


def to_keep(made_at: Iterable[dt.datetime], now: dt.datetime, keep: Keep) -> set[dt.datetime]:
    """The times (of those given) whose backups are kept; every other one may go."""
    times = set(made_at)  # read once: ``made_at`` may be any iterable
    future = {when for when in times if when > now}
    past = sorted(times - future, reverse=True)
    kept = set(future)
    if past:
        kept.add(past[0])
    kept |= _newest_per_period(past, _day, keep.daily)
    kept |= _newest_per_period(past, _week, keep.weekly)
    kept |= _newest_per_period(past, _month, keep.monthly)
    return kept
