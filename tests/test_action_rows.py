"""Review rows written for carried actions, and outcomes written back, for every kind of
column a template may give them (issue 17's mutation run found these unpinned)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from supervision_desktop.domain.actions import review_row, write_outcome
from supervision_desktop.domain.templates import Column, ColumnKind, FieldKind, TemplateField

DUE = dt.date(2026, 2, 6)


def _table(*columns: tuple[str, ColumnKind] | tuple[str, ColumnKind, tuple[str, ...]]
           ) -> TemplateField:
    return TemplateField(
        id="review", kind=FieldKind.TABLE, label="Review", role="action_review",
        columns=tuple(Column(id=c[0], label=c[0], kind=c[1],
                             options=c[2] if len(c) == 3 else ())
                      for c in columns))


TEXT, LONG, DATE = ColumnKind.TEXT, ColumnKind.LONGTEXT, ColumnKind.DATE


def test_a_date_due_column_gets_the_iso_date_and_the_owner_is_kept() -> None:
    field = _table(("action", TEXT), ("by_whom", TEXT), ("by_when", DATE))
    assert review_row(field, "Book the review", "Ffion Hughes", DUE) == {
        "action": "Book the review", "by_whom": "Ffion Hughes", "by_when": "2026-02-06"}


@pytest.mark.parametrize("kind", [TEXT, LONG])
def test_a_text_due_column_gets_the_date_as_shown(kind: ColumnKind) -> None:
    field = _table(("action", TEXT), ("owner", TEXT), ("timescale", kind))
    assert review_row(field, "Book the review", "Ffion Hughes", DUE) == {
        "action": "Book the review", "owner": "Ffion Hughes", "timescale": "06/02/2026"}


def test_a_due_column_of_another_kind_is_left_empty() -> None:
    field = _table(("action", TEXT), ("due", ColumnKind.TIME))
    assert review_row(field, "Book the review", "", DUE) == {"action": "Book the review"}


def test_no_due_date_and_no_owner_leave_their_cells_empty() -> None:
    field = _table(("action", TEXT), ("owner", TEXT), ("due", DATE))
    assert review_row(field, "Book the review", "", None) == {"action": "Book the review"}


def test_an_owner_column_that_is_a_date_never_gets_a_name() -> None:
    """With no owner column by name, the first person column is used; here a date column
    named like an owner must not receive the name."""
    field = _table(("action", TEXT), ("who", DATE), ("due", DATE))
    assert review_row(field, "Book the review", "Ffion Hughes", DUE) == {
        "action": "Book the review", "due": "2026-02-06"}


def _rows() -> list[Any]:
    return ["not a row", {"action": "Other action"}, {"action": " Book the review "},
            {"action": "Last action"}]


@pytest.mark.parametrize(("outcome", "written"), [
    ("done", True), ("carried_forward", False), ("dropped", False)])
def test_a_yes_no_status_is_yes_only_when_done(outcome: str, written: bool) -> None:
    field = _table(("action", TEXT), ("completed", ColumnKind.YESNO))
    rows = write_outcome(field, _rows(), "Book the review", outcome, "")
    assert rows == ["not a row", {"action": "Other action"},
                    {"action": " Book the review ", "completed": written},
                    {"action": "Last action"}]


@pytest.mark.parametrize(("outcome", "label"), [
    ("done", "Done"), ("carried_forward", "Carried forward"), ("dropped", "Dropped")])
@pytest.mark.parametrize("kind", [TEXT, LONG])
def test_a_text_status_gets_the_outcomes_label(outcome: str, label: str,
                                               kind: ColumnKind) -> None:
    field = _table(("action", TEXT), ("status", kind))
    rows = write_outcome(field, _rows(), "Book the review", outcome, "")
    assert rows is not None and rows[2] == {"action": " Book the review ", "status": label}


@pytest.mark.parametrize(("outcome", "option"), [
    ("done", "DONE"), ("carried_forward", "Carried Forward"), ("dropped", None)])
def test_a_choice_status_gets_the_matching_option_whatever_its_case(
    outcome: str, option: str | None
) -> None:
    field = _table(("action", TEXT), ("outcome", ColumnKind.CHOICE,
                                      ("Not started", "DONE", "Carried Forward")))
    rows = write_outcome(field, _rows(), "Book the review", outcome, "")
    expected = {"action": " Book the review "}
    if option is not None:
        expected["outcome"] = option
    assert rows is not None and rows[2] == expected


def test_a_status_column_of_another_kind_is_left_alone() -> None:
    field = _table(("action", TEXT), ("status", DATE))
    rows = write_outcome(field, _rows(), "Book the review", "done", "")
    assert rows is not None and rows[2] == {"action": " Book the review "}


def test_the_reason_fills_an_empty_comment_but_never_overwrites_one() -> None:
    field = _table(("action", TEXT), ("status", TEXT), ("comments", LONG))
    rows = write_outcome(field, _rows(), "Book the review", "dropped", "No longer needed")
    assert rows is not None and rows[2] == {"action": " Book the review ", "status": "Dropped",
                                            "comments": "No longer needed"}
    typed = [{"action": "Book the review", "comments": "  Ffion's words  "}]
    rows = write_outcome(field, typed, "Book the review", "dropped", "No longer needed")
    assert rows == [{"action": "Book the review", "status": "Dropped",
                     "comments": "  Ffion's words  "}]


def test_a_comment_column_that_is_not_text_gets_no_reason() -> None:
    field = _table(("action", TEXT), ("status", TEXT), ("notes", DATE))
    rows = write_outcome(field, [{"action": "Book the review"}], "Book the review", "done",
                         "All done")
    assert rows == [{"action": "Book the review", "status": "Done"}]


def test_no_matching_row_is_none() -> None:
    field = _table(("action", TEXT), ("status", TEXT))
    assert write_outcome(field, _rows(), "Never agreed", "done", "") is None
