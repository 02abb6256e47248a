"""The in-app figures, measured inside one running GUI: ``python -m benchmarks.gui``.

Started by the runner in a fresh process per vault (arguments: the vault folder, the
ids of the largest record and of the record to export, the number of repeats; the
passphrase in ``BENCH_PASSPHRASE``). It unlocks, builds and shows the real main
window, then times, each ``repeats`` times (after one warm-up run):

- ``dashboard``: ``compliance.due_report`` over the whole vault (the service the
  dashboard page calls), and ``dashboard_page``: the page's whole refresh (report and
  lists);
- ``search``: ``services.search.search`` over several queries (common, rare, accented,
  several words); every query counts as one run;
- ``open_form``: the main window opening the record with the most text in the largest
  form (29 fields, 10 tables) until the page is shown;
- ``autosave``: one autosave of that form after a keystroke (``RecordPage.save_now``,
  which is what the autosave timer calls), on a full draft copy of it;
- ``typing_block``: the longest the GUI thread was blocked while 120 characters were
  typed into a long field one key every 40 ms and autosave ran: a 1 ms timer probes
  the event loop, and the longest gap between its ticks is the figure (one run each);
- ``export_sign``: exporting and signing a finalised supervision record to PDF (the
  certificate already loaded, as in a running app), and ``verify`` of that PDF;
- ``maxrss_mb``: this process's peak memory at the end.

Prints one JSON object on stdout.
"""

from __future__ import annotations

import itertools
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

QUERIES = ("placement", "grandmother school", "court hearing", "dwr", "hapus",
           "safety plan", "allowance paid late", "appraisal objectives")


class Timings(list[float]):
    """Wall-clock milliseconds, with the CPU milliseconds of the same runs beside them."""

    def __init__(self) -> None:
        super().__init__()
        self.cpu: list[float] = []

    def run(self, work: Callable[[], Any]) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        self.cpu.append((time.process_time() - cpu) * 1000)
        self.append((time.perf_counter() - wall) * 1000)

    def __iadd__(self, other: Any) -> Timings:
        self.extend(other)
        self.cpu.extend(getattr(other, "cpu", []))
        return self


def _series(values: list[float]) -> dict[str, Any]:
    series = {"median": statistics.median(values), "min": min(values), "max": max(values),
              "runs": len(values)}
    cpu = getattr(values, "cpu", None)
    if cpu:
        series["cpu_median"] = statistics.median(cpu)
    return series


def _time(run: Callable[[], Any], repeats: int, *, warm_up: bool = True) -> Timings:
    if warm_up:
        run()
    timings = Timings()
    for _ in range(repeats):
        timings.run(run)
    return timings


def _pages(data: bytes) -> int:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(io.BytesIO(data)).root["/Pages"]["/Count"])


def main() -> int:
    folder, largest, export_id, repeats = (Path(sys.argv[1]), sys.argv[2], sys.argv[3],
                                           int(sys.argv[4]))
    passphrase = os.environ["BENCH_PASSPHRASE"]

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    from supervision_desktop.services import (
        compliance,
        records,
        search,
        templates,
        vault_access,
        verify,
    )
    from supervision_desktop.services.export import export_record
    from supervision_desktop.services.info import vault_info
    from supervision_desktop.store.keyring_cache import MemoryKeyring
    from supervision_desktop.ui.common.autosave import AUTOSAVE_DELAY_MS
    from supervision_desktop.ui.common.widgets import STYLE_SHEET
    from supervision_desktop.ui.compliance.dashboard_page import DASHBOARD_ROWS
    from supervision_desktop.ui.shell.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE_SHEET)
    vault = vault_access.unlock_with_passphrase(folder, passphrase).vault
    figures: dict[str, Any] = {}
    try:
        window = MainWindow(vault, templates.catalogue(), MemoryKeyring(),
                            owner_name=vault_info(vault).owner_name)
        window.show()
        QTest.qWaitForWindowExposed(window)
        app.processEvents()

        figures["dashboard"] = _series(_time(  # what the Dashboard page asks for
            lambda: compliance.due_report(vault, limit=DASHBOARD_ROWS), repeats))
        figures["due_full"] = _series(_time(lambda: compliance.due_report(vault), repeats))
        figures["dashboard_page"] = _series(_time(window.dashboard.refresh, repeats))

        search_runs = Timings()
        for query in QUERIES:
            search_runs += _time(lambda q=query: search.search(vault, q), repeats)
        figures["search"] = _series(search_runs)

        def open_largest() -> None:
            window.open_record(largest)
            app.processEvents()

        def close_page() -> None:
            window._close_record_page()
            app.processEvents()

        open_runs = Timings()
        open_largest()
        close_page()
        for _ in range(repeats):
            open_runs.run(open_largest)
            close_page()
        figures["open_form"] = _series(open_runs)

        # a full draft of the largest form, to type into
        full = records.get_record(vault, largest)
        draft = records.create_record(vault, full.template, subject_id=full.summary.subject_id,
                                      session_date=full.summary.session_date,
                                      fields=dict(full.fields))
        window.open_record(draft)
        app.processEvents()
        page = window._record_page
        assert page is not None
        long_field = next(w for w in page.form.input_widgets() if isinstance(w, QPlainTextEdit))
        long_field.setFocus()
        long_field.moveCursor(long_field.textCursor().MoveOperation.End)

        saves = Timings()
        QTest.keyClick(long_field, "x")
        assert page.save_now()  # warm-up
        for n in range(repeats):
            QTest.keyClick(long_field, "abcdefghij"[n % 10])
            saves.run(lambda: page.save_now())
        figures["autosave"] = _series(saves)

        blocks = []
        for _ in range(max(1, repeats // 3)):
            ticks: list[float] = []
            probe = QTimer()
            probe.setTimerType(Qt.TimerType.PreciseTimer)
            probe.setInterval(1)
            probe.timeout.connect(lambda ticks=ticks: ticks.append(time.perf_counter()))
            typed = [0]

            def type_one(typed: list[int] = typed) -> None:
                QTest.keyClick(long_field, "supervision notes "[typed[0] % 18])
                typed[0] += 1

            keys = QTimer()
            keys.setInterval(40)
            keys.timeout.connect(type_one)
            probe.start()
            keys.start()
            deadline = time.perf_counter() + 120 * 0.040
            while time.perf_counter() < deadline:
                app.processEvents()
            keys.stop()
            settle = time.perf_counter() + (AUTOSAVE_DELAY_MS + 400) / 1000
            while time.perf_counter() < settle:  # the autosave after the last key
                app.processEvents()
            probe.stop()
            gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
            blocks.append(max(gaps) if gaps else 0.0)
        figures["typing_block"] = _series(blocks)
        close_page()

        with tempfile.TemporaryDirectory() as scratch:
            exported: list[Path] = []

            def export_once() -> None:
                exported[:] = export_record(vault, export_id, Path(scratch) / "record.pdf")

            figures["export_sign"] = _series(_time(export_once, repeats))
            pdf = exported[0]
            data = pdf.read_bytes()
            figures["export_pages"] = _pages(data)
            figures["export_kb"] = round(len(data) / 1024)
            figures["verify"] = _series(_time(lambda: verify.verify_file(pdf, vault), repeats))
        figures["maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        window.save_everything()
        window.close()
    finally:
        vault.close()
    print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
