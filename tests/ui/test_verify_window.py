"""The verify window: a clear verdict on a signed PDF, each signature, and the vault match."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from supervision_desktop.services import templates
from supervision_desktop.services.export import export_record
from supervision_desktop.store.keyring_cache import MemoryKeyring
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.shell.main_window import MainWindow
from supervision_desktop.ui.vault_admin import verify_window
from supervision_desktop.ui.vault_admin.verify_window import VALID, Checked, VerifyWindow
from tests.conftest import OWNER
from tests.ui.test_record_actions import SUBJECT, finalised_record

pytestmark = pytest.mark.gui

CHECK_TIMEOUT_MS = 30_000  # the first check loads pyHanko
UK_TIME = re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d")


@pytest.fixture
def exported(vault: Vault, tmp_path: Path) -> tuple[str, Path]:
    record_id = finalised_record(vault)
    (path,) = export_record(vault, record_id, tmp_path / "out")
    return record_id, path


@pytest.fixture
def window(vault: Vault, qtbot: QtBot) -> VerifyWindow:
    shown = VerifyWindow(vault)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def _check(window: VerifyWindow, path: Path, qtbot: QtBot) -> Checked:
    with qtbot.waitSignal(window.checked, timeout=CHECK_TIMEOUT_MS) as done:
        window.verify(path)
        assert window.verdict.text() == "Checking…" and window.progress.isVisible()
    (checked,) = done.args
    assert isinstance(checked, Checked)
    return checked


def _altered_copy(path: Path, folder: Path) -> Path:
    """The file with one byte changed inside a stream the signature covers."""
    data = bytearray(path.read_bytes())
    found = re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)", data)
    assert found is not None
    first_range_end = int(found.group(1))
    stream = data.index(b"stream", 0, first_range_end)
    position = stream + 40
    assert position < first_range_end
    data[position] ^= 0x01
    altered = folder / "altered.pdf"
    altered.write_bytes(bytes(data))
    return altered


def test_an_exported_record_is_valid_and_found_in_the_vault(
    exported: tuple[str, Path], window: VerifyWindow, qtbot: QtBot
) -> None:
    record_id, path = exported
    _check(window, path, qtbot)

    assert window.verdict.text() == VALID
    assert window.verdict.objectName() == "verdictValid"
    assert window.verdict.textFormat() == Qt.TextFormat.PlainText
    assert not window.problems.isVisible()
    assert window.in_vault.text() == (
        f"In this vault: record {record_id} (Staff supervision · {SUBJECT} · 20/11/2026), "
        "version 1."
    )
    (box,) = window.boxes
    assert box.signer.text() == f"{OWNER}, Supervision Desktop"
    assert UK_TIME.fullmatch(box.time.text())
    assert box.unchanged.text() == "Yes"
    assert box.identity.text().startswith("Self-asserted certificate")
    assert box.vault.text() == f"Yes: record {record_id}, version 1"
    assert box.standing is not None and box.standing.text() == "Known: your own certificate."
    assert box.fingerprint is not None and len(box.fingerprint.text().split()) == 12
    assert not window.accept_button.isVisible()


def test_one_changed_byte_makes_it_not_valid(
    exported: tuple[str, Path], window: VerifyWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    _record_id, path = exported
    checked = _check(window, _altered_copy(path, tmp_path), qtbot)

    assert not checked.report.ok
    assert window.verdict.text().startswith("NOT valid: the content was changed after signing")
    assert not window.accept_button.isVisible()
    assert window.verdict.objectName() == "verdictInvalid"
    assert window.problems.isVisible()
    assert "changed after signing" in window.problems.text()
    assert window.in_vault.text().startswith("The file says it is record")
    assert "may not be what was signed" in window.in_vault.text()
    (box,) = window.boxes
    assert box.unchanged.text() == "No"
    assert box.vault.text().startswith("No: it names record")


def test_a_pdf_this_vault_never_finalised_is_not_matched(
    exported: tuple[str, Path], window: VerifyWindow, qtbot: QtBot, tmp_path: Path,
    data_key: bytes, _vault_template: tuple[Path, bytes, str]
) -> None:
    from supervision_desktop.store import vault as vaults

    other_folder = tmp_path / "other-vault"
    shutil.copytree(_vault_template[0], other_folder)
    with vaults.open_with_key(other_folder, data_key) as other:
        record_id = finalised_record(other)
        (path,) = export_record(other, record_id, tmp_path / "theirs")
    _check(window, path, qtbot)
    # sound, but someone else's certificate in this vault owner's name: not genuine
    assert window.verdict.text() == ("NOT genuine: signed by a different certificate than "
                                     f"the one you have for this worker ({OWNER})")
    assert window.verdict.objectName() == "verdictUnknown"
    assert window.in_vault.text().startswith("No finalised record in this vault")
    (box,) = window.boxes
    assert box.vault.text().startswith(f"No: it says record {record_id}, version 1")
    assert box.on_file is not None and box.fingerprint is not None
    assert box.on_file.text() != box.fingerprint.text()


def test_the_open_button_checks_the_chosen_file(
    exported: tuple[str, Path], window: VerifyWindow, qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    _record_id, path = exported
    monkeypatch.setattr(verify_window, "ask_pdf", lambda parent, on_chosen: on_chosen(path))
    with qtbot.waitSignal(window.checked, timeout=CHECK_TIMEOUT_MS):
        window.open_button.click()
    assert window.file_label.text() == str(path)
    assert window.verdict.text() == VALID


def test_a_missing_file_is_reported(window: VerifyWindow, qtbot: QtBot, tmp_path: Path) -> None:
    missing = tmp_path / "gone.pdf"
    with qtbot.waitSignal(window.failed, timeout=CHECK_TIMEOUT_MS):
        window.verify(missing)
    assert window.verdict.text() == (
        f"Could not check the file: There is no file {missing} (was it moved or deleted?).")
    assert window.open_button.isEnabled()


def _drop(target: QWidget, path: Path) -> tuple[bool, bool]:
    """Drag a file over target and drop it: (drag accepted, drop accepted)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    centre = QPointF(target.rect().center())
    enter = QDragEnterEvent(centre.toPoint(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False, False
    drop = QDropEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    return True, drop.isAccepted()


def test_dropping_a_pdf_checks_it_and_other_files_are_refused(
    exported: tuple[str, Path], window: VerifyWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    _record_id, path = exported
    text = tmp_path / "notes.txt"
    text.write_text("not a PDF")
    assert _drop(window, text) == (False, False)
    with qtbot.waitSignal(window.checked, timeout=CHECK_TIMEOUT_MS):
        assert _drop(window, path) == (True, True)
    assert window.verdict.text() == VALID


def test_main_window_opens_it_from_the_menu_and_from_a_drop(
    exported: tuple[str, Path], vault: Vault, qtbot: QtBot
) -> None:
    _record_id, path = exported
    main = MainWindow(vault, templates.catalogue(), MemoryKeyring(), owner_name=OWNER)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    file_menu = main.menuBar().actions()[0].menu()
    (action,) = [a for a in file_menu.actions() if a.text() == "&Verify a signed PDF…"]
    action.trigger()
    shown = main.open_verify_window(None)
    assert shown.isVisible() and shown.isWindow()

    with qtbot.waitSignal(shown.checked, timeout=CHECK_TIMEOUT_MS):
        assert _drop(main, path) == (True, True)
    assert main.open_verify_window(None) is shown  # one window, reused
    assert shown.verdict.text() == VALID


def test_a_first_time_signer_is_amber_until_accepted_on_purpose(
    window: VerifyWindow, qtbot: QtBot, tmp_path: Path, vault: Vault,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from supervision_desktop.services import audit, known_signers
    from tests.test_signing import _sign_first, _signer_for, _unsigned_pdf

    stranger = _signer_for("Tam Stranger")
    path = tmp_path / "from-tam.pdf"
    path.write_bytes(_sign_first(_unsigned_pdf(), stranger))
    checked = _check(window, path, qtbot)
    assert checked.state.value == "unknown_signer"
    assert window.verdict.text() == verify_window.NOT_KNOWN
    assert window.verdict.objectName() == "verdictUnknown"
    assert window.accept_button.isVisible()

    dialogs: list[verify_window.AcceptSignerDialog] = []
    real_ask = verify_window.ask_accept

    def ask(parent: QWidget, shown: Checked, on_reason):  # type: ignore[no-untyped-def]
        dialogs.append(real_ask(parent, shown, on_reason))
        return dialogs[-1]

    monkeypatch.setattr(verify_window, "ask_accept", ask)
    window.accept_button.click()
    (dialog,) = dialogs
    (signer,) = checked.verification.signers
    assert signer.words in [w.text() for w in dialog.findChildren(type(window.verdict))]
    assert dialog.ok.isEnabled()  # first time: a reason is welcome, not needed
    dialog.reason.setText("Met Tam at the office; compared the digits")
    with qtbot.waitSignal(window.accepted, timeout=CHECK_TIMEOUT_MS) as done:
        dialog.ok.click()
    (after,) = done.args
    assert after.state.value == "genuine" and window.verdict.text() == VALID
    (pinned,) = known_signers.list_signers(vault)
    assert pinned.name == "Tam Stranger" and pinned.reason.startswith("Met Tam")
    assert "signer_change" in {e.action for e in audit.entries(vault)}
