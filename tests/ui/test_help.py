"""Help: F1 gives the guidance of the form that is open, else the user guide (the README's
user part, read offline); About names the version, the libraries and the fonts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from supervision_desktop import __version__
from supervision_desktop.domain.templates import Template
from supervision_desktop.services import help as help_service
from supervision_desktop.services import people, records, templates
from supervision_desktop.store.keyring_cache import MemoryKeyring
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.shell.help_dialogs import ReadingDialog, form_guidance_html
from supervision_desktop.ui.shell.main_window import MainWindow
from tests.conftest import ODD_TEXT, OWNER

pytestmark = pytest.mark.gui


@pytest.fixture
def window(vault: Vault, qtbot: QtBot) -> MainWindow:
    shown = MainWindow(vault, templates.catalogue(), MemoryKeyring(), owner_name=OWNER)
    qtbot.addWidget(shown)
    shown.resize(1280, 800)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_the_user_guide_is_the_readmes_user_part_in_order() -> None:
    guide = help_service.user_guide()
    headings = [line[3:] for line in guide.splitlines() if line.startswith("## ")]
    assert headings == ["Keyboard", "Where your data lives",
                        "Unlocking, locking and recovery", "What is due", "Foster carers",
                        "Backups, transfer, retention and the audit log",
                        "Signed PDF records", "Templates"]
    assert "| F1 | Help for what is open" in guide
    assert "## Development" not in guide and "## For IT" not in guide
    assert "## Quick start" not in guide  # install and test commands: not for the user


def test_f1_without_a_form_opens_the_user_guide(window: MainWindow, qtbot: QtBot) -> None:
    assert window.help_action.shortcut().toString() == "F1"
    dialog = window.show_help()
    assert isinstance(dialog, ReadingDialog) and dialog.windowTitle() == "User guide"
    text = dialog.text.toPlainText()
    assert "Unlocking, locking and recovery" in text and "Ctrl+L" in text
    assert dialog.text.openLinks() is False  # never leaves the app for a file link


def test_f1_on_a_form_opens_its_guidance(window: MainWindow, vault: Vault) -> None:
    person = people.add_person(vault, "supervisee", {"name": "Jo Bloggs"})
    form = templates.get_template("personal-supervision")
    window.open_record(records.create_record(vault, form, subject_id=person.id))
    dialog = window.show_help()
    assert dialog.windowTitle() == f"Guidance: {form.title}"
    text = dialog.text.toPlainText()
    assert ("Formal supervision sessions for all staff should be at least one and a half "
            "hours long.") in text
    assert "Records pertaining to personal supervision must be maintained separately" in text


def test_guidance_text_is_shown_as_written_never_as_markup() -> None:
    odd = Template.model_validate({
        "id": "odd", "version": 1, "title": f"Form {ODD_TEXT}", "category": "supervision",
        "subject_kind": "none",
        "source": {"organisation": "Testshire", "document": "Guide", "seed": "x.txt"},
        "sections": [{"id": "main", "title": "Main", "guidance": [ODD_TEXT],
                      "fields": [{"id": "notes", "kind": "text", "label": "Notes",
                                  "guidance": ["<i>not italic</i> & more"]}]}],
    })
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(form_guidance_html(odd))
    text = document.toPlainText()
    assert ODD_TEXT in text and "<i>not italic</i> & more" in text
    assert "<img" not in form_guidance_html(odd)


def test_about_names_the_version_libraries_and_fonts(window: MainWindow) -> None:
    dialog = window.show_about()
    text = dialog.text.toPlainText()
    assert text.startswith(f"Supervision Desktop {__version__}\n")
    for line in ("  SQLAlchemy ", "  pyHanko ", "  cryptography ", "  pypdfium2 ",
                 "  pyspellchecker ", "Droid Sans Fallback — Apache License 2.0",
                 "sqlcipher3 0.6.4 — zlib licence", "SCOWL's British English word list"):
        assert line in text
    assert dialog.text.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
