"""Bookmarks per section and document metadata, read back with pyHanko's PDF reader and
poppler's pdfinfo, before and after signing."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils.reader import PdfFileReader

from supervision_desktop.export.pdf import render_document
from supervision_desktop.export.pdf.evidence import HEADING
from supervision_desktop.export.signing import sign_pdf
from tests.conftest import ODD_TEXT, OWNER
from tests.sample_values import fill_every_field
from tests.test_pdf_render import LONG_TEXT, TEMPLATES, _document
from tests.test_signing import RECORD, _signer_for

TEMPLATE = next(t for t in TEMPLATES if t.id == "agreement-bct")


def _page_ids(node: Any) -> Iterator[int]:
    for index in range(len(node["/Kids"])):
        reference = node["/Kids"].raw_get(index)
        kid = reference.get_object()
        if kid["/Type"] == "/Pages":
            yield from _page_ids(kid)
        else:
            yield reference.idnum


def _outline(data: bytes) -> list[tuple[str, int]]:
    """(title, page number) of each top-level bookmark, in order."""
    root = PdfFileReader(io.BytesIO(data)).root
    pages = list(_page_ids(root["/Pages"]))
    entries = []
    item = root["/Outlines"]["/First"]
    while True:
        entries.append((str(item["/Title"]), pages.index(item["/Dest"].raw_get(0).idnum) + 1))
        if "/Next" not in item:
            return entries
        item = item["/Next"]


def _page_texts(path: Path) -> list[str]:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout.split("\f")[:-1]


def _render(tmp_path: Path) -> tuple[bytes, Path]:
    values = fill_every_field(TEMPLATE, ODD_TEXT, ODD_TEXT + "\n" + LONG_TEXT)
    data = render_document(_document(TEMPLATE, values)).data
    path = tmp_path / "record.pdf"
    path.write_bytes(data)
    return data, path


def test_each_section_has_a_bookmark_to_its_page(tmp_path: Path) -> None:
    data, path = _render(tmp_path)
    outline = _outline(data)
    assert [title for title, _ in outline] == [
        *(s.title for s in TEMPLATE.sections), HEADING]
    pages = _page_texts(path)
    for title, page in outline:
        assert f"\n{title}\n" in pages[page - 1], (title, page)
    assert [page for _, page in outline] == sorted(page for _, page in outline)
    assert outline[-1][1] == len(pages)  # the evidence page is last
    assert outline[0][1] == 1 and outline[-2][1] > 1  # sections over several pages


def test_metadata_language_and_outline_shown(tmp_path: Path) -> None:
    data, path = _render(tmp_path)
    root = PdfFileReader(io.BytesIO(data)).root
    assert str(root["/Lang"]) == "en-GB"
    assert root["/PageMode"] == "/UseOutlines"
    info = subprocess.run(["pdfinfo", "-enc", "UTF-8", str(path)], capture_output=True,
                          text=True, check=True).stdout
    assert f"Title:           {TEMPLATE.title} – 22/11/2026\n" in info
    assert f"Author:          {OWNER}\n" in info
    assert "Subject:         Supervision record\n" in info


def test_signing_keeps_the_bookmarks_and_the_signature_valid(tmp_path: Path) -> None:
    rendered = render_document(_document(TEMPLATE, {}))
    box = rendered.signature_boxes[0]
    signed = sign_pdf(rendered.data, _signer_for("Morgan Testwell"), field_name="Signature1",
                      box=(box.page_index, *box.box), reason="Finalised", record=RECORD)
    assert _outline(signed) == _outline(rendered.data)
    assert str(PdfFileReader(io.BytesIO(signed)).root["/Lang"]) == "en-GB"
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
