"""The clinician report: a PDF a runner can hand to a physiotherapist (DESIGN.md §7).

Made with Qt's own ``QPdfWriter`` and ``QTextDocument`` (HTML), so no other PDF library is
needed; the pain-vs-mileage chart is drawn here with ``QPainter`` into a ``QImage`` that the
document embeds. The command line calls :func:`write_report` without a window: when no Qt
application exists one is made (a full ``QApplication``, so widgets can still be built in the
same process later), on the offscreen platform unless ``QT_QPA_PLATFORM`` says otherwise.

What a clinician gets, in reading order: the episode summary, the current phase and what it
asks, the phase history with the engine's own reasons, the chart, red flags and clearances,
exercise adherence, and every daily entry. Choices where the design is silent:

- **Black and white first.** Reports get photocopied. Nothing is told by colour alone: pain
  is a solid line with dots, its 7-day mean a dashed line, running distance grey bars, phases
  alternating grey shades each labelled in words, a red-flag pause hatched and labelled, a red
  flag a triangle.
- **Daily entries newest first.** A clinician's first question is "how are things now?"; the
  chart and the phase history already tell the story from the start in date order.
- **Page numbers as "page N of M"** in a footer that also names the runner's episode, so a
  loose page can be put back.
- The report says plainly that it is a self-management log, not a diagnosis.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import math
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QPolygonF,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication

from recoverydesk.core import engine
from recoverydesk.core.load import DailyFigures, daily_figures
from recoverydesk.core.model import Activity, DayLog, Episode, describe_activity, from_metres
from recoverydesk.core.plan import Content, load_content
from recoverydesk.storage.store import Store

PAGE_SIZES: dict[str, QPageSize.PageSizeId] = {
    "A4": QPageSize.PageSizeId.A4,
    "Letter": QPageSize.PageSizeId.Letter,
}
MARGIN_MM = 15.0
RESOLUTION_DPI = 600
"""QPdfWriter's device resolution: layout units only; text and lines stay vectors."""
CHART_SCALE = 4
"""The chart image holds this many pixels per CSS pixel (about 380 dpi on paper)."""
FONT_PT = 9.0
DISCLAIMER = ("A self-management log kept by the runner with RecoveryDesk. It is not a "
              "diagnosis and not medical advice; the plan is a general guide built from common "
              "practice, not tested in a trial, and its thresholds are rules of thumb.")

_KEEP_APP: list[QGuiApplication] = []
"""The application made for a report when none existed (kept so it is not collected)."""

_EVENT_WORDS = {"advance": "Advanced", "regression": "Stepped back",
                "pause": "Paused by a red flag", "clearance": "Cleared by a clinician"}
_PHASE_SHADES = {"rest": "#e6e6e6", "walk": "#f6f6f6", "low_impact": "#dcdcdc",
                 "run": "#f0f0f0", "full": "#d2d2d2"}
"""Neighbouring phases always differ in shade; each band is also labelled in words."""


# --- gathering ---------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, slots=True)
class HistoryRow:
    """One line of the phase history: what moved on a day, and the engine's sentences."""

    day: datetime.date
    event: str
    phase: str
    next_phase: str
    sentences: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the report shows, gathered once from the store and the engine."""

    today: datetime.date
    episode: Episode
    content: Content
    timeline: tuple[engine.DayStatus, ...]
    figures: DailyFigures
    history: tuple[HistoryRow, ...]
    exercises_done: Mapping[datetime.date, Mapping[str, int]]
    exercise_names: Mapping[str, str]
    min_days: Mapping[str, int]

    @property
    def units(self) -> str:
        return self.episode.info.units

    def phase_name(self, phase: str) -> str:
        try:
            return self.content.plan.name(phase)
        except KeyError:
            return engine.PHASE_NAMES.get(phase, phase)

    def distance(self, metres: float | None, digits: int = 1) -> str:
        if metres is None:
            return "–"
        return f"{from_metres(metres, self.units):.{digits}f} {self.units}"


def gather(store: Store, today: datetime.date, content: Content | None = None) -> ReportData:
    """Read the open episode and replay it; ValueError when there is no episode yet."""
    episode = store.load_episode()
    if episode is None:
        raise ValueError("There is no episode yet, so there is nothing to report.")
    content = content or load_content()
    rules = store.rules()
    last = max(today, episode.start)
    timeline = tuple(engine.replay(episode, rules, last))
    figures = daily_figures(episode.logs, episode.activities, episode.start, last)
    try:
        from recoverydesk.core.exercises import load_library

        names = {e.id: e.name for e in load_library()}
    except Exception:  # content problems are the window's to report; ids still read
        names = {}
    return ReportData(
        today=today, episode=episode, content=content, timeline=timeline, figures=figures,
        history=tuple(_history(timeline)),
        exercises_done=store.exercises_done(episode.start, last),
        exercise_names=names, min_days=dict(rules.min_days))


def _history(timeline: Sequence[engine.DayStatus]) -> list[HistoryRow]:
    """Every advance, regression, pause, clearance and ignored advance, with its reasons."""
    rows: list[HistoryRow] = []
    for status in timeline:
        event = status.event
        if event == "advance":
            said = [r.detail for r in status.reasons if r.rule == "advance"]
            said += [r.detail for r in status.reasons if r.rule in ("G3", "G4", "G5") and r.ok]
        elif event == "regression":
            said = [r.detail for r in status.reasons if r.rule in ("R1", "R2", "R3") and not r.ok]
        elif event == "pause":
            said = [r.detail for r in status.reasons if r.rule == "pause"]
        elif event == "clearance":
            said = [r.detail for r in status.reasons if r.rule == "clearance"]
        elif status.ignored_advance:
            event = "ignored"
            said = ["An advance stored on this day no longer holds (an earlier entry was "
                    "edited), so it is ignored."]
        else:
            continue
        rows.append(HistoryRow(status.day, event, status.phase, status.next_phase,
                               tuple(said or [r.detail for r in status.reasons])))
    return rows


# --- the chart ---------------------------------------------------------------------------------

def _nice_step(top: float, ticks: int = 4) -> float:
    raw = max(top, 1e-9) / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def draw_pain_chart(data: ReportData, width: float, height: float,
                    scale: float = CHART_SCALE) -> QImage:
    """Pain against running distance, phases behind, as a print-friendly greyscale image.

    ``width`` and ``height`` are in CSS pixels (96 per inch); the image has ``scale`` times
    as many pixels each way.
    """
    image = QImage(int(width * scale), int(height * scale), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.scale(scale, scale)
    try:
        _paint_chart(p, data, width, height)
    finally:
        p.end()
    return image


def _paint_chart(p: QPainter, data: ReportData, width: float, height: float) -> None:
    figures = data.figures
    n = len(figures)
    font = QFont(QGuiApplication.font())
    font.setPixelSize(10)
    p.setFont(font)
    fm = QFontMetricsF(font)
    small = QFont(font)
    small.setPixelSize(9)

    run_max = max((from_metres(m, data.units) for m in figures.run_m), default=0.0)
    left, right = 34.0, 40.0 if run_max > 0 else 14.0
    band_strip = 16.0
    legend_h = 22.0
    top = band_strip + 4
    bottom = height - legend_h - 18
    plot = QRectF(left, top, width - left - right, bottom - top)
    day_w = plot.width() / max(n, 1)

    def x_of(k: float) -> float:
        return plot.left() + (k + 0.5) * day_w

    def y_pain(v: float) -> float:
        return plot.bottom() - v / 10 * plot.height()

    # Phase bands (and pauses), each labelled in words in the strip above the plot.
    black = QColor("black")
    spans = _spans([(s.phase, s.paused) for s in data.timeline][:n])
    for (phase, paused), first, last in spans:
        rect = QRectF(plot.left() + first * day_w, plot.top(), (last - first + 1) * day_w,
                      plot.height())
        p.fillRect(rect, QColor(_PHASE_SHADES.get(phase, "#eeeeee")))
        if paused:
            _hatch(p, rect)
    for _value, first, _last in spans:
        if first > 0:
            p.setPen(QPen(QColor("#777777"), 0.8, Qt.PenStyle.DotLine))
            xb = plot.left() + first * day_w
            p.drawLine(QPointF(xb, plot.top() - band_strip), QPointF(xb, plot.bottom()))
    p.setFont(small)
    sfm = QFontMetricsF(small)
    for (phase, paused), first, last in spans:
        span_w = (last - first + 1) * day_w
        label = "Paused" if paused else data.phase_name(phase)
        if sfm.horizontalAdvance(label) > span_w - 4:
            label = sfm.elidedText(label, Qt.TextElideMode.ElideRight, span_w - 4)
        if not label or label == "…":
            continue
        p.setPen(black)
        p.drawText(QRectF(plot.left() + first * day_w + 2, plot.top() - band_strip - 2,
                          span_w - 4, band_strip),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
    p.setFont(font)

    # Grid and the pain axis (left).
    p.setPen(QPen(QColor("#b0b0b0"), 0.6))
    for g in range(0, 11, 2):
        p.drawLine(QPointF(plot.left(), y_pain(g)), QPointF(plot.right(), y_pain(g)))
    p.setPen(black)
    for g in range(0, 11, 2):
        p.drawText(QRectF(0, y_pain(g) - 7, left - 5, 14),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(g))
    p.save()
    p.translate(9, plot.center().y())
    p.rotate(-90)
    p.drawText(QRectF(-60, -9, 120, 12), Qt.AlignmentFlag.AlignCenter, "pain 0–10")
    p.restore()

    # Running distance: grey bars on the right axis.
    if run_max > 0:
        step = _nice_step(run_max)
        top_d = step * math.ceil(run_max / step)

        def y_dist(v: float) -> float:
            return plot.bottom() - v / top_d * plot.height()

        bar_w = max(day_w * 0.7, 1.0)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#9a9a9a"))
        for k, metres in enumerate(figures.run_m):
            if metres > 0:
                value = from_metres(metres, data.units)
                p.drawRect(QRectF(x_of(k) - bar_w / 2, y_dist(value), bar_w,
                                  plot.bottom() - y_dist(value)))
        p.setPen(black)
        v = 0.0
        while v <= top_d + 1e-9:
            text = f"{v:g}"
            p.drawText(QRectF(plot.right() + 4, y_dist(v) - 7, right - 6, 14),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            v += step
        p.save()
        p.translate(width - 6, plot.center().y())
        p.rotate(90)
        p.drawText(QRectF(-60, -9, 120, 12), Qt.AlignmentFlag.AlignCenter,
                   f"run {data.units} a day")
        p.restore()

    # The 7-day mean, dashed; pain, solid with dots (gaps where nothing was logged).
    mean_pen = QPen(QColor("#404040"), 1.5)
    mean_pen.setDashPattern([4.0, 2.5])
    _polyline(p, [(x_of(k), y_pain(v)) if v is not None else None
                  for k, v in enumerate(figures.pain_mean_7d)], mean_pen)
    pain_pen = QPen(black, 1.6)
    pain_points = [(x_of(k), y_pain(v)) if v is not None else None
                   for k, v in enumerate(figures.pain)]
    _polyline(p, pain_points, pain_pen)
    radius = min(2.4, max(1.2, day_w * 0.3))
    p.setPen(QPen(QColor("white"), 0.8))
    p.setBrush(black)
    for point in pain_points:
        if point is not None:
            p.drawEllipse(QPointF(*point), radius, radius)

    # Red flags: a triangle at the top of the day.
    p.setPen(QPen(black, 0.8))
    p.setBrush(black)
    for k, flagged in enumerate(figures.red_flags):
        if flagged:
            p.drawPolygon(_triangle(x_of(k), plot.top() + 2, 7.0))

    # Frame and dates.
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(black, 0.8))
    p.drawRect(plot)
    step_days = next((s for s in (1, 2, 7, 14, 28, 56, 91, 182, 364, 728)
                      if s * day_w >= fm.horizontalAdvance("30 Sep") + 12), 1456)
    for k in range(0, n, step_days):
        day = figures.day(k)
        label = f"{day.day} {day:%b}" if n <= 400 else f"{day:%b %Y}"
        x = x_of(k)
        p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3))
        p.drawText(QRectF(x - 40, plot.bottom() + 3, 80, 14), Qt.AlignmentFlag.AlignCenter,
                   label)

    _paint_legend(p, QRectF(left, height - legend_h, width - left - right, legend_h),
                  run_max > 0, data.units, mean_pen, pain_pen)


def _paint_legend(p: QPainter, area: QRectF, with_runs: bool, units: str, mean_pen: QPen,
                  pain_pen: QPen) -> None:
    fm = QFontMetricsF(p.font())
    black = QColor("black")
    x = area.left()
    y = area.center().y()
    items: list[tuple[str, Callable[[float], None]]] = []

    def pain_sample(x0: float) -> None:
        p.setPen(pain_pen)
        p.drawLine(QPointF(x0, y), QPointF(x0 + 18, y))
        p.setPen(QPen(QColor("white"), 0.8))
        p.setBrush(black)
        p.drawEllipse(QPointF(x0 + 9, y), 2.4, 2.4)

    def mean_sample(x0: float) -> None:
        p.setPen(mean_pen)
        p.drawLine(QPointF(x0, y), QPointF(x0 + 18, y))

    def bar_sample(x0: float) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#9a9a9a"))
        p.drawRect(QRectF(x0 + 5, y - 6, 8, 12))

    def pause_sample(x0: float) -> None:
        rect = QRectF(x0, y - 6, 18, 12)
        p.fillRect(rect, QColor("#eeeeee"))
        _hatch(p, rect)
        p.setPen(QPen(QColor("#777777"), 0.6))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(rect)

    def flag_sample(x0: float) -> None:
        p.setPen(QPen(black, 0.8))
        p.setBrush(black)
        p.drawPolygon(_triangle(x0 + 9, y - 4, 7.0))

    items.append(("pain", pain_sample))
    items.append(("7-day mean of pain", mean_sample))
    if with_runs:
        items.append((f"run distance ({units})", bar_sample))
    items.append(("paused by a red flag", pause_sample))
    items.append(("red flag logged", flag_sample))
    for text, sample in items:
        sample(x)
        p.setPen(black)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawText(QPointF(x + 22, y + fm.ascent() / 2 - 1), text)
        x += 22 + fm.horizontalAdvance(text) + 14


def _hatch(p: QPainter, rect: QRectF, spacing: float = 4.5) -> None:
    """Diagonal lines in CSS pixels (a pattern brush would be drawn in image pixels, too
    fine to see once the image is scaled onto paper)."""
    p.save()
    p.setClipRect(rect, Qt.ClipOperation.IntersectClip)
    p.setPen(QPen(QColor("#6e6e6e"), 0.7))
    x = rect.left() - rect.height()
    while x < rect.right():
        p.drawLine(QPointF(x, rect.bottom()), QPointF(x + rect.height(), rect.top()))
        x += spacing
    p.restore()


def _triangle(x: float, y: float, size: float) -> QPolygonF:
    return QPolygonF([QPointF(x - size / 2, y), QPointF(x + size / 2, y),
                      QPointF(x, y + size * 0.9)])


def _polyline(p: QPainter, points: Sequence[tuple[float, float] | None], pen: QPen) -> None:
    """Join consecutive points; a None (a day not logged) breaks the line."""
    path = QPainterPath()
    drawing = False
    for point in points:
        if point is None:
            drawing = False
            continue
        if drawing:
            path.lineTo(*point)
        else:
            path.moveTo(*point)
            drawing = True
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)


def _spans(values: Sequence[tuple[str, bool]]) -> list[tuple[tuple[str, bool], int, int]]:
    """Runs of equal values as (value, first index, last index)."""
    spans: list[tuple[tuple[str, bool], int, int]] = []
    for k, value in enumerate(values):
        if spans and spans[-1][0] == value and spans[-1][2] == k - 1:
            spans[-1] = (value, spans[-1][1], k)
        else:
            spans.append((value, k, k))
    return spans


# --- the document ------------------------------------------------------------------------------

def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _date(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _pain(value: int | None) -> str:
    return "–" if value is None else str(value)


_CSS = """
body { color: #000000; }
h1 { font-size: 16pt; margin-bottom: 2px; }
h2 { font-size: 11.5pt; margin-top: 14px; margin-bottom: 4px; }
h3 { font-size: 10pt; margin-top: 8px; margin-bottom: 3px; }
p { margin-top: 2px; margin-bottom: 4px; }
table { border-collapse: collapse; }
th { background-color: #e4e4e4; font-weight: bold; text-align: left; }
td, th { border: 0.5px solid #8c8c8c; padding: 2px 4px; vertical-align: top; }
td.n, th.n { text-align: right; }
.muted { color: #404040; }
.small { font-size: 8pt; }
.note { font-style: italic; }
"""


def report_html(data: ReportData, chart_url: str, chart_size: tuple[float, float], *,
                break_after_overview: bool = True) -> str:
    """The report as the HTML subset QTextDocument reads.

    With ``break_after_overview`` the phase history starts a new page, so page 1 is the
    overview (summary, chart, where things stand) and no heading is stranded at its foot.
    """
    today_status = data.timeline[-1] if data.timeline else None
    parts: list[str] = [f"<html><head><style>{_CSS}</style></head><body>"]
    parts.append("<h1>RecoveryDesk — clinician report</h1>")
    parts.append(f"<p class='muted'>Made on {_e(_date(data.today))}. {_e(DISCLAIMER)}</p>")
    parts.append(_summary_html(data, today_status))
    parts.append("<h2>Pain and running distance</h2>")
    width, height = chart_size
    parts.append(f"<p><img src='{_e(chart_url)}' width='{width:.0f}' height='{height:.0f}'>"
                 "</p>")
    parts.append("<p class='small muted'>Each dot is the day's overall pain (0 none, 10 worst "
                 "imaginable); the dashed line its mean over the last 7 days. Bars are the "
                 "distance run each day. Shaded bands show the phase in effect, named above "
                 "the chart.</p>")
    if today_status is not None:
        parts.append(_current_html(data, today_status))
    parts.append(_history_html(data, break_after_overview))
    parts.append(_flags_html(data))
    parts.append(_adherence_html(data))
    parts.append(_days_html(data))
    parts.append("</body></html>")
    return "".join(parts)


def _row(*cells: str, header: bool = False, classes: Sequence[str] = ()) -> str:
    tag = "th" if header else "td"
    out = []
    for i, cell in enumerate(cells):
        cls = f" class='{classes[i]}'" if i < len(classes) and classes[i] else ""
        out.append(f"<{tag}{cls}>{cell}</{tag}>")
    return "<tr>" + "".join(out) + "</tr>"


def _table(head: Sequence[str], rows: Sequence[str], widths: Sequence[int] = ()) -> str:
    """A full-width table whose header row repeats on every page it spans."""
    cols = "".join(f"<th width='{widths[i]}%'>{_e(h)}</th>" if i < len(widths)
                   else f"<th>{_e(h)}</th>" for i, h in enumerate(head))
    return ("<table width='100%' cellspacing='0' cellpadding='3' border='1'>"
            f"<thead><tr>{cols}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _phase_line(data: ReportData, status: engine.DayStatus) -> str:
    least = data.min_days.get(status.phase)
    text = f"{data.phase_name(status.phase)} — day {status.phase_day}"
    if least and status.phase != "full":
        text += f" of at least {least}"
    return text


def _summary_html(data: ReportData, status: engine.DayStatus | None) -> str:
    info = data.episode.info
    days = (data.today - info.start).days + 1 if data.today >= info.start else 0
    logged = sum(1 for d in data.episode.logs if d <= data.today)
    pains = [p for p in data.figures.pain if p is not None]
    first_week = [p for p in data.figures.pain[:7] if p is not None]
    last_week = [p for p in data.figures.pain[-7:] if p is not None]
    rows = [
        ("Episode began", _date(info.start)),
        ("Days so far", f"{days} (entries on {logged} of them)"),
        ("Current phase", (_phase_line(data, status) + (" — paused by a red flag"
                                                          if status.paused else ""))
         if status else "not begun yet"),
        ("Distances shown in", "kilometres (km)" if info.units == "km" else "miles (mi)"),
        ("Weekly running before the pain",
         data.distance(info.baseline_weekly_m) if info.baseline_weekly_m is not None
         else "not given"),
    ]
    if first_week and last_week:
        rows.append(("Mean pain, first → last 7 days",
                     f"{sum(first_week) / len(first_week):.1f} → "
                     f"{sum(last_week) / len(last_week):.1f} (0–10)"))
    if pains:
        rows.append(("Highest pain logged", f"{max(pains)} of 10"))
    rows.append(("Notes", info.notes or "none"))
    body = "".join(f"<tr><th width='34%'>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return ("<h2>Episode</h2><table width='100%' cellspacing='0' cellpadding='3' border='1'>"
            f"{body}</table>")


def _current_html(data: ReportData, status: engine.DayStatus) -> str:
    try:
        phase_plan = data.content.plan.phase(status.phase)
        summary = phase_plan.summary
        prescription = phase_plan.prescription_for(max(1, status.phase_day)).label
    except (KeyError, ValueError):
        summary, prescription = "", ""
    parts = [f"<h2>Current phase: {_e(_phase_line(data, status))}</h2>"]
    if status.paused:
        parts.append("<p><b>The plan is paused by a red flag</b> until a clinician clears the "
                     "runner.</p>")
    if summary:
        parts.append(f"<p>{_e(summary)}</p>")
    if prescription:
        parts.append(f"<p><b>Today's prescription:</b> {_e(prescription)}.</p>")
    if status.phase != "full" and not status.paused:
        gate = [r for r in status.reasons if r.rule.startswith("G")]
        missing = [r for r in gate if not r.ok]
        if gate and not missing:
            parts.append("<p><b>Ready to advance:</b> every condition of the phase is met.</p>")
        elif missing:
            items = "".join(f"<li>{_e(r.detail)}</li>" for r in missing)
            parts.append(f"<p><b>Still needed before the next phase:</b></p><ul>{items}</ul>")
    warnings = [g.detail for g in status.warnings]
    notices = list(status.notices)
    if warnings or notices:
        items = "".join(f"<li>{_e(w)}</li>" for w in warnings + notices)
        parts.append(f"<p><b>Warnings on {_e(_date(status.day))}:</b></p><ul>{items}</ul>")
    return "".join(parts)


def _history_html(data: ReportData, new_page: bool = True) -> str:
    start = data.episode.info.start
    rows = [_row(_e(_date(start)), "Began", _e(data.phase_name("rest")),
                 "The episode starts in Rest.")]
    for h in data.history:
        if h.event in ("advance", "regression"):
            move = f"{data.phase_name(h.phase)} → {data.phase_name(h.next_phase)}"
        else:
            move = data.phase_name(h.phase)
        what = _EVENT_WORDS.get(h.event, "Advance ignored")
        reasons = "<br>".join(_e(s) for s in h.sentences)
        rows.append(_row(_e(_date(h.day)), _e(what), _e(move), reasons))
    style = " style='page-break-before: always'" if new_page else ""
    return (f"<h2{style}>Phase history</h2>"
            "<p class='small muted'>A phase change takes effect the day "
            "after the date shown; a pause on the day itself. The reasons are the plan's own "
            "words.</p>" + _table(("Date", "What happened", "Phase", "Why"), rows,
                                  (13, 15, 20, 52)))


def _flags_html(data: ReportData) -> str:
    flags = data.content.red_flags
    clearances = {a.day: a.note for a in data.episode.actions if a.kind == "clearance"}
    statuses = {s.day: s for s in data.timeline}
    rows: list[str] = []
    days = sorted({d for d, log in data.episode.logs.items() if log.red_flags}
                  | set(clearances))
    for day in days:
        log = data.episode.logs.get(day)
        if log is not None and log.red_flags:
            words = []
            for flag in sorted(log.red_flags):
                info = flags.get(flag)
                label = info.label if info else flag
                urgency = ("emergency: seek care now" if info and info.emergency
                           else "see a clinician soon")
                words.append(f"{_e(label)} <span class='muted'>({urgency})</span>")
            status = statuses.get(day)
            outcome = "plan paused" if status is not None and status.paused else ""
            rows.append(_row(_e(_date(day)), "Red flag", "<br>".join(words), _e(outcome)))
        if day in clearances:
            status = statuses.get(day)
            held = status is not None and status.event == "clearance"
            rows.append(_row(_e(_date(day)), "Clearance",
                             f"<span class='note'>“{_e(clearances[day])}”</span>",
                             "pause lifted" if held else "not applied (no pause to lift)"))
    if not rows:
        return "<h2>Red flags and clearances</h2><p>No red flag has been logged.</p>"
    return ("<h2>Red flags and clearances</h2>"
            + _table(("Date", "Entry", "Details", "Effect"), rows, (13, 12, 55, 20)))


def _adherence_html(data: ReportData) -> str:
    last = max(data.today, data.episode.info.start)
    week = last - datetime.timedelta(days=6)
    month = last - datetime.timedelta(days=27)
    seven: dict[str, int] = {}
    twenty_eight: dict[str, int] = {}
    for day, counts in data.exercises_done.items():
        for exercise_id, count in counts.items():
            if count <= 0:
                continue
            if month <= day <= last:
                twenty_eight[exercise_id] = twenty_eight.get(exercise_id, 0) + 1
            if week <= day <= last:
                seven[exercise_id] = seven.get(exercise_id, 0) + 1
    if not twenty_eight:
        return ("<h2>Exercises</h2><p>No exercise has been marked done in the last 28 days."
                "</p>")
    order = sorted(twenty_eight, key=lambda i: (-twenty_eight[i], -seven.get(i, 0),
                                                data.exercise_names.get(i, i).casefold()))
    rows = [_row(_e(data.exercise_names.get(i, i.replace("_", " "))),
                 f"{seven.get(i, 0)} of 7", f"{twenty_eight[i]} of 28",
                 classes=("", "n", "n")) for i in order]
    head = ("Exercise", "Days done, last 7", "Days done, last 28")
    return ("<h2>Exercises</h2><p class='small muted'>Days on which each exercise was marked "
            f"done, up to {_e(_date(last))}.</p>" + _table(head, rows, (56, 22, 22)))


def _activity_words(data: ReportData, activity: Activity) -> str:
    text = describe_activity(activity, data.units)
    if activity.pain is not None:
        text += f" (pain {activity.pain})"
    return text


def _days_html(data: ReportData) -> str:
    by_day: dict[datetime.date, list[Activity]] = {}
    for activity in data.episode.activities:
        by_day.setdefault(activity.day, []).append(activity)
    statuses = {s.day: s for s in data.timeline}
    days = sorted(set(data.episode.logs) | set(by_day), reverse=True)
    months: dict[tuple[int, int], list[str]] = {}
    for day in days:
        rows = months.setdefault((day.year, day.month), [])
        log: DayLog | None = data.episode.logs.get(day)
        status = statuses.get(day)
        phase = (f"{data.phase_name(status.phase)} {status.phase_day}"
                 + (" (paused)" if status.paused else "")) if status else "–"
        acts = "<br>".join(_e(_activity_words(data, a)) for a in by_day.get(day, []))
        flags = ", ".join(data.content.red_flags[f].label if f in data.content.red_flags
                          else f for f in sorted(log.red_flags)) if log else ""
        pain_activity = None
        if log is not None:  # as Episode.pain_activity, without its scan of every activity
            pain_activity = log.pain_activity
            if pain_activity is None:
                pains = [a.pain for a in by_day.get(day, []) if a.pain is not None]
                pain_activity = max(pains) if pains else None
        rows.append(_row(
            _e(f"{day:%a} {day.day} {day:%b}" if day.year == data.today.year else _date(day)),
            _e(phase), _pain(log.pain if log else None), _pain(pain_activity),
            _pain(log.pain_morning if log else None), acts or "–", _e(flags) or "–",
            _e(log.notes) if log and log.notes else "",
            classes=("", "", "n", "n", "n", "", "", "")))
    if not months:
        return "<h2>Daily entries</h2><p>Nothing has been logged yet.</p>"
    head = ("Date", "Phase, day", "Pain", "During activity", "On waking", "Activities",
            "Red flags", "Notes")
    # One table a month: easier to find a date in, and Qt lays out many short tables in
    # linear time where one 3,650-row table took seconds per year of entries.
    tables = "".join(
        f"<h3>{datetime.date(year, month, 1):%B %Y}</h3>"
        + _table(head, rows, (9, 12, 6, 9, 9, 20, 12, 23))
        for (year, month), rows in months.items())
    return ("<h2>Daily entries, newest first</h2><p class='small muted'>Pain 0 (none) to 10 "
            "(worst imaginable): overall that day, the worst during activity, and on waking; "
            "“–” means not given.</p>" + tables)


# --- writing the PDF ---------------------------------------------------------------------------

def ensure_gui_app() -> QGuiApplication:
    """The running Qt application, or a new offscreen one for the command line."""
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        return app
    if app is not None:
        raise RuntimeError("a QCoreApplication without a GUI cannot draw a report")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication(["recoverydesk-report"])
    _KEEP_APP.append(app)
    return app


def write_report(store: Store, out_path: Path | str, page_size: str = "A4", *,
                 today: datetime.date | None = None, content: Content | None = None) -> None:
    """Write the clinician report of the open episode as a PDF.

    Args:
        store: The open store (read only).
        out_path: The PDF to write (replaced if it exists; written beside it first, so a
            failure never leaves half a file).
        page_size: ``A4`` or ``Letter``.
        today: The report's date (default: the local date).

    Raises:
        ValueError: No episode yet, or an unknown page size.
        OSError: The file could not be written.
    """
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page size {page_size!r}: it must be A4 or Letter")
    ensure_gui_app()
    out = Path(out_path)
    data = gather(store, today or datetime.date.today(), content)
    tmp = out.with_name(f".{out.name}.part")
    try:
        _print(data, tmp, page_size)
        if not tmp.is_file() or tmp.stat().st_size == 0:
            raise OSError(f"Qt could not write {out}")
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()


def _print(data: ReportData, path: Path, page_size: str) -> None:
    out_dir = path.parent
    if not out_dir.is_dir():
        raise FileNotFoundError(f"No such folder: {out_dir}")
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION_DPI)
    writer.setTitle("RecoveryDesk clinician report")
    writer.setCreator("RecoveryDesk")
    writer.setPageLayout(QPageLayout(
        QPageSize(PAGE_SIZES[page_size]), QPageLayout.Orientation.Portrait,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter))
    page = writer.pageLayout().paintRectPixels(RESOLUTION_DPI)
    px_per_css = RESOLUTION_DPI / 96.0

    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(FONT_PT)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    footer_h = QFontMetricsF(font, writer).height() * 2.2
    body = QSizeF(page.width(), page.height() - footer_h)
    doc.setPageSize(body)

    chart_w = page.width() / px_per_css - 4
    chart_h = round(chart_w * 0.44)
    chart = draw_pain_chart(data, chart_w, chart_h)
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("chart://pain"), chart)
    doc.setHtml(report_html(data, "chart://pain", (chart_w, chart_h)))
    heading = doc.find("Phase history")
    if not heading.isNull():
        top = doc.documentLayout().blockBoundingRect(heading.block()).top()
        if top >= 2 * body.height():
            # The overview did not fit on page 1 (Letter is shorter): a forced break would
            # leave page 2 nearly empty, so let the history follow on directly.
            doc.setHtml(report_html(data, "chart://pain", (chart_w, chart_h),
                                    break_after_overview=False))

    pages = doc.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"Qt could not open {path} for writing")
    try:
        footer_font = QFont(font)
        footer_font.setPointSizeF(FONT_PT - 1)
        info = data.episode.info
        left_text = (f"RecoveryDesk clinician report · episode begun {_date(info.start)} · "
                     f"made {_date(data.today)}")
        for index in range(pages):
            if index:
                writer.newPage()
            painter.save()
            clip = QRectF(0, index * body.height(), body.width(), body.height())
            painter.translate(0, -clip.top())
            painter.setClipRect(clip)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = clip
            doc.documentLayout().draw(painter, context)
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(QColor("black"))
            y = page.height() - footer_h * 0.6
            rect = QRectF(0, y, page.width(), footer_h * 0.6)
            painter.setPen(QPen(QColor("#8c8c8c"), RESOLUTION_DPI / 300))
            painter.drawLine(QPointF(0, y), QPointF(page.width(), y))
            painter.setPen(QColor("black"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                             left_text)
            painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                             f"page {index + 1} of {pages}")
    finally:
        painter.end()


# --- the window ---------------------------------------------------------------------------------

ReportChoice = tuple[Path, str]
Chooser = Callable[[Any, Any], "ReportChoice | None"]
OfferOpen = Callable[[Any, Path], Any]


def default_page_size() -> str:
    """Letter where the locale measures in inches (the US), A4 everywhere else."""
    from PySide6.QtCore import QLocale

    imperial = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return "Letter" if imperial else "A4"


def choose_report(window: Any, session: Any) -> ReportChoice | None:
    """Ask the page size, then where to save; None when the user backs out."""
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    sizes = ["A4", "Letter"]
    size, ok = QInputDialog.getItem(window, "Clinician report", "Page size:", sizes,
                                    sizes.index(default_page_size()), False)
    if not ok:
        return None
    folder = Path(session.property("report_folder") or Path.home())
    name, _filter = QFileDialog.getSaveFileName(
        window, "Save the clinician report",
        str(folder / f"recoverydesk-report-{session.today().isoformat()}.pdf"),
        "PDF document (*.pdf)")
    if not name:
        return None
    path = Path(name) if Path(name).suffix.lower() == ".pdf" else Path(name + ".pdf")
    session.setProperty("report_folder", str(path.parent))
    return path, size


def offer_to_open(window: Any, path: Path) -> Any:
    """Say where the report went, with a button that shows its folder."""
    from PySide6.QtCore import QUrl as _QUrl
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Information, "Clinician report",
                      f"The report was saved to {path}.", parent=window)
    box.setInformativeText("It is a summary of your log to show a physiotherapist or "
                           "doctor; it is not a diagnosis.")
    show = box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.buttonClicked.connect(
        lambda button: QDesktopServices.openUrl(_QUrl.fromLocalFile(str(path.parent)))
        if button is show else None)
    box.open()
    return box


def save_report(window: Any, session: Any, *, choose: Chooser | None = None,
                offer_open: OfferOpen | None = None) -> Path | None:
    """File → Clinician report…: page size and file, write the PDF, offer its folder."""
    from PySide6.QtWidgets import QMessageBox

    from recoverydesk.storage.store import StoreError

    if session.episode is None:
        QMessageBox.information(window, "Clinician report",
                                "Begin an episode and log a few days first: the report "
                                "summarises them.")
        return None
    choice = (choose or choose_report)(window, session)
    if choice is None:
        return None
    path, size = choice
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        write_report(session.store, path, size, today=session.today(),
                     content=session.content)
    except (OSError, StoreError, ValueError) as error:
        QGuiApplication.restoreOverrideCursor()
        text = f"The report could not be saved to {path}: {error}"
        session.message.emit(text)
        QMessageBox(QMessageBox.Icon.Warning, "Clinician report", text, parent=window).open()
        return None
    QGuiApplication.restoreOverrideCursor()
    session.message.emit(f"Clinician report saved to {path}.")
    (offer_open or offer_to_open)(window, path)
    return path
