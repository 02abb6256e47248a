"""Subject access disclosure from a person's page (issue 20): the worker reviews each
proposed redaction, unticks a name to keep it, and writes one signed PDF.

On a real vault and a real PDF: the sibling pair of tests/test_disclosure.py (fictional
names), the text read back with poppler's ``pdftotext`` and the signature checked with
our verifier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import time_machine
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from supervision_desktop.domain import redaction
from supervision_desktop.export.verification import verify_pdf
from supervision_desktop.services import certificates, disclosure, documents, notes, people
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common import dialogs
from supervision_desktop.ui.common.background import wait_for_background
from supervision_desktop.ui.people.disclosure_dialog import (
    COLUMNS,
    ITEMS,
    KIND,
    NAME,
    TIMES,
    WHOSE,
    DisclosureDialog,
)
from supervision_desktop.ui.people.person_page import PersonPage
from tests.test_disclosure import JACK, JACK_CASE, POPPY, WORKER, Family, _make_family, _text

pytestmark = pytest.mark.gui

REVIEW_MS = 30_000  # the first review loads the word list
WRITE_MS = 60_000  # the first disclosure loads reportlab and pyHanko
KIND_SHOWN = {redaction.FULL_NAME: "Full name", redaction.FIRST_NAME: "First name",
              redaction.VAULT_ID: "Vault id", redaction.CASE_ID: "Case id"}
ODD_NAME = "Ivo <b>&amp;</b> & Marchbank"  # fictional; markup and an ampersand


@pytest.fixture
def family(vault: Vault) -> Family:
    made = _make_family(vault)
    people.add_person(vault, "supervisee", {"name": ODD_NAME})
    notes.add_note(vault, "professional", child_id=made.poppy, written_on="2026-11-02",
                   title="Visit", body=f"Poppy met {ODD_NAME} at the contact centre.")
    return made


@pytest.fixture(autouse=True)
def _background_done() -> Iterator[None]:
    """No disclosure is still being written when the vault closes, even after a failure."""
    yield
    assert wait_for_background(WRITE_MS)


@pytest.fixture(autouse=True)
def _no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every message box opened is recorded (the dialog itself says what happened)."""
    opened: list[str] = []
    original = QMessageBox.open

    def record(box: QMessageBox) -> None:
        opened.append(box.text())
        original(box)

    monkeypatch.setattr(QMessageBox, "open", record)
    return opened


Open = Callable[[str], DisclosureDialog]


@pytest.fixture
def open_dialog(vault: Vault, qtbot: QtBot) -> Open:
    """The dialog as a person opens it: from the person's page, the review finished. The
    pages are kept for the test (a page collected would take its dialog with it)."""
    pages: list[PersonPage] = []

    def opener(person_id: str) -> DisclosureDialog:
        page = PersonPage(vault)
        pages.append(page)
        qtbot.addWidget(page)
        page.show_person(people.get_person(vault, person_id))
        page.show()
        qtbot.waitExposed(page)
        page.disclosure_button.click()
        dialog = page.dialog
        assert isinstance(dialog, DisclosureDialog) and dialog.isVisible()
        qtbot.waitUntil(lambda: dialog.proposed is not None, timeout=REVIEW_MS)
        return dialog

    return opener


def _rows(dialog: DisclosureDialog) -> list[tuple[str, ...]]:
    table = dialog.table

    def text(row: int, column: int) -> str:
        item = table.item(row, column)
        assert item is not None
        return item.text()

    return [tuple(text(row, column) for column in range(len(COLUMNS)))
            for row in range(table.rowCount())]


def _row_of(dialog: DisclosureDialog, name: str) -> int:
    return next(row for row, shown in enumerate(_rows(dialog)) if shown[NAME] == name)


def _ticked(dialog: DisclosureDialog, name: str) -> bool:
    item = dialog.table.item(_row_of(dialog, name), NAME)
    assert item is not None
    return item.checkState() == Qt.CheckState.Checked


def _write(dialog: DisclosureDialog, folder: Path, qtbot: QtBot,
           monkeypatch: pytest.MonkeyPatch) -> None:
    """Choose ``folder`` (the folder question answered), write, and wait for the outcome."""
    monkeypatch.setattr(dialogs, "ask_folder",
                        lambda parent, start, on_chosen: on_chosen(folder))
    dialog.choose_button.click()
    assert dialog.folder_edit.text() == str(folder)
    dialog.write_button.click()
    assert not dialog.write_button.isEnabled() and not dialog.close_button.isEnabled()
    assert dialog.write_button.text() == "Signing…"
    dialog.reject()  # closing waits for the file
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.bundle is not None or not dialog.error.isHidden(),
                    timeout=WRITE_MS)


def test_the_dialog_lists_what_review_proposes_all_ticked(
        vault: Vault, family: Family, qtbot: QtBot, open_dialog: Open) -> None:
    dialog = open_dialog(family.poppy)
    review = disclosure.review(vault, family.poppy)
    assert dialog.proposed == review
    # one row per proposal, in the review's order, each ticked (redact) by default
    assert _rows(dialog) == [
        (r.name, KIND_SHOWN[r.kind], r.whose, str(r.count), ", ".join(map(str, r.items)))
        for r in review.redactions]
    assert dialog.table.rowCount() == len(review.redactions) >= 8
    assert all(_ticked(dialog, r.name) for r in review.redactions)
    assert dialog.keep() == []
    jack = _rows(dialog)[_row_of(dialog, "Jack")]
    assert jack[KIND] == "First name" and jack[WHOSE] == JACK and int(jack[TIMES]) >= 5
    assert _rows(dialog)[_row_of(dialog, JACK_CASE)][ITEMS] == "1"
    # what will be disclosed, and what is left out
    assert dialog.summary.text() == (
        "6 items will be disclosed: 2 records, 1 draft, 2 notes and 1 action.\n"
        "The draft is listed without its text: finalise it and disclose again to include it.\n"
        "3 drawn signatures of other people will not be reproduced.")
    assert POPPY in dialog.title.text()
    # ready for the keyboard: the table has focus, Write is the default, all named
    assert dialog.focusWidget() is dialog.table
    assert dialog.write_button.isEnabled() and dialog.write_button.isDefault()
    tick = dialog.table.item(_row_of(dialog, "Jack"), NAME)
    assert tick is not None
    assert tick.data(Qt.ItemDataRole.AccessibleTextRole) == "Redact Jack (first name)"
    assert dialog.write_button.text() == "&Write signed disclosure"
    for widget in (dialog.table, dialog.folder_edit, dialog.choose_button, dialog.write_button,
                   dialog.open_button, dialog.close_button, dialog.summary, dialog.progress):
        assert widget.accessibleName(), widget
    assert not dialog.progress.isVisible()
    assert dialog.folder == dialogs.documents_folder()


def test_an_unticked_name_stays_in_the_signed_pdf_and_the_ticked_ones_go(
        vault: Vault, family: Family, qtbot: QtBot, open_dialog: Open, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, _no_message_boxes: list[str]) -> None:
    dialog = open_dialog(family.poppy)
    # untick "Jack" by keyboard: Space on its row
    dialog.table.setCurrentCell(_row_of(dialog, "Jack"), TIMES)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    assert not _ticked(dialog, "Jack") and _ticked(dialog, JACK) and _ticked(dialog, JACK_CASE)
    assert dialog.keep() == ["Jack"]
    folder = tmp_path / "sar"
    _write(dialog, folder, qtbot, monkeypatch)
    result = dialog.bundle
    assert result is not None and result.path is not None, dialog.error.text()
    (pdf,) = folder.glob("*.pdf")
    assert pdf == result.path

    text = _text(pdf)
    assert "Poppy said Jack took her tablet again." in text  # kept, as unticked
    for gone in (JACK_CASE, JACK, WORKER, "Tamsin", "Wren", "Will Marsh", ODD_NAME, "Ivo",
                 "Marchbank"):
        assert gone not in text, gone
    assert "Poppy met [redacted] at the contact centre." in text
    assert "[redacted] ([redacted]) moves school" not in text
    assert f"Jack ({redaction.REDACTED}) moves school" in text
    report = verify_pdf(pdf.read_bytes())
    assert report.ok and report.signatures and all(s.bottom_line for s in report.signatures)
    kept = [d for d in documents.list_documents(vault) if d.kind == disclosure.KIND]
    assert [d.file_name for d in kept] == [pdf.name]

    # one clear message, in the dialog, in the command line's words
    assert dialog.outcome.isVisible() and not dialog.error.isVisible()
    lines = dialog.outcome.text().split("\n")
    assert lines[0] == (f"Wrote {pdf} (signed): 6 items, {result.redacted} redactions.")
    assert "1 draft(s) listed without their text: finalise them and disclose again to " \
           "include it." in lines
    assert "3 drawn signature(s) of other people not reproduced." in lines
    assert "Kept in the text, as you chose: Jack." in lines
    assert any(line.startswith("Withheld: ") for line in lines)
    assert _no_message_boxes == []
    # the table now shows what was done; nothing can be written twice
    assert not _ticked(dialog, "Jack") and _ticked(dialog, JACK_CASE)
    assert not dialog.table.isEnabled() and not dialog.write_button.isVisible()
    assert dialog.open_button.isVisible() and dialog.close_button.text() == "Close"
    dialog.start()
    assert list(folder.glob("*.pdf")) == [pdf]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc closes
    assert not dialog.isVisible()


def test_unticking_a_full_name_keeps_that_persons_first_name_too(
        vault: Vault, family: Family, qtbot: QtBot, open_dialog: Open) -> None:
    """The service keeps all a person's names for their full name: the table says so."""
    dialog = open_dialog(family.poppy)
    full = dialog.table.item(_row_of(dialog, JACK), NAME)
    first = dialog.table.item(_row_of(dialog, "Jack"), NAME)
    assert full is not None and first is not None
    full.setCheckState(Qt.CheckState.Unchecked)
    assert dialog.keep() == [JACK]
    assert not _ticked(dialog, "Jack")
    assert not first.flags() & Qt.ItemFlag.ItemIsEnabled  # cannot be ticked alone
    assert first.toolTip() == f"Kept with {JACK}'s full name"
    assert _ticked(dialog, JACK_CASE)  # an id is kept only by itself
    full.setCheckState(Qt.CheckState.Checked)
    assert _ticked(dialog, "Jack") and first.flags() & Qt.ItemFlag.ItemIsEnabled
    assert dialog.keep() == []


def test_a_name_with_markup_shows_as_written(
        vault: Vault, family: Family, qtbot: QtBot, open_dialog: Open) -> None:
    dialog = open_dialog(family.poppy)
    row = _rows(dialog)[_row_of(dialog, ODD_NAME)]
    assert row[NAME] == ODD_NAME and row[WHOSE] == ODD_NAME and row[KIND] == "Full name"
    # and the dialog about that person: the title is plain text
    odd = next(p for p in people.list_people(vault, "supervisee") if p.name == ODD_NAME)
    about_odd = open_dialog(odd.id)
    assert about_odd.title.text() == f"Subject access disclosure: {ODD_NAME}"
    for label in (about_odd.title, about_odd.summary, about_odd.error, about_odd.outcome):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert about_odd.summary.text() == (
        "1 item will be disclosed: 1 note.")


def test_a_folder_that_cannot_be_made_gets_one_clear_message_and_nothing_is_written(
        vault: Vault, family: Family, qtbot: QtBot, open_dialog: Open, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, _no_message_boxes: list[str]) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    dialog = open_dialog(family.poppy)
    with qtbot.waitSignal(dialog.failed, timeout=WRITE_MS) as failed:
        _write(dialog, a_file / "inside", qtbot, monkeypatch)
    assert dialog.bundle is None
    assert failed.args == [dialog.error.text()]
    assert dialog.error.text().startswith(
        f"Nothing was written: Cannot make the folder {a_file / 'inside'}")
    assert "Traceback" not in dialog.error.text() and _no_message_boxes == []
    assert list(tmp_path.rglob("*.pdf")) == []
    assert not [d for d in documents.list_documents(vault) if d.kind == disclosure.KIND]
    # the worker can choose another folder and try again
    assert dialog.write_button.isEnabled() and dialog.table.isEnabled()
    assert dialog.close_button.isEnabled() and not dialog.progress.isVisible()


def test_an_expired_signing_certificate_is_said_plainly(
        vault: Vault, family: Family, qtbot: QtBot, open_dialog: Open, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_dialog(family.poppy)
    expiry = certificates.certificate_info(vault).not_after
    with time_machine.travel(expiry + dt.timedelta(days=1), tick=False):
        _write(dialog, tmp_path, qtbot, monkeypatch)
    assert dialog.error.text().startswith(
        f"Nothing was written: Your signing certificate expired on {expiry:%d/%m/%Y}")
    assert list(tmp_path.glob("*.pdf")) == []


def test_a_person_who_is_not_there_gets_one_clear_message(
        vault: Vault, qtbot: QtBot) -> None:
    dialog = DisclosureDialog(vault, "0" * 32, "Nobody Known")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.failed, timeout=REVIEW_MS):
        dialog.open()
    assert dialog.error.text().startswith(
        "The disclosure could not be prepared: There is no person with id")
    assert not dialog.write_button.isEnabled() and dialog.close_button.isEnabled()
    dialog.start()  # nothing to write
    assert dialog.bundle is None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert QApplication.activeModalWidget() is None
