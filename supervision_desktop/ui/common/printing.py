"""Printing through Qt's print dialog: a record's PDF (each page drawn by PDFium at the
printer's resolution) and plain text such as the recovery key (laid out by Qt)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

MAX_DPI = 300  # sharp on paper; more only costs memory for a page image


class PrintFailed(Exception):
    """The printer could not be started; the message says so in words."""


def _pages_chosen(printer: QPrinter, count: int) -> list[int]:
    """The pages (from 0) the print dialog asked for: all, or its "Pages from … to …"."""
    if printer.printRange() != QPrinter.PrintRange.PageRange or printer.fromPage() < 1:
        return list(range(count))
    last = min(printer.toPage() or count, count)
    return list(range(printer.fromPage() - 1, last))


def print_pdf_pages(printer: QPrinter, data: bytes) -> int:
    """Draw the PDF ``data``'s pages (those the dialog asked for) onto ``printer``, each
    scaled to fit the page and centred; returns the number of pages printed."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed("The printer could not be started. Check it is switched on and "
                          "connected, then try again.")
    try:
        dpi = min(printer.resolution(), MAX_DPI)
        target = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
        chosen = _pages_chosen(printer, len(document))
        for number in chosen:
            if number != chosen[0]:
                printer.newPage()
            page = document[number]
            bitmap = page.render(scale=dpi / 72)
            image = bitmap.to_pil().convert("RGB")
            picture = QImage(image.tobytes(), image.width, image.height, 3 * image.width,
                             QImage.Format.Format_RGB888)
            size = picture.size().scaled(target.size().toSize(),
                                         Qt.AspectRatioMode.KeepAspectRatio)
            left = target.left() + (target.width() - size.width()) / 2
            top = target.top() + (target.height() - size.height()) / 2
            painter.drawImage(QRectF(left, top, size.width(), size.height()), picture)
        return len(chosen)
    finally:
        painter.end()
        document.close()


def recovery_key_sheet(recovery_key: str, made_on: str) -> str:
    """The page to print for a recovery key: the key and what it is for, no names (the
    paper alone never says whose records it opens)."""
    return (f"Supervision Desktop: recovery key\n\nMade on {made_on}.\n\n"
            f"    {recovery_key}\n\n"
            "If the passphrase is forgotten, this key opens the vault and sets a new "
            "passphrase (on the unlock window: Forgotten it? Use the recovery key…).\n\n"
            "Keep this page somewhere safe and away from the laptop. Anyone with it and a "
            "copy of the vault can open the records.\n")


def print_text(printer: QPrinter, text: str) -> None:
    """Plain ``text`` (never read as markup) on the printer's pages."""
    document = QTextDocument()
    document.setPlainText(text)
    document.print_(printer)


def ask_and_print(parent: QWidget, title: str, send: Callable[[QPrinter], object],
                  on_failure: Callable[[str], object]) -> QPrintDialog:
    """Qt's print dialog; on OK, ``send`` prints to the chosen printer. A failure is
    passed to ``on_failure`` in words."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)

    def chosen(*_printer: object) -> None:  # QPrintDialog.accepted(QPrinter)
        try:
            send(printer)
        except PrintFailed as exc:
            on_failure(str(exc))

    dialog.accepted.connect(chosen)
    dialog.finished.connect(dialog.deleteLater)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()  # not exec(): the event loop, autosave and the idle lock go on
    return dialog
