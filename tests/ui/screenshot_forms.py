"""Render every shipped template's form to screenshots/<template-id>.png, to look at.

Also a test (tests/ui/test_screens.py: nothing cut off, nothing blank); run it by hand
after changing templates or the form widgets, then open the
pictures. Runs offscreen at the main window's size (1280×800).

    QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshot_forms [--filled] [--full] [ID ...]

--filled  fill every field with sample text first (shows tables and long answers)
--full    also write <id>-full.png: the whole form, top to bottom
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from supervision_desktop.services import templates  # noqa: E402
from supervision_desktop.ui.common.widgets import STYLE_SHEET  # noqa: E402
from supervision_desktop.ui.forms import FormChoices, FormView, Subject  # noqa: E402
from tests.ui.screens import save  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "screenshots"
CHOICES = FormChoices(  # fictional people, as a vault would offer them
    names={
        "supervisor": ("Morgan Testwell", "Rhian Example"),
        "supervisee": ("Morgan Testwell", "Sam Placeholder"),
        "carer": ("The Dŵr-Jones household",),
        "child": ("Ada Example", "Bea Sample"),
    },
    subjects=(Subject("p1", "Sam Placeholder"),),
)
SAMPLE = "Talked through the week; Dŵr said the new routine is working & school is settled."
LONG_SAMPLE = (
    "Reflected on the visit on Tuesday and what the child said about contact. "
    "Agreed to raise the transport question with the team manager before the review.\n"
    "Second paragraph: the carer asked for training on therapeutic parenting."
)


def render(template_id: str, *, filled: bool, full: bool, out: Path = OUT) -> list[Path]:
    from tests.sample_values import fill_every_field

    template = templates.get_template(template_id)
    view = FormView(template, CHOICES)
    view.resize(1280, 800)
    if filled:
        view.set_values(fill_every_field(template, SAMPLE, LONG_SAMPLE))
        view.set_subject("p1")
        view.set_session_date("2026-11-22")
    view.show()
    suffix = "-filled" if filled else ""
    written = [save(view, out / f"{template_id}{suffix}.png")]
    if full:
        written.append(save(view.scroll_area.widget(), out / f"{template_id}{suffix}-full.png"))
    view.close()
    view.deleteLater()
    return written


def main(argv: list[str], out: Path = OUT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="template ids (default: every shipped one)")
    parser.add_argument("--filled", action="store_true")
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # for tests.sample_values
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE_SHEET)
    out.mkdir(exist_ok=True)
    catalogue = templates.catalogue()
    for error in catalogue.errors:
        print(f"not loaded: {error}", file=sys.stderr)
    ids = args.ids or [t.id for t in catalogue.templates]
    for template_id in ids:
        render(template_id, filled=args.filled, full=args.full, out=out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
