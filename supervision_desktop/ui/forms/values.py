"""Value shapes for the form widgets, without Qt: parsing what people type, showing values.

The shapes are those of ``domain.templates.validate_values``. Every function here is
pure, so the rules for dates, times and "empty" are tested without a display.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from supervision_desktop.domain.dates import typed_date

_TIME_TEXT = re.compile(r"^\s*(\d{1,2})(?:[:.]?(\d{2}))?\s*$")

Stroke = list[list[float]]


def parse_date_text(text: str) -> str | None:
    """What a person typed as a date → ISO text; '' when blank, None when not a date
    (the forms of ``domain.dates.typed_date``: 22/11/2026, 22.11.2026, 2026-11-22)."""
    if not text.strip():
        return ""
    try:
        return typed_date(text).isoformat()
    except ValueError:
        return None


def parse_time_text(text: str) -> str | None:
    """'14:30', '1430', '9:05', '9' → 'HH:MM'; '' when blank, None when not a time."""
    if not text.strip():
        return ""
    match = _TIME_TEXT.match(text)
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        return None
    return f"{hours:02d}:{minutes:02d}"


def describe_minutes(minutes: int) -> str:
    """90 → '1 h 30 min': shown beside a duration so long sessions read easily."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def yes_no_text(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def is_blank(value: Any) -> bool:
    """True for the values a field holds before anyone answers it."""
    return value is None or value == "" or value == [] or value == {}


def compact_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """One table row without its empty cells."""
    return {column: cell for column, cell in row.items() if not is_blank(cell)}


def table_value(
    rows: Iterable[Mapping[str, Any]], first_column: str, presets: Sequence[str]
) -> list[dict[str, Any]] | None:
    """The rows worth keeping, or None when the table holds nothing a person wrote.

    Empty rows are dropped. A preset row (its first cell filled by the template) is kept
    with the others, so its place survives, but a table of untouched preset rows is empty.
    """
    kept = [compact_row(row) for row in rows]
    kept = [row for row in kept if row]
    preset_labels = set(presets)
    written = any(
        column != first_column or cell not in preset_labels
        for row in kept
        for column, cell in row.items()
    )
    return kept if written else None


def normalise_strokes(raw: Any) -> list[Stroke]:
    """Stored strokes as lists of [x, y] numbers; anything malformed is left out."""
    strokes: list[Stroke] = []
    if not isinstance(raw, list):
        return strokes
    for stroke in raw:
        if not isinstance(stroke, list):
            continue
        points = [
            [point[0], point[1]]
            for point in stroke
            if isinstance(point, list | tuple)
            and len(point) == 2
            and all(isinstance(c, int | float) and not isinstance(c, bool) for c in point)
        ]
        if points:
            strokes.append(points)
    return strokes


def signature_value(
    name: str, role: str, date: str, strokes: Sequence[Sequence[Sequence[float]]],
    typed: bool = False,
) -> dict[str, Any] | None:
    """A signature block's value with only the parts given, or None when it is untouched.
    ``typed``: signed from the keyboard, by the name typed and an explicit confirmation."""
    value: dict[str, Any] = {}
    if name:
        value["name"] = name
    if role:
        value["role"] = role
    if date:
        value["date"] = date
    if strokes:
        value["strokes"] = [[list(point) for point in stroke] for stroke in strokes]
    if typed and name.strip():
        value["typed"] = True
    return value or None
