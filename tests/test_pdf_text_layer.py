"""The PDF's text layer says what was typed: what a case system indexes, a screen reader
reads and copy-paste gives. Checked with poppler's ``pdftotext``, literally (no folding).

poppler wraps each right-to-left run it extracts in RLE … PDF (U+202B … U+202C); the
expected strings below say so.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from supervision_desktop.domain.templates import FieldKind
from supervision_desktop.export.pdf import render_document
from supervision_desktop.export.pdf.fonts import text_of
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
