"""Values for every field of a template, for tests that fill whole forms."""

from __future__ import annotations

from typing import Any

from supervision_desktop.domain.templates import FieldKind, Template

_SCALARS: dict[str, Any] = {
    "date": "2026-11-22",
    "time": "14:30",
    "duration": 90,
    "yesno": True,
}


def _scalar(kind: str, options: tuple[str, ...], text: str, long_text: str) -> Any:
    if kind in ("text", "person"):
        return text
    if kind == "longtext":
        return long_text
    if kind == "choice":
        return options[-1]
    if kind == "multichoice":
        return list(options[:2])
    return _SCALARS[kind]


def fill_every_field(template: Template, text: str, long_text: str | None = None) -> dict[str, Any]:
    """A value for every field a person fills in: text in every text cell, long_text in
    long fields. The record's own date and subject (fields that fill them are asked once,
    in the header) are left to the header."""
    long_text = text if long_text is None else long_text
    values: dict[str, Any] = {}
    for field in template.fields():
        if field.asked_in_header:
            continue
        if field.kind is FieldKind.TABLE:
            rows = []
            labels = field.preset_rows or (None, None)
            for number, label in enumerate(labels, start=1):
                row = {
                    column.id: _scalar(column.kind.value, column.options, f"{text} {number}",
                                       f"{text} {number}")
                    for column in field.columns
                }
                if label is not None:
                    row[field.columns[0].id] = label
                rows.append(row)
            values[field.id] = rows
        elif field.kind is FieldKind.SIGNATURE:
            values[field.id] = {"name": text, "role": field.signer, "date": "2026-11-22",
                                "strokes": [[[10, 10], [50.5, 40], [120, 20]]]}
        else:
            values[field.id] = _scalar(field.kind.value, field.options, text, long_text)
    return values


def held_session(vault: Any, template_id: str, subject_id: str, day: Any,
                 fields: dict[str, Any] | None = None) -> str:
    """A session held on ``day``: a record filled in and finalised (an unfinished draft
    is not a session held, for the due dates)."""
    from supervision_desktop.services import lifecycle, records
    from supervision_desktop.services.templates import get_template

    template = get_template(template_id)
    record_id = records.create_record(
        vault, template, subject_id=subject_id, session_date=day,
        fields={**fill_every_field(template, "Discussed"), **(fields or {})})
    lifecycle.finalise(vault, record_id)
    return record_id
