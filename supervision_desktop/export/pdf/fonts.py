"""The shipped TrueType fonts, and text split into runs by which font has each glyph.

reportlab's built-in Helvetica silently drops ŵ, Ł, Arabic, Chinese and emoji, so every
string is drawn with the fonts in ``resources/fonts/``: DejaVu Sans first, then Droid Sans
Fallback (CJK), then Symbola (emoji and symbols). Fonts are registered once per process.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from supervision_desktop.export.pdf import shaping
from supervision_desktop.paths import fonts_dir

SANS = "SD-Sans"
SANS_BOLD = "SD-Sans-Bold"
SANS_OBLIQUE = "SD-Sans-Oblique"
CJK = "SD-CJK"
SYMBOLS = "SD-Symbols"

_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_OBLIQUE: "DejaVuSans-Oblique.ttf",
    CJK: "DroidSansFallbackFull.ttf",
    SYMBOLS: "Symbola.ttf",
}


class Face(Enum):
    """A typeface role; each tries its own font first, then the fallbacks in order."""

    _value_: tuple[str, ...]

    REGULAR = (SANS, CJK, SYMBOLS)
    BOLD = (SANS_BOLD, SANS, CJK, SYMBOLS)
    OBLIQUE = (SANS_OBLIQUE, SANS, CJK, SYMBOLS)

    @property
    def font(self) -> str:
        return self._value_[0]


@dataclass(frozen=True)
class _Coverage:
    name: str
    codepoints: frozenset[int]


class FontsMissing(RuntimeError):
    """The application's font files are not where they should be (a broken install)."""


# Characters that never choose a font: they stay in the run around them, so spaces do not
# split runs and combining marks, joiners and variation selectors stay with their base.
_ATTACHED_CATEGORIES = {"Mn", "Me", "Cf", "Zs"}


@functools.cache
def register_fonts(folder: Path | None = None) -> tuple[_Coverage, ...]:
    """Register every shipped font with reportlab (once) and return their coverage."""
    folder = folder or fonts_dir()
    coverage = []
    for name, file_name in _FILES.items():
        path = folder / file_name
        if not path.is_file():
            raise FontsMissing(f"The PDF font {file_name} is missing from {folder}.")
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        font = pdfmetrics.getFont(name)
        if not isinstance(font, TTFont):  # a built-in font under our name: not the shipped one
            raise FontsMissing(f"The PDF font {name} is not the shipped {file_name}.")
        coverage.append(_Coverage(name, frozenset(font.face.charToGlyph)))
    # <b> and <i> inside our own fixed markup map to the shipped faces.
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS_OBLIQUE)
    addMapping(SANS, 1, 1, SANS_BOLD)
    _install_to_unicode()
    shaping.install()
    return tuple(coverage)


def _covers() -> dict[str, frozenset[int]]:
    return {c.name: c.codepoints for c in register_fonts()}


def split_runs(text: str, face: Face = Face.REGULAR) -> list[tuple[str, str]]:
    """``[(font name, text), ...]``: consecutive characters drawn with the same font.

    Each character takes the first font of ``face`` that has a glyph for it; a character
    no font has stays with the face's own font (it shows as a box rather than vanishing).
    """
    covers = _covers()
    chain = face.value
    primary = covers[chain[0]]
    if all(ord(char) in primary for char in set(text)):
        return [(chain[0], text)] if text else []
    runs: list[tuple[str, str]] = []
    current = ""
    piece: list[str] = []
    for char in text:
        code = ord(char)
        if current and unicodedata.category(char) in _ATTACHED_CATEGORIES:
            font = current
        elif code in primary:
            font = chain[0]
        else:
            font = next((name for name in chain if code in covers[name]), chain[0])
        if font != current and piece:
            runs.append((current, "".join(piece)))
            piece = []
        current = font
        piece.append(char)
    if piece:
        runs.append((current, "".join(piece)))
    return runs


def text_width(text: str, face: Face, size: float) -> float:
    """Width in points of text drawn as its runs (unshaped advance widths)."""
    return sum(pdfmetrics.stringWidth(run, font, size) for font, run in split_runs(text, face))


# --- reportlab workaround ---------------------------------------------------------------


# Presentation forms: the joined Arabic letters (and lam-alef) HarfBuzz picks when shaping,
# and the Latin ligatures U+FB00–FB06. reportlab names each drawn glyph by the first
# character the font's cmap gives it, so shaped Arabic would extract as these forms.
_PRESENTATION_FORMS = re.compile("[\ufb00-\ufb06\ufb50-\ufdff\ufe70-\ufeff]")


def text_of(code: int) -> str:
    """What a glyph drawn as ``code`` means: a presentation form as the letters it shows."""
    char = chr(code)
    if _PRESENTATION_FORMS.match(char):
        return unicodedata.normalize("NFKC", char)
    return char


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with characters beyond U+FFFF written as UTF-16 and
    presentation forms mapped to their letters.

    reportlab 5.1 writes ``<%04X>`` for every character, so U+1F44D becomes the invalid
    ``<1F44D>`` and text extraction, search and screen readers get the wrong character;
    and a joined Arabic meem (U+FEE3) would extract as that form, not as U+0645.
    """

    def utf16(code: int) -> str:
        return text_of(code).encode("utf-16-be", "surrogatepass").hex().upper()

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{index:02X}> <{utf16(code)}>" for index, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


def _install_to_unicode() -> None:
    """Install the CMap writer above in place of reportlab's."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
