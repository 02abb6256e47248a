"""kill -9 at random points of autosave: every save the app reported is there, the vault
opens without a question (no "older than last seen here"), every page and the audit chain
check, and the work goes on. (The suite runs a few iterations: tests/test_kill_autosave.py.)

Usage: python -m benchmarks.kill_autosave [ITERATIONS]   (default 200; from the project folder)

Each iteration starts a child that opens the vault and autosaves one draft again and again
(odd text that grows, as a worker types) and starts a new record every 20 saves (so the
audit log moves too). It prints each
save's number once it is committed; the parent kills it with SIGKILL a random 0.02-1 s
after its first save and checks the folder as the next start of the app would.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = "personal-supervision"
FIELD = "workload"  # a long-text field of that template (checked in the child)
ODD = "<b>Zoë & Siân ŵ</b> محمد 12345 🙂 "

# The key comes on stdin, never in argv or the environment.
CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from supervision_desktop.services import records
    from supervision_desktop.services.templates import get_template
    from supervision_desktop.store import vault as vaults
    folder, person, number = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    template_id, field, odd = sys.argv[4], sys.argv[5], sys.argv[6]
    vault = vaults.open_with_key(folder, bytes.fromhex(sys.stdin.readline()))
    template = get_template(template_id)
    assert field in {f.id for f in template.fields()}, field
    record = None
    while True:
        number += 1
        if record is None or number % 20 == 0:
            record = records.create_record(vault, template, subject_id=person,
                                           session_date="2026-11-05")
            print("record", record, flush=True)
        text = " ".join(f"autosave {n} {odd}" for n in range(number % 50 + 1))
        records.save_draft(vault, record, {field: f"save {number}: {text}"})
        print("saved", number, flush=True)  # committed: the parent may kill us from here on
    """
)


def kill_one(folder: Path, person: str, data_key: bytes, number: int,
             rng: random.Random) -> tuple[str | None, int]:
    """Run a child for a random while and kill -9 it; returns the draft it was saving
    and the number of its last save reported as committed."""
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "TZ": "UTC",
           "HOME": os.environ.get("HOME", "/tmp")}
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder), person, str(number), TEMPLATE, FIELD, ODD],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
    ) as child:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(data_key.hex() + "\n")
        child.stdin.flush()
        lines = [child.stdout.readline(), child.stdout.readline()]  # a record, a save
        assert lines[-1].startswith("saved"), f"the child did not start saving: {lines}"
        time.sleep(rng.uniform(0.02, 1.0))
        child.send_signal(signal.SIGKILL)
        child.wait()
        lines += child.stdout.read().splitlines()
    record, last = None, number
    for line in lines:
        kind, _, value = line.partition(" ")
        if kind == "record":
            record = value.strip()
        elif kind == "saved":
            last = int(value)
    return record, last


def check(folder: Path, data_key: bytes, record: str | None, last: int) -> int:
    """The folder as the next start finds it; returns the number of the save it holds
    (at least the last one reported: one more may have committed before the kill)."""
    from supervision_desktop.services import audit, records
    from supervision_desktop.store import vault as vaults

    with vaults.open_with_key(folder, data_key) as vault:  # no question, no adopt
        assert vault.check_integrity() is None, "a page of the vault is damaged"
        chain = audit.check_log(vault)
        assert chain.ok, chain.message
        assert record is not None
        fields = records.get_record(vault, record).fields
    stored = int(str(fields.get(FIELD, "save 0:")).split(":")[0].split()[1])
    assert stored >= last or record_was_started_after(last, stored), (
        f"save {last} was reported committed but the draft holds save {stored}")
    return max(stored, last)


def record_was_started_after(last: int, stored: int) -> bool:
    """A new record is started every 20 saves: a kill between starting it and its first
    save leaves it empty ("save 0"), with the last reported save on the one before."""
    return stored == 0 and (last + 1) % 20 == 0


def run(iterations: int, folder: Path, person: str, data_key: bytes,
        seed: int = 15) -> dict[str, int]:
    rng = random.Random(seed)
    number = 0
    for _iteration in range(iterations):
        record, last = kill_one(folder, person, data_key, number, rng)
        number = check(folder, data_key, record, last)
    return {"iterations": iterations, "saves": number}


def main(argv: list[str]) -> int:
    from supervision_desktop.services import people, vault_access

    iterations = int(argv[0]) if argv else 200
    with tempfile.TemporaryDirectory(prefix="kill-autosave-") as work:
        created = vault_access.create_vault(Path(work) / "vault", owner_name="Robin Example",
                                            role="supervisor",
                                            passphrase="correct horse battery staple")
        person = people.add_person(created.vault, "supervisee", {"name": "Ada Example"}).id
        data_key = created.vault.data_key
        created.vault.close()
        started = time.perf_counter()
        result = run(iterations, Path(work) / "vault", person, data_key)
    print(f"{result['iterations']} kills during {result['saves']} autosaves: every reported "
          f"save kept, vault opened without a question each time; "
          f"{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
