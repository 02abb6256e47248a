"""Records as PDF: laid out like their template, every font shipped, all text escaped.

``render_document(RecordDocument) -> RenderedPdf`` is pure (no vault, no Qt): the
caller gathers the record, and signs the returned bytes afterwards, placing visible
signatures in ``RenderedPdf.signature_boxes``.
"""

from supervision_desktop.export.pdf.evidence import SIGNATURE_NOTE
from supervision_desktop.export.pdf.model import (
    DEFAULT_MARKING,
    RecordDocument,
    RenderedPdf,
    SignatureBox,
    VersionEntry,
)
from supervision_desktop.export.pdf.record_pdf import pdf_title, render_document

__all__ = [
    "DEFAULT_MARKING",
    "SIGNATURE_NOTE",
    "RecordDocument",
    "RenderedPdf",
    "SignatureBox",
    "VersionEntry",
    "pdf_title",
    "render_document",
]
