"""The GUI's composition: first run or unlock, the main window, locking (Ctrl+L and idle).

`run_gui` is called by ``__main__``; `DesktopApp` wires the windows together and owns the
open vault, so locking closes the database and drops the key in one place.
"""

from __future__ import annotations

import linecache
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from supervision_desktop.domain.templates import TemplateCatalogue
from supervision_desktop.errors import UserError
from supervision_desktop.services import certificates, templates, vault_access
from supervision_desktop.services.info import vault_info
from supervision_desktop.services.vault_access import NewVault, Unlocked
from supervision_desktop.store.keyring_cache import KeyCache
from supervision_desktop.store.vault import Vault, vault_exists
from supervision_desktop.ui import crash_dialog
from supervision_desktop.ui.idle import IdleWatcher
from supervision_desktop.ui.main_window import MainWindow
from supervision_desktop.ui.messages import describe
from supervision_desktop.ui.operations import run_in_background
from supervision_desktop.ui.unlock import UnlockWindow
from supervision_desktop.ui.widgets import STYLE_SHEET


class DesktopApp(QObject):
    """Which window is showing, and the vault while it is unlocked.

    Unlocking does a quick integrity check; the full one (every page: 0.65 s for ten
    years of records) runs on a background thread a moment after the main window shows,
    and locks the vault with the damage message if it fails (see store.vault).
    """

    INTEGRITY_CHECK_DELAY_MS = 1500  # after the window shows: its first pages come first

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
        # Damage found by a background check: from then on, unlocking checks every page
        # first, so the unlock window says why instead of opening a damaged vault again.
        self._damage_seen = False
        self.idle = IdleWatcher(idle_minutes or vault_access.DEFAULT_IDLE_LOCK_MINUTES, self)
        self.idle.idle.connect(self.lock)
        self.idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)

    def start(self) -> None:
        if not vault_exists(self.folder):
            # Imported here: only a new vault needs it (it is a fiftieth of every start).
            from supervision_desktop.ui.first_run import FirstRunWindow

            first_run = FirstRunWindow(self.folder, self._create_vault)
            first_run.finished.connect(self._unlocked)
            self._show(first_run)
            return
        try:
            remembered = vault_access.unlock_from_keyring(
                self.folder, self._key_cache, full_check=self._damage_seen)
        except UserError as exc:  # e.g. another copy has it open: say so on the unlock window
            self._show_unlock(describe(exc))
            return
        if remembered is not None:
            self._unlocked(Unlocked(remembered, check_pending=not self._damage_seen))
        else:
            self._show_unlock()

    # --- windows ----------------------------------------------------------------------

    def _show(self, window: QWidget) -> None:
        previous = self.window
        self.window = window
        if isinstance(window, UnlockWindow):
            window.unlocked.connect(self._unlocked)
        window.show()
        if previous is not None:
            previous.close()
            previous.deleteLater()

    def _show_unlock(self, notice: str = "") -> None:
        self._show(UnlockWindow(
            self.folder,
            lambda passphrase, remember: vault_access.unlock_with_passphrase(
                self.folder, passphrase, self._key_cache if remember else None,
                full_check=self._damage_seen,
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
        if result.check_pending:
            vault = result.vault
            QTimer.singleShot(self.INTEGRITY_CHECK_DELAY_MS, self,
                              lambda: self._check_integrity(vault))

    # --- the full integrity check, after the window shows -------------------------------

    def _check_integrity(self, vault: Vault) -> None:
        """Read every page of the open vault on a background thread (SQLCipher's check)."""
        if self.vault is not vault:
            return  # locked (or switched) meanwhile
        run_in_background(lambda: vault_access.check_integrity(vault),
                          lambda problem: self._integrity_checked(vault, problem),
                          lambda exc: self._integrity_not_checked(vault, exc))

    def _integrity_checked(self, vault: Vault, problem: str | None) -> None:
        if problem is None or self.vault is not vault:
            return
        self._damage_seen = True
        self.lock(problem)

    def _integrity_not_checked(self, vault: Vault, exc: Exception) -> None:
        """The check could not run (e.g. the disk was busy): nothing was found, so the
        vault stays open; the next unlock checks again."""
        if self.vault is vault and isinstance(self.window, MainWindow):
            self.window.statusBar().showMessage(
                f"The check of every page of the vault could not run: {describe(exc)}", 15000)

    def lock(self, damage: str = "") -> None:
        """Save whatever is open, close the database and forget the key; show unlock (with
        the damage message, if a background check found the file damaged)."""
        if self.vault is None:
            return
        self.idle.stop()
        saved = True
        if isinstance(self.window, MainWindow):
            try:
                self.window.save_everything()
            except Exception:  # a damaged file may refuse the save; say so, still lock
                if not damage:
                    raise
                saved = False
        vault, self.vault = self.vault, None
        if damage:
            self._show_unlock(damage + ("" if saved else " What you typed last could not "
                                        "be saved."))
        else:
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
    crash_dialog.install(desktop)  # an unexpected error: work saved, a calm message, a report
    app.aboutToQuit.connect(desktop.shutdown)
    desktop.start()
    # PySide6 read the source of every module imported after it into linecache (see
    # __main__._preload_before_qt); nothing needs it kept, tracebacks read it again.
    linecache.clearcache()
    return app.exec()
