"""The signed documents list: importing a PDF someone sent, what the list says about it,
a tampered file refused with one message, saving a copy, and the carer-copy export box."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from supervision_desktop.services import lifecycle, records
from supervision_desktop.services.carer_import import import_signed_pdf
from supervision_desktop.services.export import export_record
from supervision_desktop.services.templates import get_template
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.carer import documents_page
from supervision_desktop.ui.carer.documents_page import DocumentsView
from supervision_desktop.ui.common.columns import ColumnsModel
from supervision_desktop.ui.common.dialog_parts import NOT_GENUINE, UNCHANGED
from supervision_desktop.ui.records import responses_panel
from supervision_desktop.ui.records.export_dialog import ExportDialog
from tests.test_carer_import import (  # noqa: F401 (fixtures)
    CARER,
    STAFF_ONLY,
    _one_byte_changed,
    carer_vault,
    record_id,
)

pytestmark = pytest.mark.gui


def _view(vault: Vault, qtbot: QtBot) -> DocumentsView:
    view = DocumentsView(vault)
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.show()
    qtbot.waitExposed(view)
    return view


def _messages(view: DocumentsView) -> list[QMessageBox]:
    return [box for box in view.findChildren(QMessageBox) if box.isVisible()]


def _cells(view: DocumentsView, row: int = 0) -> dict[str, str]:
    model = view.model
    return {model.column_titles()[c]: model.index(row, c).data()
            for c in range(model.columnCount())}


def test_an_imported_document_shows_who_signed_and_unchanged_and_opens_its_record(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path,  # noqa: F811
    qtbot: QtBot, qtmodeltester: object,
) -> None:
    (path,) = export_record(vault, record_id, tmp_path / "out")
    view = _view(carer_vault, qtbot)
    assert view.stack.currentWidget() is view.empty

    with qtbot.waitSignal(view.documents_changed), qtbot.waitSignal(view.imported) as done:
        view.import_paths([path])
    (result,) = done.args[0]
    assert result.outcome == "imported"
    (box,) = _messages(view)
    assert box.windowTitle() == "Imported"
    assert box.text().startswith(f"Imported {path.name}: unchanged since signing.")
    assert view.model.rowCount() == 1
    cells = _cells(view)
    assert cells["Signed by"] == "Morgan Testwell"
    assert cells["Check"] == UNCHANGED
    assert cells["Title"] == "Foster carer supervision record"
    assert cells["About"] == CARER and cells["Session date"] == "22/11/2026"
    assert cells["What"] == "Record · received"
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]

    view.select(result.document_id or "")
    with qtbot.waitSignal(view.open_record_requested) as opened:
        view.open_button.click()
    assert opened.args == [record_id]


def test_a_tampered_file_shows_one_message_and_adds_nothing(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path,  # noqa: F811
    qtbot: QtBot,
) -> None:
    (path,) = export_record(vault, record_id, tmp_path / "out")
    changed = _one_byte_changed(path)
    view = _view(carer_vault, qtbot)
    with qtbot.waitSignal(view.imported) as done:
        view.import_paths([changed])
    (result,) = done.args[0]
    assert result.outcome == "refused"
    (box,) = _messages(view)
    assert box.windowTitle() == "Not imported"
    assert box.icon() is QMessageBox.Icon.Warning
    assert box.text().count("\n\n") == 0  # one file, one message
    assert box.text().startswith("Refused: changed.pdf is not a genuine signed record.")
    assert view.model.rowCount() == 0


def test_a_flagged_file_reads_not_genuine_in_red(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path,  # noqa: F811
    qtbot: QtBot,
) -> None:
    (path,) = export_record(vault, record_id, tmp_path / "out")
    import_signed_pdf(carer_vault, _one_byte_changed(path), keep_flagged=True)
    view = _view(carer_vault, qtbot)
    assert _cells(view)["Check"] == NOT_GENUINE
    check = view.model.index(0, view.model.column_titles().index("Check"))
    assert check.data(ColumnsModel.TONE_ROLE) == "overdue"
    assert check.data(Qt.ItemDataRole.ForegroundRole).name() == "#a4262c"


def test_save_a_copy_writes_the_exact_bytes(
    vault: Vault, record_id: str, tmp_path: Path, qtbot: QtBot,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (path,) = export_record(vault, record_id, tmp_path / "out")
    view = _view(vault, qtbot)
    assert _cells(view)["What"] == "Record · sent"
    target = tmp_path / "copy.pdf"

    def choose(_parent: object, _suggested: Path, on_chosen: Callable[[Path], None]) -> None:
        on_chosen(target)

    monkeypatch.setattr(documents_page, "ask_save_path", choose)
    view.select(view.model.rows()[0].id)
    view.save_copy()
    assert target.read_bytes() == path.read_bytes()
    view.verify()
    assert any(box.windowTitle() == "Unchanged" for box in _messages(view))


def test_export_dialog_offers_the_carer_copy_and_uses_it(
    vault: Vault, record_id: str, tmp_path: Path, qtbot: QtBot,  # noqa: F811
) -> None:
    calls: list[bool] = []

    def export(carer_copy: bool) -> Callable[[Path, bool], list[Path]]:
        def run(folder: Path, names: bool) -> list[Path]:
            calls.append(carer_copy)
            return export_record(vault, record_id, folder, include_names=names,
                                 carer_copy=carer_copy)
        return run

    plain = ExportDialog(export(False), version=1, signer="", folder=tmp_path)
    qtbot.addWidget(plain)
    assert plain.carer_copy.isHidden()
    dialog = ExportDialog(export(False), version=1, signer="", folder=tmp_path / "copy",
                          export_carer_copy=export(True))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.carer_copy.isVisible()
    assert dialog.carer_copy.text() == "Ca&rer copy (leave out staff-only sections)"
    dialog.carer_copy.setChecked(True)
    with qtbot.waitSignal(dialog.exported, timeout=30000) as done:
        dialog.start()
    assert calls == [True]
    (written,) = done.args[0].files
    assert "carer-copy" in written.name
    text = subprocess.run(["pdftotext", str(written), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Brittany" in " ".join(text.split())
    assert STAFF_ONLY not in " ".join(text.split())


def test_the_record_page_panel_lists_a_carers_response(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path,  # noqa: F811
    qtbot: QtBot,
) -> None:
    panel = responses_panel.ResponsesPanel(vault, record_id)
    qtbot.addWidget(panel)
    assert panel.isHidden()
    (path,) = export_record(vault, record_id, tmp_path / "out")
    import_signed_pdf(carer_vault, path)
    response = records.create_record(
        carer_vault, get_template("carer-response"),
        subject_id=records.get_record(carer_vault, record_id).summary.subject_id,
        session_date="2026-11-25", fields={
            "responds_to": record_id, "responds_to_title": "Foster carer supervision record",
            "true_reflection": False, "disagreements": "Respite was 3 to 5 January.",
            "carer_signature": {"name": CARER, "role": "Foster carer", "date": "2026-11-25",
                                "strokes": [[[1, 1], [5, 5]]]}})
    lifecycle.finalise(carer_vault, response)
    (sent,) = export_record(carer_vault, response, tmp_path / "response")
    import_signed_pdf(vault, sent)

    panel.reload()
    assert not panel.isHidden()
    texts = [label.text() for label in panel.labels]
    assert texts[0] == "Carer's response"
    assert texts[1].startswith(f"Signed by {CARER} on ")
    assert "Unchanged ✓ · NOT a true reflection" in texts[1]
    assert "Respite was 3 to 5 January." in texts[1]


def test_a_received_records_page_offers_no_amend_or_export(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path,  # noqa: F811
    qtbot: QtBot,
) -> None:
    """The carer holds the worker's signed record: they can read and answer it, not change
    it or sign it as their own. Their own records still offer both."""
    from supervision_desktop.ui.records.record_page import RecordPage

    (path,) = export_record(vault, record_id, tmp_path / "out")
    import_signed_pdf(carer_vault, path)
    received = RecordPage(carer_vault, record_id)
    own = RecordPage(vault, record_id)
    for page in (received, own):
        qtbot.addWidget(page)
        page.show()
    assert received.read_only
    assert not received.lifecycle.amend_button.isVisible()
    assert not received.lifecycle.export_button.isVisible()
    assert own.lifecycle.amend_button.isVisible() and own.lifecycle.export_button.isVisible()


def test_a_received_carer_copy_shows_no_empty_staff_only_section(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path,  # noqa: F811
    qtbot: QtBot,
) -> None:
    from supervision_desktop.ui.records.record_page import RecordPage

    (path,) = export_record(vault, record_id, tmp_path / "out", carer_copy=True)
    import_signed_pdf(carer_vault, path)
    page = RecordPage(carer_vault, record_id)
    qtbot.addWidget(page)
    outline = [page.form.outline.item(row).text() for row in range(page.form.outline.count())]
    assert "Carers' views and requests" in outline
    assert "For the worker's own supervision" not in outline
    worker = RecordPage(vault, record_id)  # the worker still sees their whole record
    qtbot.addWidget(worker)
    assert "For the worker's own supervision" in [
        worker.form.outline.item(row).text() for row in range(worker.form.outline.count())]


def test_countersign_from_the_documents_page_adds_a_second_valid_signature(
    vault: Vault, record_id: str, carer_vault: Vault, tmp_path: Path,  # noqa: F811
    qtbot: QtBot,
) -> None:
    """The Documents page (the same on the supervisor's side): a genuine received PDF,
    signed by typing a name and ticking the confirmation, gains the owner's signature;
    poppler's pdfsig finds both signatures valid, and the copy is kept in the vault."""
    (path,) = export_record(vault, record_id, tmp_path / "out")
    result = import_signed_pdf(carer_vault, path)
    view = _view(carer_vault, qtbot)
    view.select(result.document_id or "")
    assert view.countersign_button.isEnabled()
    dialog = view.countersign()
    assert dialog is not None
    assert not dialog.sign_button.isEnabled()  # nothing signed or confirmed yet
    dialog.typed_name.setText(CARER)
    assert not dialog.sign_button.isEnabled()  # still needs "I, …, countersign this"
    dialog.confirm.setChecked(True)
    assert dialog.sign_button.isEnabled()
    out = tmp_path / "countersigned.pdf"
    with qtbot.waitSignal(view.documents_changed, timeout=20_000):
        dialog.save_to(out)
    report = subprocess.run(["pdfsig", str(out)], capture_output=True, text=True).stdout
    assert report.count("Signature Validation: Signature is Valid.") == 2
    assert view.model.rowCount() == 2  # the countersigned copy is kept beside the original
