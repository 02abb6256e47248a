"""The start-up import budget: what a fresh process has imported once the unlocked main
window is on screen. The PDF renderer and signer, the migration machinery, the command line,
printing and spelling suggestions load on first use, never with the window (each of these
once crept back into every cold start unnoticed); and the whole stays within a module count,
so a new heavy import at start fails here before it shows in the benchmark."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from supervision_desktop.services import vault_access
from tests.conftest import PASSPHRASE

pytestmark = pytest.mark.gui

# The app's own start: the layers below the GUI before Qt, then the shell and the window.
FIRST_WINDOW = """
import json, os, sys
from pathlib import Path
from supervision_desktop import __main__ as entry
entry._preload_before_qt()
from PySide6.QtWidgets import QApplication
from supervision_desktop.services import templates, vault_access
from supervision_desktop.store.keyring_cache import MemoryKeyring
from supervision_desktop.ui.shell import app as shell
from supervision_desktop.ui.shell.main_window import MainWindow
app = QApplication([])
unlocked = vault_access.unlock_with_passphrase(
    Path(sys.argv[1]), os.environ["SUPERVISION_PASSPHRASE"], full_check=False)
window = MainWindow(unlocked.vault, templates.catalogue(), MemoryKeyring(),
                    owner_name="Ola Tester")
window.show()
app.processEvents()
print(json.dumps(sorted(sys.modules)))
"""

LOADED_ON_FIRST_USE = (
    "reportlab", "pyhanko", "pyhanko_certvalidator",  # the PDF renderer and signer
    "supervision_desktop.export.pdf", "supervision_desktop.services.rendering",
    "bidi", "uharfbuzz",  # right-to-left text in PDFs
    "alembic",  # migrations: only when a vault is older than this app
    "supervision_desktop.cli",  # the command line is its own entry point
    "PySide6.QtPrintSupport", "pypdfium2",  # Print…
    "spellchecker",  # suggestions, asked for on a misspelt word
)
MODULE_BUDGET = 1200  # 1,111 on 04/12/2026 (Python 3.11, PySide6 6.11)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("start") / "vault"
    made = vault_access.create_vault(folder, owner_name="Ola Tester", role="supervisor",
                                     passphrase=PASSPHRASE)
    made.vault.close()
    root = Path(__file__).resolve().parent.parent
    environment = {**os.environ, "SUPERVISION_PASSPHRASE": PASSPHRASE,
                   "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", FIRST_WINDOW, str(folder)], cwd=root,
                          env=environment, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    modules: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return modules


@pytest.mark.parametrize("package", LOADED_ON_FIRST_USE)
def test_the_first_window_does_not_load(imported: list[str], package: str) -> None:
    assert [m for m in imported if m == package or m.startswith(package + ".")] == []


def test_the_first_window_stays_within_its_import_budget(imported: list[str]) -> None:
    assert "supervision_desktop.ui.shell.main_window" in imported  # it did get that far
    assert len(imported) <= MODULE_BUDGET
