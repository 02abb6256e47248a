"""Screenshots of the retention review (before and after disposal), the disposal report,
the audit log and the person editor's end date and reason.

Also a test (tests/ui/test_screens.py: nothing cut off, nothing blank); run it to look at
the dialogs with realistic (fictional) content.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshot_retention [OUT_DIR]

PNGs go to OUT_DIR (default: screenshots/ in the checkout, which git ignores).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from supervision_desktop.services import lifecycle, people, records, templates, vault_access
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.common.widgets import STYLE_SHEET
from supervision_desktop.ui.people.person_editor import PersonDialog
from supervision_desktop.ui.vault_admin.audit_page import AuditDialog
from supervision_desktop.ui.vault_admin.retention_page import RetentionDialog
from tests.sample_values import fill_every_field
from tests.ui.screens import save, wait_until

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "screenshots"
TODAY = dt.date(2026, 11, 22)


def fill(vault: Vault) -> dict[str, str]:
    """Two leavers and a current worker, each with a few records."""
    ids = {}
    for key, name, left, reason in (
        ("rowan", "Rowan Leftwell", dt.date(2020, 3, 31), "Left the team"),
        ("sam", "Sam Oldfield", dt.date(2019, 8, 16), "Moved to another authority"),
        ("avery", "Avery Staywell", None, ""),
    ):
        person = people.add_person(vault, "supervisee", {
            "name": name, "job_title": "Social worker", "start_date": "2015-09-01"})
        if left:
            people.set_end(vault, person.id, left, reason)
        ids[key] = person.id
    template = templates.get_template("personal-supervision")
    for key, dates in (("rowan", ("2019-11-04", "2020-01-13", "2020-03-02")),
                       ("sam", ("2019-06-10",)), ("avery", ("2026-10-05",))):
        for date in dates:
            record_id = records.create_record(
                vault, template, subject_id=ids[key], session_date=date,
                fields=fill_every_field(template, "Fictional notes"))
            lifecycle.finalise(vault, record_id)
            records.open_record(vault, record_id)
    return ids


def main(out: Path = DEFAULT_OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setStyleSheet(STYLE_SHEET)
    with tempfile.TemporaryDirectory() as folder:
        created = vault_access.create_vault(
            Path(folder) / "vault", owner_name="Morgan Testwell", role="supervisor",
            passphrase="correct horse battery staple",
        )
        vault = created.vault
        ids = fill(vault)

        dialog = RetentionDialog(vault, today=lambda: TODAY)
        dialog.show()
        dialog.table.setCurrentCell(0, 1)
        save(dialog, out / "retention-review.png")
        for row in range(dialog.table.rowCount()):
            if dialog.table.item(row, 1).text() == "Sam Oldfield":
                dialog.table.item(row, 0).setCheckState(Qt.CheckState.Checked)
        dialog.confirm.setText("DISPOSE")
        save(dialog, out / "retention-review-confirmed.png")
        dialog.dispose()
        wait_until(lambda: not dialog.busy())  # the VACUUM runs in the background
        save(dialog, out / "retention-review-disposed.png")
        dialog.tabs.setCurrentIndex(1)
        save(dialog, out / "retention-report.png")
        dialog.close()

        log = AuditDialog(vault)
        log.resize(980, 600)
        log.show()
        log.check()
        save(log, out / "audit-log.png")
        log.close()

        editor = PersonDialog(vault, people.get_person(vault, ids["rowan"]))
        editor.show()
        save(editor, out / "person-editor-ended.png")
        editor.close()
        vault.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT)
