"""Legibility in the light and the dark palette (DESIGN §1.1, WCAG 2.1): text at least 4.5:1
against its background, a check box's edge at least 3:1 against the window, and a visible
focus on flat buttons."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QStyle,
    QStyleFactory,
    QStyleOptionButton,
    QWidget,
)

from recoverydesk.app import dark_palette, light_palette
from recoverydesk.gui import style

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
    pairs["amber box"] = (QColor(style.AMBER_FG), QColor(style.AMBER_BG))
    low = {name: round(style.contrast(*colours), 2) for name, colours in pairs.items()
           if style.contrast(*colours) < 4.5}
    assert low == {}


@pytest.fixture
def themed(qapp):
    """Set the app's palette (and the check boxes' own) for one test, then put them back."""
    before, before_boxes = qapp.palette(), QCheckBox().palette()

    def use(palette: QPalette) -> None:
        qapp.setPalette(palette)
        style.install_check_box_edges(qapp)

    yield use
    qapp.setPalette(before)
    qapp.setPalette(before_boxes, "QCheckBox")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_check_box_edge_stands_out_at_3_to_1(qapp, qtbot, themed, theme: str) -> None:
    """Drawn for real by Fusion: the pixels of the box's edge against the window behind it."""
    palette = palettes()[theme]
    themed(palette)
    host = QWidget()
    host.setStyle(QStyleFactory.create("Fusion"))
    host.setAutoFillBackground(True)
    box = QCheckBox("Warm up", host)
    box.setStyle(host.style())
    box.move(4, 4)
    box.resize(box.sizeHint())
    host.resize(box.width() + 8, box.height() + 8)
    qtbot.addWidget(host)
    image = host.grab().toImage()
    option = QStyleOptionButton()
    option.initFrom(box)
    indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    window = palette.color(R.Window)
    assert QColor(image.pixel(QPoint(1, 1))) == window  # the window behind is the real one
    middle = indicator.center().y() + box.y()
    edge = max((QColor(image.pixel(QPoint(x + box.x(), middle)))
                for x in range(indicator.left(), indicator.left() + 3)),
               key=lambda c: style.contrast(c, window))
    assert style.contrast(edge, window) >= 3.0
    assert QApplication.instance() is qapp


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_flat_button_shows_where_the_keyboard_is(qapp, qtbot, themed, theme: str) -> None:
    """"How to…" is flat; with the keyboard on it, a ring in the highlight colour shows it."""
    themed(palettes()[theme])
    button = style.FlatButton("How to…")
    qtbot.addWidget(button)
    button.resize(button.sizeHint())
    button.show()
    highlight = button.palette().color(R.Highlight)

    def ring_pixels() -> int:
        image = button.grab().toImage()
        return sum(1 for x in range(image.width()) for y in (1, 2)
                   if style.contrast(QColor(image.pixel(QPoint(x, y))), highlight) < 1.2)

    assert ring_pixels() == 0
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    assert ring_pixels() > button.width() // 2
