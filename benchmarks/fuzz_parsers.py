"""The long fuzz run over every file parser (the suite runs ~100 examples of each).

    python -m benchmarks.fuzz_parsers --examples 5000          # every parser
    python -m benchmarks.fuzz_parsers --examples 20000 --only "signed PDF"

Each parser gets ``--examples`` random and mutated inputs (tests/fuzz_targets.py); any
exception other than its own typed error stops the run with hypothesis's minimal example
and exit status 1. Prints one line per parser: examples run and seconds taken.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="inputs per parser")
    parser.add_argument("--only", metavar="NAME", help="one parser, by its name")
    args = parser.parse_args(argv)

    from supervision_desktop.store import vault as vaults
    from supervision_desktop.store.keyfile import new_recovery_key
    from tests.fuzz_targets import fuzz, targets

    with tempfile.TemporaryDirectory(prefix="sd-fuzz-bench-") as folder:
        work = Path(folder)
        vault, _ = vaults.create(work / "vault", "fuzz benchmark passphrase", new_recovery_key())
        try:
            chosen = [t for t in targets(vault, work) if args.only in (None, t.name)]
            if not chosen:
                print(f"No parser named {args.only!r}.", file=sys.stderr)
                return 2
            for target in chosen:
                start = time.perf_counter()
                fuzz(target, args.examples, derandomize=False)
                print(f"{target.name:24} {args.examples:7} examples  "
                      f"{time.perf_counter() - start:7.1f} s  no unexpected error")
        finally:
            vault.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
