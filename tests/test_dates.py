"""The one place dates and times are read and written (domain/dates.py): what people type,
what the vault keeps, what every screen, report and PDF shows."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supervision_desktop.domain import dates

# --- kept dates: ISO text only -------------------------------------------------------


def test_a_kept_date_is_iso_text() -> None:
    assert dates.iso_date("2026-11-22") == dt.date(2026, 11, 22)
    assert dates.iso_date("2028-02-29") == dt.date(2028, 2, 29)


@pytest.mark.parametrize("text", [
    "2026-W48-1",      # a week date: Python's own parser takes it
    "20261122",        # the basic form: Python's own parser takes it too
    "2026-11-22 ",     # nothing may follow
    " 2026-11-22",
    "2026-11-22\n",
    "2026-11-2",
    "2026-13-01",
    "2027-02-29",      # not a leap year
    "٢٠٢٦-١١-٢٢",      # Arabic-Indic digits
    "22/11/2026",      # typed, not kept
    "",
])
def test_anything_else_is_not_a_kept_date(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date written 2026-11-22"):
        dates.iso_date(text)


# --- typed dates ----------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "22/11/2026", "22.11.2026", "22-11-2026", "22 11 2026", " 22 / 11 / 2026 ", "2026-11-22",
    " 2026-11-22 ",
])
def test_a_typed_date_in_any_usual_uk_form(text: str) -> None:
    assert dates.typed_date(text) == dt.date(2026, 11, 22)


def test_a_one_digit_day_or_month_is_read_day_first() -> None:
    assert dates.typed_date("1/2/2027") == dt.date(2027, 2, 1)
    assert dates.typed_date("01/02/2027") == dt.date(2027, 2, 1)


@pytest.mark.parametrize("text", [
    "31/02/2026", "29/02/2027", "22/11/26", "2026/11/22", "22/11/2026x", "11/22/2026",
    "22//11/2026", "", "tomorrow", "2026-W48-1", "٢٢/١١/٢٠٢٦",
])
def test_what_is_not_a_date_says_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError, match="write it as 22/11/2026"):
        dates.typed_date(text)


@pytest.mark.parametrize(("value", "expected"), [
    ("22/11/2026", dt.date(2026, 11, 22)),
    ("2026-11-22", dt.date(2026, 11, 22)),
    (dt.date(2026, 11, 22), dt.date(2026, 11, 22)),
    (dt.datetime(2026, 11, 22, 23, 59), dt.date(2026, 11, 22)),
    ("soon", None), ("", None), ("   ", None), (None, None), (20261122, None), (True, None),
])
def test_an_optional_date_is_a_date_or_none(value: object, expected: dt.date | None) -> None:
    assert dates.optional_date(value) == expected


# --- shown dates ----------------------------------------------------------------------


def test_a_date_is_shown_day_month_year() -> None:
    assert dates.uk_date(dt.date(2026, 11, 22)) == "22/11/2026"
    assert dates.uk_date(dt.date(2027, 1, 5)) == "05/01/2027"
    assert dates.uk_date("2026-11-22") == "22/11/2026"
    assert dates.uk_date("2026-11-22T14:30:00") == "22/11/2026"


def test_no_date_is_shown_as_the_caller_asks() -> None:
    assert dates.uk_date(None) == ""
    assert dates.uk_date("") == ""
    assert dates.uk_date(None, empty="-") == "-"
    assert dates.uk_date("", empty="no date") == "no date"


def test_kept_text_that_is_not_a_date_is_shown_as_written() -> None:
    assert dates.uk_date("next week") == "next week"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_what_is_shown_reads_back_as_the_same_date(day: dt.date) -> None:
    shown = dates.uk_date(day)
    assert dates.typed_date(shown) == day
    assert dates.iso_date(day.isoformat()) == day


# --- moments --------------------------------------------------------------------------


def test_a_moment_without_a_zone_is_utc() -> None:
    assert dates.moment("2026-11-22T14:30:00") == dt.datetime(2026, 11, 22, 14, 30,
                                                              tzinfo=dt.UTC)
    assert dates.aware(dt.datetime(2026, 11, 22, 14, 30)).utcoffset() == dt.timedelta(0)


def test_a_moment_with_a_zone_keeps_it() -> None:
    summer = dates.moment("2026-07-01T09:00:00+01:00")
    assert summer.astimezone(dt.UTC) == dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)


def test_a_moment_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError):
        dates.moment("half past two")


def test_a_moment_is_shown_in_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """London: GMT in winter, BST (UTC+1) in summer; the vault's UTC is never shown raw."""
    import time

    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        winter = dt.datetime(2026, 11, 22, 14, 30, 5)  # read back without a zone: UTC
        summer = dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)
        assert dates.local_time(winter) == "22/11/2026 14:30"
        assert dates.local_time(winter, seconds=True) == "22/11/2026 14:30:05"
        assert dates.local_time(winter, zone=True) == "22/11/2026 14:30 GMT"
        assert dates.local_time(summer, zone=True) == "02/07/2026 00:30 BST"
        assert dates.uk_date(summer) == "02/07/2026"  # the local day, not the UTC one
        assert dates.local_time(None) == ""
        assert dates.local_time(None, empty="unknown") == "unknown"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_now_is_utc_to_the_second() -> None:
    now = dates.utc_now()
    assert now.tzinfo is dt.UTC
    assert now.microsecond == 0


def test_a_moment_as_the_vaults_utc_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """UTC whatever this computer's zone: in London's summer time 09:00 BST is 08:00."""
    import time

    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        summer = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
        assert dates.utc_text(summer) == "2026-07-01T08:00:00"
        assert dates.utc_text(dt.datetime(2026, 7, 1, 8, 0)) == "2026-07-01T08:00:00"
        assert dates.utc_text(dt.datetime(2026, 11, 22, 14, 30)) == "2026-11-22T14:30:00"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
