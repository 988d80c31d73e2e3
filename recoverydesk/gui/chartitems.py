"""Drawing pieces of the Charts view: palette-aware colours and the phase-band item.

Imported only by ``gui/charts.py`` (which the main window imports when the Charts view is
first shown), since it pulls in pyqtgraph.

Colours follow the Okabe–Ito palette, which stays distinct for the common colour-blindnesses:
pain is blue (a darker blue on light backgrounds, sky blue on dark ones), distance is orange,
and the markers differ in shape as well as colour (diamond = red flag, up-triangle = advance,
down-triangle = step back), so nothing rests on hue alone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from recoverydesk.core.markers import MARKERS
from recoverydesk.gui.style import PHASE_COLOURS, is_dark


@dataclasses.dataclass(frozen=True, slots=True)
class ChartColours:
    """The colours of one palette (light or dark)."""

    background: QColor
    foreground: QColor
    muted: QColor
    pain: QColor
    pain_mean: QColor
    distance: QColor
    distance_solid: QColor
    red_flag: QColor
    advance: QColor
    regression: QColor
    band_alpha: int
    comfortable: QColor
    danger: QColor
    dark: bool


def chart_colours(palette: QPalette) -> ChartColours:
    """Pick the chart colours that read on ``palette``'s background."""
    dark = is_dark(palette)
    fg = palette.color(QPalette.ColorRole.WindowText)
    muted = QColor(fg)
    muted.setAlpha(150)
    distance = QColor("#E69F00")
    distance.setAlpha(190 if dark else 170)
    comfortable = QColor("#009E73")
    comfortable.setAlpha(55 if dark else 45)
    return ChartColours(
        background=palette.color(QPalette.ColorRole.Base),
        foreground=fg,
        muted=muted,
        pain=QColor("#56B4E9") if dark else QColor("#0072B2"),
        pain_mean=QColor("#BFE4FA") if dark else QColor("#003A66"),
        distance=distance,
        distance_solid=blend(distance, palette.color(QPalette.ColorRole.Base)),
        red_flag=_marker("flag", dark),
        advance=_marker("advance", dark),
        regression=_marker("regression", dark),
        band_alpha=60 if dark else 48,
        comfortable=comfortable,
        danger=QColor("#FF6B4A") if dark else QColor("#D55E00"),
        dark=dark,
    )


def _marker(kind: str, dark: bool) -> QColor:
    marker = MARKERS[kind]
    return QColor(marker.dark if dark else marker.light)


def blend(colour: QColor, background: QColor) -> QColor:
    """``colour`` as it looks at its alpha over ``background``, made opaque.

    Opaque bars paint several times faster than see-through ones over a 10-year history.
    """
    a = colour.alphaF()
    return QColor.fromRgbF(colour.redF() * a + background.redF() * (1 - a),
                           colour.greenF() * a + background.greenF() * (1 - a),
                           colour.blueF() * a + background.blueF() * (1 - a))


def band_colour(phase: str, alpha: int) -> QColor:
    """A phase's colour from ``style.PHASE_COLOURS`` made see-through for a background band."""
    colour = QColor(PHASE_COLOURS.get(phase, "#999999"))
    colour.setAlpha(alpha)
    return colour


class PhaseBandsItem(pg.GraphicsObject):
    """Shaded vertical bands, one per phase spell, with the phase name where it fits.

    One item paints every band (no item per spell), so a 10-year history with dozens of
    spells costs one paint call. It spans the whole height of whatever view holds it and
    takes no mouse events. Labels are drawn in screen pixels at the top of each band, only
    when the band is wide enough on screen for its name, so zooming out never piles them up.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self._x0 = np.zeros(0)
        self._x1 = np.zeros(0)
        self._colours: list[QColor] = []
        self._labels: list[str] = []
        self._text = QColor("black")
        self._font = QFont()
        self._font.setBold(True)

    def set_bands(self, x0: np.ndarray, x1: np.ndarray, colours: Sequence[QColor],
                  labels: Sequence[str]) -> None:
        """Replace the bands: spell ``i`` covers ``x0[i]..x1[i]`` in ``colours[i]``."""
        self.prepareGeometryChange()
        self._x0 = np.asarray(x0, dtype=float)
        self._x1 = np.asarray(x1, dtype=float)
        self._colours = list(colours)
        self._labels = list(labels)
        self.update()

    def set_text_colour(self, colour: QColor) -> None:
        self._text = QColor(colour)
        self.update()

    def bands(self) -> list[tuple[float, float, str]]:
        """The bands as (x0, x1, label), for tests and the hover text."""
        return [(float(a), float(b), t) for a, b, t in
                zip(self._x0, self._x1, self._labels, strict=True)]

    def _y_span(self) -> tuple[float, float]:
        vb = self.getViewBox()
        if vb is None:
            return 0.0, 1.0
        rect = vb.viewRect()
        return rect.top(), rect.bottom()

    def boundingRect(self) -> QRectF:  # overrides QGraphicsItem.boundingRect
        if not len(self._x0):
            return QRectF()
        top, bottom = self._y_span()
        x0 = float(self._x0.min())
        return QRectF(x0, top, float(self._x1.max()) - x0, bottom - top)

    def viewRangeChanged(self) -> None:  # overrides GraphicsItem.viewRangeChanged
        self.prepareGeometryChange()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:  # overrides QGraphicsItem.paint
        if not len(self._x0):
            return
        top, bottom = self._y_span()
        height = bottom - top
        painter.setPen(Qt.PenStyle.NoPen)
        for a, b, colour in zip(self._x0, self._x1, self._colours, strict=True):
            painter.fillRect(QRectF(float(a), top, float(b - a), height), colour)
        vb = self.getViewBox()
        if vb is None:
            return
        to_device = painter.transform()
        visible = to_device.mapRect(vb.viewRect())
        painter.save()
        painter.resetTransform()
        painter.setFont(self._font)
        metrics = QFontMetrics(self._font)
        pad = metrics.height() // 4 + 2
        painter.setPen(self._text)
        for a, b, label in zip(self._x0, self._x1, self._labels, strict=True):
            rect = to_device.mapRect(QRectF(float(a), top, float(b - a), height))
            left = max(rect.left(), visible.left()) + pad
            right = min(rect.right(), visible.right()) - pad
            width = metrics.horizontalAdvance(label)
            if right - left >= width:
                painter.drawText(int(left), int(visible.top() + pad + metrics.ascent()), label)
        painter.restore()
