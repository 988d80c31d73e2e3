"""The Charts view: is running making my back worse? (DESIGN.md §6)

Four charts in tabs, the headline one first:

- **Pain vs mileage** (``PainDistanceChart``): daily pain (dots and a thin line) and its 7-day
  mean (a thick line) on a fixed 0–10 left axis; the distance *run* each day as orange bars on
  a right axis in the user's unit; the phases as shaded bands with their names; red flags,
  advances and steps back as markers of distinct shapes in a lane above pain 10. Hover shows
  the day's values; 4 weeks / 3 months / Everything presets; zoom and pan on x only.
- **Weekly mileage** (``WeeklyMileageChart``): Monday–Sunday running weeks as bars and the
  previous week + 10 % as a dashed guide over each week (DESIGN §6 and §2's "at most ~10 % a
  week"; the +30 % of the 7-day-rise guard is a warning line, not a plan, so it is not drawn).
- **Pain against the week's distance** (``PainWeekChart``): each day's pain, or next-morning
  pain, against the running of the 7 days before it, with the correlation in words above.
- **Cadence** (``CadenceChart``): each imported run's average cadence (steps a minute) over
  time, with the runner's usual figure and the +5 % mark (§5.3); runs before the episode
  are shown too, since they are where the usual figure comes from.

pyqtgraph is imported here and nowhere else outside ``chartitems.py``; the main window imports
this module only when the Charts view is first shown (its import costs ~0.7 s).

Choices where DESIGN.md is silent:

- Distances are *running* distances (only ``run`` activities), as for the mileage guards: the
  question is whether running hurts. The weekly chart can include every activity with a
  distance (a checkbox), since in the early phases the walks and rides are all there is.
- Unlogged days are gaps: no pain dot, the daily line breaks, and the 7-day mean averages only
  the logged days of its window (a forgotten entry is not a pain-free day).
- Markers sit on the day the engine decided (an advance on D starts the next phase on D+1).
- Redraws reuse the same plot items (``setData``/``setOpts``); each day is a point in numpy
  arrays, never a Python object. Dots are hidden beyond ~6 months on screen, where they
  would only blur into the line.
- Exports render the chart (with its caption) at the requested pixel size; for large sizes
  the chart is laid out at a smaller logical size and drawn at a higher pixel ratio, so text
  stays legible instead of shrinking.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import pathlib
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, QSize, Qt, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.core import engine, load, words
from recoverydesk.core.cadence import CadenceHistory, cadence_history
from recoverydesk.core.explain import phase_name
from recoverydesk.core.model import METRES_PER_UNIT
from recoverydesk.core.psfs import PsfsActivity, PsfsScore
from recoverydesk.gui.chartitems import ChartColours, PhaseBandsItem, band_colour, chart_colours
from recoverydesk.gui.session import Session

DAY_S = 86400.0
PAIN_RANGE = (-0.4, 12.0)
"""Pain's fixed y range: 0–10 plus a lane above for the markers and the phase names."""
MARKER_Y = 10.9
DOTS_UP_TO_DAYS = 190
"""Show the daily pain dots only while at most this many days are on screen."""
EXPORT_SIZES: tuple[tuple[int, int], ...] = ((800, 500), (1200, 800), (1600, 1000),
                                             (1920, 1080))
"""The PNG sizes offered, smallest first."""
LEG_PAIN_COLOUR = QColor("#CC79A7")
"""Leg pain's line: Okabe–Ito reddish purple, apart from the back pain's colours."""
EMPTY_PAIN = "Log a few days of pain and a run or two to see this chart."
EMPTY_WEEKLY = ("Log a run with its distance (or import one from your watch) to see your "
                "weekly mileage.")
EMPTY_SCATTER = ("Log your pain each day and your runs with their distance: after two weeks "
                 "this chart shows whether your pain follows your running.")
EMPTY_CADENCE = ("Import runs from a watch that records cadence (FIT, TCX or GPX files) to "
                 "see your cadence and your own usual figure.")
CADENCE_EVIDENCE = ("A cadence about 5 % quicker than your usual lowers the load on knees and "
                    "hips (Heiderscheit et al. 2011); it was not studied for the back. "
                    "170–180 is a typical range, not a target.")


# --- the data, once per refresh ---------------------------------------------------------------

_noon_cache: dict[tuple[datetime.date, int], np.ndarray] = {}


def noon_timestamps(first: datetime.date, n: int) -> np.ndarray:
    """Local-noon POSIX timestamps of ``first`` and the ``n − 1`` days after it.

    Noon keeps every day's point in the middle of its day on the date axis, whatever the
    daylight-saving shifts; the last few ranges are cached, as a redraw asks for the same.
    """
    key = (first, n)
    cached = _noon_cache.get(key)
    if cached is None:
        noon = datetime.datetime(first.year, first.month, first.day, 12)
        step = datetime.timedelta(days=1)
        cached = np.fromiter(((noon + k * step).timestamp() for k in range(n)), float, n)
        if len(_noon_cache) > 8:
            _noon_cache.clear()
        _noon_cache[key] = cached
    return cached


def _floats(values: Sequence[float | None], scale: float = 1.0) -> np.ndarray:
    """A float array with NaN where ``values`` holds None (a gap on the chart)."""
    nan = math.nan
    return np.fromiter((nan if v is None else v / scale for v in values), float, len(values))


@dataclasses.dataclass(frozen=True, slots=True)
class ChartData:
    """What every chart draws, built once per refresh from the Session.

    Attributes:
        x: Local-noon timestamps, one per day from the episode's start to today.
        pain, morning, mean: Pain, morning pain and the 7-day mean (NaN when absent).
        run: Distance run each day in ``units``.
        phases: The phase id of each day; ``paused`` whether the plan was paused then.
        events: The engine's event of each day (``advance``, ``regression``, ``pause``…).
    """

    first: datetime.date
    units: str
    x: np.ndarray
    figures: load.DailyFigures
    pain: np.ndarray
    morning: np.ndarray
    mean: np.ndarray
    run: np.ndarray
    phases: tuple[str, ...]
    paused: tuple[bool, ...]
    events: tuple[str | None, ...]
    phase_names: dict[str, str]
    weeks: tuple[load.WeekTotal, ...]
    links: tuple[load.PainLink, load.PainLink]
    rise_factor: float = 1.30
    """The 7-day-rise guard's factor (Rules.weekly_rise_factor): the weekly chart's warning
    line."""
    cadence: CadenceHistory | None = None
    """Every run's cadence, those before the episode too, and the usual figure."""
    leg_pain: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    """Leg pain each day (NaN when absent), the pain chart's optional second line."""
    sites: tuple[frozenset[str] | None, ...] = ()
    """The body-map sites of each day (None when the day has no entry)."""
    psfs_activities: tuple[PsfsActivity, ...] = ()
    psfs_scores: tuple[PsfsScore, ...] = ()
    guides: tuple[tuple[datetime.date, float], ...] = ()
    """The §5.4 weekly guide in ``full``: (first day of the 7-day block, metres allowed)."""

    @property
    def per_unit(self) -> float:
        return METRES_PER_UNIT[self.units]

    @property
    def days(self) -> int:
        return len(self.x)

    def day(self, k: int) -> datetime.date:
        return self.first + datetime.timedelta(days=k)

    def index_at(self, x: float) -> int | None:
        """The day under timestamp ``x`` (None outside the data)."""
        if not len(self.x):
            return None
        k = int(round((x - self.x[0]) / DAY_S))
        return k if 0 <= k < len(self.x) else None


def build_chart_data(session: Session) -> ChartData | None:
    """Gather the charts' data from the session (None without an episode)."""
    episode = session.episode
    if episode is None:
        return None
    first, last = episode.start, max(session.today(), episode.start)
    units = session.units if session.units in METRES_PER_UNIT else "km"
    per_unit = METRES_PER_UNIT[units]
    figures = load.daily_figures(episode.logs, episode.activities, first, last)
    n = len(figures)
    timeline = session.timeline()
    phases = [s.phase for s in timeline[:n]]
    paused = [s.paused for s in timeline[:n]]
    events = [s.event for s in timeline[:n]]
    while len(phases) < n:  # the engine's timeline stops at today; so do the figures
        phases.append(phases[-1] if phases else "rest")
        paused.append(False)
        events.append(None)
    day_logs = [episode.logs.get(first + datetime.timedelta(days=k)) for k in range(n)]
    try:
        names = {p: session.content.plan.name(p) for p in set(phases)}
    except KeyError:
        names = {p: phase_name(p) for p in set(phases)}
    return ChartData(
        first=first, units=units, x=noon_timestamps(first, n), figures=figures,
        pain=_floats(figures.pain), morning=_floats(figures.morning),
        mean=_floats(figures.pain_mean_drawn), run=_floats(figures.run_m, per_unit),
        phases=tuple(phases), paused=tuple(paused),
        events=tuple(events), phase_names=names,
        weeks=tuple(load.weekly_totals(episode.activities, first, last)),
        links=(load.pain_week_link(episode.logs, episode.activities, first, last),
               load.pain_week_link(episode.logs, episode.activities, first, last,
                                   morning=True)),
        rise_factor=session.rules.weekly_rise_factor,
        cadence=cadence_history(session.activities(), episode.start),
        leg_pain=_floats([log.leg_pain if log else None for log in day_logs]),
        sites=tuple(log.pain_sites if log else None for log in day_logs),
        psfs_activities=tuple(session.psfs_activities()),
        psfs_scores=tuple(session.psfs_scores()),
        guides=_guides(timeline),
    )


def _guides(timeline: list[engine.DayStatus]) -> tuple[tuple[datetime.date, float], ...]:
    """Each `full` block's guide as the engine set it (the block's last known day wins)."""
    blocks: dict[datetime.date, float] = {}
    for status in timeline:
        if status.phase == "full":
            guide = status.guide
            if guide is not None:
                blocks[guide.first_day] = guide.guide_m
    return tuple(sorted(blocks.items()))


def _number(value: float, digits: int = 1) -> str:
    return "–" if value != value else f"{value:.{digits}f}"


def _pain_words(value: float) -> str:
    return "–" if value != value else str(int(value))


# --- shared plot set-up -----------------------------------------------------------------------

class DateAxis(pg.DateAxisItem):
    """pyqtgraph's date axis without labels colliding across levels ("Jan" on top of "02").

    A finer tick closer to a coarser one than 45 % of its own spacing is dropped.
    """

    def tickValues(self, minVal: float, maxVal: float,
                   size: float) -> list[tuple[float, list[float]]]:  # overrides tickValues
        levels = super().tickValues(minVal, maxVal, size)
        out: list[tuple[float, list[float]]] = []
        taken = np.zeros(0)
        for spacing, values in levels:
            v = np.asarray(values, dtype=float)
            if len(taken) and len(v):
                # Ticks may skip (every 5th day): judge by the distance actually drawn.
                step = float(np.median(np.diff(v))) if len(v) > 1 else spacing
                gap = np.abs(v[:, None] - taken[None, :]).min(axis=1)
                v = v[gap >= 0.45 * max(step, spacing)]
            out.append((spacing, v.tolist()))
            taken = np.concatenate([taken, v])
        return out

    def tickStrings(self, values: list[float], scale: float,  # noqa: N802 - pyqtgraph's name
                    spacing: float) -> list[str]:  # overrides DateAxisItem.tickStrings
        """One way of writing a date on every level: "8 Nov", never "Nov" beside "08"."""
        day = 86400.0
        out: list[str] = []
        for value in values:
            when = datetime.datetime.fromtimestamp(value)
            if spacing >= 300 * day:
                out.append(str(when.year))
            elif spacing >= day:
                out.append(f"{when.day} {when:%b}")
            else:
                out.append(f"{when:%H:%M}")
        return out


class _BasePlot(pg.PlotWidget):
    """A PlotWidget that follows the widget palette and keeps its y range fixed."""

    def __init__(self, parent: QWidget | None = None, *, date_axis: bool = True) -> None:
        axes = {"bottom": DateAxis(orientation="bottom")} if date_axis else {}
        super().__init__(parent, axisItems=axes, background=None)
        # Antialiasing is per curve and only while zoomed in (see _smooth): over 10 years it
        # would cost a frame or two and show nothing finer on a dense line.
        self.setAntialiasing(False)
        self.plot_item: pg.PlotItem = self.getPlotItem()
        self.plot_item.setMenuEnabled(False)
        self.plot_item.hideButtons()
        self.view_box: pg.ViewBox = self.plot_item.getViewBox()
        self.view_box.setMenuEnabled(False)
        self.view_box.setMouseEnabled(x=date_axis, y=False)
        self.view_box.enableAutoRange(x=False, y=False)
        self.data: ChartData | None = None
        self.hover: _Hover | None = None
        self.colours: ChartColours = chart_colours(self.palette())
        self.setMinimumSize(320, 220)

    def leaveEvent(self, event: QEvent) -> None:  # overrides QWidget.leaveEvent
        if self.hover is not None:
            self.hover.hide()
        super().leaveEvent(event)

    def apply_colours(self) -> None:
        """Repaint backgrounds, axes and items for the current palette."""
        c = self.colours = chart_colours(self.palette())
        self.setBackground(c.background)
        for name in ("left", "bottom", "right"):
            axis = self.plot_item.getAxis(name)
            axis.setPen(pg.mkPen(c.muted))
            axis.setTextPen(pg.mkPen(c.foreground))

    def changeEvent(self, event: QEvent) -> None:  # overrides QWidget.changeEvent
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.__dict__.get("_ready"):
            self.apply_colours()

    def set_series(self, data: ChartData) -> None:
        """Show ``data``; subclasses update their items in place."""
        self.data = data

    def is_empty(self) -> bool:
        return self.data is None


class _DatePlot(_BasePlot):
    """A date-axis chart with range presets and x-only zoom and pan."""

    PRESETS: dict[str, tuple[str, int]] = {"4w": ("4 weeks", 28), "3m": ("3 months", 91),
                                           "all": ("Everything", 0)}
    """Range presets: id → (button text, days on screen; 0 for everything)."""
    LONG_DEFAULT = "3m"
    """The preset first shown when the history is longer than 4 months."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, date_axis=True)
        self.preset: str | None = None
        self.view_box.sigRangeChangedManually.connect(self._on_range_changed_manually)

    def x_bounds(self) -> tuple[float, float]:
        """The first and last day's edges, in timestamps."""
        data = self.data
        if data is None or not data.days:
            return 0.0, DAY_S
        return float(data.x[0]) - DAY_S / 2, float(data.x[-1]) + DAY_S / 2

    def _update_limits(self) -> None:
        lo, hi = self.x_bounds()
        lo = min(lo, hi - min(d for _t, d in self.PRESETS.values() if d) * DAY_S)
        self.view_box.setLimits(xMin=lo - DAY_S, xMax=hi + DAY_S, minXRange=7 * DAY_S)

    def set_range(self, preset: str) -> None:
        """Show the last 4 weeks (``4w``), 3 months (``3m``) or everything (``all``)."""
        self.preset = preset
        lo, hi = self.x_bounds()
        days = self.PRESETS[preset][1]
        if days:
            lo = hi - days * DAY_S
        self.view_box.setXRange(lo, hi, padding=0)

    def visible_days(self) -> float:
        lo, hi = self.view_box.viewRange()[0]
        return float(hi - lo) / DAY_S

    def restore_range(self) -> None:
        """Re-apply the preset after new data; a hand-chosen zoom stays as it was."""
        self._update_limits()
        if self.preset is None:
            return
        self.set_range(self.preset)

    @Slot()
    def _on_range_changed_manually(self, *_args: object) -> None:
        self.preset = None


class _Hover:
    """A text box and a vertical line that follow the mouse over a date chart."""

    def __init__(self, plot: _BasePlot, text_of: Callable[[float], tuple[float, str] | None]):
        self._plot = plot
        self._text_of = text_of
        self.line = pg.InfiniteLine(angle=90, movable=False)
        self.text = pg.TextItem(anchor=(0, 0))
        self.line.setZValue(50)
        self.text.setZValue(60)
        plot.view_box.addItem(self.line, ignoreBounds=True)
        plot.view_box.addItem(self.text, ignoreBounds=True)
        self.hide()
        plot.scene().sigMouseMoved.connect(self.on_mouse_moved)
        plot.hover = self
        self.current = ""

    def hide(self) -> None:
        self.line.hide()
        self.text.hide()
        self.current = ""

    def apply_colours(self, c: ChartColours) -> None:
        line = QColor(c.foreground)
        line.setAlpha(110)
        self.line.setPen(pg.mkPen(line, width=1, style=Qt.PenStyle.DashLine))
        fill = QColor(c.background)
        fill.setAlpha(235)
        self.text.fill = pg.mkBrush(fill)
        self.text.border = pg.mkPen(c.muted)
        self.text.setColor(c.foreground)

    def show_at(self, scene_pos: QPointF) -> None:
        vb = self._plot.view_box
        if not vb.sceneBoundingRect().contains(scene_pos):
            self.hide()
            return
        point = vb.mapSceneToView(scene_pos)
        found = self._text_of(point.x())
        if found is None:
            self.hide()
            return
        x, html = found
        self.current = html
        self.line.setPos(x)
        self.text.setHtml(html)
        (x0, x1), (y0, y1) = vb.viewRange()
        right = point.x() > (x0 + x1) / 2
        self.text.setAnchor((1.0 if right else 0.0, 0.0))
        offset = (x1 - x0) * 0.01 * (-1 if right else 1)
        self.text.setPos(point.x() + offset, y1 - (y1 - y0) * 0.09)
        self.line.show()
        self.text.show()

    @Slot(object)
    def on_mouse_moved(self, scene_pos: QPointF) -> None:
        self.show_at(scene_pos)


def _html(lines: list[str]) -> str:
    return "<div style='white-space:nowrap'>" + "<br>".join(lines) + "</div>"


def _colour_legend(legend: pg.LegendItem, colour: QColor) -> None:
    """Recolour a legend's labels now (``setLabelTextColor`` only applies on the next text)."""
    legend.setLabelTextColor(colour)
    for _sample, label in legend.items:
        label.setText(label.text, color=colour)


def _set_legend_text(legend: pg.LegendItem, item: object, text: str) -> None:
    label = legend.getLabel(item)
    if label is not None and label.text != text:
        label.setText(text, color=legend.opts["labelTextColor"])


SMOOTH_UP_TO_DAYS = 400
"""Antialias the curves while at most this many days are on screen."""


def _smooth(days_on_screen: float, *curves: pg.PlotDataItem) -> None:
    """Antialias ``curves`` when zoomed in; over years a dense line looks the same without."""
    on = days_on_screen <= SMOOTH_UP_TO_DAYS
    for curve in curves:
        if curve.opts.get("antialias") != on:
            curve.opts["antialias"] = on
            curve.curve.opts["antialias"] = on
            curve.curve.update()


def _grid_on(axis: pg.AxisItem) -> None:
    """Grid lines at the labelled and half-way ticks only; finer ones would stripe the plot."""
    axis.setGrid(30)
    axis.setStyle(maxTickLevel=1)


def _zero_to_ten(plot: _DatePlot, label: str) -> None:
    """The left axis as a fixed 0–10 scale (pain, function), ticked every 2, with a grid."""
    plot.view_box.setYRange(*PAIN_RANGE, padding=0)
    plot.view_box.setLimits(yMin=PAIN_RANGE[0], yMax=PAIN_RANGE[1])
    left = plot.plot_item.getAxis("left")
    left.setTicks([[(v, str(v)) for v in range(0, 11, 2)]])
    plot.plot_item.setLabel("left", label)
    _grid_on(left)


# --- 1. pain vs mileage -----------------------------------------------------------------------

class PainDistanceChart(_DatePlot):
    """Daily pain and its 7-day mean over the daily running distance, phases behind.

    Attributes:
        pain_curve: Daily pain, dots and a thin line, broken on unlogged days.
        mean_curve: The 7-day mean of pain.
        bars: One BarGraphItem with the distance run each day (days with a run only).
        bars_view: The right axis' ViewBox (x linked to the pain ViewBox).
        bands: The phase bands; flags, advances, regressions: the markers.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        pi, vb = self.plot_item, self.view_box
        _zero_to_ten(self, "Pain (0–10)")

        # Distance on a second ViewBox behind the pain ViewBox, sharing its x.
        self.bars_view = pg.ViewBox(enableMouse=False, enableMenu=False)
        self.bars_view.setZValue(-10)
        pi.showAxis("right")
        pi.scene().addItem(self.bars_view)
        pi.getAxis("right").linkToView(self.bars_view)
        self.bars_view.setXLink(vb)
        self.bars_view.enableAutoRange(x=False, y=False)
        vb.sigResized.connect(self._sync_views)

        self.bands = PhaseBandsItem()
        self.bands.setZValue(-20)
        self.bars_view.addItem(self.bands, ignoreBounds=True)
        self.bars = pg.BarGraphItem(x=np.zeros(0), height=np.zeros(0), width=0.8 * DAY_S,
                                    pen=pg.mkPen(None))
        self.bars_view.addItem(self.bars)

        self.legend = pg.LegendItem(colCount=6, horSpacing=14, verSpacing=-6)
        pi.layout.addItem(self.legend, 4, 1)
        self.pain_curve = pg.PlotDataItem(connect="finite", symbol="o", symbolSize=5,
                                          clipToView=True, name="Pain")
        self.mean_curve = pg.PlotDataItem(connect="finite", clipToView=True,
                                          autoDownsample=True, downsampleMethod="peak",
                                          name="7-day mean")
        # Down-sample to about one point per pixel (pyqtgraph keeps 5 by default).
        self.mean_curve.opts["autoDownsampleFactor"] = 1.0
        self.flags = pg.ScatterPlotItem(symbol="d", size=12, name="Red flag")
        self.advances = pg.ScatterPlotItem(symbol="t1", size=11, name="Advanced")
        self.regressions = pg.ScatterPlotItem(symbol="t", size=11, name="Stepped back")
        for item in (self.pain_curve, self.mean_curve, self.flags, self.advances,
                     self.regressions):
            pi.addItem(item)
        self.leg_curve = pg.PlotDataItem(connect="finite", symbol="s", symbolSize=5,
                                         clipToView=True, name="Leg pain")
        self.leg_curve.setVisible(False)
        pi.addItem(self.leg_curve)
        self.mean_curve.setZValue(5)
        self.pain_curve.setZValue(4)
        self.leg_curve.setZValue(3)
        self.legend.addItem(self.pain_curve, "Pain")
        self.legend.addItem(self.mean_curve, "7-day mean")
        self.legend.addItem(self.bars, "Run distance")
        self.legend.addItem(self.flags, "Red flag")
        self.legend.addItem(self.advances, "Advanced")
        self.legend.addItem(self.regressions, "Stepped back")
        self.hover = _Hover(self, self.hover_at)
        vb.sigXRangeChanged.connect(self._on_x_range_changed)
        self._dots = True
        self._units = ""
        self._ready = True
        self.apply_colours()

    @Slot()
    def _sync_views(self) -> None:
        self.bars_view.setGeometry(self.view_box.sceneBoundingRect())
        self.bars_view.linkedViewChanged(self.view_box, self.bars_view.XAxis)

    def apply_colours(self) -> None:
        super().apply_colours()
        c = self.colours
        dot_pen = pg.mkPen(c.background, width=1)
        daily = QColor(c.pain)
        daily.setAlpha(150)
        # Width 1 exactly: Qt strokes fractional or wide pens as paths, ten times slower.
        self.pain_curve.setPen(pg.mkPen(daily, width=1))
        self.pain_curve.setSymbolBrush(pg.mkBrush(c.pain))
        self.pain_curve.setSymbolPen(dot_pen)
        self.mean_curve.setPen(pg.mkPen(c.pain_mean, width=3))
        self.leg_curve.setPen(pg.mkPen(LEG_PAIN_COLOUR, width=1, style=Qt.PenStyle.DashLine))
        self.leg_curve.setSymbolBrush(pg.mkBrush(LEG_PAIN_COLOUR))
        self.leg_curve.setSymbolPen(dot_pen)
        self.bars.setOpts(brush=pg.mkBrush(c.distance_solid))
        outline = pg.mkPen(c.foreground, width=1)
        self.flags.setPen(outline)
        self.flags.setBrush(pg.mkBrush(c.red_flag))
        self.advances.setPen(outline)
        self.advances.setBrush(pg.mkBrush(c.advance))
        self.regressions.setPen(outline)
        self.regressions.setBrush(pg.mkBrush(c.regression))
        _colour_legend(self.legend, c.foreground)
        text = QColor(c.foreground)
        text.setAlpha(170)
        self.bands.set_text_colour(text)
        if self.hover is not None:
            self.hover.apply_colours(c)
        if self.data is not None:
            self._set_bands(self.data)
        self.legend.update()

    def _set_bands(self, data: ChartData) -> None:
        phases = data.phases
        starts = [k for k in range(len(phases)) if k == 0 or phases[k] != phases[k - 1]]
        ends = starts[1:] + [len(phases)]
        x = data.x
        x0 = np.array([x[s] - DAY_S / 2 for s in starts])
        x1 = np.array([x[e - 1] + DAY_S / 2 for e in ends])
        alpha = self.colours.band_alpha
        self.bands.set_bands(x0, x1, [band_colour(phases[s], alpha) for s in starts],
                             [data.phase_names.get(phases[s], phases[s]) for s in starts])

    def set_series(self, data: ChartData) -> None:
        """Show ``data``: update every item in place, keep the preset or the user's zoom."""
        super().set_series(data)
        x = data.x
        if np.isfinite(data.pain).any():
            self.pain_curve.setData(x, data.pain, connect="finite")
            self.mean_curve.setData(x, data.mean, connect="finite")
        else:  # all gaps: the dots' bounds would be NaN (and numpy would say so)
            self.pain_curve.setData([], [])
            self.mean_curve.setData([], [])
        if len(data.leg_pain) and np.isfinite(data.leg_pain).any():
            self.leg_curve.setData(x, data.leg_pain, connect="finite")
        else:
            self.leg_curve.setData([], [])
        ran = data.run > 0
        self.bars.setOpts(x=x[ran], height=data.run[ran], width=0.8 * DAY_S)
        # The longest run reaches the height of pain 10, so the marker lane stays clear.
        longest = float(data.run.max()) if data.days and ran.any() else 1.0
        scale = longest / 10.0
        self.bars_view.setYRange(PAIN_RANGE[0] * scale, PAIN_RANGE[1] * scale, padding=0)
        events = np.array([e or "" for e in data.events])
        flagged = np.fromiter(data.figures.red_flags, bool, data.days)
        for item, mask in ((self.flags, flagged), (self.advances, events == "advance"),
                           (self.regressions, events == "regression")):
            item.setData(x=x[mask], y=np.full(int(mask.sum()), MARKER_Y))
        if data.units != self._units:
            self._units = data.units
            self.plot_item.setLabel("right", f"Run distance ({data.units})")
            _set_legend_text(self.legend, self.bars, f"Run distance ({data.units})")
        self._set_bands(data)
        self.restore_range()
        self._on_x_range_changed()

    def is_empty(self) -> bool:
        data = self.data
        return data is None or not bool(np.isfinite(data.pain).any())

    def set_leg_pain_visible(self, visible: bool) -> None:
        """Show leg pain as a second line (off by default: DESIGN §6 keeps one headline)."""
        self.leg_curve.setVisible(visible)
        if visible and self.legend.getLabel(self.leg_curve) is None:
            self.legend.addItem(self.leg_curve, "Leg pain")
            _colour_legend(self.legend, self.colours.foreground)
        elif not visible:
            self.legend.removeItem(self.leg_curve)

    @Slot()
    def _on_x_range_changed(self, *_args: object) -> None:
        dots = self.visible_days() <= DOTS_UP_TO_DAYS
        if dots != self._dots:
            self._dots = dots
            self.pain_curve.setSymbol("o" if dots else None)
        _smooth(self.visible_days(), self.pain_curve, self.mean_curve)

    def hover_text(self, k: int) -> str:
        """The hover box of day ``k``: date, phase, pain, morning pain, 7-day mean, run."""
        data = self.data
        if data is None:
            return ""
        day = data.day(k)
        phase = data.phase_names.get(data.phases[k], data.phases[k])
        if data.paused[k]:
            phase += " (paused)"
        lines = [f"<b>{words.date_text(day, weekday=True)}</b> · {phase}"]
        if data.pain[k] == data.pain[k]:
            lines.append(f"Pain {_pain_words(data.pain[k])} · morning "
                         f"{_pain_words(data.morning[k])} · 7-day mean {_number(data.mean[k])}")
        else:
            lines.append(f"Not logged · 7-day mean {_number(data.mean[k])}")
        if self.leg_curve.isVisible() and k < len(data.leg_pain):
            lines.append(f"Leg pain {_pain_words(data.leg_pain[k])}")
        lines.append(f"Run {data.run[k]:.1f} {data.units}" if data.run[k] > 0 else "No run")
        event = data.events[k]
        if data.figures.red_flags[k]:
            lines.append("Red flag logged: plan paused")
        if event == "advance":
            lines.append("Advanced: next phase from the day after")
        elif event == "regression":
            lines.append("Stepped back: pain flared")
        elif event == "clearance":
            lines.append("Cleared by a clinician")
        return _html(lines)

    def hover_at(self, x: float) -> tuple[float, str] | None:
        data = self.data
        k = data.index_at(x) if data is not None else None
        if data is None or k is None:
            return None
        return float(data.x[k]), self.hover_text(k)


# --- 2. weekly mileage ------------------------------------------------------------------------

class WeeklyMileageChart(_DatePlot):
    """Monday–Sunday running weeks as bars, with two lines over each week: the previous
    week + 10 % (the guide for building up, DESIGN §6) and + 30 % (where the app warns).

    Attributes:
        include_all: Count every activity with a distance instead of runs only.
    """

    PRESETS = {"3m": ("3 months", 91), "1y": ("1 year", 365), "all": ("Everything", 0)}
    LONG_DEFAULT = "1y"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.include_all = False
        pi = self.plot_item
        _grid_on(pi.getAxis("left"))
        self.legend = pg.LegendItem(colCount=2, horSpacing=14, verSpacing=-6)
        pi.layout.addItem(self.legend, 4, 1)
        self.bars = pg.BarGraphItem(x=np.zeros(0), height=np.zeros(0), width=6 * DAY_S,
                                    pen=pg.mkPen(None))
        self.limit = pg.PlotDataItem(connect="finite")
        self.warn_line = pg.PlotDataItem(connect="finite")
        self.guide_line = pg.PlotDataItem(connect="finite")
        pi.addItem(self.bars)
        pi.addItem(self.limit)
        pi.addItem(self.warn_line)
        pi.addItem(self.guide_line)
        self.legend.addItem(self.bars, "Distance run each week (Mon–Sun)")
        self.legend.addItem(self.limit, "Last week + 10 %: a gentle guide, not a proven limit")
        self.legend.addItem(self.warn_line, "Last week + 30 %: the app warns above this")
        self.legend.addItem(self.guide_line, "Full training: the week's guide (7-day blocks)")
        self.hover = _Hover(self, self.hover_at)
        self.heights = np.zeros(0)
        self.limits = np.zeros(0)
        self.warn_limits = np.zeros(0)
        self.guide_levels = np.zeros(0)
        self._ready = True
        self.apply_colours()

    def apply_colours(self) -> None:
        super().apply_colours()
        c = self.colours
        self.bars.setOpts(brush=pg.mkBrush(c.distance_solid))
        self.limit.setPen(pg.mkPen(c.foreground, width=2, style=Qt.PenStyle.DashLine))
        self.warn_line.setPen(pg.mkPen(c.red_flag, width=2, style=Qt.PenStyle.DotLine))
        self.guide_line.setPen(pg.mkPen(c.foreground, width=3))
        _colour_legend(self.legend, c.foreground)
        if self.hover is not None:
            self.hover.apply_colours(c)

    def set_include_all(self, include: bool) -> None:
        self.include_all = include
        if self.data is not None:
            self.set_series(self.data)

    def x_bounds(self) -> tuple[float, float]:
        data = self.data
        if data is None or not data.weeks:
            return super().x_bounds()
        first = data.weeks[0].monday
        return (float(noon_timestamps(first, 1)[0]) - DAY_S / 2,
                float(noon_timestamps(data.weeks[-1].monday, 7)[-1]) + DAY_S / 2)

    def set_series(self, data: ChartData) -> None:
        super().set_series(data)
        weeks = data.weeks
        per = data.per_unit
        totals = [(w.distance_m if self.include_all else w.run_m) for w in weeks]
        mondays = np.array([noon_timestamps(w.monday, 1)[0] for w in weeks])
        self.heights = np.array(totals, dtype=float) / per
        self.limits = _floats(load.weekly_limits(totals), per)
        self.warn_limits = _floats(load.weekly_limits(totals, data.rise_factor), per)
        self.bars.setOpts(x=mondays + 3 * DAY_S, height=self.heights, width=6 * DAY_S)
        # One segment over each week, at the previous week's total + 10 % (and + 30 %).
        xs = np.empty(3 * len(weeks))
        xs[0::3], xs[1::3], xs[2::3] = mondays - DAY_S / 2, mondays + 6.5 * DAY_S, math.nan
        for line, levels in ((self.limit, self.limits), (self.warn_line, self.warn_limits)):
            ys = np.empty(3 * len(weeks))
            ys[0::3], ys[1::3], ys[2::3] = levels, levels, math.nan
            line.setData(xs, ys, connect="finite")
        # The §5.4 guide: one solid segment over each 7-day block of full training.
        self.guide_levels = np.array([m for _, m in data.guides], dtype=float) / per
        starts = np.array([noon_timestamps(first, 1)[0] for first, _ in data.guides])
        gx = np.empty(3 * len(data.guides))
        gx[0::3], gx[1::3], gx[2::3] = starts - DAY_S / 2, starts + 6.5 * DAY_S, math.nan
        gy = np.empty(3 * len(data.guides))
        gy[0::3], gy[1::3], gy[2::3] = self.guide_levels, self.guide_levels, math.nan
        self.guide_line.setData(gx, gy, connect="finite")
        top = np.nanmax(np.concatenate([self.heights, self.limits, self.warn_limits,
                                        self.guide_levels, [0.0]]))
        self.view_box.setYRange(0, max(float(top) * 1.12, 1.0), padding=0)
        what = "every activity" if self.include_all else "running"
        self.plot_item.setLabel("left", f"Distance per week, {what} ({data.units})")
        _set_legend_text(self.legend, self.bars, "Distance each week, Mon–Sun"
                         + (" (all activities)" if self.include_all else " (runs)"))
        self.restore_range()

    def is_empty(self) -> bool:
        data = self.data
        return data is None or not any(
            (w.distance_m if self.include_all else w.run_m) > 0 for w in data.weeks)

    def hover_at(self, x: float) -> tuple[float, str] | None:
        data = self.data
        if data is None or not data.weeks:
            return None
        first = noon_timestamps(data.weeks[0].monday, 1)[0] - DAY_S / 2
        w = int((x - first) // (7 * DAY_S))
        if not 0 <= w < len(data.weeks):
            return None
        week = data.weeks[w]
        sunday = week.monday + datetime.timedelta(days=6)
        lines = [f"<b>Week of {words.date_text(week.monday)}</b> "
                 f"(Mon–Sun {words.date_text(sunday, year=False)})",
                 f"Run {week.run_m / data.per_unit:.1f} {data.units} · all activities "
                 f"{week.distance_m / data.per_unit:.1f} {data.units}, "
                 f"{words.duration_text(week.duration_s)}"]
        if self.limits[w] == self.limits[w]:
            lines.append(f"Guide: about {self.limits[w]:.1f} {data.units} "
                         f"(last week + 10 %); warned above {self.warn_limits[w]:.1f} "
                         f"{data.units} (+ 30 %)")
        if week.days < 7:
            lines.append(f"{week.days} of its days are in the episode")
        return float(first + (7 * w + 3.5) * DAY_S), _html(lines)


# --- 3. pain against the week's distance ------------------------------------------------------

class PainWeekChart(_BasePlot):
    """Each day's pain (or next-morning pain) against the running of the 7 days before it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, date_axis=False)
        self.morning = False
        pi, vb = self.plot_item, self.view_box
        vb.setYRange(-0.5, 10.5, padding=0)
        pi.getAxis("left").setTicks([[(v, str(v)) for v in range(0, 11, 2)]])
        _grid_on(pi.getAxis("left"))
        _grid_on(pi.getAxis("bottom"))
        self.points = pg.ScatterPlotItem(symbol="o", size=9, hoverable=True,
                                         tip=self._tip)
        self.trend = pg.PlotDataItem()
        pi.addItem(self.trend)
        pi.addItem(self.points)
        self.link: load.PainLink | None = None
        self._ready = True
        self.apply_colours()

    def apply_colours(self) -> None:
        super().apply_colours()
        c = self.colours
        fill = QColor(c.pain)
        fill.setAlpha(110)
        self.points.setBrush(pg.mkBrush(fill))
        self.points.setPen(pg.mkPen(c.pain, width=1))
        self.points.opts["hoverBrush"] = pg.mkBrush(c.distance)
        self.trend.setPen(pg.mkPen(c.muted, width=2, style=Qt.PenStyle.DashLine))

    def _tip(self, x: float, y: float, data: object) -> str:
        units = self.data.units if self.data is not None else ""
        when = words.date_text(data, weekday=True) if isinstance(data, datetime.date) else ""
        what = "Morning pain" if self.morning else "Pain"
        return f"{when}\n{what} {y:.0f} after {x:.1f} {units} in the 7 days before"

    def set_morning(self, morning: bool) -> None:
        self.morning = morning
        if self.data is not None:
            self.set_series(self.data)

    def set_series(self, data: ChartData) -> None:
        super().set_series(data)
        link = self.link = data.links[1 if self.morning else 0]
        x = np.array(link.week_m, dtype=float) / data.per_unit
        y = np.array(link.pain, dtype=float)
        # Whole-number pains stack up in rows: fainter dots for many points show the density.
        fill = QColor(self.colours.pain)
        fill.setAlpha(int(max(30.0, min(140.0, 140.0 * math.sqrt(60 / max(len(x), 1))))))
        self.points.setData(x=x, y=y, data=list(link.days), brush=pg.mkBrush(fill))
        top = float(x.max()) if len(x) else 1.0
        self.view_box.setXRange(-top * 0.03, max(top * 1.05, 1.0), padding=0)
        if link.r is not None and len(x) > 1:
            slope, intercept = np.polyfit(x, y, 1)
            ends = np.array([0.0, top])
            self.trend.setData(ends, slope * ends + intercept)
        else:
            self.trend.setData([], [])
        what = "Next-morning pain" if self.morning else "Pain that day"
        self.plot_item.setLabel("left", f"{what} (0–10)")
        self.plot_item.setLabel("bottom", f"Run in the 7 days before ({data.units})")

    def is_empty(self) -> bool:
        link = self.link
        return link is None or link.n == 0 or not any(link.week_m)


# --- 5. cadence -------------------------------------------------------------------------------

class CadenceChart(_BasePlot):
    """Each run's cadence over time, with the usual figure and the +5 % mark."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, date_axis=True)
        pi = self.plot_item
        pi.setLabel("left", "Cadence (steps a minute)")
        _grid_on(pi.getAxis("left"))
        self.view_box.setMouseEnabled(x=True, y=False)
        self.points = pg.ScatterPlotItem(symbol="o", size=8, hoverable=True, tip=self._tip)
        self.line = pg.PlotDataItem()
        self.usual_line = pg.InfiniteLine(angle=0, movable=False)
        self.quicker_line = pg.InfiniteLine(angle=0, movable=False)
        pi.addItem(self.line)
        pi.addItem(self.points)
        pi.addItem(self.usual_line, ignoreBounds=True)
        pi.addItem(self.quicker_line, ignoreBounds=True)
        self.legend = pg.LegendItem(colCount=3, horSpacing=14, verSpacing=-6)
        pi.layout.addItem(self.legend, 4, 1)
        self.usual_sample = pg.PlotDataItem()
        self.quicker_sample = pg.PlotDataItem()
        self.legend.addItem(self.points, "Each run")
        self.legend.addItem(self.usual_sample, "Your usual cadence")
        self.legend.addItem(self.quicker_sample, "About 5 % quicker")
        self.history: CadenceHistory | None = None
        self._ready = True
        self.apply_colours()

    def apply_colours(self) -> None:
        super().apply_colours()
        c = self.colours
        self.points.setBrush(pg.mkBrush(c.distance))
        self.points.setPen(pg.mkPen(c.distance, width=1))
        self.line.setPen(pg.mkPen(c.muted, width=1))
        usual = pg.mkPen(c.foreground, width=2, style=Qt.PenStyle.DashLine)
        quicker = pg.mkPen(c.pain, width=2, style=Qt.PenStyle.DotLine)
        self.usual_line.setPen(usual)
        self.usual_sample.setPen(usual)
        self.quicker_line.setPen(quicker)
        self.quicker_sample.setPen(quicker)
        _colour_legend(self.legend, c.foreground)

    def _tip(self, x: float, y: float, data: object) -> str:
        when = words.date_text(data, weekday=True) if isinstance(data, datetime.date) else ""
        return f"{when}\n{y:.0f} steps a minute"

    def set_series(self, data: ChartData) -> None:
        super().set_series(data)
        history = self.history = data.cadence
        runs = history.runs if history is not None else ()
        days = [day for day, _spm in runs]
        x = np.array([datetime.datetime(d.year, d.month, d.day, 12).timestamp() for d in days],
                     dtype=float)
        y = np.array([spm for _day, spm in runs], dtype=float)
        self.points.setData(x=x, y=y, data=days)
        self.line.setData(x, y)
        usual = history.usual if history is not None else None
        quicker = history.quicker if history is not None else None
        for line, value in ((self.usual_line, usual), (self.quicker_line, quicker)):
            line.setVisible(value is not None)
            if value is not None:
                line.setValue(value)
        if len(y):
            values = [*y, *(v for v in (usual, quicker) if v is not None)]
            lo, hi = min(values), max(values)
            self.view_box.setYRange(lo - 8, hi + 8, padding=0)
            self.view_box.setXRange(float(x.min()) - 7 * DAY_S, float(x.max()) + 7 * DAY_S,
                                    padding=0)

    def caption_text(self) -> str:
        """The usual figure and the mark in words, with where the usual figure comes from."""
        history = self.history
        if history is None or history.usual is None or history.quicker is None:
            return ""
        runs = words.count_text(history.basis_count, "run")
        where = (f"the median of your {runs} before this episode" if history.basis == "before"
                 else f"the median of your first {runs} recorded")
        return (f"Your usual cadence: {history.usual:.0f} steps a minute ({where}). "
                f"About 5 % quicker: {history.quicker:.0f}.")

    def is_empty(self) -> bool:
        return self.history is None or not self.history.runs


# --- the pages and the view -------------------------------------------------------------------

class Chart(Protocol):
    """What a ChartPage needs of its chart: the pyqtgraph charts and the body heat map."""

    data: ChartData | None
    hover: _Hover | None

    def set_series(self, data: ChartData) -> None: ...

    def is_empty(self) -> bool: ...


class ChartPage(QWidget):
    """One tab: the chart's controls, then the figure (caption + chart) or its empty state.

    Attributes:
        chart: The plot widget.
        caption: A line above the chart (the correlation sentence), part of the export.
        figure: What is exported: the caption and the chart.
        empty_label: What to log to see this chart.
    """

    def __init__(self, chart: Chart, empty_text: str, controls: Sequence[QWidget] = (),
                 *, caption: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        if controls:
            row = QHBoxLayout()
            for widget in controls:
                row.addWidget(widget)
            row.addStretch(1)
            lay.addLayout(row)
        self.stack = QStackedWidget(self)
        self.figure = QWidget(self.stack)
        self.figure.setAutoFillBackground(True)
        self.figure.setBackgroundRole(QPalette.ColorRole.Base)
        fig = QVBoxLayout(self.figure)
        fig.setContentsMargins(8, 6, 8, 4)
        fig.setSpacing(4)
        self.caption = QLabel(self.figure)
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.caption.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.caption.setFont(font)
        self.caption.setVisible(caption)
        fig.addWidget(self.caption)
        assert isinstance(chart, QWidget)
        fig.addWidget(chart, 1)
        self.empty_label = QLabel(empty_text, self.stack)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setAccessibleName("Nothing to chart yet")
        self.empty_label.setMargin(24)
        self.stack.addWidget(self.figure)
        self.stack.addWidget(self.empty_label)
        lay.addWidget(self.stack, 1)

    def update_state(self) -> None:
        """Show the chart, or the empty state when it has nothing to draw."""
        empty = self.chart.is_empty()
        self.stack.setCurrentWidget(self.empty_label if empty else self.figure)

    def is_showing_empty(self) -> bool:
        return self.stack.currentWidget() is self.empty_label

    def render_image(self, size: QSize) -> QImage:
        """Render what the page shows (caption and chart, or the empty state) at ``size``.

        Large sizes are laid out at a smaller logical size and drawn at a higher pixel ratio,
        so the text keeps a readable size; the image always has exactly ``size`` pixels.
        """
        widget = self.stack.currentWidget() or self.figure
        scale = max(1.0, min(size.width() / 1100, size.height() / 700))
        logical = QSize(max(1, round(size.width() / scale)), max(1, round(size.height() / scale)))
        image = QImage(size, QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(scale)
        image.fill(widget.palette().color(QPalette.ColorRole.Base))
        old = widget.size()
        widget.resize(logical)
        if self.chart.hover is not None:
            self.chart.hover.hide()
        painter = QPainter(image)
        try:
            widget.render(painter, QPoint(0, 0))
        finally:
            painter.end()
            widget.resize(old)
        return image


class ChartsView(QWidget):
    """The Charts view over a Session: three charts in tabs, each exportable as PNG.

    Reloads on the session's ``data_changed`` while visible; when hidden it only marks itself
    dirty and reloads on the next show, so typing in the Log view costs no chart work.

    Attributes:
        tabs: One tab per chart, the pain-vs-mileage chart first.
        pain_chart, weekly_chart, scatter_chart: The three charts.
        pages: The three ChartPages, in tab order.
        data: The ChartData last drawn (None without an episode).
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._dirty = False
        self.data: ChartData | None = None

        self.pain_chart = PainDistanceChart()
        self.weekly_chart = WeeklyMileageChart()
        self.scatter_chart = PainWeekChart()
        self.cadence_chart = CadenceChart()

        self.preset_buttons: dict[str, QPushButton] = {}
        pain_controls = self._preset_buttons(self.pain_chart, "pain")
        weekly_controls = self._preset_buttons(self.weekly_chart, "weekly")
        self.include_all_box = QCheckBox("Include walks, rides and swims")
        self.include_all_box.setToolTip("Count every activity with a distance, not only runs.")
        self.include_all_box.toggled.connect(self._on_include_all_toggled)
        weekly_controls.append(self.include_all_box)
        self.leg_pain_box = QCheckBox("Show leg pain")
        self.leg_pain_box.setToolTip("Leg pain as a second line (dashed), on the same 0–10 "
                                     "scale.")
        self.leg_pain_box.toggled.connect(self.pain_chart.set_leg_pain_visible)
        pain_controls.insert(len(pain_controls) - 1, self.leg_pain_box)
        self.morning_combo = QComboBox()
        self.morning_combo.addItems(["Pain that day", "Next-morning pain"])
        self.morning_combo.setAccessibleName("Which pain to compare")
        self.morning_combo.setToolTip("Next-morning pain follows the 24-hour rule: how the "
                                      "back feels after the tissues have reacted.")
        self.morning_combo.currentIndexChanged.connect(self._on_morning_changed)
        scatter_label = QLabel("Compare:")
        scatter_label.setBuddy(self.morning_combo)

        self.pages = [
            ChartPage(self.pain_chart, EMPTY_PAIN, pain_controls),
            ChartPage(self.weekly_chart, EMPTY_WEEKLY, weekly_controls),
            ChartPage(self.scatter_chart, EMPTY_SCATTER, [scatter_label, self.morning_combo],
                      caption=True),
        ]
        cadence_note = QLabel(CADENCE_EVIDENCE)
        cadence_note.setWordWrap(True)
        self.cadence_page = ChartPage(self.cadence_chart, EMPTY_CADENCE, [cadence_note],
                                      caption=True)
        self.pages.append(self.cadence_page)
        from recoverydesk.gui.outcome_charts import outcome_pages

        outcome = outcome_pages()
        self.function_chart, self.where_chart = outcome[0][0].chart, outcome[1][0].chart
        self.pages += [page for page, _title in outcome]
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        for page, title in zip(self.pages, ("Pain vs mileage", "Weekly mileage",
                                            "Pain vs week's running", "Cadence",
                                            *(title for _page, title in outcome)),
                               strict=True):
            self.tabs.addTab(page, title)
        # A push button draws its menu arrow beside the text (a tool button's overlaps it).
        self.export_button = QPushButton("Export PNG", self)
        self.export_button.setAccessibleName("Export the chart as a PNG image")
        self.export_button.setAccessibleDescription("Opens a menu of picture sizes")
        menu = QMenu(self.export_button)
        for w, h in EXPORT_SIZES:
            action = menu.addAction(f"{w} × {h} pixels")
            action.triggered.connect(lambda _=False, s=(w, h): self._on_export_chosen(s))
        self.export_button.setMenu(menu)
        self.tabs.setCornerWidget(self.export_button, Qt.Corner.TopRightCorner)
        QWidget.setTabOrder(self.tabs.tabBar(), self.export_button)  # it reads beside the tabs
        for index, page in enumerate(self.pages):
            if not isinstance(page.chart, _BasePlot):
                continue  # the body map names its own regions
            page.chart.setAccessibleName(f"{self.tabs.tabText(index)} chart")
            page.chart.setAccessibleDescription(
                "Drag or use the wheel to pan and zoom; hover over a day for its figures. "
                "The same figures are in the History view.")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tabs)
        session.data_changed.connect(self._on_session_data_changed)
        session.episode_changed.connect(self._on_session_data_changed)
        self.refresh()
        days = self.data.days if self.data is not None else 0
        for chart in (self.pain_chart, self.weekly_chart):
            chart.set_range("all" if days <= 120 else chart.LONG_DEFAULT)

    def _preset_buttons(self, chart: _DatePlot, key: str) -> list[QWidget]:
        out: list[QWidget] = []
        for preset, (text, _days) in chart.PRESETS.items():
            button = QPushButton(text)
            button.setAccessibleName(f"Show {text.lower()}")
            button.clicked.connect(lambda _=False, c=chart, p=preset: c.set_range(p))
            self.preset_buttons[f"{key}:{preset}"] = button
            out.append(button)
        hint = QLabel("Drag to pan, wheel to zoom; hover for a day's figures.")
        hint.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        hint.setEnabled(False)
        out.append(hint)
        return out

    # --- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Rebuild the figures from the session and update every chart in place."""
        self._dirty = False
        data = self.data = build_chart_data(self._session)
        for page in self.pages:
            if data is not None:
                page.chart.set_series(data)
            else:
                page.chart.data = None
                if isinstance(page.chart, PainWeekChart):
                    page.chart.link = None
            page.update_state()
        self._update_caption()

    def _update_caption(self) -> None:
        link = self.scatter_chart.link
        self.pages[2].caption.setText(link.sentence if link is not None else "")
        self.cadence_page.caption.setText(self.cadence_chart.caption_text())

    @Slot(object)
    def _on_session_data_changed(self, _days: object = None) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:  # overrides QWidget.showEvent
        if self._dirty:
            self.refresh()
        super().showEvent(event)

    @Slot(bool)
    def _on_include_all_toggled(self, include: bool) -> None:
        self.weekly_chart.set_include_all(include)
        self.pages[1].update_state()

    @Slot(int)
    def _on_morning_changed(self, index: int) -> None:
        self.scatter_chart.set_morning(index == 1)
        self.pages[2].update_state()
        self._update_caption()

    # --- export ----------------------------------------------------------------------------

    def current_page(self) -> ChartPage:
        return self.pages[self.tabs.currentIndex()]

    def export_png(self, path: str | pathlib.Path,
                   size: tuple[int, int] = (1200, 800)) -> pathlib.Path:
        """Write the current chart as a PNG of exactly ``size`` pixels (width, height).

        Raises:
            OSError: The file could not be written.
        """
        w, h = size
        if w < 1 or h < 1:
            raise ValueError(f"an image needs a positive size, not {w} × {h}")
        from recoverydesk.gui.pngfile import write_png

        image = self.current_page().render_image(QSize(w, h))
        return write_png(image, pathlib.Path(path), replace=True)  # the save dialog asked

    def ask_export(self) -> None:
        """File → Export chart…: the same size menu as the Export button, then the file."""
        self.export_button.showMenu()

    def _on_export_chosen(self, size: tuple[int, int]) -> None:
        title = self.tabs.tabText(self.tabs.currentIndex())
        name = title.lower().replace("'", "").replace(" ", "-") + ".png"
        path, _ = QFileDialog.getSaveFileName(self, "Export chart as PNG", name,
                                              "PNG images (*.png)")
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        try:
            self.export_png(path, size)
        except OSError as error:
            self._session.notify(f"Could not export the chart: {error}")
            return
        self._session.notify(f"Saved the chart as {path} ({size[0]} × {size[1]}).")
