"""The subject access disclosure as a PDF: an index, then every item held about one person.

Pure (no vault): ``render_disclosure(DisclosureBundle) -> bytes``. The bundle arrives
already redacted (``domain.redaction``): the renderer draws only the text it is given,
so nothing removed can reach the text layer. The index says what is included, from which
record and date, why, and how many redactions each item had; the redaction summary
counts them by kind without ever naming whom they protect. The caller signs the result.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

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

TITLE = "Subject access disclosure"
INTRO = (
    "Everything this vault holds about the person named below: each record (its newest "
    "finalised version), carer's response, note and action, listed in the index and "
    "printed in full after it. Names and ids of other people have been removed from the "
    "text and replaced by [redacted]; the summary says how many times, and where."
)
DRAFT_NOTE = (
    "Drafts are listed so that nothing held is hidden, but their text is not included: a "
    "draft is not yet the record and may still change. It will be part of a disclosure "
    "made once it is finalised."
)


@dataclass(frozen=True)
class DisclosedItem:
    """One thing held about the person, its text already redacted."""

    number: int
    kind: str  # record, response, draft, note, action
    title: str
    date: dt.date | None
    source: str  # where from: "Record 1a2b3c4d, version 2, finalised 22/11/2026"
    why: str  # why it is included: "About them", "Named in Child's name", ...
    redactions: int
    template: Template | None = None  # a record or response: printed like its form
    values: Mapping[str, Any] = field(default_factory=dict, hash=False)
    lines: tuple[tuple[str, str], ...] = ()  # a note or action: label and text
    facts: tuple[tuple[str, str], ...] = ()  # more facts for its heading: whom, by whom
    withheld: str = ""  # why its text is left out (a draft)


@dataclass(frozen=True)
class RedactionCount:
    """Redactions of one kind ("another person's first name"), never naming whose."""

    what: str
    count: int
    items: tuple[int, ...]


@dataclass(frozen=True)
class DisclosureBundle:
    person: str  # the disclosed person's name (never redacted)
    person_kind: str  # "Child", "Supervisee", "Foster carer household"
    owner: str  # whose vault: who made the disclosure
    produced_on: dt.date
    items: tuple[DisclosedItem, ...]
    redactions: tuple[RedactionCount, ...]
    marking: str = DEFAULT_MARKING


def _cell(text: str, style: Any = st.CELL) -> Paragraph:
    return Paragraph(markup(text), style) if text else Paragraph("", style)


def _index(items: Sequence[DisclosedItem], width: float) -> Table:
    widths = [9 * mm, 22 * mm, 0.0, 44 * mm, 32 * mm, 20 * mm]
    widths[2] = width - sum(widths)
    body: list[list[Any]] = [[_cell(h, st.CELL_HEAD) for h in
                              ("No.", "Date", "What", "From", "Included because",
                               "Redacted")]]
    for item in items:
        what = item.title + (": listed only, its text is not included" if item.withheld
                             else "")
        body.append([_cell(str(item.number)), _cell(uk_date(item.date) or "—"), _cell(what),
                     _cell(item.source), _cell(item.why), _cell(str(item.redactions))])
    return index_table(body, widths)


def _redaction_summary(counts: Sequence[RedactionCount], width: float) -> Flowable:
    if not counts:
        return Paragraph("Nothing was redacted.", st.EMPTY)
    widths = [0.0, 24 * mm, 50 * mm]
    widths[0] = width - sum(widths)
    body: list[list[Any]] = [[_cell(h, st.CELL_HEAD) for h in
                              ("What was redacted", "Times", "In items")]]
    for line in counts:
        body.append([_cell(line.what), _cell(str(line.count)),
                     _cell(", ".join(str(n) for n in line.items))])
    return index_table(body, widths)


def _item(item: DisclosedItem, width: float) -> list[Flowable]:
    story: list[Flowable] = [
        CondPageBreak(60 * mm),
        paragraph(f"{item.number}. {item.title}", st.TITLE, width),
        facts_table([("Date", uk_date(item.date)), ("From", item.source),
                     ("Included because", item.why),
                     ("Redactions", str(item.redactions)), *item.facts], width),
        Spacer(1, 6),
    ]
    if item.withheld:
        story.extend(paragraphs(item.withheld, st.NOTICE, width))
        return story
    for label, text in item.lines:
        story.append(paragraph(label, st.LABEL, width))
        story.extend(paragraphs(text, st.VALUE, width) or [Paragraph("—", st.EMPTY)])
    if item.template is not None:
        for section in item.template.sections:
            story.append(paragraph(section.title, st.SECTION, width))
            for entry in section.fields:
                story.extend(field_flowables(entry, item.values.get(entry.id), width,
                                             label=not section.title_repeats_field))
    return story


def holds(items: Sequence[DisclosedItem]) -> str:
    """"3 records, 1 response, 2 notes, 4 actions; 1 draft listed" (what the bundle holds)."""
    def count(kind: str, word: str) -> str:
        number = sum(1 for i in items if i.kind == kind)
        return f"{number} {word}{'' if number == 1 else 's'}"

    text = ", ".join(count(k, w) for k, w in (("record", "record"), ("response", "response"),
                                              ("note", "note"), ("action", "action")))
    drafts = sum(1 for i in items if i.kind == "draft")
    return text + (f"; {drafts} draft{'' if drafts == 1 else 's'} listed" if drafts else "")


def render_disclosure(bundle: DisclosureBundle) -> bytes:
    """The unsigned disclosure PDF."""
    register_fonts()
    width = st.BODY_WIDTH
    total = sum(line.count for line in bundle.redactions)
    story: list[Flowable] = [
        paragraph(TITLE, st.TITLE, width),
        paragraph(INTRO, st.SOURCE, width),
        facts_table([("About", bundle.person), ("As", bundle.person_kind),
                     ("Produced", uk_date(bundle.produced_on)), ("By", bundle.owner),
                     ("Holds", holds(bundle.items)), ("Redactions", str(total))], width),
        Spacer(1, 8),
    ]
    if any(item.withheld for item in bundle.items):
        story.extend(paragraphs(DRAFT_NOTE, st.NOTICE, width))
    story.append(paragraph("Index", st.SECTION, width))
    story.append(_index(bundle.items, width) if bundle.items else Paragraph(
        "Nothing is held about this person in this vault.", st.EMPTY))
    story += [paragraph("Redactions", st.SECTION, width),
              _redaction_summary(bundle.redactions, width)]
    for number, item in enumerate(bundle.items):
        # a record starts a page; a short item (draft, note, action) follows on
        short = item.template is None and number and bundle.items[number - 1].template is None
        story += [Spacer(1, 10) if short else PageBreak(), *_item(item, width)]
    furniture = PageFurniture(marking=bundle.marking, running_title=TITLE, copy_for=None,
                              footer=f"{TITLE} · produced {uk_date(bundle.produced_on)} · "
                              f"{len(bundle.items)} items, {total} redactions")
    buffer = io.BytesIO()
    document = RecordDocTemplate(buffer, furniture, title=TITLE, author=bundle.owner,
                                 subject=TITLE, creator="Supervision Desktop", lang="en-GB")
    document.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
