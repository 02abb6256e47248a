"""The record page's actions: finalise, amend, sign and export, mark uploaded, history."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from supervision_desktop.domain.records import RecordStatus
from supervision_desktop.domain.templates import Template
from supervision_desktop.services import lifecycle, people, records
from supervision_desktop.services.export import export_record
from supervision_desktop.store.models import RecordVersion
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common import dialogs
from supervision_desktop.ui.records.amend_dialog import AmendDialog
from supervision_desktop.ui.records.export_dialog import ExportDialog
from supervision_desktop.ui.records.history_dialog import HistoryDialog
from supervision_desktop.ui.records.record_page import RecordPage
from supervision_desktop.ui.records.upload_dialog import UploadDialog
from tests.ui.conftest import Opener

pytestmark = pytest.mark.gui

SUBJECT = "Casey Fictional"
REASON = "Next session date was wrong & <b>not bold</b>"
EXPORT_TIMEOUT_MS = 30_000  # the first export loads pyHanko


def small_template() -> Template:
    return Template.model_validate({
        "id": "actions-test",
        "version": 1,
        "title": "Staff supervision",
        "category": "supervision",
        "subject_kind": "supervisee",
        "source": {"organisation": "Test Trust", "document": "Test guidance",
                   "seed": "none.txt", "reference": "Appendix Z"},
        "sections": [
            {"id": "basics", "title": "Basics", "fields": [
                {"id": "venue", "kind": "text", "label": "Venue", "required": True},
                {"id": "notes", "kind": "longtext", "label": "Notes"},
                {"id": "met_on", "kind": "date", "label": "Met on", "required": True},
            ]},
        ],
    })


COMPLETE = {"venue": "Room 4", "notes": "Talked through the week.", "met_on": "2026-11-20"}


def new_record(vault: Vault, **fields: object) -> str:
    person = people.add_person(vault, "supervisee", {"name": SUBJECT})
    return records.create_record(vault, small_template(), subject_id=person.id,
                                 session_date="2026-11-20", fields=dict(fields))


def finalised_record(vault: Vault) -> str:
    record_id = new_record(vault, **COMPLETE)
    lifecycle.finalise(vault, record_id)
    return record_id


def pdfsig(path: Path) -> str:
    done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    return done.stdout + done.stderr


@pytest.fixture
def say_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer every confirmation with yes; the questions asked are collected."""
    asked: list[str] = []

    def yes(parent: QWidget, title: str, text: str, action: str,
            on_yes: Callable[[], None]) -> None:
        asked.append(text)
        on_yes()

    monkeypatch.setattr(dialogs, "ask_confirm", yes)
    return asked


def _notes(page: RecordPage) -> QPlainTextEdit:
    edit = page.form.editors["notes"].inputs()[0]
    assert isinstance(edit, QPlainTextEdit)
    return edit


def _visible_buttons(page: RecordPage) -> list[str]:
    bar = page.lifecycle
    buttons = [bar.resolve_button, bar.finalise_button, bar.amend_button, bar.export_button,
               bar.upload_button, bar.history_button]
    return [b.text().replace("&", "") for b in buttons if b.isVisible()]


# --- finalise ---------------------------------------------------------------------------


def test_finalise_with_missing_fields_lists_them_and_keeps_the_text(
    vault: Vault, open_page: Opener, qtbot: QtBot, say_yes: list[str]
) -> None:
    record_id = new_record(vault)
    page = open_page(record_id)
    assert page.badge.text() == "Draft"
    assert _visible_buttons(page) == ["Finalise…", "History…"]
    qtbot.keyClicks(_notes(page), "Half a thought")  # not yet autosaved: finalise saves it

    page.lifecycle.finalise_button.click()

    box = page.lifecycle.dialog
    assert isinstance(box, QMessageBox)
    assert box.textFormat().name == "PlainText"
    assert "Before finalising, fill in: “Venue”, “Met on”." in box.text()
    assert "Notes" not in box.text()
    assert "Nothing was lost" in box.text()
    assert not page.read_only and not _notes(page).isReadOnly()
    assert _notes(page).toPlainText() == "Half a thought"
    assert page.badge.text() == "Draft"
    view = records.get_record(vault, record_id)
    assert view.summary.status is RecordStatus.DRAFT
    assert view.fields == {"notes": "Half a thought"}
    assert say_yes == []  # "finalise?" is asked only of a record that can be finalised


def _activate(qtbot: QtBot, page: RecordPage) -> None:
    page.activateWindow()  # keyboard focus goes only to the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)


def test_not_ready_to_finalise_goes_to_the_first_missing_field(
    vault: Vault, open_page: Opener, qtbot: QtBot
) -> None:
    page = open_page(new_record(vault, notes="Talked through the week."))
    _activate(qtbot, page)
    page.lifecycle.finalise_button.click()
    box = page.lifecycle.dialog
    assert isinstance(box, QMessageBox) and box.windowTitle() == "Not finalised yet"
    (go,) = [b for b in box.buttons() if b.text() == "Go to “Venue”"]
    go.click()
    venue = page.form.editors["venue"].inputs()[0]
    qtbot.waitUntil(venue.hasFocus)
    qtbot.keyClicks(venue, "Room 4")
    page.form.go_to("met_on")  # the next one the message named
    met_on = page.form.editors["met_on"].inputs()[0]
    qtbot.waitUntil(met_on.hasFocus)
    qtbot.keyClicks(met_on, "20/11/2026")
    page.lifecycle.finalise_button.click()  # saves what was typed, then asks
    box = page.lifecycle.dialog
    assert isinstance(box, QMessageBox) and box.windowTitle() == "Finalise this record?"


def test_a_missing_session_date_goes_to_the_header(
    vault: Vault, open_page: Opener, qtbot: QtBot
) -> None:
    person = people.add_person(vault, "supervisee", {"name": SUBJECT})
    page = open_page(records.create_record(vault, small_template(), subject_id=person.id,
                                           fields=COMPLETE))
    _activate(qtbot, page)
    page.lifecycle.finalise_button.click()
    box = page.lifecycle.dialog
    assert isinstance(box, QMessageBox)
    assert box.text().startswith("Before finalising, fill in: the session date.")
    (go,) = [b for b in box.buttons() if b.text() == "Go to the session date"]
    go.click()
    qtbot.waitUntil(page.form.header.session_date.edit.hasFocus)


def test_finalise_asks_first_then_shows_the_record_read_only(
    vault: Vault, open_page: Opener, qtbot: QtBot
) -> None:
    page = open_page(new_record(vault, **COMPLETE))
    page.lifecycle.finalise_button.click()
    box = page.lifecycle.dialog
    assert isinstance(box, QMessageBox)
    assert "read-only" in box.text() and "amendments" in box.text()
    cancel = box.button(QMessageBox.StandardButton.Cancel)
    cancel.click()
    assert not page.read_only
    assert records.get_record(vault, page.record_id).summary.status is RecordStatus.DRAFT

    page.lifecycle.finalise_button.click()
    box = page.lifecycle.dialog
    assert isinstance(box, QMessageBox)
    (finalise,) = [b for b in box.buttons() if b.text() == "Finalise"]
    finalise.click()

    assert page.read_only and _notes(page).isReadOnly()
    assert page.badge.text() == "Finalised"
    assert "read only" in page.status_label.text()
    assert _visible_buttons(page) == ["Amend…", "Sign and export PDF…", "Mark as uploaded…",
                                      "History…"]
    assert not page.lifecycle.upload_button.isEnabled()  # only once exported
    assert records.get_record(vault, page.record_id).summary.status is RecordStatus.FINALISED


# --- amend ------------------------------------------------------------------------------


def test_amend_needs_a_reason_and_opens_version_2_for_editing(
    vault: Vault, open_page: Opener, qtbot: QtBot
) -> None:
    record_id = finalised_record(vault)
    page = open_page(record_id)
    page.lifecycle.amend_button.click()
    dialog = page.lifecycle.dialog
    assert isinstance(dialog, AmendDialog)
    assert not dialog.amend_button.isEnabled()
    qtbot.keyClicks(dialog.reason, "   ")
    assert not dialog.amend_button.isEnabled()  # blank is no reason
    dialog.reason.setPlainText(REASON)
    with qtbot.waitSignal(dialog.amended, timeout=1000) as amended:
        dialog.amend_button.click()
    assert amended.args == [2]

    assert not page.read_only and not _notes(page).isReadOnly()
    assert page.badge.text() == "Draft"
    assert "version 2" in page.status_label.text()
    assert _notes(page).toPlainText() == COMPLETE["notes"]
    _notes(page).moveCursor(QTextCursor.MoveOperation.End)
    with qtbot.waitSignal(page.saved, timeout=5000):
        qtbot.keyClicks(_notes(page), " Amended.")
    view = records.get_record(vault, record_id)
    assert view.summary.version == 2 and view.summary.status is RecordStatus.DRAFT
    assert view.fields["notes"] == COMPLETE["notes"] + " Amended."
    chain = lifecycle.check_chain(vault, record_id)
    assert [v.reason for v in chain.versions] == ["", REASON]


# --- sign and export --------------------------------------------------------------------


def _export_through_page(page: RecordPage, folder: Path, qtbot: QtBot,
                         monkeypatch: pytest.MonkeyPatch, *, names: bool = False
                         ) -> ExportDialog:
    monkeypatch.setattr(dialogs, "ask_folder",
                        lambda parent, start, on_chosen: on_chosen(folder))
    page.lifecycle.export_button.click()
    dialog = page.lifecycle.dialog
    assert isinstance(dialog, ExportDialog)
    assert not dialog.include_names.isChecked()  # off unless asked for
    dialog.choose_button.click()
    assert dialog.folder_edit.text() == str(folder)
    dialog.include_names.setChecked(names)
    with qtbot.waitSignal(dialog.exported, timeout=EXPORT_TIMEOUT_MS):
        dialog.export_button.click()
        assert dialog.progress.isVisible() and not dialog.export_button.isEnabled()
        assert not dialog.close_button.isEnabled()
    return dialog


def test_sign_and_export_writes_a_pdf_poppler_accepts(
    vault: Vault, open_page: Opener, qtbot: QtBot, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    record_id = finalised_record(vault)
    page = open_page(record_id)
    folder = tmp_path / "exports"
    dialog = _export_through_page(page, folder, qtbot, monkeypatch)

    (pdf,) = folder.glob("*.pdf")
    assert SUBJECT.split()[0] not in pdf.name  # no names unless asked for
    assert dialog.outcome.text() == f"Saved 1 file in {folder}:\n{pdf.name}"
    assert dialog.open_button.isVisible() and not dialog.progress.isVisible()
    assert "Signature is Valid" in pdfsig(pdf)
    assert page.badge.text() == "Exported"
    assert page.lifecycle.upload_button.isEnabled()
    assert records.get_record(vault, record_id).summary.status is RecordStatus.EXPORTED


def test_names_go_into_the_file_name_when_ticked(
    vault: Vault, open_page: Opener, qtbot: QtBot, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    page = open_page(finalised_record(vault))
    _export_through_page(page, tmp_path, qtbot, monkeypatch, names=True)
    (pdf,) = tmp_path.glob("*.pdf")
    assert "Casey-Fictional" in pdf.name


def test_a_failed_export_says_why_and_changes_nothing(
    vault: Vault, open_page: Opener, qtbot: QtBot, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    page = open_page(finalised_record(vault))
    monkeypatch.setattr(dialogs, "ask_folder",
                        lambda parent, start, on_chosen: on_chosen(blocked / "inside"))
    page.lifecycle.export_button.click()
    dialog = page.lifecycle.dialog
    assert isinstance(dialog, ExportDialog)
    dialog.choose_button.click()
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=EXPORT_TIMEOUT_MS)
    assert dialog.error.text().startswith("Nothing was exported: Cannot make the folder")
    assert dialog.export_button.isEnabled() and not dialog.progress.isVisible()
    assert page.badge.text() == "Finalised"


# --- mark uploaded ----------------------------------------------------------------------


def test_mark_uploaded_after_export_with_date_and_reference(
    vault: Vault, open_page: Opener, qtbot: QtBot, tmp_path: Path
) -> None:
    record_id = finalised_record(vault)
    export_record(vault, record_id, tmp_path)
    page = open_page(record_id)
    assert page.badge.text() == "Exported"
    page.lifecycle.upload_button.click()
    dialog = page.lifecycle.dialog
    assert isinstance(dialog, UploadDialog)
    assert dialog.date.edit.text() == f"{dt.date.today():%d/%m/%Y}"
    dialog.date.edit.setText("22/11/2026")
    qtbot.keyClicks(dialog.reference, " MOS-4471902 ")
    dialog.mark_button.click()

    assert page.badge.text() == "Uploaded"
    assert "Uploaded on 22/11/2026, reference MOS-4471902." in page.status_label.text()
    assert page.read_only
    assert records.get_record(vault, record_id).summary.status is RecordStatus.UPLOADED
    reopened = open_page(record_id)  # the upload is remembered, not just shown once
    assert "Uploaded on 22/11/2026, reference MOS-4471902." in reopened.status_label.text()


def test_an_unreadable_upload_date_is_refused(
    vault: Vault, open_page: Opener, tmp_path: Path
) -> None:
    record_id = finalised_record(vault)
    export_record(vault, record_id, tmp_path)
    page = open_page(record_id)
    page.lifecycle.upload_button.click()
    dialog = page.lifecycle.dialog
    assert isinstance(dialog, UploadDialog)
    dialog.date.edit.setText("31/02/2026")
    dialog.mark_button.click()
    assert "22/11/2026" in dialog.error.text()
    assert records.get_record(vault, record_id).summary.status is RecordStatus.EXPORTED


# --- history ----------------------------------------------------------------------------


def _local(moment: dt.datetime | None) -> str:
    assert moment is not None
    return f"{moment.replace(tzinfo=dt.UTC).astimezone():%d/%m/%Y %H:%M}"


def _history(page: RecordPage) -> HistoryDialog:
    page.lifecycle.history_button.click()
    dialog = page.lifecycle.dialog
    assert isinstance(dialog, HistoryDialog)
    return dialog


def test_history_lists_versions_and_warns_when_the_chain_is_broken(
    vault: Vault, open_page: Opener
) -> None:
    record_id = finalised_record(vault)
    lifecycle.amend(vault, record_id, REASON)
    lifecycle.finalise(vault, record_id)
    chain = lifecycle.check_chain(vault, record_id)
    first, second = chain.versions
    page = open_page(record_id)

    dialog = _history(page)
    assert dialog.verdict.text().startswith("Hash chain intact")
    assert dialog.rows() == [
        ["1", _local(first.created_at), _local(first.finalised_at), "First version",
         (first.content_hash or "")[:12], "Unchanged"],
        ["2", _local(second.created_at), _local(second.finalised_at), REASON,
         (second.content_hash or "")[:12], "Unchanged"],
    ]
    dialog.reject()

    with vault.transaction() as session:  # someone edits the stored first version
        stored = session.scalars(select(RecordVersion).where(
            RecordVersion.record_id == record_id, RecordVersion.number == 1)).one()
        stored.content = {**stored.content, "notes": "Rewritten later"}
    dialog = _history(page)
    text = dialog.verdict.text()
    assert text.startswith("Warning: the hash chain is broken.")
    assert "Version 1 was changed after it was finalised" in text
    assert [row[5] for row in dialog.rows()] == ["CHANGED", "Unchanged"]


def test_carried_actions_are_resolved_from_the_record_page_and_survive_autosave(
    vault: Vault, open_page: Opener, qtbot: QtBot
) -> None:
    from supervision_desktop.services import actions, people
    from supervision_desktop.ui.actions.carried_actions_dialog import ResolveCarriedActionsDialog
    from tests.ui.test_actions_view import staff_record

    worker = people.add_person(vault, "supervisee", {"name": "Ffion Hughes"}).id
    january = staff_record(vault, worker, "2026-01-15",
                           [{"action": "Book the ASYE mid-point review", "owner": "Ffion"}])
    lifecycle.finalise(vault, january)
    february = staff_record(vault, worker, "2026-02-12", [])
    page = open_page(february)
    assert "Resolve carried actions…" in _visible_buttons(page)

    page.lifecycle.resolve_button.click()
    dialog = page.lifecycle.dialog
    assert isinstance(dialog, ResolveCarriedActionsDialog)
    dialog.rows[0].choose("done")
    with qtbot.waitSignal(dialog.resolved):
        dialog.save_button.click()

    page.save_now()  # the page was reloaded: its autosave must not undo the decision
    assert [c.outcome for c in actions.carried_actions(vault, february)] == ["done"]
    lifecycle.finalise(vault, february)
