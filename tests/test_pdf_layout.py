"""Layout rules checked on the rendered pages (poppler's ``pdftotext -bbox``): a heading
never ends a page, each signature block and each sign-off section is on one page, page 1
is not left half empty by a block that could not start on it."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest

from supervision_desktop.domain.templates import FieldKind, Template
from supervision_desktop.export.pdf import render_document
from tests.conftest import ODD_TEXT
from tests.sample_values import fill_every_field
from tests.test_pdf_render import LONG_TEXT, TEMPLATES, _document

BODY_TOP, BODY_BOTTOM = 66.0, 780.0  # the body frame, in pdftotext's top-down points
Line = tuple[float, str]  # (bottom edge, text)


def _lines(path: Path) -> list[list[Line]]:
    """Each page's body lines, top to bottom (running header and footer left out); pieces
    of text on one baseline (the cells of a table row) are one line, left to right."""
    bbox = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = []
    for page in bbox.split("<page ")[1:]:
        rows: dict[float, list[tuple[float, str]]] = {}
        for x, y, body in re.findall(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" '
                                     r'yMax="([\d.]+)">(.*?)</line>', page, re.S):
            words = [html.unescape(w) for w in re.findall(r">([^<]*)</word>", body)]
            if BODY_TOP < float(y) < BODY_BOTTOM:
                rows.setdefault(round(float(y), 1), []).append((float(x), " ".join(words)))
        pages.append([(y, " ".join(text for _, text in sorted(pieces)))
                      for y, pieces in sorted(rows.items())])
    return pages


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[Line]]]:
    folder = tmp_path_factory.mktemp("layout")
    pages = {}
    for template in TEMPLATES:
        values = fill_every_field(template, ODD_TEXT, ODD_TEXT + "\n" + LONG_TEXT)
        path = folder / f"{template.id}.pdf"
        path.write_bytes(render_document(_document(template, values)).data)
        pages[template.id] = _lines(path)
    return pages


def _headings(template: Template) -> set[str]:
    return {s.title for s in template.sections} | {f.label for f in template.fields()}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_a_heading_never_ends_a_page(template: Template,
                                     rendered: dict[str, list[list[Line]]]) -> None:
    headings = _headings(template)
    endings = [page[-1][1] for page in rendered[template.id] if page]
    assert [text for text in endings if text in headings] == []


@pytest.mark.parametrize("template", [t for t in TEMPLATES if any(
    f.kind is FieldKind.SIGNATURE for f in t.fields())], ids=lambda t: t.id)
def test_each_sign_off_section_is_whole_on_one_page(
        template: Template, rendered: dict[str, list[list[Line]]]) -> None:
    pages = rendered[template.id]
    for section in template.sections:
        signatures = [f for f in section.fields if f.kind is FieldKind.SIGNATURE]
        if not signatures:
            continue
        on = [index for index, page in enumerate(pages)
              if any(text == section.title for _, text in page)]
        assert len(on) == 1, section.title
        texts = [text for _, text in pages[on[0]]]
        after = texts[texts.index(section.title):]
        for field in signatures:  # its label, then the block's three lines, same page
            assert field.label in after, field.label
            block = after[after.index(field.label):]
            assert [t for t in block if t in ("Name", "Role", "Date")][:3] == [
                "Name", "Role", "Date"], field.label


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_page_one_is_filled_before_the_record_goes_on(
        template: Template, rendered: dict[str, list[list[Line]]]) -> None:
    pages = rendered[template.id]
    if len(pages) > 2:  # more than the form and its evidence page
        assert pages[0][-1][0] > BODY_BOTTOM - 90, "page 1 left more than 90 pt empty"


def test_a_long_table_repeats_its_header_only_at_a_page_top(tmp_path: Path) -> None:
    template = next(t for t in TEMPLATES if t.id == "agreement-lambeth")
    field = next(f for f in template.fields() if f.id == "frequency_and_duration")
    long_cell = (LONG_TEXT + "\n\n") * 2
    rows = [{c.id: long_cell if c is field.columns[0] else f"row {n}" for c in field.columns}
            for n in range(1, 7)]
    path = tmp_path / "table.pdf"
    path.write_bytes(render_document(_document(template, {field.id: rows})).data)
    header = " ".join(c.label for c in field.columns)
    pages = [[text for _, text in page] for page in _lines(path)]
    places = [(number, page.index(header)) for number, page in enumerate(pages)
              if header in page]
    assert len(places) >= 4  # the table runs over several pages
    first_page, first_line = places[0]
    assert pages[first_page][first_line - 1] == field.label  # under its label
    assert all(line == 0 for _, line in places[1:])  # then only at the top of a page
    assert [page.count(header) for page in pages if header in page] == [1] * len(places)


def test_a_row_split_over_pages_names_itself_on_the_next(tmp_path: Path) -> None:
    template = next(t for t in TEMPLATES if t.id == "agreement-lambeth")
    field = next(f for f in template.fields() if f.id == "frequency_and_duration")
    long_cell = (LONG_TEXT + "\n\n") * 2
    rows = [{c.id: f"Row {n} group supervision" if c is field.columns[0] else long_cell
             for c in field.columns} for n in (1, 2)]
    path = tmp_path / "rows.pdf"
    path.write_bytes(render_document(_document(template, {field.id: rows})).data)
    header = " ".join(c.label for c in field.columns)
    pages = [[text for _, text in page] for page in _lines(path)]
    continued = [page[1] for page in pages[1:] if page and page[0] == header]
    assert len(continued) >= 3
    # Under the repeated header, the split row's first cell says which row goes on.
    assert set(continued) == {"Row 1 group supervision (continued)",
                              "Row 2 group supervision (continued)"}
