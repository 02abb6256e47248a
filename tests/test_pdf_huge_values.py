"""A record with very long answers still prints: every shipped form filled with 6,000
characters in every field (a signature's name too) renders, and what was typed is in the
text layer (it once stopped with a layout error, or an AttributeError for a heading
before a heading)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from supervision_desktop.export.pdf.model import RecordDocument
from supervision_desktop.export.pdf.record_pdf import render_document
from supervision_desktop.services.templates import catalogue
from tests.sample_values import fill_every_field

LONG = "Discussed Rhys's week at school " * 200  # 6,400 characters


@pytest.mark.parametrize("template_id", [t.id for t in catalogue().templates])
def test_every_form_prints_with_huge_answers(template_id: str, tmp_path: Path) -> None:
    template = catalogue().get(template_id)
    document = RecordDocument(template=template, values=fill_every_field(template, LONG),
                              record_id="4f" * 16, version=1, content_hash=None,
                              subject_name="Rhys Example", session_date=None,
                              owner="Morgan Testwell")
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(render_document(document).data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert text.count("Rhys's week at school") >= 200
