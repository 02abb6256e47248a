"""The PDF's text layer says what was typed: what a case system indexes, a screen reader
reads and copy-paste gives. Checked with poppler's ``pdftotext``, literally (no folding).

poppler wraps each right-to-left run it extracts in RLE … PDF (U+202B … U+202C); the
expected strings below say so.
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest

from supervision_desktop.domain.templates import FieldKind
from supervision_desktop.export.pdf import render_document
from supervision_desktop.export.pdf.fonts import text_of
from supervision_desktop.export.pdf.shaping import rtl_runs
from supervision_desktop.export.signing import sign_pdf
from tests.test_pdf_render import TEMPLATES, _document
from tests.test_signing import RECORD, _signer_for

RLE, PDF = "\u202b", "\u202c"
TEMPLATE = TEMPLATES[0]
FIELD = next(f for f in TEMPLATE.fields() if f.kind is FieldKind.TEXT)

# Each line typed into one field, and the line pdftotext gives back.
ROUND_TRIPS = {
    "english": ("Foster carers stay first in the list", "Foster carers stay first in the list"),
    "welsh": ("Dŵr ŷ Gŵyl Dewi", "Dŵr ŷ Gŵyl Dewi"),
    "polish": ("Zażółć gęślą jaźń: ąęłńśźż", "Zażółć gęślą jaźń: ąęłńśźż"),
    "arabic": ("مرحبا بالعالم", f"{RLE}مرحبا بالعالم{PDF}"),
    "hebrew": ("רות כהן", f"{RLE}רות כהן{PDF}"),
    # Shaping is on for the whole paragraph here, so this is where ligatures appeared.
    "english beside arabic": ("Foster stay first مرحبا", f"Foster stay first {RLE}مرحبا{PDF}"),
    "chinese": ("你好世界，寄养家庭", "你好世界，寄养家庭"),
    "emoji": ("👍🏽🙂 thumbs up", "👍🏽🙂 thumbs up"),
}


def _pdftotext(path: Path, *options: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *options, str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    typed = "\n".join(line for line, _ in ROUND_TRIPS.values())
    path = tmp_path_factory.mktemp("text-layer") / "record.pdf"
    path.write_bytes(render_document(_document(TEMPLATE, {FIELD.id: typed})).data)
    return _pdftotext(path).splitlines()


@pytest.mark.parametrize("script", ROUND_TRIPS)
def test_each_script_extracts_as_typed(script: str, extracted: list[str]) -> None:
    assert ROUND_TRIPS[script][1] in extracted


def test_no_ligature_or_presentation_form_reaches_the_text_layer(extracted: list[str]) -> None:
    text = "\n".join(extracted)
    assert [c for c in text if 0xFB00 <= ord(c) <= 0xFDFF or 0xFE70 <= ord(c) <= 0xFEFF] == []
    assert [c for c in text if 0xE000 <= ord(c) <= 0xF8FF] == []  # no private-use stand-ins


def test_a_presentation_form_glyph_means_its_letters() -> None:
    assert text_of(0xFEE3) == "\u0645"  # meem, initial form
    assert text_of(0xFEFB) == "\u0644\u0627"  # the lam-alef ligature: lam then alef
    assert text_of(0xFB06) == "st"
    assert text_of(0x1F44D) == "\U0001F44D"


def test_a_signed_record_embeds_every_font_and_never_helvetica(tmp_path: Path) -> None:
    rendered = render_document(_document(TEMPLATE, {FIELD.id: "Dŵr مرحبا 你好 👍"}))
    first, second = rendered.signature_boxes
    data = sign_pdf(rendered.data, _signer_for("Morgan Testwell"), field_name="Signature1",
                    box=(first.page_index, *first.box), reason="Finalised", record=RECORD,
                    reserve=[("Signature2", (second.page_index, *second.box))])
    data = sign_pdf(data, _signer_for("Sam Second"), field_name="Signature2", box=None,
                    reason="Countersigned", record=RECORD)
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    assert len(rows) >= 5
    assert [row for row in rows if " yes yes yes " not in row] == []  # embedded, subset, ToUnicode
    assert "Helvetica" not in " ".join(rows)
    assert b"/Helvetica" not in data
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert report.count("Signature Validation: Signature is Valid.") == 2


# --- mixed right-to-left and left-to-right text -----------------------------------------


def _words_drawn(path: Path) -> list[tuple[float, str]]:
    """Each word poppler finds with its left edge: glyphs in the order drawn on the page."""
    words = re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', _pdftotext(path, "-bbox"))
    return [(float(x), html.unescape(text)) for x, text in words]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    typed = "Zoë/محمد 12345.\nThe carer is محمد.\nمحمد."
    path = tmp_path_factory.mktemp("bidi") / "record.pdf"
    path.write_bytes(render_document(_document(TEMPLATE, {FIELD.id: typed})).data)
    return path


def test_mixed_text_extracts_with_the_arabic_in_typing_order(mixed: Path) -> None:
    lines = _pdftotext(mixed).splitlines()
    # poppler reverses right-to-left runs only, so the number comes out where it is drawn
    # (left of the name, as the algorithm places it); the name itself reads as typed.
    assert f"Zoë/12345 {RLE}محمد{PDF}." in lines
    assert f"The carer is {RLE}محمد{PDF}." in lines


def test_mixed_text_is_drawn_in_bidi_display_order(mixed: Path) -> None:
    words = [text for _, text in _words_drawn(mixed)]
    # Left to right on the page: the name's letters right to left, the full stop after
    # the name on its right in a left-to-right paragraph...
    assert words[words.index("Zoë/12345"):][:2] == ["Zoë/12345", "دمحم."]
    assert words[words.index("carer") - 1:][:4] == ["The", "carer", "is", "دمحم."]
    # ...and on its left in a right-to-left one, which is set flush right.
    x, _ = next(item for item in _words_drawn(mixed) if item[1] == ".دمحم")
    assert x > 400


def test_a_word_is_shaped_in_runs_of_one_direction() -> None:
    # Display order in: "Zoë/" left to right, the reversed name right to left, "." after.
    assert rtl_runs("Zoë/دمحم.") == [(0, 4, False), (4, 8, True), (8, 9, False)]
    # A combining mark stays with its letter: before it in a reversed Arabic run...
    assert rtl_runs("\u064bالهأ") == [(0, 5, True)]
    # ...after it in Latin text.
    assert rtl_runs("e\u0301") == [(0, 2, False)]
