"""Every colour the application draws, by what it means, in a light, a dark and a
high-contrast set: the one place a colour is written down.

The set follows the platform (Qt's colour-scheme and contrast hints), or
``SUPERVISION_THEME=light|dark|high-contrast`` when the platform's hint cannot be read.
Light and dark are tuned sets, each checked at 4.5:1 for text and 3:1 for the focus ring
and the boundaries that carry meaning (tests/ui/test_contrast.py). High contrast takes
every colour from the palette the user chose (Windows' high-contrast themes, GNOME's),
so it never fights it: words and weight carry the state, as they do in every set.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

VARIABLE = "SUPERVISION_THEME"
LIGHT_NAME, DARK_NAME, HIGH_CONTRAST_NAME = "light", "dark", "high-contrast"


@dataclass(frozen=True)
class Box:
    """A coloured box: its background, its text and its border."""

    background: str
    text: str
    border: str


@dataclass(frozen=True)
class Palette:
    """The Qt palette roles the set fills (what Qt's own widgets are drawn with)."""

    window: str
    window_text: str
    base: str
    alternate_base: str
    text: str
    button: str
    button_text: str
    highlight: str
    highlighted_text: str
    link: str
    placeholder: str
    disabled_text: str
    tooltip_base: str
    tooltip_text: str


@dataclass(frozen=True)
class Colours:
    """One set: the palette and every named colour role drawn on it."""

    name: str
    palette: Palette
    muted: str  # explanatory text on the window
    error: str  # text that says something went wrong
    yes: str  # a check that passed ("Yes"), beside the word
    no: str  # a check that failed ("No"), beside the word
    focus_ring: str
    boundary: str  # the outline of a drawn input (the signature pad, the drop area)
    spelling: str  # the wavy line under a misspelt word
    notice: Box  # something to read before going on
    panel: Box  # quiet emphasis: the recovery key, a section's guidance
    valid: Box  # a verdict: genuine, the hash chain intact
    invalid: Box  # a verdict: changed, broken
    unknown: Box  # a verdict: unchanged but the signer not known
    empty: Box  # no verdict yet: the drop area (no background of its own)
    chip_draft: Box
    chip_fixed: Box  # finalised or signed
    chip_exported: Box
    chip_uploaded: Box
    tone_overdue: str  # table text (on base and alternate base)
    tone_due: str
    tone_ok: str
    tone_quiet: str
    # the meter's bar for scores 0-4: a fill its words read on, outlined at 3:1
    strength: tuple[Box, Box, Box, Box, Box]
    bar_due: str  # the dashboard's bars (overdue and up to date use the tones)
    bar_drafts: str
    bar_unsent: str
    bar_none: str  # the hairline of a bar with nothing in it

    @property
    def chips(self) -> Mapping[str, Box]:
        """The status chips by the name a badge carries in its ``chip`` property."""
        return {"draft": self.chip_draft, "fixed": self.chip_fixed,
                "exported": self.chip_exported, "uploaded": self.chip_uploaded}

    def boxes(self) -> Mapping[str, Box]:
        """Every box of the set by its role's name (for the contrast tests)."""
        boxes = {f.name: getattr(self, f.name) for f in fields(self)
                 if isinstance(getattr(self, f.name), Box)}
        return boxes | {f"strength {score}": box for score, box in enumerate(self.strength)}


LIGHT = Colours(
    name=LIGHT_NAME,
    palette=Palette(
        window="#efefef", window_text="#000000", base="#ffffff", alternate_base="#f5f5f5",
        text="#000000", button="#efefef", button_text="#000000", highlight="#1f66a8",
        highlighted_text="#ffffff", link="#0b5cad", placeholder="#5f5f5f",
        disabled_text="#7a7a7a", tooltip_base="#ffffdc", tooltip_text="#000000",
    ),
    muted="#555555", error="#a4262c", yes="#0d652d", no="#a50e0e",
    focus_ring="#005fb8", boundary="#767676", spelling="#c50f1f",
    notice=Box("#fff4ce", "#3d2e00", "#e0c36a"),
    panel=Box("#f3f6fa", "#333333", "#8fa3bf"),
    valid=Box("#e6f4ea", "#0d652d", "#34a853"),
    invalid=Box("#fce8e6", "#a50e0e", "#d93025"),
    unknown=Box("#fef7e0", "#7a4f01", "#f9ab00"),
    empty=Box("#efefef", "#555555", "#767676"),
    chip_draft=Box("#eef0f3", "#3c4043", "#b9bec6"),
    chip_fixed=Box("#e3edfc", "#174ea6", "#8fb1ea"),
    chip_exported=Box("#fff4ce", "#6b4f00", "#e0c36a"),
    chip_uploaded=Box("#e6f4ea", "#0d652d", "#7cc08e"),
    tone_overdue="#a4262c", tone_due="#8a5300", tone_ok="#1e6b30", tone_quiet="#5f5f5f",
    strength=(Box("#f6d3d5", "#000000", "#c01c28"), Box("#f6d3d5", "#000000", "#c01c28"),
              Box("#f6e3c8", "#000000", "#9c6a2f"), Box("#cdebd9", "#000000", "#1f7f4f"),
              Box("#cdebd9", "#000000", "#1f7f4f")),
    bar_due="#a86a00", bar_drafts="#44546a", bar_unsent="#6b5b95", bar_none="#767676",
)

DARK = Colours(
    name=DARK_NAME,
    palette=Palette(
        window="#202124", window_text="#e8eaed", base="#292a2e", alternate_base="#303136",
        text="#e8eaed", button="#35363a", button_text="#e8eaed", highlight="#8ab4f8",
        highlighted_text="#111214", link="#8ab4f8", placeholder="#a8acb1",
        disabled_text="#80858b", tooltip_base="#3c4043", tooltip_text="#e8eaed",
    ),
    muted="#b4b8bd", error="#f49b93", yes="#81c995", no="#f49b93",
    focus_ring="#a8c7fa", boundary="#9aa0a6", spelling="#ff8a80",
    notice=Box("#3b3000", "#fde293", "#8c7000"),
    panel=Box("#27303b", "#dfe6ee", "#5d7391"),
    valid=Box("#0f2e1a", "#a8dab5", "#34a853"),
    invalid=Box("#3b1412", "#f6aea9", "#e06055"),
    unknown=Box("#3a2d05", "#fdd663", "#c69026"),
    empty=Box("#202124", "#b4b8bd", "#9aa0a6"),
    chip_draft=Box("#35373c", "#dadce0", "#6f737a"),
    chip_fixed=Box("#1c2b45", "#aecbfa", "#4f74b5"),
    chip_exported=Box("#3b3000", "#fde293", "#8c7000"),
    chip_uploaded=Box("#0f2e1a", "#a8dab5", "#3e8e57"),
    tone_overdue="#f49b93", tone_due="#fdd663", tone_ok="#81c995", tone_quiet="#b4b8bd",
    strength=(Box("#5c2b29", "#e8eaed", "#f28b82"), Box("#5c2b29", "#e8eaed", "#f28b82"),
              Box("#4d3a1f", "#e8eaed", "#e0a66e"), Box("#1e4630", "#e8eaed", "#81c995"),
              Box("#1e4630", "#e8eaed", "#81c995")),
    bar_due="#fdd663", bar_drafts="#9aa7b8", bar_unsent="#b8a9e0", bar_none="#9aa0a6",
)

HIGH_CONTRAST_PALETTE = Palette(  # used when asked for by name; the platform's otherwise
    window="#000000", window_text="#ffffff", base="#000000", alternate_base="#1a1a1a",
    text="#ffffff", button="#000000", button_text="#ffffff", highlight="#ffff00",
    highlighted_text="#000000", link="#80e0ff", placeholder="#d0d0d0",
    disabled_text="#a0a0a0", tooltip_base="#000000", tooltip_text="#ffffff",
)


def high_contrast(palette: Palette) -> Colours:
    """The high-contrast set drawn from ``palette`` alone: text in the palette's text
    colours, boxes outlined in them, the focus ring in its highlight."""
    on_window = Box(palette.window, palette.window_text, palette.window_text)
    text = palette.window_text
    return Colours(
        name=HIGH_CONTRAST_NAME, palette=palette, muted=text, error=text, yes=text, no=text,
        focus_ring=palette.highlight, boundary=text, spelling=palette.highlight,
        notice=on_window, panel=on_window, valid=on_window, invalid=on_window,
        unknown=on_window, empty=on_window, chip_draft=on_window, chip_fixed=on_window,
        chip_exported=on_window, chip_uploaded=on_window, tone_overdue=palette.text,
        tone_due=palette.text, tone_ok=palette.text, tone_quiet=palette.text,
        strength=(Box(palette.base, palette.text, palette.highlight),) * 5,
        bar_due=text, bar_drafts=text, bar_unsent=text, bar_none=text,
    )


HIGH_CONTRAST = high_contrast(HIGH_CONTRAST_PALETTE)
SETS = {LIGHT_NAME: LIGHT, DARK_NAME: DARK, HIGH_CONTRAST_NAME: HIGH_CONTRAST}


# --- choosing the set -------------------------------------------------------------------

class Hints(Protocol):
    """What is read from the platform (QStyleHints, or a fake in tests)."""

    def colorScheme(self) -> Qt.ColorScheme: ...  # noqa: N802 (Qt API)


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    hexa = colour.lstrip("#")
    r, g, b = (int(hexa[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


EXTREME = 20.0  # a palette this stark is a high-contrast theme (black on white is 21)


def palette_of(palette: QPalette) -> Palette:
    """The roles of a Qt palette (the platform's) as a set's palette."""
    def name(role: QPalette.ColorRole, group: QPalette.ColorGroup = QPalette.ColorGroup.Active
             ) -> str:
        return palette.color(group, role).name()

    roles = QPalette.ColorRole
    return Palette(
        window=name(roles.Window), window_text=name(roles.WindowText), base=name(roles.Base),
        alternate_base=name(roles.AlternateBase), text=name(roles.Text),
        button=name(roles.Button), button_text=name(roles.ButtonText),
        highlight=name(roles.Highlight), highlighted_text=name(roles.HighlightedText),
        link=name(roles.Link), placeholder=name(roles.PlaceholderText),
        disabled_text=name(roles.Text, QPalette.ColorGroup.Disabled),
        tooltip_base=name(roles.ToolTipBase), tooltip_text=name(roles.ToolTipText),
    )


def _wants_high_contrast(hints: object, platform: Palette) -> bool:
    accessibility = getattr(hints, "accessibility", None)  # QAccessibilityHints, Qt 6.10+
    if accessibility is not None and (accessibility().contrastPreference()
                                      == Qt.ContrastPreference.HighContrast):
        return True
    return contrast(platform.window, platform.window_text) >= EXTREME


def choose(hints: Hints, platform: Palette, environ: Mapping[str, str] = os.environ
           ) -> Colours:
    """The set to use: the environment's choice, else what the platform says — its
    contrast preference, its colour scheme, and failing both how dark its palette is."""
    asked = environ.get(VARIABLE, "").strip().lower()
    if asked in SETS:
        return SETS[asked]
    if _wants_high_contrast(hints, platform):
        return high_contrast(platform)
    scheme = hints.colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return DARK
    if scheme == Qt.ColorScheme.Light:
        return LIGHT
    return DARK if luminance(platform.window) < luminance(platform.window_text) else LIGHT


_current = [LIGHT]  # what use() was given last; the light set until then


def use(colours: Colours) -> None:
    """Make ``colours`` the set :func:`current` gives (appearance.follow_platform does)."""
    _current[0] = colours


def current() -> Colours:
    """The set in use, for colours drawn in code (table text, painted charts)."""
    return _current[0]


# --- applying it ------------------------------------------------------------------------

def qt_palette(colours: Palette) -> QPalette:
    """A Qt palette with the set's roles (the bevel shades derived from the button)."""
    palette = QPalette(QColor(colours.button), QColor(colours.window))
    roles = QPalette.ColorRole
    for role, colour in (
            (roles.Window, colours.window), (roles.WindowText, colours.window_text),
            (roles.Base, colours.base), (roles.AlternateBase, colours.alternate_base),
            (roles.Text, colours.text), (roles.Button, colours.button),
            (roles.ButtonText, colours.button_text), (roles.Highlight, colours.highlight),
            (roles.HighlightedText, colours.highlighted_text), (roles.Link, colours.link),
            (roles.LinkVisited, colours.link), (roles.PlaceholderText, colours.placeholder),
            (roles.ToolTipBase, colours.tooltip_base), (roles.ToolTipText, colours.tooltip_text),
            (roles.Accent, colours.highlight), (roles.BrightText, colours.window_text)):
        palette.setColor(role, QColor(colour))
    for role in (roles.WindowText, roles.Text, roles.ButtonText, roles.PlaceholderText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colours.disabled_text))
    return palette


def _box(selector: str, box: Box, rest: str = "") -> str:
    return (f"{selector} {{ background: {box.background}; color: {box.text};"
            f" border-color: {box.border};{rest} }}\n")


def style_sheet(colours: Colours) -> str:
    """The application's colour rules for ``colours``: every named widget by role."""
    c = colours
    sheet = [
        f"QLabel#muted {{ color: {c.muted}; }}\n",
        f"QLabel#error {{ color: {c.error}; font-weight: 600; }}\n",
        f'QLabel[tone="error"] {{ color: {c.error}; font-weight: 600; }}\n',
        f'QLabel[tone="attention"] {{ color: {c.error}; }}\n',
        _box("QLabel#notice", c.notice, " border-width: 1px; border-style: solid;"
             " padding: 6px;"),
        _box("QLabel#read-only-banner", c.notice, " padding: 4px 8px;"),
        _box("QToolBar#backupReminder", c.notice, " border-width: 0 0 1px 0;"
             " border-style: solid; padding: 2px 8px;"),
        f"QToolBar#backupReminder QLabel {{ color: {c.notice.text}; }}\n",
        _box("QLabel#recoveryKey", c.panel, " border-width: 1px; border-style: solid;"
             " padding: 14px;"),
        _box("QLabel#sectionGuidance", c.panel, " border-width: 0 0 0 3px;"
             " border-style: solid; padding: 6px 10px;"),
        _box("QLabel#chainIntact", c.valid, " border-width: 1px; border-style: solid;"
             " padding: 8px;"),
        _box("QLabel#chainBroken", c.invalid, " border-width: 2px; border-style: solid;"
             " font-weight: 600; padding: 8px;"),
    ]
    verdict = " border-width: 2px; border-style: solid; font-size: 14pt; font-weight: 600;" \
              " padding: 12px;"
    sheet += [_box("QLabel#verdictValid", c.valid, verdict),
              _box("QLabel#verdictInvalid", c.invalid, verdict),
              _box("QLabel#verdictUnknown", c.unknown, verdict),
              f"QLabel#verdictNone {{ border: 2px dashed {c.empty.border}; color: {c.empty.text};"
              " padding: 12px; }\n",
              f"QLabel#yes {{ color: {c.yes}; font-weight: 600; }}\n",
              f"QLabel#no {{ color: {c.no}; font-weight: 600; }}\n"]
    sheet += [_box(f'QLabel#statusBadge[chip="{kind}"]', box, " border-width: 1px;"
                   " border-style: solid; border-radius: 10px; padding: 2px 12px;"
                   " font-weight: 600;") for kind, box in c.chips.items()]
    sheet.append(f"QProgressBar#strengthBar {{ background: {c.palette.base};"
                 f" color: {c.palette.text}; border: 1px solid {c.boundary};"
                 " border-radius: 2px; text-align: center; }\n")
    sheet += [_box(f'QProgressBar#strengthBar[score="{score}"]::chunk', box,
                     " border-width: 1px; border-style: solid;")
              for score, box in enumerate(c.strength)]
    sheet.append("QPushButton#link { color: palette(link); text-decoration: underline;"
                 " text-align: left; border: none; }\n")
    return "".join(sheet)
