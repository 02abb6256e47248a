"""kill -9 at random points of restoring a backup over a vault: the folder always holds one
whole vault, the old one or the restored one, with its own key file and a state marker
that matches it, so the next unlock never asks. (The suite runs a few iterations, and
dies at every single file-system step once: tests/test_backup_kill.py,
tests/test_restore_journal.py.)

Usage: python -m benchmarks.kill_restore [ITERATIONS]   (default 200; from the project folder)

The vault holds two people; the backup, made when it held one, has a new passphrase set
with the recovery key as it is restored, so the passphrase that opens the folder tells
which vault is there. Each iteration starts a child that restores again and again, kills
it with SIGKILL a random 0.05-1.5 s after it is ready, and opens the folder as the app
would: with no "keep it as it is".
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "correct horse battery staple"
NEW_PASSPHRASE = "maple orbit lantern quietly 48"

# The recovery key and passphrase come on stdin, never in argv or the environment.
CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from supervision_desktop.services import backup
    source, folder = Path(sys.argv[1]), Path(sys.argv[2])
    recovery_key, new_passphrase = sys.stdin.readline().strip(), sys.stdin.readline().strip()
    print("ready", flush=True)
    while True:
        backup.restore(source, folder, recovery_key=recovery_key,
                       new_passphrase=new_passphrase, replace=True)
        print("restored", flush=True)
    """
)


def kill_one(source: Path, folder: Path, recovery_key: str, rng: random.Random) -> int:
    """Restore again and again for a random while, then kill -9; returns how many
    restores finished."""
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "TZ": "UTC",
           "HOME": os.environ.get("HOME", "/tmp")}
    with subprocess.Popen([sys.executable, "-c", CHILD, str(source), str(folder)],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                          env=env) as child:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(f"{recovery_key}\n{NEW_PASSPHRASE}\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 1.5))
        child.send_signal(signal.SIGKILL)
        child.wait()
        return child.stdout.read().split().count("restored")


def which_vault(folder: Path) -> str:
    """"old" or "restored", after checking it is whole; raises if it is neither."""
    from supervision_desktop.errors import WrongPassphrase
    from supervision_desktop.services import audit, people
    from supervision_desktop.store import vault as vaults

    for passphrase, name, expected in ((PASSPHRASE, "old", 2), (NEW_PASSPHRASE, "restored", 1)):
        try:
            vault = vaults.open_with_passphrase(folder, passphrase)  # never asks
        except WrongPassphrase:
            continue
        with vault:
            assert vault.check_integrity() is None, "a page of the vault is damaged"
            assert audit.check_log(vault).ok, "the audit chain does not hold"
            found = len(people.list_people(vault))
        assert found == expected, f"the {name} vault's key file with {found} people"
        return name
    raise AssertionError("neither passphrase opens the folder")


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir()
            if p.name.endswith((".restoring", ".new")) or "journal" in p.name]


def run(iterations: int, folder: Path, restored_from: Path, old: Path, recovery_key: str,
        seed: int = 15) -> dict[str, int]:
    from supervision_desktop.services import backup

    rng = random.Random(seed)
    outcome = {"iterations": iterations, "restores_finished": 0, "old": 0, "restored": 0}
    for _iteration in range(iterations):
        outcome["restores_finished"] += kill_one(restored_from, folder, recovery_key, rng)
        outcome[which_vault(folder)] += 1
        assert leftovers(folder) == [], leftovers(folder)
        backup.restore(old, folder, passphrase=PASSPHRASE, replace=True)  # start again
    return outcome


@dataclass(frozen=True)
class Prepared:
    folder: Path  # the vault: two people
    restored_from: Path  # a backup of it with one
    old: Path  # a backup of it with two, to start each iteration again
    recovery_key: str


def prepare(work: Path) -> Prepared:
    from supervision_desktop.services import backup, people, vault_access

    folder = work / "vault"
    created = vault_access.create_vault(folder, owner_name="Robin Example",
                                        role="supervisor", passphrase=PASSPHRASE)
    with created.vault as vault:
        people.add_person(vault, "child", {"name": "Ada Example"})
        restored_from = backup.back_up(vault, work / "one.sdbackup").path
        people.add_person(vault, "child", {"name": "Bryn Example"})
        old = backup.back_up(vault, work / "two.sdbackup").path
    return Prepared(folder, restored_from, old, created.recovery_key)


def main(argv: list[str]) -> int:
    iterations = int(argv[0]) if argv else 200
    with tempfile.TemporaryDirectory(prefix="kill-restore-") as work:
        made = prepare(Path(work))
        started = time.perf_counter()
        result = run(iterations, made.folder, made.restored_from, made.old, made.recovery_key)
    print(f"{result['iterations']} kills during {result['restores_finished']} restores: "
          f"the old vault whole {result['old']} times, the restored one {result['restored']} "
          f"times, never a mix, never a question; {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
