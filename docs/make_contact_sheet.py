"""Render every exercise drawing with its name onto one PNG, so a reviewer sees all at once.

Run by ``make screenshots``::

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_contact_sheet.py \
        --out docs/screenshots/exercises-all.png [--dark] [--cell 300] [--only ID,ID]

Each drawing sits on the same card as in the Exercises view (the light or the dark palette's
card colour) at ``--cell`` pixels wide, in library order (the plan's order), four to a row.
"""

from __future__ import annotations

import argparse
import math
import os
import pathlib

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QByteArray, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

from recoverydesk.core.exercises import load_library  # noqa: E402

CARD_LIGHT, CARD_DARK = QColor("#f3f5f8"), QColor("#dde2e8")  # as gui/exercises.py draws them
PAGE_LIGHT, PAGE_DARK = QColor("#ffffff"), QColor("#202124")
COLUMNS = 4
GAP = 16
NAME_HEIGHT = 28


def render(out: pathlib.Path, cell: int, dark: bool, only: list[str]) -> None:
    """Draw the sheet (every drawing, or the ids in ``only``) and save it as a PNG at ``out``."""
    library = load_library()
    exercises = [library.get(i) for i in only] if only else library.all()
    rows = math.ceil(len(exercises) / COLUMNS)
    card_h = round(cell * 2 / 3)
    width = GAP + COLUMNS * (cell + GAP)
    height = GAP + rows * (card_h + NAME_HEIGHT + GAP)
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(PAGE_DARK if dark else PAGE_LIGHT)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont("DejaVu Sans")
    font.setPixelSize(15)
    painter.setFont(font)
    for index, exercise in enumerate(exercises):
        x = GAP + (index % COLUMNS) * (cell + GAP)
        y = GAP + (index // COLUMNS) * (card_h + NAME_HEIGHT + GAP)
        painter.setPen(Qt.PenStyle.NoPen if dark else QColor("#c9ced6"))
        painter.setBrush(CARD_DARK if dark else CARD_LIGHT)
        painter.drawRoundedRect(QRectF(x + 0.5, y + 0.5, cell - 1, card_h - 1), 12, 12)
        svg = library.illustration_path(exercise).read_bytes()
        renderer = QSvgRenderer(QByteArray(svg))
        # The same margins as the view's card: 12 px at the sides, 8 px top and bottom.
        renderer.render(painter, QRectF(x + 12, y + 8, cell - 24, card_h - 16))
        painter.setPen(QColor("#e8eaed") if dark else QColor("#202124"))
        painter.drawText(QRectF(x, y + card_h, cell, NAME_HEIGHT),
                         Qt.AlignmentFlag.AlignCenter, exercise.name)
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out)):
        raise SystemExit(f"could not write {out}")
    print(f"{out}: {len(exercises)} drawings, {width}×{height}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path,
                        default=pathlib.Path("docs/screenshots/exercises-all.png"))
    parser.add_argument("--cell", type=int, default=300, help="card width in pixels")
    parser.add_argument("--dark", action="store_true", help="the dark palette's card")
    parser.add_argument("--only", default="", help="comma-separated exercise ids to show")
    args = parser.parse_args()
    _app = QGuiApplication([])
    render(args.out, args.cell, args.dark, [i for i in args.only.split(",") if i])


if __name__ == "__main__":
    main()
