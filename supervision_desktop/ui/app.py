"""The GUI's composition: first run or unlock, the main window, locking (Ctrl+L and idle).

`run_gui` is called by ``__main__``; `DesktopApp` wires the windows together and owns the
open vault, so locking closes the database and drops the key in one place.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from supervision_desktop.domain.templates import TemplateCatalogue
from supervision_desktop.errors import UserError
from supervision_desktop.services import certificates, templates, vault_access
from supervision_desktop.services.info import vault_info
from supervision_desktop.services.vault_access import NewVault, Unlocked
from supervision_desktop.store.keyring_cache import KeyCache
from supervision_desktop.store.vault import Vault, vault_exists
from supervision_desktop.ui.first_run import FirstRunWindow
from supervision_desktop.ui.idle import IdleWatcher
from supervision_desktop.ui.main_window import MainWindow
from supervision_desktop.ui.messages import describe
from supervision_desktop.ui.unlock import UnlockWindow
from supervision_desktop.ui.widgets import STYLE_SHEET


class DesktopApp(QObject):
    """Which window is showing, and the vault while it is unlocked."""

    def __init__(
        self,
        folder: Path,
        key_cache: KeyCache,
        catalogue: TemplateCatalogue,
        *,
        idle_minutes: float | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self._key_cache = key_cache
        self._catalogue = catalogue
        self._idle_override = idle_minutes
        self.vault: Vault | None = None
        self.window: QWidget | None = None
        self.idle = IdleWatcher(idle_minutes or vault_access.DEFAULT_IDLE_LOCK_MINUTES, self)
        self.idle.idle.connect(self.lock)
        self.idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)

    def start(self) -> None:
        if not vault_exists(self.folder):
            self._show(FirstRunWindow(self.folder, self._create_vault))
            return
        try:
            remembered = vault_access.unlock_from_keyring(self.folder, self._key_cache)
        except UserError as exc:  # e.g. another copy has it open: say so on the unlock window
            self._show_unlock(describe(exc))
            return
        if remembered is not None:
            self._unlocked(Unlocked(remembered))
        else:
            self._show_unlock()

    # --- windows ----------------------------------------------------------------------

    def _show(self, window: QWidget) -> None:
        previous = self.window
        self.window = window
        if isinstance(window, FirstRunWindow):
            window.finished.connect(self._unlocked)
        elif isinstance(window, UnlockWindow):
            window.unlocked.connect(self._unlocked)
        window.show()
        if previous is not None:
            previous.close()
            previous.deleteLater()

    def _show_unlock(self, notice: str = "") -> None:
        self._show(UnlockWindow(
            self.folder,
            lambda passphrase, remember: vault_access.unlock_with_passphrase(
                self.folder, passphrase, self._key_cache if remember else None
            ),
            lambda key, new: Unlocked(
                vault_access.unlock_with_recovery_key(self.folder, key, new)
            ),
            notice=notice,
        ))

    def _create_vault(
        self, name: str, role: str, passphrase: str, remember: bool, policy: str | None
    ) -> NewVault:
        return vault_access.create_vault(
            self.folder, owner_name=name, role=role, passphrase=passphrase,
            remember=self._key_cache if remember else None, policy_profile=policy,
        )

    def _unlocked(self, result: Unlocked) -> None:
        self.vault = result.vault
        info = vault_info(result.vault)
        main = MainWindow(result.vault, self._catalogue, self._key_cache,
                          owner_name=info.owner_name)
        main.lock_requested.connect(self.lock)
        main.backup_controller.switch_requested.connect(self.switch_to)
        self._show(main)
        if result.keyring_notice:
            main.statusBar().showMessage(result.keyring_notice, 15000)
        main.idle_minutes_changed.connect(self.idle.set_minutes)
        self.idle.set_minutes(self._idle_override or vault_access.idle_lock_minutes(result.vault))

    def lock(self) -> None:
        """Save whatever is open, close the database and forget the key; show unlock."""
        if self.vault is None:
            return
        self.idle.stop()
        if isinstance(self.window, MainWindow):
            self.window.save_everything()
        vault, self.vault = self.vault, None
        self._show_unlock("Locked. Your work was saved.")
        certificates.forget_signer(vault)
        vault.close()

    def switch_to(self, folder: Path) -> None:
        """Lock this vault and open another (a vault just restored from a backup)."""
        self.lock()
        self.folder = Path(folder)
        self.start()

    def shutdown(self) -> None:
        if isinstance(self.window, MainWindow):
            self.window.save_everything()
        if self.vault is not None:
            certificates.forget_signer(self.vault)
            self.vault.close()
            self.vault = None


APP_ID = "org.supervisiondesktop.SupervisionDesktop"  # the .desktop file's name (packaging/)


def app_icon() -> QIcon:
    """The application's icon at every shipped size (the same as the installers use)."""
    from supervision_desktop.paths import icons_dir

    icon = QIcon()
    for path in sorted(icons_dir().glob("supervision-desktop-*.png")):
        icon.addFile(str(path))
    return icon


def run_gui(vault_dir: str | None) -> int:
    from supervision_desktop.paths import default_vault_dir
    from supervision_desktop.store.keyring_cache import SystemKeyring

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Supervision Desktop")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    app.setStyleSheet(STYLE_SHEET)
    folder = Path(vault_dir).expanduser() if vault_dir else default_vault_dir()
    desktop = DesktopApp(folder, SystemKeyring(), templates.catalogue())
    app.aboutToQuit.connect(desktop.shutdown)
    desktop.start()
    return app.exec()
