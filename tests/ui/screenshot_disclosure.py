"""Screenshots of a subject access disclosure (issue 20): the person's page with its
button, the dialog listing the proposed redactions, one name unticked, the file written,
and a folder that cannot be made.

Also a test (tests/ui/test_screens.py: nothing cut off, nothing blank); run it to look at
the screens with realistic (fictional) content.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshot_disclosure [OUT_DIR]

PNGs go to OUT_DIR (default: screenshots/ in the checkout, which git ignores).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QThreadPool  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from supervision_desktop.services import templates, vault_access  # noqa: E402
from supervision_desktop.ui.common import dialogs  # noqa: E402
from supervision_desktop.ui.common.widgets import STYLE_SHEET  # noqa: E402
from supervision_desktop.ui.people.disclosure_dialog import NAME, DisclosureDialog  # noqa: E402
from supervision_desktop.ui.people.people_page import PeopleView  # noqa: E402
from tests.ui.screens import save, wait_until  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "screenshots"
PAGE_SIZE = (1100, 760)  # the main window's content beside its navigation


def main(out: Path = DEFAULT_OUT) -> None:
    sys.path.insert(0, str(ROOT))  # for tests.test_disclosure
    from tests.test_disclosure import _make_family

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setStyleSheet(STYLE_SHEET)
    asked = dialogs.ask_folder
    with tempfile.TemporaryDirectory() as folder:
        created = vault_access.create_vault(
            Path(folder) / "vault", owner_name="Morgan Testwell", role="supervisor",
            passphrase="correct horse battery staple",
        )
        vault = created.vault
        family = _make_family(vault)
        view = PeopleView(vault, templates.catalogue())
        view.resize(*PAGE_SIZE)
        view.show()
        view.refresh()
        view.select_person(family.poppy)
        save(view, out / "disclosure-person-page.png")
        view.select_person(family.worker)  # a worker's page has a transfer button too
        save(view, out / "disclosure-worker-page.png")
        view.select_person(family.poppy)

        dialog = view.page.open_disclosure()
        assert isinstance(dialog, DisclosureDialog)
        save(dialog, out / "disclosure-reviewing.png")
        wait_until(lambda: dialog.proposed is not None)
        save(dialog, out / "disclosure-proposals.png")
        row = next(r for r in range(dialog.table.rowCount())
                   if (item := dialog.table.item(r, NAME)) and item.text() == "Jack")
        tick = dialog.table.item(row, NAME)
        assert tick is not None
        tick.setCheckState(Qt.CheckState.Unchecked)

        blocked = Path(folder) / "a-file"
        blocked.write_text("not a folder")
        dialogs.ask_folder = (  # type: ignore[assignment]
            lambda parent, start, on_chosen: on_chosen(blocked / "Disclosures"))
        dialog.choose_button.click()
        dialog.write_button.click()
        wait_until(lambda: not dialog.error.isHidden())
        save(dialog, out / "disclosure-folder-refused.png")

        dialogs.ask_folder = (  # type: ignore[assignment]
            lambda parent, start, on_chosen: on_chosen(Path(folder) / "Disclosures"))
        dialog.choose_button.click()
        dialog.write_button.click()
        save(dialog, out / "disclosure-writing.png")
        wait_until(lambda: dialog.bundle is not None)
        save(dialog, out / "disclosure-written.png")
        dialog.accept()
        QThreadPool.globalInstance().waitForDone()
        view.close()
        vault.close()
    dialogs.ask_folder = asked  # type: ignore[assignment]


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT)
