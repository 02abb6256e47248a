"""Each template field, with its entered value, as flowables.

Every field is printed, filled or not: an empty one shows "—" so a reader sees it was
asked. Tables keep the template's columns; signatures show name, role, date and the
drawn signature.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.domain.redaction import WITHHELD
from supervision_desktop.domain.templates import Column, ColumnKind, FieldKind, TemplateField
from supervision_desktop.export.pdf import styles as st
from supervision_desktop.export.pdf.fonts import SANS, Face, text_width
from supervision_desktop.export.pdf.signature import SignatureDrawing
from supervision_desktop.export.pdf.text import EMPTY_MARK, markup, paragraph, paragraphs
from supervision_desktop.export.pdf.values import scalar_text

CELL_PAD = 4
# Empty cells are plain strings, drawn in the table's font: never reportlab's Helvetica.
CELL_FONT = ("FONTNAME", (0, 0), (-1, -1), SANS)


def cell_text(top: float = 3, bottom: float = 4) -> list[tuple[Any, ...]]:
    """Table style commands every table shares: the font and the cell padding."""
    return [
        CELL_FONT,
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), top),
        ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
    ]


def index_table(body: list[list[Any]], widths: list[float],
                styles: Sequence[tuple[Any, ...]] = ()) -> Table:
    """A bundle's index: a heading row repeated on each page, a rule under each row."""
    table = Table(body, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, st.ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, st.RULE),
        *cell_text(),
        *styles,
    ]))
    return table
# Narrow columns need no more room than their values; the rest share what is left.
_FIXED_WIDTH = {ColumnKind.DATE: 60.0, ColumnKind.TIME: 38.0, ColumnKind.YESNO: 34.0}
_WEIGHT = {ColumnKind.LONGTEXT: 2.0}
SIGNATURE_BOX = (62 * mm, 20 * mm)
# Guidance up to this long stays on the page with what follows; longer guidance may split.
_KEEP_GUIDANCE = 500


def guidance(items: Sequence[str], width: float) -> list[Flowable]:
    keep = sum(len(item) for item in items) <= _KEEP_GUIDANCE
    if len(items) == 1:
        return paragraphs(items[0], st.GUIDANCE if keep else st.GUIDANCE_LOOSE, width)
    bullet_style = st.GUIDANCE_BULLET if keep else st.GUIDANCE_BULLET_LOOSE
    flowables: list[Flowable] = []
    for item in items:
        for index, flowable in enumerate(paragraphs(item, bullet_style, width)):
            if index == 0 and isinstance(flowable, Paragraph):
                flowable.bulletText = "•"
            flowables.append(flowable)
    return flowables


def _empty() -> Paragraph:
    return Paragraph(EMPTY_MARK, st.EMPTY)


def _text_value(text: str, width: float) -> list[Flowable]:
    return paragraphs(text, st.VALUE, width) or [_empty()]


def field_flowables(
    field: TemplateField, value: Any, width: float, *, label: bool = True
) -> list[Flowable]:
    """The label (unless the section heading already says it), guidance and value."""
    head: list[Flowable] = [paragraph(field.label, st.LABEL, width)] if label else []
    head.extend(guidance(field.guidance, width))
    if field.kind is FieldKind.TABLE:
        return [*head, table(field, value, width)]
    if field.kind is FieldKind.SIGNATURE:
        return [*head, signature_block(value, width)]  # one row: never split (see keep)
    if field.kind is FieldKind.MULTICHOICE:
        return [*head, *_choices(value, width)]
    return [*head, *_text_value(scalar_text(field.kind.value, value), width)]


def _choices(value: Any, width: float) -> list[Flowable]:
    chosen = [str(item) for item in value] if isinstance(value, list) else []
    if not chosen:
        return [_empty()]
    items: list[Flowable] = []
    for option in chosen:
        item = paragraph(option, st.VALUE_BULLET, width)
        item.bulletText = "•"
        items.append(item)
    return items


# --- tables -----------------------------------------------------------------------------


def _heading_width(label: str) -> float:
    """Room a column heading needs: its longest word, and about two lines (within reason)."""
    size = st.CELL_HEAD.fontSize
    words = max((text_width(word, Face.BOLD, size) for word in label.split()), default=0.0)
    two_lines = min(text_width(label, Face.BOLD, size) / 2 + 6, 90.0)
    return max(words, two_lines) + 2 * CELL_PAD + 1


def column_widths(columns: Sequence[Column], width: float) -> list[float]:
    """Widths that fit ``width``: narrow kinds get what they need, text columns share."""
    fixed = [max(_FIXED_WIDTH[c.kind], _heading_width(c.label)) if c.kind in _FIXED_WIDTH
             else 0.0 for c in columns]
    weights = [0.0 if f else _WEIGHT.get(c.kind, 1.0) for c, f in zip(columns, fixed, strict=True)]
    spare = width - sum(fixed)
    if not any(weights) or spare < 40 * sum(1 for w in weights if w):
        return [width / len(columns)] * len(columns)  # too many narrow columns: share evenly
    total = sum(weights)
    return [f if f else spare * w / total for f, w in zip(fixed, weights, strict=True)]


def _cell(column: Column, value: Any, width: float) -> list[Flowable] | str:
    text = scalar_text(column.kind.value, value)
    if not text.strip():
        return ""
    return paragraphs(text, st.CELL, width - 2 * CELL_PAD)


def table(field: TemplateField, value: Any, width: float) -> Flowable:
    columns = field.columns
    widths = column_widths(columns, width - st.VALUE_INDENT)
    header = [paragraph(c.label, st.CELL_HEAD, w - 2 * CELL_PAD)
              for c, w in zip(columns, widths, strict=True)]
    rows = [row for row in (value if isinstance(value, list) else []) if isinstance(row, dict)]
    if not rows and field.preset_rows:  # the form's printed row labels, still to fill in
        rows = [{columns[0].id: label} for label in field.preset_rows]
    body: list[list[Any]] = [
        [_cell(c, row.get(c.id), w) for c, w in zip(columns, widths, strict=True)]
        for row in rows
        if any(scalar_text(c.kind.value, row.get(c.id)).strip() for c in columns)
    ]
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, st.RULE),
        ("BACKGROUND", (0, 0), (-1, 0), st.SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *cell_text(),
    ]
    if not body:
        body = [[Paragraph(EMPTY_MARK, st.CELL)] + [""] * (len(columns) - 1)]
        commands.append(("SPAN", (0, 1), (-1, 1)))
    result = RecordTable([header, *body], colWidths=widths, repeatRows=1, splitByRow=1,
                         splitInRow=1, hAlign="LEFT")
    result.setStyle(TableStyle(commands))
    return _Indented(result, st.VALUE_INDENT)


# Room (points) left below a table part worth filling by splitting the next row in two.
_ROOM_FOR_ROW_SPLIT = 40.0


class RecordTable(Table):
    """A table that fills the page before going on, so its header repeats only at a page top.

    reportlab splits between rows whenever it can, however much room that leaves; the
    rest of the table is then placed on the same page, header and all, mid-page. Here,
    when splitting between rows would leave more than a few lines empty, the next row is
    split in two instead (its cells carry on, on the next page, below the header).
    """

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self._calc(available_width, available_height)  # type: ignore[attr-defined]
        by_row: list[Flowable] = self._splitRows(available_height, doInRowSplit=0)  # type: ignore[attr-defined]
        if len(by_row) == 2:
            _, used = by_row[0].wrap(available_width, available_height)
            if available_height - used > _ROOM_FOR_ROW_SPLIT:
                in_row: list[Flowable] = self._splitRows(  # type: ignore[attr-defined]
                    available_height, doInRowSplit=1)
                if in_row:
                    return _name_continued_row(in_row)
        if by_row:
            return by_row
        return _name_continued_row(list(super().split(available_width, available_height)))


_CONTINUED = " (continued)"


def _plain(cell: Any) -> str:
    items = cell if isinstance(cell, list | tuple) else [cell]
    return " ".join(item.getPlainText() for item in items if isinstance(item, Paragraph))


def _name_continued_row(parts: list[Flowable]) -> list[Flowable]:
    """A row split over a page: the continuation's first cell, when all of that cell fitted
    on the page before, names the row again ("… (continued)") rather than staying blank."""
    if len(parts) != 2 or not all(isinstance(part, Table) for part in parts):
        return parts
    first, rest = parts
    before = first._cellvalues[-1]  # type: ignore[attr-defined]
    after = rest._cellvalues[1]  # type: ignore[attr-defined]  # row 0 is the header
    if not _plain(after[0]).strip() and _plain(before[0]).strip():
        words = _plain(before[0]).removesuffix(_CONTINUED).split()
        shown = " ".join(words[:8]) + (" …" if len(words) > 8 else "")
        width = float(first._colWidths[0]) - 2 * CELL_PAD  # type: ignore[attr-defined]
        after[0] = [paragraph(shown + _CONTINUED, st.CELL_CONTINUED, width)]
    return parts


class _Indented(Flowable):
    """A flowable drawn a little in from the left, splitting like the one it wraps."""

    def __init__(self, inner: Flowable, indent: float) -> None:
        super().__init__()
        self.inner = inner
        self.indent = indent

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        width, height = self.inner.wrap(available_width - self.indent, available_height)
        self.width, self.height = width + self.indent, height
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = self.inner.split(available_width - self.indent, available_height)
        return [_Indented(part, self.indent) for part in parts]

    def getSpaceBefore(self) -> float:
        return float(self.inner.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.inner.getSpaceAfter())

    def draw(self) -> None:
        self.inner.drawOn(self.canv, self.indent, 0)


# --- signatures -------------------------------------------------------------------------


def signed_how(value: Any) -> str:
    """How a signature block was signed, as the record says it: drawn, typed (the name
    typed and its signing confirmed), or not signed; or that a disclosure left the drawn
    signature out."""
    value = value if isinstance(value, dict) else {}
    if value.get(WITHHELD):
        return "Drawn signature not reproduced"
    if value.get("strokes"):
        return "Signature"
    if value.get("typed") is True:
        return "Typed signature: name typed and signing confirmed"
    return "No drawn signature"


def signature_block(value: Any, width: float) -> Flowable:
    """Name, role and date beside the drawn signature, in a light box."""
    value = value if isinstance(value, dict) else {}
    box_width, box_height = SIGNATURE_BOX
    text_width_ = width - st.VALUE_INDENT - box_width - 4 * CELL_PAD

    def line(label: str, text: str) -> list[Flowable]:
        shown = text.strip() if isinstance(text, str) else ""
        return [Paragraph(label, st.SIGN_LABEL),
                paragraph(shown, st.SIGN_VALUE, text_width_) if shown
                else Paragraph(EMPTY_MARK, st.EMPTY)]

    details = [
        *line("Name", value.get("name", "")),
        *line("Role", value.get("role", "")),
        *line("Date", uk_date(value.get("date"))),
    ]
    drawing = SignatureDrawing(value.get("strokes"), box_width, box_height)
    caption = signed_how(value)
    result = Table(
        [[details, [drawing, Paragraph(caption, st.SIGN_LABEL)]]],
        colWidths=[text_width_ + 2 * CELL_PAD, box_width + 2 * CELL_PAD],
        hAlign="LEFT",
        splitInRow=1,  # only ever used for a block taller than a page (see _WholeIfItFits)
    )
    result.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.5, st.RULE),
        ("LINEBELOW", (1, 0), (1, 0), 0.5, st.RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *cell_text(top=4),
    ]))
    return _WholeIfItFits(result, st.VALUE_INDENT)


class _WholeIfItFits(_Indented):
    """Never split where it would fit whole on the next page; split only what is taller
    than a page (a signature under a name of thousands of characters), so it still prints."""

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        _, height = self.inner.wrap(available_width - self.indent, st.PAGE_HEIGHT)
        if height <= st.PAGE_HEIGHT - st.MARGIN_TOP - st.MARGIN_BOTTOM:
            return []  # to the next page, whole
        return super().split(available_width, available_height)


def facts_table(rows: Sequence[tuple[str, str]], width: float) -> Table:
    """Label/value pairs, two pairs to a row (the record's front matter)."""
    half = width / 2
    label_width, value_width = 26 * mm, half - 26 * mm
    cells: list[list[Flowable | str]] = []
    pairs = list(rows)
    for start in range(0, len(pairs), 2):
        row: list[Flowable | str] = []
        for label, text in pairs[start:start + 2]:
            row.append(Paragraph(markup(label), st.FACT_LABEL))
            row.append(paragraph(text, st.FACT_VALUE, value_width - 2 * CELL_PAD) if text.strip()
                       else Paragraph(EMPTY_MARK, st.EMPTY))
        cells.append(row + [""] * (4 - len(row)))
    result = Table(cells, colWidths=[label_width, value_width] * 2, hAlign="LEFT")
    result.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), st.SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *cell_text(top=4),
    ]))
    return result
