"""OpenType shaping of text already in display order, without ligatures.

reportlab shapes each word with HarfBuzz, guessing the word's direction from its first
letter, and turns ``liga`` and ``dlig`` on. Two things go wrong for a record:

* DejaVu Sans then draws "st" as one glyph, U+FB06, and "Foster" extracts as "Foﬆer":
  search in a case system, screen readers and copy-paste all break. Here the features
  that merge letters for looks are off; Arabic keeps its required joining and ligatures
  (``init``/``medi``/``fina``, ``rlig``), which HarfBuzz applies whatever is asked.
* Text reaches reportlab in display order (``bidi.display``), and a word may hold both
  directions ("Zoë/محمد", "محمد."). Each word is therefore shaped in pieces: every run
  of right-to-left letters is put back in typing order and shaped right to left (so its
  letters join and HarfBuzz returns the glyphs in display order); the rest is shaped left
  to right as it stands.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.platypus import paragraph as rl_paragraph

# Letters stay letters: no standard, discretionary, contextual or historical ligatures.
FEATURES = {"kern": True, "liga": False, "dlig": False, "clig": False, "hlig": False}

_reportlab_shape = ttfonts.shapeFragWord
_RTL_CLASSES = {"R", "AL"}
_ATTACHED_CLASSES = {"NSM", "BN"}  # combining marks, joiners: they go with their letter


def rtl_runs(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, right_to_left)`` pieces of display-order text.

    A combining mark or joiner belongs to the letter it is drawn with: in a right-to-left
    run (reversed for display) that is the letter after it, elsewhere the one before.
    """
    classes = [unicodedata.bidirectional(char) for char in text]
    flags: list[bool] = []
    for index, kind in enumerate(classes):
        if kind in _ATTACHED_CLASSES:
            following = next((k for k in classes[index + 1:] if k not in _ATTACHED_CLASSES), "")
            flags.append(following in _RTL_CLASSES or (bool(flags) and flags[-1]))
        else:
            flags.append(kind in _RTL_CLASSES)
    runs: list[tuple[int, int, bool]] = []
    for index, flag in enumerate(flags):
        if runs and runs[-1][2] == flag:
            runs[-1] = (runs[-1][0], index + 1, flag)
        else:
            runs.append((index, index + 1, flag))
    return runs


def _slice(parts: list[tuple[Any, str]], start: int, end: int) -> list[tuple[Any, str]]:
    """The (frag, text) pieces covering characters ``start:end`` of the word."""
    sliced = []
    offset = 0
    for frag, text in parts:
        low, high = max(start, offset), min(end, offset + len(text))
        if low < high:
            sliced.append((frag, text[low - offset:high - offset]))
        offset += len(text)
    return sliced


def _shape_piece(parts: list[tuple[Any, str]], features: dict[str, bool]) -> list[Any]:
    width = sum(pdfmetrics.stringWidth(text, frag.fontName, frag.fontSize)
                for frag, text in parts)
    return list(_reportlab_shape([width, *parts], features=features))


def shape_frag_word(word: Any, features: dict[str, bool] | None = None,
                    force: bool = False) -> Any:
    """reportlab's ``shapeFragWord`` with :data:`FEATURES`, one direction run at a time."""
    features = features or FEATURES
    parts = list(word[1:])
    if isinstance(word, ttfonts.ShapedFragWord) or any(
            hasattr(frag, "cbDefn") for frag, _ in parts):
        return _reportlab_shape(word, features=features, force=force)
    text = "".join(piece for _, piece in parts)
    runs = rtl_runs(text)
    if not any(rtl for _, _, rtl in runs):
        return _reportlab_shape(word, features=features, force=force)
    width = 0.0
    shaped: list[Any] = []
    for start, end, rtl in runs:
        piece = _slice(parts, start, end)
        if rtl:  # back into typing order; HarfBuzz returns it in display order
            piece = [(frag, text[::-1]) for frag, text in reversed(piece)]
        result = _shape_piece(piece, features)
        width += float(result[0])
        shaped.extend(result[1:])
    return ttfonts.makeShapedFragWord(word)([width, *shaped])


@functools.cache
def install() -> None:
    """Make reportlab's paragraphs shape this way (once per process)."""
    rl_paragraph.shapeFragWord = shape_frag_word  # type: ignore[attr-defined]
