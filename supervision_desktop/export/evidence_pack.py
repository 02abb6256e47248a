"""The evidence pack: one PDF indexing a carer's supervisions, responses and actions.

Pure (no vault): ``render_evidence_pack(EvidencePack) -> bytes`` lays out an index in
date order (date, what, who signed, unchanged or flagged, action status), then each
record's content, and attaches the original signed PDFs as embedded files so each can
still be verified on its own. The caller signs the result; the attachments sit inside
the revision the signature covers.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.domain.templates import Template
from supervision_desktop.export.pdf import styles as st
from supervision_desktop.export.pdf.fields import facts_table, field_flowables, index_table
from supervision_desktop.export.pdf.fonts import register_fonts
from supervision_desktop.export.pdf.layout import NumberedCanvas, PageFurniture, RecordDocTemplate
from supervision_desktop.export.pdf.model import DEFAULT_MARKING
from supervision_desktop.export.pdf.text import markup, paragraph, paragraphs

TITLE = "Evidence pack"
UNCHANGED = "✓ unchanged"
FLAGGED = "Flagged"
INTRO = (
    "Every supervision record, response and agreed action held by the foster carer, in date "
    "order. Each record's content follows the index. The original signed PDFs are attached "
    "to this file: open the attachments in a PDF reader to check each signature on its own."
)


@dataclass(frozen=True)
class IndexRow:
    date: dt.date | None
    kind: str  # supervision, response, action
    what: str
    signed_by: str = ""
    unchanged: bool | None = None  # None: not a signed record (an action)
    check_detail: str = ""  # why a record is flagged
    action_status: str = ""
    section: int | None = None  # the content section number, for records


@dataclass(frozen=True)
class PackRecord:
    number: int
    heading: str
    date: dt.date | None
    origin: str  # "Received from …", "My own record", "My response"
    template: Template | None
    values: dict[str, Any]
    check: str  # the unchanged/flagged line in words
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Attachment:
    file_name: str
    data: bytes
    description: str


@dataclass(frozen=True)
class EvidencePack:
    owner: str
    produced_on: dt.date
    rows: tuple[IndexRow, ...]
    records: tuple[PackRecord, ...]
    attachments: tuple[Attachment, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    left_out: tuple[str, ...] = field(default=())  # e.g. "2 drafts are not included"
    marking: str = DEFAULT_MARKING  # the agency pack's, top and bottom of each page


def _period(pack: EvidencePack) -> str:
    if pack.date_from and pack.date_to:
        return f"{uk_date(pack.date_from)} to {uk_date(pack.date_to)}"
    if pack.date_from:
        return f"From {uk_date(pack.date_from)}"
    if pack.date_to:
        return f"Up to {uk_date(pack.date_to)}"
    return "All dates"


def _cell(text: str, style: Any = st.CELL) -> Paragraph:
    return Paragraph(markup(text), style) if text else Paragraph("", style)


_FLAG_STYLE = ParagraphStyle("sd-pack-flag", parent=st.CELL, textColor=st.DRAFT,
                             fontName=st.CELL_HEAD.fontName)
_OK_STYLE = ParagraphStyle("sd-pack-ok", parent=st.CELL, textColor=st.ACCENT)
_ACTION_STYLE = ParagraphStyle("sd-pack-action", parent=st.CELL, leftIndent=8)


def _index(rows: Sequence[IndexRow], width: float) -> Table:
    widths = [21 * mm, 0.0, 38 * mm, 24 * mm, 32 * mm]
    widths[1] = width - sum(widths)
    header = [_cell(h, st.CELL_HEAD) for h in
              ("Date", "What", "Signed by", "Unchanged", "Action status")]
    body: list[list[Any]] = [header]
    styles: list[tuple[Any, ...]] = []
    for number, row in enumerate(rows, start=1):
        what = row.what if row.section is None else f"{row.what} (see {row.section})"
        what_cell: Any = _cell(what, _ACTION_STYLE if row.kind == "action" else st.CELL)
        if row.unchanged is None:
            check = _cell("")
        elif row.unchanged:
            check = _cell(UNCHANGED, _OK_STYLE)
        else:
            check = _cell(FLAGGED, _FLAG_STYLE)
            if row.check_detail:
                what_cell = [what_cell, _cell(f"Flagged: {row.check_detail}", _FLAG_STYLE)]
        status_style = _FLAG_STYLE if row.action_status.startswith("Overdue") else st.CELL
        body.append([
            _cell(uk_date(row.date) if row.date else "—"),
            what_cell,
            _cell(row.signed_by), check, _cell(row.action_status, status_style),
        ])
        if row.kind != "action":
            styles.append(("BACKGROUND", (0, number), (-1, number), st.SHADE))
    return index_table(body, widths, styles)


def _record(record: PackRecord, width: float) -> list[Flowable]:
    story: list[Flowable] = [
        CondPageBreak(60 * mm),
        paragraph(f"{record.number}. {record.heading}", st.TITLE, width),
        facts_table([("Date", uk_date(record.date) if record.date else ""),
                     ("Where from", record.origin),
                     ("Checked", record.check),
                     ("Attached", ", ".join(record.attachments) or "no signed PDF held")],
                    width),
    ]
    if record.template is None:
        story.append(Paragraph("The content of this record is in its attached signed PDF.",
                               st.EMPTY))
        return story
    for section in record.template.sections:
        story.append(paragraph(section.title, st.SECTION, width))
        for item in section.fields:
            story.extend(field_flowables(item, record.values.get(item.id), width,
                                         label=not section.title_repeats_field))
    return story


def _attach(data: bytes, attachments: Sequence[Attachment]) -> bytes:
    if not attachments:
        return data
    from pyhanko.pdf_utils import embed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    for attachment in attachments:
        stream = embed.EmbeddedFileObject.from_file_data(
            writer, attachment.data, mime_type="application/pdf",
            params=embed.EmbeddedFileParams(embed_size=True, embed_checksum=True),
        )
        embed.embed_file(writer, embed.FileSpec(
            file_spec_string=attachment.file_name, file_name=attachment.file_name,
            embedded_data=stream, description=attachment.description,
        ))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def render_evidence_pack(pack: EvidencePack) -> bytes:
    """The unsigned evidence pack, original signed PDFs attached."""
    register_fonts()
    width = st.BODY_WIDTH
    records = sum(1 for r in pack.rows if r.kind in ("supervision", "response"))
    actions = sum(1 for r in pack.rows if r.kind == "action")
    flagged_files = sum(1 for r in pack.rows if r.kind == "flagged")
    holds = (f"{records} records, {actions} actions, {len(pack.attachments)} signed PDFs "
             "attached")
    if flagged_files:
        holds += f"; {flagged_files} flagged file{'s' if flagged_files != 1 else ''}"
    story: list[Flowable] = [
        paragraph(TITLE, st.TITLE, width),
        paragraph(INTRO, st.SOURCE, width),
        facts_table([("Foster carer", pack.owner), ("Period", _period(pack)),
                     ("Produced", uk_date(pack.produced_on)), ("Holds", holds)], width),
        Spacer(1, 8),
    ]
    for line in pack.left_out:
        story.extend(paragraphs(line, st.NOTICE, width))
    story += [paragraph("Index", st.SECTION, width)]
    story.append(_index(pack.rows, width) if pack.rows
                 else Paragraph("Nothing is held for this period.", st.EMPTY))
    for record in pack.records:
        story += [PageBreak(), *_record(record, width)]
    furniture = PageFurniture(marking=pack.marking, running_title=f"{TITLE} – {_period(pack)}",
                              copy_for=None, footer=f"{TITLE} · produced "
                              f"{uk_date(pack.produced_on)} · {records} records")
    buffer = io.BytesIO()
    document = RecordDocTemplate(buffer, furniture, title=TITLE, author=pack.owner,
                                 subject="Supervision evidence pack",
                                 creator="Supervision Desktop", lang="en-GB")
    document.build(story, canvasmaker=NumberedCanvas)
    return _attach(buffer.getvalue(), pack.attachments)
