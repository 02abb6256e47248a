"""Bookmarks: the PDF's outline lists each section, so a reader can jump to it."""

from __future__ import annotations

import itertools

from reportlab.platypus import Flowable

from supervision_desktop.export.pdf.text import clean

_KEYS = itertools.count(1)


class Bookmark(Flowable):
    """Takes no room; where it is drawn (just above a heading) becomes an outline entry.

    It keeps with the heading after it, so both move to a new page together.
    """

    def __init__(self, title: str, level: int = 0) -> None:
        super().__init__()
        self.title = " ".join(clean(title).split()) or "Untitled section"
        self.level = level
        self.key = f"sd-section-{next(_KEYS)}"
        self.keepWithNext = 1
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        mark = getattr(self.canv, "mark_outline", None)
        if mark is not None:  # a canvas that holds its pages back places the entry later
            mark(self.key, self.title, self.level, x, y)
            return
        self.canv.bookmarkPage(self.key, fit="XYZ", left=x, top=y)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
