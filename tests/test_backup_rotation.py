"""The rotation rule (grandfather-father-son) on literal dates: which backups survive."""

from __future__ import annotations

import datetime as dt

import pytest

from supervision_desktop.domain.backup_rotation import Keep, to_keep


def _t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# 40 backups in one folder, judged on Thursday 03/12/2026 at noon with the defaults
# (7 daily, 4 weekly, 12 monthly). True: kept.
FORTY = [
    ("2026-12-03T09:00:00", True),   # newest of today (and of ISO week 49, and of December)
    ("2026-12-03T08:30:00", False),  # several on one day: only the newest counts
    ("2026-12-03T00:00:00", False),
    ("2026-12-02T18:00:00", True),   # day 2
    ("2026-12-02T07:00:00", False),
    ("2026-12-01T12:00:00", True),   # day 3
    ("2026-11-30T23:59:59", True),   # day 4 (Monday), and newest of November
    ("2026-11-30T23:59:58", False),
    ("2026-11-30T00:00:00", False),
    ("2026-11-29T23:59:59", True),   # day 5, Sunday: the newest of ISO week 48
    ("2026-11-29T00:00:01", False),
    ("2026-11-28T10:00:00", True),   # day 6
    ("2026-11-27T10:00:00", True),   # day 7: the last daily one
    ("2026-11-26T10:00:00", False),  # day 8: too many days back, and not newest of week 48
    ("2026-11-25T10:00:00", False),
    ("2026-11-24T10:00:00", False),
    ("2026-11-23T00:00:00", False),  # Monday of week 48
    ("2026-11-20T10:00:00", True),   # newest of week 47
    ("2026-11-16T00:00:00", False),  # Monday of week 47
    ("2026-11-15T23:00:00", True),   # Sunday: newest of week 46, the fourth weekly one
    ("2026-11-10T10:00:00", False),
    ("2026-11-02T10:00:00", False),  # week 45: a fifth week
    ("2026-11-01T12:00:00", False),
    ("2026-10-31T23:59:59", True),   # newest of October (month 3)
    ("2026-10-01T00:00:00", False),
    ("2026-09-30T20:00:00", True),   # September (month 4)
    ("2026-09-01T08:00:00", False),
    ("2026-07-15T10:00:00", True),   # July (5); August has none, so it does not count
    ("2026-03-01T00:00:00", True),   # March (6)
    ("2026-02-28T23:59:59", True),   # February (7)
    ("2026-01-31T10:00:00", True),   # January (8)
    ("2025-12-31T23:59:59", True),   # December 2025 (9)
    ("2025-06-01T10:00:00", True),   # June 2025 (10)
    ("2024-03-01T00:00:00", True),   # March 2024 (11)
    ("2024-02-29T12:00:00", True),   # the leap day: newest of February 2024 (12)
    ("2024-02-28T12:00:00", False),
    ("2024-01-15T10:00:00", False),  # a thirteenth month
    ("2023-12-25T10:00:00", False),
    ("2026-12-04T08:00:00", True),   # dated after now: the clock was wrong; never deleted
    ("2026-12-03T12:00:01", True),   # one second after now
]
NOW = _t("2026-12-03T12:00:00")


def test_which_of_forty_backups_survive_on_03_12_2026() -> None:
    assert len(FORTY) == 40
    kept = to_keep([_t(when) for when, _ in FORTY], NOW, Keep())
    assert sorted(w.isoformat() for w in kept) == sorted(w for w, keep in FORTY if keep)
    assert len(kept) == 21


def test_iso_week_across_new_year_is_one_week() -> None:
    made = [_t("2026-12-27T10:00:00"), _t("2026-12-28T10:00:00"), _t("2027-01-03T10:00:00")]
    # 28/12/2026 (Monday) and 03/01/2027 (Sunday) are both in ISO week 53 of 2026
    kept = to_keep(made, _t("2027-01-10T00:00:00"), Keep(daily=0, weekly=2, monthly=0))
    assert kept == {_t("2027-01-03T10:00:00"), _t("2026-12-27T10:00:00")}


def test_the_newest_is_kept_even_when_nothing_else_is() -> None:
    made = [_t("2026-12-01T10:00:00"), _t("2026-12-02T10:00:00")]
    assert to_keep(made, NOW, Keep(0, 0, 0)) == {_t("2026-12-02T10:00:00")}


def test_a_backup_made_exactly_now_is_the_newest() -> None:
    made = [_t("2026-12-03T11:00:00"), NOW]
    assert to_keep(made, NOW, Keep(1, 0, 0)) == {NOW}


def test_time_passing_alone_deletes_nothing() -> None:
    made = [_t(when) for when, _ in FORTY[:-2]]  # none in the future
    on_the_day = to_keep(made, NOW, Keep())
    assert to_keep(made, _t("2028-06-01T00:00:00"), Keep()) == on_the_day


def test_keep_counts_are_parsed_and_bounded() -> None:
    assert Keep.parse("7, 4,12") == Keep(7, 4, 12)
    assert str(Keep(3, 2, 1)) == "3,2,1"
    for bad in ("7,4", "7,4,x", "-1,4,12", ""):
        with pytest.raises(ValueError, match="three whole numbers"):
            Keep.parse(bad)
    with pytest.raises(ValueError, match="between 0 and 999"):
        Keep(1000, 4, 12)
