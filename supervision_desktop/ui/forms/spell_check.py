"""Spell check in a multi-line box: misspelt words underlined in red as you type, and the
context menu offering what they may have meant and "Add to dictionary"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QColor, QSyntaxHighlighter, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu, QPlainTextEdit

from supervision_desktop.domain.spelling import WORD, Speller
from supervision_desktop.errors import UserError
from supervision_desktop.ui.common import theme


def _utf16_offsets(text: str) -> list[int]:
    """Qt counts text in UTF-16 units: an emoji is two. Character index → Qt position."""
    offsets, position = [], 0
    for character in text:
        offsets.append(position)
        position += 2 if ord(character) > 0xFFFF else 1
    offsets.append(position)
    return offsets


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines the words of each paragraph the speller does not know."""

    def __init__(self, edit: QPlainTextEdit, speller: Speller) -> None:
        super().__init__(edit.document())
        self.speller = speller
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._format.setUnderlineColor(QColor(theme.current().spelling))  # 3:1 on the box

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt API)
        misspelt = self.speller.misspelt(text)
        if not misspelt:
            return
        offsets = _utf16_offsets(text)
        for start, length in misspelt:
            self.setFormat(offsets[start], offsets[start + length] - offsets[start],
                           self._format)


def _word_at(edit: QPlainTextEdit, position: QPoint) -> QTextCursor | None:
    """A cursor selecting the whole word (apostrophes included) at ``position``."""
    cursor = edit.cursorForPosition(position)
    block = cursor.block()
    text, at = block.text(), cursor.positionInBlock()
    offsets = _utf16_offsets(text)
    for match in WORD.finditer(text):
        start, end = offsets[match.start()], offsets[match.end()]
        if start <= at <= end:
            selected = QTextCursor(block)
            selected.setPosition(block.position() + start)
            selected.setPosition(block.position() + end, QTextCursor.MoveMode.KeepAnchor)
            return selected
    return None


def spelling_menu(edit: QPlainTextEdit, highlighter: SpellHighlighter, position: QPoint,
                  add_word: Callable[[str], object] | None) -> QMenu:
    """The box's usual context menu, with suggestions and "Add to dictionary" first when
    the word under the pointer is misspelt (suggestions are worked out only now)."""
    menu = edit.createStandardContextMenu(position)
    cursor = _word_at(edit, position)
    if cursor is None or edit.isReadOnly():
        return menu
    word = cursor.selectedText()
    speller = highlighter.speller
    if speller.knows(word):
        return menu
    ours = []
    suggested = speller.suggestions(word)
    for suggestion in suggested:
        action = QAction(suggestion, menu)
        action.triggered.connect(lambda _=False, s=suggestion, c=cursor: c.insertText(s))
        ours.append(action)
    if not suggested:
        none = QAction("No suggestions", menu)
        none.setEnabled(False)
        ours.append(none)
    if add_word is not None:
        add = QAction(f"Add “{word}” to dictionary", menu)

        def added() -> None:
            try:
                add_word(word)
            except UserError:  # not one word, or the dictionary is full: stays underlined
                return
            highlighter.rehighlight()

        add.triggered.connect(added)
        ours.append(add)
    separator = QAction(menu)
    separator.setSeparator(True)
    ours.append(separator)
    standard = menu.actions()
    if standard:
        menu.insertActions(standard[0], ours)
    else:
        menu.addActions(ours)
    return menu


def check_spelling(edit: QPlainTextEdit, speller: Speller,
                   add_word: Callable[[str], object] | None) -> SpellHighlighter:
    """Spell check ``edit`` from now on; returns the highlighter (kept by the box)."""
    highlighter = SpellHighlighter(edit, speller)
    edit.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    edit.customContextMenuRequested.connect(
        lambda position: spelling_menu(edit, highlighter, position, add_word).popup(
            edit.viewport().mapToGlobal(position)))
    return highlighter
