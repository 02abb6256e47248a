"""Right-to-left text in a left-to-right document, word by word.

reportlab shapes Arabic (HarfBuzz joins the letters and orders each word's glyphs) but
without the optional ``rlbidi`` package it lays words out left to right in typing order,
so "مرحبا بالعالم" would read backwards. This module does the part of the Unicode
bidirectional algorithm a record needs: it breaks a block into lines itself, then puts
the words of each line in display order (runs of right-to-left words reversed; in a
paragraph that starts right-to-left, the whole line reversed with left-to-right runs kept
in order). Words keep their characters in typing order; shaping orders the glyphs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Literal

Direction = Literal["L", "R"]

# Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic and their presentation forms,
# plus the right-to-left historic and Arabic mathematical blocks.
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
# Scripts and marks that need OpenType shaping to look right (Arabic joining, combining
# accents typed as separate characters, Indic scripts).
_SHAPED = re.compile(
    "[\u0300-\u036f\u0590-\u08ff\u0900-\u0dff\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff"
    "\ufb1d-\ufdff\ufe20-\ufe2f\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


def needs_shaping(text: str) -> bool:
    """Shaping costs about ten times plain layout, so only text that needs it is shaped."""
    return _SHAPED.search(text) is not None


def _strong(text: str) -> Direction | None:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            return "L"
    return None


def _numeric(word: str) -> bool:
    return any(unicodedata.bidirectional(char) == "EN" for char in word)


def base_direction(text: str) -> Direction:
    """A paragraph's direction is that of its first strong character (rules P2, P3)."""
    return _strong(text) or "L"


def visual_order(words: Sequence[str], base: Direction) -> list[str]:
    """The words of one line in the order they are drawn, left to right."""
    if not words:
        return []
    strong = [_strong(word) for word in words]
    resolved: list[Direction] = []
    for index, direction in enumerate(strong):
        if direction is None:
            before = next((d for d in reversed(strong[:index]) if d), base)
            after = next((d for d in strong[index + 1:] if d), base)
            if before == "L" and _numeric(words[index]):
                direction = "L"  # a number after left-to-right text joins it (rule W7)
            else:  # other neutrals take their neighbours' side, or the paragraph's (N1, N2)
                direction = before if before == after else base
        resolved.append(direction)
    if base == "L":
        levels = [1 if d == "R" else 0 for d in resolved]
    else:
        levels = [1 if d == "R" else 2 for d in resolved]
    order = list(range(len(words)))
    for level in range(max(levels), 0, -1):  # rule L2
        start = 0
        while start < len(order):
            if levels[order[start]] < level:
                start += 1
                continue
            end = start
            while end < len(order) and levels[order[end]] >= level:
                end += 1
            order[start:end] = reversed(order[start:end])
            start = end
    return [words[i] for i in order]


def break_lines(words: Sequence[str], measure: Callable[[str], float], width: float,
                space: float) -> list[list[str]]:
    """Greedy line breaking in typing order; a word wider than the line gets its own line."""
    lines: list[list[str]] = []
    line: list[str] = []
    used = 0.0
    for word in words:
        word_width = measure(word)
        needed = word_width if not line else used + space + word_width
        if line and needed > width:
            lines.append(line)
            line, used = [word], word_width
        else:
            line.append(word)
            used = needed
    if line:
        lines.append(line)
    return lines
