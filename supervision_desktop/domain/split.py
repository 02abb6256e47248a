"""A staff supervision record split for the files it belongs on: pure, no Qt, no SQL.

Kent §12.2 keeps personal supervision (health, welfare, development, performance)
"separately from records of supervisory discussion for professional case-work", and
§12.1 wants each child's case-work decisions "only included in their personal ...
record"; Lambeth (§2.2, Appendix E) records professional supervision on the staff file
and case management supervision on the child's record. A template says which is which
with each field's ``content`` (``domain.templates``):

- the *personal part*, for the staff file: every field except case content;
- one *case extract* per child discussed: the shared fields (who, when, signatures) and,
  of each case table, only the rows naming that child.

A child is named in a case table's child column; names are compared as people type them
(spaces and case ignored), and the extract is headed with the first spelling used. A row
with words in it but no child named is refused rather than left out of every extract.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from supervision_desktop.domain.templates import Template, TemplateField


class SplitRefused(ValueError):
    """The record cannot be split; the message says why in words for the user."""


@dataclass(frozen=True)
class RecordPart:
    """One file of a split: the template cut down to its fields, and their values."""

    template: Template
    values: Mapping[str, Any] = field(hash=False)
    child: str | None = None  # the child a case extract is for; None for the personal part


@dataclass(frozen=True)
class SplitRecord:
    personal: RecordPart
    extracts: tuple[RecordPart, ...]  # one per child, in the order they were first named


def case_fields(template: Template) -> tuple[TemplateField, ...]:
    """The template's case tables, in form order."""
    return tuple(f for f in template.fields() if f.content == "case")


def _key(name: str) -> tuple[str, ...]:
    """A child's name as compared: its words, ignoring case and spacing."""
    return tuple(name.casefold().split())


def _has_words(row: Mapping[str, Any], leave_out: str) -> bool:
    return any(str(cell).strip() for column, cell in row.items()
               if column != leave_out and cell is not None)


def _cut(template: Template, keep: set[str]) -> Template:
    """The template with only the fields in ``keep``; sections left empty go."""
    sections = []
    for section in template.sections:
        kept = tuple(f for f in section.fields if f.id in keep)
        if kept:
            sections.append(section.model_copy(update={"fields": kept}))
    return template.model_copy(update={"sections": tuple(sections)})


def children_discussed(template: Template, values: Mapping[str, Any]) -> list[str]:
    """Each child named in a case table, once, as first spelt; refused for a row with
    words in it but no child."""
    names: dict[tuple[str, ...], str] = {}
    for table in case_fields(template):
        column = table.child_column()
        assert column is not None  # a case table has one (Template validation)
        rows = values.get(table.id)
        for number, row in enumerate(rows if isinstance(rows, list) else [], start=1):
            if not isinstance(row, dict):
                continue
            name = row.get(column.id)
            name = name.strip() if isinstance(name, str) else ""
            if name:
                names.setdefault(_key(name), " ".join(name.split()))
            elif _has_words(row, column.id):
                raise SplitRefused(
                    f"Row {number} of \u201c{table.label}\u201d names no child, so it "
                    f"cannot go to a child's file: fill in \u201c{column.label}\u201d "
                    "(amend the record) and split it again.")
    return list(names.values())


def split_record(template: Template, values: Mapping[str, Any]) -> SplitRecord:
    """The personal part and one case extract per child discussed, or SplitRefused."""
    cases = case_fields(template)
    if not cases:
        raise SplitRefused("This template has no case discussions to split: the whole "
                           "record belongs on the staff file. Export it instead.")
    children = children_discussed(template, values)
    if not children:
        raise SplitRefused("This record discusses no child by name, so there is nothing "
                           "to split: export it instead.")
    case_ids = {f.id for f in cases}
    personal_ids = {f.id for f in template.fields() if f.id not in case_ids}
    personal = RecordPart(_cut(template, personal_ids),
                          {k: v for k, v in values.items() if k in personal_ids})
    shared_ids = {f.id for f in template.fields() if f.content == "shared"}
    extract_template = _cut(template, shared_ids | case_ids)
    extracts = []
    for child in children:
        extract = {k: v for k, v in values.items() if k in shared_ids}
        for table in cases:
            column = table.child_column()
            assert column is not None
            rows = values.get(table.id)
            extract[table.id] = [
                row for row in (rows if isinstance(rows, list) else [])
                if isinstance(row, dict) and isinstance(row.get(column.id), str)
                and _key(row[column.id]) == _key(child)]
        extracts.append(RecordPart(extract_template, extract, child))
    return SplitRecord(personal, tuple(extracts))
