"""Legibility in the light and the dark palette (DESIGN §1.1, WCAG 2.1): text at least 4.5:1
against its background, a check box's edge at least 3:1 against the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QStyle, QStyleFactory, QStyleOptionButton

from recoverydesk.app import dark_palette, light_palette
from recoverydesk.gui import style
from recoverydesk.gui.today import AMBER_BG, AMBER_FG

pytestmark = pytest.mark.gui

R = QPalette.ColorRole
TEXT_PAIRS = ((R.WindowText, R.Window), (R.Text, R.Base), (R.ButtonText, R.Button),
              (R.HighlightedText, R.Highlight), (R.ToolTipText, R.ToolTipBase),
              (R.PlaceholderText, R.Base), (R.Link, R.Base))


def palettes() -> dict[str, QPalette]:
    return {"light": light_palette(), "dark": dark_palette()}


def test_the_wcag_formula_matches_known_ratios() -> None:
    assert style.contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert style.contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert style.contrast(QColor("#1F2023"), QColor("#2B2D30")) < 1.3  # the check box


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_text_reads_at_4_5_to_1(qapp, theme: str) -> None:  # noqa: ARG001 - needs the app
    palette = palettes()[theme]
    window = palette.color(R.Window)
    pairs = {f"{fg.name}/{bg.name}": (palette.color(fg), palette.color(bg))
             for fg, bg in TEXT_PAIRS}
    pairs["hints"] = (style.muted_colour(palette), window)
    pairs["hints on fields"] = (style.muted_colour(palette), palette.color(R.Base))
    pairs["problems"] = (style.error_colour(palette), window)
    pairs["red banner"] = (QColor(style.RED_FG), QColor(style.RED_BG))
    pairs["amber box"] = (QColor(AMBER_FG), QColor(AMBER_BG))
    low = {name: round(style.contrast(*colours), 2) for name, colours in pairs.items()
           if style.contrast(*colours) < 4.5}
    assert low == {}


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_check_box_edge_stands_out_at_3_to_1(qapp, qtbot, theme: str) -> None:
    """Drawn for real: the pixels of the box's edge against the window behind it."""
    palette = palettes()[theme]
    base = QStyleFactory.create("Fusion")
    legible = style.LegibleStyle(base)
    box = QCheckBox("Warm up")
    box.setStyle(legible)
    box.setPalette(palette)
    box.setAutoFillBackground(True)
    qtbot.addWidget(box)
    box.resize(box.sizeHint())
    image = box.grab().toImage()
    option = QStyleOptionButton()
    option.initFrom(box)
    indicator = legible.subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    window = palette.color(R.Window)
    middle = indicator.center().y()
    edge = max((QColor(image.pixel(QPoint(x, middle))) for x in range(indicator.left(),
                                                                     indicator.left() + 3)),
               key=lambda c: style.contrast(c, window))
    assert style.contrast(edge, window) >= 3.0
    assert QApplication.instance() is qapp
