"""The main window: navigation between pages, the open record, and the vault menu.

It owns no business logic: pages are built from the collaborators passed in, and
locking is asked of the application through the `lock_requested` signal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from supervision_desktop.domain.templates import TemplateCatalogue
from supervision_desktop.errors import UserError
from supervision_desktop.services import vault_access
from supervision_desktop.store.keyring_cache import KeyCache
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.actions.actions_page import ActionsView
from supervision_desktop.ui.carer import documents_page
from supervision_desktop.ui.carer.notes_page import NotesView
from supervision_desktop.ui.carer.supervisions_page import (
    CarerSupervisionsView,
    add_received_buttons,
)
from supervision_desktop.ui.common.kept_input import DialogState, KeepsInput
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.widgets import inform
from supervision_desktop.ui.compliance.dashboard_page import DashboardView
from supervision_desktop.ui.compliance.monitoring_page import MonitoringSheetDialog
from supervision_desktop.ui.people import transfer_bundle
from supervision_desktop.ui.people.people_page import PeopleView
from supervision_desktop.ui.records.new_record_dialog import NewRecordDialog
from supervision_desktop.ui.records.record_actions import RecordActions
from supervision_desktop.ui.records.record_page import DraftState, RecordPage
from supervision_desktop.ui.records.records_page import RecordsView
from supervision_desktop.ui.records.search_page import SearchView
from supervision_desktop.ui.shell import help_dialogs
from supervision_desktop.ui.shell.carer_mode import (
    CARER_AUDIENCES,
    STAFF_AUDIENCES,
    import_dropped,
    is_carer_vault,
    pdfs_from,
)
from supervision_desktop.ui.vault_admin import audit_page, backup_and_restore, retention_page
from supervision_desktop.ui.vault_admin.change_passphrase_dialog import ChangePassphraseDialog
from supervision_desktop.ui.vault_admin.verify_window import VerifyWindow, pdf_from


@dataclass(frozen=True)
class Page:
    title: str
    widget: QWidget


@dataclass(frozen=True)
class Place:
    """Where the person was when the vault locked: the page (its row in the navigation),
    the person shown on the People page, and the record open, if any, with what could not
    be saved in it (in memory)."""

    row: int
    record_id: str | None = None
    unsaved: DraftState | None = None
    person_id: str | None = None


@dataclass(frozen=True)
class Saved:
    """What `save_everything` did: ok is False if an open record or note was not saved."""

    ok: bool
    anything_open: bool


class MainWindow(QMainWindow):
    lock_requested = Signal()
    idle_minutes_changed = Signal(float)
    navigation: QListWidget  # made after the pages, whose signals may already refer to it
    save_on_close = True  # False once a lock has saved (a failed save is not tried twice)

    def __init__(
        self,
        vault: Vault,
        catalogue: TemplateCatalogue,
        key_cache: KeyCache,
        *,
        owner_name: str,
        carer: bool | None = None,  # None: as the vault's role says
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._vault = vault
        self._catalogue = catalogue
        self._key_cache = key_cache
        self._record_page: RecordPage | None = None
        self._verify_window: VerifyWindow | None = None
        self.setAcceptDrops(True)  # a dropped PDF opens the verify window (a carer's: imports)
        self.carer_mode = is_carer_vault(vault) if carer is None else carer
        self.setWindowTitle(f"Supervision Desktop — {owner_name}")
        self.resize(1280, 800)

        self.people = PeopleView(vault, catalogue, load=False)  # filled when shown
        self.actions_page = ActionsView(vault, load=False)  # filled when shown
        self.search_page = SearchView(vault)
        if self.carer_mode:  # a foster carer: no staff dashboard, no staff templates
            self.supervisions = CarerSupervisionsView(vault)
            self.notes_page = NotesView(vault)
            self._pages = [Page("My supervisions", self.supervisions),
                           Page("Actions", self.actions_page), Page("Notes", self.notes_page),
                           Page("People", self.people), Page("Search", self.search_page)]
            self.supervisions.open_record_requested.connect(self.open_record)
            self.supervisions.new_record_requested.connect(lambda: self.new_record(None))
            self.supervisions.show_actions_requested.connect(
                lambda: self.navigation.setCurrentRow(1))  # the Actions page
        else:
            self._build_staff_pages(vault, catalogue)
        self.navigation = QListWidget()
        self.navigation.setAccessibleName("Sections of the application")
        self.navigation.setFixedWidth(180)
        self.stack = QStackedWidget()
        for page in self._pages:
            self.navigation.addItem(page.title)
            self.stack.addWidget(page.widget)
        self.navigation.currentRowChanged.connect(self._show_page)
        self.navigation.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.statusBar().addPermanentWidget(QLabel(f"{owner_name} · vault unlocked"))

        self.people.open_record_requested.connect(self.open_record)
        self.people.new_record_for_person.connect(self.new_record)
        self.actions_page.open_record_requested.connect(self.open_record)
        self.search_page.open_record_requested.connect(self.open_record)
        self._build_search_box()
        self._build_menus()
        self.backup_controller = backup_and_restore.install(self, vault)
        transfer_bundle.install(self, vault)
        retention_page.install(self, vault)  # Vault → Retention review…
        audit_page.install(self, vault)  # Vault → Audit log…

    def _build_staff_pages(self, vault: Vault, catalogue: TemplateCatalogue) -> None:
        self.dashboard = DashboardView(vault)
        self.records = RecordsView(vault, catalogue, load=False)  # filled when shown
        self._pages = [Page("Dashboard", self.dashboard), Page("Records", self.records),
                       Page("People", self.people), Page("Actions", self.actions_page),
                       Page("Search", self.search_page)]
        self.records.open_record_requested.connect(self.open_record)
        self.records.new_record_requested.connect(lambda: self.new_record(None))
        self.dashboard.open_record_requested.connect(self.open_record)
        self.dashboard.open_person_requested.connect(self.show_person)

    # --- menus ------------------------------------------------------------------------

    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
                slot: object) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self._action("&New record…", QKeySequence.StandardKey.New,
                                         lambda: self.new_record(None)))
        file_menu.addAction(self._action("&Verify a signed PDF…", None,
                                         lambda: self.open_verify_window(None)))
        file_menu.addAction(self._action("&Import signed PDF…", None, self.import_signed_pdfs))
        file_menu.addSeparator()
        self.lock_action = self._action("&Lock", "Ctrl+L", self.lock_requested.emit)
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self._action("&Quit", QKeySequence.StandardKey.Quit, self.close))
        if not self.carer_mode:  # the agency's tools; a carer's vault has no dashboard
            supervision_menu = self.menuBar().addMenu("&Supervision")
            supervision_menu.addAction(self._action("Record a &cancellation…", None,
                                                    self.record_cancellation))
            supervision_menu.addAction(self._action("&Monitoring sheet…", None,
                                                    self.monitoring_sheet))
            supervision_menu.addSeparator()
            supervision_menu.addAction(self._action("&Policy profile…", None,
                                                    self.policy_profile))
        vault_menu = self.menuBar().addMenu("&Vault")
        vault_menu.addAction(self._action("Change &passphrase…", None, self._change_passphrase))
        vault_menu.addAction(self._action("&Recovery key…", None, self._recovery_key))
        self.remember_action = QAction("Remember on this &device", self)
        self.remember_action.setCheckable(True)
        self.remember_action.setChecked(vault_access.is_remembered(self._vault, self._key_cache))
        self.remember_action.toggled.connect(self._set_remembered)
        vault_menu.addAction(self.remember_action)
        vault_menu.addAction(self._action("Lock after &idle time…", None, self._idle_setting))
        help_menu = self.menuBar().addMenu("&Help")
        self.help_action = self._action("&Help for what is open",
                                        QKeySequence.StandardKey.HelpContents, self.show_help)
        help_menu.addAction(self.help_action)
        help_menu.addAction(self._action("&User guide", None, self.show_user_guide))
        help_menu.addAction(self._action("&About Supervision Desktop", None, self.show_about))

    # --- pages and records ------------------------------------------------------------

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        self._close_record_page()
        self.stack.setCurrentIndex(row)
        page = self._pages[row].widget
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()

    def open_record(self, record_id: str) -> None:
        self._close_record_page()
        page = RecordPage(self._vault, record_id)
        page.closed.connect(self._back_to_list)
        self._record_page = page
        if self.carer_mode:  # a received record: "Respond…" and "Countersign…" too
            add_received_buttons(page, self._vault, record_id, self.open_record)
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)

    def _back_to_list(self) -> None:
        self._show_page(max(0, self.navigation.currentRow()))

    def _close_record_page(self) -> None:
        page = self._record_page
        if page is None:
            return
        page.save_now()
        self.stack.removeWidget(page)
        page.deleteLater()
        self._record_page = None

    def new_record(self, person_id: str | None) -> NewRecordDialog:
        dialog = NewRecordDialog(
            self._vault, self._catalogue, person_id, parent=self,
            audiences=CARER_AUDIENCES if self.carer_mode else STAFF_AUDIENCES,
        )
        dialog.record_created.connect(self.open_record)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def save_everything(self) -> Saved:
        """Flush any pending autosave: called before locking, closing or quitting."""
        ok, anything_open = True, False
        if self._record_page is not None:
            anything_open = not self._record_page.read_only
            ok = self._record_page.save_now()
        if self.carer_mode:
            anything_open = True
            ok = self.notes_page.save_now() and ok
        return Saved(ok, anything_open)

    # --- locking: where the person was, and the dialogs they had open --------------------

    def place(self) -> Place:
        """The page shown and the open record (with its unsaved input, if a save failed)."""
        row = max(0, self.navigation.currentRow())
        person = self.people.selected_person_id() if self._pages[row].widget is self.people \
            else None
        page = self._record_page
        if page is None:
            return Place(row, person_id=person)
        return Place(row, page.record_id, page.unsaved_state(), person)

    def return_to(self, place: Place) -> None:
        """Show the page and record of `place` again (after unlock)."""
        self.navigation.setCurrentRow(min(place.row, len(self._pages) - 1))
        if place.person_id is not None and self.stack.currentWidget() is self.people:
            self.people.select_person(place.person_id)  # shows "choose" if they are gone
        if place.record_id is None:
            return
        try:
            self.open_record(place.record_id)
        except UserError as exc:  # e.g. deleted meanwhile from the command line
            self.statusBar().showMessage(
                f"The record you had open could not be opened again: {describe(exc)}", 15000)
            return
        if place.unsaved is not None and self._record_page is not None:
            self._record_page.restore_unsaved(place.unsaved)

    def open_dialogs(self) -> list[QDialog]:
        """The dialogs showing over this window, the one opened last first."""
        shown = [d for d in self.findChildren(QDialog) if d.isVisible()]
        return shown[::-1]

    def keep_dialogs(self) -> list[DialogState]:
        """Take the input of every open dialog that keeps it, then close them all (their
        code after closing runs now, while the vault is still open)."""
        dialogs = self.open_dialogs()
        kept = [d.capture_state() for d in dialogs if isinstance(d, KeepsInput)]
        for dialog in dialogs:
            dialog.reject()
        return kept[::-1]  # the order they were opened in

    def reopen_dialogs(self, kept: list[DialogState]) -> None:
        """Open the kept dialogs again the usual way and give them their input back."""
        openers: dict[str, Callable[[DialogState], QDialog | None]] = {
            "add_person": lambda _state: self.people.add_person(),
            "edit_person": lambda state: self.people.edit_person(str(state.context[0])),
            "new_record": lambda state: self.new_record(state.context[0]),
            "close_action": self._reopen_close_action,
            "amend": lambda state: self._reopen_on_record(state, RecordActions.amend),
            "mark_uploaded": lambda state: self._reopen_on_record(
                state, RecordActions.mark_uploaded),
        }
        if not self.carer_mode:
            openers["cancellation"] = lambda _state: self.dashboard.record_cancellation()
            openers["deviation"] = lambda _state: self.dashboard.agree_frequency()
        lost = []
        for state in kept:
            opener = openers.get(state.opener)
            dialog = opener(state) if opener is not None else None
            if dialog is None:  # e.g. the person being edited was deleted meanwhile
                lost.append(state.title)
                continue
            if isinstance(dialog, KeepsInput):
                dialog.restore_state(state)
        if lost:
            self.statusBar().showMessage(
                f"{', '.join(lost)} could not be opened again after unlocking.", 15000)

    def _reopen_close_action(self, state: DialogState) -> QDialog | None:
        action_id, outcome = (str(part) for part in state.context)
        try:
            self.actions_page.select(action_id)
        except KeyError:  # closed meanwhile (from the command line)
            return None
        return self.actions_page.close_selected(outcome)

    def _reopen_on_record(self, state: DialogState,
                          open_it: Callable[[RecordActions], None]) -> QDialog | None:
        """A record's own dialog: opened again on that record, if it is open again."""
        page = self._record_page
        if page is None or page.record_id != state.context[0]:
            return None
        open_it(page.lifecycle)
        dialog = page.lifecycle.dialog
        return dialog if isinstance(dialog, QDialog) else None

    # --- verifying PDFs ---------------------------------------------------------------

    def open_verify_window(self, path: Path | None) -> VerifyWindow:
        """Show the verify window (one, closed with this window), checking path if given."""
        if self._verify_window is None:
            self._verify_window = VerifyWindow(self._vault, self)
        window = self._verify_window
        window.show()
        window.raise_()
        window.activateWindow()
        if path is not None:
            window.verify(path)
        return window

    def import_signed_pdfs(self) -> None:
        """Choose signed PDFs someone sent; keep them (one message per file)."""
        def imported(_results: object) -> None:
            refresh = getattr(self.stack.currentWidget(), "refresh", None)
            if callable(refresh):
                refresh()

        def chosen(paths: list[Path]) -> None:
            documents_page.import_files(self, self._vault, paths, on_done=imported)

        self._import_dialog = documents_page.ask_pdfs(self, chosen)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if pdf_from(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        if self.carer_mode:  # a carer keeps what they were sent
            paths = pdfs_from(event.mimeData())
            if paths:
                event.acceptProposedAction()
                import_dropped(self, self._vault, paths, self._refresh_current)
            return
        path = pdf_from(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            self.open_verify_window(path)

    def _refresh_current(self) -> None:
        refresh = getattr(self.stack.currentWidget(), "refresh", None)
        if callable(refresh):
            refresh()

    # --- what is due, people, search -------------------------------------------------

    def _go_to(self, widget: QWidget) -> None:
        """Show a page without reloading it (the caller has just filled it)."""
        row = next(n for n, page in enumerate(self._pages) if page.widget is widget)
        self._close_record_page()
        self.navigation.blockSignals(True)
        self.navigation.setCurrentRow(row)
        self.navigation.blockSignals(False)
        self.stack.setCurrentIndex(row)

    def show_person(self, person_id: str) -> None:
        """The People page, showing person_id's details and records."""
        self._go_to(self.people)
        self.people.refresh()
        self.people.select_person(person_id)

    def _build_search_box(self) -> None:
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search records (Ctrl+F), then Enter")
        self.search_box.setAccessibleName("Search records")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(320)
        self.search_box.setMaximumWidth(440)
        self.search_box.returnPressed.connect(self.search_records)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar = QToolBar("Search")
        toolbar.setObjectName("searchToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.search_box)
        self.addToolBar(toolbar)
        self.addAction(self._action("Search records", QKeySequence.StandardKey.Find,
                                    self._focus_search))

    def _focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def search_records(self) -> None:
        """Search for what is in the search box and show the results on the Search page."""
        self.search_page.search(self.search_box.text())
        self._go_to(self.search_page)

    def record_cancellation(self) -> None:
        self.dashboard.record_cancellation()

    def policy_profile(self) -> None:
        self.dashboard.change_profile()

    def monitoring_sheet(self) -> None:
        dialog = MonitoringSheetDialog(self._vault, None, self)

        def open_record(record_id: str) -> None:
            dialog.accept()
            self.open_record(record_id)

        dialog.record_created.connect(self.open_record)
        dialog.open_record_requested.connect(open_record)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # --- vault menu -------------------------------------------------------------------

    def _change_passphrase(self) -> None:
        dialog = ChangePassphraseDialog(
            lambda current, new: vault_access.change_passphrase(self._vault, current, new), self,
            owner_name=vault_access.owner_name(self._vault),
        )
        dialog.accepted.connect(
            lambda: self.statusBar().showMessage("Passphrase changed.", 8000)
        )
        dialog.open()

    # --- help ---------------------------------------------------------------------------

    def show_help(self) -> QDialog:
        """F1: the guidance of the form that is open, else the user guide."""
        if self._record_page is not None:
            return self._open_dialog(help_dialogs.form_guidance(self._record_page.form.template,
                                                                self))
        return self.show_user_guide()

    def show_user_guide(self) -> QDialog:
        return self._open_dialog(help_dialogs.user_guide(self))

    def show_about(self) -> QDialog:
        return self._open_dialog(help_dialogs.about(self))

    def _open_dialog(self, dialog: QDialog) -> QDialog:
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _recovery_key(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("Recovery key")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            "A recovery key was set up for this vault. It is never stored on this computer, "
            "so it cannot be shown again.\n\nIf you have lost it, make a new one: the old "
            "key stops working."
        )
        make_new = box.addButton("Make a new recovery key", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.buttonClicked.connect(
            lambda button: self._show_new_recovery_key() if button is make_new else None
        )
        box.open()

    def _show_new_recovery_key(self) -> None:
        key = vault_access.new_recovery_key_for(self._vault)
        box = inform(
            self, "Your new recovery key",
            f"Write this down and keep it safe. It is shown only now.\n\n{key}",
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def _idle_setting(self) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Lock after idle time")
        dialog.setLabelText("Lock the vault after this many minutes without use:")
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(*vault_access.IDLE_LOCK_RANGE)
        dialog.setIntValue(vault_access.idle_lock_minutes(self._vault))
        dialog.intValueSelected.connect(self._set_idle_minutes)
        dialog.open()

    def _set_idle_minutes(self, minutes: int) -> None:
        vault_access.set_idle_lock_minutes(self._vault, minutes)
        self.idle_minutes_changed.emit(float(minutes))
        self.statusBar().showMessage(f"The vault now locks after {minutes} idle minutes.", 8000)

    def _set_remembered(self, remember: bool) -> None:
        if not remember:
            vault_access.forget_on_device(self._vault, self._key_cache)
            self.statusBar().showMessage("This device no longer remembers the vault.", 8000)
            return
        notice = vault_access.remember_on_device(self._vault, self._key_cache)
        if notice:
            self.remember_action.blockSignals(True)
            self.remember_action.setChecked(False)
            self.remember_action.blockSignals(False)
            inform(self, "Remember on this device", notice)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self.save_on_close:
            self.save_everything()
        super().closeEvent(event)
