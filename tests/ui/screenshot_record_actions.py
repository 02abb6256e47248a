"""Screenshots of a record's life: the page in each state, its dialogs, and the verify window.

Also a test (tests/ui/test_screens.py: nothing cut off, nothing blank); run it to look at
the screens with realistic (fictional) content.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshot_record_actions [OUT_DIR]

PNGs go to OUT_DIR (default: screenshots/ in the checkout, which git ignores).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QThreadPool  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402
from sqlalchemy import select  # noqa: E402

from supervision_desktop.services import (  # noqa: E402
    lifecycle,
    people,
    records,
    templates,
    vault_access,
)
from supervision_desktop.store.models import RecordVersion  # noqa: E402
from supervision_desktop.store.vault import Vault  # noqa: E402
from supervision_desktop.ui.common import dialogs  # noqa: E402
from supervision_desktop.ui.common.widgets import STYLE_SHEET  # noqa: E402
from supervision_desktop.ui.records.amend_dialog import AmendDialog  # noqa: E402
from supervision_desktop.ui.records.export_dialog import ExportDialog  # noqa: E402
from supervision_desktop.ui.records.record_page import RecordPage  # noqa: E402
from supervision_desktop.ui.records.upload_dialog import UploadDialog  # noqa: E402
from supervision_desktop.ui.vault_admin.verify_window import VerifyWindow  # noqa: E402
from tests.ui.screens import save  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "screenshots"
TEMPLATE = "staff-supervision-social-worker"
PAGE_SIZE = (1100, 760)  # the main window's content beside its navigation


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def wait_for(condition: object) -> None:
    """Run the event loop until condition() holds (background work reporting back)."""
    assert callable(condition)
    while not condition():
        QThreadPool.globalInstance().waitForDone(50)
        QApplication.processEvents()


def make_record(vault: Vault, *, complete: bool) -> str:
    from tests.sample_values import fill_every_field

    template = templates.get_template(TEMPLATE)
    amira = people.add_person(vault, "supervisee", {"name": "Amira Testfield"})
    fields = fill_every_field(
        template, "Talked through the week; Dŵr said the new routine is working.",
        "Reflected on the visit on Tuesday and what the child said about contact.\n"
        "Agreed to raise the transport question with the team manager.",
    ) if complete else {}
    return records.create_record(vault, template, subject_id=amira.id,
                                 session_date="2026-11-22", fields=fields)


def answer(page: RecordPage, button: str, *, click: bool = True) -> None:
    """Press the action's button (unless open already), then the question's button."""
    if click:
        page.lifecycle.finalise_button.click()
    box = page.lifecycle.dialog
    assert isinstance(box, QMessageBox)
    settle()
    (chosen,) = [b for b in box.buttons() if b.text() == button]
    chosen.click()


def page_for(vault: Vault, record_id: str) -> RecordPage:
    page = RecordPage(vault, record_id)
    page.resize(*PAGE_SIZE)
    page.show()
    return page


def main(out: Path = DEFAULT_OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))  # for tests.sample_values
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setStyleSheet(STYLE_SHEET)
    with tempfile.TemporaryDirectory() as folder:
        created = vault_access.create_vault(
            Path(folder) / "vault", owner_name="Morgan Testwell", role="supervisor",
            passphrase="correct horse battery staple",
        )
        vault = created.vault
        exports = Path(folder) / "Exports"

        # A draft with required fields still empty: no question, what is missing listed,
        # with a way to the first of it.
        empty = page_for(vault, make_record(vault, complete=False))
        save(empty, out / "record-draft.png")
        empty.lifecycle.finalise_button.click()
        settle()
        assert isinstance(empty.lifecycle.dialog, QMessageBox)
        assert empty.lifecycle.dialog.windowTitle() == "Not finalised yet"
        save(empty.lifecycle.dialog, out / "record-finalise-refused.png")
        empty.lifecycle.dialog.close()

        # A complete draft: the question, then read-only.
        record_id = make_record(vault, complete=True)
        page = page_for(vault, record_id)
        page.lifecycle.finalise_button.click()
        assert page.lifecycle.dialog is not None
        save(page.lifecycle.dialog, out / "record-finalise-question.png")
        answer(page, "Finalise", click=False)
        save(page, out / "record-finalised.png")

        # Sign and export.
        dialogs.ask_folder = (  # type: ignore[assignment]
            lambda parent, start, on_chosen: on_chosen(exports)
        )
        page.lifecycle.export_button.click()
        dialog = page.lifecycle.dialog
        assert isinstance(dialog, ExportDialog)
        dialog.choose_button.click()
        save(dialog, out / "export-dialog.png")
        dialog.export_button.click()
        save(dialog, out / "export-dialog-busy.png")
        wait_for(lambda: dialog.outcome.isVisible() or dialog.error.isVisible())
        save(dialog, out / "export-dialog-done.png")
        dialog.accept()
        save(page, out / "record-exported.png")

        # Mark uploaded.
        page.lifecycle.upload_button.click()
        upload = page.lifecycle.dialog
        assert isinstance(upload, UploadDialog)
        upload.reference.setText("MOS-4471902")
        save(upload, out / "upload-dialog.png")
        upload.mark_button.click()
        save(page, out / "record-uploaded.png")

        # Amend: the reason, then version 2 as a draft.
        page.lifecycle.amend_button.click()
        amend = page.lifecycle.dialog
        assert isinstance(amend, AmendDialog)
        amend.reason.setPlainText("The date of the next session was wrong.")
        save(amend, out / "amend-dialog.png")
        amend.amend_button.click()
        save(page, out / "record-amendment-draft.png")
        lifecycle.finalise(vault, record_id)
        page.reload()

        # History, intact and then broken.
        page.lifecycle.history_button.click()
        assert page.lifecycle.dialog is not None
        save(page.lifecycle.dialog, out / "history.png")
        page.lifecycle.dialog.close()
        with vault.transaction() as session:
            first = session.scalars(select(RecordVersion).where(
                RecordVersion.record_id == record_id, RecordVersion.number == 1)).one()
            first.content = {**first.content, "tampered": True}
        page.lifecycle.history_button.click()
        assert page.lifecycle.dialog is not None
        save(page.lifecycle.dialog, out / "history-broken.png")
        page.lifecycle.dialog.close()

        # The verify window: the exported file, then a copy with one byte changed.
        (pdf,) = exports.glob("*.pdf")
        window = VerifyWindow(vault)
        window.show()
        save(window, out / "verify-empty.png")
        window.verify(pdf)
        wait_for(lambda: window.boxes)
        save(window, out / "verify-valid.png")
        data = bytearray(pdf.read_bytes())
        found = re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)", data)
        assert found is not None
        data[data.index(b"stream", 0, int(found.group(1))) + 40] ^= 0x01
        altered = exports / "altered.pdf"
        altered.write_bytes(bytes(data))
        window.verify(altered)
        wait_for(lambda: window.boxes)
        save(window, out / "verify-altered.png")
        window.close()
        vault.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT)
