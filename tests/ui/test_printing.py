"""Printing: a record's PDF through Qt's print dialog (each page drawn by PDFium), and the
recovery key on paper. A PDF "printer" stands in for paper; poppler reads what came out."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from pytestqt.qtbot import QtBot

from supervision_desktop.services import audit, people, records, templates
from supervision_desktop.services.rendering import render_record_pdf
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common import printing
from supervision_desktop.ui.records.record_page import RecordPage
from tests.sample_values import fill_every_field

pytestmark = pytest.mark.gui


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(150)
    return printer


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines()
                    if line.startswith("Pages:")))


def _long_record(vault: Vault) -> str:
    person = people.add_person(vault, "supervisee", {"name": "Jo Bloggs"})
    form = templates.get_template("personal-supervision")
    return records.create_record(vault, form, subject_id=person.id, session_date="2026-11-22",
                                 fields=fill_every_field(form, "Discussed " * 60))


@pytest.mark.usefixtures("qapp")  # a QPrinter needs the application
def test_every_page_of_the_record_is_printed_and_is_not_blank(
        vault: Vault, tmp_path: Path) -> None:
    source = render_record_pdf(vault, _long_record(vault)).data
    (tmp_path / "record.pdf").write_bytes(source)
    printed = tmp_path / "printed.pdf"
    pages = printing.print_pdf_pages(pdf_printer(printed), source)
    assert pages == _pages(tmp_path / "record.pdf") > 1
    assert _pages(printed) == pages
    images = subprocess.run(["pdfimages", "-list", str(printed)], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    assert sorted({int(row.split()[0]) for row in images}) == list(range(1, pages + 1))
    subprocess.run(["pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-png", str(printed),
                    str(tmp_path / "page")], check=True)
    from PIL import Image

    (page,) = tmp_path.glob("page*.png")
    darkest, _ = Image.open(page).convert("L").getextrema()
    assert darkest < 100  # text was drawn, not an empty sheet


@pytest.mark.usefixtures("qapp")
def test_the_recovery_key_sheet_prints_the_key_as_text_and_no_name(tmp_path: Path) -> None:
    key = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"
    printed = tmp_path / "key.pdf"
    printing.print_text(pdf_printer(printed), printing.recovery_key_sheet(key, "03/12/2026"))
    text = subprocess.run(["pdftotext", str(printed), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert key in text and "Made on 03/12/2026." in text
    assert "Forgotten it? Use the recovery key…" in text


def test_print_on_the_record_page_prints_and_is_in_the_audit_log(
        vault: Vault, qtbot: QtBot, tmp_path: Path) -> None:
    record_id = _long_record(vault)
    page = RecordPage(vault, record_id)
    qtbot.addWidget(page)
    page.show()
    assert page.lifecycle.print_button.isVisible()
    assert page.lifecycle.print_button.shortcut().toString() == "Ctrl+P"
    page.lifecycle.print_button.click()
    dialog = page.lifecycle.dialog
    assert isinstance(dialog, QPrintDialog)
    assert dialog.isVisible() and dialog.isModal()
    printed = tmp_path / "paper.pdf"  # the printer chosen in Qt's own dialog: a PDF file
    dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    dialog.printer().setOutputFileName(str(printed))
    dialog.accepted.emit(dialog.printer())
    assert _pages(printed) > 1
    entry = audit.entries(vault)[0]
    assert (entry.action, entry.record_id) == ("export", record_id)
    assert entry.detail == f"printed, {_pages(printed)} pages"


@pytest.mark.usefixtures("qapp")
def test_only_the_pages_asked_for_are_printed(vault: Vault, tmp_path: Path) -> None:
    source = render_record_pdf(vault, _long_record(vault)).data
    (tmp_path / "record.pdf").write_bytes(source)
    assert _pages(tmp_path / "record.pdf") >= 2
    printed = tmp_path / "page-2.pdf"
    printer = pdf_printer(printed)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 2)
    assert printing.print_pdf_pages(printer, source) == 1
    assert _pages(printed) == 1
