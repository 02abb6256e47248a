"""Action tables as tracked actions: reading rows out, and writing review rows back.

Templates name their action columns in the source documents' words (ACTION / BY WHOM /
BY WHEN, "Which person will lead on this", "This will be done by?"), so columns are
recognised by a short list of ids, in order of preference:

- what: the column ``action`` (every ``actions`` and ``action_review`` table has one);
- owner: ``owner``, ``by_whom``, ``lead_person``, ``lead``, ``who``, ``responsible``,
  ``review_owner``, ``previous_by_whom``; otherwise the first ``person`` column;
- due: ``due``, ``by_when``, ``done_by``, ``due_date``, ``deadline``, ``timescale``,
  ``previous_by_when``; otherwise the first ``date`` column;
- status: ``status``, ``review_completed``, ``completed``, ``outcome``;
- comments: ``comments``, ``comment``, ``review_update``, ``progress``, ``update``,
  ``notes``.

A due date written as text is understood as 2026-11-22 or 22/11/2026; anything else is
kept in the row but gives no due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from supervision_desktop.domain.dates import optional_date, uk_date
from supervision_desktop.domain.templates import ColumnKind, Template, TemplateField

OWNER_COLUMNS = ("owner", "by_whom", "lead_person", "lead", "who", "responsible",
                 "review_owner", "previous_by_whom")
DUE_COLUMNS = ("due", "by_when", "done_by", "due_date", "deadline", "timescale",
               "previous_by_when")
STATUS_COLUMNS = ("status", "review_completed", "completed", "outcome")
COMMENT_COLUMNS = ("comments", "comment", "review_update", "progress", "update", "notes")

OUTCOMES = ("done", "carried_forward", "dropped")
OUTCOME_LABELS = {"done": "Done", "carried_forward": "Carried forward", "dropped": "Dropped"}


@dataclass(frozen=True)
class ColumnRoles:
    action: str
    owner: str | None
    due: str | None
    status: str | None
    comments: str | None


def _first(field: TemplateField, ids: tuple[str, ...], kind: ColumnKind | None) -> str | None:
    present = {c.id for c in field.columns}
    for column_id in ids:
        if column_id in present:
            return column_id
    if kind is not None:
        for column in field.columns:
            if column.kind is kind and column.id != "action":
                return column.id
    return None


def column_roles(field: TemplateField) -> ColumnRoles:
    """Which columns of an action or review table hold what, who, when, status, comments."""
    return ColumnRoles(
        action="action",
        owner=_first(field, OWNER_COLUMNS, ColumnKind.PERSON),
        due=_first(field, DUE_COLUMNS, ColumnKind.DATE),
        status=_first(field, STATUS_COLUMNS, None),
        comments=_first(field, COMMENT_COLUMNS, None),
    )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


@dataclass(frozen=True)
class ExtractedAction:
    field_id: str
    row_number: int  # from 1, as the row appears in the record
    text: str
    owner: str
    due: dt.date | None
    comments: str
    row: dict[str, Any]


def action_tables(template: Template) -> list[TemplateField]:
    return [f for f in template.fields() if f.role == "actions"]


def review_table(template: Template) -> TemplateField | None:
    """The "review of last supervision's actions" table, if the template has one."""
    return next((f for f in template.fields() if f.role == "action_review"), None)


def extract_actions(template: Template, fields: Mapping[str, Any]) -> list[ExtractedAction]:
    """Every row with something in its ``action`` cell, from every ``actions`` table."""
    found = []
    for field in action_tables(template):
        roles = column_roles(field)
        rows = fields.get(field.id) or []
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                continue
            text = _text(row.get(roles.action))
            if not text:
                continue
            found.append(
                ExtractedAction(
                    field_id=field.id,
                    row_number=number,
                    text=text,
                    owner=_text(row.get(roles.owner)) if roles.owner else "",
                    due=optional_date(row.get(roles.due)) if roles.due else None,
                    comments=_text(row.get(roles.comments)) if roles.comments else "",
                    row=dict(row),
                )
            )
    return found


def _column_kind(field: TemplateField, column_id: str) -> ColumnKind:
    return next(c.kind for c in field.columns if c.id == column_id)


def review_row(field: TemplateField, text: str, owner: str, due: dt.date | None) -> dict[str, Any]:
    """A pre-filled row of a review table for an action carried from the last record."""
    roles = column_roles(field)
    row: dict[str, Any] = {roles.action: text}
    if roles.owner and owner and _column_kind(field, roles.owner) is not ColumnKind.DATE:
        row[roles.owner] = owner
    if roles.due and due is not None:
        kind = _column_kind(field, roles.due)
        if kind is ColumnKind.DATE:
            row[roles.due] = due.isoformat()
        elif kind in (ColumnKind.TEXT, ColumnKind.LONGTEXT):
            row[roles.due] = uk_date(due)
    return row


def _status_value(field: TemplateField, column_id: str, outcome: str) -> Any:
    column = next(c for c in field.columns if c.id == column_id)
    label = OUTCOME_LABELS[outcome]
    if column.kind is ColumnKind.YESNO:
        return outcome == "done"
    if column.kind is ColumnKind.CHOICE:
        wanted = {label.lower(), outcome.replace("_", " ")}
        return next((o for o in column.options if o.lower() in wanted), None)
    if column.kind in (ColumnKind.TEXT, ColumnKind.LONGTEXT):
        return label
    return None


def write_outcome(
    field: TemplateField, rows: list[Any], text: str, outcome: str, reason: str
) -> list[Any] | None:
    """The review rows with one action's outcome written in, or None if no row matches.

    The status cell gets the outcome; the comments cell gets the reason only if it is
    empty, so nothing the user typed is overwritten.
    """
    roles = column_roles(field)
    for index, row in enumerate(rows):
        if not isinstance(row, dict) or _text(row.get(roles.action)) != text:
            continue
        updated = dict(row)
        if roles.status:
            value = _status_value(field, roles.status, outcome)
            if value is not None:
                updated[roles.status] = value
        if roles.comments and reason and not _text(updated.get(roles.comments)):
            kind = _column_kind(field, roles.comments)
            if kind in (ColumnKind.TEXT, ColumnKind.LONGTEXT):
                updated[roles.comments] = reason
        return [*rows[:index], updated, *rows[index + 1:]]
    return None
