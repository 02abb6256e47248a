"""Any string into safe reportlab paragraphs.

reportlab's ``Paragraph`` parses its text as markup: ``&`` and ``<b>`` change the output
and ``<img src="/any/file">`` reads local files into the PDF. So every string that is not
our own fixed markup (entered values, and template wording too) goes through ``markup``:
control characters removed, ``xml.sax.saxutils.escape``, then each run wrapped in the
font that has its glyphs. Long values become one paragraph per line so they flow over
pages; right-to-left lines are broken and ordered here (see ``bidi``).
"""

from __future__ import annotations

import functools
import re
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.abag import ABag
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer

from supervision_desktop.export.pdf import bidi
from supervision_desktop.export.pdf.fonts import SANS_BOLD, SANS_OBLIQUE, Face, split_runs
from supervision_desktop.export.pdf.fonts import text_width as _text_width
from supervision_desktop.export.pdf.shaping import shape_frag_word

EMPTY_MARK = "—"
ELLIPSIS = "…"
# A paragraph re-wraps the rest of itself at every page break, so very long lines are cut
# into pieces of about this many characters (at a space) to keep rendering linear.
_PIECE = 3000

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_NEWLINES = re.compile("\r\n|[\r\u0085\u2028\u2029]")


def clean(text: str) -> str:
    """Text safe to lay out: one kind of newline, no control characters, no lone surrogates."""
    text = _NEWLINES.sub("\n", text).replace("\t", "    ")
    text = _CONTROL.sub("", text)
    return text.encode("utf-8", "replace").decode("utf-8")


def face_of(style: ParagraphStyle) -> Face:
    return {SANS_BOLD: Face.BOLD, SANS_OBLIQUE: Face.OBLIQUE}.get(style.fontName, Face.REGULAR)


def markup(text: str, face: Face = Face.REGULAR) -> str:
    """Escaped paragraph markup for text drawn in ``face``; newlines become ``<br/>``."""
    parts = []
    for font, run in split_runs(clean(text), face):
        escaped = escape(run).replace("\n", "<br/>")
        parts.append(escaped if font == face.font else f'<font name="{font}">{escaped}</font>')
    return "".join(parts)


@functools.cache
def _variant(style: ParagraphStyle, shaping: bool, rtl: bool) -> ParagraphStyle:
    if not shaping and not rtl:
        return style
    extra: dict[str, Any] = {"shaping": 1 if shaping else 0}
    if rtl:
        extra["alignment"] = TA_RIGHT
    suffix = ("-shaped" if shaping else "") + ("-rtl" if rtl else "")
    return ParagraphStyle(style.name + suffix, parent=style, **extra)


def _pieces(line: str) -> list[str]:
    if len(line) <= _PIECE * 1.5:
        return [line]
    pieces = []
    while len(line) > _PIECE * 1.5:
        cut = line.rfind(" ", _PIECE // 2, _PIECE)
        cut = _PIECE if cut < 0 else cut
        pieces.append(line[:cut])
        line = line[cut:].lstrip(" ")
    return [*pieces, line] if line else pieces


def _shaped_width(word: str, face: Face, size: float) -> float:
    """Width of a word as drawn: joined Arabic letters are narrower than separate ones."""
    width = 0.0
    for font, run in split_runs(word, face):
        plain = stringWidth(run, font, size)
        if bidi.needs_shaping(run):
            plain = float(shape_frag_word([plain, (ABag(fontName=font, fontSize=size), run)])[0])
        width += plain
    return width


def _rtl_markup(line: str, face: Face, size: float, width: float) -> tuple[str, bool]:
    """Markup of a line holding right-to-left text, broken and ordered for display."""
    base = bidi.base_direction(line)
    words = line.split()
    space = _text_width(" ", face, size)
    lines = bidi.break_lines(words, lambda w: _shaped_width(w, face, size), width * 0.98,
                             space)
    shown = [bidi.display(" ".join(words_), base) for words_ in lines]
    return "<br/>".join(markup(text, face) for text in shown), base == "R"


def paragraph(text: str, style: ParagraphStyle, width: float) -> Paragraph:
    """One paragraph of text (no newlines expected) laid out ``width`` points wide."""
    face = face_of(style)
    shaping = bidi.needs_shaping(text)
    if bidi.has_rtl(text):
        available = width - style.leftIndent - style.rightIndent
        body, rtl = _rtl_markup(text, face, style.fontSize, available)
        return Paragraph(body, _variant(style, shaping, rtl))
    return Paragraph(markup(text, face), _variant(style, shaping, False))


def paragraphs(text: str, style: ParagraphStyle, width: float) -> list[Flowable]:
    """A multi-line value as one paragraph per line; blank lines keep a small gap."""
    flowables: list[Flowable] = []
    gap = False
    for line in clean(text).split("\n"):
        if not line.strip():
            gap = bool(flowables)
            continue
        if gap:
            flowables.append(Spacer(1, style.leading * 0.45))
            gap = False
        flowables.extend(paragraph(piece, style, width) for piece in _pieces(line.strip()))
    return flowables


def one_line(text: str, style: ParagraphStyle, width: float) -> Paragraph:
    """A paragraph cut with an ellipsis so it fits on one line (running headers)."""
    text = " ".join(clean(text).split())
    face = face_of(style)
    if _text_width(text, face, style.fontSize) > width:
        while text and _text_width(text + ELLIPSIS, face, style.fontSize) > width:
            text = text[: max(0, min(len(text) - 1, int(len(text) * 0.9)))]
        text = text.rstrip() + ELLIPSIS
    if bidi.has_rtl(text):
        text = bidi.display(text, bidi.base_direction(text))
    return Paragraph(markup(text, face), _variant(style, bidi.needs_shaping(text), False))
