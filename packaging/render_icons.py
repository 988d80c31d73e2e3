"""Render the icons' PNGs from their SVG sources (``make icons``).

The PNGs are committed: the window, the tray and the installed desktop entry use them where
an SVG renderer may not be at hand (small tray sizes, some icon themes), and the navigation
list loads bitmaps so that no SVG code runs before the first paint (DESIGN §10). Each
navigation icon also gets a white twin for the selected row. Run offscreen.
"""

from __future__ import annotations

import os
import pathlib
import re
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = pathlib.Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
NAV_SIZE = 48
"""Twice the navigation list's icon size: sharp on a 2× screen too."""


def render(svg: pathlib.Path | bytes, size: int, out: pathlib.Path) -> None:
    """Draw ``svg`` (a file or its text) into a transparent ``size``×``size`` PNG at ``out``."""
    renderer = QSvgRenderer(str(svg) if isinstance(svg, pathlib.Path) else svg)
    if not renderer.isValid():
        raise SystemExit(f"{out}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out), "PNG"):
        raise SystemExit(f"could not write {out}")


def main() -> int:
    QGuiApplication(sys.argv[:1])
    svg = ICONS / "recoverydesk.svg"
    for size in SIZES:
        out = ICONS / f"recoverydesk-{size}.png"
        render(svg, size, out)
        print(out.relative_to(ICONS.parent.parent))
    for svg in sorted((ICONS / "nav").glob("*.svg")):
        text = svg.read_text(encoding="utf-8")
        white = re.sub(r'(stroke|fill)="#[0-9a-fA-F]{3,6}"', r'\1="#ffffff"', text)
        for drawing, out in ((text, svg.with_suffix(".png")),
                             (white, svg.with_name(f"{svg.stem}-selected.png"))):
            render(drawing.encode(), NAV_SIZE, out)
            print(out.relative_to(ICONS.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
