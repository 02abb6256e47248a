"""The foster carer's window: first run as a carer, their pages, import by drag and drop,
responding to a received record, the two kinds of notes, and the evidence pack."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from supervision_desktop.export.verification import verify_pdf
from supervision_desktop.services import actions, notes, people, records, responses, templates
from supervision_desktop.services.export import export_record
from supervision_desktop.store.keyring_cache import MemoryKeyring
from supervision_desktop.store.models import TrackedAction
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.carer import documents_page
from supervision_desktop.ui.carer.notes_page import NotesView
from supervision_desktop.ui.carer.supervisions_page import actions_reminder, countersign
from supervision_desktop.ui.records.new_record_dialog import TEMPLATE_ID_ROLE, NewRecordDialog
from supervision_desktop.ui.records.record_page import RecordPage
from supervision_desktop.ui.shell.app import DesktopApp
from supervision_desktop.ui.shell.first_run import FirstRunWindow
from supervision_desktop.ui.shell.main_window import MainWindow
from supervision_desktop.ui.vault_admin.verify_window import VerifyWindow
from tests.conftest import PASSPHRASE
from tests.test_carer_mode import (
    CARER,
    make_carer_vault,
    sent_to_carer,
    supervision_record,
)

pytestmark = pytest.mark.gui

CARER_PAGES = ["My supervisions", "Actions", "Notes", "People", "Search"]


@pytest.fixture
def carer_vault(tmp_path: Path) -> Iterator[Vault]:
    vault = make_carer_vault(tmp_path / "carer-vault")
    yield vault
    vault.close()


def _offered(dialog: NewRecordDialog) -> set[str]:
    ids = set()
    for number in range(dialog.templates.topLevelItemCount()):
        group = dialog.templates.topLevelItem(number)
        for child in range(group.childCount()):
            ids.add(group.child(child).data(0, TEMPLATE_ID_ROLE))
    return ids


def _pages(window: MainWindow) -> list[str]:
    return [window.navigation.item(n).text() for n in range(window.navigation.count())]


def _window(vault: Vault, qtbot: QtBot) -> MainWindow:
    window = MainWindow(vault, templates.catalogue(), MemoryKeyring(), owner_name=CARER)
    qtbot.addWidget(window)
    window.show()
    return window


def _drop(window: MainWindow, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(40, 40), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)


_started: list[DesktopApp] = []


@pytest.fixture(autouse=True)
def _close_desktops(qtbot: QtBot) -> Iterator[None]:
    yield
    while _started:
        desktop = _started.pop()
        desktop.shutdown()
        if desktop.window is not None and shiboken6.isValid(desktop.window):
            desktop.window.close()
            desktop.window.deleteLater()
    qtbot.wait(1)


def test_carer_first_run_shows_the_carer_pages_and_no_staff_templates(
    tmp_path: Path, qtbot: QtBot
) -> None:
    desktop = DesktopApp(tmp_path / "vault", MemoryKeyring(), templates.catalogue(),
                         idle_minutes=10)
    _started.append(desktop)
    desktop.start()
    first = desktop.window
    assert isinstance(first, FirstRunWindow)
    first.name.setText(CARER)
    first.as_carer.setChecked(True)
    first.passphrase.setText(PASSPHRASE)
    first.repeat.setText(PASSPHRASE)
    first.create_button.click()
    qtbot.waitUntil(lambda: bool(first.recovery_key.text()), timeout=10_000)
    first.stored.setChecked(True)
    first.continue_button.click()
    qtbot.waitUntil(lambda: isinstance(desktop.window, MainWindow), timeout=10_000)
    window = desktop.window
    assert isinstance(window, MainWindow) and window.carer_mode
    assert _pages(window) == CARER_PAGES
    assert window.stack.currentWidget() is window.supervisions
    menus = [action.text() for action in window.menuBar().actions()]
    assert "&Supervision" not in menus  # the agency's tools are not a carer's
    assert not hasattr(window, "dashboard")
    window.new_record(None)
    dialog = window.findChild(NewRecordDialog)
    assert dialog is not None
    assert _offered(dialog) == {"carer-response", "foster-carer-supervision"}
    dialog.reject()


def test_staff_window_keeps_its_pages_templates_and_verify_on_drop(
    vault: Vault, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _window(vault, qtbot)
    assert not window.carer_mode
    assert _pages(window) == ["Dashboard", "Records", "People", "Actions", "Search"]
    window.new_record(None)
    dialog = window.findChild(NewRecordDialog)
    assert dialog is not None
    offered = _offered(dialog)
    assert "carer-response" not in offered and "staff-supervision-manager" in offered
    dialog.reject()
    record_id = supervision_record(vault)
    (pdf,) = export_record(vault, record_id, tmp_path)
    _drop(window, pdf)
    verify = window.findChild(VerifyWindow)
    assert verify is not None and verify.isVisible()


def test_a_dropped_pdf_is_imported_and_can_be_answered(
    vault: Vault, carer_vault: Vault, qtbot: QtBot, tmp_path: Path
) -> None:
    record_id = supervision_record(vault, date="2026-11-20")
    (pdf,) = export_record(vault, record_id, tmp_path)
    window = _window(carer_vault, qtbot)
    assert window.carer_mode
    _drop(window, pdf)
    qtbot.waitUntil(lambda: not documents_page.importing())  # imported in the background
    assert responses.record_origin(carer_vault, record_id).origin == "received"
    page = window.supervisions
    assert [r.id for r in page.model.rows()] == [record_id]
    page.select(record_id)
    assert page.respond_button.isEnabled()
    assert "Not yet responded" in page.model.data(page.model.index(0, 4))

    window.open_record(record_id)
    record_page = window.stack.currentWidget()
    assert isinstance(record_page, RecordPage) and record_page.read_only
    buttons = {b.text(): b for b in record_page.findChildren(QPushButton)}
    document_id = responses.record_origin(carer_vault, record_id).document_id
    assert document_id is not None
    dialog = countersign(record_page, carer_vault, record_id, document_id)  # "Countersign…"
    assert "&Countersign…" in buttons
    assert dialog is not None and not dialog.sign_button.isEnabled()
    dialog.typed_name.setText(CARER)
    dialog.confirm.setChecked(True)
    dialog.save_to(tmp_path / "countersigned.pdf")
    qtbot.waitUntil(lambda: (tmp_path / "countersigned.pdf").exists(), timeout=20_000)
    signed = verify_pdf((tmp_path / "countersigned.pdf").read_bytes())
    assert signed.ok and signed.signatures[-1].signer_name == CARER
    buttons["&Respond…"].click()
    response_page = window.stack.currentWidget()
    assert isinstance(response_page, RecordPage) and not response_page.read_only
    response = records.get_record(carer_vault, response_page.record_id)
    assert response.summary.template_id == "carer-response"
    assert response.fields["responds_to"] == record_id
    assert response_page.form.values()["responds_to_title"] == "Foster carer supervision record"
    response_page.close_record()  # "← Back" to My supervisions
    assert window.stack.currentWidget() is page
    assert page.model.data(page.model.index(
        next(n for n, r in enumerate(page.model.rows()) if r.id == record_id), 4)) == "Responded"


def test_notes_tabs_are_kept_apart_autosave_and_export_life_story_only(
    carer_vault: Vault, qtbot: QtBot, tmp_path: Path
) -> None:
    child = people.add_person(carer_vault, "child", {"name": "Ellie Marsh"}).id
    view = NotesView(carer_vault)
    qtbot.addWidget(view)
    view.show()
    assert [view.tabs.tabText(n) for n in range(2)] == [
        "For the child's life story", "Professional notes"]
    life = view.life_story
    life_id = life.new_note(child_id=child)
    life.title.setText("Bike")
    life.body.setPlainText("Ellie rode a bike at Cannon Hill Park")
    with qtbot.waitSignal(life.saved, timeout=5_000):
        pass  # the pause after typing saves it
    assert notes.get_note(carer_vault, life_id).body == "Ellie rode a bike at Cannon Hill Park"
    view.tabs.setCurrentWidget(view.professional)
    professional = view.professional
    assert professional.note_ids() == []  # the life story note is not here
    professional_id = professional.new_note()
    professional.body.setPlainText("Contact with birth mother cancelled")
    view.save_now()  # leaving the page saves at once
    assert notes.get_note(carer_vault, professional_id).body.startswith("Contact")
    assert life.note_ids() == [life_id] and professional.export_button is None

    out = tmp_path / "story.pdf"
    with qtbot.waitSignal(life.exported, timeout=20_000):
        life.export_to(out)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Cannon Hill Park" in text and "birth mother" not in text


def test_evidence_pack_button_writes_a_signed_pack(
    carer_vault: Vault, qtbot: QtBot, tmp_path: Path
) -> None:
    supervision_record(carer_vault, date="2026-10-15")
    window = _window(carer_vault, qtbot)
    page = window.supervisions
    out = tmp_path / "pack.pdf"
    with qtbot.waitSignal(page.pack_written, timeout=30_000):
        page.write_evidence_pack(out)
    assert "1 records" in page.message.text() or "1 record" in page.message.text()
    check = subprocess.run(["pdfsig", str(out)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in check


def test_overdue_agreed_actions_are_called_out_until_resolved(
    vault: Vault, carer_vault: Vault, qtbot: QtBot, tmp_path: Path
) -> None:
    """An action from a record the carer was sent ("SSW to apply for the passport"), due
    in the past, is named on My supervisions with a way to the Actions page."""
    sent_to_carer(vault, carer_vault, tmp_path, date="2026-10-01", due="2026-10-15")
    window = _window(carer_vault, qtbot)
    page = window.supervisions
    assert page.reminder_row.isVisible()
    assert page.reminder.text() == "1 agreed action is overdue."
    page.reminder_button.click()
    assert window.stack.currentWidget() is window.actions_page

    (action,) = actions.list_actions(carer_vault)
    with carer_vault.transaction() as session:  # resolved (as the Actions page does)
        session.get_one(TrackedAction, action.id).status = "done"
    page.refresh()
    assert not page.reminder_row.isVisible()


def test_the_reminder_counts_overdue_and_soon_due_actions() -> None:
    today = dt.date(2026, 11, 25)
    assert actions_reminder([], today) == ""
    assert actions_reminder([None, dt.date(2027, 1, 1)], today) == ""
    assert actions_reminder([dt.date(2026, 11, 24), dt.date(2026, 11, 1)], today) == \
        "2 agreed actions are overdue."
    assert actions_reminder([dt.date(2026, 11, 24), dt.date(2026, 12, 2)], today) == \
        "1 agreed action is overdue and 1 is due within 7 days."
    assert actions_reminder([dt.date(2026, 11, 25), dt.date(2026, 11, 30)], today) == \
        "2 agreed actions are due within 7 days."
