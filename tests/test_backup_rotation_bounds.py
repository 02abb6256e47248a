"""The keep counts' exact bounds and messages (issue 17's mutation run found them loose)."""

from __future__ import annotations

import pytest

from supervision_desktop.domain.backup_rotation import Keep


def test_the_bounds_themselves_are_allowed() -> None:
    assert Keep(0, 0, 0) == Keep.parse("0,0,0")
    assert Keep.parse("999,999,999") == Keep(999, 999, 999)


def test_a_count_past_the_bound_is_named_in_the_message() -> None:
    with pytest.raises(ValueError) as refused:
        Keep(7, 4, 1000)
    assert str(refused.value) == "keep monthly must be between 0 and 999, not 1000"


def test_badly_written_counts_get_one_message_with_an_example() -> None:
    with pytest.raises(ValueError) as refused:
        Keep.parse("7;4;12")
    assert str(refused.value) == ("give three whole numbers: daily,weekly,monthly "
                                  "(e.g. 7,4,12)")


def test_the_times_may_come_from_a_generator() -> None:
    """Read once: a generator of times keeps what a list of the same times keeps."""
    import datetime as dt

    from supervision_desktop.domain.backup_rotation import Keep, to_keep

    now = dt.datetime(2026, 12, 3, 12)
    times = [now - dt.timedelta(days=d) for d in range(10)]
    assert to_keep((t for t in times), now, Keep(3, 0, 0)) == set(times[:3])
