"""Right-to-left text in a left-to-right document: lines broken, then put in display order.

reportlab without its optional ``rlbidi`` package lays text out left to right in typing
order, so "مرحبا بالعالم" would read backwards. A block holding right-to-left text is
broken into lines here (in typing order, as the algorithm requires), and each line is
reordered for display by python-bidi, a maintained implementation of the Unicode
Bidirectional Algorithm (UAX #9). ``shaping`` then joins the letters of each
right-to-left run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Literal

from bidi import get_base_level, get_display

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


def base_direction(text: str) -> Direction:
    """A paragraph's direction is that of its first strong character (rules P2, P3)."""
    return "R" if get_base_level(text) == 1 else "L"


def display(text: str, base: Direction) -> str:
    """One line in the order it is drawn, left to right (the Unicode Bidirectional
    Algorithm, python-bidi). Right-to-left letters come out reversed;
    ``shaping`` puts each run back in typing order to join its letters."""
    return str(get_display(text, base_dir=base))


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
