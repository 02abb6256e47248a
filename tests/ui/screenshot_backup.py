"""Screenshots of the backup reminder, the restore dialog and the transfer dialogs.

Also a test (tests/ui/test_screens.py: nothing cut off, nothing blank); run it to look at
the screens with fictional content.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshot_backup [OUT_DIR]

PNGs go to OUT_DIR (default: screenshots/ in the checkout, which git ignores).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from supervision_desktop.services import backup, people, templates, transfer, vault_access
from supervision_desktop.store import settings
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.keyfile import new_recovery_key
from supervision_desktop.store.keyring_cache import MemoryKeyring
from supervision_desktop.ui.common.widgets import STYLE_SHEET
from supervision_desktop.ui.people import transfer_bundle
from supervision_desktop.ui.shell.main_window import MainWindow
from supervision_desktop.ui.vault_admin import backup_and_restore
from tests.ui.screens import save, wait_until
from tests.whole_file import make_whole_file

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "screenshots"
PASSPHRASE = "correct horse battery staple"


def main(out: Path = DEFAULT_OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setStyleSheet(STYLE_SHEET)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        vault = vault_access.create_vault(root / "vault", owner_name="Morgan Testwell",
                                          role="supervisor", passphrase=PASSPHRASE).vault
        made = make_whole_file(vault)
        with vault.transaction() as session:
            last = dt.datetime.now(dt.UTC) - dt.timedelta(days=12)
            settings.write(session, settings.LAST_BACKUP_AT, last.isoformat())
        window = MainWindow(vault, templates.catalogue(), MemoryKeyring(),
                            owner_name="Morgan Testwell")
        window.resize(1280, 800)
        window.show()
        save(window, out / "backup-reminder.png")

        path = backup.back_up(vault, root / backup.default_file_name()).path
        other, _ = vaults.create(root / "old-laptop-vault", PASSPHRASE, new_recovery_key())
        other.close()
        restore = backup_and_restore.RestoreDialog(
            backup_file=path, folder=root / "old-laptop-vault",
            open_folder=vault.folder, parent=window)
        restore.open()
        restore.passphrase.setText(PASSPHRASE)
        restore.start()  # the replace box is not ticked: the dialog says so
        save(restore, out / "backup-restore-replace.png")
        restore.use_recovery.setChecked(True)
        restore.folder.setText(str(root / "new-laptop-vault"))
        save(restore, out / "backup-restore-recovery.png")
        restore.reject()

        exported = transfer.export_person(vault, made.person_id, root / "bundle.sdtransfer")
        shown = transfer_bundle.PassphraseShown(exported, people.get_person(vault, made.person_id)
                                            .name, window)
        shown.open()
        save(shown, out / "transfer-passphrase.png")
        shown.reject()
        importing = transfer_bundle.ImportDialog(vault, exported.path, window)
        importing.open()
        importing.passphrase.setText("WRONG-WRONG-WRONG-WRONG-WRONG")
        importing.start()
        wait_until(lambda: bool(importing.error.text()))  # the wrong passphrase is refused
        save(importing, out / "transfer-import-wrong.png")
        importing.reject()

        window.show_person(made.person_id)
        save(window, out / "transfer-person-page.png")
        window.close()
        vault.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT)
