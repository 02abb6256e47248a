"""Working days in England and Wales: weekdays that are not bank holidays.

Upload deadlines ("within 2 working days", Lambeth; "within a maximum of one week",
Kent) are counted in working days. Bank holidays come from the ``holidays`` library's
England calendar, which Wales shares (substitute days included, e.g. Boxing Day 2026
falls on a Saturday and is observed on Monday 28 December).
"""

from __future__ import annotations

import datetime as dt
import functools

import holidays


@functools.cache
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: dt.date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The date ``count`` working days after ``start`` (start itself is not counted).

    A session on Monday with a 2-working-day deadline is due by Wednesday; a session on a
    weekend or bank holiday counts from the next working day in the same way.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    remaining = count
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
