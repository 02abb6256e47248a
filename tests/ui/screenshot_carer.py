"""Screenshots of the foster carer's window: first run, pages, notes, the response form.

Also a test (tests/ui/test_screens.py: nothing cut off, nothing blank); run it to look at
the screens with realistic (fictional) content.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshot_carer [OUT_DIR]

PNGs go to OUT_DIR (default: screenshots/ in the checkout, which git ignores).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from supervision_desktop.services import (
    lifecycle,
    notes,
    people,
    records,
    responses,
    templates,
    vault_access,
)
from supervision_desktop.services.carer_import import import_signed_pdf
from supervision_desktop.services.export import export_record
from supervision_desktop.store.keyring_cache import MemoryKeyring
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.widgets import STYLE_SHEET
from supervision_desktop.ui.records.new_record_dialog import NewRecordDialog
from supervision_desktop.ui.shell.first_run import FirstRunWindow
from supervision_desktop.ui.shell.main_window import MainWindow
from tests.ui.screens import save

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "screenshots"
PASSPHRASE = "correct horse battery staple"
CARER, SSW = "Jo Marsh", "Priya Shah"  # fictional


def _signature(name: str, role: str, date: str) -> dict[str, object]:
    return {"name": name, "role": role, "date": date,
            "strokes": [[[10, 40], [40, 12], [70, 44], [110, 10], [150, 38]]]}


def sent_record(staff: Vault, date: str, folder: Path) -> Path:
    household = people.add_person(staff, "carer", {"name": "The Marsh household",
                                                   "carers": [CARER]}).id
    record_id = records.create_record(
        staff, templates.catalogue().get("foster-carer-supervision"), subject_id=household,
        session_date=date,
        fields={
            "carer_household": "The Marsh household", "supervising_social_worker": SSW,
            "supervision_date": date, "start_time": "10:00", "duration": 90,
            "carers_present": CARER,
            "carers_views": "Jo would like to take Ellie to Spain at half term.",
            "carers_requests": [{"carer_request": "Holiday abroad with Ellie at half term",
                                 "request_agreement": "Agreed subject to passport"}],
            "agreements_actions": [{"action": "SSW to contact child's SW to apply for passport",
                                    "by_whom": SSW, "by_when": "2026-12-01"}],
            "ssw_signature": _signature(SSW, "Supervising social worker", date),
            "carer_signature": _signature(CARER, "Foster carer", date),
        })
    lifecycle.finalise(staff, record_id)
    (pdf,) = export_record(staff, record_id, folder)
    return pdf


def main(out: Path = DEFAULT_OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setStyleSheet(STYLE_SHEET)
    catalogue = templates.catalogue()
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        first = FirstRunWindow(folder / "first", lambda *args: None)
        first.resize(760, 640)
        first.show()
        first.name.setText(CARER)
        first.as_carer.setChecked(True)
        save(first, out / "carer-first-run.png")
        first.close()

        staff = vault_access.create_vault(folder / "staff", owner_name="Morgan Testwell",
                                          role="supervisor", passphrase=PASSPHRASE).vault
        carer = vault_access.create_vault(folder / "carer", owner_name=CARER, role="carer",
                                          passphrase=PASSPHRASE).vault
        pdf = sent_record(staff, "2026-11-20", folder)
        result = import_signed_pdf(carer, pdf)
        assert result.ok, result.message
        assert result.record_id is not None
        ellie = people.add_person(carer, "child", {"name": "Ellie Marsh"}).id
        notes.add_note(carer, "life_story", child_id=ellie, written_on="2026-11-02",
                       title="Riding a bike", body="Ellie rode her bike without stabilisers "
                       "at Cannon Hill Park today. She was so proud she rang Nan to tell her.")
        notes.add_note(carer, "life_story", child_id=ellie, written_on="2026-10-01",
                       title="First day at Greenfield Primary",
                       body="New red coat, new book bag. She held my hand to the gate.")
        notes.add_note(carer, "professional", child_id=ellie, written_on="2026-11-03",
                       title="Contact", body="Contact cancelled at short notice; Ellie upset "
                       "at bedtime. Told SSW by phone 17:10.")

        window = MainWindow(carer, catalogue, MemoryKeyring(), owner_name=CARER)
        window.resize(1280, 800)
        window.show()
        save(window, out / "carer-my-supervisions.png")
        window.navigation.setCurrentRow(1)
        save(window, out / "carer-actions.png")
        window.navigation.setCurrentRow(2)
        save(window, out / "carer-notes-life-story.png")
        window.notes_page.tabs.setCurrentIndex(1)
        save(window, out / "carer-notes-professional.png")
        window.navigation.setCurrentRow(0)
        window.open_record(result.record_id)
        save(window, out / "carer-received-record.png")
        response_id = responses.start_response(carer, result.record_id)
        window.open_record(response_id)
        save(window, out / "carer-response-form.png")
        window.new_record(None)
        dialog = window.findChild(NewRecordDialog)
        assert dialog is not None
        save(dialog, out / "carer-new-record.png")
        dialog.reject()
        window.close()
        carer.close()
        staff.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT)
