"""The page: protective marking top and bottom, running header, footer, "Page x of y"."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from supervision_desktop.export.pdf import styles as st
from supervision_desktop.export.pdf.fonts import SANS, Face, text_width
from supervision_desktop.export.pdf.text import one_line

MARKING_TOP_Y = st.PAGE_HEIGHT - 11 * mm
HEADER_Y = st.PAGE_HEIGHT - 17.5 * mm
FOOTER_RULE_Y = 16 * mm
FOOTER_Y = 11.5 * mm
MARKING_BOTTOM_Y = 5.5 * mm
LOGO_HEIGHT = 8 * mm  # in the top margin, left of the centred marking
LOGO_WIDTH = 40 * mm


@dataclass(frozen=True)
class PageFurniture:
    """What is printed around the body of every page."""

    marking: str
    running_title: str
    copy_for: str | None
    footer: str  # record id, version and hash
    logo: bytes | None = None  # the agency's logo, top left of every page


def _draw_line(canvas: Canvas, paragraph: Any, x: float, y: float, width: float) -> None:
    paragraph.wrapOn(canvas, width, 20)
    paragraph.drawOn(canvas, x, y)


def draw_furniture(furniture: PageFurniture, canvas: Canvas, _doc: Any) -> None:
    left, width = st.MARGIN_X, st.BODY_WIDTH
    canvas.saveState()
    for y in (MARKING_TOP_Y, MARKING_BOTTOM_Y):
        _draw_line(canvas, one_line(furniture.marking, st.MARKING, width), left, y, width)
    if furniture.logo:
        _draw_logo(canvas, furniture.logo, left, HEADER_Y + 4 * mm)
    copy = f"Copy for: {furniture.copy_for}" if furniture.copy_for else ""
    copy_width = min(width * 0.45, text_width(copy, Face.BOLD, st.HEADER_RIGHT.fontSize) + 2)
    title_width = width - copy_width - (6 * mm if copy_width else 0)
    _draw_line(canvas, one_line(furniture.running_title, st.HEADER, title_width),
               left, HEADER_Y, title_width)
    if copy:
        _draw_line(canvas, one_line(copy, st.HEADER_RIGHT, copy_width),
                   left + width - copy_width, HEADER_Y, copy_width)
    canvas.setStrokeColor(st.RULE)
    canvas.setLineWidth(0.5)
    canvas.line(left, HEADER_Y - 2.5 * mm, left + width, HEADER_Y - 2.5 * mm)
    canvas.line(left, FOOTER_RULE_Y, left + width, FOOTER_RULE_Y)
    footer_width = width - 30 * mm  # the page number sits at the right
    _draw_line(canvas, one_line(furniture.footer, st.FOOTER, footer_width), left, FOOTER_Y,
               footer_width)
    canvas.restoreState()


def _draw_logo(canvas: Canvas, logo: bytes, x: float, y: float) -> None:
    """The logo scaled to fit LOGO_HEIGHT × LOGO_WIDTH, its foot at ``y`` (it was checked
    to be an image when the agency pack was loaded)."""
    image = ImageReader(io.BytesIO(logo))
    pixels_wide, pixels_high = image.getSize()
    scale = min(LOGO_HEIGHT / pixels_high, LOGO_WIDTH / pixels_wide)
    canvas.drawImage(image, x, y, pixels_wide * scale, pixels_high * scale, mask="auto")


class NumberedCanvas(Canvas):
    """Holds pages back until the end so each can say "Page x of y"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initialFontName"] = kwargs.get("initialFontName") or SANS  # never Helvetica
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []
        # Outline entries per page number: reportlab ties a bookmark to the page being
        # written out, so they are placed as each held page is finally written.
        self._outline: dict[int, list[tuple[str, str, int, float, float]]] = {}

    def mark_outline(self, key: str, title: str, level: int, x: float, y: float) -> None:
        self._outline.setdefault(self.getPageNumber(), []).append((key, title, level, x, y))

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own reset, not in its stubs

    def save(self) -> None:
        total = len(self._held_pages)
        for state in self._held_pages:
            self.__dict__.update(state)
            self.setFont(SANS, st.FOOTER.fontSize)
            self.setFillColor(st.MUTED)
            self.drawRightString(st.MARGIN_X + st.BODY_WIDTH, FOOTER_Y + 2,
                                 f"Page {self.getPageNumber()} of {total}")
            for key, title, level, x, y in self._outline.get(self.getPageNumber(), []):
                self.bookmarkPage(key, fit="XYZ", left=x, top=y)
                self.addOutlineEntry(title, key, level=level, closed=False)
            super().showPage()
        self.showOutline()  # a reader opens with the bookmarks shown
        super().save()


class RecordDocTemplate(BaseDocTemplate):
    """A4 portrait, one frame, the furniture drawn on every page."""

    def __init__(self, target: Any, furniture: PageFurniture, **metadata: Any) -> None:
        super().__init__(
            target,
            pagesize=(st.PAGE_WIDTH, st.PAGE_HEIGHT),
            leftMargin=st.MARGIN_X,
            rightMargin=st.MARGIN_X,
            topMargin=st.MARGIN_TOP,
            bottomMargin=st.MARGIN_BOTTOM,
            initialFontName=SANS,
            **metadata,
        )
        frame = Frame(st.MARGIN_X, st.MARGIN_BOTTOM, st.BODY_WIDTH,
                      st.PAGE_HEIGHT - st.MARGIN_TOP - st.MARGIN_BOTTOM,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([
            PageTemplate(id="record", frames=[frame],
                         onPage=lambda canvas, doc: draw_furniture(furniture, canvas, doc)),
        ])
