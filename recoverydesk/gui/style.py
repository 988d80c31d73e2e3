"""Colours shared by the views, chosen to read on light and dark palettes alike.

Phase colours are mid-tone hues (distinct for the common colour-blindnesses: blue, teal,
yellow-orange, purple, grey-green) used as fills under dark or light text by lightness.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

PHASE_COLOURS: dict[str, str] = {
    "rest": "#7aa6d6",
    "walk": "#5fb3a1",
    "low_impact": "#e0b04f",
    "run": "#b08ad8",
    "full": "#9aa58a",
}
RED_FLAG = "#d64545"
ADVANCE = "#2e8b57"
REGRESSION = "#c2571a"


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the current palette is a dark one (window darker than its text)."""
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < palette.color(
        QPalette.ColorRole.WindowText).lightness()


def phase_colour(phase: str, *, future: bool = False) -> QColor:
    """A phase's fill; projected (future) days get a lighter, see-through tone."""
    colour = QColor(PHASE_COLOURS.get(phase, "#999999"))
    if future:
        colour.setAlpha(90)
    return colour
