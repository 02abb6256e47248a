"""Record PDFs: every value printed and readable, nothing interpreted, evidence page.

Checked with poppler (pdftotext, pdfinfo, pdffonts, pdfimages), independently of reportlab.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from supervision_desktop.domain.templates import FieldKind, Template
from supervision_desktop.errors import InvalidInput
from supervision_desktop.export.pdf import (
    SIGNATURE_NOTE,
    RecordDocument,
    RenderedPdf,
    VersionEntry,
    render_document,
)
from supervision_desktop.export.pdf.bidi import display
from supervision_desktop.export.pdf.fonts import Face, register_fonts, split_runs
from supervision_desktop.export.pdf.signature import fit_strokes
from supervision_desktop.export.pdf.text import markup
from supervision_desktop.export.pdf.values import scalar_text
from supervision_desktop.paths import fonts_dir
from supervision_desktop.services import lifecycle, people, records
from supervision_desktop.services.rendering import render_record_pdf
from supervision_desktop.services.templates import catalogue
from supervision_desktop.store.vault import Vault
from tests.conftest import ODD_TEXT, OWNER
from tests.sample_values import fill_every_field

HASH_1 = "1" * 16 + "a" * 48
HASH_2 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
RECORD_ID = "0123456789abcdef0123456789abcdef"
LONG_TEXT = "\n\n".join(
    f"Paragraph {n}: the carer described the week, school runs and contact. " * 6
    for n in range(1, 4)
)
TEMPLATES = catalogue().templates


# --- helpers ----------------------------------------------------------------------------


def _write(pdf: RenderedPdf | bytes, tmp_path: Path, name: str = "record.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf.data if isinstance(pdf, RenderedPdf) else pdf)
    return path


def _run(*command: str | Path) -> str:
    return subprocess.run([str(c) for c in command], capture_output=True, text=True,
                          check=True).stdout


def _pages(path: Path) -> list[str]:
    """The text of each page, as poppler extracts it."""
    return _run("pdftotext", "-enc", "UTF-8", path, "-").split("\f")[:-1]


def _body(path: Path) -> str:
    """The text of every page without the running header and footer (body frame only)."""
    return _run("pdftotext", "-enc", "UTF-8", "-x", 0, "-y", 66, "-W", 596, "-H", 716, path, "-")


def _flat(text: str) -> str:
    """Text compared without what extraction changes: compatibility forms folded (shaped
    Arabic), bidi controls, whitespace and hyphens (pdftotext joins "--" at a line end)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text
                   if unicodedata.category(c) != "Cf" and not c.isspace() and c != "-")


def _info(path: Path) -> dict[str, str]:
    lines = _run("pdfinfo", "-enc", "UTF-8", path).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def _document(template: Template, values: dict[str, Any], **changes: Any) -> RecordDocument:
    document = RecordDocument(
        template=template,
        values=values,
        record_id=RECORD_ID,
        version=2,
        content_hash=HASH_2,
        subject_name="Alex Example",
        session_date=dt.date(2026, 11, 22),
        owner=OWNER,
        versions=(
            VersionEntry(1, dt.datetime(2026, 11, 22, 15, 0), dt.datetime(2026, 11, 22, 16, 5),
                         "", HASH_1),
            VersionEntry(2, dt.datetime(2026, 11, 24, 9, 0), dt.datetime(2026, 11, 24, 9, 40),
                         "Carer asked to correct the contact date", HASH_2),
        ),
        produced_at=dt.datetime(2026, 11, 25, 10, 15, tzinfo=dt.UTC),
    )
    return dataclasses.replace(document, **changes)


def _expected(template: Template, values: dict[str, Any]) -> list[str]:
    """Every entered value as a reader should find it in the PDF."""
    expected: list[str] = []
    for field in template.fields():
        value = values.get(field.id)
        if field.kind is FieldKind.TABLE:
            for row in value or []:
                columns = {c.id: c for c in field.columns}
                expected += [scalar_text(columns[k].kind.value, v) for k, v in row.items()]
        elif field.kind is FieldKind.SIGNATURE:
            expected += [value["name"], value["role"], "22/11/2026"]
        elif field.kind is FieldKind.MULTICHOICE:
            expected += list(value)
        else:
            expected += scalar_text(field.kind.value, value).split("\n")
    return [text for text in expected if text.strip()]


def _template(predicate: Any) -> Template:
    return next(t for t in TEMPLATES if predicate(t))


def _has_kind(template: Template, kind: FieldKind) -> bool:
    return any(f.kind is kind for f in template.fields())


# --- every template, every field --------------------------------------------------------


def test_the_catalogue_has_templates_to_render() -> None:
    assert len(TEMPLATES) >= 10
    assert not catalogue().errors


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_every_entered_value_and_the_whole_form_is_printed(template: Template,
                                                            tmp_path: Path) -> None:
    values = fill_every_field(template, ODD_TEXT, ODD_TEXT + "\n" + LONG_TEXT)
    rendered = render_document(_document(template, values))
    path = _write(rendered, tmp_path)
    pages = _pages(path)
    text = _flat(_body(path))

    missing = [value for value in _expected(template, values) if _flat(value) not in text]
    assert not missing, f"values not in the PDF: {missing[:5]}"
    wording = [template.title, *(s.title for s in template.sections),
               *(f.label for f in template.fields()),
               *(g for s in template.sections for g in s.guidance),
               *(g for f in template.fields() for g in f.guidance)]
    assert [w for w in wording if _flat(w) not in text] == []
    # The awkward pieces of ODD_TEXT, each drawn and extracted as typed.
    for piece in ("<b>bold</b>", "&", "Dŵr ŷ Łódź", "你好世界", "مرحبا بالعالم", "👍",
                  '<img src="/etc/passwd"/>', "DROP TABLE records;"):
        assert _flat(piece) in text, piece
    assert "root:" not in text  # /etc/passwd was printed as words, never read
    assert _run("pdfimages", "-list", path).splitlines()[2:] == []  # no image came in

    count = len(pages)
    assert rendered.page_count == count == int(_info(path)["Pages"])
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") == 2, f"marking top and bottom, page {number}"
        assert f"Page {number} of {count}" in page
        assert f"SHA-256 {HASH_2[:16]}" in page
        assert f"Record {RECORD_ID[:8]}" in page


def test_arabic_is_shaped_and_reads_in_order(tmp_path: Path) -> None:
    template = TEMPLATES[0]
    field = next(f for f in template.fields() if f.kind is FieldKind.TEXT)
    rendered = render_document(_document(template, {field.id: "Said: مرحبا بالعالم today"}))
    page = "".join(_pages(_write(rendered, tmp_path)))
    # Joined glyphs are drawn, but the text layer has the letters, in reading order.
    assert not any(0xFE70 <= ord(c) <= 0xFEFF for c in page)
    assert "مرحبا بالعالم" in page
    assert _flat("Said: مرحبا بالعالم today") in _flat(page)


def test_fonts_are_embedded_and_helvetica_is_never_used(tmp_path: Path) -> None:
    template = TEMPLATES[0]
    values = fill_every_field(template, ODD_TEXT)
    fonts = _run("pdffonts", _write(render_document(_document(template, values)), tmp_path))
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows)  # embedded
    names = " ".join(rows)
    assert "Helvetica" not in names
    for family in ("DejaVuSans", "DejaVuSans-Bold", "DroidSansFallback", "Symbola"):
        assert re.search(rf"\+{family}\s", names), family


def test_user_text_becomes_escaped_markup_only() -> None:
    built = markup(ODD_TEXT + "\n\x00second line", Face.REGULAR)
    tags = set(re.findall(r"<[^>]*>", built))
    assert tags <= {'<font name="SD-CJK">', '<font name="SD-Symbols">', "</font>", "<br/>"}
    assert '&lt;img src="/etc/passwd"/&gt;' in built
    assert "&amp;" in built and "\x00" not in built


def test_right_to_left_text_is_put_in_display_order() -> None:
    # Characters in the order drawn, left to right: right-to-left letters reversed,
    # numbers and left-to-right words kept reading left to right.
    assert display("Said: مرحبا بالعالم today", "L") == "Said: ملاعلاب ابحرم today"
    assert display("مرحبا Oak Lane 12 بالعالم", "R") == "ملاعلاب Oak Lane 12 ابحرم"
    assert display("مرحبا 12 بالعالم", "R") == "ملاعلاب 12 ابحرم"
    assert display("Zoë/محمد 12345.", "L") == "Zoë/12345 دمحم."


def test_each_run_uses_a_font_that_has_its_glyphs() -> None:
    coverage = {c.name: c.codepoints for c in register_fonts()}
    for face in Face:
        runs = split_runs(ODD_TEXT, face)
        assert "".join(run for _, run in runs) == ODD_TEXT
        for font, run in runs:
            assert all(ord(c) in coverage[font] for c in run if not c.isspace()), (font, run)


def test_shipped_fonts_have_licences_and_a_reasonable_size() -> None:
    folder = fonts_dir()
    fonts = list(folder.glob("*.ttf"))
    assert len(fonts) == 5
    assert sum(f.stat().st_size for f in fonts) < 15 * 1024 * 1024
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for font in fonts:
        assert font.name in readme
    for licence in ("LICENSE-DejaVu.txt", "LICENSE-Apache-2.0.txt", "LICENSE-Symbola.txt",
                    "NOTICE-DroidSansFallback.txt"):
        assert (folder / licence).stat().st_size > 100
        assert licence in readme


# --- layout of particular values --------------------------------------------------------


def test_empty_fields_are_shown_as_asked(tmp_path: Path) -> None:
    template = _template(lambda t: _has_kind(t, FieldKind.TABLE))
    pages = _pages(_write(render_document(_document(template, {})), tmp_path))
    text = "".join(pages)
    fields = list(template.fields())
    assert text.count("—") >= len(fields)
    for field in fields:
        assert _flat(field.label) in _flat(text)
    table = next(f for f in fields if f.kind is FieldKind.TABLE)
    for column in table.columns:  # an empty table still shows its columns
        assert _flat(column.label) in _flat(text)


EVERY_KIND = Template.model_validate({
    "id": "every-kind", "version": 3, "title": "Every kind of field",
    "category": "supervision", "subject_kind": "carer",
    "source": {"organisation": "Test", "document": "Test", "seed": "none"},
    "sections": [{"id": "main", "title": "Main", "fields": [
        {"id": "when", "kind": "date", "label": "Date of visit"},
        {"id": "start", "kind": "time", "label": "Start time"},
        {"id": "length", "kind": "duration", "label": "Duration"},
        {"id": "seen", "kind": "yesno", "label": "Child seen alone"},
        {"id": "venue", "kind": "choice", "label": "Venue", "options": ["Home", "Office"]},
        {"id": "topics", "kind": "multichoice", "label": "Topics",
         "options": ["Training", "Respite", "Finance"]},
        {"id": "plan", "kind": "table", "label": "Key dates", "preset_rows": ["Review"],
         "columns": [{"id": "event", "label": "Event"},
                     {"id": "due", "label": "Due", "kind": "date"},
                     {"id": "done", "label": "Done", "kind": "yesno"},
                     {"id": "state", "label": "Status", "kind": "choice",
                      "options": ["Open", "Closed"]}]},
        {"id": "visits", "kind": "table", "label": "Other visits",
         "columns": [{"id": "visitor", "label": "Visitor"},
                     {"id": "visited", "label": "Visited on", "kind": "date"}]},
    ]}],
})


def test_values_read_naturally(tmp_path: Path) -> None:
    values = {"when": "2027-01-05", "start": "09:05", "length": 75, "seen": False,
              "venue": "Office", "topics": ["Training", "Finance"],
              "plan": [{"event": "Review", "due": "2027-02-01", "done": True, "state": "Open"}]}
    layout = _run("pdftotext", "-layout", _write(render_document(_document(EVERY_KIND, values)),
                                                 tmp_path), "-")
    lines = [" ".join(line.split()) for line in layout.splitlines()]
    text = "\n".join(lines)
    assert "05/01/2027" in lines and "09:05" in lines and "1 hour 15 minutes" in lines
    assert "No" in lines and "Office" in lines
    assert "• Training" in lines and "• Finance" in lines and "Respite" not in text
    assert "2027-" not in text  # no ISO dates reach the reader
    assert "Event Due Done Status" in lines  # the template's column headings, side by side
    assert "Review 01/02/2027 Yes Open" in lines


def test_empty_tables_show_their_columns_and_preset_rows(tmp_path: Path) -> None:
    layout = _run("pdftotext", "-layout", _write(render_document(_document(EVERY_KIND, {})),
                                                 tmp_path), "-")
    lines = [" ".join(line.split()) for line in layout.splitlines()]
    key_dates = lines.index("Key dates")
    assert lines[key_dates + 1:key_dates + 4] == ["Event Due Done Status", "", "Review"]
    visits = lines.index("Other visits")
    assert lines[visits + 1:visits + 4] == ["Visitor Visited on", "", "—"]


def test_long_paste_flows_over_many_pages(tmp_path: Path) -> None:
    template = _template(lambda t: _has_kind(t, FieldKind.LONGTEXT))
    field = next(f for f in template.fields() if f.kind is FieldKind.LONGTEXT)
    words = [f"word{n}" for n in range(14_000)]
    one_line = " ".join(words)  # ~110 KB without a single newline
    assert len(one_line) > 100_000
    lines = "\n".join(" ".join(words[i:i + 40]) for i in range(0, len(words), 40))
    table = next((f for f in template.fields() if f.kind is FieldKind.TABLE), None)
    values: dict[str, Any] = {field.id: one_line}
    if table is not None:
        long_column = table.columns[-1].id
        values[table.id] = [{long_column: lines}]
    rendered = render_document(_document(template, values))
    assert rendered.page_count > 40
    text = _flat(_body(_write(rendered, tmp_path)))
    assert _flat(one_line) in text  # every word, in order
    if table is not None:
        assert _flat(lines) in text  # a table cell taller than a page splits across pages


def test_signature_strokes_are_scaled_into_their_box() -> None:
    strokes = [[[100, 500], [300, 700]], [[1000, 600]], [["x", 1], [float("nan"), 2]]]
    line, dot = fit_strokes(strokes, 180, 60)
    assert all(0 <= x <= 180 and 0 <= y <= 60 for x, y in [*line, *dot])
    assert line[0][1] > line[1][1]  # screen y grows downward, PDF y upward
    assert max(x for x, _ in [*line, *dot]) - min(x for x, _ in [*line, *dot]) > 100  # scaled up
    assert fit_strokes([], 180, 60) == [] and fit_strokes(None, 180, 60) == []


def test_per_child_copy_names_the_child_on_every_page(tmp_path: Path) -> None:
    template = _template(lambda t: t.per_child)
    values = fill_every_field(template, "Noted.")
    path = _write(render_document(_document(template, values, child_name="Robin Sample")),
                  tmp_path)
    pages = _pages(path)
    assert all("Copy for: Robin Sample" in page for page in pages)
    info = _info(path)
    assert "Robin" not in " ".join(info.values())


def test_metadata_has_title_author_subject_and_no_child_or_subject_names(
        tmp_path: Path) -> None:
    template = TEMPLATES[0]
    info = _info(_write(render_document(
        _document(template, {}, child_name="Robin Sample")), tmp_path))
    assert info["Title"] == f"{template.title} – 22/11/2026"
    assert info["Author"] == OWNER
    assert info["Subject"] == "Supervision record"
    assert "Alex" not in info["Title"] and "Robin" not in info["Title"]


def test_a_draft_says_so_on_every_page(tmp_path: Path) -> None:
    template = TEMPLATES[0]
    pages = _pages(_write(render_document(_document(template, {}, content_hash=None)), tmp_path))
    assert all("DRAFT" in page for page in pages)
    assert "not finalised" in pages[-1]


# --- evidence page and signature boxes --------------------------------------------------


def test_evidence_page_lists_history_signers_and_reserves_signature_boxes(
        tmp_path: Path) -> None:
    template = _template(lambda t: _has_kind(t, FieldKind.SIGNATURE))
    values = fill_every_field(template, "Jordan Sample")
    rendered = render_document(_document(template, values))
    path = _write(rendered, tmp_path)
    pages = _pages(path)
    evidence = " ".join(pages[-1].split())
    assert "Record evidence" in evidence
    assert RECORD_ID in evidence and HASH_2 in evidence
    assert f"id {template.id}, version {template.version}" in evidence
    assert "25/11/2026" in evidence  # when the PDF was produced
    assert "Carer asked to correct the contact date" in evidence
    flat = _flat(pages[-1])
    assert HASH_1 in flat and HASH_2 in flat  # each version's hash in the history
    assert "22/11/2026" in evidence and "24/11/2026" in evidence
    for field in template.fields():
        if field.kind is FieldKind.SIGNATURE:
            assert _flat(field.signer) in flat
    assert SIGNATURE_NOTE in evidence

    boxes = rendered.signature_boxes
    assert [b.label for b in boxes] == ["Digital signature", "Countersignature"]
    for box in boxes:
        x1, y1, x2, y2 = box.box
        assert box.page_index == rendered.page_count - 1
        assert 0 < x1 < x2 < 595.3 and 20 * 2.83 < y1 < y2 < 841.9
        assert x2 - x1 > 150 and y2 - y1 > 50
        inside = _run("pdftotext", "-f", rendered.page_count, "-l", rendered.page_count,
                      "-x", int(x1) + 1, "-y", int(841.89 - y2) + 1, "-W", int(x2 - x1) - 2,
                      "-H", int(y2 - y1) - 2, path, "-")
        assert inside.strip("\f\n ") == ""  # nothing printed where the signature goes
    assert boxes[0].box[2] < boxes[1].box[0]  # side by side, not overlapping

    plain = render_document(_document(template, values, signature_slots=0))
    assert plain.signature_boxes == ()


# --- from the vault ---------------------------------------------------------------------


@pytest.fixture
def amended_record(vault: Vault) -> tuple[str, Template, str]:
    template = _template(lambda t: t.per_child and t.subject_kind == "child")
    child = people.add_person(vault, "child", {"name": "Robin Sample"})
    values = fill_every_field(template, "Agreed at the meeting.")
    record_id = records.create_record(vault, template, subject_id=child.id,
                                      session_date="2026-11-22", fields=values)
    lifecycle.finalise(vault, record_id)
    lifecycle.amend(vault, record_id, "Corrected the review date")
    lifecycle.finalise(vault, record_id)
    return record_id, template, child.id


def test_render_record_pdf_reads_the_vault(vault: Vault, amended_record: tuple[str, Template, str],
                                          tmp_path: Path) -> None:
    record_id, _, child_id = amended_record
    chain = lifecycle.check_chain(vault, record_id)
    rendered = render_record_pdf(vault, record_id, child_id=child_id)
    path = _write(rendered, tmp_path)
    pages = _pages(path)
    assert _info(path)["Author"] == OWNER
    assert all("Copy for: Robin Sample" in page for page in pages)
    latest = chain.versions[-1].content_hash
    assert latest and all(f"SHA-256 {latest[:16]}" in page for page in pages)
    evidence = " ".join(pages[-1].split())
    assert "Corrected the review date" in evidence
    assert "version 2, finalised" in evidence
    assert all(v.content_hash and v.content_hash in _flat(pages[-1]) for v in chain.versions)
    assert "Robin Sample" in pages[0] and OWNER in pages[0]


def test_render_record_pdf_refuses_a_record_whose_history_was_altered(
        vault: Vault, amended_record: tuple[str, Template, str]) -> None:
    record_id, _, _ = amended_record
    with vault.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE record_versions SET content = '{}' WHERE record_id = ? AND number = 1",
            (record_id,),
        )
    with pytest.raises(InvalidInput, match="does not check out"):
        render_record_pdf(vault, record_id)


def test_render_record_pdf_prints_a_draft_as_a_draft(
        vault: Vault, amended_record: tuple[str, Template, str], tmp_path: Path) -> None:
    record_id, _, _ = amended_record
    lifecycle.amend(vault, record_id, "Another correction")
    rendered = render_record_pdf(vault, record_id, signature_placeholder=False)
    pages = _pages(_write(rendered, tmp_path))
    assert all("DRAFT" in page for page in pages)
    assert rendered.signature_boxes == ()


def test_a_field_named_like_its_section_is_printed_once(tmp_path: Path) -> None:
    template = catalogue().get("staff-supervision-manager")
    section = next(s for s in template.sections if s.title_repeats_field)
    values = {section.fields[0].id: "Two posts vacant in the team."}
    text = _flat(_body(_write(render_document(_document(template, values)), tmp_path)))
    assert text.count(_flat(section.title)) == 1
    assert _flat("Two posts vacant in the team.") in text
