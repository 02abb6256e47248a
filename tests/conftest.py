"""Shared fixtures: a real SQLCipher vault per test, copied from one made per session."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine

from supervision_desktop.services import vault_access
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.vault import Vault

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the real GUI, no screen needed

TODAY_VARIABLE = "SUPERVISION_TEST_TODAY"


def pytest_configure(config: pytest.Config) -> None:
    """``SUPERVISION_TEST_TODAY=2028-02-29 bash tests/run.sh`` runs the whole suite as if
    it were that day (the clock keeps ticking from 09:30 UTC), so no test can rely on
    the real date: run it on a leap day and on a bank holiday. Started before the test
    modules are collected, so their module-level dates see it too. Processes the tests
    start (the CLI in a subprocess) keep the real clock."""
    today = os.environ.get(TODAY_VARIABLE)
    if not today:
        return
    try:
        day = dt.date.fromisoformat(today)
    except ValueError:
        raise pytest.UsageError(f"{TODAY_VARIABLE}={today!r} is not a date such as "
                                "2028-02-29") from None
    traveller = time_machine.travel(dt.datetime(day.year, day.month, day.day, 9, 30,
                                                tzinfo=dt.UTC), tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


PASSPHRASE = "correct horse battery staple"
OWNER = "Morgan Testwell"  # fictional

# Text that breaks naive code: markup, entities, Welsh, Polish, Arabic, Chinese, emoji.
ODD_TEXT = (
    "<b>bold</b> & <img src=\"/etc/passwd\"/> <para \"quoted\" 'single' "
    "Dŵr ŷ Łódź مرحبا بالعالم 你好世界 👍🏽🙂 \\ % ; -- DROP TABLE records;"
)


@pytest.fixture(scope="session")
def _vault_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, str]:
    folder = tmp_path_factory.mktemp("template-vault") / "vault"
    created = vault_access.create_vault(
        folder, owner_name=OWNER, role="supervisor", passphrase=PASSPHRASE
    )
    data_key = created.vault._data_key
    created.vault.close()
    return folder, data_key, created.recovery_key


@pytest.fixture
def vault_folder(_vault_template: tuple[Path, bytes, str], tmp_path: Path) -> Path:
    """A closed vault of our own (passphrase PASSPHRASE), fresh for each test."""
    folder = tmp_path / "vault"
    shutil.copytree(_vault_template[0], folder)
    return folder


@pytest.fixture
def recovery_key(_vault_template: tuple[Path, bytes, str]) -> str:
    return _vault_template[2]


@pytest.fixture
def data_key(_vault_template: tuple[Path, bytes, str]) -> bytes:
    return _vault_template[1]


@pytest.fixture
def vault(vault_folder: Path, data_key: bytes) -> Iterator[Vault]:
    """An unlocked vault (opened with its data key, skipping the deliberate Argon2 cost)."""
    opened = vaults.open_with_key(vault_folder, data_key)
    yield opened
    opened.close()


def files_containing(folder: Path, needle: str) -> list[str]:
    """Names of files under folder whose bytes contain needle in any common encoding."""
    encodings = {needle.encode("utf-8"), needle.encode("utf-16-le")}
    escaped = needle.encode("ascii", "backslashreplace").decode("ascii")
    encodings.add(escaped.encode("ascii"))
    hits = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(form in data for form in encodings):
                hits.append(path.name)
    return hits


@pytest.fixture
def no_installed_pack(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Agency packs come only from what each test installs, never from this computer's
    folders; the CLI's passphrase is PASSPHRASE."""
    from supervision_desktop import paths
    from supervision_desktop.services import agency

    monkeypatch.delenv(agency.ENVIRONMENT, raising=False)
    monkeypatch.setattr(paths, "machine_agency_dir", lambda: tmp_path / "machine-agency")
    monkeypatch.setattr(paths, "user_agency_dir", lambda: tmp_path / "user-agency")
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
