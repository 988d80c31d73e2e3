"""The Charts view's outcome tabs: Function (PSFS) and Where it hurt (DESIGN.md §3, §3.1).

- **Function**: each week's PSFS mean (thick) and each activity's score (thin, retired ones
  included, since their history is kept), 0–10, with the 2-point band around the first
  week's mean: a mean outside it has moved beyond measurement noise (Stratford et al. 1995).
- **Where it hurt**: the body map as a heat map, each region shaded by the share of logged
  days that marked it over a chosen period, with the regions listed most often first.
"""

from __future__ import annotations

import datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from recoverydesk.core import psfs, words
from recoverydesk.core.outcomes import site_names
from recoverydesk.gui.bodymap import BodyMapDrawing
from recoverydesk.gui.charts import (
    DAY_S,
    ChartData,
    ChartPage,
    _colour_legend,
    _DatePlot,
    _Hover,
    _html,
    _zero_to_ten,
    noon_timestamps,
)

EMPTY_FUNCTION = ("Name the activities your back makes hard on the Today view and score them "
                  "once a week to see your function here.")
EMPTY_WHERE = "Mark where it hurt on the Log's body map to see which places hurt most often."
ACTIVITY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                    "#F0E442", "#999999")
"""Okabe–Ito colours, one per activity in the order they were named."""
PERIODS: tuple[tuple[str, int], ...] = (("Last 4 weeks", 28), ("Last 3 months", 91),
                                        ("Whole episode", 0))


class FunctionChart(_DatePlot):
    """The PSFS mean and each activity over time, with the change band.

    Attributes:
        mean_curve: The weekly mean.
        activity_curves: {activity id: its curve}.
        band: The first week's mean ± 2 points.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        pi = self.plot_item
        _zero_to_ten(self, "Function (0 unable – 10 as before)")
        self.legend = pg.LegendItem(colCount=4, horSpacing=14, verSpacing=-6)
        pi.layout.addItem(self.legend, 4, 1)
        self.band = pg.LinearRegionItem(orientation="horizontal", movable=False)
        self.band.setZValue(-10)
        self.band.hide()
        pi.addItem(self.band)
        # The legend cannot draw a region; a bar of the band's colour stands for it there.
        self.band_sample = pg.BarGraphItem(x=np.zeros(0), height=np.zeros(0), width=1.0,
                                           pen=pg.mkPen(None))
        self.mean_curve = pg.PlotDataItem(symbol="o", symbolSize=8, name="PSFS mean")
        self.mean_curve.setZValue(5)
        pi.addItem(self.mean_curve)
        self.activity_curves: dict[int, pg.PlotDataItem] = {}
        self.hover = _Hover(self, self.hover_at)
        self._ready = True
        self.apply_colours()

    def apply_colours(self) -> None:
        super().apply_colours()
        c = self.colours
        self.mean_curve.setPen(pg.mkPen(c.foreground, width=3))
        self.mean_curve.setSymbolBrush(pg.mkBrush(c.foreground))
        fill = QColor(c.comfortable)
        self.band.setBrush(pg.mkBrush(fill))
        self.band_sample.setOpts(brush=pg.mkBrush(fill))
        for line in self.band.lines:
            line.setPen(pg.mkPen(None))
        _colour_legend(self.legend, c.foreground)
        if self.hover is not None:
            self.hover.apply_colours(c)

    def set_series(self, data: ChartData) -> None:
        super().set_series(data)
        for curve in self.activity_curves.values():
            self.plot_item.removeItem(curve)
        self.activity_curves = {}
        self.legend.clear()
        days = psfs.by_day(data.psfs_scores)
        if days:
            x = self._x(list(days))
            means = np.array([psfs.mean(week) or 0.0 for week in days.values()])
            self.mean_curve.setData(x, means)
            self.legend.addItem(self.mean_curve, "PSFS mean")
            first = float(means[0])
            self.band.setRegion((max(0.0, first - psfs.MEAN_CHANGE),
                                 min(10.0, first + psfs.MEAN_CHANGE)))
            self.band.show()
        else:
            self.mean_curve.setData([], [])
            self.band.hide()
        for index, activity in enumerate(data.psfs_activities):
            points = [(day, week[activity.id]) for day, week in days.items()
                      if activity.id in week]
            if not points or activity.id is None:
                continue
            colour = ACTIVITY_COLOURS[index % len(ACTIVITY_COLOURS)]
            curve = pg.PlotDataItem(self._x([d for d, _ in points]),
                                    np.array([float(v) for _, v in points]),
                                    pen=pg.mkPen(colour, width=1), symbol="o", symbolSize=5,
                                    symbolBrush=pg.mkBrush(colour), symbolPen=None)
            self.plot_item.addItem(curve)
            self.activity_curves[activity.id] = curve
            self.legend.addItem(curve, activity.name + (" (retired)" if activity.retired
                                                        else ""))
        if days:
            self.legend.addItem(self.band_sample, f"±{psfs.MEAN_CHANGE:g} around the first week")
        _colour_legend(self.legend, self.colours.foreground)
        self.restore_range()

    def x_bounds(self) -> tuple[float, float]:
        data = self.data
        if data is None or not data.psfs_scores:
            return super().x_bounds()
        days = [s.day for s in data.psfs_scores]
        lo = min(min(days), data.first) if data.days else min(days)
        return (float(self._x([lo])[0]) - DAY_S * 3,
                float(self._x([max(days)])[0]) + DAY_S * 3)

    @staticmethod
    def _x(days: list[datetime.date]) -> np.ndarray:
        return np.array([float(noon_timestamps(d, 1)[0]) for d in days])

    def is_empty(self) -> bool:
        return self.data is None or not self.data.psfs_scores

    def hover_at(self, x: float) -> tuple[float, str] | None:
        data = self.data
        if data is None or not data.psfs_scores:
            return None
        days = psfs.by_day(data.psfs_scores)
        xs = self._x(list(days))
        k = int(np.argmin(np.abs(xs - x)))
        if abs(xs[k] - x) > 3 * DAY_S:
            return None
        day = list(days)[k]
        week = days[day]
        names = {a.id: a.name for a in data.psfs_activities}
        lines = [f"<b>{day:%a %d %b %Y}</b> · mean {psfs.mean(week):.1f}"]
        lines += [f"{names.get(i, '?')}: {v}" for i, v in week.items()]
        return float(xs[k]), _html(lines)


class BodyHeatChart(QWidget):
    """Where it hurt over a period: the body map as a heat map, and the regions in words.

    Attributes:
        drawing: The BodyMapDrawing in heat-map mode.
        period: Which period to count (``PERIODS``).
        summary: The regions marked, most often first.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: ChartData | None = None
        self.hover: _Hover | None = None
        self.period = QComboBox()
        for text, days in PERIODS:
            self.period.addItem(text, days)
        self.period.setAccessibleName("Period to count")
        self.period.setCurrentIndex(len(PERIODS) - 1)
        self.period.currentIndexChanged.connect(self._on_period_changed)
        lay = QHBoxLayout(self)
        self.drawing = BodyMapDrawing(interactive=False)
        self.drawing.setAccessibleName("Where it hurt, as a heat map")
        lay.addWidget(self.drawing, 3)
        side = QVBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAccessibleName("Regions marked, most often first")
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop)
        side.addWidget(self.summary, 1)
        lay.addLayout(side, 2)

    def counts(self) -> tuple[dict[str, int], int]:
        """{region: days marked} and the number of logged days in the chosen period."""
        data = self.data
        if data is None:
            return {}, 0
        span = int(self.period.currentData() or 0)
        sites = data.sites[-span:] if span else data.sites
        logged = [s for s in sites if s is not None]
        counts: dict[str, int] = {}
        for day_sites in logged:
            for site in day_sites:
                counts[site] = counts.get(site, 0) + 1
        return counts, len(logged)

    def set_series(self, data: ChartData) -> None:
        self.data = data
        self._redraw()

    def is_empty(self) -> bool:
        return self.data is None or not any(self.data.sites)

    def _redraw(self) -> None:
        counts, logged = self.counts()
        self.drawing.set_counts(counts, max(logged, 1))
        names = site_names()
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], list(names).index(kv[0])))
        lines = [f"<b>{self.period.currentText()}: {logged} logged days</b>"]
        lines += [f"{names[site]}: {words.count_text(n, 'day')} ({100 * n / logged:.0f} %)"
                  for site, n in ranked]
        if not ranked:
            lines.append("No place marked in this period.")
        self.summary.setText("<br>".join(lines))

    @Slot(int)
    def _on_period_changed(self, index: int) -> None:
        del index
        self._redraw()


def outcome_pages() -> list[tuple[ChartPage, str]]:
    """The Function and Where it hurt tabs, with their controls, for the Charts view."""
    function = FunctionChart()
    buttons = []
    from PySide6.QtWidgets import QPushButton

    for preset, (text, _days) in function.PRESETS.items():
        button = QPushButton(text)
        button.setAccessibleName(f"Show {text.lower()}")
        button.clicked.connect(lambda _=False, p=preset: function.set_range(p))
        buttons.append(button)
    function.preset = "all"
    where = BodyHeatChart()
    label = QLabel("Count:")
    label.setBuddy(where.period)
    return [(ChartPage(function, EMPTY_FUNCTION, buttons), "Function"),
            (ChartPage(where, EMPTY_WHERE, [label, where.period]), "Where it hurt")]
