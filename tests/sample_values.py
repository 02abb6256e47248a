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
    """A value for every field: text in every text cell, long_text in long fields."""
    long_text = text if long_text is None else long_text
    values: dict[str, Any] = {}
    for field in template.fields():
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
