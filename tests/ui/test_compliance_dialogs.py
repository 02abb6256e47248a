"""Compliance dialogs: carried actions, cancellations, agreed frequencies, the policy profile
and the monitoring sheet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import (
    actions,
    cancellations,
    compliance,
    lifecycle,
    people,
    records,
)
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.actions.carried_actions_dialog import ResolveCarriedActionsDialog
from supervision_desktop.ui.compliance.cancellation_dialog import CancellationDialog
from supervision_desktop.ui.compliance.deviation_dialog import DeviationDialog
from supervision_desktop.ui.compliance.monitoring_page import MonitoringSheetDialog
from supervision_desktop.ui.compliance.policy_profile_dialog import PolicyProfileDialog
from tests.ui.test_actions_view import staff_record

if TYPE_CHECKING:  # imported by the pytest-qt plugin once Qt is chosen
    from pytestqt.modeltest import ModelTester

pytestmark = pytest.mark.gui

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def worker(vault: Vault) -> str:
    return people.add_person(vault, "supervisee", {
        "name": "Ffion Hughes", "job_title": "Social worker", "supervisor": "Morgan Testwell",
        "staff_group": "social_worker"}).id


# --- carried actions -----------------------------------------------------------------


def test_resolving_carried_actions_lets_the_next_record_finalise(
    vault: Vault, worker: str, qtbot: QtBot
) -> None:
    january = staff_record(vault, worker, "2026-01-15", [
        {"action": "Book the ASYE mid-point review", "owner": "Ffion Hughes",
         "due": "2026-02-06"},
        {"action": "Update the <b>chronology</b>", "owner": "Ffion Hughes"},
    ])
    lifecycle.finalise(vault, january)
    february = staff_record(vault, worker, "2026-02-12", [])
    with pytest.raises(InvalidInput, match="2 action"):
        lifecycle.finalise(vault, february)

    dialog = ResolveCarriedActionsDialog(vault, february)
    qtbot.addWidget(dialog)
    dialog.open()
    rows = {row.carried.action.text: row for row in dialog.rows}
    assert set(rows) == {"Book the ASYE mid-point review", "Update the <b>chronology</b>"}
    rows["Book the ASYE mid-point review"].choose("done")
    rows["Update the <b>chronology</b>"].choose("dropped")
    dialog.save_button.click()  # dropped without a reason: asked for one, nothing saved
    assert rows["Update the <b>chronology</b>"].error.text() == (
        "Say why this action is being dropped.")
    assert dialog.isVisible()
    assert all(c.outcome is None for c in actions.carried_actions(vault, february))

    rows["Update the <b>chronology</b>"].reason.setText("Case closed on 2 February")
    with qtbot.waitSignal(dialog.resolved) as resolved:
        dialog.save_button.click()
    assert resolved.args == [february]
    assert dialog.result() == QDialog.DialogCode.Accepted
    lifecycle.finalise(vault, february)
    review = {row["action"]: row for row in records.get_record(vault, february)
              .fields["last_actions"]}
    assert review["Book the ASYE mid-point review"]["status"] == "Done"
    assert review["Update the <b>chronology</b>"]["comments"] == "Case closed on 2 February"


def test_undecided_actions_are_counted_and_the_dialog_stays(
    vault: Vault, worker: str, qtbot: QtBot
) -> None:
    january = staff_record(vault, worker, "2026-01-15", [
        {"action": "First", "owner": "A"}, {"action": "Second", "owner": "B"}])
    lifecycle.finalise(vault, january)
    february = staff_record(vault, worker, "2026-02-12", [])
    dialog = ResolveCarriedActionsDialog(vault, february)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.rows[0].choose("carried_forward")
    dialog.save_button.click()
    assert "1 action(s) still need a decision" in dialog.notice.text()
    assert dialog.isVisible()
    with pytest.raises(InvalidInput, match="1 action"):
        lifecycle.finalise(vault, february)


def test_a_record_with_nothing_carried_says_so(vault: Vault, worker: str, qtbot: QtBot) -> None:
    record = staff_record(vault, worker, "2026-01-15", [])
    dialog = ResolveCarriedActionsDialog(vault, record)
    qtbot.addWidget(dialog)
    assert dialog.rows == []
    assert not dialog.save_button.isEnabled()


# --- cancellations -------------------------------------------------------------------


def test_cancellation_dialog_stores_a_cancellation(vault: Vault, worker: str,
                                                   qtbot: QtBot) -> None:
    dialog = CancellationDialog(vault, worker, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.person.currentData() == worker
    dialog.save_button.click()  # no reason yet
    assert "say why the session was cancelled or postponed" in dialog.error.text()
    assert cancellations.list_cancellations(vault) == []

    dialog.time.setText("14:30")
    dialog.initiated_by.setCurrentText("Supervisee")
    dialog.reason.setPlainText("Court hearing moved to that morning")
    dialog.rescheduled.set_iso("2026-11-27")
    dialog.comments.setText("Agreed by phone")
    with qtbot.waitSignal(dialog.recorded) as recorded:
        dialog.save_button.click()
    [stored] = cancellations.list_cancellations(vault)
    assert recorded.args == [stored.id]
    assert (stored.person_id, stored.planned_on, stored.planned_time, stored.initiated_by,
            stored.reason, stored.rescheduled_for, stored.comments) == (
        worker, TODAY, "14:30", "Supervisee", "Court hearing moved to that morning",
        dt.date(2026, 11, 27), "Agreed by phone")


def test_cancellation_dialog_refuses_a_date_it_cannot_read(vault: Vault, worker: str,
                                                           qtbot: QtBot) -> None:
    dialog = CancellationDialog(vault, worker)
    qtbot.addWidget(dialog)
    dialog.reason.setPlainText("Off sick")
    dialog.rescheduled.edit.setText("31/02/2026")
    dialog.save_button.click()
    assert "22/11/2026" in dialog.error.text()
    assert cancellations.list_cancellations(vault) == []


# --- deviations and the profile ------------------------------------------------------


def test_deviation_dialog_records_an_agreed_frequency(vault: Vault, worker: str,
                                                      qtbot: QtBot) -> None:
    dialog = DeviationDialog(vault, worker, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    assert "Service Manager" in dialog.approved_by.placeholderText()
    dialog.number.setValue(4)
    dialog.save_button.click()
    assert "Say why" in dialog.error.text()
    dialog.reason.setPlainText("Complex caseload")
    dialog.approved_by.setText("Rhian Example, Service Manager")
    with qtbot.waitSignal(dialog.agreed):
        dialog.save_button.click()
    [agreed] = compliance.list_deviations(vault, worker)
    assert agreed.deviation.every.describe() == "4 weeks"
    assert agreed.deviation.agreed_on == TODAY
    assert agreed.deviation.approved_by == "Rhian Example, Service Manager"


def test_policy_profile_dialog_changes_the_vaults_profile(vault: Vault, qtbot: QtBot) -> None:
    dialog = PolicyProfileDialog(vault)
    qtbot.addWidget(dialog)
    assert dialog.chosen() == "lambeth"
    assert dialog.choices.currentItem().text().endswith("(in use)")
    assert "Lambeth Supervision Policy (2021) §3, table" in dialog.details.toPlainText()
    dialog.choose("birmingham-ifa")
    with qtbot.waitSignal(dialog.profile_changed) as changed:
        dialog.use_button.click()
    assert changed.args == ["birmingham-ifa"]
    assert compliance.vault_profile(vault).id == "birmingham-ifa"


def test_a_broken_profile_file_is_explained(vault: Vault, qtbot: QtBot, tmp_path: Path) -> None:
    broken = tmp_path / "ours.yaml"
    broken.write_text("id: ours\ntitle: Ours\n", encoding="utf-8")
    dialog = PolicyProfileDialog(vault)
    qtbot.addWidget(dialog)
    dialog.use_file(str(broken))
    assert "ours.yaml" in dialog.error.text()
    assert compliance.vault_profile(vault).id == "lambeth"


# --- the monitoring sheet ------------------------------------------------------------


def test_monitoring_sheet_shows_sessions_and_cancellations_and_saves_a_record(
    vault: Vault, worker: str, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    held = staff_record(vault, worker, "2026-10-01", [])
    cancellations.record_cancellation(vault, worker, dt.date(2026, 11, 5), planned_time="10:00",
                                      reason="Off <b>sick</b>", initiated_by="Supervisee",
                                      rescheduled_for=dt.date(2026, 11, 12))
    dialog = MonitoringSheetDialog(vault, worker, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert "Supervisor: Morgan Testwell" in dialog.names.text()
    rows = [[dialog.proxy.index(r, c).data() for c in range(6)]
            for r in range(dialog.proxy.rowCount())]
    assert rows == [
        ["01/10/2026", "", "Yes", "", "Staff supervision agenda & record — social worker", ""],
        ["05/11/2026", "10:00", "No", "12/11/2026", "",
         "Off <b>sick</b> (cancelled by Supervisee)"],
    ]
    opened: list[str] = []
    dialog.open_record_requested.connect(opened.append)
    dialog.table.setCurrentIndex(dialog.proxy.index(1, 0))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # a cancellation has no record to open
    dialog.table.setCurrentIndex(dialog.proxy.index(0, 0))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert opened == [held]

    with qtbot.waitSignal(dialog.record_created) as created:
        dialog.save_button.click()
    record = records.get_record(vault, created.args[0])
    assert record.template.id == "monitoring-sheet"
    assert record.summary.session_date == TODAY
    assert [row["completed"] for row in record.fields["sessions"]] == [True, False]


def test_supervision_menu_opens_each_dialog(vault: Vault, worker: str, qtbot: QtBot) -> None:
    from supervision_desktop.services import templates
    from supervision_desktop.store.keyring_cache import MemoryKeyring
    from supervision_desktop.ui.shell.main_window import MainWindow

    window = MainWindow(vault, templates.catalogue(), MemoryKeyring(), owner_name="Morgan")
    qtbot.addWidget(window)
    [menu] = [m for m in window.menuBar().actions() if m.text() == "&Supervision"]
    items = {a.text(): a for a in menu.menu().actions() if a.text()}
    assert list(items) == ["Record a &cancellation…", "&Monitoring sheet…", "&Policy profile…"]
    items["Record a &cancellation…"].trigger()
    assert isinstance(window.dashboard.dialog, CancellationDialog)
    window.dashboard.dialog.reject()
    items["&Policy profile…"].trigger()
    assert isinstance(window.dashboard.dialog, PolicyProfileDialog)
    window.dashboard.dialog.reject()
    items["&Monitoring sheet…"].trigger()
    [sheet] = window.findChildren(MonitoringSheetDialog)
    assert sheet.person.currentData() == worker
    with qtbot.waitSignal(sheet.record_created):
        sheet.save_button.click()
    assert getattr(window.stack.currentWidget(), "record_id", None) is not None
