"""Signing from the keyboard (issue 21): the name typed, then an explicit "I, <name>, sign
this record" tick, reached and ticked with Tab and Space alone; the PDF says the record was
signed that way, on the signature and on the evidence page."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
import time_machine
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from supervision_desktop.domain.templates import validate_values
from supervision_desktop.services import people, records
from supervision_desktop.services.rendering import render_record_pdf
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.forms import FormView
from supervision_desktop.ui.forms.signature_pad import SignatureEditor
from tests.ui.test_forms import CHOICES, every_kind_template

pytestmark = pytest.mark.gui


@pytest.fixture
def signature(qtbot: QtBot) -> SignatureEditor:
    view = FormView(every_kind_template(), CHOICES)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    editor = view.editors["supervisor_signature"]
    assert isinstance(editor, SignatureEditor)
    return editor


def test_signing_with_the_keyboard_alone(signature: SignatureEditor, qtbot: QtBot) -> None:
    assert not signature.typed.isEnabled()  # nothing to confirm without a name
    assert signature.typed.text() == "Type your name above to sign by typing it"
    signature.name.setFocus()
    qtbot.waitUntil(signature.name.hasFocus)
    qtbot.keyClicks(signature.name, "Morgan Testwell")
    assert signature.typed.text() == "I, Morgan Testwell, sign this record by typing my name"
    for _ in range(20):  # Tab on through role, date and the pad's button to the tick
        if signature.typed.hasFocus():
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert signature.typed.hasFocus()
    with time_machine.travel(dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC), tick=False):
        qtbot.keyClick(signature.typed, Qt.Key.Key_Space)
    assert signature.value() == {"name": "Morgan Testwell", "date": "2026-11-22",
                                 "typed": True}


def test_clearing_the_name_takes_the_typed_signature_back(signature: SignatureEditor) -> None:
    signature.name.setText("Morgan Testwell")
    signature.typed.setChecked(True)
    signature.name.setText("")
    assert not signature.typed.isChecked() and not signature.typed.isEnabled()
    assert "typed" not in (signature.value() or {})


def test_a_stored_typed_signature_shows_as_signed_and_keeps_its_date(
        signature: SignatureEditor) -> None:
    stored = {"name": "Morgan Testwell", "date": "2026-11-20", "typed": True}
    signature.set_value(stored)
    assert signature.typed.isChecked() and signature.value() == stored
    signature.set_read_only(True)
    assert not signature.typed.isEnabled()


def test_a_typed_signature_needs_a_name_and_a_true_or_false() -> None:
    template = every_kind_template()
    assert validate_values(template, {"supervisor_signature": {"typed": True}}) == [
        "supervisor_signature typed: a typed signature needs the signer's name"]
    assert validate_values(template, {"supervisor_signature": {"name": "A", "typed": "yes"}}) == [
        "supervisor_signature typed: must be true or false"]


def test_the_pdf_says_the_record_was_signed_by_typing(vault: Vault, tmp_path: Path) -> None:
    person = people.add_person(vault, "supervisee", {"name": "Jo Bloggs"})
    made = records.create_record(vault, every_kind_template(), subject_id=person.id,
                                 fields={"supervisor_signature": {
                                     "name": "Morgan Testwell", "date": "2026-11-22",
                                     "typed": True}})
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(render_record_pdf(vault, made).data)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "Typed signature: name typed and signing confirmed" in text
    assert "Typed name, signing confirmed" in text  # the evidence page


def test_changing_the_name_after_ticking_takes_the_typed_signature_back(
        signature: SignatureEditor) -> None:
    """The tick confirmed one person's name: another name is not signed by it."""
    signature.name.setText("Jo Bloggs")
    signature.typed.setChecked(True)
    signature.name.setText("Sam Other")
    assert not signature.typed.isChecked()
    assert "typed" not in (signature.value() or {})
    signature.set_value({"name": "Jo Bloggs", "date": "2026-11-20", "typed": True})
    signature.name.setText("Jo Bloggs")  # the same name again: still signed
    assert signature.typed.isChecked()
