"""The GUI's composition: first run or unlock, the main window, locking (Ctrl+L and idle).

`run_gui` is called by ``__main__``; `DesktopApp` wires the windows together and owns the
open vault, so locking closes the database and drops the key in one place.
"""

from __future__ import annotations

import linecache
import logging
import sys
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from supervision_desktop.domain.templates import TemplateCatalogue
from supervision_desktop.errors import UserError, VaultNotAsLastSeen
from supervision_desktop.services import certificates, spelling, templates, vault_access
from supervision_desktop.services.info import vault_info
from supervision_desktop.services.vault_access import NewVault, Unlocked
from supervision_desktop.store.keyring_cache import KeyCache
from supervision_desktop.store.vault import Vault, vault_exists
from supervision_desktop.ui.common import appearance
from supervision_desktop.ui.common.announce import announce
from supervision_desktop.ui.common.background import run_in_background, wait_for_background
from supervision_desktop.ui.common.kept_input import DialogState, lock_message
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import LAYOUT_SHEET
from supervision_desktop.ui.shell import crash_dialog
from supervision_desktop.ui.shell.idle import IdleWatcher
from supervision_desktop.ui.shell.main_window import MainWindow, Place, Saved
from supervision_desktop.ui.shell.unlock import UnlockWindow, read_only_banner
from supervision_desktop.ui.vault_admin import backup_and_restore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeptOverLock:
    """What the person had open when the vault locked, in memory only, for the next
    unlock of the same vault: the page and record, and the open dialogs' input. Plain
    data: nothing here refers to the closed vault or to a window."""

    vault_id: str
    place: Place | None = None
    dialogs: list[DialogState] = field(default_factory=list)


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
        self.kept: KeptOverLock | None = None  # set by lock, given back by the next unlock
        self.idle = IdleWatcher(idle_minutes or vault_access.DEFAULT_IDLE_LOCK_MINUTES, self)
        self.idle.idle.connect(self.lock)
        self.idle.lock_pressed.connect(self.lock)  # Ctrl+L in any window, dialogs' too
        self.idle.quiet.connect(self.checkpoint_when_quiet)
        self.idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)

    def start(self) -> None:
        if not vault_exists(self.folder):
            # Imported here: only a new vault needs it (it is a fiftieth of every start).
            from supervision_desktop.ui.shell.first_run import FirstRunWindow

            first_run = FirstRunWindow(self.folder, self._create_vault)
            first_run.finished.connect(self._unlocked)
            self._show(first_run)
            return
        try:
            remembered = vault_access.unlock_from_keyring(
                self.folder, self._key_cache, full_check=self._damage_seen)
        except UserError as exc:  # e.g. another copy has it open: say so on the unlock window
            self._show_unlock(describe(exc), refused=isinstance(exc, VaultNotAsLastSeen))
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

    def _show_unlock(self, notice: str = "", *, refused: bool = False) -> None:
        self._show(UnlockWindow(
            self.folder,
            lambda passphrase, remember: vault_access.unlock_with_passphrase(
                self.folder, passphrase, self._key_cache if remember else None,
                full_check=self._damage_seen,
            ),
            lambda key, new: Unlocked(
                vault_access.unlock_with_recovery_key(self.folder, key, new)
            ),
            notice=notice, refused=refused,
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
        if result.vault.read_only:  # opened to look at a vault refused as older: say so
            main.statusBar().addPermanentWidget(read_only_banner())
        if result.keyring_notice:
            main.statusBar().showMessage(result.keyring_notice, 15000)
        main.idle_minutes_changed.connect(self.idle.set_minutes)
        self.idle.set_minutes(self._idle_override or vault_access.idle_lock_minutes(result.vault))
        kept, self.kept = self.kept, None
        if kept is not None and kept.vault_id == result.vault.vault_id:
            if kept.place is not None:
                main.return_to(kept.place)
            main.reopen_dialogs(kept.dialogs)
        # the spelling words (100,000 of them) read off the GUI thread once the window
        # shows, so the first form opened does not wait for them
        QTimer.singleShot(self.INTEGRITY_CHECK_DELAY_MS // 2, self, lambda: run_in_background(
            spelling.shipped_words, lambda _words: None, lambda _problem: None))
        if result.check_pending:  # a weak reference: a lock meanwhile lets the vault go
            vault = weakref.ref(result.vault)
            QTimer.singleShot(self.INTEGRITY_CHECK_DELAY_MS, self,
                              lambda: self._check_integrity(vault()))

    # --- the full integrity check, after the window shows -------------------------------

    def _check_integrity(self, vault: Vault | None) -> None:
        """Read every page of the open vault on a background thread (SQLCipher's check)."""
        if vault is None or self.vault is not vault:
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
        """Lock at once, losing nothing: keep the open dialogs' input and the place in
        memory, save what autosaves, close the database and forget the key; show unlock
        saying what happened to the work (and the damage, if a check found the file
        damaged). Each step is one line below, so another (a backup) slots in."""
        if self.vault is None:
            return
        self.idle.stop()
        wait_for_background()  # a disposal or import ends before the lock
        main = self.window if isinstance(self.window, MainWindow) else None
        dialogs = main.keep_dialogs() if main is not None else []  # then closed
        saved = self._save_open_work(main)
        place = main.place() if main is not None else None  # after saving: what failed
        # vault.close() below checkpoints the WAL into vault.db before dropping the key.
        vault, self.vault = self.vault, None
        self.kept = KeptOverLock(vault.vault_id, place, dialogs)
        message = lock_message(
            kept=[d.title for d in dialogs], saved=saved.ok,
            saved_something=saved.anything_open,
            unsaved_kept=place is not None and place.unsaved is not None, damage=damage)
        self._show_unlock(message)
        if self.window is not None:  # the focus moves to a new window: say why, once
            announce(self.window, f"Supervision Desktop is locked. {message}")
        self._auto_backup(vault)
        certificates.forget_signer(vault)
        vault.close()

    def checkpoint_when_quiet(self) -> None:
        """The person paused: copy the WAL into vault.db (in the background; a lock
        waits for it), so a -wal lost to a crash or a careless copy loses little."""
        vault = self.vault
        if vault is not None:
            run_in_background(vault.checkpoint, lambda _done: None,
                              lambda exc: log.warning("Checkpoint when quiet failed: %s",
                                                      type(exc).__name__))

    def _auto_backup(self, vault: Vault) -> None:
        """Back up to the chosen folder if switched on (ui.vault_admin.backup_and_restore):
        planned now, run on a background thread, so the lock is not delayed; a failure is
        added calmly to the unlock window's notice."""
        backup_and_restore.start_auto_backup(vault, self._auto_backup_failed)

    def _auto_backup_failed(self, message: str) -> None:
        if isinstance(self.window, UnlockWindow):
            shown = self.window.notice.text()
            self.window.notice.setText(f"{shown}\n{message}" if shown else message)
            self.window.notice.setVisible(True)

    @staticmethod
    def _save_open_work(main: MainWindow | None) -> Saved:
        """Flush the open record's and notes' pending autosave; never stops the lock."""
        if main is None:
            return Saved(ok=True, anything_open=False)
        main.save_on_close = False  # saved here, once: closing it then does not try again
        try:
            return main.save_everything()
        except Exception as exc:  # e.g. a damaged file refusing the save: still lock
            log.error("Saving before the lock failed: %s", type(exc).__name__)
            return Saved(ok=False, anything_open=True)

    def switch_to(self, folder: Path) -> None:
        """Lock this vault and open another (a vault just restored from a backup)."""
        self.lock()
        self.kept = None  # the other vault's work is not this one's
        self.folder = Path(folder)
        self.start()

    def shutdown(self) -> None:
        """Save what autosaves and close the vault. Input kept over a lock is dropped
        here: it was held only in memory, and without the key nothing can be saved."""
        self.kept = None
        wait_for_background()
        if isinstance(self.window, MainWindow):
            self.window.save_everything()
        if self.vault is not None:
            plan = backup_and_restore.plan_at_close(self.vault)
            certificates.forget_signer(self.vault)
            self.vault.close()
            self.vault = None
            problem = backup_and_restore.auto_backup_at_close(plan)  # the window is already gone
            if problem:
                print(problem, file=sys.stderr)


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
    from supervision_desktop.services.backup import remove_stale_temporaries
    from supervision_desktop.store.keyring_cache import SystemKeyring

    remove_stale_temporaries()  # what a killed backup left in the temporary folder
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Supervision Desktop")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    appearance.follow_platform(app, LAYOUT_SHEET)  # light, dark or high contrast, as the OS is
    folder = Path(vault_dir).expanduser() if vault_dir else default_vault_dir()
    try:
        offered = templates.offered()  # the agency pack's forms, or every shipped one
    except UserError as exc:  # a broken agency pack: say so, never half-use it
        QMessageBox.critical(None, "Supervision Desktop", str(exc))
        return 1
    desktop = DesktopApp(folder, SystemKeyring(), offered)
    crash_dialog.install(desktop)  # an unexpected error: work saved, a calm message, a report
    app.aboutToQuit.connect(desktop.shutdown)
    desktop.start()
    # PySide6 read the source of every module imported after it into linecache (see
    # __main__._preload_before_qt); nothing needs it kept, tracebacks read it again.
    linecache.clearcache()
    return app.exec()
