"""kill -9 at random points of backup + rotation: nothing half-written ever counts as a
backup, the backups that should survive all do and restore, no temporary folder outlives
the next start. (The suite runs a few iterations: tests/test_backup_kill.py.)

Usage: python -m benchmarks.kill_backup [ITERATIONS]   (default 200; from the project folder)

Each iteration starts a child that backs a vault up into one folder again and again (the
clock advancing a day per run, so rotation deletes as it goes: keep 2 daily, 1 weekly,
1 monthly), kills it with SIGKILL a random 0.05-2 s after it is ready, and checks the folder.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEEP = (2, 1, 1)
START = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
DAYS_PER_ITERATION = 40  # room for each child's runs before the next one starts

# The key comes on stdin, never in argv or the environment.
CHILD = textwrap.dedent(
    """
    import datetime as dt, sys
    from pathlib import Path
    from supervision_desktop.domain.backup_rotation import Keep
    from supervision_desktop.services import backup
    vault, out, start = Path(sys.argv[1]), Path(sys.argv[2]), dt.datetime.fromisoformat(sys.argv[3])
    key = bytes.fromhex(sys.stdin.readline())
    keep = Keep(*(int(n) for n in sys.argv[4].split(",")))
    print("ready", flush=True)
    for day in range(10_000):
        backup.back_up_beside(vault, key, out, now=start + dt.timedelta(days=day), keep=keep)
        print(day, flush=True)
    """
)


def kill_one(vault: Path, out: Path, temporary: Path, data_key: bytes, iteration: int,
             rng: random.Random) -> int:
    """Run a child for a random while and kill -9 it; returns how many backups it finished."""
    start = START + dt.timedelta(days=iteration * DAYS_PER_ITERATION)
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "TZ": "UTC",
           "TMPDIR": str(temporary), "HOME": os.environ.get("HOME", "/tmp")}
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(vault), str(out), start.isoformat(),
         ",".join(map(str, KEEP))],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
    ) as child:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(data_key.hex() + "\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "ready"  # imports done: kill amid work
        time.sleep(rng.uniform(0.05, 2.0))
        child.send_signal(signal.SIGKILL)
        child.wait()
        return len(child.stdout.read().split())


def check(out: Path, before: dict[Path, dt.datetime], data_key: bytes) -> dict[Path, dt.datetime]:
    """The folder after a kill: every file with a backup's name is a sound backup that
    opens; every backup there before is still there unless a newer one replaced it in
    the rotation; anything else is a temporary .part file. Returns the backups now."""
    from supervision_desktop.services import backup
    from supervision_desktop.services.backup_format import is_sound_backup
    from supervision_desktop.services.backup_rotation import PART, made_at

    now: dict[Path, dt.datetime] = {}
    for entry in out.iterdir():
        when = made_at(entry.name)
        if when is None:
            assert PART.fullmatch(entry.name), f"unexpected file {entry.name}"
            continue
        assert is_sound_backup(entry), f"{entry.name} has a backup's name but is not whole"
        now[entry] = when
    for path in now.keys() - before.keys():
        backup._check_written(path, data_key)  # every page, and the counts
    newest_now = max(now.values(), default=None)
    for path, when in before.items():
        if path not in now:
            assert newest_now is not None and newest_now > when, f"{path.name} lost"
    if before:
        assert newest_now is not None and newest_now >= max(before.values())
    return now


def next_start_cleans(temporary: Path) -> None:
    from supervision_desktop.services import backup

    later = dt.datetime.now(dt.UTC) + backup.STALE_AFTER + dt.timedelta(seconds=1)
    backup.remove_stale_temporaries(now=later, root=temporary)
    assert list(temporary.iterdir()) == [], list(temporary.iterdir())


def run(iterations: int, vault: Path, data_key: bytes, work: Path,
        seed: int = 15) -> dict[str, int]:
    rng = random.Random(seed)
    out, temporary = work / "usb", work / "tmp"
    out.mkdir()
    temporary.mkdir()
    backups: dict[Path, dt.datetime] = {}
    finished = 0
    for iteration in range(iterations):
        finished += kill_one(vault, out, temporary, data_key, iteration, rng)
        backups = check(out, backups, data_key)
        next_start_cleans(temporary)
    return {"iterations": iterations, "backups_finished": finished, "kept": len(backups)}


def main(argv: list[str]) -> int:
    from supervision_desktop.services import vault_access

    iterations = int(argv[0]) if argv else 200
    with tempfile.TemporaryDirectory(prefix="kill-backup-") as folder:
        work = Path(folder)
        created = vault_access.create_vault(work / "vault", owner_name="Robin Example",
                                            role="supervisor",
                                            passphrase="correct horse battery staple")
        data_key = created.vault.data_key
        created.vault.close()
        started = time.perf_counter()
        result = run(iterations, work / "vault", data_key, work)
    print(f"{result['iterations']} kills, {result['backups_finished']} backups finished, "
          f"{result['kept']} kept at the end, all sound; "
          f"{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
