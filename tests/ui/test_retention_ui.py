"""The retention review and audit log dialogs, and the end reason in the person editor."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from supervision_desktop.services import audit, people, records, templates
from supervision_desktop.services.templates import get_template
from supervision_desktop.store.keyring_cache import MemoryKeyring
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.people.person_editor import PersonDialog
from supervision_desktop.ui.shell.main_window import MainWindow
from supervision_desktop.ui.vault_admin import audit_page, retention_page
from supervision_desktop.ui.vault_admin.audit_page import AuditDialog
from supervision_desktop.ui.vault_admin.retention_page import RetentionDialog

pytestmark = pytest.mark.gui

DUE_ON = dt.date(2026, 3, 31)


def _leaver_with_record(vault: Vault) -> tuple[str, str, str]:
    left = people.add_person(vault, "supervisee", {"name": "Rowan Leftwell"}).id
    here = people.add_person(vault, "supervisee", {"name": "Avery Staywell"}).id
    people.set_end(vault, left, dt.date(2020, 3, 31), "Left the team")
    template = get_template("personal-supervision")
    gone = records.create_record(vault, template, subject_id=left, session_date="2019-05-02")
    records.create_record(vault, template, subject_id=here, session_date="2019-05-02")
    return left, here, gone


def _dialog(vault: Vault, qtbot: QtBot, today: dt.date = DUE_ON) -> RetentionDialog:
    dialog = RetentionDialog(vault, today=lambda: today)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_review_lists_only_the_due_record_and_says_why(vault: Vault, qtbot: QtBot) -> None:
    _leaver_with_record(vault)
    assert _dialog(vault, qtbot, DUE_ON - dt.timedelta(days=1)).table.rowCount() == 0
    dialog = _dialog(vault, qtbot)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "Rowan Leftwell"
    assert dialog.table.item(0, 4).text() == "31/03/2026"
    dialog.table.setCurrentCell(0, 1)
    assert "after the work ended on 31/03/2020" in dialog.why.text()
    assert "004 §12.2" in dialog.why.text()


def test_disposal_needs_a_tick_and_the_typed_confirmation(vault: Vault, qtbot: QtBot) -> None:
    left, _here, gone = _leaver_with_record(vault)
    dialog = _dialog(vault, qtbot)
    assert not dialog.dispose_button.isEnabled()
    dialog.table.item(0, 0).setCheckState(Qt.CheckState.Checked)
    assert not dialog.dispose_button.isEnabled()  # ticked, not yet confirmed
    qtbot.keyClicks(dialog.confirm, "dispose")
    assert not dialog.dispose_button.isEnabled()  # the word must be typed as shown
    dialog.confirm.clear()
    qtbot.keyClicks(dialog.confirm, "DISPOSE")
    assert dialog.dispose_button.isEnabled()
    assert dialog.dispose_button.text().replace("&", "") == "Dispose of 1 record"
    with qtbot.waitSignal(dialog.disposed) as signal:
        qtbot.mouseClick(dialog.dispose_button, Qt.MouseButton.LeftButton)
    assert signal.args == [1]
    assert gone not in [r.id for r in records.list_records(vault)]
    assert dialog.table.rowCount() == 0
    assert "1 record was destroyed" in dialog.outcome.text()
    assert dialog.report.rowCount() == 1
    assert dialog.report.item(0, 2).data(Qt.ItemDataRole.UserRole) == gone
    # the person with no records left is offered for removal
    assert dialog.remove_people_button.isVisible()
    qtbot.mouseClick(dialog.remove_people_button, Qt.MouseButton.LeftButton)
    assert left not in [p.id for p in people.list_people(vault)]
    assert "Removed: Rowan Leftwell" in dialog.outcome.text()


def test_audit_dialog_lists_newest_first_filters_and_checks(vault: Vault, qtbot: QtBot) -> None:
    _left, _here, gone = _leaver_with_record(vault)
    lifecycle_entries = len(audit.entries(vault))
    dialog = AuditDialog(vault)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == lifecycle_entries
    assert dialog.table.item(0, 2).text() == "Created"  # the newest entry first
    dialog.show_record(gone)
    assert dialog.table.rowCount() == 1
    assert dialog.check().ok and "intact" in dialog.status.text()
    with vault.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM audit_events WHERE id = 2")
    assert not dialog.check().ok
    assert "has been altered" in dialog.status.text()


def test_the_vault_menu_offers_both_dialogs(vault: Vault, qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.menuBar().addMenu("&Vault")
    review = retention_page.install(window, vault)
    log = audit_page.install(window, vault)
    [menu_action] = [a for a in window.menuBar().actions() if a.text() == "&Vault"]
    assert {review, log} <= set(menu_action.menu().actions())
    review.trigger()
    assert isinstance(window.retention_dialog, RetentionDialog)  # type: ignore[attr-defined]
    window.retention_dialog.close()  # type: ignore[attr-defined]
    log.trigger()
    assert isinstance(window.audit_dialog, AuditDialog)  # type: ignore[attr-defined]
    window.audit_dialog.close()  # type: ignore[attr-defined]


def test_person_editor_keeps_why_the_work_ended(vault: Vault, qtbot: QtBot) -> None:
    person = people.add_person(vault, "supervisee", {"name": "Jude Example"})
    dialog = PersonDialog(vault, person)
    qtbot.addWidget(dialog)
    dialog.input("end_date").setText("31/03/2020")  # type: ignore[attr-defined]
    dialog.save()
    assert "why the work ended" in dialog.error.text().lower()
    qtbot.keyClicks(dialog.end_reason, "Left the team")
    dialog.save()
    saved = people.get_person(vault, person.id)
    assert (saved.ended_on, saved.end_reason) == (dt.date(2020, 3, 31), "Left the team")


def test_main_window_vault_menu_leaves_the_open_record_before_review(
    vault: Vault, qtbot: QtBot
) -> None:
    _left, _here, gone = _leaver_with_record(vault)
    window = MainWindow(vault, templates.catalogue(), MemoryKeyring(), owner_name="Morgan")
    qtbot.addWidget(window)
    window.open_record(gone)
    [vault_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Vault"]
    titles = [a.text() for a in vault_menu.actions()]
    assert "Retention &review…" in titles and "&Audit log…" in titles
    [review] = [a for a in vault_menu.actions() if a.text() == "Retention &review…"]
    review.trigger()
    assert window._record_page is None  # the record was left (and saved) first
    dialog = window.retention_dialog  # type: ignore[attr-defined]
    dialog.close()
