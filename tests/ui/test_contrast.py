"""Colour contrast (WCAG 2.2 AA, EN 301 549 11.1.4.3 and 11.1.4.11): every text colour the
application sets is at least 4.5:1 against what it is drawn on, every state colour and the
focus ring at least 3:1 — in each of the theme's sets (light, dark, high contrast, and high
contrast drawn from a light high-contrast palette). The pairs are read from each set's
own style sheet and roles, so a new colour is checked without anyone listing it; and no
colour is written anywhere in the GUI but the theme."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from supervision_desktop.ui.common import appearance, theme
from supervision_desktop.ui.common.theme import Colours
from supervision_desktop.ui.common.widgets import LAYOUT_SHEET, STYLE_SHEET
from supervision_desktop.ui.records.record_actions import BADGE_CHIPS

UI = Path(__file__).resolve().parents[2] / "supervision_desktop" / "ui"
RULE = re.compile(r"\{([^{}]*)\}")
COLOUR = re.compile(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6}|palette\([a-z-]+\))")
BACKGROUND = re.compile(r"background:\s*(#[0-9a-fA-F]{3,6})")
HEX = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?(?:[0-9a-fA-F]{2})?\b")
# a light high-contrast theme of the kind Windows ships ("Desert"): the set drawn from it
WHITE_HIGH_CONTRAST = theme.Palette(
    window="#fffaef", window_text="#3d3d3d", base="#fffaef", alternate_base="#f4efe4",
    text="#3d3d3d", button="#fffaef", button_text="#3d3d3d", highlight="#903909",
    highlighted_text="#fff5e3", link="#1c5e75", placeholder="#3d3d3d",
    disabled_text="#676767", tooltip_base="#fffaef", tooltip_text="#3d3d3d",
)
SETS = {**theme.SETS, "high-contrast-white": theme.high_contrast(WHITE_HIGH_CONTRAST)}


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


def _style_rules(colours: Colours) -> list[tuple[str, str]]:
    """(where, rule body) of every style sheet rule in the GUI's code, the application's
    sheet as ``colours`` make it first."""
    sheet = LAYOUT_SHEET + theme.style_sheet(colours)
    found = [(f"theme {colours.name}", body) for body in RULE.findall(sheet)]
    for path in sorted(UI.rglob("*.py")):
        # adjacent string literals are one string: join them, as Python does
        code = re.sub(r'"\s*\n\s*f?"', "", path.read_text("utf-8"))
        # a widget's own sheet without a selector: setStyleSheet("color: …")
        found += [(path.name, body) for body in re.findall(r'setStyleSheet\("([^"{}]*)"\)', code)]
        for literal in re.findall(r'"((?:[^"\\]|\\.)*\{[^"]*)"', code):
            found += [(path.name, body) for body in RULE.findall(literal.replace("{{", "{")
                                                                   .replace("}}", "}"))]
    return found


def _resolved(colour: str, colours: Colours) -> str:
    """A sheet's colour: written out, or a palette role (``palette(link)``) of the set."""
    role = re.fullmatch(r"palette\(([a-z-]+)\)", colour)
    return getattr(colours.palette, role.group(1).replace("-", "_")) if role else colour


@pytest.mark.parametrize("colours", SETS.values(), ids=SETS.keys())
def test_every_text_colour_in_a_style_sheet_reads_against_its_background(
        colours: Colours) -> None:
    window, base = colours.palette.window, colours.palette.base
    checked, failing = 0, []
    for where, body in _style_rules(colours):
        text = COLOUR.search(body)
        back = BACKGROUND.search(body)
        if text is None and back is None:
            continue
        ink = _resolved(text.group(1), colours) if text else colours.palette.window_text
        against = [back.group(1)] if back else [window, base]
        for background in against:
            checked += 1
            ratio = contrast(ink, background)
            if ratio < 4.5:
                failing.append(f"{where}: {ink} on {background} is {ratio:.2f}:1")
    assert checked >= 17 and failing == []  # every rule with a colour is counted


@pytest.mark.parametrize("colours", SETS.values(), ids=SETS.keys())
@pytest.mark.parametrize("status", list(BADGE_CHIPS))
def test_each_status_badge_reads_and_is_said_in_words(status: object, colours: Colours
                                                      ) -> None:
    chip = colours.chips[BADGE_CHIPS[status]]  # type: ignore[index]
    assert contrast(chip.text, chip.background) >= 4.5
    assert status.label  # type: ignore[attr-defined]  # the word on the chip


@pytest.mark.parametrize("colours", SETS.values(), ids=SETS.keys())
def test_state_colours_and_the_spelling_underline_stand_out(colours: Colours) -> None:
    palette = colours.palette
    for box in set(colours.strength):  # the words on it, never colour alone
        for background in (palette.base, palette.window, box.background):
            assert contrast(box.border, background) >= 3.0, box
    assert contrast(colours.spelling, palette.base) >= 3.0
    bars = (colours.tone_overdue, colours.tone_ok, colours.bar_due, colours.bar_drafts,
            colours.bar_unsent, colours.bar_none)
    for colour in (*bars, colours.boundary, colours.empty.border):  # on the window
        assert contrast(colour, palette.window) >= 3.0, colour
    assert contrast(colours.boundary, palette.base) >= 3.0  # the signature pad's outline


@pytest.mark.parametrize("colours", SETS.values(), ids=SETS.keys())
def test_every_text_role_reads_on_what_it_is_drawn_on(colours: Colours) -> None:
    p = colours.palette
    pairs = [("window text", p.window_text, p.window), ("text", p.text, p.base),
             ("text, other rows", p.text, p.alternate_base),
             ("button", p.button_text, p.button), ("selected", p.highlighted_text, p.highlight),
             ("placeholder", p.placeholder, p.base), ("tooltip", p.tooltip_text, p.tooltip_base)]
    for name in ("muted", "error", "yes", "no", "link"):
        colour = getattr(colours, name, None) or getattr(p, name)
        pairs += [(name, colour, p.window), (f"{name} in a box", colour, p.base)]
    for name in ("tone_overdue", "tone_due", "tone_ok", "tone_quiet"):  # table cells
        for where in ("base", "alternate_base", "window"):
            pairs.append((f"{name} on {where}", getattr(colours, name), getattr(p, where)))
    for name, box in colours.boxes().items():
        pairs.append((name, box.text, box.background))
    pairs.append(("the backup reminder's button", p.button_text, p.button))
    failing = [f"{name}: {ink} on {paper} is {contrast(ink, paper):.2f}:1"
               for name, ink, paper in pairs if contrast(ink, paper) < 4.5]
    assert len(pairs) >= 40 and failing == []


@pytest.mark.parametrize("colours", SETS.values(), ids=SETS.keys())
def test_the_sets_focus_ring_stands_out_from_everything_it_is_drawn_on(colours: Colours
                                                                       ) -> None:
    p = colours.palette
    around = {"window": p.window, "base": p.base, "selected row": p.highlight,
              **{name: box.background for name, box in colours.boxes().items()}}
    failing = [f"{name}: {colours.focus_ring} on {colour}" for name, colour in around.items()
               if contrast(colours.focus_ring, colour) < 3.0 and name != "selected row"]
    assert failing == []
    assert contrast(p.highlight, p.base) >= 3.0 and contrast(p.highlight, p.window) >= 3.0
    assert appearance.RING_PX == 2


def test_the_theme_contrast_agrees_with_the_reference_formula() -> None:
    for a, b in (("#000000", "#ffffff"), ("#777777", "#ffffff"), ("#a4262c", "#efefef")):
        assert theme.contrast(a, b) == pytest.approx(contrast(a, b))


def test_the_scripts_sheet_is_the_light_set() -> None:
    assert LAYOUT_SHEET + theme.style_sheet(theme.LIGHT) == STYLE_SHEET
    assert theme.LIGHT.notice.background in STYLE_SHEET


def test_no_colour_is_written_in_the_gui_but_in_the_theme() -> None:
    """Every colour comes from the theme's sets, so none is left behind when the set
    changes (a hard-coded dark grey vanishes on a dark window)."""
    found = []
    for path in sorted(UI.rglob("*.py")):
        if path.name == "theme.py" and path.parent.name == "common":
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            code = line.split("  # ")[0]
            literals = re.findall(r'"[^"]*"|\'[^\']*\'', code)
            if any(HEX.search(literal) for literal in literals) or re.search(
                    r"Qt\.GlobalColor\.(?!transparent)|QColor\(\s*[\"'][a-z]", code):
                found.append(f"{path.relative_to(UI)}:{number}: {line.strip()}")
    assert found == []


@pytest.mark.usefixtures("qapp")
def test_the_focus_ring_stands_out_from_the_box_and_the_window() -> None:
    palette = QApplication.palette()
    ring = palette.color(QPalette.ColorRole.Highlight).name()
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
        assert contrast(ring, palette.color(role).name()) >= 3.0, role
