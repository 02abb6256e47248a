"""Screenshots of locking with a half-filled Add person open: the lock screen's message,
and the dialog back with what was typed after unlocking.

Also a test (tests/ui/test_screens.py: nothing cut off, nothing blank); run it to look at
the screens with fictional content.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshot_lock [OUT_DIR]

PNGs go to OUT_DIR (default: screenshots/ in the checkout, which git ignores).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from supervision_desktop.services import templates, vault_access
from supervision_desktop.store.keyring_cache import MemoryKeyring
from supervision_desktop.ui.common.widgets import STYLE_SHEET
from supervision_desktop.ui.people.person_editor import PersonDialog
from supervision_desktop.ui.shell.app import DesktopApp
from supervision_desktop.ui.shell.main_window import MainWindow
from supervision_desktop.ui.shell.unlock import UnlockWindow
from tests.ui.screens import save

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "screenshots"
PASSPHRASE = "correct horse battery staple"


def settle(ms: int = 80) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main(out: Path = DEFAULT_OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setStyleSheet(STYLE_SHEET)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "vault"
        keyring = MemoryKeyring()
        created = vault_access.create_vault(folder, owner_name="Morgan Testwell",
                                            role="supervisor", passphrase=PASSPHRASE,
                                            remember=keyring)
        created.vault.close()
        desktop = DesktopApp(folder, keyring, templates.catalogue(), idle_minutes=30)
        desktop.start()
        window = desktop.window
        assert isinstance(window, MainWindow)
        window.resize(1280, 800)
        window.navigation.setCurrentRow(2)  # People
        dialog = window.people.add_person()
        dialog.kind.setCurrentIndex(dialog.kind.findData("carer"))
        dialog.input("name").setText("The Dŵr-Jones household <b>& co</b>")
        carers = dialog.input("carers")
        carers.setPlainText("Gwen Dŵr-Jones\nأحمد Ali 🙂")  # type: ignore[attr-defined]
        save(dialog, out / "lock-1-dialog-before.png")

        desktop.lock()
        unlock = desktop.window
        assert isinstance(unlock, UnlockWindow)
        unlock.resize(900, 640)
        save(unlock, out / "lock-2-lock-screen.png")

        unlock.passphrase.setText(PASSPHRASE)
        unlock.unlock_button.click()
        while not isinstance(desktop.window, MainWindow):
            settle(100)
        again = next(w for w in app.topLevelWidgets()
                     if isinstance(w, PersonDialog) and w.isVisible())
        save(desktop.window, out / "lock-3-after-unlock-window.png")
        save(again, out / "lock-4-dialog-back.png")
        desktop.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT)
