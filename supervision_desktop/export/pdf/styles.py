"""Page geometry, colours and paragraph styles of the record PDF."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from supervision_desktop.export.pdf.fonts import SANS, SANS_BOLD, SANS_OBLIQUE

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm  # room for the marking and running header
MARGIN_BOTTOM = 22 * mm  # room for the footer and the marking
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#59616b")
ACCENT = colors.HexColor("#1f3a5f")
RULE = colors.HexColor("#b4bcc7")
SHADE = colors.HexColor("#eef1f5")
DRAFT = colors.HexColor("#9b2c2c")

VALUE_INDENT = 8  # entered values sit slightly in from their label


def _style(name: str, **kwargs: Any) -> ParagraphStyle:
    base: dict[str, Any] = {}
    if "parent" not in kwargs:
        base = {"fontName": SANS, "fontSize": 10, "leading": 13.5, "textColor": INK}
    base.update(kwargs)
    return ParagraphStyle(name, **base)


TITLE = _style("sd-title", fontName=SANS_BOLD, fontSize=17, leading=21, textColor=ACCENT,
               spaceAfter=3)
SOURCE = _style("sd-source", fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=8)
NOTICE = _style("sd-notice", fontName=SANS_OBLIQUE, fontSize=8.5, leading=11.5)
DRAFT_BANNER = _style("sd-draft", fontName=SANS_BOLD, fontSize=9.5, leading=12,
                      textColor=DRAFT)
FACT_LABEL = _style("sd-fact-label", fontSize=8, leading=10.5, textColor=MUTED)
FACT_VALUE = _style("sd-fact-value", fontName=SANS_BOLD, fontSize=9.5, leading=12)
SECTION = _style("sd-section", fontName=SANS_BOLD, fontSize=12.5, leading=16,
                 textColor=ACCENT, spaceBefore=14, spaceAfter=2, keepWithNext=1)
SECTION_NOTE = _style("sd-section-note", fontSize=7.5, leading=9.5, textColor=MUTED,
                      keepWithNext=1)
GUIDANCE = _style("sd-guidance", fontName=SANS_OBLIQUE, fontSize=8.5, leading=11,
                  textColor=MUTED, spaceAfter=1.5, keepWithNext=1)
GUIDANCE_BULLET = _style("sd-guidance-bullet", parent=GUIDANCE, leftIndent=10,
                         bulletIndent=2, bulletFontName=SANS)
GUIDANCE_LOOSE = _style("sd-guidance-loose", parent=GUIDANCE, keepWithNext=0)
GUIDANCE_BULLET_LOOSE = _style("sd-guidance-bullet-loose", parent=GUIDANCE_BULLET,
                               keepWithNext=0)
LABEL = _style("sd-label", fontName=SANS_BOLD, fontSize=9.5, leading=12.5, spaceBefore=8,
               spaceAfter=1.5, keepWithNext=1)
VALUE = _style("sd-value", leftIndent=VALUE_INDENT, spaceAfter=2)
VALUE_BULLET = _style("sd-value-bullet", parent=VALUE, leftIndent=VALUE_INDENT + 11,
                      bulletIndent=VALUE_INDENT + 1, bulletFontName=SANS)
EMPTY = _style("sd-empty", parent=VALUE, textColor=MUTED)
CELL = _style("sd-cell", fontSize=8.5, leading=11)
CELL_HEAD = _style("sd-cell-head", fontName=SANS_BOLD, fontSize=8, leading=10)
CELL_SMALL = _style("sd-cell-small", fontSize=7.5, leading=9.5)
CELL_CONTINUED = _style("sd-cell-continued", fontName=SANS_OBLIQUE, fontSize=8, leading=10.5,
                        textColor=MUTED)
SIGN_LABEL = _style("sd-sign-label", fontSize=7.5, leading=9.5, textColor=MUTED)
SIGN_VALUE = _style("sd-sign-value", fontSize=9.5, leading=12)
HEADER = _style("sd-header", fontSize=7.5, leading=9, textColor=MUTED)
HEADER_RIGHT = _style("sd-header-right", parent=HEADER, fontName=SANS_BOLD, textColor=INK,
                      alignment=2)
MARKING = _style("sd-marking", fontName=SANS_BOLD, fontSize=9, leading=11, alignment=TA_CENTER)
FOOTER = _style("sd-footer", fontSize=7, leading=9, textColor=MUTED)
EVIDENCE_NOTE = _style("sd-evidence-note", fontName=SANS_BOLD, fontSize=9.5, leading=12.5,
                       spaceBefore=10, spaceAfter=6)
SLOT_CAPTION = _style("sd-slot-caption", fontSize=7.5, leading=9.5, textColor=MUTED)
