"""Shows every shipped template's form, each in its own window titled with the template's
id, on the xcb platform with Qt's AT-SPI bridge on; quits after ``argv[1]`` seconds."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

APP_NAME = "supervision-desktop-atspi-probe"


def main() -> int:
    from supervision_desktop.services import templates
    from supervision_desktop.ui.forms import FormView
    from tests.ui.test_forms import CHOICES

    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    views = []
    for template in templates.catalogue().templates:
        view = FormView(template, CHOICES)
        view.setWindowTitle(template.id)
        view.resize(1000, 700)
        view.show()
        views.append(view)
    QTimer.singleShot(int(sys.argv[1]) * 1000, app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
