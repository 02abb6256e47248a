"""What the main window does differently for a foster carer's vault.

A carer sees their supervisions, actions, notes, people and search; no staff dashboard
and no staff templates. A PDF dropped on the window is imported (the signed record their
supervising social worker sent), where a staff window opens it to verify.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QWidget

from supervision_desktop.store.vault import Vault

CARER = "carer"
CARER_AUDIENCES = ("carer", "both")
STAFF_AUDIENCES = ("staff", "both")


def is_carer_vault(vault: Vault) -> bool:
    from supervision_desktop.services.info import vault_info

    return vault_info(vault).role == CARER


def pdfs_from(mime: QMimeData) -> list[Path]:
    """Every local PDF file in a drag (a carer may drop several at once)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls()
            if url.isLocalFile() and url.toLocalFile().lower().endswith(".pdf")]


def import_dropped(parent: QWidget, vault: Vault, paths: list[Path],
                   on_done: Callable[[], None]) -> None:
    """Import dropped signed PDFs (one message saying what happened to each file), then
    on_done so the page showing can list them."""
    from supervision_desktop.ui.carer.documents_page import import_files

    import_files(parent, vault, paths, on_done=lambda _results: on_done())
