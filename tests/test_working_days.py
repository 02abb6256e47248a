"""Working days in England and Wales, pinned by hand-worked dates and by properties that
must hold for any date (hypothesis): upload deadlines are counted this way."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supervision_desktop.domain.working_days import (
    add_working_days,
    is_bank_holiday,
    is_working_day,
)

D = dt.date
DAYS = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))


def test_zero_working_days_is_the_day_itself() -> None:
    assert add_working_days(D(2026, 12, 26), 0) == D(2026, 12, 26)  # even a Saturday


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^count must not be negative$"):
        add_working_days(D(2026, 11, 23), -1)


def test_leap_day_is_a_working_day_when_a_weekday() -> None:
    assert add_working_days(D(2028, 2, 28), 1) == D(2028, 2, 29)
    assert add_working_days(D(2028, 2, 25), 2) == D(2028, 2, 29)  # Friday over the weekend


def test_working_days_skip_christmas_and_easter() -> None:
    # 25 and 28 December 2026 (Boxing Day's substitute), 1 January 2027
    assert add_working_days(D(2026, 12, 24), 5) == D(2027, 1, 5)
    # Good Friday 3 and Easter Monday 6 April 2026
    assert add_working_days(D(2026, 4, 2), 2) == D(2026, 4, 8)


def _working_days_after(start: dt.date, end: dt.date) -> int:
    """The oracle: working days after ``start`` up to and including ``end``, one by one."""
    return sum(is_working_day(start + dt.timedelta(days=n))
               for n in range(1, (end - start).days + 1))


@settings(deadline=None)  # a loaded machine is not a slow rule
@given(DAYS, st.integers(min_value=1, max_value=40))
def test_n_working_days_later_is_a_working_day_n_working_days_away(
    start: dt.date, count: int
) -> None:
    due = add_working_days(start, count)
    assert is_working_day(due)
    assert _working_days_after(start, due) == count
    assert _working_days_after(start, due - dt.timedelta(days=1)) == count - 1


@settings(deadline=None)  # a loaded machine is not a slow rule
@given(DAYS, st.integers(min_value=0, max_value=40))
def test_a_deadline_is_never_early_and_never_more_than_a_fortnight_per_week(
    start: dt.date, count: int
) -> None:
    due = add_working_days(start, count)
    assert due >= start + dt.timedelta(days=count)
    # five working days in any seven, less at most four bank holidays close together
    assert (due - start).days <= count * 7 // 5 + 7


@settings(deadline=None)  # a loaded machine is not a slow rule
@given(DAYS)
def test_weekends_are_never_working_days_and_bank_holidays_never_either(day: dt.date) -> None:
    if day.weekday() >= 5 or is_bank_holiday(day):
        assert not is_working_day(day)
    else:
        assert is_working_day(day)
