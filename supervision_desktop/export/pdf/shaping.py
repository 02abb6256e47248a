"""OpenType shaping without ligatures, so the text layer says what was typed.

reportlab shapes with HarfBuzz and turns ``liga`` and ``dlig`` on: DejaVu Sans then draws
"st" as one glyph, U+FB06, and "Foster" extracts as "Foﬆer" — search in a case system,
screen readers and copy-paste all break. Here the features that merge letters for looks
are off; Arabic keeps its required joining and ligatures (``init``/``medi``/``fina``,
``rlig``), which HarfBuzz applies whatever is asked.
"""

from __future__ import annotations

import functools
from typing import Any

from reportlab.pdfbase import ttfonts
from reportlab.platypus import paragraph as rl_paragraph

# Letters stay letters: no standard, discretionary, contextual or historical ligatures.
FEATURES = {"kern": True, "liga": False, "dlig": False, "clig": False, "hlig": False}

_reportlab_shape = ttfonts.shapeFragWord


def shape_frag_word(word: Any, features: dict[str, bool] | None = None,
                    force: bool = False) -> Any:
    """reportlab's ``shapeFragWord`` with :data:`FEATURES` unless told otherwise."""
    return _reportlab_shape(word, features=features or FEATURES, force=force)


@functools.cache
def install() -> None:
    """Make reportlab's paragraphs shape with :data:`FEATURES` (once per process)."""
    rl_paragraph.shapeFragWord = shape_frag_word  # type: ignore[attr-defined]
