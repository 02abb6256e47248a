"""Screenshots of the dashboard, the Actions and Search pages, the monitoring sheet and the
compliance dialogs, over a small realistic (fictional) vault.

Also a test (tests/ui/test_screens.py: nothing cut off, nothing blank); run it to look at
the screens.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshot_dashboard [OUT_DIR]

PNGs go to OUT_DIR (default: screenshots/ in the checkout, which git ignores).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # for tests.sample_values

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from supervision_desktop.services import (  # noqa: E402
    actions,
    cancellations,
    compliance,
    export,
    lifecycle,
    people,
    records,
    templates,
    vault_access,
)
from supervision_desktop.store.keyring_cache import MemoryKeyring  # noqa: E402
from supervision_desktop.store.vault import Vault  # noqa: E402
from supervision_desktop.ui.actions.actions_page import ActionsView  # noqa: E402
from supervision_desktop.ui.actions.carried_actions_dialog import ResolveCarriedActionsDialog  # noqa: E402
from supervision_desktop.ui.common.widgets import STYLE_SHEET  # noqa: E402
from supervision_desktop.ui.compliance.cancellation_dialog import CancellationDialog  # noqa: E402
from supervision_desktop.ui.compliance.dashboard_page import DashboardView  # noqa: E402
from supervision_desktop.ui.compliance.deviation_dialog import DeviationDialog  # noqa: E402
from supervision_desktop.ui.compliance.monitoring_page import MonitoringSheetDialog  # noqa: E402
from supervision_desktop.ui.records.search_page import SearchView  # noqa: E402
from tests.sample_values import fill_every_field  # noqa: E402
from tests.ui.screens import save  # noqa: E402

DEFAULT_OUT = ROOT / "screenshots"
TODAY = dt.date.today()
STAFF = templates.get_template("staff-supervision-social-worker")
CASE = templates.get_template("case-discussion-cla")


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def staff_session(vault: Vault, person: str, days_ago: int, agreed: list[dict[str, Any]],
                  *, finalise: bool = True, notes: str = "Workload reviewed.") -> str:
    fields = fill_every_field(STAFF, notes)
    del fields["last_actions"]  # the carried actions go here
    fields["agreed_actions"] = agreed
    made = records.create_record(vault, STAFF, subject_id=person, session_date=ago(days_ago),
                                 fields=fields)
    if finalise:
        for carried in actions.carried_actions(vault, made):
            actions.resolve_carried_action(vault, made, carried.action.id, "done")
        lifecycle.finalise(vault, made)
    return made


def fill(vault: Vault, out: Path) -> dict[str, str]:
    add = people.add_person
    amira = add(vault, "supervisee", {
        "name": "Amira Testfield", "job_title": "Social worker, Locality Team 2",
        "staff_group": "nqsw", "start_date": ago(90), "supervisor": "Morgan Testwell"}).id
    bea = add(vault, "supervisee", {"name": "Bea Otherton", "job_title": "Senior practitioner",
                                    "staff_group": "senior_practitioner"}).id
    carys = add(vault, "supervisee", {"name": "Carys Pritchard", "staff_group": "social_worker",
                                      "job_title": "Social worker"}).id
    dev = add(vault, "supervisee", {"name": "Dev Samplewood", "staff_group": "team_manager",
                                    "job_title": "Team manager, Fostering"}).id
    add(vault, "supervisee", {"name": "Dŵr <b>Łódź</b> & مرحبا 🙂",
                              "staff_group": "support_staff"})
    kit = add(vault, "child", {"name": "Kit Example", "case_id": "C-104-2231",
                               "dob": "2015-03-07", "plan": "looked_after"}).id
    rowan = add(vault, "child", {"name": "Rowan Fictional", "plan": "child_protection"}).id
    add(vault, "child", {"name": "Ellis Placeholder", "plan": "none"})

    staff_session(vault, amira, 70, [
        {"action": "Update the chronology for the Example family", "owner": "Amira Testfield",
         "due": ago(50)}])
    staff_session(vault, amira, 56, [
        {"action": "Book the ASYE mid-point review", "owner": "Amira Testfield", "due": ago(12)},
        {"action": "Shadow a <b>child protection</b> conference", "owner": "Morgan Testwell",
         "due": ago(3)},
        {"action": "Read the new fostering standards", "owner": "Amira Testfield"}])
    amira_latest = staff_session(vault, amira, 35, [
        {"action": "Complete the Kit Example placement plan review", "owner": "Amira Testfield",
         "due": ago(-10)}], finalise=False, notes="Discussed the chronology and the review.")
    staff_session(vault, bea, 40, [
        {"action": "Arrange the team's reflective group session", "owner": "Bea Otherton",
         "due": ago(5)}])
    staff_session(vault, carys, 10, [])
    old = staff_session(vault, dev, 60, [])
    cancellations.record_cancellation(
        vault, dev, TODAY - dt.timedelta(days=20), planned_time="10:00",
        initiated_by="Supervisor", reason="Court hearing moved to that morning",
        rescheduled_for=TODAY + dt.timedelta(days=3))
    cancellations.record_cancellation(
        vault, amira, TODAY - dt.timedelta(days=28), planned_time="14:30",
        initiated_by="Supervisee", reason="Off sick")
    for child, days in ((kit, 70), (rowan, 10)):
        fields = fill_every_field(CASE, "Plan discussed.")
        fields["actions"] = []
        made = records.create_record(vault, CASE, subject_id=child, session_date=ago(days),
                                     fields=fields)
        lifecycle.finalise(vault, made)
    agreement = templates.get_template("agreement-lambeth")
    for person, days in ((bea, 300), (carys, 20)):
        made = records.create_record(vault, agreement, subject_id=person, session_date=ago(days),
                                     fields=fill_every_field(agreement, "Agreed."))
        lifecycle.finalise(vault, made)
    exported = staff_session(vault, carys, 30, [])
    export.export_record(vault, exported, out / "_exports")
    export.export_record(vault, old, out / "_exports")
    return {"amira": amira, "dev": dev, "amira_latest": amira_latest}


def wait_for(signal: Any) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(10_000, loop.quit)
    loop.exec()


def main(out: Path = DEFAULT_OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setStyleSheet(STYLE_SHEET)
    with tempfile.TemporaryDirectory() as folder:
        created = vault_access.create_vault(
            Path(folder) / "vault", owner_name="Morgan Testwell", role="supervisor",
            passphrase="correct horse battery staple")
        vault = created.vault
        ids = fill(vault, Path(folder))

        dashboard = DashboardView(vault)
        dashboard.resize(1100, 720)
        dashboard.show()
        save(dashboard, out / "dashboard.png")
        dashboard.resize(1100, 1500)
        save(dashboard, out / "dashboard-tall.png")
        dashboard.resize(1100, 720)
        profile = dashboard.change_profile()
        save(profile, out / "policy-profile.png")
        profile.reject()
        deviation = DeviationDialog(vault, ids["dev"])
        deviation.open()
        save(deviation, out / "deviation.png")
        deviation.reject()
        cancel = CancellationDialog(vault, ids["amira"])
        cancel.open()
        cancel.save_button.click()  # no reason: the service's message shows
        save(cancel, out / "cancellation.png")
        cancel.reject()

        actions_view = ActionsView(vault)
        actions_view.resize(1100, 720)
        actions_view.show()
        save(actions_view, out / "actions.png")
        resolve = ResolveCarriedActionsDialog(vault, ids["amira_latest"])
        resolve.open()
        resolve.rows[0].choose("done")
        resolve.rows[1].choose("dropped")
        resolve.save_button.click()  # dropped without a reason: asked for one
        save(resolve, out / "resolve-carried.png")
        resolve.reject()

        search_view = SearchView(vault)
        search_view.resize(1100, 720)
        search_view.show()
        search_view.search("chronology")
        wait_for(search_view.searched)
        save(search_view, out / "search.png")
        search_view.search("child conf")
        wait_for(search_view.searched)
        save(search_view, out / "search-markup.png")

        sheet = MonitoringSheetDialog(vault, ids["amira"])
        sheet.open()
        save(sheet, out / "monitoring-sheet.png")
        sheet.reject()
        compliance.set_profile(vault, "kent")
        dashboard.refresh()
        save(dashboard, out / "dashboard-kent.png")

        from supervision_desktop.ui.shell.main_window import MainWindow

        window = MainWindow(vault, templates.catalogue(), MemoryKeyring(),
                            owner_name="Morgan Testwell")
        window.show()
        save(window, out / "main-window-dashboard.png")
        window.close()
        vault.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT)
