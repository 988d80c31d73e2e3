"""The report's Function (PSFS) chart, drawn with QtGui only for print (DESIGN.md §3.1).

Greyscale-friendly like the pain chart: the weekly mean as a thick black line with dots,
each activity as a thin line with its own dash pattern and marker letter, the shaded band of
±2 points around the first week's mean, 0–10 on the left.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QGuiApplication, QImage, QPainter, QPen

from recoverydesk.core import psfs
from recoverydesk.interchange.report_outcomes import psfs_series
from recoverydesk.render.canvas import draw_on_white

_DASHES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine,
           Qt.PenStyle.DashDotLine, Qt.PenStyle.DashDotDotLine)
_GREYS = ("#1f5f99", "#b36b00", "#2e7d5b", "#8a3f73", "#5a5a5a")


def draw_psfs_chart(activities: Sequence[psfs.PsfsActivity],
                    scores: Sequence[psfs.PsfsScore], width: float, height: float,
                    scale: float = 3.0) -> QImage:
    """The chart as an image ``scale`` times ``width`` × ``height`` CSS pixels."""
    return draw_on_white(width, height, scale,
                         lambda p: _paint(p, activities, scores, width, height))


def _paint(p: QPainter, activities: Sequence[psfs.PsfsActivity],
           scores: Sequence[psfs.PsfsScore], width: float, height: float) -> None:
    dates, means, lines = psfs_series(activities, scores)
    font = QFont(QGuiApplication.font())
    font.setPixelSize(10)
    p.setFont(font)
    fm = QFontMetricsF(font)
    legend_rows = (len(lines) + 2) // 2 + 1
    legend_h = legend_rows * (fm.height() + 2)
    plot = QRectF(30, 8, width - 44, height - 8 - 18 - legend_h)
    if not dates:
        return
    first, last = dates[0], dates[-1]
    span = max((last - first).days, 7)

    def x_of(day: datetime.date) -> float:
        return plot.left() + 10 + (day - first).days / span * (plot.width() - 20)

    def y_of(v: float) -> float:
        return plot.bottom() - v / 10 * plot.height()

    band_lo = max(0.0, means[0] - psfs.MEAN_CHANGE)
    band_hi = min(10.0, means[0] + psfs.MEAN_CHANGE)
    p.fillRect(QRectF(plot.left(), y_of(band_hi), plot.width(), y_of(band_lo) - y_of(band_hi)),
               QColor("#e3efe9"))
    p.setPen(QPen(QColor("#bdbdbd"), 0.5))
    for v in range(0, 11, 2):
        p.drawLine(QPointF(plot.left(), y_of(v)), QPointF(plot.right(), y_of(v)))
        p.setPen(QColor("black"))
        p.drawText(QRectF(0, y_of(v) - 7, plot.left() - 4, 14),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(v))
        p.setPen(QPen(QColor("#bdbdbd"), 0.5))
    p.setPen(QColor("black"))
    step = max(1, len(dates) // 8)
    for day in dates[::step]:
        p.drawText(QRectF(x_of(day) - 30, plot.bottom() + 2, 60, 14),
                   Qt.AlignmentFlag.AlignHCenter, f"{day.day} {day:%b}")
    samples: list[tuple[QPen, str]] = []
    for index, (name, values) in enumerate(lines.items()):
        pen = QPen(QColor(_GREYS[index % len(_GREYS)]), 1.2, _DASHES[index % len(_DASHES)])
        _polyline(p, [(x_of(d), y_of(v)) for d, v in zip(dates, values, strict=True)
                      if v is not None], pen)
        samples.append((pen, name))
    mean_pen = QPen(QColor("black"), 2.6)
    _polyline(p, [(x_of(d), y_of(m)) for d, m in zip(dates, means, strict=True)], mean_pen)
    p.setBrush(QColor("black"))
    for d, m in zip(dates, means, strict=True):
        p.drawEllipse(QPointF(x_of(d), y_of(m)), 2.5, 2.5)
    # Legend: the mean, the band, then the activities, two a row.
    y = plot.bottom() + 20
    entries: list[tuple[QPen | None, str]] = [(mean_pen, "PSFS mean"),
                                              (None, f"±{psfs.MEAN_CHANGE:g} around the first "
                                                     "week")]
    entries += [(pen, label) for pen, label in samples]
    col_w = (width - 40) / 2
    for i, (sample, label) in enumerate(entries):
        x = 30 + (i % 2) * col_w
        yy = y + (i // 2) * (fm.height() + 2)
        if sample is None:
            p.fillRect(QRectF(x, yy + 2, 22, fm.height() - 4), QColor("#e3efe9"))
        else:
            p.setPen(sample)
            p.drawLine(QPointF(x, yy + fm.height() / 2), QPointF(x + 22, yy + fm.height() / 2))
        p.setPen(QColor("black"))
        p.drawText(QRectF(x + 28, yy, col_w - 30, fm.height()),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   fm.elidedText(label, Qt.TextElideMode.ElideRight, col_w - 30))


def _polyline(p: QPainter, points: list[tuple[float, float]], pen: QPen) -> None:
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        p.drawLine(QPointF(x0, y0), QPointF(x1, y1))
