"""Spell check in a form's multi-line boxes: misspelt words underlined in red as typed,
suggestions and "Add to dictionary" in the context menu, added words kept in the vault."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from supervision_desktop.services import spelling, templates
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.forms import FormView, load_choices
from supervision_desktop.ui.forms.spell_check import spelling_menu

pytestmark = pytest.mark.gui


def _underlined(edit: QPlainTextEdit) -> list[str]:
    """The text under each red wavy underline, as Qt laid it out."""
    found = []
    block = edit.document().firstBlock()
    while block.isValid():
        for span in block.layout().formats():
            if span.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline:
                units = block.text().encode("utf-16-le")  # Qt counts UTF-16 units
                found.append(units[2 * span.start:2 * (span.start + span.length)]
                             .decode("utf-16-le"))
        block = block.next()
    return found


@pytest.fixture
def notes(vault: Vault, qtbot: QtBot) -> QPlainTextEdit:
    form = templates.get_template("personal-supervision")
    view = FormView(form, load_choices(vault, form.subject_kind))
    qtbot.addWidget(view)
    view.resize(1100, 800)
    view.show()
    edit = view.editors["workload"].inputs()[0]
    assert isinstance(edit, QPlainTextEdit)
    return edit


def _point_at(edit: QPlainTextEdit, text: str) -> QPoint:
    cursor = edit.textCursor()
    cursor.setPosition(edit.toPlainText().index(text) + 2)
    return edit.cursorRect(cursor).center()


def test_misspelt_words_are_underlined_as_typed_even_after_an_emoji(
        notes: QPlainTextEdit, qtbot: QtBot) -> None:
    qtbot.keyClicks(notes, "Met the team ")
    notes.insertPlainText("👍🏽")  # QTest types only Latin-1 keys: not an emoji, not ŵ
    qtbot.keyClicks(notes, " and colleauges about safegaurding at D")
    notes.insertPlainText("ŵ")
    qtbot.keyClicks(notes, "r")
    assert _underlined(notes) == ["colleauges", "safegaurding", "Dŵr"]


def test_a_suggestion_replaces_the_word(notes: QPlainTextEdit) -> None:
    notes.setPlainText("Talked with colleauges today")
    menu = spelling_menu(notes, _highlighter(notes), _point_at(notes, "colleauges"), None)
    texts = [a.text() for a in menu.actions()]
    assert texts[0] == "colleagues" and texts[1] == ""  # then a separator, then Qt's own
    menu.actions()[0].trigger()
    assert notes.toPlainText() == "Talked with colleagues today"
    assert _underlined(notes) == []


def test_added_to_dictionary_a_name_is_no_longer_underlined_anywhere(
        vault: Vault, notes: QPlainTextEdit) -> None:
    notes.setPlainText("Visit to Dŵr with Dŵr's carer")
    highlighter = _highlighter(notes)
    menu = spelling_menu(notes, highlighter, _point_at(notes, "Dŵr"),
                         lambda word: spelling.add_to_dictionary(vault, word,
                                                                 highlighter.speller))
    (add,) = [a for a in menu.actions() if a.text() == "Add “Dŵr” to dictionary"]
    add.trigger()
    assert _underlined(notes) == []
    assert spelling.speller(vault).knows("Dŵr")  # kept in the vault for next time


def test_a_known_word_gets_only_the_usual_menu(notes: QPlainTextEdit) -> None:
    notes.setPlainText("Talked with colleagues today")
    menu = spelling_menu(notes, _highlighter(notes), _point_at(notes, "colleagues"), None)
    assert "Add" not in " ".join(a.text() for a in menu.actions())
    assert any(a.text().startswith("&Copy") or a.text().startswith("Copy")
               for a in menu.actions())


def _highlighter(edit: QPlainTextEdit):  # type: ignore[no-untyped-def]
    from supervision_desktop.ui.forms.spell_check import SpellHighlighter

    (found,) = edit.document().findChildren(SpellHighlighter)
    return found


def test_a_carers_notes_are_spell_checked_too(vault: Vault, qtbot: QtBot) -> None:
    from supervision_desktop.services.notes import LIFE_STORY
    from supervision_desktop.ui.carer.notes_page import NotesPane

    pane = NotesPane(vault, LIFE_STORY)
    qtbot.addWidget(pane)
    pane.body.setPlainText("We went to the beech and had icecream")
    assert _underlined(pane.body) == ["icecream"]  # "beech" is a word: not a spelling slip
