"""kill -9 at random points of autosave (benchmarks/kill_autosave.py runs hundreds): every
save reported as committed is there, and the next start opens the vault without asking
whether it is the newest copy, every page and the audit chain sound."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import kill_autosave
from supervision_desktop.services import people
from supervision_desktop.store import vault as vaults


@pytest.mark.slow
def test_kill_9_during_autosave_keeps_every_reported_save_and_never_asks(
    vault_folder: Path, data_key: bytes
) -> None:
    with vaults.open_with_key(vault_folder, data_key) as vault:
        person = people.add_person(vault, "supervisee", {"name": "Ada Example"}).id
    result = kill_autosave.run(12, vault_folder, person, data_key)
    assert result["saves"] >= 24  # the kills landed among real saves, not before them
