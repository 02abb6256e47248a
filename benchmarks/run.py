"""The benchmark runner: ``python -m benchmarks [--quick] [--json FILE] [--years 1 10 20]``.

For each size of vault (years of a team's work, see ``benchmarks.generate``; generated
once and cached) it works on a fresh copy of the cached vault and measures:

- cold start to the unlocked main window, painted: a fresh process each run
  (``benchmarks.cold_start``), timed from just before it is spawned. Passphrase unlock
  first (nothing remembered), then keyring unlock after "remember on this device";
- the in-app figures (``benchmarks.gui``) in one more fresh process;
- peak memory (ru_maxrss) of the GUI: unlocked, every page visited once.

Each figure is the median of the runs, with min and max. Without a D-Bus session the
runner starts its own (``dbus-run-session`` and an unlocked GNOME Keyring in a scratch
home, as ``tests/run.sh`` does) so "keyring" means a real Secret Service; the backend used
is printed and saved. A table goes to stdout; ``--json FILE`` also saves every figure with
the machine's details.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import supervision_desktop
from benchmarks import generate

ROOT = Path(__file__).resolve().parent.parent

# name, label, unit, target (None: no target), source of the figure
FIGURES: tuple[tuple[str, str, str, float | None], ...] = (
    ("cold_keyring", "Cold start, keyring unlock", "ms", 600),
    ("cold_passphrase", "Cold start, passphrase unlock", "ms", 800),
    ("open_form", "Open the largest form, full record", "ms", 50),
    ("autosave", "One autosave", "ms", 5),
    ("typing_block", "Longest GUI block while typing", "ms", 16),
    ("export_sign", "Export + sign (PDF)", "ms", 100),
    ("verify", "Verify a signed PDF", "ms", None),
    ("search", "Full-text search", "ms", 10),
    ("dashboard", "Dashboard: due report", "ms", 50),
    ("dashboard_page", "Dashboard page refresh (report + lists)", "ms", None),
    ("due_full", "Full due report (`due --json`: every row)", "ms", None),
    ("memory", "Peak memory, GUI with vault open", "MB", 150),
)


# --- a Secret Service for the keyring figure ---------------------------------------------


def _in_own_dbus(argv: list[str]) -> int | None:
    """Re-run inside a throwaway D-Bus session with an unlocked keyring, if possible."""
    if os.environ.get("BENCH_DBUS") or os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return None
    if not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")):
        return None
    scratch = Path(tempfile.mkdtemp(prefix="bench-keyring-"))
    home, runtime = scratch / "home", scratch / "run"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime), "BENCH_DBUS": "1"}
    script = ('printf %s throwaway-benchmark-keyring | gnome-keyring-daemon --unlock '
              '--components=secrets >/dev/null; exec "$@"')
    try:
        return subprocess.call(["dbus-run-session", "--", "bash", "-c", script, "bash",
                                sys.executable, "-m", "benchmarks", *argv], env=env, cwd=ROOT)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _keyring_backend() -> str:
    import keyring

    backend = keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"


# --- the machine ------------------------------------------------------------------------


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 for line in _read("/proc/meminfo").splitlines()
                   if line.startswith("MemTotal")), None)
    import PySide6
    import sqlcipher3
    from PySide6.QtCore import qVersion

    connection = sqlcipher3.dbapi2.connect(":memory:")
    cipher = connection.execute("PRAGMA cipher_version").fetchone()
    sqlite = connection.execute("SELECT sqlite_version()").fetchone()[0]
    connection.close()

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                                  check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    return {
        "cpu": cpu, "cores": os.cpu_count(), "ram_mb": memory,
        "os": platform.platform(), "python": platform.python_version(),
        "pyside6": PySide6.__version__, "qt": qVersion(),
        "sqlcipher": cipher[0] if cipher else "", "sqlite": sqlite,
        "git_commit": git("rev-parse", "--short", "HEAD"),
        "git_tree": "with uncommitted changes" if git("status", "--porcelain") else "clean",
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


# --- measuring ---------------------------------------------------------------------------


def _series(values: list[float], cpu: list[float] | None = None) -> dict[str, Any]:
    series = {"median": statistics.median(values), "min": min(values), "max": max(values),
              "runs": len(values)}
    if cpu:
        series["cpu_median"] = statistics.median(cpu)
    return series


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen",
            "BENCH_PASSPHRASE": generate.PASSPHRASE, "PYTHONPATH": str(ROOT)}


def _last_json(output: str) -> dict[str, Any]:
    for line in reversed(output.splitlines()):
        if line.startswith("{"):
            return dict(json.loads(line))
    raise RuntimeError("no result printed:\n" + output[-2000:])


def cold_starts(folder: Path, mode: str, runs: int) -> tuple[list[float], list[float],
                                                              list[float]]:
    """Milliseconds from spawn to the painted main window, the process's CPU
    milliseconds up to then, and peak MB, per run."""
    times, cpu, memory = [], [], []
    for _ in range(runs):
        started = time.time()
        done = subprocess.run([sys.executable, "-m", "benchmarks.cold_start", mode, str(folder)],
                              env=_env(), cwd=ROOT, capture_output=True, text=True, timeout=300)
        facts = _last_json(done.stdout)
        if "error" in facts:
            raise RuntimeError(facts["error"])
        times.append((float(facts["shown"]) - started) * 1000)
        cpu.append(float(facts["cpu_ms"]))
        memory.append(float(facts["pages_maxrss_mb"]))
    return times, cpu, memory


def _remember(folder: Path, remember: bool) -> str:
    """Store the vault's key in the system keyring (or forget it); '' or why it can't."""
    from supervision_desktop.errors import KeyringUnavailable
    from supervision_desktop.services import vault_access
    from supervision_desktop.store.keyring_cache import SystemKeyring

    vault = vault_access.unlock_with_passphrase(folder, generate.PASSPHRASE).vault
    try:
        if not remember:
            vault_access.forget_on_device(vault, SystemKeyring())
            return ""
        try:
            vault.remember_on_device(SystemKeyring())
        except KeyringUnavailable as exc:
            return str(exc)
        return ""
    finally:
        vault.close()


def _record_to_export(folder: Path) -> str:
    """The shortest finalised professional supervision record (6 pages as a PDF): the
    nearest the generated records come to the 5-page record of the brief."""
    from sqlalchemy import text

    from supervision_desktop.services import vault_access

    vault = vault_access.unlock_with_passphrase(folder, generate.PASSPHRASE).vault
    try:
        with vault.transaction() as session:
            return str(session.execute(text(
                "SELECT r.id FROM records r JOIN record_versions v ON v.record_id = r.id "
                "WHERE r.template_id = 'professional-supervision' AND r.status != 'draft' "
                "ORDER BY length(v.content) LIMIT 1")).scalar_one())
    finally:
        vault.close()


def measure(years: int, runs: int, log: Any) -> dict[str, Any]:
    made = generate.ensure(years, log)
    work = generate.CACHE / f"run-{years}y"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(made.folder, work / "vault")
    folder = work / "vault"
    result: dict[str, Any] = {"vault": made.as_dict(), "figures": {}, "notes": []}
    figures = result["figures"]
    try:
        log(f"{years} year(s): {made.records} records — cold starts …")
        _remember(folder, False)
        passphrase, cpu, memory = cold_starts(folder, "passphrase", runs)
        figures["cold_passphrase"] = _series(passphrase, cpu)
        why = _remember(folder, True)
        if why:
            result["notes"].append(f"keyring unlock not measured: {why}")
        else:
            keyring, cpu, more = cold_starts(folder, "keyring", runs)
            figures["cold_keyring"] = _series(keyring, cpu)
            memory += more
            _remember(folder, False)
        figures["memory"] = _series(memory)
        log(f"{years} year(s): in-app figures …")
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.gui", str(folder), made.largest_record,
             _record_to_export(folder), str(runs)],
            env=_env(), cwd=ROOT, capture_output=True, text=True, timeout=1800)
        inside = _last_json(done.stdout)
        for name, value in inside.items():
            if isinstance(value, dict):
                figures[name] = value
            else:
                result[name] = value
        figures["memory_in_app_work"] = _series([float(inside["maxrss_mb"])])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


# --- reporting ---------------------------------------------------------------------------


def _cell(series: dict[str, Any] | None) -> str:
    if not series:
        return "—"
    median, low, high = series["median"], series["min"], series["max"]
    fmt = "{:.0f}" if median >= 100 else "{:.1f}"
    cell = f"{fmt.format(median)} ({fmt.format(low)}–{fmt.format(high)})"
    if "cpu_median" in series:
        cpu = series["cpu_median"]
        cell += f" cpu {('{:.0f}' if cpu >= 100 else '{:.1f}').format(cpu)}"
    return cell


def table(results: dict[int, dict[str, Any]]) -> str:
    years = sorted(results)
    judged = 10 if 10 in years else years[-1]
    head = ["Figure", "Target", *[f"{y} year{'s' if y > 1 else ''}" for y in years],
            f"Meets target ({judged} y)"]
    rows = [head]
    for name, label, unit, target in FIGURES:
        cells = [_cell(results[y]["figures"].get(name)) for y in years]
        figure = results[judged]["figures"].get(name)
        verdict = "—" if target is None or not figure else (
            "yes" if figure["median"] <= target else "no")
        rows.append([f"{label} ({unit})", f"≤ {target:g}" if target else "", *cells, verdict])
    widths = [max(len(r[c]) for r in rows) for c in range(len(head))]
    lines = [" | ".join(cell.ljust(widths[c]) for c, cell in enumerate(row)) for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=(
        "Measure the app on a generated vault of years of work (see benchmarks/README.md)."))
    parser.add_argument("--quick", action="store_true",
                        help="a 1-year vault and 3 runs of each figure (under a minute once "
                             "the vault is generated)")
    parser.add_argument("--years", type=int, nargs="+",
                        help="vault sizes in years (default 1 10 20; --quick: 1)")
    parser.add_argument("--runs", type=int, help="runs per figure (default 7; --quick: 3)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    rerun = _in_own_dbus(argv)
    if rerun is not None:
        return rerun
    years = args.years or ([1] if args.quick else [1, 10, 20])
    runs = args.runs or (3 if args.quick else 7)

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    started = time.perf_counter()
    # An installed app starts from bytecode (pip and the bundle compile it); a checkout run
    # with PYTHONDONTWRITEBYTECODE would recompile ~130 modules at every cold start.
    compileall.compile_dir(Path(supervision_desktop.__file__).parent, quiet=1)
    about = machine()
    about["keyring_backend"] = _keyring_backend()
    log(f"Keyring backend: {about['keyring_backend']}")
    results = {y: measure(y, runs, log) for y in years}
    print(table(results))
    for y in years:
        for note in results[y]["notes"]:
            print(f"{y} y: {note}")
        pages = results[y].get("export_pages")
        print(f"{y} y: {results[y]['vault']['records']} records, "
              f"{results[y]['vault']['database_mb']:.0f} MB vault; exported PDF "
              f"{pages} pages; peak memory after the in-app work "
              f"{results[y]['figures']['memory_in_app_work']['median']:.0f} MB")
    print(f"Machine: {about['cpu']}, {about['cores']} cores, {about['ram_mb']} MB RAM, "
          f"{about['os']}; Python {about['python']}, PySide6 {about['pyside6']}, "
          f"SQLCipher {about['sqlcipher']}; commit {about['git_commit']} "
          f"({about['git_tree']}); keyring {about['keyring_backend']}; "
          f"{runs} runs per figure; took {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": about, "runs": runs,
            "results": {str(y): results[y] for y in years},
        }, indent=2, default=str))
    return 0
