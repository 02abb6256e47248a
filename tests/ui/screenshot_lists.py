"""Screenshots of the records list, the People page, a person's page and the New record dialog.

Also a test (tests/ui/test_screens.py: nothing cut off, nothing blank); run it to look at
the screens with realistic (fictional) content.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshot_lists [OUT_DIR]

PNGs go to OUT_DIR (default: screenshots/ in the checkout, which git ignores).
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from supervision_desktop.domain.templates import TemplateCatalogue
from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import lifecycle, people, records, templates, vault_access
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.widgets import STYLE_SHEET
from supervision_desktop.ui.people.people_page import PeopleView
from supervision_desktop.ui.records.new_record_dialog import NewRecordDialog
from supervision_desktop.ui.records.records_page import RecordsView
from tests.ui.screens import save

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "screenshots"


def fill(vault: Vault, catalogue: TemplateCatalogue) -> dict[str, str]:
    """A few fictional people and records; returns the people's ids by short name."""
    amira = people.add_person(vault, "supervisee", {
        "name": "Amira Testfield", "job_title": "Social worker, Locality Team 2",
        "staff_group": "nqsw", "start_date": "2025-09-01", "supervisor": "Morgan Testwell",
    })
    bea = people.add_person(vault, "supervisee", {
        "name": "Bea Otherton", "job_title": "Senior practitioner",
        "staff_group": "senior_practitioner", "start_date": "2019-04-15",
        "supervisor": "Morgan Testwell",
    })
    odd = people.add_person(vault, "supervisee", {"name": "Dŵr <b>Łódź</b> & مرحبا 🙂"})
    house = people.add_person(vault, "carer", {
        "name": "The Okafor-Sampleford household",
        "carers": ["Ngozi Okafor-Sampleford", "Lee Sampleford"],
        "approval_status": "approved",
    })
    kit = people.add_person(vault, "child", {
        "name": "Kit Example", "case_id": "C-104-2231", "dob": "2015-03-07",
        "legal_status": "Care order (section 31)", "plan": "looked_after",
    })
    subjects = {"supervisee": amira.id, "carer": house.id, "child": kit.id}
    dates = ["2026-11-22", "2026-10-18", "2026-09-20", "2026-08-23", "2026-07-19", "2026-06-21"]
    for number, template in enumerate(catalogue.templates[:12]):
        subject = subjects.get(template.subject_kind)
        if template.subject_kind == "supervisee" and number % 3 == 1:
            subject = bea.id
        if template.subject_kind == "supervisee" and number % 5 == 4:
            subject = odd.id
        made = records.create_record(
            vault, template, subject_id=subject, session_date=dates[number % len(dates)]
        )
        if number % 4 == 1:
            with contextlib.suppress(InvalidInput):  # required fields empty: stays a draft
                lifecycle.finalise(vault, made)
    return {"amira": amira.id, "kit": kit.id, "house": house.id}


def main(out: Path = DEFAULT_OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setStyleSheet(STYLE_SHEET)
    catalogue = templates.catalogue()
    with tempfile.TemporaryDirectory() as folder:
        created = vault_access.create_vault(
            Path(folder) / "vault", owner_name="Morgan Testwell", role="supervisor",
            passphrase="correct horse battery staple",
        )
        vault = created.vault
        ids = fill(vault, catalogue)

        records_view = RecordsView(vault, catalogue)
        records_view.resize(1100, 700)
        records_view.show()
        save(records_view, out / "records-list.png")
        records_view.use_from.setChecked(True)
        records_view.person.setCurrentIndex(records_view.person.findData(ids["kit"]))
        save(records_view, out / "records-list-filtered.png")

        people_view = PeopleView(vault, catalogue)
        people_view.resize(1100, 700)
        people_view.show()
        save(people_view, out / "people.png")
        people_view.select_person(ids["amira"])
        save(people_view, out / "person-page.png")
        people_view.select_person(ids["house"])
        save(people_view, out / "person-page-carer.png")

        editor = people_view.edit_person(ids["amira"])
        assert editor is not None
        save(editor, out / "person-editor.png")
        editor.reject()
        adding = people_view.add_person()
        adding.save_button.click()  # empty name: the service's message is shown
        save(adding, out / "person-editor-error.png")
        adding.reject()

        dialog = NewRecordDialog(vault, catalogue, None)
        dialog.open()
        dialog.select_template("staff-supervision-social-worker")
        save(dialog, out / "new-record.png")
        dialog.reject()
        for_kit = NewRecordDialog(vault, catalogue, ids["kit"])
        for_kit.open()
        save(for_kit, out / "new-record-for-person.png")
        for_kit.reject()
        vault.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT)
