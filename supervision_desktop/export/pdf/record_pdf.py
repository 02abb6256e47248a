"""A record as a PDF laid out like its template, ending with the evidence page."""

from __future__ import annotations

import io

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.domain.templates import FieldKind
from supervision_desktop.export.pdf import styles as st
from supervision_desktop.export.pdf.evidence import evidence_flowables
from supervision_desktop.export.pdf.fields import (
    CELL_FONT,
    CELL_PAD,
    facts_table,
    field_flowables,
    guidance,
)
from supervision_desktop.export.pdf.fonts import register_fonts
from supervision_desktop.export.pdf.keep import keep_with_next
from supervision_desktop.export.pdf.layout import NumberedCanvas, PageFurniture, RecordDocTemplate
from supervision_desktop.export.pdf.model import RecordDocument, RenderedPdf, SignatureBox
from supervision_desktop.export.pdf.outline import Bookmark
from supervision_desktop.export.pdf.text import paragraph, paragraphs

PDF_SUBJECT = "Supervision record"
PDF_CREATOR = "Supervision Desktop"
_SUBJECT_LABELS = {"supervisee": "Supervisee", "carer": "Foster carer", "child": "Child"}


def pdf_title(document: RecordDocument) -> str:
    """Title + session date: no personal names go into the file's metadata."""
    date = uk_date(document.session_date)
    return f"{document.template.title} – {date}" if date else document.template.title


def _footer(document: RecordDocument) -> str:
    if not document.is_final:
        return (f"Record {document.record_id[:8]} · version {document.version} · "
                "DRAFT – not finalised")
    assert document.content_hash is not None
    extract = "extract · " if document.extract_of else ""
    return (f"Record {document.record_id[:8]} · version {document.version} · {extract}"
            f"SHA-256 {document.content_hash[:16]}…")


def extract_statement(document: RecordDocument) -> str:
    """What a split export's part says it is, with the hash that links it to its record."""
    return (f"This is an extract of supervision record {document.record_id}, version "
            f"{document.version}. The full record's content hash (SHA-256) is "
            f"{document.extract_of}.")


def _front(document: RecordDocument, width: float) -> list[Flowable]:
    template = document.template
    source = template.source.shown()
    story: list[Flowable] = [paragraph(template.title, st.TITLE, width),
                             paragraph(source, st.SOURCE, width)]
    if not document.is_final:
        story.append(Paragraph("DRAFT — this record has not been finalised.",
                               st.DRAFT_BANNER))
    facts: list[tuple[str, str]] = []
    subject_label = _SUBJECT_LABELS.get(template.subject_kind)
    if subject_label:
        facts.append((subject_label, document.subject_name))
    facts += [
        ("Supervisor", document.owner),
        ("Session date", uk_date(document.session_date)),
        ("Record", f"{document.record_id[:8]}, version {document.version}"),
    ]
    if document.child_name:
        facts.append(("Copy for", document.child_name))
    if document.carer_copy:
        facts.append(("Copy", "Carer copy: sections for staff only are left out"))
    if document.part:
        facts.append(("Part", document.part))
    story.append(facts_table(facts, width))
    if document.extract_of:
        story += [Spacer(1, 6), paragraph(extract_statement(document), st.VALUE, width)]
    if template.notice.strip():
        notice = Table([[paragraphs(template.notice, st.NOTICE, width - 4 * CELL_PAD)]],
                       colWidths=[width], hAlign="LEFT")
        notice.setStyle(TableStyle([
            ("LINEBEFORE", (0, 0), (0, -1), 2, st.ACCENT),
            CELL_FONT,
            ("LEFTPADDING", (0, 0), (-1, -1), 2 * CELL_PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]))
        story += [Spacer(1, 8), notice]
    return story


def _sections(document: RecordDocument, width: float) -> list[Flowable]:
    story: list[Flowable] = []
    for section in document.template.sections:
        part: list[Flowable] = [Bookmark(section.title),
                                paragraph(section.title, st.SECTION, width)]
        if section.staff_only:
            part.append(Paragraph("Staff only", st.SECTION_NOTE))
        part.extend(guidance(section.guidance, width))
        for field in section.fields:
            part.extend(field_flowables(field, document.values.get(field.id), width,
                                        label=not section.title_repeats_field))
        part = keep_with_next(part)
        # Sign-off sections stay on one page where they fit: no signature left alone.
        signs = any(field.kind is FieldKind.SIGNATURE for field in section.fields)
        story.extend([KeepTogether(part)] if signs else part)
    return story


def render_document(document: RecordDocument) -> RenderedPdf:
    """The unsigned PDF of a record, and where its visible signatures are to go."""
    register_fonts()
    width = st.BODY_WIDTH
    placed: list[SignatureBox] = []
    story = keep_with_next([*_front(document, width), *_sections(document, width),
                            *evidence_flowables(document, width, placed)])
    running = pdf_title(document)
    furniture = PageFurniture(
        marking=document.marking,
        running_title=running,
        copy_for=document.child_name,
        footer=_footer(document),
        logo=document.logo,
    )
    buffer = io.BytesIO()
    template = RecordDocTemplate(
        buffer,
        furniture,
        title=running,
        author=document.owner,
        subject=PDF_SUBJECT,
        creator=PDF_CREATOR,
        lang="en-GB",
    )
    template.build(story, canvasmaker=NumberedCanvas)
    return RenderedPdf(buffer.getvalue(), template.page, tuple(placed))
