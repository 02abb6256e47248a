"""Action rows read out of a record: which column is whose, by when, and what counts as
an action (issue 17's mutation run found these unpinned)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from supervision_desktop.domain.actions import (
    ColumnRoles,
    ExtractedAction,
    column_roles,
    extract_actions,
    write_outcome,
)
from supervision_desktop.domain.dates import optional_date
from supervision_desktop.domain.templates import (
    Column,
    ColumnKind,
    FieldKind,
    Section,
    Source,
    Template,
    TemplateField,
)

TEXT, LONG, DATE, PERSON = ColumnKind.TEXT, ColumnKind.LONGTEXT, ColumnKind.DATE, ColumnKind.PERSON


def _table(table_id: str, *columns: tuple[str, ColumnKind], role: str = "actions"
           ) -> TemplateField:
    return TemplateField(
        id=table_id, kind=FieldKind.TABLE, label=table_id, role=role,
        columns=tuple(Column(id=c, label=c, kind=k,
                             person_kind="supervisee" if k is PERSON else None)
                      for c, k in columns))


def _template(*tables: TemplateField) -> Template:
    return Template(
        id="test-actions", version=1, title="Actions", category="case_discussion",
        subject_kind="child",
        source=Source(organisation="Example Council", document="Case discussion",
                      seed="000_0000000000000000.txt"),
        sections=(Section(id="actions", title="Actions", fields=tables),))


# --- which column is which -------------------------------------------------------------

ROLES = {
    "named columns": (
        (("action", TEXT), ("by_whom", TEXT), ("by_when", TEXT), ("outcome", TEXT),
         ("notes", LONG)),
        ColumnRoles("action", "by_whom", "by_when", "outcome", "notes")),
    "the earlier name in the list wins": (
        (("action", TEXT), ("who", TEXT), ("owner", TEXT), ("deadline", TEXT), ("due", DATE),
         ("completed", TEXT), ("status", TEXT), ("notes", LONG), ("comments", LONG)),
        ColumnRoles("action", "owner", "due", "status", "comments")),
    "a person column after another column is the owner": (
        (("action", TEXT), ("details", TEXT), ("worker", PERSON)),
        ColumnRoles("action", "worker", None, None, None)),
    "a date column after another column is the due date": (
        (("action", TEXT), ("details", TEXT), ("target", DATE)),
        ColumnRoles("action", None, "target", None, None)),
    "an action column that is a person is never the owner": (
        (("action", PERSON), ("worker", PERSON)),
        ColumnRoles("action", "worker", None, None, None)),
    "an action column that is a date is never the due date": (
        (("action", DATE), ("target", DATE)),
        ColumnRoles("action", None, "target", None, None)),
    "only an action column": (
        (("action", PERSON),),
        ColumnRoles("action", None, None, None, None)),
    "status and comments are never guessed from the kind": (
        (("action", TEXT), ("result", ColumnKind.YESNO), ("remarks", LONG)),
        ColumnRoles("action", None, None, None, None)),
}


@pytest.mark.parametrize("case", ROLES)
def test_each_role_goes_to_the_named_column_or_else_the_first_of_its_kind(case: str) -> None:
    columns, expected = ROLES[case]
    assert column_roles(_table("actions", *columns)) == expected


# --- due dates ---------------------------------------------------------------------------

DUE = {
    "ISO": ("2026-11-22", dt.date(2026, 11, 22)),
    "UK": ("22/11/2026", dt.date(2026, 11, 22)),
    "UK with a single-digit day and month": ("6/2/2026", dt.date(2026, 2, 6)),
    "spaces around": ("  22/11/2026 ", dt.date(2026, 11, 22)),
    "a two-digit year": ("22/11/26", None),
    "month first": ("11/22/2026", None),
    "a day that does not exist": ("30/02/2026", None),
    "words": ("by the end of March", None),
    "blank": ("   ", None),
    "empty": ("", None),
    "not text": (20261122, None),
    "nothing": (None, None),
}


@pytest.mark.parametrize("case", DUE)
def test_a_due_date_is_understood_as_iso_or_day_month_year(case: str) -> None:
    written, expected = DUE[case]
    assert optional_date(written) == expected


# --- actions read out of a record ----------------------------------------------------------

AGREED = _table("agreed", ("action", TEXT), ("lead", TEXT), ("done_by", TEXT),
                ("comments", LONG))
BARE = _table("follow_up", ("action", TEXT))
REVIEW = _table("last_actions", ("action", TEXT), ("owner", TEXT), ("due", DATE),
                role="action_review")


def test_every_row_with_an_action_is_read_with_its_place_owner_due_date_and_comments(
) -> None:
    rows: list[Any] = [
        "not a row",
        {"action": "  ", "lead": "Dana Reid"},
        {"action": " Arrange a family network meeting ", "lead": " Dana Reid ",
         "done_by": "13/02/2026", "comments": " Grandparents first "},
        None,
        {"action": "Refer to the school nurse", "done_by": "soon"},
    ]
    found = extract_actions(_template(AGREED, REVIEW, BARE), {
        "agreed": rows,
        "last_actions": [{"action": "A carried action", "owner": "Ffion Hughes"}],
        "follow_up": [{"action": "Write to the GP", "lead": "Dana Reid", "comments": "x",
                       "done_by": "2026-03-01"}],
    })
    assert found == [
        ExtractedAction("agreed", 3, "Arrange a family network meeting", "Dana Reid",
                        dt.date(2026, 2, 13), "Grandparents first", rows[2]),
        ExtractedAction("agreed", 5, "Refer to the school nurse", "", None, "", rows[4]),
        ExtractedAction("follow_up", 1, "Write to the GP", "", None, "",
                        {"action": "Write to the GP", "lead": "Dana Reid", "comments": "x",
                         "done_by": "2026-03-01"}),
    ]
    assert found[0].row is not rows[2]  # a copy: changing it changes nothing in the record


def test_a_table_with_no_rows_or_no_value_gives_no_actions() -> None:
    template = _template(AGREED, BARE)
    assert extract_actions(template, {}) == []
    assert extract_actions(template, {"agreed": None, "follow_up": []}) == []


# --- an outcome written back -------------------------------------------------------------


@pytest.mark.parametrize(("options", "outcome", "chosen"), [
    (("Carried_forward", "Carried forward"), "carried_forward", "Carried forward"),
    (("Carried_forward",), "carried_forward", None),
    (("Done.", "Not done"), "done", None),
    (("dropped", "Dropped"), "dropped", "dropped"),
], ids=["the spaced option, not the underscored one", "an underscored option is not chosen",
        "a near miss is not chosen", "the first matching option"])
def test_a_choice_status_takes_only_the_option_spelt_as_the_outcome(
    options: tuple[str, ...], outcome: str, chosen: str | None
) -> None:
    field = TemplateField(
        id="review", kind=FieldKind.TABLE, label="Review", role="action_review",
        columns=(Column(id="action", label="Action"),
                 Column(id="status", label="Status", kind=ColumnKind.CHOICE, options=options)))
    rows = write_outcome(field, [{"action": "Book the review"}], "Book the review", outcome, "")
    expected: dict[str, Any] = {"action": "Book the review"}
    if chosen is not None:
        expected["status"] = chosen
    assert rows == [expected]
