"""The last page: what identifies this record, its history, its signers, and the places
reserved for the visible digital signatures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from supervision_desktop.domain.dates import local_time, uk_date
from supervision_desktop.domain.templates import FieldKind
from supervision_desktop.export.pdf import styles as st
from supervision_desktop.export.pdf.fields import CELL_FONT, CELL_PAD, cell_text
from supervision_desktop.export.pdf.model import RecordDocument, SignatureBox
from supervision_desktop.export.pdf.outline import Bookmark
from supervision_desktop.export.pdf.text import EMPTY_MARK, paragraph, paragraphs

HEADING = "Record evidence"
SIGNATURE_NOTE = (
    "The digital signature on this PDF covers every page; any change after signing is "
    "detectable."
)
MAX_SIGNATURES = 2
SLOT_HEIGHT = 24 * mm
SLOT_GAP = 8 * mm


class SignatureSlot(Flowable):
    """An empty, captioned box; where it lands on the page is recorded for the signer."""

    def __init__(self, width: float, height: float, label: str,
                 placed: list[SignatureBox]) -> None:
        super().__init__()
        self.width, self.height = width, height
        self.label = label
        self._placed = placed

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        x1, y1 = canvas.absolutePosition(0, 0)
        x2, y2 = canvas.absolutePosition(self.width, self.height)
        self._placed.append(SignatureBox(canvas.getPageNumber() - 1,
                                         (round(x1, 2), round(y1, 2), round(x2, 2), round(y2, 2)),
                                         self.label))
        canvas.saveState()
        canvas.setStrokeColor(st.RULE)
        canvas.setLineWidth(0.5)
        canvas.setDash(2, 2)
        canvas.rect(0, 0, self.width, self.height)
        canvas.restoreState()


def _table(rows: Sequence[list[Any]], widths: Sequence[float], *, header: bool) -> Table:
    result = Table(list(rows), colWidths=list(widths), repeatRows=1 if header else 0,
                   hAlign="LEFT", splitInRow=30)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, st.RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *cell_text(),
    ]
    commands.append(("BACKGROUND", (0, 0), (-1, 0) if header else (0, -1), st.SHADE))
    result.setStyle(TableStyle(commands))
    return result


def _cell(text: str, width: float, style: Any = st.CELL) -> Any:
    return paragraphs(text, style, width - 2 * CELL_PAD) or Paragraph(EMPTY_MARK, st.CELL)


def _facts(document: RecordDocument, width: float) -> Table:
    template = document.template
    state = (f"version {document.version}, finalised" if document.is_final
             else f"version {document.version}, draft — not finalised")
    rows = [
        ("Record id", document.record_id),
        ("Template", f"{template.title} (id {template.id}, version {template.version})"),
        ("Source", template.source.shown()),
        ("Version printed", state),
        ("Content hash of this extract (SHA-256)" if document.extract_of
         else "Content hash (SHA-256)", document.content_hash or "none: drafts are not hashed"),
        ("PDF produced", f"{local_time(document.produced_at, zone=True)} by {document.owner}"),
    ]
    if document.child_name:
        rows.append(("Copy for", document.child_name))
    if document.extract_of:
        rows += [("Part", document.part),
                 ("Extract of", f"record {document.record_id}, version {document.version}"),
                 ("Full record's content hash (SHA-256)", document.extract_of)]
    label_width = 40 * mm
    return _table([[_cell(label, label_width, st.CELL_HEAD), _cell(text, width - label_width)]
                   for label, text in rows], [label_width, width - label_width], header=False)


def _history(document: RecordDocument, width: float) -> Table:
    widths = [15 * mm, 27 * mm, 27 * mm]
    hash_width = 60 * mm
    widths += [width - sum(widths) - hash_width, hash_width]
    heads = ["Version", "Created", "Finalised", "Reason for amendment", "Content hash"]
    rows: list[list[Any]] = [[paragraph(h, st.CELL_HEAD, w) for h, w in zip(heads, widths,
                                                                         strict=True)]]
    for version in document.versions:
        digest = version.content_hash or ""
        rows.append([
            _cell(str(version.number), widths[0]),
            _cell(local_time(version.created_at, zone=True), widths[1]),
            _cell(local_time(version.finalised_at, zone=True) or "Draft", widths[2]),
            _cell(version.reason or ("First version" if version.number == 1 else ""),
                  widths[3]),
            _cell(f"{digest[:32]}\n{digest[32:]}" if digest else "", widths[4], st.CELL_SMALL),
        ])
    if len(rows) == 1:
        rows.append([Paragraph(EMPTY_MARK, st.CELL)] + [""] * 4)
    return _table(rows, widths, header=True)


def _signers(document: RecordDocument, width: float) -> Flowable:
    widths = [width * 0.2, width * 0.24, width * 0.2, width * 0.14, width * 0.22]
    heads = ["Signs as", "Name", "Role", "Date", "How"]
    rows: list[list[Any]] = [[paragraph(h, st.CELL_HEAD, w) for h, w in zip(heads, widths,
                                                                         strict=True)]]
    for field in document.template.fields():
        if field.kind is not FieldKind.SIGNATURE:
            continue
        value = document.values.get(field.id)
        value = value if isinstance(value, dict) else {}
        rows.append([
            _cell(field.signer, widths[0]),
            _cell(str(value.get("name") or ""), widths[1]),
            _cell(str(value.get("role") or ""), widths[2]),
            _cell(uk_date(value.get("date")), widths[3]),
            _cell(_how(value), widths[4]),
        ])
    if len(rows) == 1:
        return Paragraph("This template has no signature fields.", st.VALUE)
    return _table(rows, widths, header=True)


def _how(value: dict[str, Any]) -> str:
    if value.get("strokes"):
        return "Drawn"
    if value.get("typed") is True:
        return "Typed name, signing confirmed"
    return "Name and date, nothing drawn" if value.get("name") else "Not signed"


def evidence_flowables(document: RecordDocument, width: float,
                       placed: list[SignatureBox]) -> list[Flowable]:
    """The evidence page; ``placed`` receives the signature boxes as they are drawn."""
    story: list[Flowable] = [
        PageBreak(),
        Bookmark(HEADING),
        Paragraph(HEADING, st.TITLE),
        Paragraph("What identifies this record and shows it has not been changed.", st.SOURCE),
        _facts(document, width),
        Paragraph("Version history", st.SECTION),
        _history(document, width),
        Paragraph("Signatures in the record", st.SECTION),
        _signers(document, width),
    ]
    closing: list[Flowable] = [Paragraph(SIGNATURE_NOTE, st.EVIDENCE_NOTE)]
    slots = max(0, min(MAX_SIGNATURES, document.signature_slots))
    if slots:
        slot_width = (width - SLOT_GAP) / 2
        labels = ["Digital signature", "Countersignature"][:slots]
        captions = [Paragraph(label, st.SLOT_CAPTION) for label in labels]
        boxes = [SignatureSlot(slot_width, SLOT_HEIGHT, label, placed) for label in labels]
        grid = Table([captions + [""] * (2 - slots), boxes + [""] * (2 - slots)],
                     colWidths=[slot_width + SLOT_GAP, slot_width], hAlign="LEFT")
        grid.setStyle(TableStyle([
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        CELL_FONT,
        ]))
        closing.append(grid)
    story.append(KeepTogether([Spacer(1, 4), *closing]))
    return story
