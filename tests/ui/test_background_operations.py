"""Long operations run off the GUI thread: the window keeps answering (a QTimer keeps
ticking) while a disposal's VACUUM rewrites the vault file and while several signed PDFs
are imported; progress shows, the result arrives, the same operation cannot be started
twice, and a failing operation shows its own message. Also the helper itself: a bug
reaches the crash hook (sys.excepthook), never on_error."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import lifecycle, people, records
from supervision_desktop.services.export import export_record
from supervision_desktop.services.templates import get_template
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.carer import documents_page
from supervision_desktop.ui.common.background import (
    Cancelled,
    Progress,
    run_in_background,
    run_with_progress,
)
from supervision_desktop.ui.vault_admin.retention_page import RetentionDialog
from tests.test_carer_import import CARER, _values, carer_vault  # noqa: F401 (fixture)

pytestmark = pytest.mark.gui

DUE_ON = dt.date(2026, 3, 31)
PERSONAL = get_template("personal-supervision")


class Ticks:
    """A timer ticking every 10 ms on the GUI thread: it only ticks while the event loop
    runs, so ticks counted during an operation prove the window kept answering."""

    def __init__(self) -> None:
        self.count = 0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.count += 1


@pytest.fixture
def ticks() -> Iterator[Ticks]:
    counter = Ticks()
    counter.timer.start()
    yield counter
    counter.timer.stop()


def _visible_boxes(parent: QWidget) -> list[QMessageBox]:
    return [box for box in parent.findChildren(QMessageBox) if box.isVisible()]


# --- disposal and its VACUUM ------------------------------------------------------------


def _vault_with_a_due_record(vault: Vault) -> str:
    """One record due for disposal beside years of another person's long records
    (~16 MB of text), so the VACUUM after disposal has a large file to rewrite."""
    left = people.add_person(vault, "supervisee", {"name": "Rowan Leftwell"}).id
    here = people.add_person(vault, "supervisee", {"name": "Avery Staywell"}).id
    people.set_end(vault, left, dt.date(2020, 3, 31), "Left the team")
    gone = records.create_record(vault, PERSONAL, subject_id=left, session_date="2019-05-02")
    text = "Workload was discussed and a support plan agreed with the manager. " * 15_000
    for month in range(1, 17):
        records.create_record(vault, PERSONAL, subject_id=here,
                              session_date=f"2025-{(month - 1) % 12 + 1:02d}-02",
                              fields={"impact_of_work": f"{month} {text}"})
    return gone


def _dialog(vault: Vault, qtbot: QtBot, today: list[dt.date]) -> RetentionDialog:
    dialog = RetentionDialog(vault, today=lambda: today[0])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _tick_and_confirm(dialog: RetentionDialog, qtbot: QtBot) -> None:
    dialog.table.item(0, 0).setCheckState(Qt.CheckState.Checked)
    qtbot.keyClicks(dialog.confirm, "DISPOSE")
    assert dialog.dispose_button.isEnabled()


def test_the_window_keeps_answering_during_the_vacuum_and_shows_progress(
    vault: Vault, qtbot: QtBot, ticks: Ticks, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = _vault_with_a_due_record(vault)
    dialog = _dialog(vault, qtbot, [DUE_ON])
    _tick_and_confirm(dialog, qtbot)
    steps: list[str] = []
    started = time.perf_counter()
    qtbot.mouseClick(dialog.dispose_button, Qt.MouseButton.LeftButton)
    operation = dialog.operation
    assert operation is not None
    operation.progressed.connect(lambda _fraction, text: steps.append(text))
    ticks_seen: list[int] = []  # the timer's count at each step and at the end
    operation.progressed.connect(lambda _fraction, _text: ticks_seen.append(ticks.count))
    dialog.disposed.connect(lambda _count: ticks_seen.append(ticks.count))
    at_start = ticks.count
    assert dialog.busy() and dialog.progress.isVisible()
    assert not dialog.dispose_button.isEnabled() and not dialog.table.isEnabled()
    dialog.dispose()  # a second click while it runs starts nothing
    assert dialog.operation is operation
    dialog.reject()  # Escape or Close: refused, and it says why
    assert dialog.isVisible()
    assert "still running" in dialog.outcome.text()
    with qtbot.waitSignal(dialog.disposed, timeout=120_000) as signal:
        pass
    seconds = time.perf_counter() - started
    ticked = ticks.count - at_start
    with capsys.disabled():
        print(f"\n  disposal with VACUUM {seconds:.2f} s; the GUI timer ticked {ticked} "
              "times meanwhile")
    assert signal.args == [1]
    # The event loop ran while the vault was rewritten (on the GUI thread: not at all).
    assert ticked > 0 and ticks_seen[-1] > ticks_seen[0]
    assert any(step.startswith("Rewriting the vault file") for step in steps)
    assert gone not in [r.id for r in records.list_records(vault)]
    assert "1 record was destroyed" in dialog.outcome.text()
    qtbot.waitUntil(lambda: not dialog.progress.isVisible())
    assert not dialog.busy() and dialog.table.isEnabled()
    dialog.reject()
    assert not dialog.isVisible()


def test_a_failing_disposal_shows_its_message_and_destroys_nothing(
    vault: Vault, qtbot: QtBot
) -> None:
    gone = _vault_with_a_due_record(vault)
    today = [DUE_ON]
    dialog = _dialog(vault, qtbot, today)
    _tick_and_confirm(dialog, qtbot)
    today[0] = DUE_ON - dt.timedelta(days=1)  # the service checks again: not due yet
    qtbot.mouseClick(dialog.dispose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=30_000)
    assert dialog.outcome.isVisible() and dialog.outcome.objectName() == "error"
    assert dialog.outcome.text().startswith(f"Record {gone} is not due for disposal")
    assert dialog.outcome.text().endswith("Nothing was destroyed.")
    assert gone in [r.id for r in records.list_records(vault)]
    assert not dialog.progress.isVisible()


# --- importing signed PDFs --------------------------------------------------------------


@pytest.fixture
def signed_pdfs(vault: Vault, tmp_path: Path) -> list[Path]:
    """Three finalised, signed foster carer supervision records, exported."""
    carer = people.add_person(vault, "carer", {"name": CARER}).id
    paths = []
    for day in ("2026-09-22", "2026-10-22", "2026-11-22"):
        record = records.create_record(
            vault, get_template("foster-carer-supervision"), subject_id=carer,
            session_date=day,
            fields={**_values(CARER), "supervision_date": day, "agreements_actions": []})
        lifecycle.finalise(vault, record)
        (path,) = export_record(vault, record, tmp_path / day)
        paths.append(path)
    return paths


def _documents(vault: Vault, qtbot: QtBot) -> documents_page.DocumentsView:
    view = documents_page.DocumentsView(vault)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_several_pdfs_import_in_the_background_with_progress_and_one_message(
    carer_vault: Vault, signed_pdfs: list[Path], qtbot: QtBot, ticks: Ticks,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    view = _documents(carer_vault, qtbot)
    labels: list[str] = []
    shown: list[str] = []  # what the progress box said
    ticks_seen: list[int] = []  # the timer's count at each progress step and at the end
    started = time.perf_counter()
    with qtbot.waitSignal(view.imported, timeout=120_000) as done:
        operation = view.import_paths(signed_pdfs)
        assert operation is not None
        at_start = ticks.count
        (box,) = view.findChildren(QProgressDialog)
        assert box.isVisible() and box.windowTitle() == "Importing signed PDFs"
        operation.progressed.connect(lambda _fraction, text: labels.append(text))
        operation.progressed.connect(lambda _fraction, _text: shown.append(box.labelText()))
        operation.progressed.connect(lambda _fraction, _text: ticks_seen.append(ticks.count))
        view.imported.connect(lambda _results: ticks_seen.append(ticks.count))
        assert view.import_paths(signed_pdfs) is None  # a second import is refused...
        (refused,) = _visible_boxes(view)
        assert refused.windowTitle() == "Import already running"  # ...and says so
        refused.close()
    seconds = time.perf_counter() - started
    ticked = ticks.count - at_start
    with capsys.disabled():
        print(f"\n  3 signed PDFs imported in {seconds:.2f} s; the GUI timer ticked "
              f"{ticked} times meanwhile")
    results = done.args[0]
    assert [r.outcome for r in results] == ["imported"] * 3
    # The event loop ran while the files were checked: the timer ticked between the first
    # file's progress and the result. Checked on the GUI thread, it could not tick at all.
    # (How often it ticks depends on the machine's load, so no count is asked for.)
    assert ticked > 0 and ticks_seen[-1] > ticks_seen[0]
    assert [label for label in labels if label.startswith("Checking")] == [
        f"Checking and importing {path.name} ({number} of 3)…"
        for number, path in enumerate(signed_pdfs, start=1)]
    assert any(text.startswith("Checking and importing") for text in shown)  # on screen
    (message,) = _visible_boxes(view)
    assert message.windowTitle() == "Imported"
    assert message.text().count("\n\n") == 2  # one paragraph per file
    assert view.model.rowCount() == 3
    qtbot.waitUntil(lambda: not view.findChildren(QProgressDialog))
    assert not documents_page.importing()


def test_stop_ends_an_import_between_files_and_says_which_were_not_imported(
    carer_vault: Vault, signed_pdfs: list[Path], qtbot: QtBot,  # noqa: F811
) -> None:
    view = _documents(carer_vault, qtbot)
    with qtbot.waitSignal(view.imported, timeout=120_000) as done:
        operation = view.import_paths(signed_pdfs)
        assert operation is not None
        (box,) = view.findChildren(QProgressDialog)
        (stop,) = box.findChildren(QPushButton)
        assert stop.text().replace("&", "") == "Stop"

        def press_stop(_fraction: float, text: str) -> None:
            if text.endswith("(2 of 3)…"):
                stop.click()  # while the second file is being checked

        operation.progressed.connect(press_stop)
    results = done.args[0]
    # the file in hand was finished, and is kept; the last was never started
    assert [r.outcome for r in results] == ["imported", "imported", "refused"]
    assert results[2].message == (f"{signed_pdfs[2].name} was not imported: the import "
                                  "was stopped before it.")
    (message,) = _visible_boxes(view)
    assert message.windowTitle() == "Some files were not imported"
    assert view.model.rowCount() == 2


# --- the helper -------------------------------------------------------------------------


def test_the_result_and_progress_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    import threading

    gui = threading.get_ident()
    seen: list[tuple[float, str, int]] = []
    got: list[tuple[int, int]] = []

    def work(progress: Progress) -> int:
        for step in range(3):
            progress(step / 3, f"Step {step + 1}")
        return threading.get_ident()

    operation = run_with_progress(
        work, lambda worker: got.append((worker, threading.get_ident())),
        lambda exc: pytest.fail(str(exc)),
        lambda fraction, text: seen.append((fraction, text, threading.get_ident())))
    with qtbot.waitSignal(operation.finished, timeout=10_000):
        pass
    ((worker, delivered_on),) = got
    assert worker != gui and delivered_on == gui
    assert [(round(f, 2), t) for f, t, _ in seen] == [(0.0, "Step 1"), (0.33, "Step 2"),
                                                      (0.67, "Step 3")]
    assert {thread for _, _, thread in seen} == {gui}


def test_who_connects_right_after_the_start_misses_no_step(qtbot: QtBot) -> None:
    """The work reports its first step before the page has connected to the operation:
    the step still arrives, because progress is delivered from the event loop."""
    import threading

    reported, carry_on = threading.Event(), threading.Event()

    def work(progress: Progress) -> None:
        progress(0.0, "Checking the first file")
        reported.set()
        carry_on.wait(10)

    operation = run_with_progress(work, lambda _: None, lambda exc: pytest.fail(str(exc)),
                                  lambda _fraction, _text: None)
    assert reported.wait(10)  # the step was reported before anyone listened
    steps: list[str] = []
    operation.progressed.connect(lambda _fraction, text: steps.append(text))
    carry_on.set()
    with qtbot.waitSignal(operation.finished, timeout=10_000):
        pass
    assert steps == ["Checking the first file"]


def test_a_slot_running_the_event_loop_sees_every_step_in_order(qtbot: QtBot) -> None:
    """A modal progress box runs the event loop inside setValue. The steps reported
    meanwhile still reach every listener in the order the work made them, and the result
    comes after the last step (seen on a busy CI machine: step 3 before step 2)."""
    import threading

    from PySide6.QtWidgets import QApplication

    all_reported = threading.Event()

    def work(progress: Progress) -> str:
        for step in ("one", "two", "three"):
            progress(0.0, step)
        all_reported.set()
        return "done"

    first: list[str] = []  # the listener that runs the event loop, as setValue does
    second: list[str] = []  # a listener connected after it

    def runs_the_event_loop(_fraction: float, text: str) -> None:
        first.append(text)
        assert all_reported.wait(10)  # the later steps are queued by now
        QApplication.processEvents()

    operation = run_with_progress(work, lambda result: second.append(result),
                                  lambda exc: pytest.fail(str(exc)), runs_the_event_loop)
    operation.progressed.connect(lambda _fraction, text: second.append(text))
    with qtbot.waitSignal(operation.finished, timeout=10_000):
        pass
    assert first == ["one", "two", "three"]
    assert second == ["one", "two", "three", "done"]


def test_a_users_problem_reaches_on_error_and_cancel_stops_the_work(qtbot: QtBot) -> None:
    errors: list[Exception] = []

    def refuse() -> int:
        raise InvalidInput("That date is not a date.")

    operation = run_in_background(refuse, lambda _n: pytest.fail("no result"), errors.append)
    with qtbot.waitSignal(operation.finished, timeout=10_000):
        pass
    assert [str(e) for e in errors] == ["That date is not a date."]

    release = __import__("threading").Event()

    def steps(progress: Progress) -> int:
        release.wait(10)
        progress.check()
        return 1

    stopped = run_with_progress(steps, lambda _n: pytest.fail("not stopped"), errors.append,
                                lambda _f, _t: None)
    stopped.cancel()
    release.set()
    with qtbot.waitSignal(stopped.finished, timeout=10_000):
        pass
    assert isinstance(errors[-1], Cancelled)


def test_a_bug_goes_to_the_crash_hook_not_to_on_error(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooked: list[type[BaseException]] = []

    def crash_hook(kind: type[BaseException], _exc: BaseException,
                   _tb: TracebackType | None) -> None:
        hooked.append(kind)

    monkeypatch.setattr(sys, "excepthook", crash_hook)  # the input engineer's hook
    errors: list[Exception] = []
    operation = run_in_background(lambda: 1 // 0, lambda _n: None, errors.append)
    with qtbot.waitSignal(operation.finished, timeout=10_000):
        pass
    assert hooked == [ZeroDivisionError]
    assert errors == []
