"""PAdES signatures on record PDFs (pyHanko), with a visible stamp in a reserved box.

Pure: no vault. A signature is an incremental update, so a countersignature (a second
call on the signed bytes, into a second field) leaves the first signature valid.

Which record a PDF holds is written into the revision the first signature covers: the
document catalog gets a ``/SupervisionDesktopRecord`` dictionary with ``/RecordId``,
``/Version``, ``/ContentHash`` (the version's SHA-256, see ``domain.records``) and
``/TemplateId``. Being inside the signed revision it cannot change without breaking the
signature; ``verification`` reads it back from each signature's own revision. The
signature's ``/Reason`` says the same in words for PDF readers.

pyHanko costs about half a second to import, so it is imported inside the functions.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from supervision_desktop.domain.dates import local_time
from supervision_desktop.errors import InvalidInput

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer

RECORD_KEY = "/SupervisionDesktopRecord"
ORGANISATION = "Supervision Desktop"

Box = tuple[int, float, float, float, float]  # page index, x1, y1, x2, y2 (points)


@dataclass(frozen=True)
class SignedRecordInfo:
    """Which finalised record version a signed PDF holds (stored in the signed revision)."""

    record_id: str
    version: int
    content_hash: str
    template_id: str = ""


@dataclass(frozen=True)
class FreeField:
    """An empty signature field, ready for a countersignature."""

    name: str
    page_index: int | None
    box: tuple[float, float, float, float] | None


class NotAPdf(InvalidInput):
    """The bytes are not a PDF that can be read (not a PDF, damaged or truncated)."""


# --- signers -------------------------------------------------------------------------


def make_signer(key_der: bytes, cert_der: bytes, chain_der: Sequence[bytes] = ()) -> Signer:
    """A pyHanko signer from a PKCS#8 private key and X.509 certificates (DER)."""
    from asn1crypto import keys, x509
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert = x509.Certificate.load(cert_der)
    others = [x509.Certificate.load(der) for der in chain_der]
    return signers.SimpleSigner(
        signing_cert=cert,
        signing_key=keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([cert, *others]),
    )


def signer_common_name(signer: Signer) -> str:
    cert = signer.signing_cert
    if cert is None:
        return ""
    return str(cert.subject.native.get("common_name", "") or "")


# --- reading -------------------------------------------------------------------------


def pdf_damage() -> tuple[type[Exception], ...]:
    """What pyHanko raises reading a damaged PDF: its own PdfError, Python's errors for
    the objects it finds, RecursionError for nesting, and AssertionError (it asserts an
    xref stream's /Type, for one)."""
    from pyhanko.pdf_utils.misc import PdfError

    return (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError,
            RecursionError, AssertionError)


def open_pdf(data: bytes) -> Any:
    """A pyHanko reader over ``data``; NotAPdf with a clear message if it cannot be read."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    if b"%PDF-" not in data[:1024]:  # readers allow a little junk before the header
        raise NotAPdf("This file is not a PDF.")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        reader.root  # noqa: B018 - forces the catalog to be read
    except pdf_damage():
        raise NotAPdf("This PDF is damaged or incomplete (perhaps cut short) and cannot "
                      "be read.") from None
    if reader.encrypted:
        raise NotAPdf("This PDF is password-protected; open it with its password first.")
    return reader


def free_signature_fields(data: bytes) -> list[FreeField]:
    """The empty signature fields of a PDF, in document order."""
    return _free_fields(open_pdf(data))


def _free_fields(reader: Any) -> list[FreeField]:
    from pyhanko.sign import fields

    free = []
    for name, _value, ref in fields.enumerate_sig_fields(reader, filled_status=False):
        field = ref.get_object()
        rect = field.get("/Rect")
        page_index = None
        if rect is not None:
            page_ref = field.raw_get("/P") if "/P" in field else None
            page_index = _page_index(reader, getattr(page_ref, "reference", None))
        box = tuple(float(v) for v in rect) if rect is not None else None
        # a PDF /Rect is four numbers; a damaged one is passed on as found, not refused here
        free.append(FreeField(str(name), page_index, box))  # type: ignore[arg-type]
    return free


def _page_index(reader: Any, page_ref: Any) -> int | None:
    if page_ref is None:
        return None
    for index in range(int(reader.root["/Pages"]["/Count"])):
        ref, _resources = reader.find_page_for_modification(index)
        if getattr(ref, "reference", ref) == page_ref:
            return index
    return None


# --- the visible stamp ---------------------------------------------------------------



@dataclass(frozen=True)
class HandMark:
    """What a person adds by hand to a stamp: strokes drawn on the signature pad (screen
    points, as ``ui.forms.signature_pad`` keeps them) and/or their name typed as their
    signature. Either may be empty."""

    strokes: Any = ()
    typed_name: str = ""

    def __bool__(self) -> bool:
        return bool(self.strokes) or bool(self.typed_name.strip())


def _draw_mark(canvas: Any, mark: HandMark, x: float, y: float, width: float,
               height: float) -> None:
    """The drawn signature fitted into the area, else the typed name in oblique type."""
    from reportlab.lib import colors

    from supervision_desktop.export.pdf.fonts import SANS_OBLIQUE, Face, text_width
    from supervision_desktop.export.pdf.signature import STROKE_WIDTH, fit_strokes

    ink = colors.HexColor("#1a2a4a")
    lines = fit_strokes(mark.strokes, width, height) if mark.strokes else []
    canvas.saveState()
    canvas.setStrokeColor(ink)
    canvas.setFillColor(ink)
    if lines:
        canvas.setLineWidth(STROKE_WIDTH)
        canvas.setLineCap(1)
        canvas.setLineJoin(1)
        for line in lines:
            if len(line) == 1:
                canvas.circle(x + line[0][0], y + line[0][1], STROKE_WIDTH / 2, stroke=0,
                              fill=1)
                continue
            path = canvas.beginPath()
            path.moveTo(x + line[0][0], y + line[0][1])
            for px, py in line[1:]:
                path.lineTo(x + px, y + py)
            canvas.drawPath(path, stroke=1, fill=0)
    else:
        name = " ".join(mark.typed_name.split())
        size = min(16.0, height * 0.6)
        widest = text_width(name, Face.OBLIQUE, size)
        if widest > width:
            size = max(6.0, size * width / widest)
        canvas.setFont(SANS_OBLIQUE, size)
        canvas.drawString(x, y + (height - size) / 2 + size * 0.2, name)
    canvas.restoreState()


def stamp_pdf(width: float, height: float, lines: Sequence[tuple[str, bool]],
              mark: HandMark | None = None) -> bytes:
    """A one-page PDF the size of the box: a frame and the lines (text, bold?) in it;
    with a ``mark``, the drawn (or typed) signature above the lines."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas

    from supervision_desktop.export.pdf.fonts import (
        SANS,
        SANS_BOLD,
        Face,
        register_fonts,
        text_width,
    )
    from supervision_desktop.export.pdf.text import one_line

    register_fonts()
    pad = 4.0
    mark_height = (height - 2 * pad) * 0.45 if mark else 0.0
    text_height = height - 2 * pad - mark_height
    size = max(6.0, min(10.0, text_height / (len(lines) * 1.25)))
    widest = max(text_width(text, Face.BOLD if bold else Face.REGULAR, size)
                 for text, bold in lines)
    if widest > width - 2 * pad:  # smaller type before cutting a line short
        size = max(6.0, size * (width - 2 * pad) / widest)
    styles = {
        bold: ParagraphStyle(f"sd-stamp-{bold}-{size}", fontName=SANS_BOLD if bold else SANS,
                             fontSize=size, leading=size * 1.2,
                             textColor=colors.HexColor("#1f3a5f"))
        for bold in (True, False)
    }
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1,
                    initialFontName=SANS)  # type: ignore[arg-type]  # stubs say float; never Helvetica
    canvas.setTitle("Digital signature")
    canvas.setStrokeColor(colors.HexColor("#1f3a5f"))
    canvas.setLineWidth(0.8)
    canvas.rect(0.5, 0.5, width - 1, height - 1)
    y = height - pad
    if mark:
        y -= mark_height
        _draw_mark(canvas, mark, pad, y, width - 2 * pad, mark_height)
    for text, bold in lines:
        paragraph = one_line(text, styles[bold], width - 2 * pad)
        _, used = paragraph.wrap(width - 2 * pad, height)
        y -= used
        if y < 0:
            break
        paragraph.drawOn(canvas, pad, y)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _pdf_page_content(data: bytes) -> Any:
    """pyHanko content that draws page 1 of ``data`` (like ImportedPdfPage, from bytes)."""
    from pyhanko.pdf_utils import content, layout
    from pyhanko.pdf_utils.reader import PdfFileReader

    class _ImportedBytes(content.PdfContent):
        def render(self) -> bytes:
            writer = self._ensure_writer
            xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(data)), page_ix=0)
            name = "/Stamp" + uuid.uuid4().hex
            self.resources.xobject[name] = xobject
            x1, y1, x2, y2 = xobject.get_object()["/BBox"]
            self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
            return name.encode("ascii") + b" Do"

    return _ImportedBytes()


# --- signing -------------------------------------------------------------------------


def _record_dictionary(record: SignedRecordInfo) -> Any:
    from pyhanko.pdf_utils import generic

    return generic.DictionaryObject({
        generic.NameObject("/RecordId"): generic.TextStringObject(record.record_id),
        generic.NameObject("/Version"): generic.NumberObject(record.version),
        generic.NameObject("/ContentHash"): generic.TextStringObject(record.content_hash),
        generic.NameObject("/TemplateId"): generic.TextStringObject(record.template_id),
    })


def _field_spec(name: str, box: Box) -> Any:
    """A visible signature field at ``box`` (points; fractions kept)."""
    from pyhanko.sign import fields

    page, x1, y1, x2, y2 = box
    # pyHanko hints int points but writes each corner as a FloatObject (sign/fields.py).
    return fields.SigFieldSpec(name, on_page=page, box=(x1, y1, x2, y2))  # type: ignore[arg-type]


def sign_pdf(
    data: bytes,
    signer: Signer,
    *,
    field_name: str,
    box: Box | None,
    reason: str,
    location: str = "",
    signer_name: str = "",
    record: SignedRecordInfo | None = None,
    reserve: Sequence[tuple[str, Box]] = (),
    mark: HandMark | None = None,
) -> bytes:
    """Sign ``data`` (PAdES, SHA-256) into ``field_name``; returns the signed PDF.

    An existing empty field of that name is filled (its own rectangle gets the stamp);
    otherwise ``box`` places a new field with a visible stamp, and with ``box`` None the
    signature is invisible. ``record`` is written into the signed revision;
    ``reserve`` adds empty signature fields (name, box) for later countersignatures;
    ``mark`` puts a drawn or typed signature in the visible stamp.
    """
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError
    from pyhanko.stamp import StaticStampStyle

    reader = open_pdf(data)
    existing = {f.name: f for f in _free_fields(reader)}
    signed_names = {name for name, _v, _r in fields.enumerate_sig_fields(reader, True)}
    if field_name in signed_names:
        raise InvalidInput(f"The signature field {field_name} is already signed.")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except PdfError:
        raise NotAPdf("This PDF is damaged and cannot be signed.") from None
    if record is not None:
        writer.root[RECORD_KEY] = _record_dictionary(record)
        writer.update_root()
    for name, reserved in reserve:
        fields.append_signature_field(writer, _field_spec(name, reserved))
    name = signer_name or signer_common_name(signer)
    now = dt.datetime.now(dt.UTC)
    spec = None
    size: tuple[float, float] | None = None
    if field_name in existing:  # fill the empty field where it is
        rect = existing[field_name].box
        if rect is not None:
            size = (abs(rect[2] - rect[0]), abs(rect[3] - rect[1]))
    elif box is not None:
        _page, x1, y1, x2, y2 = box
        spec = _field_spec(field_name, box)
        size = (abs(x2 - x1), abs(y2 - y1))
    else:
        spec = fields.SigFieldSpec(field_name)  # invisible
    style = None
    if size is not None and size[0] > 10 and size[1] > 10:
        lines = [(name, True), ("Digitally signed", False), (local_time(now, zone=True), False)]
        if reason:
            lines.append((reason, False))
        inset = 3.0  # inside the renderer's dashed placeholder line
        style = StaticStampStyle(
            background=_pdf_page_content(
                stamp_pdf(size[0] - 2 * inset, size[1] - 2 * inset, lines, mark)
            ),
            border_width=0,
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MIN,
                margins=layout.Margins.uniform(inset),
            ),
        )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason or None,
        location=location or None,
        name=name or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    pdf_signer = signers.PdfSigner(meta, signer, stamp_style=style, new_field_spec=spec)
    try:
        output = pdf_signer.sign_pdf(writer)
    except (SigningError, PdfError) as exc:  # e.g. a certified PDF that forbids changes
        raise InvalidInput(f"This PDF cannot be signed: {exc}") from None
    return bytes(output.getvalue())
