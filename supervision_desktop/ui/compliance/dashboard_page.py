"""The dashboard: who is due or overdue for supervision, and what is unfinished.

Everything comes from one call, ``services.compliance.due_report``, made again each time
the page is shown. Long lists (years of unclosed actions) show their most urgent
``DASHBOARD_ROWS`` rows, with the whole count and where to see the rest. Each list
clicks through (double-click or Enter): a person's row asks for their People page, a
record's row for the record itself. Statuses are words ("Overdue by 12 days"), coloured
as well, never colour alone; each due date names the policy rule and the line of the
seed policy it comes from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.domain.schedule import DueStatus
from supervision_desktop.errors import UserError
from supervision_desktop.services import cancellations, compliance
from supervision_desktop.services.compliance import DueEntry, DueReport
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.actions.action_columns import action_columns
from supervision_desktop.ui.common import theme
from supervision_desktop.ui.common.columns import (
    TONE_COLOURS,
    Column,
    ColumnsModel,
    Tone,
    fit_columns,
    plain_tip,
)
from supervision_desktop.ui.common.messages import describe
from supervision_desktop.ui.common.record_table import RecordTable
from supervision_desktop.ui.common.widgets import heading, muted
from supervision_desktop.ui.compliance.cancellation_dialog import CancellationDialog
from supervision_desktop.ui.compliance.dashboard_chart import Bar, BarChart
from supervision_desktop.ui.compliance.deviation_dialog import DeviationDialog
from supervision_desktop.ui.compliance.due_columns import (
    AGREEMENT_COLUMNS,
    PEOPLE_COLUMNS,
    RECORD_COLUMNS,
    SHORT_SESSION_COLUMNS,
)
from supervision_desktop.ui.compliance.policy_profile_dialog import PolicyProfileDialog

RECORDS_PAGE = "the Records page"
DASHBOARD_ROWS = 50  # the most urgent rows of each long list; the counts are always whole
NOBODY = ("Nobody to supervise yet. Add supervisees and children on the People page: "
          "their due dates appear here.")


class Section(QWidget):
    """A titled list that fits its rows (up to a limit) and says so when it is empty."""

    def __init__(self, title: str, columns: Sequence[Column[Any]], key: Callable[[Any], str],
                 empty: str, *, stretch: int, sort: int = 0, most_rows: int = 8,
                 see_all: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.see_all = see_all  # where the whole list is, when only its first rows show
        self.most_rows = most_rows
        self.stretch = stretch
        self.heading = QLabel(title)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.heading.setFont(font)
        self.model: ColumnsModel[Any] = ColumnsModel(columns, key, self)
        self.proxy = self.model  # it sorts itself (fast on thousands of rows)
        self.table = RecordTable()
        self.table.setAccessibleName(title)
        self.table.setModel(self.proxy)
        self.table.sortByColumn(sort, Qt.SortOrder.AscendingOrder)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty = muted(empty)
        self.more = muted("")
        self.more.hide()
        self.open_requested = self.table.open_requested
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
        layout.addWidget(self.more)
        layout.addWidget(self.empty)

    def set_rows(self, rows: Sequence[Any], total: int | None = None) -> None:
        """Show ``rows``; ``total``: how many there are in all when these are the first."""
        total = len(rows) if total is None else max(total, len(rows))
        self.model.set_rows(rows)
        self.heading.setText(f"{self.title} ({total:,})")
        hidden = total - len(rows)
        self.more.setText(f"Showing the {len(rows):,} most urgent, and {hidden:,} more"
                          + (f" — see {self.see_all}." if self.see_all else "."))
        self.more.setVisible(hidden > 0)
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        fit_columns(self.table, self.stretch)
        shown = min(len(rows), self.most_rows)
        header = self.table.horizontalHeader().sizeHint().height()
        row = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(header + shown * row + 2 * self.table.frameWidth() + 2)

    def current_key(self) -> str | None:
        index = self.table.currentIndex()
        return index.siblingAtColumn(0).data(ColumnsModel.ID_ROLE) if index.isValid() else None


def _counts(report: DueReport) -> list[Bar]:
    def people(status: DueStatus) -> int:
        return sum(1 for e in report.people if e.status is status)

    colours = theme.current()
    red, green = TONE_COLOURS[Tone.OVERDUE].name(), TONE_COLOURS[Tone.OK].name()
    return [
        Bar("Overdue", people(DueStatus.OVERDUE), red),
        Bar("Due soon", people(DueStatus.DUE), colours.bar_due),
        Bar("Up to date", people(DueStatus.OK), green),
        Bar("Drafts", report.total("drafts"), colours.bar_drafts, new_group=True),
        Bar("Not uploaded", report.total("not_exported") + report.total("not_uploaded"),
            colours.bar_unsent),
        Bar("Overdue actions", report.total("overdue_actions"), red),
    ]


class DashboardView(QWidget):
    open_record_requested = Signal(str)
    open_person_requested = Signal(str)

    def __init__(self, vault: Vault, *, today: Callable[[], dt.date] = dt.date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._today = today
        self.report: DueReport | None = None
        self.dialog: QDialog | None = None  # the last dialog opened from here

        self.as_of = muted("")
        self.profile = QLabel()
        self.profile.setTextFormat(Qt.TextFormat.PlainText)
        self.profile.setWordWrap(True)
        self.profile.setAccessibleName("Policy profile in use")
        self.change_button = QPushButton("C&hange…")
        self.change_button.setAccessibleName("Change the policy profile")
        self.change_button.clicked.connect(self.change_profile)
        self.problem = QLabel()
        self.problem.setObjectName("error")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.hide()
        profile_row = QHBoxLayout()
        profile_row.addWidget(self.profile, 1)
        profile_row.addWidget(self.change_button, 0, Qt.AlignmentFlag.AlignTop)
        self.chart = BarChart("Summary of what is due")
        intro = QVBoxLayout()
        intro.addWidget(heading("Dashboard"))
        intro.addWidget(self.as_of)
        intro.addLayout(profile_row)
        intro.addWidget(self.problem)
        intro.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(intro, 1)
        top.addSpacing(24)
        top.addWidget(self.chart, 0, Qt.AlignmentFlag.AlignTop)

        def person(entry: DueEntry) -> str:
            return entry.person_id

        self.people = Section("Supervision and case discussions", PEOPLE_COLUMNS, person, NOBODY,
                              stretch=4, sort=3, most_rows=14)
        self.people.table.setAccessibleDescription(
            "Double-click or press Enter on a person to see their page.")
        self.cancel_button = QPushButton("Record a &cancellation…")
        self.cancel_button.clicked.connect(self.record_cancellation)
        self.deviation_button = QPushButton("Agree a different &frequency…")
        self.deviation_button.setAccessibleName(
            "Agree a different frequency for the selected person")
        self.deviation_button.clicked.connect(self.agree_frequency)
        people_buttons = QHBoxLayout()
        people_buttons.addWidget(self.cancel_button)
        people_buttons.addWidget(self.deviation_button)
        people_buttons.addStretch(1)
        self.notes = muted("")
        self.notes.hide()
        self.agreements = Section("Supervision agreements to review", AGREEMENT_COLUMNS, person,
                                  "No supervision agreement is due for review.", stretch=4,
                                  sort=3)
        self.drafts = Section("Drafts not finalised", RECORD_COLUMNS, _record, "No drafts: "
                              "every record is finalised.", stretch=2,
                              see_all=RECORDS_PAGE)
        self.not_exported = Section("Finalised, not exported", RECORD_COLUMNS, _record,
                                    "Nothing is waiting to be exported.", stretch=2,
                                    see_all=RECORDS_PAGE)
        self.not_uploaded = Section("Exported, not marked as uploaded", RECORD_COLUMNS, _record,
                                    "Every exported record is marked as uploaded.", stretch=2,
                                    sort=4, see_all=RECORDS_PAGE)
        self.overdue_actions = Section("Overdue actions", action_columns(self._today), _source,
                               "No action is overdue.", stretch=1,
                               see_all="the Actions page")
        self.short = Section("Sessions shorter than the policy's minimum", SHORT_SESSION_COLUMNS,
                             _record, "", stretch=3)

        body = QWidget()
        lists = QVBoxLayout(body)
        lists.setContentsMargins(0, 0, 12, 0)
        lists.addWidget(self.people)
        lists.addWidget(self.notes)
        lists.addLayout(people_buttons)
        for section in (self.agreements, self.drafts, self.not_exported, self.not_uploaded,
                        self.overdue_actions, self.short):
            lists.addWidget(section)
        lists.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)

        for section in (self.people, self.agreements):
            section.open_requested.connect(self.open_person_requested.emit)
        for section in (self.drafts, self.not_exported, self.not_uploaded, self.overdue_actions,
                        self.short):
            section.open_requested.connect(self.open_record_requested.emit)
        self.refresh()
        # The main window shows this page (and so asks for a refresh) straight after
        # building it: the report just worked out is still today's, so it is not worked
        # out twice. From the next turn of the event loop every refresh recomputes.
        self._just_built = True
        QTimer.singleShot(0, self._settled)

    def _settled(self) -> None:
        self._just_built = False

    def sections(self) -> list[Section]:
        return [self.people, self.agreements, self.drafts, self.not_exported, self.not_uploaded,
                self.overdue_actions, self.short]

    # --- the report --------------------------------------------------------------------

    def refresh(self) -> None:
        """Work out what is due today and show it."""
        if getattr(self, "_just_built", False):
            self._just_built = False
            return
        today = self._today()
        self.as_of.setText(f"What is due on {uk_date(today)}.")
        try:
            report = compliance.due_report(self._vault, today, limit=DASHBOARD_ROWS)
        except UserError as exc:  # e.g. the vault's profile is no longer installed
            self.problem.setText(describe(exc))
            self.problem.show()
            return
        self.problem.hide()
        self.report = report
        profile = report.profile
        self.profile.setText(f"Due dates follow: {profile.title}. “Due soon” means within "
                             f"{profile.due_soon_days} days of the date.")
        self.profile.setToolTip(
            plain_tip(f"{profile.source.organisation}: {profile.source.document}"))
        self.people.set_rows(report.people)
        notes = [f"{e.name}: {note}" for e in report.people for note in e.notes]
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        self.agreements.set_rows([e for e in report.agreements
                                  if e.status in (DueStatus.DUE, DueStatus.OVERDUE)])
        for name, section in (("drafts", self.drafts), ("not_exported", self.not_exported),
                              ("not_uploaded", self.not_uploaded),
                              ("overdue_actions", self.overdue_actions)):
            section.set_rows(getattr(report, name), report.total(name))
        self.short.set_rows(report.short_sessions)
        self.short.setVisible(bool(report.short_sessions))
        self.chart.set_bars(_counts(report))

    # --- dialogs -----------------------------------------------------------------------

    def selected_person(self) -> str | None:
        return self.people.current_key()

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def change_profile(self) -> QDialog:
        dialog = PolicyProfileDialog(self._vault, self)
        dialog.profile_changed.connect(lambda _id: self.refresh())
        return self._open(dialog)

    def record_cancellation(self) -> QDialog:
        chosen = self.selected_person()
        kinds = {e.person_id: e.kind for e in self.report.people} if self.report else {}
        if kinds.get(chosen or "") not in cancellations.KINDS:
            chosen = None
        dialog = CancellationDialog(self._vault, chosen, self, today=self._today)
        dialog.recorded.connect(lambda _id: self.refresh())
        return self._open(dialog)

    def agree_frequency(self) -> QDialog:
        dialog = DeviationDialog(self._vault, self.selected_person(), self, today=self._today)
        dialog.agreed.connect(lambda _id: self.refresh())
        return self._open(dialog)


def _record(item: Any) -> str:
    return str(item.record_id)


def _source(action: Any) -> str:
    return str(action.source_record_id)
