"""Importing a transfer bundle in the GUI: who sent it, and accepting a new certificate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from supervision_desktop.services import audit, certificates, people, transfer
from supervision_desktop.services.transfer_senders import Standing
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.keyfile import new_recovery_key
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.people import transfer_bundle
from tests.conftest import OWNER, PASSPHRASE
from tests.whole_file import SUPERVISEE_NAME, make_whole_file

pytestmark = pytest.mark.gui


@pytest.fixture
def receiving(tmp_path: Path) -> Iterator[Vault]:
    opened, _ = vaults.create(tmp_path / "receiving", PASSPHRASE, new_recovery_key())
    yield opened
    opened.close()


def _importer(qtbot: QtBot, vault: Vault) -> tuple[QMainWindow, transfer_bundle.TransferImporter]:
    window = QMainWindow()
    window.menuBar().addMenu("&File")
    qtbot.addWidget(window)
    window.show()
    return window, transfer_bundle.install(window, vault)


def test_a_new_sender_is_shown_with_the_fingerprint_and_imported_only_once_accepted(
    vault: Vault, receiving: Vault, qtbot: QtBot, tmp_path: Path
) -> None:
    made = make_whole_file(vault)
    exported = transfer.export_person(vault, made.person_id, tmp_path / "b.sdtransfer")
    fingerprint = certificates.certificate_info(vault).fingerprint
    window, importer = _importer(qtbot, receiving)
    dialog = importer.ask_passphrase(exported.path)
    dialog.passphrase.setText(exported.passphrase)
    with qtbot.waitSignal(dialog.sender_shown, timeout=20_000) as shown:
        dialog.start()
    assert shown.args[0].standing is Standing.NEW
    assert dialog.sender_text.text().startswith(
        f"Sent by {OWNER} (Supervision Desktop).\n"
        "It is signed by a certificate you do not know.\n"
        f"Compare this fingerprint with {OWNER} by phone or in person")
    assert dialog.fingerprint.text() == " ".join(
        fingerprint.upper()[i:i + 4] for i in range(0, 64, 4))
    assert dialog.import_button.text() == "Import and accept"
    assert not dialog.import_button.isEnabled()
    dialog.start()  # not ticked: nothing happens
    assert people.list_people(receiving) == []

    dialog.accept_sender.setChecked(True)
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(importer.imported, timeout=20_000) as done:
        dialog.start()
    assert done.args[0].accepted
    assert window.statusBar().currentMessage().startswith(
        f"Imported {SUPERVISEE_NAME}'s file: 3 records added")
    assert f"Signed by {OWNER}" in window.statusBar().currentMessage()
    assert audit.entries(receiving)[0].detail.endswith("new, accepted on purpose")

    # known now: the next bundle from that vault imports without asking
    again = importer.ask_passphrase(exported.path)
    again.passphrase.setText(exported.passphrase)
    with qtbot.waitSignal(importer.imported, timeout=20_000) as done:
        again.start()
    assert done.args[0].sender.standing is Standing.KNOWN
    assert again.sender_box.isHidden()
