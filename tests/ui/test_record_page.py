"""The record page: autosave as people type, flushing, reopening, read-only once final."""

from __future__ import annotations

import datetime as dt
import os
import select
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from supervision_desktop.domain.records import RecordStatus
from supervision_desktop.services import lifecycle, people, records
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.autosave import AUTOSAVE_DELAY_MS, saved_text
from supervision_desktop.ui.records.record_page import RecordPage
from tests.conftest import ODD_TEXT
from tests.ui.conftest import Opener
from tests.ui.test_forms import every_kind_template

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


def _new_record(vault: Vault, **fields: object) -> str:
    person = people.add_person(vault, "supervisee", {"name": "Casey Fictional"})
    return records.create_record(
        vault, every_kind_template(), subject_id=person.id, session_date="2026-11-20",
        fields=dict(fields),
    )


@pytest.fixture
def record_id(vault: Vault) -> str:
    return _new_record(vault)


def _notes(page: RecordPage) -> QPlainTextEdit:
    edit = page.form.editors["notes"].inputs()[0]
    assert isinstance(edit, QPlainTextEdit)
    return edit


def test_typing_is_autosaved_and_back_when_reopened(
    vault: Vault, record_id: str, open_page: Opener, qtbot: QtBot
) -> None:
    page = open_page(record_id)
    text = "Mae'r gofalwr yn dweud & <b>not bold</b>"  # QTest types Latin-1 only
    with qtbot.waitSignal(page.saved, timeout=AUTOSAVE_DELAY_MS + 4000):
        qtbot.keyClicks(_notes(page), text)
        assert page.save_label.text() == "Saving…"
    assert records.get_record(vault, record_id).fields == {"notes": text}
    assert page.save_label.text().startswith("Saved ")
    page.close()
    page.deleteLater()

    again = open_page(record_id)
    assert _notes(again).toPlainText() == text
    assert again.form.subject_id() is not None
    assert again.form.header.session_date.edit.text() == "20/11/2026"


def test_save_now_flushes_at_once(
    vault: Vault, record_id: str, open_page: Opener, qtbot: QtBot
) -> None:
    page = open_page(record_id)
    qtbot.keyClicks(page.form.editors["venue"].inputs()[0], "Room 4")
    assert page.has_unsaved_changes()
    assert records.get_record(vault, record_id).fields == {}  # still waiting for a pause
    with qtbot.waitSignal(page.saved, timeout=0):
        assert page.save_now()
    assert records.get_record(vault, record_id).fields == {"venue": "Room 4"}
    assert not page.has_unsaved_changes()


def test_nothing_is_written_when_nothing_changed(
    vault: Vault, record_id: str, open_page: Opener, qtbot: QtBot
) -> None:
    page = open_page(record_id)
    before = records.get_record(vault, record_id).summary.updated_at
    venue = page.form.editors["venue"].inputs()[0]
    with qtbot.assertNotEmitted(page.saved, wait=AUTOSAVE_DELAY_MS + 300):
        assert page.save_now()
        qtbot.keyClicks(venue, "x")
        qtbot.keyClick(venue, Qt.Key.Key_Backspace)  # typed and taken back: no change
    assert records.get_record(vault, record_id).summary.updated_at == before
    assert not page.has_unsaved_changes()


def test_session_date_and_subject_are_saved(
    vault: Vault, record_id: str, open_page: Opener, qtbot: QtBot
) -> None:
    other = people.add_person(vault, "supervisee", {"name": "Drew Madeup"})
    page = open_page(record_id)
    date = page.form.header.session_date.edit
    date.clear()
    with qtbot.waitSignal(page.saved, timeout=AUTOSAVE_DELAY_MS + 4000):
        qtbot.keyClicks(date, "22/11/2026")
    subject = page.form.header.subject
    assert subject is not None
    with qtbot.waitSignal(page.saved, timeout=AUTOSAVE_DELAY_MS + 4000):
        subject.setCurrentIndex(subject.findText("Drew Madeup"))
    summary = records.get_record(vault, record_id).summary
    assert summary.session_date == dt.date(2026, 11, 22)
    assert summary.subject_id == other.id


def test_odd_and_long_text_survive_the_vault_exactly(
    vault: Vault, record_id: str, open_page: Opener, qtbot: QtBot
) -> None:
    page = open_page(record_id)
    big = (ODD_TEXT + "\n") * (100_000 // len(ODD_TEXT))
    with qtbot.waitSignal(page.saved, timeout=AUTOSAVE_DELAY_MS + 4000):
        _notes(page).insertPlainText(big)  # what a paste does
        venue = page.form.editors["venue"].inputs()[0]
        assert isinstance(venue, QLineEdit)
        venue.insert(ODD_TEXT)
    assert records.get_record(vault, record_id).fields == {"notes": big, "venue": ODD_TEXT}
    page.deleteLater()
    again = open_page(record_id)
    assert again.form.values() == {"notes": big, "venue": ODD_TEXT}


def test_finalised_record_opens_read_only(
    vault: Vault, open_page: Opener, qtbot: QtBot
) -> None:
    record_id = _new_record(vault, venue="Room 1", met_on="2026-11-20", notes="Final words")
    lifecycle.finalise(vault, record_id)
    page = open_page(record_id)
    assert page.read_only
    assert "Finalised" in page.status_label.text() and "read only" in page.status_label.text()
    notes = _notes(page)
    assert notes.isReadOnly()
    with qtbot.assertNotEmitted(page.saved, wait=AUTOSAVE_DELAY_MS + 300):
        qtbot.keyClicks(notes, "more")
        assert page.save_now()
    view = records.get_record(vault, record_id)
    assert view.summary.status is RecordStatus.FINALISED
    assert view.fields["notes"] == "Final words"


def test_back_saves_then_closes(
    vault: Vault, record_id: str, open_page: Opener, qtbot: QtBot
) -> None:
    page = open_page(record_id)
    qtbot.keyClicks(_notes(page), "Last thought")
    with qtbot.waitSignal(page.closed, timeout=1000):
        page.back_button.click()
    assert records.get_record(vault, record_id).fields == {"notes": "Last thought"}


def test_saved_time_is_local_and_dated_when_not_today() -> None:
    now = dt.datetime(2026, 11, 22, 14, 31, tzinfo=dt.UTC)
    local = now.astimezone()
    assert saved_text(now, now) == f"Saved {local:%H:%M}"
    earlier = now - dt.timedelta(days=3)
    assert saved_text(earlier.replace(tzinfo=None), now) == (
        f"Saved {earlier.astimezone():%d/%m/%Y %H:%M}"
    )


CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from supervision_desktop.store import vault as vaults
    from supervision_desktop.ui.records.record_page import RecordPage

    folder, record_id, text = sys.argv[1:4]
    key = bytes.fromhex(sys.stdin.readline().strip())
    app = QApplication(sys.argv[:1])
    vault = vaults.open_with_key(Path(folder), key)
    page = RecordPage(vault, record_id)
    page.show()
    notes = page.form.editors["notes"].inputs()[0]
    loop = QEventLoop()
    page.saved.connect(loop.quit)
    QTimer.singleShot(30_000, loop.quit)
    QTest.keyClicks(notes, text)
    loop.exec()
    print("saved" if not page.has_unsaved_changes() else "not saved", flush=True)
    QTest.keyClicks(notes, " and then mid-sent")  # never given the pause it needs
    time.sleep(600)
""")


def test_a_killed_app_keeps_the_draft_it_saved(
    vault_folder: Path, data_key: bytes, tmp_path: Path
) -> None:
    with vaults.open_with_key(vault_folder, data_key) as vault:
        record_id = _new_record(vault)
    text = "Carer said the heater is fixed & the"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(vault_folder), record_id, text],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=ROOT, text=True,
    )
    try:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(data_key.hex() + "\n")
        child.stdin.close()
        ready, _, _ = select.select([child.stdout], [], [], 60)
        assert ready, "the child never reported"
        assert child.stdout.readline().strip() == "saved"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    with vaults.open_with_key(vault_folder, data_key) as vault:
        view = records.get_record(vault, record_id)
    assert view.fields["notes"] == text
