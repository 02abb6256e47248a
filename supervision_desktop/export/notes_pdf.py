"""Life-story notes as a PDF a child may read one day: their notes, oldest first.

Pure (no vault): the caller passes the life-story notes only and signs the bytes
afterwards. Professional notes are never handed to this module. Every string is
escaped and set in the shipped fonts by ``export.pdf.text``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Protocol

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.export.pdf import styles as st
from supervision_desktop.export.pdf.fields import facts_table
from supervision_desktop.export.pdf.fonts import register_fonts
from supervision_desktop.export.pdf.layout import NumberedCanvas, PageFurniture, RecordDocTemplate
from supervision_desktop.export.pdf.text import paragraph, paragraphs

TITLE = "Life story notes"
MARKING = "PERSONAL — written for the child"
INTRO = (
    "Notes written by the foster carer for the child's life story: things a child may "
    "read one day. They are kept apart from the carer's professional records."
)


class LifeStoryNote(Protocol):
    """What the PDF reads from a note (read-only, so frozen dataclasses fit)."""

    @property
    def child_name(self) -> str: ...
    @property
    def written_on(self) -> dt.date: ...
    @property
    def title(self) -> str: ...
    @property
    def body(self) -> str: ...


def _note(note: LifeStoryNote, width: float, show_child: bool) -> list[Flowable]:
    heading = uk_date(note.written_on)
    if note.title.strip():
        heading = f"{heading} — {note.title.strip()}"
    story: list[Flowable] = [paragraph(heading, st.LABEL, width)]
    if show_child and note.child_name:
        story.append(paragraph(f"About {note.child_name}", st.SOURCE, width))
    story.extend(paragraphs(note.body, st.VALUE, width - st.VALUE_INDENT)
                 or [Paragraph("—", st.EMPTY)])
    return [KeepTogether(story[:3]), *story[3:]]


def render_life_story(notes: Sequence[LifeStoryNote], *, owner: str, child_name: str = "",
                      produced_on: dt.date | None = None) -> bytes:
    """The unsigned PDF of these life-story notes."""
    register_fonts()
    width = st.BODY_WIDTH
    title = f"{TITLE} for {child_name}" if child_name else TITLE
    facts = [("Written by", owner), ("Notes", str(len(notes))),
             ("Produced", uk_date(produced_on or dt.date.today()))]
    if child_name:
        facts.insert(1, ("For", child_name))
    story: list[Flowable] = [paragraph(title, st.TITLE, width),
                             paragraph(INTRO, st.SOURCE, width), facts_table(facts, width),
                             Spacer(1, 10)]
    if not notes:
        story.append(Paragraph("There are no life story notes yet.", st.EMPTY))
    for note in notes:
        story.extend(_note(note, width, show_child=not child_name))
    furniture = PageFurniture(marking=MARKING, running_title=TITLE, copy_for=child_name or None,
                              footer=f"Life story notes · {len(notes)} notes")
    buffer = io.BytesIO()
    document = RecordDocTemplate(buffer, furniture, title=TITLE, author=owner,
                                 subject=TITLE, creator="Supervision Desktop", lang="en-GB")
    document.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
