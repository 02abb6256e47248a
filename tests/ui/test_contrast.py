"""Colour contrast (WCAG 2.2 AA, EN 301 549 11.1.4.3 and 11.1.4.11): every text colour the
application sets is at least 4.5:1 against what it is drawn on, every state colour and the
focus ring at least 3:1. The pairs are read from the code's own style sheets, so a new
colour is checked without anyone listing it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from supervision_desktop.ui.common import passphrase_strength
from supervision_desktop.ui.common.widgets import STYLE_SHEET
from supervision_desktop.ui.forms import spell_check
from supervision_desktop.ui.records.record_actions import BADGE_COLOURS

UI = Path(__file__).resolve().parents[2] / "supervision_desktop" / "ui"
RULE = re.compile(r"\{([^{}]*)\}")
COLOUR = re.compile(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})")
BACKGROUND = re.compile(r"background:\s*(#[0-9a-fA-F]{3,6})")


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    hexa = colour.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(ch * 2 for ch in hexa)
    r, g, b = (int(hexa[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_gives_the_wcag_reference_values() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # just below AA
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54  # just above


def _style_rules() -> list[tuple[str, str]]:
    """(where, rule body) of every style sheet rule in the GUI's code."""
    found = [("widgets.STYLE_SHEET", body) for body in RULE.findall(STYLE_SHEET)]
    for path in sorted(UI.rglob("*.py")):
        # adjacent string literals are one string: join them, as Python does
        code = re.sub(r'"\s*\n\s*f?"', "", path.read_text("utf-8"))
        # a widget's own sheet without a selector: setStyleSheet("color: …")
        found += [(path.name, body) for body in re.findall(r'setStyleSheet\("([^"{}]*)"\)', code)]
        for literal in re.findall(r'"((?:[^"\\]|\\.)*\{[^"]*)"', code):
            found += [(path.name, body) for body in RULE.findall(literal.replace("{{", "{")
                                                                   .replace("}}", "}"))]
    return found


@pytest.mark.usefixtures("qapp")
def test_every_text_colour_in_a_style_sheet_reads_against_its_background() -> None:
    window = QApplication.palette().color(QPalette.ColorRole.Window).name()
    checked, failing = 0, []
    for where, body in _style_rules():
        text = COLOUR.search(body)
        if text is None:
            continue
        back = BACKGROUND.search(body)
        against = [back.group(1)] if back else [window, "#ffffff"]
        for background in against:
            checked += 1
            ratio = contrast(text.group(1), background)
            if ratio < 4.5:
                failing.append(f"{where}: {text.group(1)} on {background} is {ratio:.2f}:1")
    assert checked >= 17 and failing == []  # every rule with a colour is counted


@pytest.mark.parametrize("status", list(BADGE_COLOURS))
def test_each_status_badge_reads_and_is_said_in_words(status: object) -> None:
    background, text, _border = BADGE_COLOURS[status]  # type: ignore[index]
    assert contrast(text, background) >= 4.5


def test_state_colours_and_the_spelling_underline_stand_out() -> None:
    for colour in set(passphrase_strength._COLOURS):  # beside words, never alone
        assert contrast(colour, "#ffffff") >= 3.0, colour
    assert contrast(spell_check.UNDERLINE.name(), "#ffffff") >= 3.0


@pytest.mark.usefixtures("qapp")
def test_the_focus_ring_stands_out_from_the_box_and_the_window() -> None:
    palette = QApplication.palette()
    ring = palette.color(QPalette.ColorRole.Highlight).name()
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
        assert contrast(ring, palette.color(role).name()) >= 3.0, role
