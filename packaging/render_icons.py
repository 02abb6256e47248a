"""Render the application icon's PNG sizes from its SVG (run after changing the SVG).

    python packaging/render_icons.py

Writes ``resources/icons/supervision-desktop-<size>.png`` for each size in SIZES, and
``supervision-desktop.ico`` (Windows: the installer and the executable) holding them,
with Qt's own SVG renderer, so no other tool is needed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "supervision-desktop.svg"
SIZES = (16, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 32, 48, 256)


def png_path(size: int) -> Path:
    return ICONS / f"supervision-desktop-{size}.png"


def render(size: int):  # -> QImage
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def write_ico(path: Path, sizes: tuple[int, ...]) -> None:
    """An .ico of PNG-compressed images (Windows Vista and later read these)."""
    import struct

    images = [png_path(size).read_bytes() for size in sizes]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries = b""
    for size, data in zip(sizes, images, strict=True):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    path.write_bytes(header + entries + b"".join(images))


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for size in SIZES:
        if not render(size).save(str(png_path(size)), "PNG"):
            raise SystemExit(f"could not write {png_path(size)}")
        print(f"wrote {png_path(size).relative_to(ICONS.parent.parent)}")
    write_ico(ICONS / "supervision-desktop.ico", ICO_SIZES)
    print("wrote resources/icons/supervision-desktop.ico")
    return 0


if __name__ == "__main__":
    sys.exit(main())
